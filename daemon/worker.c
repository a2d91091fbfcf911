/*
 * Work off the loop: WORKER_THREADS threads take the jobs in the order
 * they came, each on its own read-only connection, kept from job to job
 * with its prepared statements.  A job reads in a transaction of its
 * own, begun when it starts: it sees all that the loop committed before
 * (a school reads at once what it was told is stored) and nothing of a
 * batch not yet committed.  The loop goes on answering meanwhile and is
 * told through a pipe when a job is done.  The threads run at a lower
 * priority than the loop (WORKER_NICE): on a busy CPU the loop, which
 * answers /healthz and every cheap request, is not kept waiting behind
 * the pages they read.  The digests have their own threads (cycle_run.c).
 */
#include <sys/queue.h>
#include <sys/resource.h>

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
/* Threads: a long job (the statistics) leaves the other free. */
#define WORKER_THREADS		2
/* The threads' nice value (the loop's is 0). */
#define WORKER_NICE		10

struct job {
	TAILQ_ENTRY(job)	 entry;
	char			*database;
	void			(*work)(void *);
	void			(*done)(void *, int);
	void			*arg;
	int			 ok;
};
TAILQ_HEAD(jobs, job);

static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;		/* a job, or the stop */
	struct jobs		 queue;		/* waiting */
	struct jobs		 ended;		/* for the loop to answer */
	size_t			 queued;	/* waiting or running */
	int			 stopping;
	pthread_t		 thread[WORKER_THREADS];
	int			 nthreads;
	int			 wake[2];
	struct event		*ev;
} workers = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
	.wake = { -1, -1 }
};

/*
 * Runs a job on the thread's connection, opened to database at the
 * first job (again if it was lost or the database is another).
 * Returns 1 if the work ran.
 */
static int
worker_read(struct job *job, char **opened)
{
	if (*opened != NULL && strcmp(*opened, job->database) != 0) {
		store_close();
		db_close_reader();
		free(*opened);
		*opened = NULL;
	}
	if (*opened == NULL) {
		if (db_open_reader(job->database) == -1)
			return 0;
		if (store_open() == -1) {
			db_close_reader();
			return 0;
		}
		*opened = xstrdup(job->database);
	} else if (db_read_begin() == -1)
		return 0;
	job->work(job->arg);
	/* A read that cannot end: a new connection for the next. */
	if (db_read_end() == -1) {
		store_close();
		db_close_reader();
		free(*opened);
		*opened = NULL;
	}
	return 1;
}

/* A thread: the jobs, one after the other, until the stop. */
static void *
worker_run(void *arg)
{
	struct job	*job;
	char		*opened = NULL;

	(void)arg;
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), WORKER_NICE);
	pthread_mutex_lock(&workers.lock);
	for (;;) {
		while (!workers.stopping && TAILQ_EMPTY(&workers.queue))
			pthread_cond_wait(&workers.cond, &workers.lock);
		if (workers.stopping)
			break;
		job = TAILQ_FIRST(&workers.queue);
		TAILQ_REMOVE(&workers.queue, job, entry);
		pthread_mutex_unlock(&workers.lock);
		job->ok = worker_read(job, &opened);
		pthread_mutex_lock(&workers.lock);
		TAILQ_INSERT_TAIL(&workers.ended, job, entry);
		while (write(workers.wake[1], "", 1) == -1 && errno == EINTR)
			;
		/*
		 * Idle: the pages the connection keeps go back to the heap
		 * (and from it to the system, at the next malloc_trim), as a
		 * connection closed after each job gave them.
		 */
		if (TAILQ_EMPTY(&workers.queue) && opened != NULL) {
			pthread_mutex_unlock(&workers.lock);
			(void)sqlite3_db_release_memory(db_handle());
			pthread_mutex_lock(&workers.lock);
		}
	}
	pthread_mutex_unlock(&workers.lock);
	if (opened != NULL) {
		store_close();
		db_close_reader();
		free(opened);
	}
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

/* Answers the jobs the threads have ended, in the loop. */
static void
worker_answer(void)
{
	struct jobs	 ended;
	struct job	*job;

	TAILQ_INIT(&ended);
	pthread_mutex_lock(&workers.lock);
	TAILQ_CONCAT(&ended, &workers.ended, entry);
	pthread_mutex_unlock(&workers.lock);
	while ((job = TAILQ_FIRST(&ended)) != NULL) {
		TAILQ_REMOVE(&ended, job, entry);
		workers.queued--;
		worker_end(job);
	}
}

static void
worker_woken(evutil_socket_t fd, short events, void *arg)
{
	char	buf[64];

	(void)events, (void)arg;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	worker_answer();
}

int
worker_start(struct event_base *base)
{
	sigset_t	all, old;
	int		rc;

	TAILQ_INIT(&workers.queue);
	TAILQ_INIT(&workers.ended);
	workers.stopping = 0;
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
	/* Every signal blocked in the threads: the loop handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	while (workers.nthreads < WORKER_THREADS) {
		rc = pthread_create(&workers.thread[workers.nthreads], NULL,
		    worker_run, NULL);
		if (rc != 0) {
			log_warnx("worker: cannot start a thread: %s",
			    strerror(rc));
			break;
		}
		pthread_setname_np(workers.thread[workers.nthreads],
		    "hazardd-worker");
		workers.nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return workers.nthreads > 0 ? 0 : -1;
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
	workers.queued++;
	pthread_mutex_lock(&workers.lock);
	TAILQ_INSERT_TAIL(&workers.queue, job, entry);
	pthread_cond_signal(&workers.cond);
	pthread_mutex_unlock(&workers.lock);
	return 0;
}

void
worker_stop(void)
{
	struct job	*job;
	int		 i;

	pthread_mutex_lock(&workers.lock);
	workers.stopping = 1;
	pthread_cond_broadcast(&workers.cond);
	pthread_mutex_unlock(&workers.lock);
	for (i = 0; i < workers.nthreads; i++)
		pthread_join(workers.thread[i], NULL);
	workers.nthreads = 0;
	/* The work under way has ended; what waits is done with ok 0. */
	if (workers.ev != NULL)
		worker_answer();
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
