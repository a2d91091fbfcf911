/*
 * A temporary database of the real schema for the Check programs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <check.h>

#include "db.h"
#include "store.h"
#include "tempdb.h"

void
tempdb_open(char *path, size_t len, const char *name)
{
	int	fd;

	snprintf(path, len, "/tmp/%s.XXXXXX", name);
	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	ck_assert_int_eq(db_open(path), 0);
	ck_assert_int_eq(store_open(), 0);
}

void
tempdb_remove(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char	 file[4096];
	size_t	 i;

	store_close();
	db_close();
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(file, sizeof(file), "%s%s", path, suffix[i]);
		unlink(file);
	}
}
