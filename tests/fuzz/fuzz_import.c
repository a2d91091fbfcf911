/*
 * CSV import: the reader (csv.c) and the header and rows (import.c).
 * A record written out again (every field quoted) reads as the same
 * fields; a good row, exported as api_export writes it, imports again
 * as the same hazard (SPEC: an export imports again as it was).
 */
#include "csv.h"
#include "date.h"
#include "import.h"
#include "utf8.h"
#include "xmalloc.h"
#include "fuzz.h"

/* "Now" for every row: 2026-11-25 09:00 in Shanghai. */
#define FUZZ_NOW	((time_t)1795568400)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_timezone();
	return 0;
}

/* Appends n bytes to a growing buffer. */
static void
append(char **buf, size_t *len, const char *s, size_t n)
{
	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Appends a field quoted, its quotes doubled, and a comma or CRLF. */
static void
append_field(char **buf, size_t *len, const char *s, size_t n, int last)
{
	size_t	i;

	append(buf, len, "\"", 1);
	for (i = 0; i < n; i++) {
		append(buf, len, s + i, 1);
		if (s[i] == '"')
			append(buf, len, "\"", 1);
	}
	append(buf, len, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

/* The current record, written out and read again, is the same. */
static void
check_record(const struct csv *c)
{
	struct csv	 c2;
	const char	*a, *b;
	char		*text = NULL;
	size_t		 len = 0, alen, blen;
	int		 i;

	for (i = 0; i < c->nfields; i++) {
		a = csv_field(c, i, &alen);
		append_field(&text, &len, a, alen, i == c->nfields - 1);
	}
	csv_init(&c2, text, len);
	FUZZ_CHECK(csv_next(&c2) == 1);
	FUZZ_CHECK(c2.nfields == c->nfields);
	for (i = 0; i < c->nfields; i++) {
		a = csv_field(c, i, &alen);
		b = csv_field(&c2, i, &blen);
		FUZZ_CHECK(alen == blen && memcmp(a, b, alen) == 0);
	}
	FUZZ_CHECK(csv_next(&c2) == 0);
	csv_free(&c2);
	free(text);
}

/* A text value taken is whole: no NUL in it, good for its column. */
static void
check_value(const char *s, size_t len)
{
	FUZZ_CHECK(s != NULL && strlen(s) == len);
}

/* Writes a hazard as an export does: every column, in its order. */
static char *
export_row(const struct import_row *row, size_t *len)
{
	const struct hazard	*h = &row->h;
	const char		*v;
	char			*text = NULL, buf[64];
	int			 col, f;

	*len = 0;
	for (col = 0; col < IMPORT__MAX; col++)
		append_field(&text, len, import_column_name(col),
		    strlen(import_column_name(col)), col == IMPORT__MAX - 1);
	for (col = 0; col < IMPORT__MAX; col++) {
		v = NULL;
		if ((f = hazard_field_parse(import_column_name(col))) >= 0)
			v = h->text[f];
		else if (col == IMPORT_KIND)
			v = hazard_kind_name(h->kind);
		else if (col == IMPORT_GRADE)
			v = hazard_grade_name(h->grade);
		else if (col == IMPORT_STATE)
			v = hazard_state_name(h->state);
		else if (col == IMPORT_SCHOOL)
			v = row->school;
		else if (col == IMPORT_KEY)
			v = row->key;
		else if (col == IMPORT_REPORTED_AT)
			v = date_rfc3339(buf, sizeof(buf), h->reported_at);
		else if (col == IMPORT_CLOSED_AT && h->closed_at != 0)
			v = date_rfc3339(buf, sizeof(buf), h->closed_at);
		else if (col == IMPORT_RECTIFIED_AT &&
		    row->trail.rectified_at != 0)
			v = date_rfc3339(buf, sizeof(buf),
			    row->trail.rectified_at);
		else if (col == IMPORT_RECTIFY_NOTE)
			v = row->trail.rectify_note;
		else if (col == IMPORT_REJECT_NOTE)
			v = row->trail.reject_note;
		if (v == NULL)
			v = "";
		append_field(&text, len, v, strlen(v), col == IMPORT__MAX - 1);
	}
	return text;
}

/* A good row: its values, and its export imported again. */
static void
check_row(const struct import_header *hd, const struct csv *c,
    const struct import_row *row)
{
	const struct hazard	*h = &row->h, *h2;
	struct import_header	 hd2;
	struct import_errors	 e2;
	struct import_row	 row2;
	struct csv		 c2;
	const char		*v;
	char			*text;
	size_t			 len;
	int			 f, col;

	FUZZ_CHECK(hazard_kind_name(h->kind) != NULL);
	FUZZ_CHECK(hazard_grade_name(h->grade) != NULL);
	FUZZ_CHECK(hazard_state_name(h->state) != NULL);
	FUZZ_CHECK(h->text[FIELD_TITLE] != NULL);
	FUZZ_CHECK(h->text[FIELD_CATEGORY] != NULL);
	for (col = 0; col < IMPORT__MAX; col++) {
		if ((v = import_value(hd, c, col, &len)) != NULL)
			check_value(v, len);
	}
	for (f = 0; f < FIELD__MAX; f++)
		if (h->text[f] != NULL)
			FUZZ_CHECK(hazard_field_check(f, h->text[f],
			    strlen(h->text[f])) == NULL);
	FUZZ_CHECK(row->school != NULL &&
	    hazard_school_code_valid(row->school));
	FUZZ_CHECK(row->key == NULL || hazard_key_valid(row->key));
	FUZZ_CHECK(h->reported_at <= FUZZ_NOW);
	if (h->state == STATE_CLOSED)
		FUZZ_CHECK(h->closed_at >= h->reported_at &&
		    h->closed_at <= FUZZ_NOW);
	else
		FUZZ_CHECK(h->closed_at == 0);

	text = export_row(row, &len);
	memset(&e2, 0, sizeof(e2));
	csv_init(&c2, text, len);
	FUZZ_CHECK(csv_next(&c2) == 1);
	FUZZ_CHECK(import_header_read(&hd2, IMPORT_HAZARDS, &c2, &e2) == 0);
	FUZZ_CHECK(csv_next(&c2) == 1);
	if (import_row_read(&hd2, &c2, FUZZ_NOW, &row2, &e2) != 0) {
		fprintf(stderr, "exported as:\n%s\nrefused: %s: %s\n", text,
		    e2.list[0].field ? e2.list[0].field : "-",
		    e2.list[0].message);
		FUZZ_CHECK(!"an exported row imports again");
	}
	h2 = &row2.h;
	FUZZ_CHECK(h->kind == h2->kind && h->grade == h2->grade &&
	    h->state == h2->state);
	FUZZ_CHECK(row->trail.rectified_at == row2.trail.rectified_at &&
	    row->trail.rejected == row2.trail.rejected &&
	    h->cancelled_at == h2->cancelled_at);
	FUZZ_CHECK((row->trail.rectify_note == NULL) ==
	    (row2.trail.rectify_note == NULL) &&
	    (row->trail.reject_note == NULL) ==
	    (row2.trail.reject_note == NULL));
	for (f = 0; f < FIELD__MAX; f++) {
		FUZZ_CHECK((h->text[f] == NULL) == (h2->text[f] == NULL));
		FUZZ_CHECK(h->text[f] == NULL ||
		    strcmp(h->text[f], h2->text[f]) == 0);
	}
	FUZZ_CHECK(strcmp(row->school, row2.school) == 0);
	FUZZ_CHECK((row->key == NULL) == (row2.key == NULL));
	FUZZ_CHECK(row->key == NULL || strcmp(row->key, row2.key) == 0);
	if (h->reported_at != h2->reported_at || h->closed_at != h2->closed_at)
		fprintf(stderr, "exported as:\n%s\n", text);
	FUZZ_CHECK(h->reported_at == h2->reported_at);
	FUZZ_CHECK(h->closed_at == h2->closed_at);
	FUZZ_CHECK(h->updated_at == h2->updated_at);
	csv_free(&c2);
	import_errors_free(&e2);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct csv		c;
	struct import_header	hd;
	struct import_errors	e;
	struct import_row	row;
	char			key[IMPORT_KEY_LEN];
	int			rc, header = 0;
	long			before;

	memset(&e, 0, sizeof(e));
	csv_init(&c, (const char *)data, len);
	while ((rc = csv_next(&c)) == 1) {
		FUZZ_CHECK(c.nfields >= 1 && c.nfields <= CSV_MAX_FIELDS);
		check_record(&c);
		if (!header) {
			if (import_header_read(&hd, IMPORT_HAZARDS, &c, &e) == -1)
				break;
			header = 1;
			continue;
		}
		before = e.total;
		switch (import_row_read(&hd, &c, FUZZ_NOW, &row, &e)) {
		case 0:
			FUZZ_CHECK(e.total == before);
			check_row(&hd, &c, &row);
			FUZZ_CHECK(import_row_key(&hd, &c, key) == 0);
			FUZZ_CHECK(strlen(key) == 44 && hazard_key_valid(key));
			break;
		case 1:
			FUZZ_CHECK(csv_blank(&c));
			break;
		default:
			/* A bad row names at least one problem. */
			FUZZ_CHECK(e.total > before);
			break;
		}
	}
	if (rc == -1)
		FUZZ_CHECK(c.error != NULL);
	import_errors_sort(&e);
	csv_free(&c);
	import_errors_free(&e);
	return 0;
}
