/*
 * The cycle on its own clock: daily track, weekly summary, monthly
 * dispatch.  Each period runs exactly once (recorded in the database),
 * a period missed while the daemon was down is made when it comes back,
 * and a run by hand adds a revision.
 */
#ifndef HAZARDD_CYCLE_H
#define HAZARDD_CYCLE_H

#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "config.h"
#include "period.h"

/*
 * Makes the most recent missed period of each kind (unless it ended
 * before the database was created), writes what the outbox lacks, and
 * arms a timer for each kind's next run.  Returns 0, or -1 (logged).
 */
int	cycle_start(struct event_base *base, const struct config *cfg);

/* Points the cycle at a new configuration and re-arms its timers. */
void	cycle_set_config(const struct config *cfg);

/* Disarms the timers. */
void	cycle_stop(void);

/*
 * Runs period p: its digest is built on a thread (the loop goes on),
 * stored as the next revision with its deliveries, then written to the
 * outbox; for a month, the escalations are made first.  trigger is
 * "schedule", "catchup" or "manual"; only a manual run makes a period
 * that has run already.  Runs wait for each other.  done, if not NULL,
 * is called from the loop with STORE_OK and the digest's id, STORE_EXISTS
 * if the period had run, or STORE_ERROR (logged; also when the daemon
 * stops before the digest is made).
 */
void	cycle_run(const struct config *cfg, const struct period *p,
	    const char *trigger, time_t now,
	    void (*done)(void *arg, int rc, int64_t id), void *arg);

/* Readies the runs, and ends them (waiting for a build under way). */
int	cycle_runs_start(struct event_base *base);
void	cycle_runs_stop(void);

/* The latest period of kind that is due now. */
void	cycle_latest_due(const struct config *cfg, enum cycle_kind kind,
	    time_t now, struct period *p);

#endif
