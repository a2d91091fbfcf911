/*
 * The queue of requests kept while the server could not be reached:
 * a directory of JSON files, each written whole or not at all.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "queue.h"
#include "xmalloc.h"

#define QUEUE_SUFFIX	".json"
#define QUEUE_LOCK	".lock"

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

int
queue_add(const char *dir, const json_t *entry)
{
	struct timespec	 ts;
	char		*text, *name = NULL, *tmp = NULL;
	int		 fd = -1, rc = -1, saved;

	if ((text = json_dumps(entry, JSON_INDENT(2))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (make_dirs(dir) == -1)
		goto done;
	/* Names sort as the entries were kept: the time, to the ns. */
	clock_gettime(CLOCK_REALTIME, &ts);
	xasprintf(&name, "%s/%012lld.%09ld-%ld%s", dir, (long long)ts.tv_sec,
	    ts.tv_nsec, (long)getpid(), QUEUE_SUFFIX);
	xasprintf(&tmp, "%s/.tmp-%lld.%09ld-%ld", dir, (long long)ts.tv_sec,
	    ts.tv_nsec, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		goto done;
	if (write_all(fd, text, strlen(text)) == -1 ||
	    write_all(fd, "\n", 1) == -1 || fsync(fd) == -1 ||
	    close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, name) == -1 || sync_dir(dir) == -1)
		goto fail;
	rc = 0;
	goto done;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	fd = -1;
	unlink(tmp);
	errno = saved;
done:
	if (fd != -1) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	free(text);
	free(name);
	free(tmp);
	return rc;
}

/* scandir()'s filter: an entry, not a temporary file nor the lock. */
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

	xasprintf(&path, "%s/%s", dir, name);
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

	xasprintf(&path, "%s/%s", dir, name);
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
