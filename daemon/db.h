/*
 * The SQLite database: opening, pragmas, migrations, transactions.
 *
 * The thread rule.  Each thread has its own connection, and
 * db_handle() is the calling thread's (NULL if it has none).  The loop's
 * thread opens the daemon's with db_open() at start-up; a thread of its
 * own opens one with db_open_reader() (a digest being built, a worker's
 * statistics) or db_open_writer() (an import, a digest's record), and
 * closes it before it ends.  The store (store.h) may be called on any
 * thread that has a connection: its statements are that thread's, and
 * it calls store_close() before closing it.  The group commit
 * (db_batch_*, db_work_*) belongs to the loop's thread alone: those
 * functions check it, and stop the daemon (fatalx, logged) if called
 * from another, as a bug.  A thread of its own writes in its own
 * transactions (db_begin, db_commit), outside the loop's batch.
 */
#ifndef HAZARDD_DB_H
#define HAZARDD_DB_H

#include <stdint.h>

#include <sqlite3.h>

/* How long the loop waits for another writer's lock; how often it looks. */
#define DB_BUSY_TIMEOUT_MS	250
#define DB_BUSY_SLEEP_MS	5
/* How long a thread of its own (an import) waits for it. */
#define DB_WORKER_BUSY_MS	10000

/* One numbered file of schema/, embedded by schema/embed.sh. */
struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

/* The migrations built into the binary, ending with a NULL name. */
extern const struct migration db_migrations[];

/* How much db_open checks the database ([storage] check_at_start). */
enum db_check {
	DB_CHECK_AUTO,		/* quick_check if small, else the schema */
	DB_CHECK_QUICK,		/* PRAGMA quick_check */
	DB_CHECK_FULL,		/* integrity_check and foreign_key_check */
	DB_CHECK_OFF		/* the schema alone */
};

/* How much the next db_open checks (DB_CHECK_AUTO unless set). */
void	 db_set_check(enum db_check check);

/*
 * Opens (creating if need be) the database at path, sets WAL,
 * synchronous=FULL, foreign keys and a busy timeout, checks it (see
 * db_set_check), and applies the migrations it lacks, each in its own
 * transaction.  A database that fails the check, or newer than this
 * binary, is refused.  Returns 0, or -1 with the reason logged.
 */
int	 db_open(const char *path);

/* Closes the database, checkpointing the WAL. */
void	 db_close(void);

/*
 * For a thread that only reads (a digest being built): opens its own
 * read-only connection to path, which db_handle() and the store then
 * use on that thread, and begins a read transaction, so that every
 * query sees the database as it was at the first.  Returns 0, or -1
 * logged.  db_close_reader() ends it.
 */
int	 db_open_reader(const char *path);
void	 db_close_reader(void);

/*
 * For a reader kept from one piece of work to the next (worker.c):
 * db_read_end() ends its read transaction, so that it holds no old
 * snapshot while it waits (which would keep the WAL from being reset),
 * and db_read_begin() begins the next, which sees all that was
 * committed before its first query.  Return 0, or -1 logged.
 */
int	 db_read_begin(void);
int	 db_read_end(void);

/*
 * For a thread that writes (an import, a digest's record): opens its own connection to
 * path, with the pragmas of db_open(), which db_handle(), the store and
 * db_begin(), db_commit() and db_rollback() then use on that thread,
 * outside the loop's batch.  Returns 0, or -1 logged.
 * db_close_writer() rolls back what is not committed and closes it.
 */
int	 db_open_writer(const char *path);
void	 db_close_writer(void);

/*
 * Set while a thread (an import, a digest's record) holds, or is about
 * to take, the write lock: the loop's writes then find it busy at once
 * (503) instead of waiting DB_BUSY_TIMEOUT_MS for it, each.
 * db_set_writing() counts such threads in (1) and out (0);
 * db_claim_writing() counts one in only if no other writes, and returns
 * whether it did (a digest's record waits for an import rather than
 * for its lock).  db_thread_writing() tells, for the loop's own writes
 * that had better wait (a month's escalations).
 */
void	 db_set_writing(int on);
int	 db_claim_writing(void);
int	 db_thread_writing(void);

/*
 * The step in C of migration 023 (db_chain.c), in its transaction:
 * chains the events made before it, in id order, with chain_hash(), as
 * the ledger would have.  Returns 0, or -1 logged.
 */
int	 db_chain_events(void);

/* The calling thread's connection (NULL if it has none). */
sqlite3	*db_handle(void);

/*
 * 1 on the loop's thread: the one that opened the daemon's connection
 * with db_open() (set until db_close()).  db_loop_only(func) stops the
 * daemon, logged with func, when called from another thread.
 */
int	 db_on_loop(void);
void	 db_loop_only(const char *func);

/*
 * The schema version this binary knows, and the database's (its
 * user_version; -1 if unreadable), of the open handle or of h, a
 * connection of its own (hazardd backup, hazardd check).
 */
int	 db_schema_version(void);
int	 db_version(void);
int	 db_version_of(sqlite3 *h);

/* BEGIN IMMEDIATE, COMMIT, ROLLBACK.  Return 0, or -1 logged. */
int	 db_begin(void);
int	 db_commit(void);
void	 db_rollback(void);

/*
 * Logs the last error of the handle with a word of context (and for a
 * storage fault, what it is); drops a damaged page from the cache.
 */
void	 db_log_error(const char *what);

/*
 * Group commit (db_batch.c).  The write requests of one pass of the
 * event loop share one transaction, the batch, committed by an event of
 * the lowest priority once the pass has read every request that was
 * ready; each request's work runs inside a savepoint of its own, so one
 * that fails undoes only itself.
 */
struct event_base;

/*
 * Makes the commit event, at priority (the base's lowest: it must run
 * after every request of the pass).  Returns 0, or -1 logged.
 */
int	 db_batch_start(struct event_base *base, int priority);

/* Commits what is pending and frees the event (before evhttp goes). */
void	 db_batch_stop(void);

/* Finalizes the statements of transactions (before the handle closes). */
void	 db_batch_finalize(void);

/* 1 while a batch is open. */
int	 db_batch_open(void);

/*
 * Starts a request's work: opens the batch if it is the first (BEGIN
 * IMMEDIATE), then a savepoint.  Returns 0, or -1 logged.
 */
int	 db_work_begin(void);

/*
 * Keeps the request's work in the batch (RELEASE).  Returns 0, or -1
 * logged with the work undone.
 */
int	 db_work_keep(void);

/*
 * Undoes the request's work alone (ROLLBACK TO, RELEASE).  If SQLite
 * lost the whole transaction, the batch has failed: its waiters hear so.
 */
void	 db_work_undo(void);

/*
 * Calls done(arg, committed) once the batch ends: committed is 1 after
 * a COMMIT that returned OK, 0 if nothing of the batch was stored.
 * Without an open batch, done(arg, 0) is called at once.
 */
void	 db_batch_wait(void (*done)(void *arg, int committed), void *arg);

/*
 * Commits the open batch now, and tells its waiters: db's own; the
 * rest of the daemon says why with db_alone().
 */
void	 db_batch_flush(void);

/*
 * The loop's connection is about to be used outside the batch: by work
 * of the loop's own (a timer's, a delivery's record, a page of an
 * export) or by a route whose writes do not join it.  Commits the batch
 * of this pass first, so that nothing reads its work before it is
 * committed nor writes into its transaction.  db_begin() does this
 * itself: a transaction of its own needs no call.
 */
void	 db_alone(void);

/* Ends the open batch as failed (its transaction is already undone). */
void	 db_batch_fail(void);

/* Batches ended and the requests they held: [0] failed, [1] committed. */
void	 db_batch_counts(uint64_t batches[2], uint64_t requests[2]);

/*
 * Checkpoints on a thread of their own (db_checkpoint.c), for the
 * daemon: from then on the loop's connection only appends to the WAL.
 * Returns 0, or -1 logged (SQLite's checkpoints in the commit stay).
 * db_close() stops it.
 */
int	 db_checkpointer_start(const char *path);
void	 db_checkpointer_stop(void);
/*
 * The connection of this thread, a writer of its own (db_open_writer),
 * leaves its checkpoints to that thread too, as the loop's does.
 */
void	 db_checkpoint_watch(void);

/*
 * Whether the checkpoint thread is behind a long WAL: a writer of many
 * commits in a row (the monthly escalations) waits a moment while it
 * is, so that the WAL can begin again.
 */
int	 db_checkpoint_behind(void);

/*
 * The checkpoints that succeeded, rounds[0] the thread's and rounds[1]
 * the loop's (the last frames of a long WAL), the frames they copied
 * into the database, and those that failed.
 */
void	 db_checkpoint_counts(uint64_t rounds[2], uint64_t *frames,
	    uint64_t *failed);

#endif
