/*
 * A run of the cycle, without stopping the loop.  Building a digest
 * reads much of the database (a city's million hazards: seconds), so it
 * is built on a thread of its own with its own read-only connection,
 * which sees the database as it was when the build began; the loop goes
 * on answering meanwhile.  The same thread then records it, with a
 * connection that writes: the digest and its deliveries in one
 * transaction (a city's digest: megabytes, hundreds of milliseconds),
 * during which the loop's writes are refused at once (503) rather than
 * waited for, as during an import's; then the outbox.  The loop makes a
 * month's escalations, before the build (listed on such a thread too:
 * the hazards overdue or open too long, out of a million), a slice at a
 * time; after the build it only hears the digest's id.  Runs go one at
 * a time, in order.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
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
#include "digest_robot.h"
#include "dispatch.h"
#include "log.h"
#include "looplag.h"
#include "notice.h"
#include "outbox.h"
#include "store.h"
#include "xmalloc.h"

/* Where a run is; a thread works in the listing and building phases. */
enum run_phase {
	RUN_QUEUED,
	RUN_LISTING,		/* a thread lists a month's escalations */
	RUN_ESCALATING,		/* the loop makes them, a slice at a time */
	RUN_BUILDING		/* a thread builds and records the digest */
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
	char			*command;
	char			*webhook;

	/* What it leaves. */
	pthread_t		 thread;
	int64_t			 id;		/* the digest recorded, or 0 */
	struct timespec		 t0;		/* when its build began */

	/* A month's escalations, made a slice at a time, before. */
	int			 listed;	/* 0, or -1: not listed */
	int64_t			*escalate;
	size_t			 nescalate, escalated;
	int			 ckpt_waits;	/* the slice's, in a row */
	struct event		*slice;
};

static struct {
	struct event_base	*base;
	TAILQ_HEAD(, run)	 queue;
	struct run		*running;	/* under way (not queued) */
	int			 wake[2];	/* the thread -> the loop */
	struct event		*ev;
	const struct config	*cfg;
	atomic_int		 stopping;	/* the threads read it */
	pthread_t		 ended;		/* a thread to join */
	int			 joinable;
} runs = { .wake = { -1, -1 } };

/* Escalations in one transaction, one pass of the loop. */
#define ESCALATE_SLICE	20
/* Seconds between looks at an import that holds the write lock. */
#define RUN_WAIT_IMPORT	1
/* Milliseconds between a record's looks at another thread's writing. */
#define RUN_WAIT_WRITE	100
/* Between a slice's looks at a checkpoint thread behind a long WAL. */
static const struct timeval ckpt_wait = { 0, 20 * 1000 };
#define CKPT_WAITS_MAX	50

static void	run_next(void);
static void	run_wake(void);
static void	run_later(struct event *);
static void	run_meta(const struct run *, struct digest_meta *);

static void
run_free(struct run *run)
{
	free(run->trigger);
	free(run->language);
	free(run->database);
	free(run->outbox);
	free(run->command);
	free(run->webhook);
	category_free(&run->cfg.categories);
	free(run->escalate);
	if (run->slice != NULL)
		event_free(run->slice);
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

/*
 * The thread: waits until no other thread writes (an import), then
 * counts itself in; 0, or -1 if hazardd stops meanwhile.
 */
static int
run_claim(void)
{
	while (!db_claim_writing()) {
		if (atomic_load(&runs.stopping))
			return -1;
		sqlite3_sleep(RUN_WAIT_WRITE);
	}
	return 0;
}

/*
 * The thread, in the digest's transaction: a daily that the clock made
 * (not one asked for by hand, which may be early) tells each school
 * with a robot what it must do today.  The daily's period is its date.
 */
static int
run_notices(const struct run *run)
{
	if (run->period.kind != CYCLE_DAILY ||
	    strcmp(run->trigger, "manual") == 0)
		return 0;
	return notice_morning(run->name, run->name, run->cfg.due_soon_days,
	    run->language, run->now);
}

/*
 * The thread: stores the digest and its deliveries in one transaction,
 * with its own connection, then publishes the outbox files staged
 * before.  Sets run->id once the digest is committed.
 */
static void
run_store(struct run *run, const char *text, const char *json, const char *md)
{
	struct digest_meta	 m;
	int64_t			 id = 0;
	int			 staged;

	run_meta(run, &m);
	/* Written ahead: once stored, they are only renamed. */
	staged = outbox_stage(run->outbox, m.kind, m.period, m.revision, text,
	    json, md) == 0;
	if (db_open_writer(run->database) == -1 || store_open() == -1)
		goto done;
	if (run_claim() == -1)
		goto done;
	if (db_begin() == -1)
		goto out;
	if (store_digest_insert(&m, run->since, run->until, run->language,
	    text, json, &id) != STORE_OK ||
	    deliver_enqueue(&run->cfg, id, run->now) == -1 ||
	    run_notices(run) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		goto out;
	}
	run->id = m.id = id;
	if (staged)
		(void)outbox_publish(run->outbox, &m);
	else
		(void)outbox_write_digest(&run->cfg, &m, text, json, md);
out:
	db_set_writing(0);
done:
	if (run->id == 0)
		outbox_unstage(run->outbox, &m);
	store_close();
	db_close_writer();
}

/*
 * The thread: builds, renders and serializes the digest, reading only,
 * then records it, unless hazardd stops.
 */
static void *
run_build(void *arg)
{
	struct run	*run = arg;
	json_t		*d;
	char		*text = NULL, *json = NULL, *md = NULL;

	if (db_open_reader(run->database) == 0) {
		if ((d = digest_build(&run->req)) != NULL) {
			text = digest_render_text(d, run->language);
			md = digest_render_robot(d, run->language,
			    (size_t)run->cfg.robot_rows);
			json = json_dumps(d, JSON_COMPACT |
			    JSON_REAL_PRECISION(6));
			json_decref(d);
		}
		store_close();
		db_close_reader();
	}
	if (text != NULL && json != NULL && !atomic_load(&runs.stopping))
		run_store(run, text, json, md);
	free(text);
	free(json);
	free(md);
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
		store_close();
		db_close_reader();
	}
	run_wake();
	return NULL;
}

/*
 * The thread of run has told the loop that it is done, and touches run
 * no more: it is joined later (run_reap).  Its end, which gives back its
 * memory and stack, took 5 to 45 ms of the loop's time when joined at
 * once.
 */
static void
run_detach(struct run *run)
{
	runs.ended = run->thread;
	runs.joinable = 1;
}

/* Joins the thread that ended last, if any. */
static void
run_reap(void)
{
	if (runs.joinable)
		pthread_join(runs.ended, NULL);
	runs.joinable = 0;
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

	run_reap();
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
 * the strings they use (the others still point into the loop's).  Its
 * deliveries are those of the configuration when it began.
 */
static void
run_copy_config(struct run *run)
{
	run->cfg = *runs.cfg;
	run->language = xstrdup(runs.cfg->language);
	run->cfg.language = run->language;
	run->database = xstrdup(runs.cfg->database);
	run->outbox = xstrdup(runs.cfg->outbox);
	run->cfg.outbox = run->outbox;
	run->command = xstrdup(runs.cfg->command);
	run->cfg.command = run->command;
	run->webhook = xstrdup(runs.cfg->webhook);
	run->cfg.webhook = run->webhook;
	category_copy(&run->cfg.categories, &runs.cfg->categories);
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
	if (db_thread_writing()) {
		run_later(run->slice);
		return;
	}
	/*
	 * The WAL is long and being copied back: so waits the slice, a
	 * second at most (a reader may hold the copy back).
	 */
	if (db_checkpoint_behind() && run->ckpt_waits < CKPT_WAITS_MAX) {
		run->ckpt_waits++;
		evtimer_add(run->slice, &ckpt_wait);
		return;
	}
	run->ckpt_waits = 0;
	/*
	 * The loop's own configuration, not the threads' copy, which
	 * shares its departments with the one a reload frees.
	 */
	req.cfg = runs.cfg;
	end = run->escalated + ESCALATE_SLICE;
	if (end > run->nescalate)
		end = run->nescalate;
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

	db_alone();
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
	run_detach(run);
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

/*
 * The thread is done, the digest recorded (or not): the loop kicks its
 * deliveries and answers who asked.
 */
static void
run_built(struct run *run)
{
	struct digest_meta	 m;
	struct timespec		 t1, t2;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	run_detach(run);
	runs.running = NULL;
	if (run->id == 0) {
		run_end(run, STORE_ERROR, 0);
		return;
	}
	deliver_kick();
	if (run->done != NULL)
		run->done(run->arg, STORE_OK, run->id);
	run->done = NULL;
	run_meta(run, &m);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	log_info("%s digest %s revision %d made (%s) in %.0f ms, "
	    "of which %.0f ms in the loop", m.kind, m.period, m.revision,
	    m.trigger, ms(&run->t0, &t2), ms(&t1, &t2));
	run_end(run, STORE_OK, run->id);
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
	struct run		*run;

	/*
	 * A run under way is dropped: the next start makes it.  The
	 * escalations a monthly run has committed stay, and are not made
	 * again (each hazard once a month).  A digest whose thread is
	 * recording it is waited for: it is stored whole, or not at all
	 * (its outbox files are then removed by the thread).
	 */
	atomic_store(&runs.stopping, 1);
	if ((run = runs.running) != NULL) {
		if (run->phase == RUN_LISTING || run->phase == RUN_BUILDING)
			pthread_join(run->thread, NULL);
		runs.running = NULL;
		if (run->id != 0)
			log_info("%s digest %s: made as hazardd stops",
			    cycle_kind_name(run->period.kind), run->name);
		run_end(run, run->id != 0 ? STORE_OK : STORE_ERROR, run->id);
	}
	run_reap();
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
	atomic_store(&runs.stopping, 0);
}
