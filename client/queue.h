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
 * Keeps entry in dir, made with its parents (mode 700) if need be: it
 * is written to a temporary file (mode 600), flushed to the disk and
 * renamed, so that the queue holds it whole or not at all.  Returns 0,
 * or -1 with errno set.
 */
int	 queue_add(const char *dir, const json_t *entry);

/*
 * The names of the entries of dir, oldest first, into *names (n of
 * them; free with queue_names_free()).  No directory is an empty
 * queue.  Returns 0, or -1 with errno set.
 */
int	 queue_names(const char *dir, char ***names, size_t *n);
void	 queue_names_free(char **names, size_t n);

/* The entry name of dir, or NULL (errno set) if it cannot be read. */
json_t	*queue_load(const char *dir, const char *name);

/* Takes the entry name out of dir for good.  Returns 0, or -1. */
int	 queue_remove(const char *dir, const char *name);

/*
 * Locks dir against another hazardctl sending the queue at the same
 * time.  Returns the descriptor that holds the lock (close it to let
 * go; so does the death of the process), or -1 with errno set:
 * EWOULDBLOCK when another holds it.
 */
int	 queue_lock(const char *dir);

#endif
