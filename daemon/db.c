/*
 * The SQLite database: opening, pragmas, migrations, transactions.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"

static sqlite3	*db;

sqlite3 *
db_handle(void)
{
	return db;
}

void
db_log_error(const char *what)
{
	log_warnx("database: %s: %s", what,
	    db == NULL ? "not open" : sqlite3_errmsg(db));
}

int
db_schema_version(void)
{
	int	i, v = 0;

	for (i = 0; db_migrations[i].name != NULL; i++)
		if (db_migrations[i].version > v)
			v = db_migrations[i].version;
	return v;
}

/* Runs SQL without results.  Returns 0, or -1 logged. */
static int
db_exec(const char *sql, const char *what)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_warnx("database: %s: %s", what,
		    err != NULL ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
db_version(void)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
db_begin(void)
{
	return db_exec("BEGIN IMMEDIATE", "begin");
}

int
db_commit(void)
{
	if (db_exec("COMMIT", "commit") == -1) {
		db_rollback();
		return -1;
	}
	return 0;
}

void
db_rollback(void)
{
	if (sqlite3_get_autocommit(db) == 0)
		(void)db_exec("ROLLBACK", "rollback");
}

/* Applies one migration and records its version, all or nothing. */
static int
db_migrate_one(const struct migration *m)
{
	char	sql[64];

	if (db_begin() == -1)
		return -1;
	if (db_exec(m->sql, m->name) == -1)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", m->version);
	if (db_exec(sql, "user_version") == -1)
		goto fail;
	if (db_commit() == -1)
		return -1;
	log_info("database: applied migration %s", m->name);
	return 0;
fail:
	db_rollback();
	return -1;
}

/* Brings the schema up to this binary's version. */
static int
db_migrate(const char *path)
{
	int	have, want = db_schema_version(), i;

	if ((have = db_version()) == -1) {
		db_log_error("reading the schema version");
		return -1;
	}
	if (have > want) {
		log_warnx("database %s has schema version %d, newer than "
		    "this hazardd knows (%d): upgrade hazardd", path, have,
		    want);
		return -1;
	}
	for (i = 0; db_migrations[i].name != NULL; i++) {
		if (db_migrations[i].version <= have)
			continue;
		if (db_migrate_one(&db_migrations[i]) == -1)
			return -1;
	}
	return 0;
}

int
db_open(const char *path)
{
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("database %s: cannot open: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	/*
	 * Short: while SQLite waits, the event loop waits.  Another writer
	 * (a backup, a token made from the command line) holds the lock
	 * for milliseconds; past this a request gets 503 and may retry.
	 */
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	if (db_exec("PRAGMA journal_mode = WAL", "journal_mode") == -1 ||
	    db_exec("PRAGMA synchronous = FULL", "synchronous") == -1 ||
	    db_exec("PRAGMA foreign_keys = ON", "foreign_keys") == -1) {
		log_warnx("database %s: cannot be used", path);
		goto fail;
	}
	if (db_migrate(path) == -1)
		goto fail;
	return 0;
fail:
	sqlite3_close(db);
	db = NULL;
	return -1;
}

void
db_close(void)
{
	if (db == NULL)
		return;
	(void)sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL);
	if (sqlite3_close(db) != SQLITE_OK)
		db_log_error("close");
	db = NULL;
}
