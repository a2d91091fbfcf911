/*
 * Importing historic records: the columns, the header, and the checks
 * of a row, every problem recorded with its row and column.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "activity.h"
#include "columns.h"
#include "date.h"
#include "import.h"
#include "safetext.h"
#include "utf8.h"
#include "wire.h"
#include "xmalloc.h"

/* Whether an import reads a column (IGNORED: never), and how. */
#define READ	0
#define IGNORED	1
/* Added since keys were first made: in a row's key only with a value. */
#define LATER	2

/* What an import does with each column, in the order of columns[]. */
static const int column_flags[IMPORT__MAX] = {
	[IMPORT_ID] = IGNORED,
	[IMPORT_SCHOOL_NAME] = IGNORED,
	[IMPORT_RECTIFIED_AT] = LATER,
	[IMPORT_RECTIFY_NOTE] = LATER,
	[IMPORT_REJECT_NOTE] = LATER
};
_Static_assert(IMPORT__MAX == COLUMNS_MAX, "the columns of columns.c");
#define column_names(i)	(columns[i].name)

/* The same of a file of activities. */
static const int activity_flags[IMPORT_A__MAX] = {
	[IMPORT_A_ID] = IGNORED,
	[IMPORT_A_SCHOOL_NAME] = IGNORED,
	[IMPORT_A_RECORDED_BY] = IGNORED,
	[IMPORT_A_RECORDED_AT] = IGNORED
};
_Static_assert(IMPORT_A__MAX == ACTIVITY_COLUMNS_MAX,
    "the activity columns of columns.c");
static const int activity_required[] = {
	IMPORT_A_SCHOOL, IMPORT_A_TYPE, IMPORT_A_DATE, -1
};
static const int hazard_required[] = {
	IMPORT_SCHOOL, IMPORT_CATEGORY, IMPORT_TITLE, IMPORT_REPORTED_AT, -1
};

/* The columns, flags and required columns of a file of records. */
static const struct {
	const struct column	*columns;
	const int		*flags;
	const int		*required;
	int			 n;
} records[] = {
	[IMPORT_HAZARDS] = { columns, column_flags, hazard_required,
	    IMPORT__MAX },
	[IMPORT_ACTIVITIES] = { activity_columns, activity_flags,
	    activity_required, IMPORT_A__MAX }
};

const char *
import_column_name(enum import_column col)
{
	return (unsigned)col < IMPORT__MAX ? columns[col].name : NULL;
}

const char *
import_column_zh(enum import_column col)
{
	return (unsigned)col < IMPORT__MAX ? columns[col].zh : NULL;
}

void
import_error(struct import_errors *e, long row, const char *field,
    const char *code, const char *value, const char *fmt, ...)
{
	struct import_error	*err;
	va_list			 ap;

	e->total++;
	if (row != e->last_row)
		e->rows++;
	e->last_row = row;
	if (e->n == IMPORT_ERRORS_MAX)
		return;
	/*
	 * Grown as needed: most files have a few problems, and 1000 at
	 * once (280 KB) made each bad file cost a large allocation.
	 */
	if (e->n == e->cap) {
		e->cap = e->cap == 0 ? 16 : e->cap * 2;
		if (e->cap > IMPORT_ERRORS_MAX)
			e->cap = IMPORT_ERRORS_MAX;
		e->list = xreallocarray(e->list, e->cap, sizeof(*e->list));
	}
	err = &e->list[e->n++];
	err->row = row;
	err->field = field;
	err->code = code;
	err->value[0] = '\0';
	if (value != NULL && strlen(value) <= IMPORT_VALUE_MAX &&
	    utf8_count(value, strlen(value)) != -1)
		snprintf(err->value, sizeof(err->value), "%s", value);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/* Orders pointers to problems by row, then by their place in the list. */
static int
error_cmp(const void *a, const void *b)
{
	const struct import_error	*x, *y;

	x = *(const struct import_error *const *)a;
	y = *(const struct import_error *const *)b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x < y ? -1 : x > y;
}

void
import_errors_sort(struct import_errors *e)
{
	const struct import_error	**order;
	struct import_error		 *sorted;
	size_t				  i;

	if (e->n < 2)
		return;
	/* qsort is not stable: the place in the list decides ties. */
	order = xreallocarray(NULL, e->n, sizeof(*order));
	for (i = 0; i < e->n; i++)
		order[i] = &e->list[i];
	qsort(order, e->n, sizeof(*order), error_cmp);
	sorted = xreallocarray(NULL, e->n, sizeof(*sorted));
	for (i = 0; i < e->n; i++)
		sorted[i] = *order[i];
	free(order);
	free(e->list);
	e->list = sorted;
	e->cap = e->n;
}

void
import_errors_free(struct import_errors *e)
{
	free(e->list);
	memset(e, 0, sizeof(*e));
}

/* Whether the n bytes at s are the name. */
static int
same(const char *name, const char *s, size_t n)
{
	return strlen(name) == n && memcmp(name, s, n) == 0;
}

/*
 * The Chinese names exports wrote before they said what hazardctl show
 * says: files exported then import as they did.
 */
static const struct {
	const char	*was;
	const char	*name;
} renamed[] = {
	{ "研判", "assessment" },
	{ "资金", "funds" },
};

/*
 * The column of a file of what named by the n bytes at s, in English or
 * Chinese, or -1.
 */
static int
column_find(enum import_records what, const char *s, size_t n)
{
	const struct column	*cols = records[what].columns;
	size_t			 r;
	int			 i;

	for (r = 0; r < sizeof(renamed) / sizeof(renamed[0]); r++)
		if (what == IMPORT_HAZARDS && same(renamed[r].was, s, n)) {
			s = renamed[r].name;
			n = strlen(s);
		}
	for (i = 0; i < records[what].n; i++)
		if (same(cols[i].name, s, n) || same(cols[i].zh, s, n))
			return i;
	return -1;
}

int
import_header_read(struct import_header *hd, enum import_records what,
    const struct csv *c, struct import_errors *e)
{
	const struct column	*cols = records[what].columns;
	const int		*req = records[what].required;
	const char		*name;
	char			 num[16];
	size_t			 len;
	long			 before = e->total;
	int			 col, f;

	for (col = 0; col < IMPORT__MAX; col++)
		hd->col[col] = -1;
	hd->records = what;
	hd->nfields = c->nfields;
	for (f = 0; f < c->nfields; f++) {
		name = csv_field(c, f, &len);
		snprintf(num, sizeof(num), "%d", f + 1);
		if (len == 0)
			import_error(e, c->record, NULL, "unnamed_column", num,
			    "column %d has no name", f + 1);
		else if ((col = column_find(what, name, len)) >= 0 &&
		    hd->col[col] >= 0)
			import_error(e, c->record, cols[col].name,
			    "column_twice", NULL, "the column is named twice");
		else if (col >= 0)
			hd->col[col] = f;
		else if (len > 40 || utf8_count(name, len) == -1)
			import_error(e, c->record, NULL, "unknown_column",
			    NULL, "column %d: unknown name", f + 1);
		else
			import_error(e, c->record, NULL, "unknown_column",
			    name, "column %d: unknown name '%s'", f + 1, name);
	}
	for (; *req >= 0; req++)
		if (hd->col[*req] < 0)
			import_error(e, c->record, cols[*req].name,
			    "column_required", NULL, "the column is required");
	return e->total > before ? -1 : 0;
}

const char *
import_value(const struct import_header *hd, const struct csv *c, int col,
    size_t *len)
{
	const char	*s;

	*len = 0;
	if (hd->col[col] < 0)
		return NULL;
	s = csv_field(c, hd->col[col], len);
	/* The guard an export puts before what looks like a formula. */
	if (*len > 0 && s[0] == SAFETEXT_CSV_GUARD) {
		s++;
		(*len)--;
	}
	return *len == 0 ? NULL : s;
}

/*
 * Reads two digits at *p, or one if min is 1 and no second follows,
 * into *v and moves *p past them.  0, or -1.
 */
static int
digits(const char **p, int min, int *v)
{
	const char	*s = *p;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	if (!isdigit((unsigned char)s[1])) {
		if (min > 1)
			return -1;
		*v = s[0] - '0';
		*p = s + 1;
		return 0;
	}
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	*p = s + 2;
	return 0;
}

/*
 * Parses a local date "YYYY-MM-DD", or a local time "YYYY-MM-DD HH:MM"
 * or "YYYY-MM-DD HH:MM:SS" (what an export for Excel writes), with "/"
 * for "-" and one digit where two would begin with 0 (what Excel writes
 * again in a Chinese locale: "2026/12/5 9:41").  For a date, the start
 * of that day, and *next that of the day after; else *next is 0.
 * Returns 0, or -1.
 */
static int
parse_local(const char *s, time_t *t, time_t *next)
{
	char	sep;
	int	c, y, mo, d, h = 0, mi = 0, sec = 0;

	if (digits(&s, 2, &c) == -1 || digits(&s, 2, &y) == -1 ||
	    ((sep = *s) != '-' && sep != '/') || (s++,
	    digits(&s, 1, &mo) == -1) || *s++ != sep ||
	    digits(&s, 1, &d) == -1)
		return -1;
	y += 100 * c;
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > date_days_in_month(y, mo))
		return -1;
	*next = 0;
	if (*s == '\0') {
		*next = date_local_time(y, mo, d + 1, 0, 0);
		*t = date_local_time(y, mo, d, 0, 0);
		return *t == (time_t)-1 || *next == (time_t)-1 ? -1 : 0;
	}
	if (*s++ != ' ' || digits(&s, 1, &h) == -1 || *s++ != ':' ||
	    digits(&s, 2, &mi) == -1 || (*s == ':' && (s++,
	    digits(&s, 2, &sec) == -1)) || *s != '\0' || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	if ((*t = date_local_time(y, mo, d, h, mi)) == (time_t)-1)
		return -1;
	*t += sec;
	return 0;
}

/*
 * Parses an instant: RFC 3339, or a local date or time (parse_local).
 * *next is the start of the next day for a date, else 0.
 */
static int
parse_instant(const char *s, time_t *t, time_t *next)
{
	*next = 0;
	if (date_parse_rfc3339(s, t) == 0)
		return 0;
	return parse_local(s, t, next);
}

/* What an instant's column expects. */
static const char expect_instant[] = "expected an RFC 3339 instant, a "
    "local time YYYY-MM-DD HH:MM or a date YYYY-MM-DD (or YYYY/M/D)";

/* Reads reported_at; 0, or -1 recorded. */
static int
read_reported(const struct import_header *hd, const struct csv *c,
    time_t now, struct hazard *h, struct import_errors *e)
{
	const char	*v, *name = column_names(IMPORT_REPORTED_AT);
	size_t		 len;
	time_t		 next;

	if ((v = import_value(hd, c, IMPORT_REPORTED_AT, &len)) == NULL) {
		import_error(e, c->record, name, "missing_field", NULL,
		    "required");
		return -1;
	}
	if (parse_instant(v, &h->reported_at, &next) == -1) {
		import_error(e, c->record, name, "invalid_date", v, "%s",
		    expect_instant);
		return -1;
	}
	if (h->reported_at > now) {
		import_error(e, c->record, name, "in_future", v,
		    "in the future");
		return -1;
	}
	return 0;
}

/*
 * Reads closed_at, which a closed hazard has and no other: not before
 * reported_at (a date on the day of the report means the report's
 * instant) nor in the future.  0, or -1 recorded.
 */
static int
read_closed(const struct import_header *hd, const struct csv *c,
    time_t now, struct hazard *h, struct import_errors *e)
{
	const char	*v, *name = column_names(IMPORT_CLOSED_AT);
	size_t		 len;
	time_t		 next;

	v = import_value(hd, c, IMPORT_CLOSED_AT, &len);
	if (h->state != STATE_CLOSED) {
		if (v == NULL)
			return 0;
		import_error(e, c->record, name, "only_closed", NULL,
		    "only a closed hazard has one");
		return -1;
	}
	if (v == NULL) {
		import_error(e, c->record, name, "missing_field", NULL,
		    "required for a closed hazard");
		return -1;
	}
	if (parse_instant(v, &h->closed_at, &next) == -1) {
		import_error(e, c->record, name, "invalid_date", v, "%s",
		    expect_instant);
		return -1;
	}
	if (next != 0 && h->closed_at < h->reported_at &&
	    h->reported_at < next)
		h->closed_at = h->reported_at;
	if (h->closed_at < h->reported_at) {
		import_error(e, c->record, name, "before_report", v,
		    "before reported_at");
		return -1;
	}
	if (h->closed_at > now) {
		import_error(e, c->record, name, "in_future", v,
		    "in the future");
		return -1;
	}
	return 0;
}

/* Whether a note (or none) is good, as an action's: 1, or 0 recorded. */
static int
note_good(const struct csv *c, const char *note, int col,
    struct import_errors *e)
{
	long	n;

	if (note == NULL)
		return 1;
	if ((n = utf8_count(note, strlen(note))) == -1)
		import_error(e, c->record, column_names(col), "not_utf8",
		    NULL, "not valid UTF-8 text");
	else if (n > HAZARD_TEXT_MAX)
		import_error(e, c->record, column_names(col), "too_long",
		    NULL, "longer than %d characters", HAZARD_TEXT_MAX);
	return n != -1 && n <= HAZARD_TEXT_MAX;
}

/*
 * Reads the trail's columns: rectified_at and its note, which a
 * rectified, closed or cancelled hazard may have, and an open one that
 * the office rejected after it; the rejection's note, which only the
 * last may have.  A rectification is not before the report nor after
 * the close (a date on the day of the report means the report's
 * instant).  0, or -1 recorded.
 */
static int
read_trail(const struct import_header *hd, const struct csv *c,
    time_t now, struct import_row *row, struct import_errors *e)
{
	const struct hazard	*h = &row->h;
	struct import_trail	*tr = &row->trail;
	const char		*v, *name = column_names(IMPORT_RECTIFIED_AT);
	size_t			 len;
	time_t			 t, next;

	tr->rectify_note = import_value(hd, c, IMPORT_RECTIFY_NOTE, &len);
	tr->reject_note = import_value(hd, c, IMPORT_REJECT_NOTE, &len);
	if ((v = import_value(hd, c, IMPORT_RECTIFIED_AT, &len)) != NULL) {
		if (parse_instant(v, &t, &next) == -1) {
			import_error(e, c->record, name, "invalid_date", v,
			    "%s", expect_instant);
			return -1;
		}
		if (next != 0 && t < h->reported_at && h->reported_at < next)
			t = h->reported_at;
		if (t < h->reported_at || t > now ||
		    (h->state == STATE_CLOSED && t > h->closed_at)) {
			import_error(e, c->record, name, t > now ?
			    "in_future" : t < h->reported_at ?
			    "before_report" : "after_close", v, "%s", t > now ?
			    "in the future" : t < h->reported_at ?
			    "before reported_at" : "after closed_at");
			return -1;
		}
		tr->rectified_at = t;
		tr->rejected = h->state == STATE_OPEN;
	} else if (h->state == STATE_RECTIFIED)
		tr->rectified_at = h->reported_at;
	else if (h->state == STATE_CLOSED)
		tr->rectified_at = h->closed_at;
	if (tr->rectify_note != NULL && tr->rectified_at == 0) {
		import_error(e, c->record, column_names(IMPORT_RECTIFY_NOTE),
		    "note_without_rectification", NULL, "only a hazard "
		    "rectified (with its rectified_at) has one");
		return -1;
	}
	if (tr->reject_note != NULL && !tr->rejected) {
		import_error(e, c->record, column_names(IMPORT_REJECT_NOTE),
		    "note_without_rejection", NULL, "only an open hazard "
		    "rectified before (with its rectified_at) has one");
		return -1;
	}
	if (!note_good(c, tr->rectify_note, IMPORT_RECTIFY_NOTE, e) ||
	    !note_good(c, tr->reject_note, IMPORT_REJECT_NOTE, e))
		return -1;
	return 0;
}

/*
 * Reads the word of a column (empty: the default already in *out) with
 * parse.  Returns 0, or -1 recorded with what was expected.
 */
static int
read_word(const struct import_header *hd, const struct csv *c, int col,
    int (*parse)(const char *), const char *expected, int *out,
    struct import_errors *e)
{
	const char	*v;
	size_t		 len;
	int		 w;

	if ((v = import_value(hd, c, col, &len)) == NULL)
		return 0;
	/* In the words of the wire, or in Chinese (待整改). */
	if ((w = parse(wire_word(v))) == -1) {
		import_error(e, c->record, column_names(col), "invalid_field",
		    v, "expected %s", expected);
		return -1;
	}
	*out = w;
	return 0;
}

/* The code of a problem hazard_field_check() found. */
static const char *
why_code(const char *why)
{
	if (strncmp(why, "not valid UTF-8", 15) == 0)
		return "not_utf8";
	if (strncmp(why, "longer than", 11) == 0)
		return "too_long";
	if (strncmp(why, "must not be empty", 17) == 0)
		return "empty";
	if (strncmp(why, "not a calendar date", 19) == 0)
		return "invalid_date";
	return "invalid_field";
}

/* Reads the text columns, title and category required.  0, or -1. */
static int
read_texts(const struct import_header *hd, const struct csv *c,
    struct hazard *h, struct import_errors *e)
{
	const char	*v, *why;
	size_t		 len;
	int		 col, f, bad = 0;

	for (col = 0; col < IMPORT__MAX; col++) {
		if ((f = hazard_field_parse(column_names(col))) < 0)
			continue;
		if ((v = import_value(hd, c, col, &len)) == NULL) {
			if (f == FIELD_TITLE || f == FIELD_CATEGORY) {
				import_error(e, c->record, column_names(col),
				    "missing_field", NULL, "required");
				bad = 1;
			}
			continue;
		}
		if ((why = hazard_field_check(f, v, len)) != NULL) {
			import_error(e, c->record, column_names(col),
			    why_code(why), f == FIELD_DEADLINE ? v : NULL,
			    "%s", why);
			bad = 1;
			continue;
		}
		h->text[f] = (char *)v;
	}
	return bad ? -1 : 0;
}

/*
 * Checks that a closed major hazard has what SPEC asks before it
 * closes, by the domain's own rule: every field it misses is recorded.
 */
static int
check_major(const struct csv *c, const struct hazard *h,
    struct import_errors *e)
{
	struct hazard		 copy = *h;
	enum hazard_state	 to;
	const char		*missing = NULL;
	int			 f, bad = 0;

	if (h->state != STATE_CLOSED)
		return 0;
	copy.state = STATE_RECTIFIED;
	while (hazard_transition(&copy, ACTION_VERIFY, ROLE_OFFICE, &to,
	    &missing) == VERDICT_INCOMPLETE) {
		if ((f = hazard_field_parse(missing)) < 0)
			break;
		import_error(e, c->record, hazard_field_name(f),
		    "closed_major_needs", NULL, "a closed major hazard needs "
		    "one");
		copy.text[f] = (char *)"-";
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
import_row_read(const struct import_header *hd, const struct csv *c,
    time_t now, struct import_row *row, struct import_errors *e)
{
	struct hazard	*h = &row->h;
	char		 num[16];
	size_t		 len;
	int		 kind = KIND_HAZARD, grade = GRADE_GENERAL;
	int		 state = STATE_OPEN, bad = 0, when_bad = 0;

	memset(row, 0, sizeof(*row));
	if (csv_blank(c))
		return 1;
	if (c->nfields != hd->nfields) {
		snprintf(num, sizeof(num), "%d", c->nfields);
		import_error(e, c->record, NULL, "field_count", num, "%d "
		    "fields where the header has %d", c->nfields, hd->nfields);
		return -1;
	}
	bad |= read_word(hd, c, IMPORT_KIND, hazard_kind_parse,
	    "hazard or finding", &kind, e) == -1;
	bad |= read_word(hd, c, IMPORT_GRADE, hazard_grade_parse,
	    "general or major", &grade, e) == -1;
	when_bad = read_word(hd, c, IMPORT_STATE, hazard_state_parse,
	    "open, rectified, closed or cancelled", &state, e) == -1;
	h->kind = kind;
	h->grade = grade;
	h->state = state;
	bad |= read_texts(hd, c, h, e) == -1;
	row->school = import_value(hd, c, IMPORT_SCHOOL, &len);
	if (row->school == NULL || !hazard_school_code_valid(row->school)) {
		import_error(e, c->record, "school", row->school == NULL ?
		    "missing_field" : "invalid_field", row->school, "%s",
		    row->school == NULL ? "required" :
		    "not a school code (1-32 of A-Z a-z 0-9 - _)");
		row->school = NULL;
		bad = 1;
	}
	when_bad |= read_reported(hd, c, now, h, e) == -1;
	/* closed_at depends on the state and on reported_at. */
	if (!when_bad && read_closed(hd, c, now, h, e) == -1)
		when_bad = 1;
	if (!when_bad && read_trail(hd, c, now, row, e) == -1)
		when_bad = 1;
	row->key = import_value(hd, c, IMPORT_KEY, &len);
	if (row->key != NULL && !hazard_key_valid(row->key)) {
		import_error(e, c->record, "key", "invalid_field", row->key,
		    "expected 1-200 printable ASCII characters, no spaces");
		bad = 1;
	}
	if (!bad && !when_bad && check_major(c, h, e) == -1)
		bad = 1;
	if (bad || when_bad)
		return -1;
	h->updated_at = h->state == STATE_CLOSED ? h->closed_at :
	    h->reported_at;
	/* A cancellation the file does not date: at the last it tells. */
	if (h->state == STATE_CANCELLED)
		h->cancelled_at = row->trail.rectified_at > h->reported_at ?
		    row->trail.rectified_at : h->reported_at;
	return 0;
}

int
import_activity_read(const struct import_header *hd, const struct csv *c,
    const char *today, struct import_activity *row, struct import_errors *e)
{
	const struct activity_kind	*k;
	const char			*v;
	char				*end, num[16];
	size_t				 len;
	long long			 n;
	int				 bad = 0;

	memset(row, 0, sizeof(*row));
	row->count = 1;
	if (csv_blank(c))
		return 1;
	if (c->nfields != hd->nfields) {
		snprintf(num, sizeof(num), "%d", c->nfields);
		import_error(e, c->record, NULL, "field_count", num, "%d "
		    "fields where the header has %d", c->nfields, hd->nfields);
		return -1;
	}
	row->school = import_value(hd, c, IMPORT_A_SCHOOL, &len);
	if (row->school == NULL || !hazard_school_code_valid(row->school)) {
		import_error(e, c->record, "school", row->school == NULL ?
		    "missing_field" : "invalid_field", row->school, "%s",
		    row->school == NULL ? "required" :
		    "not a school code (1-32 of A-Z a-z 0-9 - _)");
		row->school = NULL;
		bad = 1;
	}
	if ((v = import_value(hd, c, IMPORT_A_TYPE, &len)) == NULL ||
	    (k = activity_type_find(v)) == NULL) {
		import_error(e, c->record, "type", v == NULL ?
		    "missing_field" : "unknown_activity_type", v, "%s",
		    v == NULL ? "required" : "unknown type; the types are "
		    "agreement, warning, drill, lesson, inspection, training");
		bad = 1;
	} else
		row->type = k->code;
	v = import_value(hd, c, IMPORT_A_SUBTYPE, &len);
	if (row->type != NULL && v != NULL) {
		if ((k = activity_subtype_find(row->type, v)) == NULL) {
			import_error(e, c->record, "subtype",
			    "unknown_activity_subtype", v, "unknown subtype "
			    "of a %s", row->type);
			bad = 1;
		} else
			row->subtype = k->code;
	} else if (row->type != NULL &&
	    strcmp(row->type, ACTIVITY_DRILL) == 0) {
		import_error(e, c->record, "subtype", "missing_field", NULL,
		    "a drill needs its subtype");
		bad = 1;
	}
	if ((v = import_value(hd, c, IMPORT_A_DATE, &len)) == NULL ||
	    date_normalise(v, row->date) == -1) {
		import_error(e, c->record, "date", v == NULL ?
		    "missing_field" : "invalid_date", v, "%s", v == NULL ?
		    "required" : "expected YYYY-MM-DD");
		bad = 1;
	} else if (strcmp(row->date, today) > 0) {
		import_error(e, c->record, "date", "date_future", v,
		    "%s is after today (%s)", row->date, today);
		bad = 1;
	}
	if ((v = import_value(hd, c, IMPORT_A_COUNT, &len)) != NULL) {
		n = strtoll(v, &end, 10);
		if (*end != '\0' || n <= 0 || n > 1000000) {
			import_error(e, c->record, "count", "bad_count", v,
			    "expected a whole number from 1 to 1000000");
			bad = 1;
		}
		row->count = (long)n;
	}
	if ((v = import_value(hd, c, IMPORT_A_NOTE, &len)) != NULL) {
		if (utf8_count(v, len) == -1 ||
		    utf8_count(v, len) > HAZARD_TEXT_MAX) {
			import_error(e, c->record, "note", "too_long", NULL,
			    "expected up to 4000 characters of text");
			bad = 1;
		}
		row->note = v;
	}
	row->key = import_value(hd, c, IMPORT_A_KEY, &len);
	if (row->key != NULL && !hazard_key_valid(row->key)) {
		import_error(e, c->record, "key", "invalid_field", row->key,
		    "expected 1-200 printable ASCII characters, no spaces");
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
import_row_key(const struct import_header *hd, const struct csv *c,
    char out[IMPORT_KEY_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0, i;
	const char	*v;
	char		 n[32];
	size_t		 len;
	int		 col, flags, ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	/*
	 * Each value as "LENGTH:BYTES", in column order: unambiguous.  The
	 * columns an import ignores are left out, and those added since
	 * keys were first made are left out when empty, so that a file
	 * keeps the keys it had.
	 */
	for (col = 0; ok && col < records[hd->records].n; col++) {
		flags = records[hd->records].flags[col];
		if (strcmp(records[hd->records].columns[col].name, "key") ==
		    0 || (flags & IGNORED))
			continue;
		if ((v = import_value(hd, c, col, &len)) == NULL &&
		    (flags & LATER))
			continue;
		if (v == NULL)
			v = "";
		snprintf(n, sizeof(n), "%zu:", len);
		ok = EVP_DigestUpdate(ctx, n, strlen(n)) == 1 &&
		    EVP_DigestUpdate(ctx, v, len) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen >= 20;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	memcpy(out, "csv-", 4);
	for (i = 0; i < 20; i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", md[i]);
	return 0;
}
