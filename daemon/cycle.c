/*
 * The cycle on its own clock.  A libevent timer per kind fires at the
 * next run time, computed as a wall-clock instant in the configured
 * zone; when it fires, the period that is due runs unless the database
 * says it has.  Digests go to the outbox after their commit: a write
 * that fails is tried again at the next start or run.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cycle.h"
#include "db.h"
#include "deliver.h"
#include "digest.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

static struct {
	const struct config	*cfg;
	struct event		*timer[CYCLE__MAX];
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

/* Writes data to dir/name atomically: a temporary file, fsync, rename. */
static int
write_atomic(const char *dir, const char *name, const char *data)
{
	char	*tmp, *path;
	size_t	 len = strlen(data), off = 0;
	ssize_t	 n;
	int	 fd, dfd, rc = -1;

	xasprintf(&tmp, "%s/.%s.tmp", dir, name);
	xasprintf(&path, "%s/%s", dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0640)) == -1) {
		log_warn("outbox: %s", tmp);
		goto done;
	}
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += n;
	}
	if (off < len || fsync(fd) == -1) {
		log_warn("outbox: writing %s", tmp);
		close(fd);
		unlink(tmp);
		goto done;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		log_warn("outbox: %s", path);
		unlink(tmp);
		goto done;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	rc = 0;
done:
	free(tmp);
	free(path);
	return rc;
}

/* Writes one stored digest to the outbox as .txt and .json. */
static int
outbox_write(const struct config *cfg, int64_t id)
{
	struct digest_meta	 m;
	char			*text, *json, *base, *name;
	int			 rc = -1;

	if (store_digest_get(id, &m, &text, &json) != STORE_OK)
		return -1;
	if (mkdir(cfg->outbox, 0750) == -1 && errno != EEXIST) {
		log_warn("outbox %s", cfg->outbox);
		goto done;
	}
	xasprintf(&base, "%s-%s-r%d", m.kind, m.period, m.revision);
	xasprintf(&name, "%s.json", base);
	if (write_atomic(cfg->outbox, name, json) == 0) {
		free(name);
		xasprintf(&name, "%s.txt", base);
		if (write_atomic(cfg->outbox, name, text) == 0 &&
		    store_digest_mark_written(id) == STORE_OK)
			rc = 0;
	}
	free(name);
	free(base);
done:
	store_digest_meta_free(&m);
	free(text);
	free(json);
	return rc;
}

/* Collects the ids of digests not yet in the outbox. */
static int
unwritten_add(const struct digest_meta *m, void *arg)
{
	struct {
		int64_t	*ids;
		size_t	 n;
	} *l = arg;

	l->ids = xreallocarray(l->ids, l->n + 1, sizeof(*l->ids));
	l->ids[l->n++] = m->id;
	return 0;
}

/* Writes every digest that the outbox lacks. */
static void
outbox_flush(const struct config *cfg)
{
	struct {
		int64_t	*ids;
		size_t	 n;
	} l = { NULL, 0 };
	size_t	i;

	if (store_digest_unwritten(unwritten_add, &l) == STORE_OK)
		for (i = 0; i < l.n; i++)
			(void)outbox_write(cfg, l.ids[i]);
	free(l.ids);
}

int
cycle_run(const struct config *cfg, const struct period *p,
    const char *trigger, time_t now, int64_t *id)
{
	struct digest_request	 req;
	struct digest_meta	 m;
	char			 name[PERIOD_NAME_LEN];
	char			*text = NULL, *json = NULL;
	json_t			*d = NULL;
	time_t			 since, until;
	int			 latest, rc = STORE_ERROR;

	period_name(p, name, sizeof(name));
	period_window(p, &cfg->daily, &since, &until);
	if (until > now)
		until = now + 1;
	if (db_begin() == -1)
		return STORE_ERROR;
	if (store_digest_revisions(cycle_kind_name(p->kind), name, &latest) !=
	    STORE_OK)
		goto fail;
	if (latest > 0 && strcmp(trigger, "manual") != 0) {
		db_rollback();
		return STORE_EXISTS;
	}
	memset(&req, 0, sizeof(req));
	req.period = *p;
	req.revision = latest + 1;
	req.trigger = trigger;
	req.made_at = now;
	req.cfg = cfg;
	if ((d = digest_build(&req)) == NULL)
		goto fail;
	text = digest_render_text(d, cfg->language);
	json = json_dumps(d, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
	if (json == NULL)
		goto fail;
	memset(&m, 0, sizeof(m));
	m.kind = cycle_kind_name(p->kind);
	m.period = name;
	m.revision = req.revision;
	m.trigger = trigger;
	m.made_at = now;
	if (store_digest_insert(&m, since, until, cfg->language, text, json,
	    id) != STORE_OK || deliver_enqueue(cfg, *id, now) == -1 ||
	    db_commit() == -1)
		goto fail;
	log_info("%s digest %s revision %d made (%s)", m.kind, name,
	    m.revision, trigger);
	(void)outbox_write(cfg, *id);
	deliver_kick();
	rc = STORE_OK;
	goto done;
fail:
	db_rollback();
	log_warnx("%s digest %s: the run failed; nothing was recorded",
	    cycle_kind_name(p->kind), name);
done:
	json_decref(d);
	free(text);
	free(json);
	return rc;
}

/* Arms the timer of kind for its next run after now. */
static void
cycle_arm(enum cycle_kind kind, time_t now)
{
	struct period	p;
	struct timeval	tv;
	time_t		at;

	cycle_latest_due(cycle.cfg, kind, now, &p);
	period_step(&p, 1);
	at = period_run_time(&p, when_of(cycle.cfg, kind));
	tv.tv_sec = at > now ? at - now : 1;
	tv.tv_usec = 0;
	evtimer_add(cycle.timer[kind], &tv);
}

/* Runs the period of kind that is due, unless it has run. */
static void
cycle_due(enum cycle_kind kind, const char *trigger, time_t now,
    time_t created_at)
{
	struct period	p;
	time_t		since, until;
	int64_t		id;

	cycle_latest_due(cycle.cfg, kind, now, &p);
	period_window(&p, &cycle.cfg->daily, &since, &until);
	if (until < created_at)
		return;
	(void)cycle_run(cycle.cfg, &p, trigger, now, &id);
}

/* A kind's timer: run what is due, then wait for the next. */
static void
cycle_fire(evutil_socket_t fd, short events, void *arg)
{
	enum cycle_kind	kind = (enum cycle_kind)(intptr_t)arg;
	time_t		now = time(NULL);

	cycle_due(kind, "schedule", now, 0);
	outbox_flush(cycle.cfg);
	cycle_arm(kind, time(NULL));
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
	int	k;

	cycle.cfg = cfg;
	for (k = 0; k < CYCLE__MAX; k++) {
		if (cycle.timer[k] == NULL)
			continue;
		evtimer_del(cycle.timer[k]);
		cycle_arm(k, time(NULL));
	}
}

void
cycle_stop(void)
{
	int	k;

	for (k = 0; k < CYCLE__MAX; k++) {
		if (cycle.timer[k] != NULL)
			event_free(cycle.timer[k]);
		cycle.timer[k] = NULL;
	}
}
