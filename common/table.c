/*
 * Tables for people: columns padded by display width, so that Chinese
 * text (two columns a character) lines up, and separated by two spaces.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"
#include "table.h"
#include "utf8.h"
#include "xmalloc.h"

#define TABLE_GAP	"  "
#define TABLE_MORE	"..."

struct table {
	size_t	  ncols;
	size_t	  ncells;
	size_t	  cap;
	char	**cells;	/* row after row */
	size_t	 *max;		/* by column: widest cell or 0 */
	int	 *right;	/* by column: pad on the left */
};

/* Starts a table, with a header row unless headers is NULL. */
struct table *
table_new(size_t ncols, const char *const *headers)
{
	struct table	*t;
	size_t		 i;

	t = xcalloc(1, sizeof(*t));
	t->ncols = ncols;
	t->max = xcalloc(ncols, sizeof(*t->max));
	t->right = xcalloc(ncols, sizeof(*t->right));
	for (i = 0; headers != NULL && i < ncols; i++)
		table_add(t, headers[i]);
	return t;
}

/* Pads column col on the left. */
void
table_right(struct table *t, size_t col)
{
	t->right[col] = 1;
}

/* Truncates the cells of column col to cols columns. */
void
table_max(struct table *t, size_t col, size_t cols)
{
	t->max[col] = cols > strlen(TABLE_MORE) ? cols : strlen(TABLE_MORE) + 1;
}

/* Appends the next cell. */
void
table_add(struct table *t, const char *s)
{
	char	*cell, *cut;
	size_t	 max, n;

	cell = safetext_plain(s == NULL ? "-" : s);
	max = t->max[t->ncells % t->ncols];
	if (max != 0 && utf8_width(cell) > max) {
		n = utf8_prefix(cell, max - strlen(TABLE_MORE));
		xasprintf(&cut, "%.*s%s", (int)n, cell, TABLE_MORE);
		free(cell);
		cell = cut;
	}
	if (t->ncells == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->cells = xreallocarray(t->cells, t->cap, sizeof(*t->cells));
	}
	t->cells[t->ncells++] = cell;
}

/* Appends the next cell, formatted. */
void
table_addf(struct table *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xcalloc(1, n < 0 ? 1 : (size_t)n + 1);
	va_start(ap, fmt);
	if (n > 0)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	table_add(t, s);
	free(s);
}

/* Prints n spaces. */
static void
pad(FILE *fp, size_t n)
{
	while (n-- > 0)
		fputc(' ', fp);
}

/* Prints the table, each column as wide as its widest cell. */
void
table_print(const struct table *t, FILE *fp)
{
	size_t	*width, i, col, w;

	width = xcalloc(t->ncols, sizeof(*width));
	for (i = 0; i < t->ncells; i++) {
		w = utf8_width(t->cells[i]);
		if (w > width[i % t->ncols])
			width[i % t->ncols] = w;
	}
	for (i = 0; i < t->ncells; i++) {
		col = i % t->ncols;
		w = utf8_width(t->cells[i]);
		if (t->right[col])
			pad(fp, width[col] - w);
		fputs(t->cells[i], fp);
		if (col + 1 == t->ncols || i + 1 == t->ncells) {
			fputc('\n', fp);
			continue;
		}
		if (!t->right[col])
			pad(fp, width[col] - w);
		fputs(TABLE_GAP, fp);
	}
	free(width);
}

/* Frees the table and its cells. */
void
table_free(struct table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->max);
	free(t->right);
	free(t);
}
