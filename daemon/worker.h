/*
 * Work off the loop: what reads much of the database (the statistics of
 * a million hazards, a page of a list) runs on a thread with its own
 * read-only connection.
 */
#ifndef HAZARDD_WORKER_H
#define HAZARDD_WORKER_H

struct event_base;

/*
 * Starts the threads, and watches for the ends of their jobs in base.
 * Returns 0, or -1 logged.
 */
int	worker_start(struct event_base *base);

/*
 * Queues work(arg), to run on a thread with a read-only connection to
 * database (db_handle() and the store's statements are that
 * connection's), in a read transaction of its own that sees what was
 * committed before; then done(arg, ok) in the loop; ok is 0 if the
 * work could not run (no connection, hazardd stopping).  Begun in the
 * order queued, several at a time.  Returns 0, or -1 if too many wait
 * already (nothing is queued).
 */
int	worker_queue(const char *database, void (*work)(void *),
	    void (*done)(void *, int), void *arg);

/* Waits for the work under way; the work queued is done with ok 0. */
void	worker_stop(void);

#endif
