/*
 * The SQLite database: opening, pragmas, migrations, transactions.
 */
#include <sys/stat.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "db.h"
#include "log.h"
#include "xmalloc.h"

/*
 * While a migration runs, systemd is asked for DB_MIGRATE_EXTEND more
 * seconds of start-up every DB_MIGRATE_EVERY seconds (and the progress
 * logged), SQLite's progress handler looking at the clock every
 * DB_MIGRATE_STEPS of its instructions.
 */
#define DB_MIGRATE_EXTEND	30
#define DB_MIGRATE_EVERY	5
#define DB_MIGRATE_STEPS	100000

/* At most this big, check_at_start = auto runs PRAGMA quick_check. */
#define DB_CHECK_AUTO_MAX	(64L * 1024 * 1024)

/* Each thread its own: the loop's, or a reader's (db_open_reader). */
static __thread sqlite3 *db;
/* 1 on a thread of its own (db_open_reader, db_open_writer). */
static __thread int db_worker;
/* 1 on the loop's thread, which opened the daemon's connection. */
static __thread int db_loop;
/* How many threads write: an import, a digest's record (db_set_writing). */
static atomic_int db_writing;
static char	*db_path;	/* for the log */
static enum db_check db_check_mode = DB_CHECK_AUTO;

sqlite3 *
db_handle(void)
{
	return db;
}

int
db_on_loop(void)
{
	return db_loop;
}

void
db_loop_only(const char *func)
{
	if (!db_loop)
		fatalx("%s: called off the loop's thread", func);
}

/* What SQLite was doing when a storage fault stopped it. */
static const char *
db_fault_op(int code)
{
	switch (code) {
	case SQLITE_FULL:		return "no space left";
	case SQLITE_IOERR_READ:
	case SQLITE_IOERR_SHORT_READ:	return "reading";
	case SQLITE_IOERR_WRITE:	return "writing";
	case SQLITE_IOERR_FSYNC:
	case SQLITE_IOERR_DIR_FSYNC:	return "syncing";
	case SQLITE_IOERR_TRUNCATE:	return "truncating";
	case SQLITE_IOERR_SHMOPEN:
	case SQLITE_IOERR_SHMSIZE:
	case SQLITE_IOERR_SHMMAP:	return "the -shm file";
	default:
		if ((code & 0xff) == SQLITE_READONLY)
			return "read-only";
		if ((code & 0xff) == SQLITE_CANTOPEN)
			return "opening a file";
		return "I/O";
	}
}

/*
 * Logs a failure of the handle: what failed, SQLite's message, and for
 * a storage fault the system's reason and what it means for clients.
 * A damaged page may sit in the page cache after the file is repaired
 * (restored in place): drop what the cache holds unpinned, so the next
 * statement reads the file again rather than the damage.
 */
static void
db_warn(const char *what, const char *msg)
{
	const char	*path = db_path != NULL ? db_path : "?";
	int		 code, sys;

	if (db == NULL) {
		log_warnx("database %s: %s: not open", path, what);
		return;
	}
	code = sqlite3_extended_errcode(db);
	sys = sqlite3_system_errno(db);
	switch (code & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
		log_warnx("database %s: %s: %s (%s, code %d%s%s): storage "
		    "fault; changes are refused (503) until it is cleared",
		    path, what, msg, db_fault_op(code), code,
		    sys != 0 ? ", " : "", sys != 0 ? strerror(sys) : "");
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		if (!db_worker && atomic_load(&db_writing) > 0)
			log_warnx("database %s: %s: a thread is writing (an "
			    "import, a digest); changes are refused (503) "
			    "until it ends", path, what);
		else
			log_warnx("database %s: %s: %s: another process holds "
			    "its write lock; changes are refused (503) "
			    "meanwhile", path, what, msg);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		log_warnx("database %s: %s: %s: the file is damaged; run "
		    "hazardd check, restore a backup", path, what, msg);
		(void)sqlite3_db_release_memory(db);
		break;
	default:
		log_warnx("database %s: %s: %s", path, what, msg);
		break;
	}
}

/*
 * The loop's busy handler: waits DB_BUSY_TIMEOUT_MS at most for another
 * writer's lock, as sqlite3_busy_timeout() would, but not at all while
 * a thread holds it (an import, for seconds; a digest's record, for
 * hundreds of milliseconds): the write is refused (503) at once rather
 * than the loop stopped for the wait.
 */
static int
db_busy(void *arg, int count)
{
	(void)arg;
	if (atomic_load(&db_writing) > 0 ||
	    count >= DB_BUSY_TIMEOUT_MS / DB_BUSY_SLEEP_MS)
		return 0;
	sqlite3_sleep(DB_BUSY_SLEEP_MS);
	return 1;
}

void
db_set_writing(int on)
{
	atomic_fetch_add(&db_writing, on ? 1 : -1);
}

int
db_claim_writing(void)
{
	int	none = 0;

	return atomic_compare_exchange_strong(&db_writing, &none, 1);
}

int
db_thread_writing(void)
{
	return atomic_load(&db_writing) > 0;
}

void
db_log_error(const char *what)
{
	db_warn(what, db == NULL ? "not open" : sqlite3_errmsg(db));
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
		db_warn(what, err != NULL ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/*
 * Sets the write-ahead log, and checks that it took: SQLite answers
 * with the mode it is in, which is not "wal" for a database in memory
 * or on a file system without the shared memory the WAL needs.
 * Without it the checkpoint thread would do nothing and a digest being
 * read would hold every commit back.  Returns 0, or -1 logged.
 */
static int
db_wal(const char *path)
{
	sqlite3_stmt	*st;
	const char	*mode = NULL;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL) != SQLITE_OK) {
		db_warn("journal_mode", sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(st) != SQLITE_ROW)
		db_warn("journal_mode", sqlite3_errmsg(db));
	else if ((mode = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    strcmp(mode, "wal") == 0)
		rc = 0;
	else
		log_warnx("database %s: cannot keep a write-ahead log there "
		    "(the journal stays \"%s\"): hazardd needs a database file "
		    "on a local file system", path, mode != NULL ? mode : "?");
	sqlite3_finalize(st);
	return rc;
}

int
db_version(void)
{
	return db_version_of(db);
}

int
db_version_of(sqlite3 *h)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

void
db_alone(void)
{
	/* A thread of its own has no batch. */
	if (!db_worker)
		db_batch_flush();
}

int
db_begin(void)
{
	/* A transaction of its own: the batch of this pass goes first. */
	db_alone();
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
	/* If that was the batch, those who waited for it must hear. */
	if (!db_worker)
		db_batch_fail();
}

/* The migration running, for db_migrate_progress(). */
static struct {
	const struct migration	*m;
	time_t			 start;
	time_t			 told;	/* when systemd was last asked */
} db_running;

/* Seconds of CLOCK_MONOTONIC. */
static time_t
db_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/*
 * Asks systemd for DB_MIGRATE_EXTEND more seconds to start (and feeds
 * its watchdog): a migration of a large database can outlast the
 * unit's TimeoutStartSec.  Without NOTIFY_SOCKET, nothing.
 */
static void
db_migrate_extend(void)
{
	db_running.told = db_now();
	sd_notifyf(0, "EXTEND_TIMEOUT_USEC=%llu\nWATCHDOG=1",
	    (unsigned long long)DB_MIGRATE_EXTEND * 1000000);
}

/* SQLite's progress handler during a migration: 0 goes on. */
static int
db_migrate_progress(void *arg)
{
	(void)arg;
	if (db_now() - db_running.told < DB_MIGRATE_EVERY)
		return 0;
	db_migrate_extend();
	log_info("database: migration %s: %lld s so far", db_running.m->name,
	    (long long)(db_running.told - db_running.start));
	return 0;
}

/*
 * 027's step: the photos' key column, added unless it is there already,
 * for SQL has no ADD COLUMN IF NOT EXISTS and a migration may run again
 * over its own work (tests/e2e/chain.sh and bench/gen apply those from
 * 023 on again); then its index.
 */
static int
db_photo_keys(void)
{
	sqlite3_stmt	*st;
	int		 has;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "pragma_table_info('photos') WHERE name = 'idem_key'", -1, &st,
	    NULL) != SQLITE_OK) {
		db_log_error("027-photo-keys");
		return -1;
	}
	has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	if (!has && db_exec("ALTER TABLE photos ADD COLUMN idem_key TEXT",
	    "027-photo-keys") == -1)
		return -1;
	return db_exec("CREATE UNIQUE INDEX IF NOT EXISTS photos_by_key ON "
	    "photos (hazard_id, idem_key) WHERE idem_key IS NOT NULL",
	    "027-photo-keys");
}

/* The migrations with a step in C after their SQL. */
static const struct {
	int	  version;
	int	(*step)(void);
} db_steps[] = {
	{ 23, db_chain_events },
	{ 27, db_photo_keys },
};

/* Applies one migration and records its version, all or nothing. */
static int
db_migrate_one(const struct migration *m)
{
	char	sql[64];
	size_t	i;
	int	rc;

	if (db_begin() == -1)
		return -1;
	db_running.m = m;
	db_running.start = db_now();
	db_migrate_extend();
	sqlite3_progress_handler(db, DB_MIGRATE_STEPS, db_migrate_progress,
	    NULL);
	rc = db_exec(m->sql, m->name);
	for (i = 0; rc != -1 && i < sizeof(db_steps) / sizeof(db_steps[0]);
	    i++)
		if (db_steps[i].version == m->version)
			rc = db_steps[i].step();
	sqlite3_progress_handler(db, 0, NULL, NULL);
	if (rc == -1)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", m->version);
	if (db_exec(sql, "user_version") == -1)
		goto fail;
	if (db_commit() == -1)
		return -1;
	log_info("database: applied migration %s in %lld s", m->name,
	    (long long)(db_now() - db_running.start));
	return 0;
fail:
	db_rollback();
	return -1;
}

/*
 * What a migration cannot take, asked before it runs: a query whose one
 * value, if not NULL, names what stands in its way, and what to do.
 */
static const struct {
	int		 version;
	const char	*sql;
	const char	*what;
	const char	*advice;
} db_prechecks[] = {
	{ 11, "SELECT group_concat(c, '; ') FROM (SELECT group_concat(code, "
	    "' and ') AS c FROM schools GROUP BY code COLLATE NOCASE "
	    "HAVING count(*) > 1)",
	    "school codes that differ only in case",
	    "codes are now unique without regard to case: rename one of "
	    "each (UPDATE schools SET code = 'NEW' WHERE code = 'OLD') and "
	    "start hazardd again" },
};

/* Returns 0 if migration m may run, or -1 with what stands in its way. */
static int
db_precheck(const char *path, const struct migration *m)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < sizeof(db_prechecks) / sizeof(db_prechecks[0]); i++) {
		if (db_prechecks[i].version != m->version)
			continue;
		if (sqlite3_prepare_v2(db, db_prechecks[i].sql, -1, &st,
		    NULL) != SQLITE_OK) {
			db_log_error(m->name);
			return -1;
		}
		switch (sqlite3_step(st)) {
		case SQLITE_ROW:
			if (sqlite3_column_type(st, 0) == SQLITE_NULL)
				break;
			log_warnx("database %s: %s: %s; migration %s: %s",
			    path, db_prechecks[i].what,
			    sqlite3_column_text(st, 0), m->name,
			    db_prechecks[i].advice);
			rc = -1;
			break;
		case SQLITE_DONE:
			break;
		default:
			db_log_error(m->name);
			rc = -1;
			break;
		}
		sqlite3_finalize(st);
	}
	return rc;
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
		if (db_precheck(path, &db_migrations[i]) == -1 ||
		    db_migrate_one(&db_migrations[i]) == -1)
			return -1;
	}
	return 0;
}

/* A row of quick_check or integrity_check: logs it unless "ok". */
static int
db_check_row(void *arg, int ncols, char **vals, char **names)
{
	int	*bad = arg;

	(void)names;
	if (ncols < 1 || vals[0] == NULL || strcmp(vals[0], "ok") != 0) {
		if (++*bad <= 5)
			log_warnx("database %s: %s", db_path, ncols < 1 ||
			    vals[0] == NULL ? "?" : vals[0]);
	}
	return 0;
}

/*
 * The check at start ([storage] check_at_start): the header and schema
 * always (reading them); then PRAGMA quick_check (auto: only for a
 * database of at most DB_CHECK_AUTO_MAX bytes, as a large one would
 * hold up the start for seconds), or integrity_check and
 * foreign_key_check.  Returns 0, or -1 logged: the database is refused.
 */
static int
db_check(const char *path, enum db_check mode)
{
	struct stat	 sb;
	const char	*sql = NULL;
	char		*err = NULL;
	int		 bad = 0;

	if (db_exec("SELECT count(*) FROM sqlite_schema", "reading the "
	    "schema") == -1)
		goto refused;
	switch (mode) {
	case DB_CHECK_OFF:
		return 0;
	case DB_CHECK_AUTO:
		if (stat(path, &sb) == 0 && sb.st_size > DB_CHECK_AUTO_MAX) {
			log_info("database %s: %lld MiB, too large for a "
			    "check at every start (check_at_start = quick "
			    "forces it); hazardd check runs it", path,
			    (long long)(sb.st_size >> 20));
			return 0;
		}
		/* FALLTHROUGH */
	case DB_CHECK_QUICK:
		sql = "PRAGMA quick_check";
		break;
	case DB_CHECK_FULL:
		sql = "PRAGMA integrity_check";
		break;
	}
	if (sqlite3_exec(db, sql, db_check_row, &bad, &err) != SQLITE_OK) {
		db_warn(sql, err != NULL ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		goto refused;
	}
	if (bad == 0 && mode == DB_CHECK_FULL &&
	    sqlite3_exec(db, "PRAGMA foreign_key_check", db_check_row, &bad,
	    &err) != SQLITE_OK) {
		db_warn("foreign_key_check", err != NULL ? err :
		    sqlite3_errmsg(db));
		sqlite3_free(err);
		goto refused;
	}
	if (bad == 0)
		return 0;
refused:
	log_warnx("database %s fails its check at start: refused (see "
	    "hazardd check; restore a backup)", path);
	return -1;
}

void
db_set_check(enum db_check check)
{
	db_check_mode = check;
}

int
db_open(const char *path)
{
	free(db_path);
	db_path = xstrdup(path);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("database %s: cannot open: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	db_loop = 1;
	/*
	 * Short: while SQLite waits, the event loop waits.  Another writer
	 * (a backup, a token made from the command line) holds the lock
	 * for milliseconds; past this a request gets 503 and may retry.
	 */
	sqlite3_busy_handler(db, db_busy, NULL);
	/*
	 * temp_store: each request's savepoint journals the pages it
	 * changes; on a file (the default) that is a write to /var/tmp of
	 * every page a report touches, 16 or so, for nothing.
	 * journal_size_limit: a WAL that begins again is cut back to
	 * 64 MiB (db_checkpoint.c keeps it near 16,000 frames).
	 */
	if (db_wal(path) == -1 ||
	    db_exec("PRAGMA synchronous = FULL", "synchronous") == -1 ||
	    db_exec("PRAGMA foreign_keys = ON", "foreign_keys") == -1 ||
	    db_exec("PRAGMA temp_store = MEMORY", "temp_store") == -1 ||
	    db_exec("PRAGMA journal_size_limit = 67108864",
	    "journal_size_limit") == -1) {
		log_warnx("database %s cannot be used: refused", path);
		goto fail;
	}
	if (db_check(path, db_check_mode) == -1 || db_migrate(path) == -1)
		goto fail;
	return 0;
fail:
	sqlite3_close(db);
	db = NULL;
	db_loop = 0;
	free(db_path);
	db_path = NULL;
	return -1;
}

void
db_close(void)
{
	if (db == NULL)
		return;
	db_batch_finalize();
	db_checkpointer_stop();
	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	    NULL, NULL) != SQLITE_OK)
		log_warnx("database %s: at stop: the WAL cannot be copied "
		    "into the file: %s; it is kept, and read at the next start",
		    db_path, sqlite3_errmsg(db));
	if (sqlite3_close(db) != SQLITE_OK)
		db_log_error("close");
	db = NULL;
	db_loop = 0;
	free(db_path);
	db_path = NULL;
}

/*
 * Opens this thread's own connection to path with flags (what: for the
 * log), waiting busy_ms for a lock.  Returns 0, or -1 logged.
 */
static int
open_thread(const char *path, int flags, const char *what, int busy_ms)
{
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		log_warnx("database %s: cannot open for %s: %s", path, what,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		db = NULL;
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, busy_ms);
	db_worker = 1;
	return 0;
}

/*
 * Closes this thread's own connection, ending its transaction if one is
 * open with end ("COMMIT" or "ROLLBACK").
 */
static void
close_thread(const char *end)
{
	if (db == NULL)
		return;
	if (sqlite3_get_autocommit(db) == 0)
		(void)db_exec(end, "end of a thread's transaction");
	if (sqlite3_close(db) != SQLITE_OK)
		db_log_error("close");
	db = NULL;
	db_worker = 0;
}

int
db_open_reader(const char *path)
{
	/* Nothing waits on this thread: readers wait only for recovery. */
	if (open_thread(path, SQLITE_OPEN_READONLY, "reading", 5000) == -1)
		return -1;
	if (db_read_begin() == -1) {
		close_thread("COMMIT");
		return -1;
	}
	return 0;
}

int
db_read_begin(void)
{
	return db_exec("BEGIN", "begin reading");
}

int
db_read_end(void)
{
	if (db == NULL || sqlite3_get_autocommit(db) != 0)
		return 0;
	return db_exec("COMMIT", "end of reading");
}

void
db_close_reader(void)
{
	close_thread("COMMIT");
}

int
db_open_writer(const char *path)
{
	/*
	 * Nothing waits on this thread: it may wait for the loop's batch,
	 * which holds the lock for a pass of the loop, or a backup's.
	 */
	if (open_thread(path, SQLITE_OPEN_READWRITE, "writing",
	    DB_WORKER_BUSY_MS) == -1)
		return -1;
	/*
	 * cache_size: 64 MiB, while it lasts.  With SQLite's 2 MiB a large
	 * import spills its pages into the WAL again and again, and holds
	 * the write lock twice as long (300,000 rows: 34 s, not 16).
	 */
	if (db_exec("PRAGMA synchronous = FULL", "synchronous") == -1 ||
	    db_exec("PRAGMA foreign_keys = ON", "foreign_keys") == -1 ||
	    db_exec("PRAGMA temp_store = MEMORY", "temp_store") == -1 ||
	    db_exec("PRAGMA cache_size = -65536", "cache_size") == -1) {
		close_thread("ROLLBACK");
		return -1;
	}
	db_checkpoint_watch();
	return 0;
}

void
db_close_writer(void)
{
	close_thread("ROLLBACK");
}
