/*
 * Tables for people: columns padded by display width, so that Chinese
 * text (two columns a character) lines up, and separated by two spaces.
 */
#ifndef HAZARD_TABLE_H
#define HAZARD_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table;

/*
 * Starts a table of ncols columns with the header row headers, or with
 * no header row if headers is NULL.
 */
struct table	*table_new(size_t ncols, const char *const *headers);

/* Pads column col on the left: for numbers. */
void		 table_right(struct table *, size_t col);

/* Truncates cells of column col wider than cols columns, marking "...". */
void		 table_max(struct table *, size_t col, size_t cols);

/*
 * Appends the next cell, row after row; NULL shows as "-".  The cell
 * is made plain text (safetext_plain()), so that every row stays on
 * one line and nothing in it reaches the terminal as a control.
 */
void		 table_add(struct table *, const char *);

/* Appends the next cell, formatted. */
void		 table_addf(struct table *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Prints the table; the last column is not padded. */
void		 table_print(const struct table *, FILE *);

void		 table_free(struct table *);

#endif
