/*
 * hazardd backup, check and verify.  Each opens their own connection to
 * the database and take no lock of hazardd's: SQLite's locking and WAL
 * let them run beside the server.  They only read, but open read-write
 * all the same (never creating the database): a read-only connection
 * that is the last to close leaves the -wal and -shm files behind, and
 * when root runs the command they would be root's, which the daemon's
 * user could not open.  They talk to a person: in the user's language
 * (main.c), their logged lines in English in syslog (log_set_person()).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "category.h"
#include "db.h"
#include "i18n.h"
#include "lockfile.h"
#include "log.h"
#include "maint.h"
#include "photostore.h"
#include "store.h"
#include "xmalloc.h"

/* How long a step of the backup may wait for a lock, all told. */
#define BACKUP_BUSY_TRIES	50
#define BACKUP_BUSY_MS		100

/*
 * Opens the database at path with flags.  Returns the handle, or NULL
 * with the reason logged.
 */
static sqlite3 *
maint_open(const char *path, int flags)
{
	sqlite3	*h = NULL;

	if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
		log_warnx(N_("database %s: cannot open: %s"), path,
		    h != NULL ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/*
 * Runs a PRAGMA; calls show(row, arg) for each row of its answer.
 * Returns the number of rows, or -1 with the reason logged.
 */
static int
maint_pragma(sqlite3 *h, const char *path, const char *sql,
    void (*show)(sqlite3_stmt *, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, rows = 0;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("database %s: %s: %s", path, sql, sqlite3_errmsg(h));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (show != NULL)
			show(st, arg);
		rows++;
	}
	if (rc != SQLITE_DONE) {
		log_warnx("database %s: %s: %s", path, sql, sqlite3_errmsg(h));
		rows = -1;
	}
	sqlite3_finalize(st);
	return rows;
}

/* Checks that h holds a hazardd database this binary can serve. */
static int
maint_is_ours(sqlite3 *h, const char *path)
{
	int	v;

	if ((v = db_version_of(h)) == -1) {
		log_warnx(N_("database %s: cannot read it: %s"), path,
		    sqlite3_errmsg(h));
		return 0;
	}
	if (v == 0) {
		log_warnx(N_("database %s: not a hazardd database (schema "
		    "version 0)"), path);
		return 0;
	}
	return 1;
}

/* Copies all of src into dst in one step: one snapshot of the source. */
static int
maint_copy(sqlite3 *src, sqlite3 *dst, const char *path)
{
	sqlite3_backup	*b;
	int		 rc, tries = 0;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		log_warnx("backup of %s: %s", path, sqlite3_errmsg(dst));
		return -1;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	    rc == SQLITE_LOCKED || rc == SQLITE_OK) {
		if (rc != SQLITE_OK && ++tries > BACKUP_BUSY_TRIES)
			break;
		sqlite3_sleep(BACKUP_BUSY_MS);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		log_warnx("backup of %s: %s", path, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* Flushes the directory of path, so that a rename in it is durable. */
static void
maint_sync_dir(const char *path)
{
	char	*copy;
	int	 fd;

	copy = xstrdup(path);
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Removes tmp and whatever SQLite may have left beside it. */
static void
maint_unlink(const char *tmp)
{
	static const char *const suffix[] = { "", "-journal", "-wal", "-shm" };
	char	*p;
	size_t	 i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		xasprintf(&p, "%s%s", tmp, suffix[i]);
		(void)unlink(p);
		free(p);
	}
}

/* A row of integrity_check or quick_check: sets *bad unless "ok". */
static void
row_ok(sqlite3_stmt *st, void *bad)
{
	const char	*s = (const char *)sqlite3_column_text(st, 0);

	if (s == NULL || strcmp(s, "ok") != 0)
		*(int *)bad = 1;
}

/*
 * Writes the backup into tmp: the copy, then a self-contained file in
 * rollback-journal mode, checked.  Returns 0, or -1 logged.
 */
static int
maint_backup_into(sqlite3 *src, const char *database, const char *tmp)
{
	sqlite3	*dst;
	int	 rc = -1, bad = 0;

	if ((dst = maint_open(tmp, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE)) == NULL)
		return -1;
	if (maint_copy(src, dst, database) == -1)
		goto done;
	if (maint_pragma(dst, tmp, "PRAGMA journal_mode = DELETE", NULL,
	    NULL) == -1)
		goto done;
	if (maint_pragma(dst, tmp, "PRAGMA quick_check", row_ok, &bad) != 1 ||
	    bad) {
		log_warnx(N_("backup of %s: the copy does not check"),
		    database);
		goto done;
	}
	rc = 0;
done:
	if (sqlite3_close(dst) != SQLITE_OK) {
		log_warnx(N_("backup %s: cannot close it"), tmp);
		rc = -1;
	}
	return rc;
}

/* Whether h has the table name (a database older than it has not). */
static int
has_table(sqlite3 *h, const char *name)
{
	sqlite3_stmt	*st;
	int		 rc = 0;

	if (sqlite3_prepare_v2(h, "SELECT 1 FROM sqlite_master WHERE "
	    "type = 'table' AND name = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc;
}

/* What backup_photo copies: from the database's photos to the backup's. */
struct photo_copy {
	const char	*from;
	const char	*to;
	int		 n;
	int		 failed;
};

/* A row of the backup's photos: its file copied. */
static void
backup_photo(sqlite3_stmt *st, void *arg)
{
	struct photo_copy	*pc = arg;
	const char		*hex = (const char *)sqlite3_column_text(st, 0);

	if (pc->failed || hex == NULL)
		return;
	if (photostore_copy(pc->from, pc->to, hex) == -1)
		pc->failed = 1;
	else
		pc->n++;
}

/*
 * Copies the files of the photos the backup tmp names from the
 * database's photos into dest's (DEST.photos).  Returns the number
 * copied, or -1 logged.
 */
static int
maint_backup_photos(const char *database, const char *tmp, const char *dest)
{
	struct photo_copy	 pc = { NULL, NULL, 0, 0 };
	sqlite3			*h;
	char			*from, *to;

	if ((h = maint_open(tmp, SQLITE_OPEN_READONLY)) == NULL)
		return -1;
	from = photostore_dir(database);
	to = photostore_dir(dest);
	pc.from = from;
	pc.to = to;
	if (has_table(h, "photos") && maint_pragma(h, tmp, "SELECT DISTINCT "
	    "sha256 FROM photos", backup_photo, &pc) == -1)
		pc.failed = 1;
	sqlite3_close(h);
	free(from);
	free(to);
	return pc.failed ? -1 : pc.n;
}

int
maint_backup(const char *database, int argc, char *argv[])
{
	struct stat	 sb;
	const char	*dest;
	char		*tmp = NULL, *photos;
	sqlite3		*src = NULL;
	int		 rc = 1, n;

	if (argc != 2 || *argv[1] == '\0') {
		fprintf(stderr, "%s hazardd [-c FILE] backup DEST\n",
		    _("usage:"));
		return 2;
	}
	dest = argv[1];
	if (lstat(dest, &sb) == 0 || errno != ENOENT) {
		log_warnx(N_("backup: %s already exists; a backup never "
		    "overwrites a file"), dest);
		return 1;
	}
	photos = photostore_dir(dest);
	if (lstat(photos, &sb) == 0 || errno != ENOENT) {
		log_warnx(N_("backup: %s already exists; a backup never "
		    "overwrites a file"), photos);
		free(photos);
		return 1;
	}
	free(photos);
	if ((src = maint_open(database, SQLITE_OPEN_READWRITE)) == NULL)
		goto done;
	if (!maint_is_ours(src, database))
		goto done;
	/* The backup holds token hashes: for its owner's eyes only. */
	umask(077);
	xasprintf(&tmp, "%s.tmp-%ld", dest, (long)getpid());
	if (maint_backup_into(src, database, tmp) == -1) {
		maint_unlink(tmp);
		goto done;
	}
	/* The photos' files before the database that names them. */
	if ((n = maint_backup_photos(database, tmp, dest)) == -1) {
		log_warnx(N_("backup: the photos could not be copied"));
		maint_unlink(tmp);
		goto done;
	}
	if (rename(tmp, dest) == -1) {
		log_warn(N_("backup: cannot rename %s to %s"), tmp, dest);
		maint_unlink(tmp);
		goto done;
	}
	maint_sync_dir(dest);
	log_info(N_("database %s backed up to %s (schema version %d, %d "
	    "photos' files)"), database, dest, db_version_of(src), n);
	rc = 0;
done:
	sqlite3_close(src);
	free(tmp);
	return rc;
}

/* Prints a row of integrity_check: "ok", or a problem (*bad is set). */
static void
show_integrity(sqlite3_stmt *st, void *bad)
{
	const char	*s = (const char *)sqlite3_column_text(st, 0);

	row_ok(st, bad);
	printf(_("integrity: %s\n"), s == NULL ? "?" :
	    strcmp(s, "ok") == 0 ? _("ok") : s);
}

/* Prints a row of foreign_key_check: a row that points at nothing. */
static void
show_foreign_key(sqlite3_stmt *st, void *arg)
{
	printf(_("foreign key: table %s row %lld refers to a missing row "
	    "of %s\n"), sqlite3_column_text(st, 0),
	    (long long)sqlite3_column_int64(st, 1),
	    sqlite3_column_text(st, 2));
}

/* What show_category counts: the vocabulary, and the codes outside it. */
struct strays {
	const struct categories	*cs;
	int			 n;
};

/* Prints a category of the hazards that is not in the vocabulary. */
static void
show_category(sqlite3_stmt *st, void *arg)
{
	struct strays	*sy = arg;
	const char	*c = (const char *)sqlite3_column_text(st, 0);

	if (c == NULL || category_get(sy->cs, c) != NULL)
		return;
	printf(_("category: '%s' (%lld hazards) is not in the "
	    "vocabulary\n"), c,
	    (long long)sqlite3_column_int64(st, 1));
	sy->n++;
}

/* What check_photos finds. */
struct photo_check {
	sqlite3_stmt	*known;
	const char	*dir;
	int		 rows;
	int		 missing;
	int		 files;
	int		 orphans;
	int		 fix;
	int		 removed;
};

/* A photo's row: its file must be there, and of its size. */
static void
show_photo(sqlite3_stmt *st, void *arg)
{
	struct photo_check	*pc = arg;
	const char		*hex = (const char *)sqlite3_column_text(st, 1);
	struct stat		 sb;
	char			*path;

	pc->rows++;
	path = photostore_path(pc->dir, hex != NULL ? hex : "");
	if (hex == NULL || stat(path, &sb) == -1 ||
	    sb.st_size != sqlite3_column_int64(st, 2)) {
		printf(_("photo %lld: its file %s is missing or not of its "
		    "size\n"), (long long)sqlite3_column_int64(st, 0), path);
		pc->missing++;
	}
	free(path);
}

/* A file of the photos: an orphan unless a row names its hash. */
static int
check_photo_file(const char *hex, const char *path, void *arg)
{
	struct photo_check	*pc = arg;
	int			 known = 0;

	if (hex != NULL) {
		sqlite3_bind_text(pc->known, 1, hex, -1, SQLITE_STATIC);
		known = sqlite3_step(pc->known) == SQLITE_ROW;
		sqlite3_reset(pc->known);
	}
	if (known) {
		pc->files++;
		return 0;
	}
	pc->orphans++;
	if (pc->fix && unlink(path) == 0)
		pc->removed++;
	return 0;
}

/*
 * Checks the photos of database: each row has its file, of its size; a
 * file without a row (a write a crash cut short) is removed if no
 * hazardd runs (it removes them itself when it starts).  Returns 0, or
 * -1 if a row lacks its file.
 */
static int
check_photos(sqlite3 *h, const char *database)
{
	struct photo_check	 pc;
	char			*dir;
	int			 lock, rc = 0;

	if (!has_table(h, "photos"))
		return 0;
	memset(&pc, 0, sizeof(pc));
	pc.dir = dir = photostore_dir(database);
	if (maint_pragma(h, database, "SELECT id, sha256, size FROM photos",
	    show_photo, &pc) == -1)
		rc = -1;
	if (sqlite3_prepare_v2(h, "SELECT 1 FROM photos WHERE sha256 = ?",
	    -1, &pc.known, NULL) != SQLITE_OK) {
		log_warnx("database %s: %s", database, sqlite3_errmsg(h));
		free(dir);
		return -1;
	}
	lock = lockfile_try(database);
	pc.fix = lock != -1;
	if (photostore_walk(dir, check_photo_file, &pc) == -1)
		rc = -1;
	lockfile_release(lock);
	sqlite3_finalize(pc.known);
	if (pc.missing > 0)
		rc = -1;
	printf(_("photos: %d rows, %d files, %s\n"), pc.rows, pc.files,
	    rc == 0 ? _("ok") : _("FAILED"));
	if (pc.orphans > 0 && pc.fix)
		printf(_("photos: %d files without a row (a write a crash cut "
		    "short) removed\n"), pc.removed);
	else if (pc.orphans > 0)
		printf(_("photos: %d files without a row (a write a crash cut "
		    "short, or one under way); hazardd removes them when it "
		    "starts\n"), pc.orphans);
	free(dir);
	return rc;
}

/* Prints the schema version; returns -1 if this binary cannot serve it. */
static int
check_version(sqlite3 *h)
{
	int	have = db_version_of(h), want = db_schema_version();

	printf(_("schema version: %d (this hazardd knows %d)\n"), have, want);
	if (have > want) {
		printf(_("schema: newer than this hazardd; upgrade hazardd\n"));
		return -1;
	}
	if (have < want)
		printf(_("schema: older; hazardd applies the missing "
		    "migrations when it starts\n"));
	return 0;
}

int
maint_check(const char *database, const struct categories *cs, int argc,
    char *argv[])
{
	struct strays	 sy = { cs, 0 };
	sqlite3		*h;
	int		 ok = 1, bad = 0, n;

	if (argc != 1) {
		fprintf(stderr, "%s hazardd [-c FILE] check\n", _("usage:"));
		return 2;
	}
	if ((h = maint_open(database, SQLITE_OPEN_READWRITE)) == NULL)
		return 1;
	printf(_("database: %s\n"), database);
	if (!maint_is_ours(h, database)) {
		sqlite3_close(h);
		return 1;
	}
	n = maint_pragma(h, database, "PRAGMA integrity_check",
	    show_integrity, &bad);
	if (n != 1 || bad)
		ok = 0;
	n = maint_pragma(h, database, "PRAGMA foreign_key_check",
	    show_foreign_key, NULL);
	if (n == 0)
		printf(_("foreign keys: ok\n"));
	else
		ok = 0;
	if (check_version(h) == -1)
		ok = 0;
	if (check_photos(h, database) == -1)
		ok = 0;
	/*
	 * A category outside the vocabulary (records older than it, or an
	 * import before it) is no fault: its hazards keep working.
	 */
	if (maint_pragma(h, database, "SELECT category, COUNT(*) FROM "
	    "hazards GROUP BY category", show_category, &sy) == -1)
		ok = 0;
	else if (sy.n == 0)
		printf(_("categories: ok\n"));
	else
		printf(_("categories: %d not in the vocabulary; their hazards "
		    "keep working (add them to [categories], or correct each "
		    "hazard: hazardctl assess ID --category CODE)\n"), sy.n);
	sqlite3_close(h);
	printf("%s\n", ok ? _("ok") : _("FAILED"));
	return ok ? 0 : 1;
}

/* Writes t as local time, ISO 8601 with its offset. */
static void
maint_time(time_t t, char *buf, size_t size)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}

int
maint_verify(const char *database, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "head", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct chain_verdict	 v;
	char			 hex[2 * CHAIN_HASH_LEN + 1], when[64];
	const char		*head = NULL;
	int			 ch, version, rc = 1;

	memset(&v, 0, sizeof(v));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch != 'H')
			goto usage;
		head = optarg;
	}
	if (optind != argc)
		goto usage;
	if (head != NULL &&
	    chain_parse_head(head, &v.want_id, v.want_hex) == -1) {
		fprintf(stderr, _("hazardd: verify: --head is ID:HEX (an "
		    "event's id and 4 to 64 hex digits of its hash), not "
		    "'%s'\n"), head);
		return 2;
	}
	if (access(database, F_OK) == -1) {
		log_warn(N_("database %s"), database);
		return 1;
	}
	/* Read-write but only read: see the comment at the top. */
	if (db_open_writer(database) == -1)
		return 1;
	if ((version = db_version()) < 22) {
		fprintf(stderr, _("hazardd: verify: database %s has schema "
		    "version %d, before the hash chain (22): start hazardd "
		    "once to migrate it\n"), database, version);
		goto done;
	}
	if (db_read_begin() == -1 || store_chain_verify(&v) != STORE_OK)
		goto done;
	chain_hex(v.head, hex);
	printf(_("database: %s\n"), database);
	printf(_("chain: %lld events match"), (long long)v.events);
	if (v.head_id != 0)
		printf(_(", up to event %lld: %.16s"), (long long)v.head_id,
		    hex);
	printf("\n");
	rc = 0;
	if (v.broken) {
		maint_time(v.bad_at, when, sizeof(when));
		printf(_("first mismatch: event %lld of %s, %s of hazard %lld "
		    "by %s: %s\n"), (long long)v.bad_id, when, v.bad_action,
		    (long long)v.bad_hazard, v.bad_actor, v.bad_nohash ?
		    _("it has no hash") : _("its hash is not the chain's"));
		rc = 1;
	}
	if (v.want_id != 0 && !v.broken && !v.want_found) {
		printf(_("head %s: no event %lld in the chain\n"), head,
		    (long long)v.want_id);
		rc = 1;
	} else if (v.want_id != 0 && v.want_found) {
		printf(_("head %s: %s\n"), head, v.want_ok ?
		    _("the chain passes through it") :
		    _("event's hash differs: NOT the chain's"));
		if (!v.want_ok)
			rc = 1;
	}
	printf("%s\n", rc == 0 ? _("ok") : _("FAILED"));
done:
	store_close();
	db_close_writer();
	return rc;
usage:
	fprintf(stderr, "%s hazardd [-c FILE] verify [--head ID:HEX]\n",
	    _("usage:"));
	return 2;
}
