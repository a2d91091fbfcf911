/*
 * An export as an Excel workbook (libxlsxwriter), when the build has it.
 */
#ifndef HAZARDCTL_XLSX_H
#define HAZARDCTL_XLSX_H

#include <stdio.h>

/*
 * Writes the workbook path from the JSON export read from json, with the
 * Chinese column names if zh.  Returns 0, or -1 with the reason printed
 * and no file left.
 */
int	xlsx_write(const char *path, FILE *json, int zh);

#endif
