/*
 * A run of the cycle, without stopping the loop.  Building a digest
 * reads much of the database (a city's million hazards: seconds), so it
 * is built on a thread of its own with its own read-only connection,
 * which sees the database as it was when the build began; the loop goes
 * on answering meanwhile.  The loop does the writes: before the build,
 * a month's escalations (listed on such a thread too: the hazards
 * overdue or open too long, out of a million); after it, the digest and
 * its deliveries in one short transaction, then the outbox.  Runs go one
 * at a time, in order.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cycle.h"
#include "db.h"
#include "deliver.h"
#include "digest.h"
#include "log.h"
#include "looplag.h"
#include "store.h"
#include "xmalloc.h"

/* Where a run is; a thread works in the listing and building phases. */
enum run_phase {
	RUN_QUEUED,
	RUN_LISTING,		/* a thread lists a month's escalations */
	RUN_ESCALATING,		/* the loop makes them, a slice at a time */
	RUN_BUILDING		/* a thread builds the digest */
};

struct run {
	TAILQ_ENTRY(run)	 entry;
	enum run_phase		 phase;
	struct period		 period;
	char			 name[PERIOD_NAME_LEN];
	char			*trigger;
	time_t			 now;
	time_t			 since, until;
	void			(*done)(void *, int, int64_t);
	void			*arg;

	/* What the thread reads: its own copies. */
	struct digest_request	 req;
	struct config		 cfg;		/* numbers, and: */
	char			*language;
	char			*database;
	char			*outbox;

	/* What it leaves. */
	pthread_t		 thread;
	char			*text;
	char			*json;
	int			 staged;	/* in the outbox, unnamed */
	struct timespec		 t0;		/* when its build began */

	/* A month's escalations, made a slice at a time, before. */
	int			 listed;	/* 0, or -1: not listed */
	int64_t			*escalate;
	size_t			 nescalate, escalated;
	struct event		*slice;

	/* Built while an import writes: recorded once it has ended. */
	struct event		*wait;
};

static struct {
	struct event_base	*base;
	TAILQ_HEAD(, run)	 queue;
	struct run		*running;	/* under way (not queued) */
	int			 wake[2];	/* the thread -> the loop */
	struct event		*ev;
	const struct config	*cfg;
	int			 stopping;
} runs = { .wake = { -1, -1 } };

/* Escalations in one transaction, one pass of the loop. */
#define ESCALATE_SLICE	50
/* Seconds between looks at an import that holds the write lock. */
#define RUN_WAIT_IMPORT	1

static void	run_next(void);
static void	run_wake(void);
static void	run_later(struct event *);
static void	run_built(struct run *);

static void
run_free(struct run *run)
{
	free(run->trigger);
	free(run->language);
	free(run->database);
	free(run->outbox);
	free(run->escalate);
	if (run->slice != NULL)
		event_free(run->slice);
	if (run->wait != NULL)
		event_free(run->wait);
	free(run->text);
	free(run->json);
	free(run);
}

/* Ends a run: tells who asked, and goes on with the next. */
static void
run_end(struct run *run, int rc, int64_t id)
{
	if (rc == STORE_ERROR && runs.stopping)
		log_info("%s digest %s: not made, as hazardd stops; the next "
		    "start makes it", cycle_kind_name(run->period.kind),
		    run->name);
	else if (rc == STORE_ERROR)
		log_warnx("%s digest %s: the run failed; nothing was recorded",
		    cycle_kind_name(run->period.kind), run->name);
	if (run->done != NULL)
		run->done(run->arg, rc, id);
	run_free(run);
}

/* The thread: builds, renders and serializes the digest, reading only. */
static void *
run_build(void *arg)
{
	struct run	*run = arg;
	json_t		*d;

	if (db_open_reader(run->database) == 0) {
		if ((d = digest_build(&run->req)) != NULL) {
			run->text = digest_render_text(d, run->language);
			run->json = json_dumps(d, JSON_COMPACT |
			    JSON_REAL_PRECISION(6));
			json_decref(d);
		}
		db_close_reader();
		/* Written ahead: the loop only renames them, once stored. */
		if (run->text != NULL && run->json != NULL)
			run->staged = outbox_stage(run->outbox,
			    cycle_kind_name(run->period.kind), run->name,
			    run->req.revision, run->text, run->json) == 0;
	}
	run_wake();
	return NULL;
}

/* The thread: lists the hazards a monthly run escalates, reading only. */
static void *
run_list(void *arg)
{
	struct run	*run = arg;

	run->listed = -1;
	if (db_open_reader(run->database) == 0) {
		run->listed = digest_escalation_list(&run->req, &run->escalate,
		    &run->nescalate);
		db_close_reader();
	}
	run_wake();
	return NULL;
}

/* A thread tells the loop that it is done. */
static void
run_wake(void)
{
	while (write(runs.wake[1], "", 1) == -1 && errno == EINTR)
		;
}

/*
 * Starts phase (listing or building) on a thread, with every signal
 * blocked in it: the loop's.
 */
static int
run_thread(struct run *run, enum run_phase phase)
{
	sigset_t	all, old;
	int		rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&run->thread, NULL, phase == RUN_LISTING ?
	    run_list : run_build, run);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_warnx("digest: cannot start a thread: %s", strerror(rc));
		return -1;
	}
	pthread_setname_np(run->thread, "hazardd-digest");
	run->phase = phase;
	return 0;
}

/*
 * Gives the run its own copy of what its threads read: the numbers, and
 * the strings they use (the others still point into the loop's).
 */
static void
run_copy_config(struct run *run)
{
	run->cfg = *runs.cfg;
	run->language = xstrdup(runs.cfg->language);
	run->cfg.language = run->language;
	run->database = xstrdup(runs.cfg->database);
	run->outbox = xstrdup(runs.cfg->outbox);
	run->req.cfg = &run->cfg;
}

/* Starts the build. */
static int
run_build_start(struct run *run)
{
	clock_gettime(CLOCK_MONOTONIC, &run->t0);
	return run_thread(run, RUN_BUILDING);
}

/*
 * The next slice, in the next pass of the loop: a timer of no time
 * waits for the requests that are ready (an event made active would run
 * again in this pass, before them).
 */
static void
run_again(struct run *run)
{
	struct timeval	now = { 0, 0 };

	evtimer_add(run->slice, &now);
}

/*
 * An event of the run, a second from now: while an import holds the
 * write lock, the run's writes would be refused, and the run lost until
 * the next.
 */
static void
run_later(struct event *ev)
{
	struct timeval	later = { RUN_WAIT_IMPORT, 0 };

	evtimer_add(ev, &later);
}

/*
 * A slice of a month's escalations, each slice committed: if the run
 * stops half-way, the next escalates the rest (each hazard once a
 * month), then builds the digest, which lists them all.
 */
static void
run_escalate(evutil_socket_t fd, short events, void *arg)
{
	struct run		*run = arg;
	struct digest_request	 req = run->req;
	size_t			 end;

	(void)fd, (void)events;
	/* An import holds the write lock: the slice waits for it. */
	if (db_import_writing()) {
		run_later(run->slice);
		return;
	}
	/*
	 * The loop's own configuration, not the threads' copy, which
	 * shares its departments with the one a reload frees.
	 */
	req.cfg = runs.cfg;
	end = run->escalated + ESCALATE_SLICE;
	if (end > run->nescalate)
		end = run->nescalate;
	db_batch_flush();
	if (db_begin() == -1)
		goto fail;
	for (; run->escalated < end; run->escalated++)
		if (digest_escalate_one(&req,
		    run->escalate[run->escalated]) == -1) {
			db_rollback();
			goto fail;
		}
	if (db_commit() == -1)
		goto fail;
	if (run->escalated < run->nescalate) {
		run_again(run);
		return;
	}
	log_info("monthly dispatch %s: %zu hazards escalated", run->name,
	    run->nescalate);
	if (run_build_start(run) == 0)
		return;
fail:
	runs.running = NULL;
	run_end(run, STORE_ERROR, 0);
	run_next();
}

/*
 * Begins a run: is it due, which revision; then lists the escalations
 * (monthly) or builds.
 */
static int
run_begin(struct run *run)
{
	const char	*kind = cycle_kind_name(run->period.kind);
	time_t		 since, until, covered, before;
	int		 latest;

	db_batch_flush();
	if (store_digest_coverage(kind, run->name, &latest, &covered,
	    &before) != STORE_OK)
		return STORE_ERROR;
	/*
	 * The schedule (or the catch-up) makes a period once: not again if
	 * a revision covers it whole.  One made by hand before the period
	 * ended (today's daily at 07:00, this week's on Wednesday) covers
	 * only part of it, and the scheduled run is still to come.
	 */
	period_window(&run->period, &runs.cfg->daily, &since, &until);
	if (latest > 0 && strcmp(run->trigger, "manual") != 0 &&
	    covered >= until)
		return STORE_EXISTS;
	/*
	 * A daily covers the time since the previous daily run: after
	 * days down, or a daily time moved, that is not the day before.
	 */
	run->req.since = 0;
	if (run->period.kind == CYCLE_DAILY && before > 0 && before < until)
		run->req.since = run->since = before;
	run->req.period = run->period;
	run->req.revision = latest + 1;
	run->req.trigger = run->trigger;
	run->req.made_at = run->now;
	run_copy_config(run);
	if (run->period.kind == CYCLE_MONTHLY)
		return run_thread(run, RUN_LISTING) == 0 ? STORE_OK :
		    STORE_ERROR;
	return run_build_start(run) == 0 ? STORE_OK : STORE_ERROR;
}

/* The escalations are listed: the loop makes them, then the build. */
static void
run_listed(struct run *run)
{
	pthread_join(run->thread, NULL);
	run->phase = RUN_ESCALATING;
	if (run->listed == -1)
		goto fail;
	if (run->nescalate == 0) {
		if (run_build_start(run) == -1)
			goto fail;
		return;
	}
	if ((run->slice = evtimer_new(runs.base, run_escalate, run)) == NULL)
		goto fail;
	run_again(run);
	return;
fail:
	runs.running = NULL;
	run_end(run, STORE_ERROR, 0);
}

static double
ms(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

/* What the digest of a run is called. */
static void
run_meta(const struct run *run, struct digest_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->kind = cycle_kind_name(run->period.kind);
	m->period = run->name;
	m->revision = run->req.revision;
	m->trigger = run->trigger;
	m->made_at = run->now;
}

/* The thread is done: records the digest, then writes the outbox. */
static void
run_record(struct run *run)
{
	struct digest_meta	 m;
	struct timespec		 t1, t2;
	int64_t			 id = 0;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(run->thread, NULL);
	runs.running = NULL;
	run_meta(run, &m);
	db_batch_flush();
	if (run->text == NULL || run->json == NULL || db_begin() == -1)
		goto fail;
	if (store_digest_insert(&m, run->since, run->until,
	    run->language, run->text, run->json, &id) != STORE_OK ||
	    deliver_enqueue(runs.cfg, id, run->now) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		goto fail;
	}
	m.id = id;
	if (run->staged)
		(void)outbox_publish(run->outbox, &m);
	else
		(void)outbox_write_digest(runs.cfg, &m, run->text, run->json);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	log_info("%s digest %s revision %d made (%s) in %.0f ms, "
	    "of which %.0f ms in the loop", m.kind, m.period, m.revision,
	    m.trigger, ms(&run->t0, &t2), ms(&t1, &t2));
	deliver_kick();
	run_end(run, STORE_OK, id);
	return;
fail:
	if (run->staged)
		outbox_unstage(run->outbox, &m);
	run_end(run, STORE_ERROR, 0);
}

/* The timer of a built run that waited for an import. */
static void
run_record_later(evutil_socket_t fd, short events, void *arg)
{
	(void)fd, (void)events;
	run_built(arg);
	run_next();
}

/*
 * The thread has built the digest: it is recorded now, or once the
 * import that holds the write lock has ended.
 */
static void
run_built(struct run *run)
{
	if (db_import_writing()) {
		if (run->wait == NULL && (run->wait = evtimer_new(runs.base,
		    run_record_later, run)) == NULL)
			fatalx("evtimer_new");
		run_later(run->wait);
		return;
	}
	run_record(run);
}

/* Starts the runs waiting, until one goes to its thread. */
static void
run_next(void)
{
	struct run	*run;
	int		 rc;

	while (runs.running == NULL && (run = TAILQ_FIRST(&runs.queue))) {
		TAILQ_REMOVE(&runs.queue, run, entry);
		if ((rc = run_begin(run)) == STORE_OK)
			runs.running = run;
		else
			run_end(run, rc, 0);
	}
}

/* A thread of the run ended: its results are taken on the loop. */
static void
run_woken(evutil_socket_t fd, short events, void *arg)
{
	struct timespec	t0;
	char		buf[16], name[PERIOD_NAME_LEN + 16] = "no run";

	(void)events, (void)arg;
	looplag_begin(&t0);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if (runs.running != NULL)
		snprintf(name, sizeof(name), "%s %s",
		    cycle_kind_name(runs.running->period.kind),
		    runs.running->name);
	if (runs.running != NULL && runs.running->phase == RUN_LISTING)
		run_listed(runs.running);
	else if (runs.running != NULL && runs.running->phase == RUN_BUILDING)
		run_built(runs.running);
	run_next();
	looplag_end(&t0, "the digest run of %s", name);
}

void
cycle_run(const struct config *cfg, const struct period *p,
    const char *trigger, time_t now, void (*done)(void *, int, int64_t),
    void *arg)
{
	struct run	*run;

	run = xcalloc(1, sizeof(*run));
	run->period = *p;
	period_name(p, run->name, sizeof(run->name));
	period_window(p, &cfg->daily, &run->since, &run->until);
	if (run->until > now)
		run->until = now + 1;
	run->trigger = xstrdup(trigger);
	run->now = now;
	run->done = done;
	run->arg = arg;
	runs.cfg = cfg;
	TAILQ_INSERT_TAIL(&runs.queue, run, entry);
	run_next();
}

int
cycle_runs_start(struct event_base *base)
{
	TAILQ_INIT(&runs.queue);
	runs.base = base;
	if (pipe2(runs.wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("digest: pipe");
		return -1;
	}
	runs.ev = event_new(base, runs.wake[0], EV_READ | EV_PERSIST,
	    run_woken, NULL);
	if (runs.ev == NULL || event_add(runs.ev, NULL) == -1) {
		log_warnx("digest: cannot watch the pipe");
		return -1;
	}
	return 0;
}

void
cycle_runs_stop(void)
{
	struct digest_meta	 m;
	struct run		*run;

	/*
	 * A run under way is dropped: the next start makes it.  The
	 * escalations a monthly run has committed stay, and are not made
	 * again (each hazard once a month).
	 */
	runs.stopping = 1;
	if ((run = runs.running) != NULL) {
		if (run->phase == RUN_LISTING || run->phase == RUN_BUILDING)
			pthread_join(run->thread, NULL);
		runs.running = NULL;
		if (run->staged) {
			run_meta(run, &m);
			outbox_unstage(run->outbox, &m);
		}
		run_end(run, STORE_ERROR, 0);
	}
	while (runs.base != NULL && (run = TAILQ_FIRST(&runs.queue))) {
		TAILQ_REMOVE(&runs.queue, run, entry);
		run_end(run, STORE_ERROR, 0);
	}
	if (runs.ev != NULL)
		event_free(runs.ev);
	runs.ev = NULL;
	if (runs.wake[0] != -1) {
		close(runs.wake[0]);
		close(runs.wake[1]);
	}
	runs.wake[0] = runs.wake[1] = -1;
	runs.base = NULL;
	runs.stopping = 0;
}
