/*
 * Work off the loop, one job at a time, in order: each on a thread of
 * its own with its own read-only connection, which sees the database as
 * it was when the job began; the loop goes on answering meanwhile and
 * is told through a pipe when the job is done.  The digests have their
 * own threads (cycle_run.c).
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "db.h"
#include "log.h"
#include "store.h"
#include "worker.h"
#include "xmalloc.h"

/* Jobs waiting past this many are refused: the caller answers 503. */
#define WORKER_QUEUE_MAX	64

struct job {
	TAILQ_ENTRY(job)	 entry;
	char			*database;
	void			(*work)(void *);
	void			(*done)(void *, int);
	void			*arg;
	int			 ok;
};

static struct {
	TAILQ_HEAD(, job)	 queue;
	size_t			 queued;
	struct job		*running;
	pthread_t		 thread;
	int			 wake[2];
	struct event		*ev;
} workers = { .wake = { -1, -1 } };

static void	worker_next(void);

/* The thread: the job's work on its own connection. */
static void *
worker_run(void *arg)
{
	struct job	*job = arg;

	if (db_open_reader(job->database) == 0) {
		job->work(job->arg);
		store_close();
		db_close_reader();
		job->ok = 1;
	}
	while (write(workers.wake[1], "", 1) == -1 && errno == EINTR)
		;
	return NULL;
}

/* Ends a job: tells who queued it. */
static void
worker_end(struct job *job)
{
	job->done(job->arg, job->ok);
	free(job->database);
	free(job);
}

/* Starts the next job, if none runs, with every signal blocked in it. */
static void
worker_next(void)
{
	struct job	*job;
	sigset_t	 all, old;
	int		 rc;

	while (workers.running == NULL &&
	    (job = TAILQ_FIRST(&workers.queue)) != NULL) {
		TAILQ_REMOVE(&workers.queue, job, entry);
		workers.queued--;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&workers.thread, NULL, worker_run, job);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc != 0) {
			log_warnx("worker: cannot start a thread: %s",
			    strerror(rc));
			worker_end(job);
			continue;
		}
		pthread_setname_np(workers.thread, "hazardd-worker");
		workers.running = job;
	}
}

static void
worker_woken(evutil_socket_t fd, short events, void *arg)
{
	struct job	*job;
	char		 buf[16];

	(void)events, (void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if ((job = workers.running) != NULL) {
		pthread_join(workers.thread, NULL);
		workers.running = NULL;
		worker_end(job);
	}
	worker_next();
}

int
worker_start(struct event_base *base)
{
	TAILQ_INIT(&workers.queue);
	if (pipe2(workers.wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("worker: pipe");
		return -1;
	}
	workers.ev = event_new(base, workers.wake[0], EV_READ | EV_PERSIST,
	    worker_woken, NULL);
	if (workers.ev == NULL || event_add(workers.ev, NULL) == -1) {
		log_warnx("worker: cannot watch the pipe");
		return -1;
	}
	return 0;
}

int
worker_queue(const char *database, void (*work)(void *),
    void (*done)(void *, int), void *arg)
{
	struct job	*job;

	if (workers.ev == NULL || workers.queued >= WORKER_QUEUE_MAX)
		return -1;
	job = xcalloc(1, sizeof(*job));
	job->database = xstrdup(database);
	job->work = work;
	job->done = done;
	job->arg = arg;
	TAILQ_INSERT_TAIL(&workers.queue, job, entry);
	workers.queued++;
	worker_next();
	return 0;
}

void
worker_stop(void)
{
	struct job	*job;

	if ((job = workers.running) != NULL) {
		pthread_join(workers.thread, NULL);
		workers.running = NULL;
		worker_end(job);
	}
	while (workers.ev != NULL &&
	    (job = TAILQ_FIRST(&workers.queue)) != NULL) {
		TAILQ_REMOVE(&workers.queue, job, entry);
		worker_end(job);
	}
	workers.queued = 0;
	if (workers.ev != NULL)
		event_free(workers.ev);
	workers.ev = NULL;
	if (workers.wake[0] != -1) {
		close(workers.wake[0]);
		close(workers.wake[1]);
	}
	workers.wake[0] = workers.wake[1] = -1;
}
