/*
 * The SQLite database: opening, pragmas, migrations, transactions.
 */
#ifndef HAZARDD_DB_H
#define HAZARDD_DB_H

#include <sqlite3.h>

/* How long a statement waits for another writer's lock. */
#define DB_BUSY_TIMEOUT_MS	250

/* One numbered file of schema/, embedded by schema/embed.sh. */
struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};

/* The migrations built into the binary, ending with a NULL name. */
extern const struct migration db_migrations[];

/*
 * Opens (creating if need be) the database at path, sets WAL,
 * synchronous=FULL, foreign keys and a busy timeout, and applies the
 * migrations it lacks, each in its own transaction.  A database newer
 * than this binary is refused.  Returns 0, or -1 with the reason logged.
 */
int	 db_open(const char *path);

/* Closes the database, checkpointing the WAL. */
void	 db_close(void);

/* The open handle (NULL before db_open). */
sqlite3	*db_handle(void);

/* The schema version this binary knows, and the database's. */
int	 db_schema_version(void);
int	 db_version(void);

/* BEGIN IMMEDIATE, COMMIT, ROLLBACK.  Return 0, or -1 logged. */
int	 db_begin(void);
int	 db_commit(void);
void	 db_rollback(void);

/* Logs the last error of the handle with a word of context. */
void	 db_log_error(const char *what);

#endif
