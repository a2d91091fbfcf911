/*
 * baseline_insert: the minimal durable write server that the write
 * figures of hazardd are compared with.  libevent's evhttp and SQLite
 * configured as hazardd is (WAL, synchronous=FULL): every POST body is
 * inserted into one table, and the answer goes out only after the commit
 * is on disk.  No parsing, no validation, no authentication.
 *
 *	baseline_insert [-g] [-a ADDR] -p PORT -d FILE.db
 *
 * Two ways of committing:
 *
 *  - default: one transaction per request (BEGIN IMMEDIATE, INSERT,
 *    COMMIT), as hazardd does today: one WAL fsync per report;
 *
 *  - -g, group commit: the requests that arrive in one pass of the
 *    event loop are inserted into one open transaction, committed
 *    together once no more input is waiting, and only then answered.
 *    Still durable (nobody gets a 201 before its row is on disk), with
 *    one fsync per batch instead of one per request.
 *
 * How -g finds the end of a pass: the event base has three priorities;
 * evhttp's connections run at the middle one (libevent's default), the
 * commit event at the lowest.  libevent runs a lower priority only when
 * no event of a higher one is active, so the commit runs after every
 * request that was ready has been read.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sqlite3.h>

#define MAX_BODY	65536
#define PRIORITIES	3	/* evhttp gets PRIORITIES / 2 = 1 */
#define PRIO_COMMIT	2	/* the lowest */

/* The requests inserted but not committed yet (group commit). */
struct pending {
	struct evhttp_request	*req;
	sqlite3_int64		 id;
};

static struct {
	sqlite3		*db;
	sqlite3_stmt	*begin, *insert, *commit, *rollback;
	int		 group;
	struct event	*commit_ev;
	struct pending	*pending;
	size_t		 npending, cap;
	int		 in_txn;
	/* Batches and requests committed, printed at exit. */
	unsigned long	 batches, committed;
} srv;

/* Runs a prepared statement without results.  Returns 0 or -1. */
static int
run(sqlite3_stmt *st)
{
	int	rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "baseline_insert: %s\n",
		    sqlite3_errmsg(srv.db));
		return -1;
	}
	return 0;
}

/* Answers 201 {"id":N}, or 503 for id 0 (the commit failed). */
static void
reply(struct evhttp_request *req, sqlite3_int64 id)
{
	struct evbuffer	*out;

	if (id == 0 || (out = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 503, "Service Unavailable");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	evbuffer_add_printf(out, "{\"id\":%lld}", (long long)id);
	evhttp_send_reply(req, 201, "Created", out);
	evbuffer_free(out);
}

/* Inserts the body in the open transaction.  Returns the row id or 0. */
static sqlite3_int64
insert(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	size_t		 len = evbuffer_get_length(in);

	sqlite3_bind_text(srv.insert, 1, (const char *)evbuffer_pullup(in, -1),
	    (int)len, SQLITE_STATIC);
	if (run(srv.insert) == -1)
		return 0;
	return sqlite3_last_insert_rowid(srv.db);
}

/* Group commit: commits the open transaction, then answers them all. */
static void
commit_batch(evutil_socket_t fd, short events, void *arg)
{
	size_t	i;
	int	ok;

	(void)fd;
	(void)events;
	(void)arg;
	if (!srv.in_txn)
		return;
	ok = run(srv.commit) == 0;
	if (!ok)
		(void)run(srv.rollback);
	srv.in_txn = 0;
	srv.batches++;
	srv.committed += ok ? srv.npending : 0;
	for (i = 0; i < srv.npending; i++)
		reply(srv.pending[i].req, ok ? srv.pending[i].id : 0);
	srv.npending = 0;
}

/* One request: a POST is inserted, anything else gets 405. */
static void
on_request(struct evhttp_request *req, void *arg)
{
	sqlite3_int64	id;

	(void)arg;
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_send_error(req, 405, "Method Not Allowed");
		return;
	}
	if (!srv.in_txn) {
		if (run(srv.begin) == -1) {
			reply(req, 0);
			return;
		}
		srv.in_txn = 1;
	}
	if (!srv.group) {
		/* One transaction per request. */
		id = insert(req);
		if (id == 0 || run(srv.commit) == -1) {
			(void)run(srv.rollback);
			id = 0;
		}
		srv.in_txn = 0;
		srv.batches++;
		srv.committed += id != 0;
		reply(req, id);
		return;
	}
	if ((id = insert(req)) == 0) {
		reply(req, 0);
		return;
	}
	if (srv.npending == srv.cap) {
		srv.cap = srv.cap == 0 ? 64 : srv.cap * 2;
		srv.pending = realloc(srv.pending,
		    srv.cap * sizeof(*srv.pending));
		if (srv.pending == NULL) {
			perror("baseline_insert: realloc");
			exit(1);
		}
	}
	srv.pending[srv.npending].req = req;
	srv.pending[srv.npending++].id = id;
	if (srv.npending == 1)
		event_active(srv.commit_ev, EV_TIMEOUT, 0);
}

/* Opens the database as hazardd does, with one table for the bodies. */
static int
open_db(const char *path)
{
	char	*err = NULL;

	if (sqlite3_open_v2(path, &srv.db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(srv.db, 2000);
	if (sqlite3_exec(srv.db, "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = FULL;"
	    "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, "
	    "body TEXT NOT NULL);", NULL, NULL, &err) != SQLITE_OK)
		goto fail;
	if (sqlite3_prepare_v2(srv.db, "BEGIN IMMEDIATE", -1, &srv.begin,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(srv.db, "INSERT INTO reports (body) VALUES (?)",
	    -1, &srv.insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(srv.db, "COMMIT", -1, &srv.commit, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(srv.db, "ROLLBACK", -1, &srv.rollback, NULL) !=
	    SQLITE_OK)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "baseline_insert: %s: %s\n", path, err != NULL ? err :
	    srv.db != NULL ? sqlite3_errmsg(srv.db) : "out of memory");
	sqlite3_free(err);
	return -1;
}

/* SIGINT, SIGTERM: commit what is pending and leave the loop. */
static void
on_signal(evutil_socket_t sig, short events, void *arg)
{
	(void)sig;
	(void)events;
	commit_batch(-1, 0, NULL);
	event_base_loopexit(arg, NULL);
}

int
main(int argc, char *argv[])
{
	struct event_base	*base;
	struct evhttp		*http;
	struct event		*sigint, *sigterm;
	const char		*addr = "127.0.0.1", *path = NULL;
	int			 ch, port = 0;

	while ((ch = getopt(argc, argv, "a:d:gp:")) != -1) {
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'd': path = optarg; break;
		case 'g': srv.group = 1; break;
		case 'p': port = atoi(optarg); break;
		default: goto usage;
		}
	}
	if (port <= 0 || port > 65535 || path == NULL || optind != argc)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	if (open_db(path) == -1)
		return 1;
	if ((base = event_base_new()) == NULL ||
	    event_base_priority_init(base, PRIORITIES) == -1 ||
	    (http = evhttp_new(base)) == NULL) {
		fprintf(stderr, "baseline_insert: libevent set-up failed\n");
		return 1;
	}
	srv.commit_ev = event_new(base, -1, 0, commit_batch, NULL);
	if (srv.commit_ev == NULL ||
	    event_priority_set(srv.commit_ev, PRIO_COMMIT) == -1) {
		fprintf(stderr, "baseline_insert: libevent set-up failed\n");
		return 1;
	}
	evhttp_set_max_body_size(http, MAX_BODY);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	evhttp_set_gencb(http, on_request, NULL);
	if (evhttp_bind_socket(http, addr, (ev_uint16_t)port) != 0) {
		fprintf(stderr, "baseline_insert: cannot listen on %s:%d\n",
		    addr, port);
		return 1;
	}
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, on_signal, base);
	if (sigint == NULL || sigterm == NULL || evsignal_add(sigint, NULL) ||
	    evsignal_add(sigterm, NULL)) {
		fprintf(stderr, "baseline_insert: cannot handle signals\n");
		return 1;
	}
	event_base_dispatch(base);
	fprintf(stderr, "baseline_insert: %lu rows in %lu commits "
	    "(%.1f a commit)\n", srv.committed, srv.batches, srv.batches ?
	    (double)srv.committed / srv.batches : 0.0);
	event_free(srv.commit_ev);
	event_free(sigint);
	event_free(sigterm);
	evhttp_free(http);
	event_base_free(base);
	sqlite3_finalize(srv.begin);
	sqlite3_finalize(srv.insert);
	sqlite3_finalize(srv.commit);
	sqlite3_finalize(srv.rollback);
	sqlite3_close(srv.db);
	free(srv.pending);
	return 0;
usage:
	fprintf(stderr, "usage: baseline_insert [-g] [-a ADDR] -p PORT "
	    "-d FILE.db\n");
	return 2;
}
