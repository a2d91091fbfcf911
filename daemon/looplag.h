/*
 * How late the event loop runs.  A timer that should fire every 50 ms
 * measures by how much it fires late (hazardd_loop_lag_seconds in
 * /metrics); the work that held the loop for over 100 ms is logged, by
 * the name of the request or the job that ran.
 */
#ifndef HAZARDD_LOOPLAG_H
#define HAZARDD_LOOPLAG_H

#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>

/* Starts the timer.  Returns 0, or -1 with the reason logged. */
int	looplag_start(struct event_base *base);

/* Stops the timer and frees it. */
void	looplag_stop(void);

/* The start of a piece of work on the loop (CLOCK_MONOTONIC). */
void	looplag_begin(struct timespec *t0);

/*
 * The end of the work that began at t0: if it held the loop for over
 * 100 ms, logs how long, named by the format (a request's method and
 * path without its query, or a job: never a secret).
 */
void	looplag_end(const struct timespec *t0, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Writes the loop's lag in Prometheus text format. */
void	looplag_metrics(struct evbuffer *out);

#endif
