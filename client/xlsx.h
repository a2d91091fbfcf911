/*
 * An export as an Excel workbook (libxlsxwriter), when the build has it.
 */
#ifndef HAZARDCTL_XLSX_H
#define HAZARDCTL_XLSX_H

#include <stdio.h>

struct ctl;

/*
 * Writes the workbook path from the JSON export read from json.  With
 * zh, the Chinese column names and the values in Chinese as a CSV with
 * Chinese headers has them (columns_zh_value(), a category by its name
 * in ctl's vocabulary), which an import reads again.  Returns 0, or -1
 * with the reason printed and no file left.
 */
int	xlsx_write(struct ctl *, const char *path, FILE *json, int zh);

#endif
