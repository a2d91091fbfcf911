/*
 * The photos' files: content-addressed, beside the database, in
 * DATABASE.photos/XX/HASH, where HASH is the SHA-256 of the bytes (in
 * lower-case hex) and XX its first two digits.  A file is written in
 * full and flushed, renamed into place and its directory flushed,
 * before the row that names it is committed: a row always has its
 * file.  A file is never changed; one that no row names (a crash
 * between the two) is an orphan, swept when hazardd starts.  Safe on
 * any thread; no database.
 */
#ifndef HAZARDD_PHOTOSTORE_H
#define HAZARDD_PHOTOSTORE_H

#include <stddef.h>
#include <stdint.h>

#define PHOTOSTORE_HASH_LEN	65	/* 64 hex digits and a NUL */

/* The directory of the photos of the database at path (to free). */
char	*photostore_dir(const char *database);

/* The file of the photo of hash hex under dir (to free). */
char	*photostore_path(const char *dir, const char *hex);

/* The SHA-256 of buf in hex.  Returns 0, or -1 logged. */
int	 photostore_hash(const uint8_t *buf, size_t len,
	    char hex[PHOTOSTORE_HASH_LEN]);

/*
 * Writes buf as the file of hash hex under dir, durably, making the
 * directories it lacks.  Returns 0, or -1 logged (what it began is
 * removed).
 */
int	 photostore_write(const char *dir, const char *hex, const uint8_t *buf,
	    size_t len);

/*
 * Calls fn(hex, path, arg) for each file under dir: hex is its hash,
 * or NULL for a file whose name is none (one a write left unfinished).
 * fn returns 0, or -1 to stop.  A missing dir has no file.  Returns 0,
 * or -1 (logged, or fn's).
 */
int	 photostore_walk(const char *dir,
	    int (*fn)(const char *hex, const char *path, void *arg),
	    void *arg);

/*
 * Copies the file of hash hex from the directory from into to, durably
 * (for a backup).  Returns 0, or -1 logged.
 */
int	 photostore_copy(const char *from, const char *to, const char *hex);

#endif
