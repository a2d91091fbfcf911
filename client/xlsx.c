/*
 * An export as an Excel workbook, made from the JSON export with
 * libxlsxwriter: a header row kept in view, columns as wide as their
 * text, an autofilter, dates as dates and every text a string, never a
 * formula, whatever it begins with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "columns.h"
#include "hazardctl.h"
#include "xlsx.h"

/* How each column is written, and its width in characters. */
enum cell {
	CELL_TEXT,
	CELL_NUMBER,
	CELL_DATE,	/* "YYYY-MM-DD" */
	CELL_TIME	/* RFC 3339: its wall clock, the server's zone's */
};

static const struct {
	enum cell	type;
	double		width;
} cells[COLUMNS_MAX] = {
	{ CELL_NUMBER, 8 },	/* id */
	{ CELL_TEXT, 9 },	/* kind */
	{ CELL_TEXT, 10 },	/* school */
	{ CELL_TEXT, 16 },	/* school_name */
	{ CELL_TEXT, 12 },	/* category */
	{ CELL_TEXT, 8 },	/* grade */
	{ CELL_TEXT, 30 },	/* title */
	{ CELL_TEXT, 40 },	/* description */
	{ CELL_TEXT, 20 },	/* location */
	{ CELL_TEXT, 10 },	/* responsible */
	{ CELL_TEXT, 12 },	/* department */
	{ CELL_DATE, 12 },	/* deadline */
	{ CELL_TEXT, 30 },	/* plan */
	{ CELL_TEXT, 20 },	/* assessment */
	{ CELL_TEXT, 10 },	/* funds */
	{ CELL_TEXT, 20 },	/* contingency */
	{ CELL_TEXT, 10 },	/* state */
	{ CELL_TIME, 17 },	/* reported_at */
	{ CELL_TIME, 17 },	/* rectified_at */
	{ CELL_TEXT, 30 },	/* rectify_note */
	{ CELL_TEXT, 30 },	/* reject_note */
	{ CELL_TIME, 17 },	/* closed_at */
	{ CELL_TEXT, 20 }	/* key */
};

/* A workbook being written. */
struct book {
	lxw_workbook	*wb;
	lxw_worksheet	*ws;
	lxw_format	*head;
	lxw_format	*date;
	lxw_format	*time;
	lxw_row_t	 row;
	struct ctl	*ctl;		/* its vocabulary of categories */
	int		 zh;		/* values in Chinese */
};

/*
 * Reads "YYYY-MM-DD" and, when time, "THH:MM:SS" after it into dt: the
 * wall clock as written, its offset left (the server's zone, which the
 * office reads).  Returns 0, or -1.
 */
static int
read_datetime(const char *s, int time, lxw_datetime *dt)
{
	int	n = 0;

	memset(dt, 0, sizeof(*dt));
	if (sscanf(s, "%4d-%2d-%2d%n", &dt->year, &dt->month, &dt->day,
	    &n) != 3 || n != 10)
		return -1;
	if (!time)
		return s[n] == '\0' ? 0 : -1;
	n = 0;
	if (sscanf(s + 10, "T%2d:%2d:%lf%n", &dt->hour, &dt->min, &dt->sec,
	    &n) != 3 || n < 9)
		return -1;
	return 0;
}

/* The value of column col of hazard o, or NULL. */
static const json_t *
value(const json_t *o, int col)
{
	if (strcmp(columns[col].name, "reject_note") == 0)
		return json_object_get(json_object_get(o, "rejected"),
		    "note");
	return json_object_get(o, columns[col].name);
}

/* Writes hazard o as the next row.  0, or -1 with lxw's error. */
static int
write_row(struct book *b, const json_t *o)
{
	const json_t	*v;
	const char	*s;
	lxw_datetime	 dt;
	lxw_error	 rc = LXW_NO_ERROR;
	int		 col;

	b->row++;
	for (col = 0; col < COLUMNS_MAX && rc == LXW_NO_ERROR; col++) {
		if ((v = value(o, col)) == NULL || json_is_null(v))
			continue;
		if (json_is_integer(v)) {
			rc = worksheet_write_number(b->ws, b->row, col,
			    (double)json_integer_value(v), NULL);
			continue;
		}
		if ((s = json_string_value(v)) == NULL)
			continue;
		if (b->zh && strcmp(columns[col].name, "category") == 0)
			s = ctl_category_in(b->ctl, s, 1);
		else if (b->zh)
			s = columns_zh_value(col, s);
		if ((cells[col].type == CELL_DATE ||
		    cells[col].type == CELL_TIME) &&
		    read_datetime(s, cells[col].type == CELL_TIME, &dt) == 0)
			rc = worksheet_write_datetime(b->ws, b->row, col, &dt,
			    cells[col].type == CELL_TIME ? b->time : b->date);
		else
			/* A string, never a formula, whatever it begins with. */
			rc = worksheet_write_string(b->ws, b->row, col, s,
			    NULL);
	}
	if (rc != LXW_NO_ERROR) {
		fprintf(stderr, _("hazardctl: export: row %lu: %s\n"),
		    (unsigned long)b->row, lxw_strerror(rc));
		return -1;
	}
	return 0;
}

/* Writes the header row and sets the columns.  0, or -1. */
static int
write_head(struct book *b, int zh)
{
	int	col;

	for (col = 0; col < COLUMNS_MAX; col++) {
		if (worksheet_write_string(b->ws, 0, col, zh ?
		    columns[col].zh : columns[col].name, b->head) !=
		    LXW_NO_ERROR)
			return -1;
		worksheet_set_column(b->ws, col, col, cells[col].width, NULL);
	}
	worksheet_freeze_panes(b->ws, 1, 0);
	return 0;
}

/*
 * Reads the JSON export in in, one hazard a line between its first line
 * and its last, into the rows.  0, or -1 with the reason printed.
 */
static int
read_export(struct book *b, FILE *in)
{
	json_error_t	 err;
	json_t		*o;
	char		*line = NULL;
	size_t		 cap = 0;
	ssize_t		 n;
	long		 lineno = 0;
	int		 rc = -1, ended = 0;

	while ((n = getline(&line, &cap, in)) != -1) {
		lineno++;
		if (lineno == 1) {
			if (strncmp(line, "{\"hazards\":[", 12) != 0)
				break;
			continue;
		}
		if (line[0] == ']') {
			ended = 1;
			break;
		}
		if ((o = json_loadb(line, (size_t)n, JSON_DISABLE_EOF_CHECK,
		    &err)) == NULL || !json_is_object(o)) {
			json_decref(o);
			break;
		}
		rc = write_row(b, o);
		json_decref(o);
		if (rc == -1)
			goto done;
	}
	rc = ended ? 0 : -1;
	if (rc == -1)
		fprintf(stderr, _("hazardctl: export: the server's JSON is "
		    "not as expected (line %ld)\n"), lineno);
done:
	free(line);
	return rc;
}

int
xlsx_write(struct ctl *ctl, const char *path, FILE *json, int zh)
{
	lxw_workbook_options	 opts = { .constant_memory = LXW_TRUE };
	struct book		 b;
	lxw_error		 rc;

	memset(&b, 0, sizeof(b));
	b.ctl = ctl;
	b.zh = zh;
	if ((b.wb = workbook_new_opt(path, &opts)) == NULL ||
	    (b.ws = workbook_add_worksheet(b.wb, zh ? "隐患" : "hazards")) ==
	    NULL) {
		fprintf(stderr, _("hazardctl: export: %s: cannot make a "
		    "workbook\n"), path);
		if (b.wb != NULL)
			workbook_close(b.wb);
		return -1;
	}
	b.head = workbook_add_format(b.wb);
	format_set_bold(b.head);
	b.date = workbook_add_format(b.wb);
	format_set_num_format(b.date, "yyyy-mm-dd");
	b.time = workbook_add_format(b.wb);
	format_set_num_format(b.time, "yyyy-mm-dd hh:mm");
	if (write_head(&b, zh) == -1 || read_export(&b, json) == -1) {
		workbook_close(b.wb);
		remove(path);
		return -1;
	}
	worksheet_autofilter(b.ws, 0, 0, b.row, COLUMNS_MAX - 1);
	if ((rc = workbook_close(b.wb)) != LXW_NO_ERROR) {
		fprintf(stderr, _("hazardctl: export: %s: %s\n"), path,
		    lxw_strerror(rc));
		return -1;
	}
	return 0;
}
