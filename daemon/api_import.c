/*
 * POST /v1/import: historic records from a district's spreadsheet, as
 * CSV (office only, by the route table).  All or nothing: every row is
 * checked first and every problem answered; only a good file goes in,
 * in one transaction, each new row with its audit trail.  A row whose
 * key its school already has is skipped, so importing again is safe.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "api.h"
#include "db.h"
#include "import.h"
#include "log.h"
#include "metrics.h"
#include "xmalloc.h"

/* A good row of the file, in the file's order. */
struct pending {
	long	 row;
	int64_t	 school_id;
	char	*key;
	int	 derived;	/* the key was made from the row */
	int	 skip;		/* its school has the key already */
	int	 dup;		/* refused: its key again */
};

/* One import under way. */
struct import {
	struct request		*r;
	const char		*text;
	size_t			 len;
	struct import_header	 hd;
	struct import_errors	 errs;
	struct pending		*rows;
	size_t			 n;
	size_t			 cap;
	char			*school;	/* the last one looked up */
	int64_t			 school_id;
	int64_t			 imported;
	int64_t			 skipped;
};

/*
 * Returns 1 if the Content-Type is text/csv, in UTF-8 if it names a
 * charset.
 */
static int
is_csv_type(const char *type)
{
	const char	*cs;
	size_t		 n = strlen("text/csv");

	if (type == NULL)
		return 0;
	type += strspn(type, " ");
	if (strncasecmp(type, "text/csv", n) != 0 ||
	    (type[n] != '\0' && type[n] != ';' && type[n] != ' '))
		return 0;
	for (cs = type + n; *cs != '\0'; cs++)
		if (strncasecmp(cs, "charset=", 8) == 0)
			break;
	if (*cs == '\0')
		return 1;
	cs += 8;
	if (*cs == '"')
		cs++;
	return strncasecmp(cs, "utf-8", 5) == 0 &&
	    strchr("\"; ", cs[5]) != NULL;
}

/* Finds a school by code, remembering the last one.  STORE_*. */
static int
school_find(struct import *im, const char *code, int64_t *id)
{
	struct school	s;
	int		rc;

	if (im->school != NULL && strcmp(im->school, code) == 0) {
		*id = im->school_id;
		return STORE_OK;
	}
	if ((rc = store_school_find(code, &s, NULL)) != STORE_OK)
		return rc;
	free(im->school);
	im->school = xstrdup(code);
	*id = im->school_id = s.id;
	return STORE_OK;
}

/* Adds a good row. */
static void
pending_add(struct import *im, long row, int64_t school_id,
    const char *key, int derived)
{
	struct pending	*p;

	if (im->n == im->cap) {
		im->cap = im->cap == 0 ? 1024 : im->cap * 2;
		im->rows = xreallocarray(im->rows, im->cap, sizeof(*im->rows));
	}
	p = &im->rows[im->n++];
	memset(p, 0, sizeof(*p));
	p->row = row;
	p->school_id = school_id;
	p->key = xstrdup(key);
	p->derived = derived;
}

/*
 * Checks the school of a row (good, or bad but for its school: the
 * problem is told all the same) and takes the key of a good one.
 * Returns 0, or -1 if the database failed.
 */
static int
check_row(struct import *im, const struct csv *c,
    const struct import_row *row, int good)
{
	char	key[IMPORT_KEY_LEN];
	int64_t	id;

	if (row->school == NULL)
		return 0;
	switch (school_find(im, row->school, &id)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		import_error(&im->errs, c->record, "school", "unknown school "
		    "'%s'", row->school);
		return 0;
	default:
		return -1;
	}
	if (!good)
		return 0;
	if (row->key != NULL) {
		pending_add(im, c->record, id, row->key, 0);
		return 0;
	}
	if (import_row_key(&im->hd, c, key) == -1) {
		log_warnx("import: cannot make the key of row %ld",
		    c->record);
		return -1;
	}
	pending_add(im, c->record, id, key, 1);
	return 0;
}

/*
 * The first pass: the header and every row, every problem recorded.
 * Returns 0, or -1 if the database failed.
 */
static int
check_file(struct import *im)
{
	struct csv		c;
	struct import_row	row;
	int			rc, ret = -1;

	csv_init(&c, im->text, im->len);
	if ((rc = csv_next(&c)) == 0) {
		import_error(&im->errs, 1, NULL, "the file is empty: its "
		    "first row names the columns");
		ret = 0;
		goto done;
	}
	if (rc == 1 && import_header_read(&im->hd, &c, &im->errs) == -1) {
		ret = 0;
		goto done;
	}
	while (rc == 1 && (rc = csv_next(&c)) == 1) {
		switch (import_row_read(&im->hd, &c, im->r->now, &row,
		    &im->errs)) {
		case 1:
			continue;
		case 0:
			if (check_row(im, &c, &row, 1) == -1)
				goto done;
			break;
		default:
			if (check_row(im, &c, &row, 0) == -1)
				goto done;
			break;
		}
	}
	if (rc == -1)
		import_error(&im->errs, c.record, NULL, "%s", c.error);
	ret = 0;
done:
	csv_free(&c);
	return ret;
}

/* Orders pointers to rows by school, key, then row. */
static int
pending_cmp(const void *a, const void *b)
{
	const struct pending	*x = *(const struct pending *const *)a;
	const struct pending	*y = *(const struct pending *const *)b;
	int			 c;

	if (x->school_id != y->school_id)
		return x->school_id < y->school_id ? -1 : 1;
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/*
 * A key twice for one school is a problem of the later row, but for
 * keys made from rows: the same row twice is two records, the second
 * keyed "-2", the third "-3", the same again next time.  A key so made
 * may then be one that another row gives (a file that mixes exported
 * rows, which carry such keys, with the rows they came from): the later
 * of the two is refused too.
 */
static void
check_duplicates(struct import *im)
{
	struct pending	**order, *first, *p;
	size_t		  i, j;
	char		 *key;

	if (im->n < 2)
		return;
	order = xreallocarray(NULL, im->n, sizeof(*order));
	for (i = 0; i < im->n; i++)
		order[i] = &im->rows[i];
	qsort(order, im->n, sizeof(*order), pending_cmp);
	for (i = 0; i < im->n; i = j) {
		first = order[i];
		for (j = i + 1; j < im->n; j++) {
			p = order[j];
			if (p->school_id != first->school_id ||
			    strcmp(p->key, first->key) != 0)
				break;
			if (!first->derived || !p->derived) {
				import_error(&im->errs, p->row, "key", "the "
				    "key of row %ld again, for the same school",
				    first->row);
				p->dup = 1;
				continue;
			}
			xasprintf(&key, "%s-%zu", p->key, j - i + 1);
			free(p->key);
			p->key = key;
		}
	}
	qsort(order, im->n, sizeof(*order), pending_cmp);
	for (i = 0; i < im->n; i = j) {
		first = NULL;
		for (j = i; j < im->n; j++) {
			p = order[j];
			if (p->school_id != order[i]->school_id ||
			    strcmp(p->key, order[i]->key) != 0)
				break;
			if (p->dup)
				continue;
			if (first == NULL) {
				first = p;
				continue;
			}
			import_error(&im->errs, p->row, "key", "the key of "
			    "row %ld again, for the same school", first->row);
			p->dup = 1;
		}
	}
	free(order);
}

/* Marks the rows whose school has their key already.  0, or -1. */
static int
check_skips(struct import *im)
{
	size_t	i;
	int64_t	id;

	for (i = 0; i < im->n; i++) {
		switch (store_hazard_find_key(im->rows[i].school_id,
		    im->rows[i].key, &id)) {
		case STORE_OK:
			im->rows[i].skip = 1;
			im->skipped++;
			break;
		case STORE_NOTFOUND:
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/* Writes one event of an imported hazard's trail. */
static int
add_event(struct import *im, int64_t id, enum hazard_action action,
    int from, enum hazard_state to, time_t at)
{
	struct event	e;

	memset(&e, 0, sizeof(e));
	e.hazard_id = id;
	e.at = at;
	e.token_id = im->r->who.token_id;
	e.actor = im->r->who.name;
	e.role = "office";
	e.action = action;
	e.from_state = from;
	e.to_state = to;
	e.note = "imported";
	return store_event_insert(&e) == STORE_OK ? 0 : -1;
}

/*
 * The trail of an imported hazard: its report, and what brought it to
 * its state, when it happened as far as the file tells.
 */
static int
add_events(struct import *im, int64_t id, const struct hazard *h)
{
	if (add_event(im, id, ACTION_REPORT, -1, STATE_OPEN,
	    h->reported_at) == -1)
		return -1;
	switch (h->state) {
	case STATE_RECTIFIED:
		return add_event(im, id, ACTION_RECTIFY, STATE_OPEN,
		    STATE_RECTIFIED, h->reported_at);
	case STATE_CLOSED:
		if (add_event(im, id, ACTION_RECTIFY, STATE_OPEN,
		    STATE_RECTIFIED, h->closed_at) == -1)
			return -1;
		return add_event(im, id, ACTION_VERIFY, STATE_RECTIFIED,
		    STATE_CLOSED, h->closed_at);
	case STATE_CANCELLED:
		return add_event(im, id, ACTION_CANCEL, STATE_OPEN,
		    STATE_CANCELLED, h->cancelled_at);
	default:
		return 0;
	}
}

/*
 * The second pass, over a file found good: inserts the rows not
 * skipped, in the file's order.  Returns 0, or -1 (logged).
 */
static int
insert_rows(struct import *im)
{
	struct csv		 c;
	struct import_row	 row;
	struct import_errors	 none;
	struct pending		*p;
	size_t			 k = 0;
	int64_t			 id;
	int			 ret = -1;

	memset(&none, 0, sizeof(none));
	csv_init(&c, im->text, im->len);
	if (csv_next(&c) != 1 || store_import_begin() != STORE_OK)
		goto done;
	while (csv_next(&c) == 1) {
		if (import_row_read(&im->hd, &c, im->r->now, &row,
		    &none) == 1)
			continue;
		if (none.total != 0 || k == im->n ||
		    im->rows[k].row != c.record) {
			log_warnx("import: row %ld differs on the second "
			    "reading", c.record);
			goto done;
		}
		p = &im->rows[k++];
		if (p->skip)
			continue;
		row.h.school_id = p->school_id;
		if (store_import_hazard(&row.h, p->key, im->r->who.token_id,
		    &id) != STORE_OK || add_events(im, id, &row.h) == -1)
			goto done;
		im->imported++;
	}
	ret = k == im->n ? 0 : -1;
done:
	store_import_end();
	import_errors_free(&none);
	csv_free(&c);
	return ret;
}

/* Answers 422 with every problem kept, in the order of the rows. */
static void
reply_invalid(struct request *r, struct import_errors *e)
{
	json_t	*rows, *row, *err;
	size_t	 i;
	char	 msg[256];

	import_errors_sort(e);
	rows = json_array();
	for (i = 0; i < e->n; i++) {
		row = json_pack("{s:I, s:s?, s:s}", "row",
		    (json_int_t)e->list[i].row, "field", e->list[i].field,
		    "message", e->list[i].message);
		if (row != NULL)
			json_array_append_new(rows, row);
	}
	snprintf(msg, sizeof(msg), "%ld %s invalid (%ld %s); nothing was "
	    "imported%s", e->rows, e->rows == 1 ? "row is" : "rows are",
	    e->total, e->total == 1 ? "problem" : "problems",
	    (long)e->n < e->total ? "; the first 1000 are listed" : "");
	err = json_pack("{s:s, s:s, s:I, s:o}", "code", "invalid_field",
	    "message", msg, "problems", (json_int_t)e->total, "rows", rows);
	http_reply_json(r, 422, json_pack("{s:o}", "error", err));
}

/* Frees what an import holds. */
static void
import_free(struct import *im)
{
	size_t	i;

	for (i = 0; i < im->n; i++)
		free(im->rows[i].key);
	free(im->rows);
	free(im->school);
	import_errors_free(&im->errs);
}

void
api_import(struct request *r)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->req);
	struct import	 im;
	const char	*type;

	memset(&im, 0, sizeof(im));
	im.r = r;
	im.len = evbuffer_get_length(in);
	type = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Content-Type");
	if ((long)im.len > r->cfg->max_import) {
		http_reply_error(r, 413, NULL, "the file is larger than "
		    "[server] max_import, %ld bytes", r->cfg->max_import);
		metrics_import(METRICS_IMPORT_FAILED, 0, 0);
		return;
	}
	if (!is_csv_type(type)) {
		http_reply_error(r, 415, NULL, "send the file as "
		    "Content-Type: text/csv, in UTF-8");
		metrics_import(METRICS_IMPORT_FAILED, 0, 0);
		return;
	}
	im.text = im.len == 0 ? "" : (const char *)evbuffer_pullup(in, -1);
	if (im.text == NULL)
		fatalx("evbuffer_pullup");
	if (db_begin() == -1)
		goto unavailable;
	if (check_file(&im) == -1)
		goto unavailable;
	check_duplicates(&im);
	if (im.errs.total > 0) {
		db_rollback();
		log_info("import by %s refused: %ld rows invalid", r->who.name,
		    im.errs.rows);
		reply_invalid(r, &im.errs);
		metrics_import(METRICS_IMPORT_INVALID, 0, 0);
		goto done;
	}
	if (check_skips(&im) == -1 || insert_rows(&im) == -1 ||
	    db_commit() == -1)
		goto unavailable;
	log_info("import by %s: %" PRId64 " imported, %" PRId64 " skipped",
	    r->who.name, im.imported, im.skipped);
	metrics_import(METRICS_IMPORT_DONE, im.imported, im.skipped);
	http_reply_json(r, 200, json_pack("{s:I, s:I}", "imported",
	    (json_int_t)im.imported, "skipped", (json_int_t)im.skipped));
	goto done;
unavailable:
	db_rollback();
	metrics_import(METRICS_IMPORT_FAILED, 0, 0);
	http_reply_unavailable(r);
done:
	import_free(&im);
}
