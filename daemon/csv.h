/*
 * A strict RFC 4180 reader over text in memory: fields separated by
 * commas, records by CRLF or LF, quoted fields with doubled quotes,
 * commas and line breaks inside.  Anything else is an error, never a
 * guess.  Pure: no I/O.
 */
#ifndef HAZARDD_CSV_H
#define HAZARDD_CSV_H

#include <stddef.h>

/* The most fields a record may have. */
#define CSV_MAX_FIELDS	64

struct csv {
	const char	*text;
	size_t		 len;
	size_t		 off;	/* where the next record starts */
	long		 record;	/* the last record's number */
	/* The last record: its fields, each NUL-terminated in buf. */
	int		 nfields;
	size_t		 start[CSV_MAX_FIELDS];
	size_t		 flen[CSV_MAX_FIELDS];
	char		*buf;
	size_t		 used;
	size_t		 cap;
	const char	*error;		/* why csv_next() failed */
};

/*
 * Starts reading the len bytes at text (which must outlive c), past a
 * UTF-8 byte order mark if the text begins with one.
 */
void	 csv_init(struct csv *c, const char *text, size_t len);

/*
 * Reads the next record.  Returns 1 with its fields available, 0 at the
 * end of the text, or -1 with c->error saying what is wrong with record
 * number c->record (counting from 1, as a spreadsheet numbers rows).
 */
int	 csv_next(struct csv *c);

/* Field i of the last record (NUL-terminated) and its length. */
const char *csv_field(const struct csv *c, int i, size_t *len);

/* Returns 1 if every field of the last record is empty (a blank row). */
int	 csv_blank(const struct csv *c);

/* Frees what c holds. */
void	 csv_free(struct csv *c);

#endif
