/*
 * The queue of requests kept while the server could not be reached:
 * one JSON file a request in $XDG_STATE_HOME/hazardctl/queue, named so
 * that their names sort in the order they were kept.
 */
#ifndef HAZARDCTL_QUEUE_H
#define HAZARDCTL_QUEUE_H

#include <stddef.h>

#include <jansson.h>

/*
 * The queue's directory: $XDG_STATE_HOME/hazardctl/queue, or
 * ~/.local/state/hazardctl/queue.  NULL (errno set) when neither
 * $XDG_STATE_HOME nor $HOME is an absolute path.  The caller frees it.
 */
char	*queue_dir(void);

/*
 * Keeps entry in dir, made with its parents (mode 700) if need be,
 * with a copy of each of the nphotos files at photos beside it, named
 * after it and listed in its "photos" ({"file": the copy's name,
 * "name": the file's own}).  Each file is written to a temporary file
 * (mode 600), flushed to the disk and renamed, the photos before the
 * entry, so that the queue holds an entry and its photos whole or not
 * at all.  Returns 0, or -1 with errno set and nothing kept.
 */
int	 queue_add(const char *dir, json_t *entry, const char *const *photos,
	    size_t nphotos);

/* Writes entry over the entry name of dir, whole or not at all. */
int	 queue_replace(const char *dir, const char *name, const json_t *entry);

/* The path of the file name of dir (an entry or a photo's copy). */
char	*queue_path(const char *dir, const char *name);

/*
 * Whether file, read from an entry's "photos", names a photo's copy:
 * in the queue's directory, not an entry nor the lock.
 */
int	 queue_photo_ok(const char *file);

/*
 * Takes the copies of entry's photos out of dir (one already gone is
 * no error): before the entry itself leaves the queue.  Returns 0, or
 * -1.
 */
int	 queue_remove_photos(const char *dir, const json_t *entry);

/*
 * The names of the entries of dir, oldest first, into *names (n of
 * them; free with queue_names_free()).  No directory is an empty
 * queue.  Returns 0, or -1 with errno set.
 */
int	 queue_names(const char *dir, char ***names, size_t *n);
void	 queue_names_free(char **names, size_t n);

/* The entry name of dir, or NULL (errno set) if it cannot be read. */
json_t	*queue_load(const char *dir, const char *name);

/*
 * Takes the file name (an entry or a photo's copy) out of dir for
 * good.  Returns 0, or -1.
 */
int	 queue_remove(const char *dir, const char *name);

/*
 * Takes out of dir the photos' copies and temporary files that a
 * hazardctl which died before it kept their entry left (no entry, no
 * process of the pid in their names); what a live hazardctl writes,
 * and every entry, it leaves.  Returns 0, or -1.
 */
int	 queue_sweep(const char *dir);

/*
 * Locks dir against another hazardctl sending the queue at the same
 * time.  Returns the descriptor that holds the lock (close it to let
 * go; so does the death of the process), or -1 with errno set:
 * EWOULDBLOCK when another holds it.
 */
int	 queue_lock(const char *dir);

#endif
