/*
 * How late the event loop runs.  Whatever holds the loop (a slow query,
 * a large digest) delays every request and the watchdog's ping: the
 * lag of a timer is what they all waited.  The timer is armed from the
 * time it fired, so that each lag is measured once.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "looplag.h"

#define LOOPLAG_TICK_MS	50	/* how often the timer should fire */
#define LOOPLAG_SLOW_MS	100	/* work held the loop long enough to log */

static const double lag_bounds[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
#define NBOUNDS	(sizeof(lag_bounds) / sizeof(lag_bounds[0]))

static struct {
	struct event_base	*base;
	struct event		*tick;
	struct timespec		 due;		/* when the timer should fire */
	int			 named;		/* a slow work was logged */
	time_t			 logged;	/* the last late tick logged */
	unsigned		 unlogged;	/* late ticks since */
	uint64_t		 buckets[NBOUNDS + 1];
	uint64_t		 count;
	double			 sum;
	double			 max;
} lag;

/* Seconds from a to b. */
static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Arms the timer from now. */
static void
arm(void)
{
	struct timeval	tv = { 0, LOOPLAG_TICK_MS * 1000 };

	/* libevent counts from the time its pass began: from now instead. */
	event_base_update_cache_time(lag.base);
	clock_gettime(CLOCK_MONOTONIC, &lag.due);
	lag.due.tv_nsec += LOOPLAG_TICK_MS * 1000000L;
	if (lag.due.tv_nsec >= 1000000000L) {
		lag.due.tv_sec++;
		lag.due.tv_nsec -= 1000000000L;
	}
	if (evtimer_add(lag.tick, &tv) == -1)
		log_warnx("looplag: cannot arm the timer");
}

/* The timer's callback: counts how late it came, and arms it again. */
static void
looplag_tick(evutil_socket_t fd, short events, void *arg)
{
	struct timespec	now;
	double		late;
	size_t		i;

	(void)fd, (void)events, (void)arg;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((late = elapsed(&lag.due, &now)) < 0)
		late = 0;
	for (i = 0; i < NBOUNDS; i++)
		if (late <= lag_bounds[i])
			break;
	lag.buckets[i]++;
	lag.count++;
	lag.sum += late;
	if (late > lag.max)
		lag.max = late;
	/*
	 * Many short pieces of work held the loop, none logged: said at
	 * most every 10 s, under a load that does it at every tick.
	 */
	if (late * 1000 > LOOPLAG_SLOW_MS && !lag.named) {
		if (now.tv_sec - lag.logged >= 10) {
			log_warnx("loop: a timer fired %.0f ms late, held by "
			    "pieces of work of under %d ms each (%u more "
			    "such since the last)", late * 1000,
			    LOOPLAG_SLOW_MS, lag.unlogged);
			lag.logged = now.tv_sec;
			lag.unlogged = 0;
		} else
			lag.unlogged++;
	}
	lag.named = 0;
	arm();
}

int
looplag_start(struct event_base *base)
{
	lag.base = base;
	if ((lag.tick = evtimer_new(base, looplag_tick, NULL)) == NULL) {
		log_warnx("looplag: cannot make the timer");
		return -1;
	}
	arm();
	return 0;
}

void
looplag_stop(void)
{
	if (lag.tick != NULL)
		event_free(lag.tick);
	lag.tick = NULL;
}

void
looplag_begin(struct timespec *t0)
{
	clock_gettime(CLOCK_MONOTONIC, t0);
}

void
looplag_end(const struct timespec *t0, const char *fmt, ...)
{
	struct timespec	now;
	char		what[256];
	va_list		ap;
	double		secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((secs = elapsed(t0, &now)) * 1000 <= LOOPLAG_SLOW_MS)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	log_warnx("loop: %s held the loop for %.0f ms", what, secs * 1000);
	lag.named = 1;
}

void
looplag_metrics(struct evbuffer *out)
{
	uint64_t	cum = 0;
	size_t		i;

	evbuffer_add_printf(out,
	    "# HELP hazardd_loop_lag_seconds How late a timer of the event "
	    "loop fired, every 50 ms: how long the loop was held.\n"
	    "# TYPE hazardd_loop_lag_seconds histogram\n");
	for (i = 0; i < NBOUNDS; i++) {
		cum += lag.buckets[i];
		evbuffer_add_printf(out, "hazardd_loop_lag_seconds_bucket"
		    "{le=\"%g\"} %" PRIu64 "\n", lag_bounds[i], cum);
	}
	evbuffer_add_printf(out,
	    "hazardd_loop_lag_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n"
	    "hazardd_loop_lag_seconds_sum %.6f\n"
	    "hazardd_loop_lag_seconds_count %" PRIu64 "\n"
	    "# HELP hazardd_loop_lag_max_seconds The longest of those lags "
	    "since the start.\n"
	    "# TYPE hazardd_loop_lag_max_seconds gauge\n"
	    "hazardd_loop_lag_max_seconds %.6f\n",
	    lag.count, lag.sum, lag.count, lag.max);
}
