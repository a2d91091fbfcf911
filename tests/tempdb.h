/*
 * A database of the real schema in a temporary file, for the Check
 * programs that test the store: opened by a fixture's setup, removed
 * with its WAL and shared-memory files by its teardown.
 */
#ifndef TEMPDB_H
#define TEMPDB_H

#include <stddef.h>

/* Makes /tmp/NAME.XXXXXX into path (of size len) and opens the store on it. */
void	tempdb_open(char *path, size_t len, const char *name);

/* Closes the store and removes path and its -wal and -shm files. */
void	tempdb_remove(const char *path);

#endif
