/*
 * The photos' files.  See photostore.h.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "log.h"
#include "photostore.h"
#include "xmalloc.h"

/* The prefix of a file being written; no hash begins so. */
#define TEMP_PREFIX	".tmp-"

char *
photostore_dir(const char *database)
{
	char	*dir;

	xasprintf(&dir, "%s.photos", database);
	return dir;
}

char *
photostore_path(const char *dir, const char *hex)
{
	char	*path;

	xasprintf(&path, "%s/%.2s/%s", dir, hex, hex);
	return path;
}

int
photostore_hash(const uint8_t *buf, size_t len, char hex[PHOTOSTORE_HASH_LEN])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	n, i;

	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 ||
	    n != 32) {
		log_warnx("photo: cannot hash it");
		return -1;
	}
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

/* Flushes the directory path.  Returns 0, or -1 logged. */
static int
sync_dir(const char *path)
{
	int	fd, rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("photo: %s", path);
		return -1;
	}
	if ((rc = fsync(fd)) == -1)
		log_warn("photo: fsync %s", path);
	close(fd);
	return rc;
}

/*
 * Makes the directory path unless it exists, and flushes its parent
 * when it made it.  Returns 0, or -1 logged.
 */
static int
make_dir(const char *path, const char *parent)
{
	if (mkdir(path, 0700) == -1) {
		if (errno == EEXIST)
			return 0;
		log_warn("photo: mkdir %s", path);
		return -1;
	}
	return sync_dir(parent);
}

/* The directory that holds path (to free). */
static char *
parent_of(const char *path)
{
	char	*p, *s;

	p = xstrdup(path);
	if ((s = strrchr(p, '/')) == NULL) {
		free(p);
		return xstrdup(".");
	}
	*s = s == p ? '/' : '\0';
	if (s == p)
		s[1] = '\0';
	return p;
}

/* Writes all of buf to fd.  Returns 0, or -1 with errno. */
static int
write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Writes buf as the file path, through a temporary file in its
 * directory sub, durably.  Returns 0, or -1 logged.
 */
static int
write_file(const char *sub, const char *path, const uint8_t *buf,
    size_t len)
{
	char	*tmp;
	int	 fd, rc = -1;

	xasprintf(&tmp, "%s/" TEMP_PREFIX "XXXXXX", sub);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		log_warn("photo: cannot create a file in %s", sub);
		free(tmp);
		return -1;
	}
	if (write_all(fd, buf, len) == -1)
		log_warn("photo: write %s", tmp);
	else if (fsync(fd) == -1)
		log_warn("photo: fsync %s", tmp);
	else
		rc = 0;
	if (close(fd) == -1 && rc == 0) {
		log_warn("photo: close %s", tmp);
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) == -1) {
		log_warn("photo: rename %s", tmp);
		rc = -1;
	}
	if (rc == -1)
		(void)unlink(tmp);
	else
		rc = sync_dir(sub);
	free(tmp);
	return rc;
}

int
photostore_write(const char *dir, const char *hex, const uint8_t *buf,
    size_t len)
{
	char	*top, *sub, *path;
	int	 rc = -1;

	top = parent_of(dir);
	xasprintf(&sub, "%s/%.2s", dir, hex);
	path = photostore_path(dir, hex);
	if (make_dir(dir, top) == 0 && make_dir(sub, dir) == 0)
		rc = write_file(sub, path, buf, len);
	free(top);
	free(sub);
	free(path);
	return rc;
}

/* Whether name is a hash: 64 lower-case hex digits. */
static int
is_hash(const char *name)
{
	return strlen(name) == 64 &&
	    strspn(name, "0123456789abcdef") == 64;
}

/* Calls fn for each file of the subdirectory sub (named name). */
static int
walk_sub(const char *sub, const char *name,
    int (*fn)(const char *, const char *, void *), void *arg)
{
	struct dirent	*de;
	DIR		*d;
	char		*path;
	int		 rc = 0, ours;

	if ((d = opendir(sub)) == NULL) {
		log_warn("photo: %s", sub);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ours = is_hash(de->d_name) &&
		    strncmp(de->d_name, name, 2) == 0;
		xasprintf(&path, "%s/%s", sub, de->d_name);
		rc = fn(ours ? de->d_name : NULL, path, arg);
		free(path);
	}
	closedir(d);
	return rc;
}

int
photostore_walk(const char *dir,
    int (*fn)(const char *, const char *, void *), void *arg)
{
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	char		*sub;
	int		 rc = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		log_warn("photo: %s", dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&sub, "%s/%s", dir, de->d_name);
		if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = walk_sub(sub, de->d_name, fn, arg);
		else
			rc = fn(NULL, sub, arg);
		free(sub);
	}
	closedir(d);
	return rc;
}

int
photostore_copy(const char *from, const char *to, const char *hex)
{
	struct stat	 sb;
	uint8_t		*buf = NULL;
	char		*src;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd, rc = -1;

	src = photostore_path(from, hex);
	if ((fd = open(src, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		log_warn("photo: %s", src);
		goto done;
	}
	buf = xmalloc(sb.st_size > 0 ? (size_t)sb.st_size : 1);
	while (got < (size_t)sb.st_size) {
		if ((n = read(fd, buf + got, (size_t)sb.st_size - got)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			log_warn("photo: read %s", src);
			goto done;
		}
		got += (size_t)n;
	}
	rc = photostore_write(to, hex, buf, got);
done:
	if (fd != -1)
		close(fd);
	free(buf);
	free(src);
	return rc;
}
