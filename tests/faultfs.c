/*
 * faultfs: an LD_PRELOAD library that makes storage fail on demand, for
 * tests/e2e/storage.sh.  Tests run as root, whom neither chmod nor a
 * full disk stops, so the faults are made here instead.
 *
 *   FAULTFS_DIR   a directory: only files under it fail
 *   FAULTFS_NAME  if set, only the files of that name under it fail
 *                 ("hazardd.db": the database file, not its WAL)
 *   FAULTFS_CTL   a control file: while it exists, they fail.  It holds
 *                 the fault: "enospc" (disk full, the default),
 *                 "erofs" (read-only file system), "slow": fsync
 *                 and fdatasync take 200 ms more and succeed, nothing
 *                 fails (a slow disk, for tests/e2e/stall.sh), or
 *                 "eacces": every opening fails with EACCES, and what
 *                 is open works (a new connection to the database
 *                 cannot be made: the worker's reader, for
 *                 tests/e2e/retry.sh).
 *
 * While a fault is on, for files under FAULTFS_DIR: write, pwrite,
 * pwrite64, fsync, fdatasync, ftruncate and ftruncate64 fail with the
 * fault's errno; open (and open64, openat, openat64) fails for a file
 * it would create (O_CREAT of a file not there yet), and with "erofs"
 * for any opening for writing.  Reads always work.  Removing the
 * control file clears the fault: the process under test need not
 * restart.  SQLite's unix VFS calls these through the PLT (the
 * libsqlite3.so of Debian does), so they reach it.
 */
#undef _FORTIFY_SOURCE
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAULT_SLOW	(-1)

/*
 * The fault in force: 0 for none, the errno to fail with, or
 * FAULT_SLOW.
 */
static int
fault_now(void)
{
	const char	*ctl = getenv("FAULTFS_CTL");
	char		 buf[16];
	ssize_t		 n;
	int		 fd, saved = errno;
	static int	 (*real_open)(const char *, int, ...);

	if (ctl == NULL || *ctl == '\0')
		return 0;
	if (real_open == NULL)
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT,
		    "open");
	if (real_open == NULL || (fd = real_open(ctl, O_RDONLY)) == -1) {
		errno = saved;
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	errno = saved;
	if (n > 0 && strncmp(buf, "erofs", 5) == 0)
		return EROFS;
	if (n > 0 && strncmp(buf, "slow", 4) == 0)
		return FAULT_SLOW;
	if (n > 0 && strncmp(buf, "eacces", 6) == 0)
		return EACCES;
	return ENOSPC;
}

/*
 * Whether path (absolute or not) lies under FAULTFS_DIR, and has the
 * name FAULTFS_NAME if that is set.
 */
static int
path_under(const char *path)
{
	const char	*dir = getenv("FAULTFS_DIR");
	const char	*name = getenv("FAULTFS_NAME"), *base;
	char		 abs[PATH_MAX];
	size_t		 n;

	if (dir == NULL || *dir == '\0' || path == NULL)
		return 0;
	if (path[0] != '/') {
		if (getcwd(abs, sizeof(abs)) == NULL)
			return 0;
		n = strlen(abs);
		snprintf(abs + n, sizeof(abs) - n, "/%s", path);
		path = abs;
	}
	if (name != NULL && *name != '\0') {
		base = strrchr(path, '/');
		if (strcmp(base != NULL ? base + 1 : path, name) != 0)
			return 0;
	}
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' ||
	    path[n] == '\0');
}

/* The fault for a file descriptor: 0, or the errno to fail with. */
static int
fd_fault(int fd)
{
	char	link[64], path[PATH_MAX];
	ssize_t	n;
	int	f, saved = errno;

	if ((f = fault_now()) == 0)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	errno = saved;
	if (n <= 0)
		return 0;
	path[n] = '\0';
	/* EACCES fails the opening only. */
	return path_under(path) && f != EACCES ? f : 0;
}

/* The fault for opening path with flags: 0, or the errno. */
static int
open_fault(int dirfd, const char *path, int flags)
{
	struct stat	sb;
	int		f, saved = errno;

	if ((f = fault_now()) == 0 || f == FAULT_SLOW)
		return 0;
	/* Paths relative to another directory than the cwd: not ours. */
	if (path == NULL || (path[0] != '/' && dirfd != AT_FDCWD))
		return 0;
	if (!path_under(path))
		return 0;
	if (f == EACCES)
		return f;
	if (f == EROFS && ((flags & O_ACCMODE) != O_RDONLY ||
	    (flags & (O_CREAT | O_TRUNC)) != 0))
		return f;
	if ((flags & O_CREAT) != 0 && stat(path, &sb) == -1) {
		errno = saved;
		return f;
	}
	errno = saved;
	return 0;
}

/* The C library's function of that name, as real. */
#define REAL(name) \
	static __typeof__(&name) real; \
	if (real == NULL && (real = (__typeof__(&name))dlsym(RTLD_NEXT, \
	    #name)) == NULL) { \
		errno = ENOSYS; \
		return -1; \
	}

#define FAIL_FD(fd) do { \
	int f_ = fd_fault(fd); \
	if (f_ == FAULT_SLOW) \
		break; \
	if (f_ != 0) { \
		errno = f_; \
		return -1; \
	} \
} while (0)

/* A slow disk: the sync waits 200 ms more. */
#define SLOW_FD(fd) do { \
	if (fd_fault(fd) == FAULT_SLOW) \
		usleep(200000); \
} while (0)

/* The mode argument of open, when it is there. */
#define OPEN_MODE(flags, mode) do { \
	if ((flags) & (O_CREAT | O_TMPFILE)) { \
		va_list ap_; \
		va_start(ap_, flags); \
		mode = va_arg(ap_, mode_t); \
		va_end(ap_); \
	} \
} while (0)

#define FAIL_OPEN(dirfd, path, flags) do { \
	int f_ = open_fault(dirfd, path, flags); \
	if (f_ != 0) { \
		errno = f_; \
		return -1; \
	} \
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(open);
	OPEN_MODE(flags, mode);
	FAIL_OPEN(AT_FDCWD, path, flags);
	return real(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(open64);
	OPEN_MODE(flags, mode);
	FAIL_OPEN(AT_FDCWD, path, flags);
	return real(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(openat);
	OPEN_MODE(flags, mode);
	FAIL_OPEN(dirfd, path, flags);
	return real(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	REAL(openat64);
	OPEN_MODE(flags, mode);
	FAIL_OPEN(dirfd, path, flags);
	return real(dirfd, path, flags, mode);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	REAL(write);
	FAIL_FD(fd);
	return real(fd, buf, len);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	REAL(pwrite);
	FAIL_FD(fd);
	return real(fd, buf, len, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	REAL(pwrite64);
	FAIL_FD(fd);
	return real(fd, buf, len, off);
}

int
fsync(int fd)
{
	REAL(fsync);
	SLOW_FD(fd);
	FAIL_FD(fd);
	return real(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync);
	SLOW_FD(fd);
	FAIL_FD(fd);
	return real(fd);
}

int
ftruncate(int fd, off_t len)
{
	REAL(ftruncate);
	FAIL_FD(fd);
	return real(fd, len);
}

int
ftruncate64(int fd, off64_t len)
{
	REAL(ftruncate64);
	FAIL_FD(fd);
	return real(fd, len);
}
