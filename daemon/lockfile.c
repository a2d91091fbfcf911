/*
 * The lock that keeps a second hazardd off the same database.  flock()
 * locks go with the open file, so the kernel drops ours when the daemon
 * dies, however it dies: a stale lock file is harmless.  Only the
 * server takes it; the maintenance commands (token create, backup,
 * check) go through SQLite's own locking, and may run beside it.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockfile.h"
#include "log.h"
#include "xmalloc.h"

/* Reads the pid that the holder wrote into the lock file, or 0. */
static long
holder_pid(int fd)
{
	char	buf[32];
	ssize_t	n;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* Writes our pid into the lock file, for the message of the next one. */
static void
write_pid(int fd, const char *path)
{
	char	buf[32];
	int	len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, len, 0) != len)
		log_warn("%s: cannot write the pid", path);
}

int
lockfile_acquire(const char *database)
{
	char	*path;
	long	 pid;
	int	 fd;

	xasprintf(&path, "%s.lock", database);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		log_warn("cannot open the lock file %s", path);
		goto fail;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK) {
			log_warn("cannot lock %s", path);
			goto fail;
		}
		if ((pid = holder_pid(fd)) > 0)
			log_warnx("another hazardd (pid %ld) is already "
			    "running on the database %s; stop it first", pid,
			    database);
		else
			log_warnx("another hazardd is already running on the "
			    "database %s (%s is locked); stop it first",
			    database, path);
		goto fail;
	}
	write_pid(fd, path);
	free(path);
	return fd;
fail:
	if (fd != -1)
		close(fd);
	free(path);
	return -1;
}

int
lockfile_try(const char *database)
{
	char	*path;
	int	 fd;

	xasprintf(&path, "%s.lock", database);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (fd != -1 && flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void
lockfile_release(int fd)
{
	if (fd != -1)
		close(fd);
}
