/*
 * Delivering digests.  One command runs at a time; its exit is learnt
 * from SIGCHLD through the loop (waitpid with WNOHANG), and a timer
 * kills it when it runs past its time limit.  One digest goes to the
 * robot at a time (webhook.c).  A delivery being tried is leased (its
 * next try moved past the attempt's end), so that it is not started
 * twice, and is tried again after a crash.  A timer wakes the deliverer
 * at the earliest next try.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "deliver.h"
#include "digest_robot.h"
#include "log.h"
#include "looplag.h"
#include "store.h"
#include "webhook.h"
#include "xmalloc.h"

extern char	**environ;

/* The longest back-off between two tries. */
#define BACKOFF_MAX	3600

/* How long a robot may take for one part, for the lease. */
#define WEBHOOK_LEASE	60

static struct {
	struct event_base	*base;
	const struct config	*cfg;
	struct event		*wake;		/* the next try */
	struct event		*sigchld;
	struct event		*deadline;	/* the running command's */
	pid_t			 pid;		/* 0: none runs */
	int64_t			 delivery;	/* what it delivers */
	int			 attempts;	/* before this one */
	int			 timed_out;
	int64_t			 hook;		/* the robot's delivery, or 0 */
	int			 hook_attempts;
	char			 hook_prev[256];	/* its last failure */
	char			*hook_key;	/* webhook_robot_key */
} dl;

static void	deliver_due(void);

int
deliver_enqueue(const struct config *cfg, int64_t digest_id, time_t now)
{
	if (cfg->command[0] != '\0' &&
	    store_delivery_add(digest_id, "command", now) != STORE_OK)
		return -1;
	if (cfg->webhook[0] != '\0' &&
	    store_delivery_add(digest_id, "webhook", now) != STORE_OK)
		return -1;
	return 0;
}

/*
 * Arms the wake timer for the earliest pending try.  One that is due
 * already was not started: its channel is busy (the end of what runs
 * starts it), or its digest could not be read.  It is looked at again in
 * a second, not at once: a timer of no time would run the loop flat out
 * for as long as the channel stays busy.
 */
static void
deliver_arm(void)
{
	struct timeval	tv = { 0, 0 };
	time_t		next, now = time(NULL);

	if (dl.wake == NULL || store_delivery_next(&next) != STORE_OK ||
	    next == 0)
		return;
	tv.tv_sec = next > now ? next - now : 1;
	evtimer_add(dl.wake, &tv);
}

/*
 * Records the end of an attempt and schedules what follows.  A failure
 * is logged as a warning when it is new (the first, or not the one
 * before: prev); the same again only in the debug log, so that a robot
 * that keeps answering with an error code is named once, not at every
 * try.
 */
static void
deliver_record_tried(int64_t id, int attempts, const char *error,
    int parts_done, const char *prev)
{
	time_t	now = time(NULL), delay;
	int	shift = attempts < 16 ? attempts : 16;

	/* Recorded on its own, not in the batch of this pass. */
	db_alone();
	delay = (time_t)dl.cfg->retry_base << shift;
	if (delay > BACKOFF_MAX)
		delay = BACKOFF_MAX;
	if (store_delivery_result(id, error == NULL, error, now,
	    now + delay, parts_done) != STORE_OK)
		log_warnx("delivery %" PRId64 ": cannot record its attempt",
		    id);
	else if (error == NULL)
		log_info("delivery %" PRId64 " done", id);
	else if (prev != NULL && strcmp(prev, error) == 0)
		log_debug("delivery %" PRId64 " failed again (attempt %d): "
		    "%s; next try in %lld s", id, attempts + 1, error,
		    (long long)delay);
	else
		log_warnx("delivery %" PRId64 " failed (attempt %d): %s; next "
		    "try in %lld s%s", id, attempts + 1, error,
		    (long long)delay, attempts > 0 ? "" : " (tried again "
		    "until it is taken; the same failure is not logged again)");
}

static void
deliver_record_parts(int64_t id, int attempts, const char *error,
    int parts_done)
{
	deliver_record_tried(id, attempts, error, parts_done, NULL);
}

/* Records the end of an attempt of a command. */
static void
deliver_record(int64_t id, int attempts, const char *error)
{
	deliver_record_parts(id, attempts, error, 0);
}

/* Copies text into an anonymous file, for the command's stdin. */
static int
text_file(const char *text)
{
	size_t	off = 0, len = strlen(text);
	ssize_t	n;
	int	fd;

	if ((fd = memfd_create("hazardd-digest", MFD_CLOEXEC)) == -1) {
		log_warn("memfd_create");
		return -1;
	}
	while (off < len && (n = write(fd, text + off, len - off)) > 0)
		off += n;
	if (off < len || lseek(fd, 0, SEEK_SET) == -1) {
		log_warn("writing a digest for a command");
		close(fd);
		return -1;
	}
	return fd;
}

/* The environment of the command: ours, and the digest's. */
static char **
command_env(const struct digest_meta *m)
{
	char	**env;
	size_t	  n = 0, i;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 6, sizeof(*env));
	for (i = 0; i < n; i++)
		env[i] = xstrdup(environ[i]);
	xasprintf(&env[n++], "HAZARDD_DIGEST_ID=%" PRId64, m->id);
	xasprintf(&env[n++], "HAZARDD_DIGEST_KIND=%s", m->kind);
	xasprintf(&env[n++], "HAZARDD_DIGEST_PERIOD=%s", m->period);
	xasprintf(&env[n++], "HAZARDD_DIGEST_REVISION=%d", m->revision);
	xasprintf(&env[n++], "HAZARDD_DIGEST_SCOPE=district");
	return env;
}

static void
free_env(char **env)
{
	size_t	i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* Starts the command for one delivery.  Returns 0, or -1 recorded. */
static int
command_start(const struct delivery_row *d)
{
	struct digest_meta		 m;
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 attr;
	sigset_t			 dfl;
	struct timeval			 tv = { 0, 0 };
	char				*argv[4], **env, *text, *json;
	int				 fd, rc;

	if (dl.cfg->command[0] == '\0') {
		deliver_record(d->id, d->attempts, "[deliver] command is not "
		    "set");
		return -1;
	}
	if (store_digest_get(d->digest_id, &m, &text, &json) != STORE_OK)
		return -1;
	fd = text_file(text);
	free(text);
	free(json);
	if (fd == -1) {
		deliver_record(d->id, d->attempts, "cannot prepare stdin");
		rc = -1;
		goto done;
	}
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = dl.cfg->command;
	argv[3] = NULL;
	env = command_env(&m);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, STDIN_FILENO);
	/* Nothing of the daemon's but stdin, stdout and stderr. */
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	/*
	 * A process group of its own, so that a timeout kills what the
	 * shell started too (a sendmail that would still send); and
	 * SIGPIPE as a shell expects it, not ignored as in hazardd.
	 */
	posix_spawnattr_init(&attr);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&dl.pid, "/bin/sh", &fa, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	free_env(env);
	close(fd);
	if (rc != 0) {
		dl.pid = 0;
		errno = rc;
		deliver_record(d->id, d->attempts, strerror(rc));
		rc = -1;
		goto done;
	}
	dl.delivery = d->id;
	dl.attempts = d->attempts;
	dl.timed_out = 0;
	(void)store_delivery_lease(d->id, time(NULL) +
	    dl.cfg->command_timeout + 10);
	tv.tv_sec = dl.cfg->command_timeout;
	evtimer_add(dl.deadline, &tv);
	log_info("delivery %" PRId64 ": %s digest %s revision %d to the "
	    "command (pid %ld)", d->id, m.kind, m.period, m.revision,
	    (long)dl.pid);
	rc = 0;
done:
	store_digest_meta_free(&m);
	return rc;
}

/*
 * The robot has taken a part, not the last: the count goes to the
 * database at once, so that a restart from here sends the next part,
 * not this one again.
 */
static void
webhook_taken(void *arg, int sent)
{
	/* Recorded on its own, not in the batch of this pass. */
	db_alone();
	if (store_delivery_progress(dl.hook, sent, dl.hook_key) != STORE_OK)
		log_warnx("delivery %" PRId64 ": cannot record part %d taken",
		    dl.hook, sent);
}

/* The robot has taken the digest, or failed. */
static void
webhook_done(void *arg, const char *error, int sent)
{
	int64_t	id = dl.hook;

	dl.hook = 0;
	deliver_record_tried(id, dl.hook_attempts, error, sent,
	    dl.hook_prev[0] != '\0' ? dl.hook_prev : NULL);
	free(dl.hook_key);
	dl.hook_key = NULL;
	deliver_due();
}

/*
 * The part to send first: after those taken, if they were taken by the
 * robot configured now, with the same format.  A count made for another
 * (the URL or format changed by a reload or across a restart) says
 * nothing of this one, which gets the digest from its first part.  A
 * count of no robot (made before the robot was recorded) is trusted.
 */
static int
webhook_first(const struct delivery_row *d, const char *key)
{
	if (d->parts_done == 0 || d->parts_for[0] == '\0' ||
	    strcmp(d->parts_for, key) == 0)
		return d->parts_done;
	log_info("delivery %" PRId64 ": %d parts went to another robot or "
	    "format; sending from the first", d->id, d->parts_done);
	return 0;
}

/*
 * The robot's message of a digest, made from its JSON in the digest's
 * language (digest_robot.c), and its title for the chat's list: the
 * message's heading.  Returns the message, or NULL (logged).
 */
static char *
robot_message(const char *json, char **title)
{
	json_t		*j;
	const char	*lang;
	char		*md, *nl;

	if ((j = json_loads(json, 0, NULL)) == NULL) {
		log_warnx("deliver: a stored digest is not JSON");
		return NULL;
	}
	lang = json_string_value(json_object_get(j, "language"));
	md = digest_render_robot(j, lang != NULL ? lang : dl.cfg->language,
	    (size_t)dl.cfg->robot_rows);
	json_decref(j);
	*title = xstrdup(strncmp(md, "### ", 4) == 0 ? md + 4 : md);
	if ((nl = strchr(*title, '\n')) != NULL)
		*nl = '\0';
	return md;
}

/*
 * Starts sending a message to a robot, from the part after those it
 * took already.  Returns 0, or -1 recorded.
 */
static int
robot_begin(const struct delivery_row *d, const struct robot *r,
    const char *title, const char *md)
{
	char	*key;

	/* No key: no format, and webhook_send says so. */
	if ((key = webhook_robot_key(r, md)) == NULL)
		key = xstrdup("");
	dl.hook = d->id;
	dl.hook_attempts = d->attempts;
	snprintf(dl.hook_prev, sizeof(dl.hook_prev), "%s",
	    d->last_error != NULL ? d->last_error : "");
	dl.hook_key = key;
	(void)store_delivery_lease(d->id, time(NULL) + WEBHOOK_LEASE * 20);
	if (webhook_send(dl.base, r, title, md, webhook_first(d, key),
	    webhook_taken, webhook_done, NULL) == 0)
		return 0;
	dl.hook = 0;
	free(dl.hook_key);
	dl.hook_key = NULL;
	deliver_record_parts(d->id, d->attempts, "cannot send to the robot "
	    "(see the log)", d->parts_done);
	return -1;
}

/* Starts sending a digest to the office's robot. */
static int
webhook_start(const struct delivery_row *d)
{
	struct digest_meta	 m;
	struct robot		 r;
	char			*text, *json, *title, *md;
	int			 rc;

	if (dl.cfg->webhook[0] == '\0') {
		deliver_record_parts(d->id, d->attempts, "[deliver] webhook "
		    "is not set", d->parts_done);
		return -1;
	}
	if (store_digest_get(d->digest_id, &m, &text, &json) != STORE_OK)
		return -1;
	if ((md = robot_message(json, &title)) == NULL) {
		store_digest_meta_free(&m);
		free(text);
		free(json);
		deliver_record_parts(d->id, d->attempts, "cannot read the "
		    "digest", d->parts_done);
		return -1;
	}
	webhook_office(dl.cfg, &r);
	if ((rc = robot_begin(d, &r, title, md)) == 0)
		log_info("delivery %" PRId64 ": %s digest %s revision %d to "
		    "the robot", d->id, m.kind, m.period, m.revision);
	store_digest_meta_free(&m);
	free(text);
	free(json);
	free(title);
	free(md);
	return rc;
}

/* Starts sending a notice to its school's robot. */
static int
notice_start(const struct delivery_row *d)
{
	struct notice_row	 n;
	struct school_robot	 sr;
	struct robot		 r;
	int			 rc;

	if (store_notice_get(d->notice_id, &n) != STORE_OK)
		return -1;
	switch (store_school_robot_get(n.school_id, &sr)) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		/* Its robot was taken away: there is no one to tell. */
		db_alone();
		(void)store_delivery_result(d->id, 1, "the school has no "
		    "robot any more", time(NULL), 0, d->parts_done);
		log_info("delivery %" PRId64 ": the school of notice %" PRId64
		    " has no robot any more", d->id, n.id);
		store_notice_free(&n);
		return -1;
	default:
		store_notice_free(&n);
		return -1;
	}
	r.url = sr.url;
	r.secret = sr.secret;
	r.format = sr.format;
	if ((rc = robot_begin(d, &r, n.title, n.body)) == 0)
		log_info("delivery %" PRId64 ": %s notice %" PRId64 " to the "
		    "robot of school %s", d->id, n.kind, n.id, sr.code);
	store_school_robot_free(&sr);
	store_notice_free(&n);
	return rc;
}

/* The due deliveries, copied out of the query. */
#define DUE_BATCH	16
struct due {
	struct delivery_row	rows[DUE_BATCH];
	char			errors[DUE_BATCH][256];	/* last_error */
	int			webhook[DUE_BATCH];	/* 1 office, 2 school */
	int			n;
};

static int
due_add(const struct delivery_row *d, void *arg)
{
	struct due	*due = arg;

	due->rows[due->n] = *d;
	due->webhook[due->n] = strcmp(d->channel, "webhook") == 0 ? 1 :
	    strcmp(d->channel, "school") == 0 ? 2 : 0;
	due->rows[due->n].channel = NULL;
	due->rows[due->n].state = NULL;
	snprintf(due->errors[due->n], sizeof(due->errors[0]), "%s",
	    d->last_error != NULL ? d->last_error : "");
	due->rows[due->n].last_error = due->errors[due->n];
	due->n++;
	return 0;
}

/* Starts what is due on each channel that is free. */
static void
deliver_due(void)
{
	struct due	due;
	int		i;

	/* Its leases are written on their own, not in the batch. */
	db_alone();
	memset(&due, 0, sizeof(due));
	if (store_delivery_due(time(NULL), DUE_BATCH, due_add, &due) ==
	    STORE_OK) {
		for (i = 0; i < due.n; i++) {
			if (due.webhook[i] == 1 && dl.hook == 0)
				(void)webhook_start(&due.rows[i]);
			else if (due.webhook[i] == 2 && dl.hook == 0)
				(void)notice_start(&due.rows[i]);
			else if (!due.webhook[i] && dl.pid == 0)
				(void)command_start(&due.rows[i]);
		}
	}
	deliver_arm();
}

/* SIGCHLD: reap without blocking, and record the command's end. */
static void
deliver_sigchld(evutil_socket_t sig, short events, void *arg)
{
	char	 why[64];
	pid_t	 pid;
	int	 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != dl.pid)
			continue;
		evtimer_del(dl.deadline);
		if (dl.timed_out)
			snprintf(why, sizeof(why), "timed out after %d s",
			    dl.cfg->command_timeout);
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			why[0] = '\0';
		else if (WIFEXITED(status))
			snprintf(why, sizeof(why), "exit status %d",
			    WEXITSTATUS(status));
		else
			snprintf(why, sizeof(why), "killed by signal %d",
			    WTERMSIG(status));
		deliver_record(dl.delivery, dl.attempts,
		    why[0] == '\0' ? NULL : why);
		dl.pid = 0;
	}
	deliver_due();
}

/* The command ran past its time limit. */
static void
deliver_deadline(evutil_socket_t fd, short events, void *arg)
{
	if (dl.pid == 0)
		return;
	dl.timed_out = 1;
	log_warnx("delivery %" PRId64 ": the command runs past %d s; killing "
	    "it", dl.delivery, dl.cfg->command_timeout);
	kill(-dl.pid, SIGKILL);
}

static void
deliver_wake(evutil_socket_t fd, short events, void *arg)
{
	struct timespec	t0;

	looplag_begin(&t0);
	deliver_due();
	looplag_end(&t0, "the deliveries due");
}

int
deliver_start(struct event_base *base, const struct config *cfg)
{
	dl.base = base;
	dl.cfg = cfg;
	dl.wake = evtimer_new(base, deliver_wake, NULL);
	dl.deadline = evtimer_new(base, deliver_deadline, NULL);
	dl.sigchld = evsignal_new(base, SIGCHLD, deliver_sigchld, NULL);
	if (dl.wake == NULL || dl.deadline == NULL || dl.sigchld == NULL ||
	    evsignal_add(dl.sigchld, NULL) == -1) {
		log_warnx("deliver: cannot set up its events");
		deliver_stop();
		return -1;
	}
	deliver_due();
	return 0;
}

void
deliver_set_config(const struct config *cfg)
{
	dl.cfg = cfg;
}

void
deliver_kick(void)
{
	if (dl.wake != NULL)
		deliver_due();
}

void
deliver_soon(void)
{
	struct timeval	tv = { 0, 0 };

	if (dl.wake != NULL)
		evtimer_add(dl.wake, &tv);
}

void
deliver_stop(void)
{
	webhook_shutdown();
	dl.hook = 0;
	free(dl.hook_key);
	dl.hook_key = NULL;
	if (dl.wake != NULL)
		event_free(dl.wake);
	if (dl.deadline != NULL)
		event_free(dl.deadline);
	if (dl.sigchld != NULL)
		event_free(dl.sigchld);
	dl.wake = dl.deadline = dl.sigchld = NULL;
}
