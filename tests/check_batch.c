/*
 * Unit tests for group commit (daemon/db_batch.c) when SQLite undoes
 * the batch's transaction by itself: a read that fails with an I/O
 * error rolls back everything the batch held.  The requests that
 * waited must hear 503, and the next request must start a batch of its
 * own, not run outside any (where its savepoint would commit it alone
 * and the batch's COMMIT then fail, telling it 503 for a stored row).
 *
 * The reads fail here: SQLite's unix VFS calls pread64 (or pread)
 * through the C library, and this program's own definitions come first.
 * And a database without a write-ahead log is refused.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <sqlite3.h>

#include "db.h"

static int	fail_reads;

ssize_t
pread64(int fd, void *buf, size_t n, off_t off)
{
	static ssize_t	(*real)(int, void *, size_t, off_t);

	/*
	 * Not EIO: SQLite reports that as a damaged file (SQLITE_CORRUPT),
	 * which keeps the transaction.  Any other failure of a read is
	 * SQLITE_IOERR_READ, after which SQLite undoes the transaction.
	 */
	if (fail_reads) {
		errno = EACCES;
		return -1;
	}
	if (real == NULL)
		real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(
		    RTLD_NEXT, "pread64");
	return real(fd, buf, n, off);
}

ssize_t
pread(int fd, void *buf, size_t n, off_t off)
{
	return pread64(fd, buf, n, off);
}

static char			 dbpath[64];
static struct event_base	*base;

struct answer {
	int	called;
	int	committed;
};

static void
answered(void *arg, int committed)
{
	struct answer	*a = arg;

	a->called++;
	a->committed = committed;
}

static void
exec(const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db_handle(), sql, NULL, NULL, &err) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, err);
}

static void
setup(void)
{
	int	fd;

	snprintf(dbpath, sizeof(dbpath), "/tmp/check_batch.XXXXXX");
	fd = mkstemp(dbpath);
	ck_assert_int_ne(fd, -1);
	close(fd);
	unlink(dbpath);
	ck_assert_int_eq(db_open(dbpath), 0);
	base = event_base_new();
	ck_assert_ptr_nonnull(base);
	ck_assert_int_eq(db_batch_start(base, 0), 0);
	/* More pages than the cache holds: reading them reads the files. */
	exec("CREATE TABLE big (x); CREATE TABLE t (x);"
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < 2000) INSERT INTO big SELECT randomblob(500) FROM c;"
	    "PRAGMA cache_size = 10");
}

/* Removes the database's files. */
static void
teardown_files(void)
{
	char	path[80];

	unlink(dbpath);
	snprintf(path, sizeof(path), "%s-wal", dbpath);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", dbpath);
	unlink(path);
}

static void
teardown(void)
{
	db_batch_stop();
	db_close();
	event_base_free(base);
	teardown_files();
}

/* The rows of t, in order, joined by commas. */
static void
rows(char *buf, size_t len)
{
	sqlite3_stmt	*st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "SELECT "
	    "coalesce(group_concat(x, ','), '') FROM (SELECT x FROM t "
	    "ORDER BY x)", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

START_TEST(test_batch_lost_to_a_failed_read)
{
	struct answer	a = { 0, -1 }, c = { 0, -1 };
	char		got[64];
	int		rc;

	/* Request A stores a row and waits for the batch's commit. */
	ck_assert_int_eq(db_work_begin(), 0);
	exec("INSERT INTO t VALUES (1)");
	ck_assert_int_eq(db_work_keep(), 0);
	db_batch_wait(answered, &a);
	ck_assert_int_eq(a.called, 0);

	/* Request B only reads, and the disk fails it. */
	fail_reads = 1;
	rc = sqlite3_exec(db_handle(), "SELECT sum(length(x)) FROM big",
	    NULL, NULL, NULL);
	fail_reads = 0;
	ck_assert_int_ne(rc, SQLITE_OK);
	ck_assert_msg(sqlite3_get_autocommit(db_handle()),
	    "SQLite kept the transaction: the premise does not hold");

	/* Request C comes in the same pass: A hears the batch is lost. */
	ck_assert_int_eq(db_work_begin(), 0);
	ck_assert_int_eq(a.called, 1);
	ck_assert_int_eq(a.committed, 0);
	ck_assert_int_eq(sqlite3_get_autocommit(db_handle()), 0);
	exec("INSERT INTO t VALUES (3)");
	ck_assert_int_eq(db_work_keep(), 0);
	db_batch_wait(answered, &c);
	ck_assert_int_eq(c.called, 0);

	/* The pass ends: C's batch commits, and C is told so. */
	(void)event_base_loop(base, EVLOOP_NONBLOCK);
	ck_assert_int_eq(c.called, 1);
	ck_assert_int_eq(c.committed, 1);
	rows(got, sizeof(got));
	ck_assert_str_eq(got, "3");
}
END_TEST

/*
 * Work outside the batch (db_alone(), and db_begin() for a transaction
 * of its own) commits the batch first, and its waiters hear so.
 */
START_TEST(test_alone_commits_the_batch)
{
	struct answer	a = { 0, -1 }, b = { 0, -1 };
	char		got[64];

	ck_assert_int_eq(db_work_begin(), 0);
	exec("INSERT INTO t VALUES (1)");
	ck_assert_int_eq(db_work_keep(), 0);
	db_batch_wait(answered, &a);
	db_alone();
	ck_assert_int_eq(a.called, 1);
	ck_assert_int_eq(a.committed, 1);
	ck_assert_int_eq(db_batch_open(), 0);
	ck_assert_int_eq(sqlite3_get_autocommit(db_handle()), 1);

	ck_assert_int_eq(db_work_begin(), 0);
	exec("INSERT INTO t VALUES (2)");
	ck_assert_int_eq(db_work_keep(), 0);
	db_batch_wait(answered, &b);
	ck_assert_int_eq(db_begin(), 0);
	ck_assert_int_eq(b.called, 1);
	ck_assert_int_eq(b.committed, 1);
	exec("INSERT INTO t VALUES (3)");
	db_rollback();
	rows(got, sizeof(got));
	ck_assert_str_eq(got, "1,2");
}
END_TEST

/* A request whose own read fails after its work hears 503 at once. */
START_TEST(test_wait_after_the_batch_is_lost)
{
	struct answer	a = { 0, -1 }, b = { 0, -1 };
	char		got[64];

	ck_assert_int_eq(db_work_begin(), 0);
	exec("INSERT INTO t VALUES (1)");
	ck_assert_int_eq(db_work_keep(), 0);
	db_batch_wait(answered, &a);

	ck_assert_int_eq(db_work_begin(), 0);
	exec("INSERT INTO t VALUES (2)");
	ck_assert_int_eq(db_work_keep(), 0);
	fail_reads = 1;
	(void)sqlite3_exec(db_handle(), "SELECT sum(length(x)) FROM big",
	    NULL, NULL, NULL);
	fail_reads = 0;
	db_batch_wait(answered, &b);
	ck_assert_int_eq(a.called, 1);
	ck_assert_int_eq(a.committed, 0);
	ck_assert_int_eq(b.called, 1);
	ck_assert_int_eq(b.committed, 0);
	ck_assert_int_eq(db_batch_open(), 0);
	(void)event_base_loop(base, EVLOOP_NONBLOCK);
	rows(got, sizeof(got));
	ck_assert_str_eq(got, "");
}
END_TEST

/*
 * Group commit and the checkpoint thread need the write-ahead log: a
 * database that cannot keep one (here, one in memory) is refused.
 */
START_TEST(test_no_wal_refused)
{
	ck_assert_int_eq(db_open(":memory:"), -1);
	ck_assert_ptr_null(db_handle());
}
END_TEST

static void *
work_begin(void *arg)
{
	(void)arg;
	(void)db_work_begin();
	return NULL;
}

/*
 * The thread rule (db.h): the batch is the loop's.  Another thread that
 * joins it stops the daemon (exit status 1, logged) instead of writing
 * into the loop's transaction, or a connection it does not have.  In a
 * process of its own, which exits 0 if the call came back.
 */
START_TEST(test_batch_off_the_loop)
{
	pthread_t	th;
	pid_t		pid;
	int		status, fd;

	snprintf(dbpath, sizeof(dbpath), "/tmp/check_batch.XXXXXX");
	ck_assert_int_ne(fd = mkstemp(dbpath), -1);
	close(fd);
	unlink(dbpath);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		if (db_open(dbpath) == -1 || !db_on_loop())
			_exit(2);
		teardown_files();
		if (pthread_create(&th, NULL, work_begin, NULL) != 0)
			_exit(3);
		pthread_join(th, NULL);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

static Suite *
batch_suite(void)
{
	Suite	*s = suite_create("batch");
	TCase	*tc = tcase_create("lost"), *wal = tcase_create("wal");
	TCase	*loop = tcase_create("loop");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_batch_lost_to_a_failed_read);
	tcase_add_test(tc, test_wait_after_the_batch_is_lost);
	tcase_add_test(tc, test_alone_commits_the_batch);
	suite_add_tcase(s, tc);
	tcase_add_test(loop, test_batch_off_the_loop);
	suite_add_tcase(s, loop);
	tcase_add_test(wal, test_no_wal_refused);
	suite_add_tcase(s, wal);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(batch_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
