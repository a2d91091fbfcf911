/*
 * GET /v1/export: every hazard a filter selects, oldest first, as CSV
 * with the columns of an import (so that an export imports again as it
 * was), named in English or Chinese, its instants RFC 3339 or local
 * times for a spreadsheet; or as JSON.  Streamed (stream.c): a page
 * of rows at a time, bounded in rows and in bytes (a school can make a row some 50 KB),
 * the next page read when the last has nearly gone out, so that a
 * large export never sits whole in memory.  Each page is read on the
 * worker's threads (worker.c), so that the loop never runs an export's
 * query; and it walks [storage] list_scan hazards at most, as a list
 * page does, so that a filter that matches nothing holds a worker for a
 * few milliseconds a page, not the tenths of a second of a walk through
 * a million, and other requests' pages come between.  Such a page has
 * fewer rows, or none, and the export goes on after it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/http_struct.h>

#include "activity.h"
#include "api.h"
#include "columns.h"
#include "date.h"
#include "db.h"
#include "import.h"
#include "log.h"
#include "safetext.h"
#include "shape.h"
#include "stream.h"
#include "wire.h"
#include "worker.h"
#include "xmalloc.h"

/* Rows read for each piece sent, at most; and the bytes past which a
 * piece ends early. */
#define EXPORT_PAGE	1000
#define EXPORT_BYTES	(256 * 1024)

/* One export under way. */
struct export {
	struct request		*k;	/* until its first page is sent */
	struct stream		*s;	/* then its stream */
	char			*database;
	struct hazard_filter	 f;
	char			*category;	/* f's, copied */
	struct activity_query	*aq;	/* an export of activities: its filter */
	char			 today[DATE_LEN];
	int			 json;
	int			 zh;		/* Chinese names and words */
	json_t			*names;		/* with zh: shape_category_names() */
	int			 local;		/* "YYYY-MM-DD HH:MM" */
	int64_t			 token_id; /* who asked; 0: the daemon */
	int64_t			 after;	/* the last id sent, or walked */
	int			 scan;	/* hazards a page walks at most */
	int			 pages;
	int			 rows;		/* in this page */
	int			 full;		/* past bytes */
	size_t			 bytes;		/* a page's, at most */
	long			 total;
	struct evbuffer		*b;		/* the page being read */
	int			 last;		/* its export_page() */
	int			 allowed;	/* export_allowed() */
};

/* A page being made: the export, and where its rows go. */
struct page {
	struct export	*x;
	struct evbuffer	*b;
};

/*
 * Appends one CSV field, quoted when it must be; NULL is empty.  A field
 * a spreadsheet would take for a formula gets the guard ' before it
 * (safetext_csv_guard()), which an import takes away.
 */
static void
csv_put(struct evbuffer *b, const char *s, int last)
{
	const char	*q;
	char		 guard = SAFETEXT_CSV_GUARD;

	if (s != NULL && strpbrk(s, ",\"\r\n") == NULL) {
		if (safetext_csv_guard(s))
			evbuffer_add(b, &guard, 1);
		evbuffer_add(b, s, strlen(s));
	} else if (s != NULL) {
		evbuffer_add(b, "\"", 1);
		if (safetext_csv_guard(s))
			evbuffer_add(b, &guard, 1);
		while ((q = strchr(s, '"')) != NULL) {
			evbuffer_add(b, s, (size_t)(q - s) + 1);
			evbuffer_add(b, "\"", 1);
			s = q + 1;
		}
		evbuffer_add(b, s, strlen(s));
		evbuffer_add(b, "\"", 1);
	}
	evbuffer_add(b, last ? "\r\n" : ",", last ? 2 : 1);
}

/*
 * An instant into buf, or NULL for 0: RFC 3339, or the local time to
 * the minute, which a spreadsheet reads as a date and time.
 */
static const char *
instant(const struct export *x, char *buf, size_t len, time_t t)
{
	struct tm	tm;

	if (t == 0)
		return NULL;
	if (!x->local)
		return date_rfc3339(buf, len, t);
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

/* A word of the wire in column col: in Chinese with zh. */
static const char *
word(const struct export *x, int col, const char *w)
{
	return x->zh ? columns_zh_value(col, w) : w;
}

/*
 * The value of column col of h.  With Chinese headers, a kind, grade,
 * state and category are written in Chinese too, as an import reads
 * them again.
 */
static const char *
column(const struct export *x, const struct hazard *h,
    const struct export_extra *ex, int col, char *buf, size_t len)
{
	const char	*zh;
	int		 f;

	switch (col) {
	case IMPORT_ID:
		snprintf(buf, len, "%" PRId64, h->id);
		return buf;
	case IMPORT_KIND:
		return word(x, col, hazard_kind_name(h->kind));
	case IMPORT_SCHOOL:
		return h->school;
	case IMPORT_SCHOOL_NAME:
		return h->school_name;
	case IMPORT_GRADE:
		return word(x, col, hazard_grade_name(h->grade));
	case IMPORT_STATE:
		return word(x, col, hazard_state_name(h->state));
	case IMPORT_CATEGORY:
		zh = json_string_value(json_object_get(json_object_get(x->names,
		    h->text[FIELD_CATEGORY]), "zh"));
		return zh != NULL ? zh : h->text[FIELD_CATEGORY];
	case IMPORT_REPORTED_AT:
		return instant(x, buf, len, h->reported_at);
	case IMPORT_RECTIFIED_AT:
		return instant(x, buf, len, ex->rectified_at);
	case IMPORT_RECTIFY_NOTE:
		return ex->rectify_note;
	case IMPORT_REJECT_NOTE:
		/* The rejection the hazard shows, while open after it. */
		return h->reject_note;
	case IMPORT_CLOSED_AT:
		return instant(x, buf, len, h->closed_at);
	case IMPORT_KEY:
		return ex->key;
	default:
		f = hazard_field_parse(import_column_name(col));
		return f < 0 ? NULL : h->text[f];
	}
}

/*
 * The value of column col of activity a.  With Chinese headers, its
 * type and subtype are written in Chinese, as an import reads them.
 */
static const char *
activity_column(const struct export *x, const struct activity *a, int col,
    char *buf, size_t len)
{
	const struct activity_kind	*k;

	switch (col) {
	case IMPORT_A_ID:
		snprintf(buf, len, "%" PRId64, a->id);
		return buf;
	case IMPORT_A_SCHOOL:
		return a->school;
	case IMPORT_A_SCHOOL_NAME:
		return a->school_name;
	case IMPORT_A_TYPE:
		k = activity_type_find(a->type);
		return x->zh && k != NULL ? k->zh : a->type;
	case IMPORT_A_SUBTYPE:
		if (a->subtype == NULL)
			return NULL;
		k = activity_subtype_find(a->type, a->subtype);
		return x->zh && k != NULL ? k->zh : a->subtype;
	case IMPORT_A_DATE:
		return a->date;
	case IMPORT_A_COUNT:
		snprintf(buf, len, "%ld", a->count);
		return buf;
	case IMPORT_A_NOTE:
		return a->note;
	case IMPORT_A_RECORDED_BY:
		return a->recorded_by;
	case IMPORT_A_RECORDED_AT:
		return instant(x, buf, len, a->recorded_at);
	default:
		return a->key;
	}
}

/* Adds one activity to the page being made. */
static int
export_activity(const struct activity *a, void *arg)
{
	struct export	*x = ((struct page *)arg)->x;
	struct evbuffer	*b = ((struct page *)arg)->b;
	char		 buf[RFC3339_LEN + 8], *text;
	json_t		*o;
	int		 col;

	if (x->json) {
		o = api_activity_json(a);
		json_object_set_new(o, "key", a->key == NULL ? json_null() :
		    json_string(a->key));
		text = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (text == NULL)
			fatalx("json_dumps");
		evbuffer_add_printf(b, "%s%s", x->total > 0 ? ",\n" : "",
		    text);
		free(text);
	} else
		for (col = 0; col < IMPORT_A__MAX; col++)
			csv_put(b, activity_column(x, a, col, buf, sizeof(buf)),
			    col == IMPORT_A__MAX - 1);
	x->after = a->id;
	x->rows++;
	x->total++;
	if (evbuffer_get_length(b) >= EXPORT_BYTES) {
		x->full = 1;
		return -1;
	}
	return 0;
}

/* Adds one hazard to the page being made. */
static int
export_row(const struct hazard *h, const struct export_extra *ex, void *arg)
{
	struct export	*x = ((struct page *)arg)->x;
	struct evbuffer	*b = ((struct page *)arg)->b;
	char		 buf[RFC3339_LEN + 8], *text;
	json_t		*o;
	int		 col;

	if (x->json) {
		o = shape_hazard(h, x->today);
		json_object_set_new(o, "rectified_at",
		    shape_time(ex->rectified_at));
		json_object_set_new(o, "rectify_note",
		    shape_text(ex->rectify_note));
		json_object_set_new(o, "key", ex->key == NULL ? json_null() :
		    json_string(ex->key));
		text = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		if (text == NULL)
			fatalx("json_dumps");
		evbuffer_add_printf(b, "%s%s", x->total > 0 ? ",\n" : "",
		    text);
		free(text);
	} else {
		for (col = 0; col < IMPORT__MAX; col++)
			csv_put(b, column(x, h, ex, col, buf, sizeof(buf)),
			    col == IMPORT__MAX - 1);
	}
	x->after = h->id;
	x->rows++;
	x->total++;
	if (evbuffer_get_length(b) >= x->bytes) {
		x->full = 1;
		return -1;
	}
	return 0;
}

/* Reads the next page into b.  Returns 1 if it was the last, 0, -1. */
static int
export_page(struct export *x, struct evbuffer *b)
{
	struct page	page = { x, b };
	int64_t		upto;

	x->rows = 0;
	x->full = 0;
	x->pages++;
	upto = 0;
	/* Activities are few and read by their ids: no walk to bound. */
	if (x->aq != NULL ? store_activity_export(&x->aq->f, x->after,
	    EXPORT_PAGE, export_activity, &page) != STORE_OK :
	    store_hazard_export(&x->f, x->after, EXPORT_PAGE, x->scan, &upto,
	    export_row, &page) != STORE_OK)
		return -1;
	if (x->rows == EXPORT_PAGE || x->full)
		return 0;
	if (upto != 0) {
		/* The walk stopped short of the end: on from there. */
		x->after = upto;
		return 0;
	}
	if (x->json)
		evbuffer_add_printf(b, "%s]}\n", x->total > 0 ? "\n" : "");
	return 1;
}

/* Frees an export. */
static void
export_free(struct export *x)
{
	if (x->b != NULL)
		evbuffer_free(x->b);
	free(x->database);
	free(x->category);
	free(x->aq);
	json_decref(x->names);
	free(x);
}

static int
token_row_live(const struct token_row *t, void *arg)
{
	*(int *)arg = t->revoked_at == 0;
	return 0;
}

/*
 * Whether the token the export began with may still read: a slow
 * reader must not go on receiving pages once it is revoked.
 */
static int
export_allowed(const struct export *x)
{
	int	live = 0;

	if (x->token_id == 0)
		return 1;
	if (store_token_get(x->token_id, token_row_live, &live) != STORE_OK)
		return 0;
	return live;
}

/*
 * On the worker's thread: the next page into x->b, if the token may
 * still read, in a read transaction of its own that sees what the loop
 * committed before (never a batch's work before it is committed).
 */
static void
export_work(void *arg)
{
	struct export	*x = arg;

	if ((x->allowed = export_allowed(x)))
		x->last = export_page(x, x->b);
}

/*
 * Queues the reading of the next page after what b holds, then done.
 * Returns 0, or -1 if the worker is full (x->b is b all the same).
 */
static int
export_read(struct export *x, struct evbuffer *b, void (*done)(void *, int))
{
	x->b = b;
	x->allowed = 0;
	x->last = -1;
	return worker_queue(x->database, export_work, done, x);
}

/* In the loop: a page after the first, read, goes to the stream. */
static void
export_next(void *arg, int ok)
{
	struct export	*x = arg;
	struct evbuffer	*b = x->b;

	x->b = NULL;
	if (!ok || x->last == -1) {
		log_warnx("export: stopped after %ld rows%s", x->total,
		    !ok || x->allowed ? "" : ": its token was revoked");
		evbuffer_free(b);
		stream_piece(x->s, NULL, -1);
		return;
	}
	stream_piece(x->s, b, x->last);
}

/* The last piece has nearly gone out: the next is read off the loop. */
static void
export_more(struct stream *s, void *arg, size_t bytes)
{
	struct export	*x = arg;
	struct evbuffer	*b;

	x->s = s;
	x->bytes = bytes < EXPORT_BYTES ? bytes : EXPORT_BYTES;
	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	if (export_read(x, b, export_next) == -1) {
		/* The worker is full: its turn comes a little later. */
		evbuffer_free(x->b);
		x->b = NULL;
		stream_later(s);
	}
}

/* The export has ended, one way or another. */
static void
export_done(void *arg, enum stream_end how)
{
	struct export	*x = arg;

	if (how == STREAM_SENT)
		log_info("export: %ld rows in %d pages", x->total, x->pages);
	else if (how == STREAM_CLOSED)
		log_info("export: the connection closed after %ld rows",
		    x->total);
	export_free(x);
}

/* Reads the query: the filters and the format.  0, or -1 answered. */
static int
export_query(struct request *r, struct export *x)
{
	static const char *const allowed[] = { "kind", "state", "school",
	    "category", "grade", "overdue", "since", "until", "format",
	    "headers", "times", "records", NULL };
	static const char *const activities[] = { "school", "type",
	    "subtype", "from", "to", "format", "headers", "times", "records",
	    NULL };
	const char	*format, *headers, *times, *records;

	records = http_query(r, "records");
	if (records != NULL && strcmp(records, "hazards") != 0 &&
	    strcmp(records, "activities") != 0) {
		http_reply_code(r, 422, "invalid_field", "records", NULL,
		    "records: expected hazards or activities");
		return -1;
	}
	if (records != NULL && strcmp(records, "activities") == 0) {
		x->aq = xcalloc(1, sizeof(*x->aq));
		if (http_query_only(r, activities) == -1 ||
		    api_activity_filter(r, x->aq) == -1)
			return -1;
	} else if (http_query_only(r, allowed) == -1 ||
	    api_filter(r, &x->f) == -1)
		return -1;
	format = http_query(r, "format");
	if (format != NULL && wire_find(wire_formats, format) == -1) {
		http_reply_code(r, 422, "invalid_field", "format", NULL,
		    "format: expected csv or json");
		return -1;
	}
	x->json = format != NULL && strcmp(format, WIRE_FORMAT_JSON) == 0;
	headers = http_query(r, "headers");
	times = http_query(r, "times");
	if ((headers != NULL || times != NULL) && x->json) {
		http_reply_code(r, 422, "invalid_field",
		    headers != NULL ? "headers" : "times", NULL,
		    "%s: for CSV only", headers != NULL ? "headers" : "times");
		return -1;
	}
	if (headers != NULL && strcmp(headers, "en") != 0 &&
	    strcmp(headers, "zh") != 0) {
		http_reply_code(r, 422, "invalid_field", "headers", NULL,
		    "headers: expected en or zh");
		return -1;
	}
	if (times != NULL && strcmp(times, "rfc3339") != 0 &&
	    strcmp(times, "local") != 0) {
		http_reply_code(r, 422, "invalid_field", "times", NULL,
		    "times: expected rfc3339 or local");
		return -1;
	}
	x->zh = headers != NULL && strcmp(headers, "zh") == 0;
	x->local = times != NULL && strcmp(times, "local") == 0;
	/* The names are copied: the export may outlive a reload. */
	if (x->zh)
		x->names = shape_category_names(&r->cfg->categories);
	/* The query goes with the request; the export outlives it. */
	if (x->f.category != NULL)
		x->f.category = x->category = xstrdup(x->f.category);
	memcpy(x->today, r->today, sizeof(x->today));
	x->f.today = x->today;
	return 0;
}

/* In the loop: the first page, read, begins the answer. */
static void
export_first(void *arg, int ok)
{
	struct export		*x = arg;
	struct request		*k = x->k;
	struct evkeyvalq	*out;
	struct evbuffer		*b = x->b;

	x->b = NULL;
	x->k = NULL;
	/* The client may have gone while the page was read. */
	if (!ok || x->last == -1 ||
	    evhttp_request_get_connection(k->req) == NULL) {
		evbuffer_free(b);
		export_free(x);
		http_reply_unavailable(k);
		http_kept_done(k);
		return;
	}
	out = evhttp_request_get_output_headers(k->req);
	evhttp_add_header(out, "Content-Type", x->json ?
	    "application/json; charset=utf-8" : "text/csv; charset=utf-8");
	if (x->aq != NULL)
		evhttp_add_header(out, "Content-Disposition", x->json ?
		    "attachment; filename=\"activities.json\"" :
		    "attachment; filename=\"activities.csv\"");
	else
		evhttp_add_header(out, "Content-Disposition", x->json ?
		    "attachment; filename=\"hazards.json\"" :
		    "attachment; filename=\"hazards.csv\"");
	evhttp_add_header(out, "Cache-Control", "no-store");
	k->status = 200;
	if (x->last) {
		/* All of it in one page: one answer, with its length. */
		evhttp_send_reply(k->req, 200, "OK", b);
		evbuffer_free(b);
		export_free(x);
		http_kept_done(k);
		return;
	}
	/*
	 * An HTTP/1.0 client reads no chunks: the export goes out whole
	 * and the close ends it.  Had it asked to keep the connection,
	 * evhttp would announce the length of what it holds now (none).
	 */
	if (k->req->major == 1 && k->req->minor == 0)
		evhttp_remove_header(evhttp_request_get_input_headers(k->req),
		    "Connection");
	stream_start(k->req, b, export_more, export_done, x);
	evbuffer_free(b);
	http_kept_done(k);
}

void
api_export(struct request *r)
{
	struct export	*x;
	struct evbuffer	*b;
	int		 col;

	x = xcalloc(1, sizeof(*x));
	x->token_id = r->who.token_id;
	if (export_query(r, x) == -1) {
		export_free(x);
		return;
	}
	x->database = xstrdup(r->cfg->database);
	x->scan = r->cfg->list_scan;
	x->bytes = EXPORT_BYTES;
	x->k = http_keep(r);
	if ((b = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	if (x->json)
		evbuffer_add_printf(b, "{\"%s\":[\n", x->aq != NULL ?
		    "activities" : "hazards");
	else if (x->aq != NULL)
		for (col = 0; col < IMPORT_A__MAX; col++)
			csv_put(b, x->zh ? activity_columns[col].zh :
			    activity_columns[col].name, col == IMPORT_A__MAX - 1);
	else
		for (col = 0; col < IMPORT__MAX; col++)
			csv_put(b, x->zh ? import_column_zh(col) :
			    import_column_name(col), col == IMPORT__MAX - 1);
	/* The first page is read on the worker, after the heading. */
	if (export_read(x, b, export_first) == -1)
		export_first(x, 0);
}
