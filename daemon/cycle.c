/*
 * The cycle on its own clock.  Each kind has its next run time, a
 * wall-clock instant in the configured zone, and a libevent timer that
 * wakes at that instant or within CYCLE_RECHECK seconds, whichever is
 * first; on every wake the wall clock is read again, and the period
 * that is due runs (unless the database says it has) only once the
 * clock has reached the run time.  Digests go to the outbox after their
 * commit: a write that fails is tried again at the next start or run.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "cycle.h"
#include "db.h"
#include "log.h"
#include "looplag.h"
#include "outbox.h"
#include "store.h"

/*
 * The longest wait between two looks at the wall clock.  libevent's
 * timers are relative (they count on the monotonic clock), so a wall
 * clock stepped after they were armed (NTP, an operator's date -s)
 * would make a run late by the step, or early and on the wrong period
 * if stepped back.  Waking at least this often and comparing the wall
 * clock with the run time bounds the error of a step forward to this
 * many seconds, and a step back only delays the wake.  A timerfd with
 * TFD_TIMER_CANCEL_ON_SET would see a step at once, but libfaketime,
 * with which the tests step the clock, cannot reach it; a wake every
 * half minute costs nothing.
 */
#define CYCLE_RECHECK	30

static struct {
	const struct config	*cfg;
	struct event		*timer[CYCLE__MAX];
	time_t			 due[CYCLE__MAX];	/* the next run */
} cycle;

/* The schedule of a kind. */
static const struct config_when *
when_of(const struct config *cfg, enum cycle_kind kind)
{
	switch (kind) {
	case CYCLE_DAILY:
		return &cfg->daily;
	case CYCLE_WEEKLY:
		return &cfg->weekly;
	default:
		return &cfg->monthly;
	}
}

void
cycle_latest_due(const struct config *cfg, enum cycle_kind kind, time_t now,
    struct period *p)
{
	period_latest_due(kind, when_of(cfg, kind), now, p);
}

/* Arms the timer of kind to wake at its next run, or sooner. */
static void
cycle_wait(enum cycle_kind kind, time_t now)
{
	struct timeval	tv;
	time_t		left = cycle.due[kind] - now;

	tv.tv_sec = left < 1 ? 1 : left > CYCLE_RECHECK ? CYCLE_RECHECK : left;
	tv.tv_usec = 0;
	evtimer_add(cycle.timer[kind], &tv);
}

/* Sets the next run of kind after now, and waits for it. */
static void
cycle_arm(enum cycle_kind kind, time_t now)
{
	struct period	p;

	cycle_latest_due(cycle.cfg, kind, now, &p);
	period_step(&p, 1);
	cycle.due[kind] = period_run_time(&p, when_of(cycle.cfg, kind));
	cycle_wait(kind, now);
}

/* Runs the period of kind that is due, unless it has run. */
static void
cycle_due(enum cycle_kind kind, const char *trigger, time_t now,
    time_t created_at)
{
	struct period	p;
	time_t		since, until;

	cycle_latest_due(cycle.cfg, kind, now, &p);
	period_window(&p, &cycle.cfg->daily, &since, &until);
	if (until < created_at)
		return;
	cycle_run(cycle.cfg, &p, trigger, now, NULL, NULL);
}

/*
 * A kind's timer: if the wall clock has reached the next run, run what
 * is due and wait for the run after; if not (an early wake, or the
 * clock stepped back), wait again.
 */
static void
cycle_fire(evutil_socket_t fd, short events, void *arg)
{
	enum cycle_kind	kind = (enum cycle_kind)(intptr_t)arg;
	time_t		now = time(NULL);
	struct timespec	t0;

	if (now < cycle.due[kind]) {
		cycle_wait(kind, now);
		return;
	}
	looplag_begin(&t0);
	/* Its writes go after the batch of this pass, not into it. */
	db_alone();
	cycle_due(kind, "schedule", now, 0);
	outbox_flush(cycle.cfg);
	cycle_arm(kind, time(NULL));
	looplag_end(&t0, "the %s cycle's timer", cycle_kind_name(kind));
}

/* When the database was created (Unix seconds), or 0. */
static time_t
created_at(void)
{
	char	*v = NULL;
	time_t	 t = 0;

	if (store_meta_get("created_at", &v) == STORE_OK)
		t = (time_t)strtoll(v, NULL, 10);
	free(v);
	return t;
}

int
cycle_start(struct event_base *base, const struct config *cfg)
{
	time_t	now = time(NULL), created = created_at();
	int	k;

	cycle.cfg = cfg;
	if (cycle_runs_start(base) == -1)
		return -1;
	for (k = 0; k < CYCLE__MAX; k++) {
		cycle.timer[k] = evtimer_new(base, cycle_fire,
		    (void *)(intptr_t)k);
		if (cycle.timer[k] == NULL) {
			log_warnx("cycle: cannot make a timer");
			cycle_stop();
			return -1;
		}
		cycle_due(k, "catchup", now, created);
	}
	outbox_flush(cfg);
	for (k = 0; k < CYCLE__MAX; k++)
		cycle_arm(k, time(NULL));
	return 0;
}

void
cycle_set_config(const struct config *cfg)
{
	time_t	now = time(NULL), created = created_at();
	int	k;

	cycle.cfg = cfg;
	for (k = 0; k < CYCLE__MAX; k++) {
		if (cycle.timer[k] == NULL)
			continue;
		evtimer_del(cycle.timer[k]);
		/*
		 * A time moved earlier (daily from 09:00 to 08:00, at
		 * 08:30) has passed: its run is made now, as after a
		 * restart, or the timer would wait for the next day.
		 */
		cycle_due(k, "catchup", now, created);
		cycle_arm(k, time(NULL));
	}
}

void
cycle_stop(void)
{
	int	k;

	cycle_runs_stop();
	for (k = 0; k < CYCLE__MAX; k++) {
		if (cycle.timer[k] != NULL)
			event_free(cycle.timer[k]);
		cycle.timer[k] = NULL;
	}
}
