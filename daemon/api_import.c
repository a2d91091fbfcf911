/*
 * POST /v1/import: historic records from a district's spreadsheet, as
 * CSV (office only, by the route table).  All or nothing: every row is
 * checked first and every problem answered; only a good file goes in,
 * in one transaction, each new row with its audit trail.  A row whose
 * key its school already has is skipped, so importing again is safe.
 *
 * A large file takes seconds (300,000 rows: twenty or more), so the
 * import runs on a thread of its own with its own connection, as a
 * digest is built; the loop goes on answering meanwhile, and hears from
 * the thread through a pipe when it is done.  Imports go one at a time,
 * in order.  While the thread writes, it holds the database's write
 * lock: the loop's own writes are then refused at once (503 with
 * Retry-After) rather than waited for (db_set_writing).  Where an
 * import is, rows parsed and rows written, is GET /v1/imports/{id}.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "api.h"
#include "date.h"
#include "db.h"
#include "import.h"
#include "ledger.h"
#include "log.h"
#include "metrics.h"
#include "utf8.h"
#include "xmalloc.h"

/* Imports under way or waiting, at most; finished ones kept to be read. */
#define IMPORT_QUEUE_MAX	4
#define IMPORT_KEEP		16

/* A good row of the file, in the file's order. */
struct pending {
	long	 row;
	int64_t	 school_id;
	char	*key;
	int	 derived;	/* the key was made from the row */
	int	 skip;		/* its school has the key already */
	int	 dup;		/* refused: its key again */
};

/* Where an import is. */
enum import_state {
	IMPORT_QUEUED,
	IMPORT_CHECKING,	/* the thread reads and checks every row */
	IMPORT_WRITING,		/* it holds the write lock */
	IMPORT_DONE,
	IMPORT_INVALID,		/* refused: 422, nothing changed */
	IMPORT_FAILED		/* the database failed: 503, nothing changed */
};

static const char *const state_names[] = {
	"queued", "checking", "writing", "done", "invalid", "failed"
};

/*
 * One import.  The loop makes it and reads its progress; the thread
 * alone touches the rest while it runs, until it writes to the pipe.
 */
struct import {
	TAILQ_ENTRY(import)	 entry;
	int64_t			 id;
	struct request		*k;		/* its POST, kept, or NULL */
	struct evbuffer		*body;		/* the file, whole */
	const char		*text;
	size_t			 len;
	time_t			 now;		/* when it was asked */
	int64_t			 token_id;
	char			*by;		/* the token's name */
	char			*database;
	enum import_records	 records;	/* hazards or activities */
	char			 today[DATE_LEN]; /* when it was asked */
	struct categories	 categories;	/* the vocabulary, a copy */
	pthread_t		 thread;

	/* Its progress, as the thread goes. */
	atomic_int		 state;
	atomic_long		 parsed;	/* records read, checking */
	atomic_long		 rows;		/* to write, once known */
	atomic_long		 written;

	struct import_header	 hd;
	struct import_errors	 errs;
	struct pending		*pending;
	size_t			 n;
	size_t			 cap;
	char			*school;	/* the last one looked up */
	int64_t			 school_id;
	int64_t			 imported;
	int64_t			 skipped;
	json_t			*refusal;	/* the 422's body, once invalid */
};

TAILQ_HEAD(import_list, import);

static struct {
	struct import_list	 queue;		/* the first may be running */
	struct import_list	 finished;	/* the last IMPORT_KEEP */
	size_t			 nqueued, nfinished;
	struct import		*running;	/* on its thread */
	int64_t			 last_id;
	int			 wake[2];	/* the thread -> the loop */
	struct event		*ev;
	atomic_int		 stopping;
} imports = { .wake = { -1, -1 } };

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
		im->pending = xreallocarray(im->pending, im->cap, sizeof(*im->pending));
	}
	p = &im->pending[im->n++];
	memset(p, 0, sizeof(*p));
	p->row = row;
	p->school_id = school_id;
	p->key = xstrdup(key);
	p->derived = derived;
}

/*
 * Checks the school of a row (good, or bad but for its school: the
 * problem is told all the same) and takes the key of a good one, or
 * makes one from the row.  Returns 0, or -1 if the database failed.
 */
static int
check_row(struct import *im, const struct csv *c, const char *school,
    const char *given, int good)
{
	char		 key[IMPORT_KEY_LEN];
	int64_t		 id;

	if (school == NULL)
		return 0;
	switch (school_find(im, school, &id)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		import_error(&im->errs, c->record, "school", "unknown school "
		    "'%s'", school);
		return 0;
	default:
		return -1;
	}
	if (!good)
		return 0;
	if (given != NULL) {
		pending_add(im, c->record, id, given, 0);
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
 * Reads and checks the csv's current record, a hazard's (its category
 * of the vocabulary) or an activity's, as check_row() does.  Returns 0,
 * or -1 if the database failed.
 */
static int
check_record(struct import *im, const struct csv *c)
{
	struct import_row	 row;
	struct import_activity	 act;
	const char		*cat;
	char			 codes[200];
	int			 rc;

	if (im->records == IMPORT_ACTIVITIES) {
		if ((rc = import_activity_read(&im->hd, c, im->today, &act,
		    &im->errs)) == 1)
			return 0;
		return check_row(im, c, act.school, act.key, rc == 0);
	}
	if ((rc = import_row_read(&im->hd, c, im->now, &row, &im->errs)) == 1)
		return 0;
	cat = row.h.text[FIELD_CATEGORY];
	if (cat != NULL && category_find(&im->categories, cat) == NULL) {
		category_codes(&im->categories, codes, sizeof(codes));
		import_error(&im->errs, c->record, "category", "unknown "
		    "category '%s'; the categories are %s", cat, codes);
		rc = -1;
	}
	return check_row(im, c, row.school, row.key, rc == 0);
}

/*
 * The line of the first bytes that are not UTF-8 (a NUL is left to the
 * CSV reader, which says what it is), or 0 if the text is UTF-8.
 */
static long
not_utf8(const char *text, size_t len)
{
	size_t		off = 0, n;
	uint32_t	cp;
	long		line = 1;

	while (off < len) {
		if (text[off] == '\0' || text[off] == '\n') {
			line += text[off++] == '\n';
			continue;
		}
		if ((n = utf8_next(text + off, len - off, &cp)) == 0)
			return line;
		off += n;
	}
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
	long			line;
	int			rc, ret = -1;

	csv_init(&c, im->text, im->len);
	/* One problem, not one for each row of a file in another code. */
	if ((line = not_utf8(im->text, im->len)) != 0) {
		import_error(&im->errs, line, NULL, "the file is not UTF-8 "
		    "text (what Excel saves as \"CSV\" on a Chinese Windows is "
		    "GB18030: hazardctl import converts it)");
		ret = 0;
		goto done;
	}
	if ((rc = csv_next(&c)) == 0) {
		import_error(&im->errs, 1, NULL, "the file is empty: its "
		    "first row names the columns");
		ret = 0;
		goto done;
	}
	if (rc == 1 && import_header_read(&im->hd, im->records, &c,
	    &im->errs) == -1) {
		ret = 0;
		goto done;
	}
	while (rc == 1 && (rc = csv_next(&c)) == 1) {
		atomic_fetch_add(&im->parsed, 1);
		if (atomic_load(&imports.stopping))
			goto done;
		if (check_record(im, &c) == -1)
			goto done;
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
		order[i] = &im->pending[i];
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
		switch (im->records == IMPORT_ACTIVITIES ?
		    store_activity_find_key(im->pending[i].school_id,
		    im->pending[i].key, &id) :
		    store_hazard_find_key(im->pending[i].school_id,
		    im->pending[i].key, &id)) {
		case STORE_OK:
			im->pending[i].skip = 1;
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

/*
 * Writes the csv's current record, read again, as p says: a hazard with
 * its trail, or an activity with its event.  Returns 0, 1 for a blank
 * row, or -1 (logged).
 */
static int
insert_record(struct import *im, const struct csv *c,
    const struct actor *who, const struct pending *p)
{
	struct import_row	 row;
	struct import_activity	 act;
	struct import_errors	 none;
	struct activity		 a;
	int64_t			 id;
	int			 rc;

	memset(&none, 0, sizeof(none));
	rc = im->records == IMPORT_ACTIVITIES ?
	    import_activity_read(&im->hd, c, im->today, &act, &none) :
	    import_row_read(&im->hd, c, im->now, &row, &none);
	if (rc == 1)
		return 1;
	if (none.total != 0 || p == NULL || p->row != c->record) {
		import_errors_free(&none);
		log_warnx("import: row %ld differs on the second reading",
		    c->record);
		return -1;
	}
	if (p->skip)
		return 0;
	if (im->records == IMPORT_ACTIVITIES) {
		memset(&a, 0, sizeof(a));
		a.school_id = p->school_id;
		a.school = act.school;
		a.type = act.type;
		a.subtype = act.subtype;
		a.date = act.date;
		a.count = act.count;
		a.note = act.note;
		a.recorded_at = im->now;
		a.key = p->key;
		return ledger_activity(who, &a) == STORE_OK ? 0 : -1;
	}
	row.h.school_id = p->school_id;
	/* A name stands for its code, which is stored. */
	row.h.text[FIELD_CATEGORY] = category_find(&im->categories,
	    row.h.text[FIELD_CATEGORY])->code;
	return ledger_import(who, &row.h, &row.trail, p->key, &id) ==
	    STORE_OK ? 0 : -1;
}

/*
 * The second pass, over a file found good: inserts the rows not
 * skipped, in the file's order.  Returns 0, or -1 (logged).
 */
static int
insert_rows(struct import *im)
{
	struct csv		 c;
	struct pending		*p;
	struct actor		 who;
	size_t			 k = 0;
	int			 ret = -1;

	/* The route is the office's. */
	who.token_id = im->token_id;
	who.name = im->by;
	who.role = ROLE_OFFICE;
	csv_init(&c, im->text, im->len);
	if (csv_next(&c) != 1 || store_import_begin() != STORE_OK)
		goto done;
	while (csv_next(&c) == 1) {
		if (atomic_load(&imports.stopping))
			goto done;
		p = k < im->n ? &im->pending[k] : NULL;
		switch (insert_record(im, &c, &who, p)) {
		case 1:
			continue;
		case 0:
			break;
		default:
			goto done;
		}
		k++;
		if (p->skip)
			continue;
		im->imported++;
		atomic_store(&im->written, (long)im->imported);
	}
	ret = k == im->n ? 0 : -1;
done:
	store_import_end();
	csv_free(&c);
	return ret;
}

/* The body of the 422: every problem kept, in the order of the rows. */
static json_t *
refusal_json(struct import_errors *e)
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
	return json_pack("{s:o}", "error", err);
}

/*
 * The import on its thread: checks the file, then writes it in one
 * transaction.  Leaves its state IMPORT_DONE, IMPORT_INVALID or
 * IMPORT_FAILED.
 */
static void
import_work(struct import *im)
{
	atomic_store(&im->state, IMPORT_CHECKING);
	if (check_file(im) == -1 || atomic_load(&imports.stopping))
		goto failed;
	check_duplicates(im);
	if (im->errs.total > 0) {
		atomic_store(&im->state, IMPORT_INVALID);
		return;
	}
	/* From here until the commit, the loop's writes give way. */
	atomic_store(&im->state, IMPORT_WRITING);
	db_set_writing(1);
	if (db_begin() == -1 || check_skips(im) == -1)
		goto failed;
	atomic_store(&im->rows, (long)(im->n - (size_t)im->skipped));
	if (insert_rows(im) == -1 || db_commit() == -1)
		goto failed;
	db_set_writing(0);
	atomic_store(&im->state, IMPORT_DONE);
	return;
failed:
	db_rollback();
	db_set_writing(0);
	atomic_store(&im->state, IMPORT_FAILED);
}

/* The thread: its own connection and statements, then the loop hears. */
static void *
import_main(void *arg)
{
	struct import	*im = arg;

	if (db_open_writer(im->database) == 0 && store_open() == 0)
		import_work(im);
	else
		atomic_store(&im->state, IMPORT_FAILED);
	store_close();
	db_close_writer();
	while (write(imports.wake[1], "", 1) == -1 && errno == EINTR)
		;
	return NULL;
}

/* What an import has done so far, or in all. */
static json_t *
import_json(struct import *im)
{
	int	 state = atomic_load(&im->state);
	json_t	*o;

	o = json_pack("{s:I, s:s, s:I, s:I, s:I}", "id", (json_int_t)im->id,
	    "state", state_names[state], "bytes", (json_int_t)im->len,
	    "parsed", (json_int_t)atomic_load(&im->parsed),
	    "written", (json_int_t)atomic_load(&im->written));
	/* What is to be written is known once the skips are. */
	if (state >= IMPORT_WRITING)
		json_object_set_new(o, "rows",
		    json_integer(atomic_load(&im->rows)));
	if (state == IMPORT_DONE) {
		json_object_set_new(o, "imported", json_integer(im->imported));
		json_object_set_new(o, "skipped", json_integer(im->skipped));
	}
	return o;
}

/* Answers with what an import came to, or where it is. */
static void
import_reply(struct request *r, struct import *im)
{
	switch (atomic_load(&im->state)) {
	case IMPORT_INVALID:
		http_reply_json(r, 422, json_incref(im->refusal));
		break;
	case IMPORT_FAILED:
		http_reply_unavailable(r);
		break;
	default:
		http_reply_json(r, 200, import_json(im));
		break;
	}
}

/* Frees what an import holds while it runs: all but its outcome. */
static void
import_clear(struct import *im)
{
	size_t	i;

	for (i = 0; i < im->n; i++)
		free(im->pending[i].key);
	free(im->pending);
	im->pending = NULL;
	im->n = im->cap = 0;
	free(im->school);
	im->school = NULL;
	import_errors_free(&im->errs);
	if (im->body != NULL)
		evbuffer_free(im->body);
	im->body = NULL;
	im->text = NULL;
}

static void
import_free(struct import *im)
{
	import_clear(im);
	json_decref(im->refusal);
	free(im->by);
	category_free(&im->categories);
	free(im->database);
	free(im);
}

/*
 * The thread is done (or never started): counts and logs the outcome,
 * answers the POST if it waits, and keeps the outcome to be read.
 */
static void
import_finish(struct import *im)
{
	struct import	*old;

	switch (atomic_load(&im->state)) {
	case IMPORT_DONE:
		log_info("import %" PRId64 " by %s: %" PRId64 " imported, %"
		    PRId64 " skipped", im->id, im->by, im->imported,
		    im->skipped);
		metrics_import(METRICS_IMPORT_DONE, im->imported, im->skipped);
		break;
	case IMPORT_INVALID:
		log_info("import %" PRId64 " by %s refused: %ld rows invalid",
		    im->id, im->by, im->errs.rows);
		im->refusal = refusal_json(&im->errs);
		metrics_import(METRICS_IMPORT_INVALID, 0, 0);
		break;
	default:
		atomic_store(&im->state, IMPORT_FAILED);
		log_warnx("import %" PRId64 " by %s failed%s; nothing was "
		    "imported", im->id, im->by,
		    atomic_load(&imports.stopping) ? " as hazardd stops" : "");
		metrics_import(METRICS_IMPORT_FAILED, 0, 0);
		break;
	}
	import_clear(im);
	if (im->k != NULL) {
		import_reply(im->k, im);
		http_kept_done(im->k);
		im->k = NULL;
	}
	TAILQ_INSERT_TAIL(&imports.finished, im, entry);
	if (++imports.nfinished > IMPORT_KEEP) {
		old = TAILQ_FIRST(&imports.finished);
		TAILQ_REMOVE(&imports.finished, old, entry);
		imports.nfinished--;
		import_free(old);
	}
}

/* Starts the next import waiting on its thread, if none runs. */
static void
import_next(void)
{
	struct import	*im;
	sigset_t	 all, old;
	int		 rc;

	while (imports.running == NULL &&
	    (im = TAILQ_FIRST(&imports.queue)) != NULL) {
		TAILQ_REMOVE(&imports.queue, im, entry);
		imports.nqueued--;
		/* Every signal blocked in the thread: the loop's. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&im->thread, NULL, import_main, im);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc != 0) {
			log_warnx("import: cannot start a thread: %s",
			    strerror(rc));
			import_finish(im);
			continue;
		}
		pthread_setname_np(im->thread, "hazardd-import");
		imports.running = im;
	}
}

/* The thread has written to the pipe. */
static void
import_woken(evutil_socket_t fd, short events, void *arg)
{
	struct import	*im;
	char		 buf[16];

	(void)events, (void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if ((im = imports.running) == NULL)
		return;
	pthread_join(im->thread, NULL);
	imports.running = NULL;
	import_finish(im);
	import_next();
}

int
import_start(struct event_base *base)
{
	TAILQ_INIT(&imports.queue);
	TAILQ_INIT(&imports.finished);
	atomic_store(&imports.stopping, 0);
	if (pipe2(imports.wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("import: pipe");
		return -1;
	}
	imports.ev = event_new(base, imports.wake[0], EV_READ | EV_PERSIST,
	    import_woken, NULL);
	if (imports.ev == NULL || event_add(imports.ev, NULL) == -1) {
		log_warnx("import: cannot watch the pipe");
		return -1;
	}
	return 0;
}

void
import_stop(void)
{
	struct import	*im;

	/* The one running stops at its next row, its work undone. */
	atomic_store(&imports.stopping, 1);
	if ((im = imports.running) != NULL) {
		pthread_join(im->thread, NULL);
		imports.running = NULL;
		import_finish(im);
	}
	while (imports.ev != NULL && (im = TAILQ_FIRST(&imports.queue))) {
		TAILQ_REMOVE(&imports.queue, im, entry);
		imports.nqueued--;
		import_finish(im);
	}
	while (imports.ev != NULL &&
	    (im = TAILQ_FIRST(&imports.finished)) != NULL) {
		TAILQ_REMOVE(&imports.finished, im, entry);
		import_free(im);
	}
	imports.nfinished = 0;
	if (imports.ev != NULL)
		event_free(imports.ev);
	imports.ev = NULL;
	if (imports.wake[0] != -1) {
		close(imports.wake[0]);
		close(imports.wake[1]);
	}
	imports.wake[0] = imports.wake[1] = -1;
}

/* Returns 1 if the request prefers its answer at once (RFC 7240). */
static int
prefers_async(struct request *r)
{
	const char	*p;
	size_t		 n = strlen("respond-async");

	p = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Prefer");
	while (p != NULL && *p != '\0') {
		p += strspn(p, " ,");
		if (strncasecmp(p, "respond-async", n) == 0 &&
		    strchr(" ,;", p[n]) != NULL)
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

void
api_import(struct request *r)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->req);
	static const char *const allowed[] = { "records", NULL };
	struct import	*im;
	const char	*type, *v;
	char		 where[64];
	size_t		 len = evbuffer_get_length(in);
	int		 records = IMPORT_HAZARDS;

	if (http_query_only(r, allowed) == -1)
		return;
	if ((v = http_query(r, "records")) != NULL &&
	    strcmp(v, "hazards") != 0) {
		if (strcmp(v, "activities") != 0) {
			http_reply_error(r, 422, "records", "records: "
			    "expected hazards or activities");
			return;
		}
		records = IMPORT_ACTIVITIES;
	}
	type = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Content-Type");
	if ((long)len > r->cfg->max_import) {
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
	if (imports.ev == NULL || imports.nqueued +
	    (imports.running != NULL) >= IMPORT_QUEUE_MAX) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Retry-After", "10");
		http_reply_error(r, 503, NULL, "%d imports are under way or "
		    "waiting; try again later", IMPORT_QUEUE_MAX);
		metrics_import(METRICS_IMPORT_FAILED, 0, 0);
		return;
	}
	im = xcalloc(1, sizeof(*im));
	im->records = records;
	memcpy(im->today, r->today, sizeof(im->today));
	im->id = ++imports.last_id;
	im->now = r->now;
	im->token_id = r->who.token_id;
	im->by = xstrdup(r->who.name);
	im->database = xstrdup(r->cfg->database);
	category_copy(&im->categories, &r->cfg->categories);
	/* The file moves to the import, whole: the thread reads it. */
	if ((im->body = evbuffer_new()) == NULL ||
	    evbuffer_add_buffer(im->body, in) == -1)
		fatalx("evbuffer");
	im->len = len;
	im->text = len == 0 ? "" : (const char *)evbuffer_pullup(im->body,
	    -1);
	if (im->text == NULL)
		fatalx("evbuffer_pullup");
	if (prefers_async(r)) {
		snprintf(where, sizeof(where), "/v1/imports/%" PRId64, im->id);
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Location", where);
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Preference-Applied", "respond-async");
		http_reply_json(r, 202, import_json(im));
	} else
		im->k = http_keep(r);
	TAILQ_INSERT_TAIL(&imports.queue, im, entry);
	imports.nqueued++;
	import_next();
}

/* Finds an import by id, under way, waiting or finished. */
static struct import *
import_find(int64_t id)
{
	struct import	*im;

	if (imports.running != NULL && imports.running->id == id)
		return imports.running;
	TAILQ_FOREACH(im, &imports.queue, entry)
		if (im->id == id)
			return im;
	TAILQ_FOREACH(im, &imports.finished, entry)
		if (im->id == id)
			return im;
	return NULL;
}

void
api_import_get(struct request *r)
{
	struct import	*im;
	int64_t		 id;

	if ((id = http_parse_id(r->args[0])) == 0 ||
	    (im = import_find(id)) == NULL) {
		http_reply_error(r, 404, NULL, "no such import (the last %d "
		    "are kept, until hazardd stops)", IMPORT_KEEP);
		return;
	}
	import_reply(r, im);
}
