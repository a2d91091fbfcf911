/*
 * The queue of requests kept while the server could not be reached:
 * a directory of JSON files, each written whole or not at all.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "queue.h"
#include "xmalloc.h"

#define QUEUE_SUFFIX	".json"
#define QUEUE_LOCK	".lock"
#define QUEUE_PHOTO	".photo-"

char *
queue_dir(void)
{
	const char	*state = getenv("XDG_STATE_HOME");
	const char	*home = getenv("HOME");
	char		*dir;

	/* As the XDG base directory specification says: relative is unset. */
	if (state != NULL && state[0] == '/')
		xasprintf(&dir, "%s/hazardctl/queue", state);
	else if (home != NULL && home[0] == '/')
		xasprintf(&dir, "%s/.local/state/hazardctl/queue", home);
	else {
		errno = ENOENT;
		return NULL;
	}
	return dir;
}

/* Makes dir and its parents, mode 700.  Returns 0, or -1. */
static int
make_dirs(const char *dir)
{
	char	*path, *p;
	int	 rc = 0;

	path = xstrdup(dir);
	for (p = path + 1; rc == 0 && *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(path, 0700) == -1 && errno != EEXIST)
		rc = -1;
	free(path);
	return rc;
}

/* Flushes the directory dir, so that a rename or unlink in it lasts. */
static int
sync_dir(const char *dir)
{
	int	fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Writes all of len bytes of s to fd.  Returns 0, or -1. */
static int
write_all(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Writes path whole or not at all: the text s (len bytes), or what can
 * be read from the descriptor from (s NULL), into the temporary file
 * tmp (mode 600), flushed to the disk and renamed.  Returns 0, or -1
 * with errno set and no temporary file left.
 */
static int
put(const char *path, const char *tmp, const char *s, size_t len, int from)
{
	char	buf[16384];
	ssize_t	n;
	int	fd, saved;

	/* One a crash left (a replaced entry's) is ours to write again. */
	if (unlink(tmp) == -1 && errno != ENOENT)
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		return -1;
	if (s != NULL) {
		if (write_all(fd, s, len) == -1)
			goto fail;
	} else {
		while ((n = read(from, buf, sizeof(buf))) != 0) {
			if (n == -1 && errno == EINTR)
				continue;
			if (n == -1 || write_all(fd, buf, (size_t)n) == -1)
				goto fail;
		}
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) == 0)
		return 0;
	fd = -1;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

/* Writes entry to dir's file name, whole or not at all.  Returns 0, or -1. */
static int
put_entry(const char *dir, const char *name, const json_t *entry)
{
	char	*text, *line, *path, *tmp;
	int	 rc;

	if ((text = json_dumps(entry, JSON_INDENT(2))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	path = queue_path(dir, name);
	xasprintf(&tmp, "%s/.tmp-%s", dir, name);
	/* json_dumps() ends without a newline: the file ends with one. */
	xasprintf(&line, "%s\n", text);
	free(text);
	rc = put(path, tmp, line, strlen(line), -1);
	free(line);
	free(path);
	free(tmp);
	return rc;
}

/*
 * Copies the file at src into dir as name, whole or not at all.
 * Returns 0, or -1 with errno set.
 */
static int
put_copy(const char *dir, const char *name, const char *src)
{
	char	*path, *tmp;
	int	 from, rc, saved;

	if ((from = open(src, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	path = queue_path(dir, name);
	xasprintf(&tmp, "%s/.tmp-%s", dir, name);
	rc = put(path, tmp, NULL, 0, from);
	saved = errno;
	close(from);
	free(path);
	free(tmp);
	errno = saved;
	return rc;
}

/* A basename of path, for the person: what follows its last slash. */
static const char *
base_name(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

int
queue_add(const char *dir, json_t *entry, const char *const *photos,
    size_t nphotos)
{
	struct timespec	 ts;
	json_t		*list;
	char		*stem, *name, *copy;
	size_t		 i, j;
	int		 rc = -1, saved;

	if (make_dirs(dir) == -1)
		return -1;
	/* Names sort as the entries were kept: the time, to the ns. */
	clock_gettime(CLOCK_REALTIME, &ts);
	xasprintf(&stem, "%012lld.%09ld-%ld", (long long)ts.tv_sec,
	    ts.tv_nsec, (long)getpid());
	xasprintf(&name, "%s%s", stem, QUEUE_SUFFIX);
	/* The photos first: an entry never names a copy not yet whole. */
	list = json_array();
	for (i = 0; i < nphotos; i++) {
		xasprintf(&copy, "%s%s%zu", stem, QUEUE_PHOTO, i + 1);
		if (put_copy(dir, copy, photos[i]) == -1) {
			saved = errno;
			free(copy);
			for (j = 0; j < i; j++) {
				xasprintf(&copy, "%s%s%zu", stem, QUEUE_PHOTO,
				    j + 1);
				queue_remove(dir, copy);
				free(copy);
			}
			errno = saved;
			goto done;
		}
		json_array_append_new(list, json_pack("{s:s, s:s}", "file",
		    copy, "name", base_name(photos[i])));
		free(copy);
	}
	if (nphotos > 0)
		json_object_set(entry, "photos", list);
	if ((rc = put_entry(dir, name, entry)) == 0)
		rc = sync_dir(dir);
	else {
		saved = errno;
		queue_remove_photos(dir, entry);
		errno = saved;
	}
done:
	json_decref(list);
	free(stem);
	free(name);
	return rc;
}

int
queue_replace(const char *dir, const char *name, const json_t *entry)
{
	if (put_entry(dir, name, entry) == -1)
		return -1;
	return sync_dir(dir);
}

/*
 * scandir()'s filter: an entry, not a temporary file, a photo's copy nor
 * the lock.
 */
static int
is_entry(const struct dirent *d)
{
	size_t	len = strlen(d->d_name), n = strlen(QUEUE_SUFFIX);

	return d->d_name[0] != '.' && len > n &&
	    strcmp(d->d_name + len - n, QUEUE_SUFFIX) == 0;
}

int
queue_names(const char *dir, char ***names, size_t *n)
{
	struct dirent	**list;
	int		  count, i;

	*names = NULL;
	*n = 0;
	if ((count = scandir(dir, &list, is_entry, alphasort)) == -1)
		return errno == ENOENT ? 0 : -1;
	*names = xreallocarray(NULL, count > 0 ? (size_t)count : 1,
	    sizeof(**names));
	for (i = 0; i < count; i++) {
		(*names)[i] = xstrdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	*n = (size_t)count;
	return 0;
}

void
queue_names_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

json_t *
queue_load(const char *dir, const char *name)
{
	json_t	*entry;
	char	*path;

	path = queue_path(dir, name);
	entry = json_load_file(path, 0, NULL);
	free(path);
	if (entry == NULL || !json_is_object(entry)) {
		json_decref(entry);
		errno = EINVAL;
		return NULL;
	}
	return entry;
}

int
queue_remove(const char *dir, const char *name)
{
	char	*path;
	int	 rc;

	path = queue_path(dir, name);
	rc = unlink(path);
	free(path);
	if (rc == -1 && errno != ENOENT)
		return -1;
	return sync_dir(dir);
}

int
queue_lock(const char *dir)
{
	char	*path;
	int	 fd, saved;

	if (make_dirs(dir) == -1)
		return -1;
	xasprintf(&path, "%s/%s", dir, QUEUE_LOCK);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (fd == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

char *
queue_path(const char *dir, const char *name)
{
	char	*path;

	xasprintf(&path, "%s/%s", dir, name);
	return path;
}

int
queue_remove_photos(const char *dir, const json_t *entry)
{
	const json_t	*p;
	const char	*file;
	size_t		 i;
	int		 rc = 0;

	json_array_foreach(json_object_get(entry, "photos"), i, p) {
		file = json_string_value(json_object_get(p, "file"));
		if (file != NULL && queue_photo_ok(file) &&
		    queue_remove(dir, file) == -1)
			rc = -1;
	}
	return rc;
}

/*
 * Whether file (a photo's copy, or a temporary file) was left by a
 * hazardctl that died before it wrote its entry: no entry of its stem
 * ("<time>-<pid>"), and no process of that pid.
 */
static int
orphan(const char *dir, const char *file)
{
	const char	*stem = file, *end, *dash;
	char		*entry, *p;
	long		 pid;
	int		 gone;

	if (strncmp(stem, ".tmp-", 5) == 0)
		stem += 5;
	if ((end = strstr(stem, QUEUE_PHOTO)) == NULL &&
	    (end = strstr(stem, QUEUE_SUFFIX)) == NULL)
		return 0;
	for (dash = end; dash > stem && dash[-1] != '-'; dash--)
		;
	if (dash == stem || dash == end)
		return 0;
	pid = strtol(dash, &p, 10);
	if (p != end || pid <= 0)
		return 0;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0;
	xasprintf(&entry, "%s/%.*s%s", dir, (int)(end - stem), stem,
	    QUEUE_SUFFIX);
	gone = access(entry, F_OK) == -1 && errno == ENOENT;
	free(entry);
	return gone;
}

int
queue_sweep(const char *dir)
{
	struct dirent	*d;
	DIR		*dp;
	int		 rc = 0;

	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((d = readdir(dp)) != NULL)
		if (orphan(dir, d->d_name) && queue_remove(dir,
		    d->d_name) == -1)
			rc = -1;
	closedir(dp);
	return rc;
}

int
queue_photo_ok(const char *file)
{
	return file[0] != '.' && strchr(file, '/') == NULL &&
	    strstr(file, QUEUE_PHOTO) != NULL;
}
