/*
 * A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF,
 * line breaks inside quotes; a stray quote or a lone CR is an error.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "xmalloc.h"

/*
 * A field is a C string to all that reads it: "S001\0junk" would pass
 * for the school S001, and a date with junk after a NUL for the date.
 */
static const char nul_error[] = "a NUL byte (the file is not text)";

void
csv_init(struct csv *c, const char *text, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->text = text;
	c->len = len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		c->off = 3;
}

void
csv_free(struct csv *c)
{
	free(c->buf);
	c->buf = NULL;
	c->cap = c->used = 0;
}

/* Appends n bytes to the fields of the record. */
static void
put(struct csv *c, const char *s, size_t n)
{
	if (c->used + n + 1 > c->cap) {
		if (c->cap == 0)
			c->cap = 1024;
		while (c->used + n + 1 > c->cap)
			c->cap *= 2;
		c->buf = xreallocarray(c->buf, c->cap, 1);
	}
	memcpy(c->buf + c->used, s, n);
	c->used += n;
}

/* Returns 1 if a record ends at i: LF, CRLF, or the end of the text. */
static int
at_end(const struct csv *c, size_t i)
{
	return i >= c->len || c->text[i] == '\n' ||
	    (c->text[i] == '\r' && i + 1 < c->len && c->text[i + 1] == '\n');
}

/* Reads a quoted field from just past its opening quote.  -1: error. */
static int
quoted(struct csv *c, size_t *i)
{
	const char	*q;
	size_t		 j = *i;

	for (;;) {
		q = memchr(c->text + j, '"', c->len - j);
		if (q == NULL) {
			c->error = "a quoted field is not closed";
			return -1;
		}
		if (memchr(c->text + j, '\0', (size_t)(q - c->text) - j) !=
		    NULL) {
			c->error = nul_error;
			return -1;
		}
		put(c, c->text + j, (size_t)(q - c->text) - j);
		j = (size_t)(q - c->text) + 1;
		if (j < c->len && c->text[j] == '"') {
			put(c, "\"", 1);
			j++;
			continue;
		}
		break;
	}
	if (!at_end(c, j) && c->text[j] != ',') {
		c->error = "text after the closing quote of a field";
		return -1;
	}
	*i = j;
	return 0;
}

/* Reads an unquoted field.  -1: error. */
static int
plain(struct csv *c, size_t *i)
{
	const char	*t = c->text;
	size_t		 j = *i;

	while (j < c->len && t[j] != ',' && t[j] != '\n' && t[j] != '\r' &&
	    t[j] != '"' && t[j] != '\0')
		j++;
	if (j < c->len && t[j] == '\0') {
		c->error = nul_error;
		return -1;
	}
	if (j < c->len && t[j] == '"') {
		c->error = "a quote inside an unquoted field (quote the "
		    "whole field and double the quote)";
		return -1;
	}
	if (j < c->len && t[j] == '\r' && !at_end(c, j)) {
		c->error = "a carriage return that does not end a line";
		return -1;
	}
	put(c, t + *i, j - *i);
	*i = j;
	return 0;
}

int
csv_next(struct csv *c)
{
	size_t	i = c->off;
	int	rc;

	if (i >= c->len)
		return 0;
	c->record++;
	c->nfields = 0;
	c->used = 0;
	for (;;) {
		if (c->nfields == CSV_MAX_FIELDS) {
			c->error = "more than 64 fields";
			return -1;
		}
		c->start[c->nfields] = c->used;
		if (c->text[i] == '"') {
			i++;
			rc = quoted(c, &i);
		} else
			rc = plain(c, &i);
		if (rc == -1)
			return -1;
		c->flen[c->nfields] = c->used - c->start[c->nfields];
		put(c, "", 1);
		c->nfields++;
		if (i < c->len && c->text[i] == ',') {
			i++;
			/* "a," at the very end: one more, empty field. */
			if (i < c->len)
				continue;
			if (c->nfields == CSV_MAX_FIELDS) {
				c->error = "more than 64 fields";
				return -1;
			}
			c->start[c->nfields] = c->used;
			c->flen[c->nfields] = 0;
			put(c, "", 1);
			c->nfields++;
			break;
		}
		if (i < c->len)
			i += c->text[i] == '\r' ? 2 : 1;
		break;
	}
	c->off = i;
	return 1;
}

const char *
csv_field(const struct csv *c, int i, size_t *len)
{
	if (len != NULL)
		*len = c->flen[i];
	return c->buf + c->start[i];
}

int
csv_blank(const struct csv *c)
{
	int	i;

	for (i = 0; i < c->nfields; i++)
		if (c->flen[i] != 0)
			return 0;
	return 1;
}
