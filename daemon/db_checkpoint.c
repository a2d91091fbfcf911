/*
 * Checkpoints off the loop.  SQLite's own checkpoint runs inside the
 * commit that passes its threshold: the loop copies a thousand pages
 * into the database file and waits for its fsync while requests queue.
 * Here the loop's connection never checkpoints: after each commit its
 * WAL hook tells a thread, which has its own connection, how long the
 * WAL has grown, and the thread copies it back.
 *
 * A PASSIVE checkpoint takes no lock that the loop waits for, so the
 * thread runs one whenever CKPT_STEP frames have come since the last.
 * But the WAL starts again from its beginning only when a writer
 * begins while everything in it is copied: under a steady load the
 * thread's rounds never quite catch up, and the WAL would grow for as
 * long as the burst lasts.  So once a round leaves the WAL longer than
 * CKPT_LIMIT frames, the loop's next commit finishes the copy itself,
 * from its hook: the few frames committed since the round (its last
 * batch or two), and the loop's next transaction starts the WAL again.
 * Few: copying a frame is writing its page where it belongs in the
 * file, then waiting for the fsync, and on a large database (10M
 * hazards) a commit of a thousand frames (a slice of the monthly
 * escalations) held the loop 150-240 ms.  So the loop copies at most
 * CKPT_FINISH_MAX frames: while more have come since the thread's last
 * round, the thread runs round after round, and the loop finishes after
 * the first commit that leaves few.  A writer that would keep it from
 * catching up (the escalations' slices, one after the other) waits
 * while it is behind (db_checkpoint_behind()), as long as a round takes,
 * so that the WAL stays near CKPT_LIMIT frames: without that, a monthly
 * dispatch on 10M hazards grew it to 2.2 GB.  Not while a reader holds
 * the copy back (a round copied nothing): waiting would not help.  Neither side waits for
 * the other: a PASSIVE checkpoint that finds another under way gives up
 * at once.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "looplag.h"
#include "xmalloc.h"

/* Frames between the thread's rounds; the WAL's length the loop ends. */
#define CKPT_STEP	4000
#define CKPT_LIMIT	16000
/* The most frames the loop copies itself. */
#define CKPT_FINISH_MAX	128
/* A round that copied nothing (a reader holds the WAL) waits this long. */
#define CKPT_IDLE_MS	20

static struct {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 running;
	int		 stop;
	int		 frames;	/* the WAL's length, from the hook */
	int		 next;		/* wake the thread at this length */
	int		 finish;	/* the loop's commit finishes the copy */
	int		 held;		/* a reader holds back the copy */
	char		*path;
	uint64_t	 rounds[2];	/* the thread's, the loop's */
	int		 backfilled;	/* of the WAL, after the last round */
	uint64_t	 copied;	/* frames, into the database */
	uint64_t	 failed;
} ck = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER
};

/* One checkpoint of cdb, counted; returns the WAL's length, or -1. */
static int
ckpt_run(sqlite3 *cdb, int by_loop)
{
	int	rc, log_frames = -1, copied = -1;

	rc = sqlite3_wal_checkpoint_v2(cdb, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &log_frames, &copied);
	pthread_mutex_lock(&ck.lock);
	if (rc == SQLITE_OK) {
		ck.rounds[by_loop]++;
		/* copied counts from the WAL's start, not this round's. */
		if (copied < ck.backfilled)
			ck.backfilled = 0;
		if (copied > 0)
			ck.copied += (uint64_t)(copied - ck.backfilled);
		ck.backfilled = copied > 0 ? copied : 0;
	} else if (rc != SQLITE_BUSY)
		ck.failed++;
	pthread_mutex_unlock(&ck.lock);
	/* A storage fault: the loop's own writes will say so too. */
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_warnx("database %s: checkpoint: %s (code %d); the WAL "
		    "grows until one succeeds", ck.path, sqlite3_errmsg(cdb),
		    sqlite3_extended_errcode(cdb));
	return rc == SQLITE_OK ? log_frames : -1;
}

/*
 * Whether the loop is to finish the copy, and more frames are left than
 * it copies (ck.lock held).
 */
static int
behind(void)
{
	return ck.finish && ck.frames - ck.backfilled > CKPT_FINISH_MAX;
}

/*
 * The WAL hook, after every commit (its write lock released): tells the
 * thread the WAL's length; on the loop's connection (arg NULL), copies
 * the last frames itself when the thread asked it to.  A writer on a
 * thread of its own (an import's: arg not NULL) only tells: the loop's
 * next commit finishes the copy.
 */
static int
ckpt_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct timespec	t0;
	int		finish;

	(void)name;
	pthread_mutex_lock(&ck.lock);
	if (frames < ck.frames) {	/* the WAL started again */
		ck.next = CKPT_STEP;
		/* Nothing of this WAL is copied yet, nor to be finished. */
		ck.backfilled = 0;
		ck.finish = 0;
		ck.held = 0;
	}
	ck.frames = frames;
	if (frames >= ck.next)
		pthread_cond_signal(&ck.cond);
	finish = arg == NULL && ck.finish && !behind();
	if (finish)
		ck.finish = 0;
	pthread_mutex_unlock(&ck.lock);
	if (finish) {
		looplag_begin(&t0);
		(void)ckpt_run(db, 1);
		looplag_end(&t0, "the checkpoint of the WAL's last frames");
	}
	return SQLITE_OK;
}

static void *
ckpt_main(void *arg)
{
	struct timespec	 idle;
	sqlite3		*cdb = arg;
	int		 frames, before;

	pthread_mutex_lock(&ck.lock);
	for (;;) {
		while (!ck.stop && ck.frames < ck.next)
			pthread_cond_wait(&ck.cond, &ck.lock);
		if (ck.stop)
			break;
		before = ck.backfilled;
		pthread_mutex_unlock(&ck.lock);

		frames = ckpt_run(cdb, 0);

		pthread_mutex_lock(&ck.lock);
		if (frames >= CKPT_LIMIT)
			ck.finish = 1;
		/*
		 * What the loop committed meanwhile waits for the next
		 * round: at once while too much is left for the loop, else
		 * after its next commit while it is to finish.
		 */
		ck.next = ck.frames + (behind() ? 0 : ck.finish ? 1 : CKPT_STEP);
		/* A reader holds the rest: a writer waiting would not help. */
		ck.held = behind() && ck.backfilled <= before;
		if (ck.held) {
			clock_gettime(CLOCK_REALTIME, &idle);
			idle.tv_nsec += CKPT_IDLE_MS * 1000000L;
			if (idle.tv_nsec >= 1000000000L) {
				idle.tv_sec++;
				idle.tv_nsec -= 1000000000L;
			}
			(void)pthread_cond_timedwait(&ck.cond, &ck.lock, &idle);
		}
	}
	pthread_mutex_unlock(&ck.lock);
	sqlite3_close(cdb);
	return NULL;
}

int
db_checkpointer_start(const char *path)
{
	sigset_t	 all, old;
	sqlite3		*cdb = NULL;
	int		 rc;

	if (sqlite3_open_v2(path, &cdb, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(cdb, "PRAGMA synchronous = FULL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		log_warnx("database %s: no checkpoint thread (%s): the loop "
		    "checkpoints", path, cdb != NULL ? sqlite3_errmsg(cdb) :
		    "out of memory");
		sqlite3_close(cdb);
		return -1;
	}
	ck.path = xstrdup(path);
	ck.stop = 0;
	ck.frames = 0;
	ck.next = CKPT_STEP;
	ck.finish = 0;
	/* The thread takes no signal: the loop's handlers get them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&ck.thread, NULL, ckpt_main, cdb);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_warnx("database %s: no checkpoint thread (%s): the loop "
		    "checkpoints", path, strerror(rc));
		sqlite3_close(cdb);
		free(ck.path);
		ck.path = NULL;
		return -1;
	}
	/* Named for top -H, perf and the journal. */
	pthread_setname_np(ck.thread, "hazardd-ckpt");
	ck.running = 1;
	sqlite3_wal_hook(db_handle(), ckpt_hook, NULL);
	return 0;
}

int
db_checkpoint_behind(void)
{
	int	b;

	if (!ck.running)
		return 0;
	pthread_mutex_lock(&ck.lock);
	b = behind() && !ck.held;
	pthread_mutex_unlock(&ck.lock);
	return b;
}

void
db_checkpoint_watch(void)
{
	static int	thread = 1;

	/* Without the thread, the connection checkpoints in its commits. */
	if (ck.running)
		sqlite3_wal_hook(db_handle(), ckpt_hook, &thread);
}

void
db_checkpointer_stop(void)
{
	if (!ck.running)
		return;
	/* Back to checkpoints in the commit, then the thread goes. */
	sqlite3_wal_autocheckpoint(db_handle(), CKPT_STEP);
	pthread_mutex_lock(&ck.lock);
	ck.stop = 1;
	pthread_cond_signal(&ck.cond);
	pthread_mutex_unlock(&ck.lock);
	pthread_join(ck.thread, NULL);
	ck.running = 0;
	free(ck.path);
	ck.path = NULL;
}

void
db_checkpoint_counts(uint64_t rounds[2], uint64_t *frames, uint64_t *failed)
{
	pthread_mutex_lock(&ck.lock);
	rounds[0] = ck.rounds[0];
	rounds[1] = ck.rounds[1];
	*frames = ck.copied;
	*failed = ck.failed;
	pthread_mutex_unlock(&ck.lock);
}
