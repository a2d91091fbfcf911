/*
 * Delivering digests through the configured channels.  Each digest
 * gets a pending delivery per channel in the transaction that stores
 * it; a delivery is tried until it succeeds, with back-off, across
 * restarts, and is marked done once it has.  The command channel runs
 * `[deliver] command` with the digest's text on stdin, without
 * blocking the loop, within a time limit.
 */
#ifndef HAZARDD_DELIVER_H
#define HAZARDD_DELIVER_H

#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "config.h"

/* Starts delivering what is pending.  Returns 0, or -1 (logged). */
int	deliver_start(struct event_base *base, const struct config *cfg);

/* Points deliveries at a new configuration (the next try uses it). */
void	deliver_set_config(const struct config *cfg);

/* Stops: a command still running is left to finish on its own. */
void	deliver_stop(void);

/*
 * Within the transaction that stores a digest: a pending delivery for
 * each configured channel.  Returns 0, or -1 (logged).
 */
int	deliver_enqueue(const struct config *cfg, int64_t digest_id,
	    time_t now);

/* Tries what is due now (after a digest was committed). */
void	deliver_kick(void);

/*
 * Tries what is due at the loop's next pass: after a request that made
 * a notice, whose batch commits first (deliver_due flushes it).
 */
void	deliver_soon(void);

#endif
