/*
 * The lock that keeps a second hazardd off the same database: an flock
 * on DATABASE.lock, held for the daemon's life.
 */
#ifndef HAZARDD_LOCKFILE_H
#define HAZARDD_LOCKFILE_H

/*
 * Takes the lock of the database at path, and writes our pid into the
 * lock file.  Returns the descriptor that holds it, or -1 with the
 * reason logged (another hazardd holds it: its pid is named).
 */
int	lockfile_acquire(const char *database);

/*
 * Takes the lock of the database at path if no hazardd holds it, for a
 * command that must not run beside one (hazardd check removing what a
 * running hazardd may be about to use).  Returns the descriptor, or -1
 * if it is held (or cannot be taken: nothing is logged).
 */
int	lockfile_try(const char *database);

/* Releases the lock taken by lockfile_acquire (the file stays). */
void	lockfile_release(int fd);

#endif
