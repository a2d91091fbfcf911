/*
 * The outbox: each digest as three files, .txt, .json and .md (what a
 * robot is sent), named by its kind, period and revision.  A file is
 * written under a temporary name and synced, then renamed into place
 * once the digest is committed, and the directory synced: a reader of
 * the outbox never sees half a file, nor one of a digest that was not
 * stored.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "digest_robot.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "xmalloc.h"

/* The temporary file of dir/name. */
static char *
tmp_path(const char *dir, const char *name)
{
	char	*tmp;

	xasprintf(&tmp, "%s/.%s.tmp", dir, name);
	return tmp;
}

/* Writes data to the temporary file of dir/name, and syncs it. */
static int
write_tmp(const char *dir, const char *name, const char *data)
{
	char	*tmp = tmp_path(dir, name);
	size_t	 len = strlen(data), off = 0;
	ssize_t	 n;
	int	 fd, rc = -1;

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
	rc = 0;
done:
	free(tmp);
	return rc;
}

/* Renames the temporary file of dir/name to it. */
static int
publish(const char *dir, const char *name)
{
	char	*tmp = tmp_path(dir, name), *path;
	int	 rc = 0;

	xasprintf(&path, "%s/%s", dir, name);
	if (rename(tmp, path) == -1) {
		log_warn("outbox: %s", path);
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	free(path);
	return rc;
}

/* Syncs a directory, so that the names renamed into it stay. */
static void
sync_dir(const char *dir)
{
	int	dfd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
}

/* A digest's files, in the order they are written. */
static const char *const extensions[] = { "json", "txt", "md" };
#define NFILES	(sizeof(extensions) / sizeof(extensions[0]))

/* The outbox's name of a digest's file i (of extensions[]). */
static char *
outbox_name(const char *kind, const char *period, int revision, size_t i)
{
	char	*name;

	xasprintf(&name, "%s-%s-r%d.%s", kind, period, revision,
	    extensions[i]);
	return name;
}

/*
 * The robot's markdown of a digest's JSON, as deliver.c sends it: in
 * the digest's language, rows a section.  NULL if json is no digest.
 */
static char *
robot_markdown(const char *json, int rows)
{
	json_t		*d;
	const char	*lang;
	char		*md;

	if ((d = json_loads(json, 0, NULL)) == NULL)
		return NULL;
	lang = json_string_value(json_object_get(d, "language"));
	md = digest_render_robot(d, lang != NULL ? lang : "zh", (size_t)rows);
	json_decref(d);
	return md;
}

int
outbox_stage(const char *dir, const char *kind, const char *period,
    int revision, const char *text, const char *json, const char *md)
{
	const char	*data[NFILES];
	char		*name;
	size_t		 i;
	int		 rc = 0;

	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		log_warn("outbox %s", dir);
		return -1;
	}
	data[0] = json;
	data[1] = text;
	data[2] = md;
	for (i = 0; i < NFILES && rc == 0; i++) {
		name = outbox_name(kind, period, revision, i);
		rc = write_tmp(dir, name, data[i]);
		free(name);
	}
	return rc;
}

int
outbox_publish(const char *dir, const struct digest_meta *m)
{
	char	*name;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < NFILES && rc == 0; i++) {
		name = outbox_name(m->kind, m->period, m->revision, i);
		rc = publish(dir, name);
		free(name);
	}
	if (rc == -1)
		return -1;
	sync_dir(dir);
	return store_digest_mark_written(m->id) == STORE_OK ? 0 : -1;
}

void
outbox_unstage(const char *dir, const struct digest_meta *m)
{
	char	*name, *tmp;
	size_t	 i;

	for (i = 0; i < NFILES; i++) {
		name = outbox_name(m->kind, m->period, m->revision, i);
		tmp = tmp_path(dir, name);
		unlink(tmp);
		free(tmp);
		free(name);
	}
}

int
outbox_write_digest(const struct config *cfg, const struct digest_meta *m,
    const char *text, const char *json, const char *md)
{
	char	*made = NULL;
	int	 rc;

	if (md == NULL && (md = made = robot_markdown(json,
	    cfg->robot_rows)) == NULL) {
		log_warnx("outbox: digest %s %s is not JSON", m->kind,
		    m->period);
		return -1;
	}
	rc = outbox_stage(cfg->outbox, m->kind, m->period, m->revision, text,
	    json, md);
	free(made);
	if (rc == -1) {
		outbox_unstage(cfg->outbox, m);
		return -1;
	}
	return outbox_publish(cfg->outbox, m);
}

/* Writes one stored digest to the outbox. */
static int
outbox_write(const struct config *cfg, int64_t id)
{
	struct digest_meta	 m;
	char			*text, *json;
	int			 rc;

	if (store_digest_get(id, &m, &text, &json) != STORE_OK)
		return -1;
	rc = outbox_write_digest(cfg, &m, text, json, NULL);
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

void
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
