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
 * Runs period p now, in one transaction: builds its digest (for a month,
 * escalating and dispatching), stores it as the next revision, then
 * writes it to the outbox.  trigger is "schedule", "catchup" or
 * "manual"; only a manual run makes a period that has run already.
 * Returns STORE_OK and the digest's id, STORE_EXISTS if the period has
 * run, or STORE_ERROR (logged).
 */
int	cycle_run(const struct config *cfg, const struct period *p,
	    const char *trigger, time_t now, int64_t *id);

/* The latest period of kind that is due now. */
void	cycle_latest_due(const struct config *cfg, enum cycle_kind kind,
	    time_t now, struct period *p);

#endif
