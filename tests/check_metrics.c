/*
 * Unit tests of what /metrics reads of the hazards: the counts by kind
 * and state and the overdue ones come from the tallies of
 * schema/013-tally-state.sql, and must be exactly what a scan of every
 * hazard gives, after random reports, state changes, new deadlines and
 * new kinds, for any day taken as today.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "store.h"
#include "tempdb.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static char	dbpath[64];

static const char *const states[] = { "open", "rectified", "closed",
    "cancelled" };

static unsigned
rnd(unsigned n)
{
	return (unsigned)random() % n;
}

static void
exec(const char *sql)
{
	char	*err = NULL;

	if (sqlite3_exec(db_handle(), sql, NULL, NULL, &err) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, err);
}

/* A deadline in the days of December 2026, or none (NULL). */
static const char *
some_deadline(char *buf, size_t len)
{
	if (rnd(6) == 0)
		return NULL;
	snprintf(buf, len, "2026-12-%02u", 1 + rnd(31));
	return buf;
}

/* Random hazards, then random changes of what the tallies count by. */
static void
fill(int hazards, int changes)
{
	sqlite3_stmt	*st;
	const char	*d;
	char		 deadline[16], sql[256];
	int		 i;

	exec("INSERT INTO schools (code, name, created_at) "
	    "VALUES ('S001', '第一中学', 0)");
	exec("BEGIN");
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "INSERT INTO hazards "
	    "(kind, school_id, category, grade, title, state, deadline, "
	    "reported_at, updated_at) VALUES (?, 1, 'fire', 'general', 't', "
	    "?, ?, 0, 0)", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < hazards; i++) {
		sqlite3_bind_text(st, 1, rnd(3) ? "hazard" : "finding", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 2, states[rnd(NELEM(states))], -1,
		    SQLITE_STATIC);
		if ((d = some_deadline(deadline, sizeof(deadline))) != NULL)
			sqlite3_bind_text(st, 3, d, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 3);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	for (i = 0; i < changes; i++) {
		int	id = 1 + (int)rnd((unsigned)hazards);

		switch (rnd(5)) {
		case 0: case 1:
			snprintf(sql, sizeof(sql), "UPDATE hazards SET state "
			    "= '%s' WHERE id = %d", states[rnd(NELEM(states))],
			    id);
			break;
		case 2:
			d = some_deadline(deadline, sizeof(deadline));
			snprintf(sql, sizeof(sql), "UPDATE hazards SET "
			    "deadline = %s%s%s WHERE id = %d", d ? "'" : "",
			    d ? d : "NULL", d ? "'" : "", id);
			break;
		case 3:
			snprintf(sql, sizeof(sql), "UPDATE hazards SET kind "
			    "= '%s', state = '%s' WHERE id = %d",
			    rnd(2) ? "hazard" : "finding",
			    states[rnd(NELEM(states))], id);
			break;
		default:	/* an update of nothing they count by */
			snprintf(sql, sizeof(sql), "UPDATE hazards SET "
			    "deadline = deadline, title = 'u' WHERE id = %d",
			    id);
			break;
		}
		exec(sql);
	}
	exec("COMMIT");
}

static void
setup(void)
{
	srandom(20261204);
	tempdb_open(dbpath, sizeof(dbpath), "check_metrics");
	fill(3000, 6000);
}

static void
teardown(void)
{
	tempdb_remove(dbpath);
}

/* The count of a scan of every hazard: sql has one int64 column. */
static int64_t
scan(const char *sql, const char *a, const char *b)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(test_states_match_scan)
{
	int64_t	counts[KIND__MAX][STATE__MAX], total = 0;
	int	k, s;

	ck_assert_int_eq(store_count_states(counts), STORE_OK);
	for (k = 0; k < KIND__MAX; k++)
		for (s = 0; s < STATE__MAX; s++) {
			ck_assert_int_eq(counts[k][s], scan("SELECT COUNT(*) "
			    "FROM hazards WHERE kind = ? AND state = ?",
			    hazard_kind_name(k), hazard_state_name(s)));
			total += counts[k][s];
		}
	ck_assert_int_eq(total, 3000);
}
END_TEST

START_TEST(test_overdue_matches_scan)
{
	int64_t	n[KIND__MAX];
	char	today[16];
	int	day, k, some = 0;

	/* Every day around the deadlines, and those before and after. */
	for (day = 0; day <= 32; day++) {
		snprintf(today, sizeof(today), "2026-12-%02d", day);
		if (day == 32)
			snprintf(today, sizeof(today), "2027-01-01");
		ck_assert_int_eq(store_metrics_overdue(today, n), STORE_OK);
		for (k = 0; k < KIND__MAX; k++) {
			ck_assert_int_eq(n[k], scan("SELECT COUNT(*) FROM "
			    "hazards WHERE kind = ?2 AND state = 'open' "
			    "AND deadline < ?1", today,
			    hazard_kind_name(k)));
			some += n[k] > 0;
		}
	}
	ck_assert_int_gt(some, 40);
}
END_TEST

/* What a thread of its own read through the store, on its connection. */
struct on_thread {
	int	opened, states, overdue, left;
	int64_t	counts[KIND__MAX][STATE__MAX];
	int64_t	n[KIND__MAX];
};

static void *
read_on_thread(void *arg)
{
	struct on_thread	*t = arg;

	if ((t->opened = db_open_reader(dbpath)) == 0) {
		t->states = store_count_states(t->counts);
		t->overdue = store_metrics_overdue("2026-12-15", t->n);
		store_close();
		t->left = sqlite3_next_stmt(db_handle(), NULL) != NULL;
		db_close_reader();
	}
	return NULL;
}

/*
 * The thread rule (db.h): the store works on any thread with its own
 * connection, with statements of its own (before, those prepared once
 * were the loop's alone), and store_close() leaves none behind.
 */
START_TEST(test_store_on_a_thread)
{
	struct on_thread	 t;
	pthread_t		 th;
	int64_t			 counts[KIND__MAX][STATE__MAX], n[KIND__MAX];

	memset(&t, 0, sizeof(t));
	t.states = t.overdue = STORE_ERROR;
	ck_assert_int_eq(pthread_create(&th, NULL, read_on_thread, &t), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(t.opened, 0);
	ck_assert_int_eq(t.states, STORE_OK);
	ck_assert_int_eq(t.overdue, STORE_OK);
	ck_assert_int_eq(t.left, 0);
	ck_assert_int_eq(store_count_states(counts), STORE_OK);
	ck_assert_int_eq(store_metrics_overdue("2026-12-15", n), STORE_OK);
	ck_assert_mem_eq(t.counts, counts, sizeof(counts));
	ck_assert_mem_eq(t.n, n, sizeof(n));
	ck_assert_int_gt(n[KIND_HAZARD], 0);
}
END_TEST

/* The statements that ran while traced (SQLITE_TRACE_STMT). */
static char	*traced[16];
static size_t	 ntraced;

static int
trace(unsigned type, void *arg, void *p, void *x)
{
	(void)type, (void)arg, (void)x;
	if (ntraced < NELEM(traced))
		traced[ntraced++] = strdup(sqlite3_sql(p));
	return 0;
}

/*
 * Neither reads the hazards table, nor an index of it: /metrics is
 * public and answered on the loop.  Their statements are caught as they
 * run, and their plans read.
 */
START_TEST(test_no_hazard_scan)
{
	int64_t		 counts[KIND__MAX][STATE__MAX], n[KIND__MAX];
	sqlite3_stmt	*st;
	char		*explain;
	const char	*detail;
	size_t		 i;

	sqlite3_trace_v2(db_handle(), SQLITE_TRACE_STMT, trace, NULL);
	ck_assert_int_eq(store_count_states(counts), STORE_OK);
	ck_assert_int_eq(store_metrics_overdue("2026-12-15", n), STORE_OK);
	sqlite3_trace_v2(db_handle(), 0, NULL, NULL);
	ck_assert_int_eq(ntraced, 2);
	for (i = 0; i < ntraced; i++) {
		explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", traced[i]);
		ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), explain, -1,
		    &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			detail = (const char *)sqlite3_column_text(st, 3);
			ck_assert_msg(strstr(detail, "hazards") == NULL,
			    "%s reads the hazards: %s", traced[i], detail);
		}
		sqlite3_finalize(st);
		sqlite3_free(explain);
		free(traced[i]);
	}
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("tallies");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_states_match_scan);
	tcase_add_test(tc, test_overdue_matches_scan);
	tcase_add_test(tc, test_no_hazard_scan);
	tcase_add_test(tc, test_store_on_a_thread);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(metrics_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
