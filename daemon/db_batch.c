/*
 * Group commit.  The write requests that arrive in one pass of the event
 * loop share one transaction (the batch): the first opens it with BEGIN
 * IMMEDIATE and activates the commit event, each runs inside a savepoint
 * of its own, and the commit event, at the lowest priority, commits
 * them together once every request that was ready has been read.  Then,
 * and only then, their answers go out: one fsync for the batch instead
 * of one per request, and still nobody is told "stored" before it is.
 *
 * A request that fails undoes its savepoint only; the others stay.  A
 * commit that fails stores none of the batch, and every request that
 * waited is told so (503).
 */
#include <stdlib.h>

#include <event2/event.h>

#include "db.h"
#include "log.h"
#include "looplag.h"
#include "xmalloc.h"

/* The statements of transactions, prepared once. */
enum tx {
	TX_BEGIN,
	TX_COMMIT,
	TX_SAVEPOINT,
	TX_RELEASE,
	TX_ROLLBACK_TO,
	TX__MAX
};

static const char *const tx_sql[TX__MAX] = {
	"BEGIN IMMEDIATE",
	"COMMIT",
	"SAVEPOINT work",
	"RELEASE work",
	"ROLLBACK TO work"
};

/* Who waits for the end of the batch. */
struct waiter {
	void	(*done)(void *, int);
	void	 *arg;
};

static struct {
	sqlite3_stmt	*tx[TX__MAX];
	struct event	*commit_ev;
	int		 open;		/* the batch's transaction is */
	struct waiter	*waiters;
	size_t		 nwaiters;
	size_t		 cap;
	uint64_t	 batches[2];	/* by committed (1) or not (0) */
	uint64_t	 requests[2];
} batch;

/* Runs one of the statements.  Returns 0, or -1 logged. */
static int
tx_run(enum tx i)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (batch.tx[i] == NULL && sqlite3_prepare_v3(db_handle(),
	    tx_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &batch.tx[i], NULL) !=
	    SQLITE_OK) {
		db_log_error(tx_sql[i]);
		return -1;
	}
	st = batch.tx[i];
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		db_log_error(tx_sql[i]);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Ends the batch: its transaction is over (committed or not), and each
 * request that waited hears how.  The list is taken first: an answer
 * may not add to it, but a new batch must start empty all the same.
 */
static void
batch_end(int committed)
{
	struct waiter	*w = batch.waiters;
	size_t		 i, n = batch.nwaiters;

	batch.open = 0;
	batch.waiters = NULL;
	batch.nwaiters = batch.cap = 0;
	batch.batches[committed]++;
	batch.requests[committed] += n;
	if (!committed && n > 0)
		log_warnx("database: a batch of %zu changes was not committed; "
		    "each was answered 503", n);
	for (i = 0; i < n; i++)
		w[i].done(w[i].arg, committed);
	free(w);
}

/*
 * After a failed statement: SQLite undoes the whole transaction on some
 * errors (a full disk, an I/O error), the other requests' work too.
 * Returns 1 if it did, after telling them.
 */
static int
batch_lost(void)
{
	if (!batch.open || sqlite3_get_autocommit(db_handle()) == 0)
		return 0;
	batch_end(0);
	return 1;
}

/* The commit event: the pass of the loop has read all it could. */
static void
batch_commit_cb(evutil_socket_t fd, short events, void *arg)
{
	struct timespec	t0;

	(void)fd;
	(void)events;
	(void)arg;
	looplag_begin(&t0);
	db_batch_flush();
	looplag_end(&t0, "the commit of grouped writes");
}

int
db_batch_start(struct event_base *base, int priority)
{
	db_loop_only(__func__);
	batch.commit_ev = event_new(base, -1, 0, batch_commit_cb, NULL);
	if (batch.commit_ev == NULL ||
	    event_priority_set(batch.commit_ev, priority) == -1) {
		log_warnx("database: cannot set up the commit event");
		db_batch_stop();
		return -1;
	}
	return 0;
}

void
db_batch_stop(void)
{
	db_loop_only(__func__);
	db_batch_flush();
	if (batch.commit_ev != NULL)
		event_free(batch.commit_ev);
	batch.commit_ev = NULL;
}

void
db_batch_finalize(void)
{
	int	i;

	for (i = 0; i < TX__MAX; i++) {
		sqlite3_finalize(batch.tx[i]);
		batch.tx[i] = NULL;
	}
}

int
db_batch_open(void)
{
	return batch.open;
}

int
db_work_begin(void)
{
	db_loop_only(__func__);
	/*
	 * A statement of an earlier request may have failed where SQLite
	 * undoes the whole transaction (a read's I/O error): the batch is
	 * gone, and a savepoint now would begin a transaction of its own.
	 */
	(void)batch_lost();
	if (!batch.open) {
		if (tx_run(TX_BEGIN) == -1)
			return -1;
		batch.open = 1;
		if (batch.commit_ev != NULL)
			event_active(batch.commit_ev, EV_TIMEOUT, 0);
	}
	if (tx_run(TX_SAVEPOINT) == -1) {
		(void)batch_lost();
		return -1;
	}
	return 0;
}

int
db_work_keep(void)
{
	db_loop_only(__func__);
	if (tx_run(TX_RELEASE) == 0)
		return 0;
	db_work_undo();
	return -1;
}

void
db_work_undo(void)
{
	db_loop_only(__func__);
	if (batch_lost())
		return;
	if (tx_run(TX_ROLLBACK_TO) == -1 || tx_run(TX_RELEASE) == -1) {
		/* The savepoint is stuck: the batch cannot be trusted. */
		if (!batch_lost()) {
			db_rollback();
			(void)batch_lost();
		}
		return;
	}
	/* Without a commit event (no loop), nobody else will commit. */
	if (batch.commit_ev == NULL && batch.nwaiters == 0)
		db_batch_flush();
}

void
db_batch_wait(void (*done)(void *arg, int committed), void *arg)
{
	db_loop_only(__func__);
	(void)batch_lost();
	if (!batch.open) {
		done(arg, 0);
		return;
	}
	if (batch.nwaiters == batch.cap) {
		batch.cap = batch.cap == 0 ? 64 : batch.cap * 2;
		batch.waiters = xreallocarray(batch.waiters, batch.cap,
		    sizeof(*batch.waiters));
	}
	batch.waiters[batch.nwaiters].done = done;
	batch.waiters[batch.nwaiters++].arg = arg;
	if (batch.commit_ev == NULL)
		db_batch_flush();
}

void
db_batch_flush(void)
{
	int	committed;

	db_loop_only(__func__);
	if (!batch.open)
		return;
	committed = tx_run(TX_COMMIT) == 0;
	if (!committed && sqlite3_get_autocommit(db_handle()) == 0)
		db_rollback();
	if (batch.open)
		batch_end(committed);
}

void
db_batch_fail(void)
{
	db_loop_only(__func__);
	if (batch.open)
		batch_end(0);
}

void
db_batch_counts(uint64_t batches[2], uint64_t requests[2])
{
	batches[0] = batch.batches[0];
	batches[1] = batch.batches[1];
	requests[0] = batch.requests[0];
	requests[1] = batch.requests[1];
}
