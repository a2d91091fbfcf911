/*
 * Unit tests of daemon/store_figures.c: the rate from the tally and the
 * digest rows from the indexes must give exactly what a plain scan of
 * every hazard gives, for random data, scopes and instants.  The scan
 * is the reference: store_rate_scan for the rate, and below the single
 * GROUP BY query the digests used before they were made fast.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "store_impl.h"
#include "tempdb.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY		86400
#define T0		1735660800	/* 2024-12-31T16:00:00Z */
#define SPAN		(400 * DAY)

static char	dbpath[64];

static const char *const categories[] = { "fire", "electric", "food",
    "building", "消防" };

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

/*
 * Random hazards, reported over SPAN, then (as the daemon does) closed
 * or cancelled by later updates, some with categories changed: every
 * trigger of the tally is used.
 */
static void
fill(int schools, int hazards)
{
	sqlite3_stmt	*st;
	int		 i;
	time_t		 rep, done;
	char		 deadline[16];
	struct tm	 tm;

	for (i = 1; i <= schools; i++) {
		char	sql[128];

		snprintf(sql, sizeof(sql), "INSERT INTO schools (code, name, "
		    "created_at) VALUES ('S%03d', '学校%d', 0)", i, i);
		exec(sql);
	}
	exec("BEGIN");
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "INSERT INTO hazards "
	    "(kind, school_id, category, grade, title, state, deadline, "
	    "reported_at, updated_at) VALUES (?, ?, ?, 'general', 't', "
	    "'open', ?, ?, ?)", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < hazards; i++) {
		rep = T0 + rnd(SPAN);
		sqlite3_bind_text(st, 1, rnd(3) ? "hazard" : "finding", -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(st, 2, 1 + rnd(schools));
		sqlite3_bind_text(st, 3, categories[rnd(NELEM(categories))],
		    -1, SQLITE_STATIC);
		if (rnd(5)) {
			time_t	d = rep + rnd(40 * DAY);

			localtime_r(&d, &tm);
			strftime(deadline, sizeof(deadline), "%Y-%m-%d", &tm);
			sqlite3_bind_text(st, 4, deadline, -1,
			    SQLITE_TRANSIENT);
		} else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, rep);
		sqlite3_bind_int64(st, 6, rep);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
		done = rep + rnd(60 * DAY);
		switch (rnd(8)) {
		case 0: case 1: case 2: case 3: case 4: {
			char	sql[160];

			snprintf(sql, sizeof(sql), "UPDATE hazards SET "
			    "state = 'closed', closed_at = %lld WHERE id = "
			    "last_insert_rowid()", (long long)done);
			exec(sql);
			break;
		}
		case 5: {
			char	sql[160];

			snprintf(sql, sizeof(sql), "UPDATE hazards SET "
			    "state = 'cancelled', cancelled_at = %lld WHERE "
			    "id = last_insert_rowid()", (long long)done);
			exec(sql);
			break;
		}
		case 6:
			exec("UPDATE hazards SET category = 'moved' "
			    "WHERE id = last_insert_rowid()");
			break;
		default:
			break;
		}
	}
	sqlite3_finalize(st);
	/* A rectify event now and then, twice for some hazards. */
	exec("INSERT INTO events (hazard_id, at, actor, role, action, "
	    "to_state) SELECT id, reported_at + (id % 7) * 86400, 'a', "
	    "'school', 'rectify', 'rectified' FROM hazards WHERE id % 3 = 0");
	exec("INSERT INTO events (hazard_id, at, actor, role, action, "
	    "to_state) SELECT id, reported_at + (id % 5) * 86400 + 3600, "
	    "'a', 'school', 'rectify', 'rectified' FROM hazards "
	    "WHERE id % 6 = 0");
	/*
	 * The audit trail of each: its report, and its verification or
	 * cancellation when the hazard's row says it was.
	 */
	exec("INSERT INTO events (hazard_id, at, actor, role, action, "
	    "to_state) SELECT id, reported_at, 'a', 'school', 'report', "
	    "'open' FROM hazards");
	exec("INSERT INTO events (hazard_id, at, actor, role, action, "
	    "to_state) SELECT id, closed_at, 'a', 'office', 'verify', "
	    "'closed' FROM hazards WHERE closed_at IS NOT NULL");
	exec("INSERT INTO events (hazard_id, at, actor, role, action, "
	    "to_state) SELECT id, cancelled_at, 'a', 'office', 'cancel', "
	    "'cancelled' FROM hazards WHERE cancelled_at IS NOT NULL");
	exec("COMMIT");
}

static void
setup(void)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	srandom(20261125);
	tempdb_open(dbpath, sizeof(dbpath), "check_figures");
	fill(12, 3000);
}

static void
teardown(void)
{
	tempdb_remove(dbpath);
}

/* The instant a random hazard was reported, closed or cancelled. */
static time_t
instant_of_data(void)
{
	static const char *const sql[] = {
		"SELECT reported_at FROM hazards WHERE id = ?",
		"SELECT closed_at FROM hazards WHERE closed_at NOT NULL"
		" AND id >= ? LIMIT 1",
		"SELECT cancelled_at FROM hazards WHERE cancelled_at NOT NULL"
		" AND id >= ? LIMIT 1",
	};
	sqlite3_stmt	*st;
	time_t		 t = T0;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql[rnd(3)], -1,
	    &st, NULL), SQLITE_OK);
	sqlite3_bind_int(st, 1, 1 + rnd(2900));
	if (sqlite3_step(st) == SQLITE_ROW)
		t = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return t;
}

/*
 * An instant around the data, often on a day boundary or near one, or
 * just when something happened.
 */
static time_t
some_instant(void)
{
	time_t	t = T0 - 5 * DAY + rnd(SPAN + 80 * DAY);

	switch (rnd(6)) {
	case 4: return instant_of_data();
	case 5: return instant_of_data() + 1;
	case 0: return t / DAY * DAY;
	case 1: return t / DAY * DAY - 1;
	case 2: return t / DAY * DAY + 16 * 3600;	/* local midnight */
	default: return t;
	}
}

START_TEST(test_rate_matches_scan)
{
	struct hazard_filter	 f;
	int64_t			 r1, i1, r2, i2;
	time_t			 at;
	int			 n;

	for (n = 0; n < 2000; n++) {
		memset(&f, 0, sizeof(f));
		f.kind = rnd(2) ? KIND_HAZARD : KIND_FINDING;
		f.state = f.grade = -1;
		if (rnd(4) == 0)
			f.school_id = 1 + rnd(13);	/* 13: none of its own */
		if (rnd(3) == 0)
			f.category = rnd(6) ? categories[rnd(NELEM(categories))]
			    : "moved";
		if ((f.has_since = rnd(2)))
			f.since = some_instant();
		if ((f.has_until = rnd(2)))
			f.until = some_instant();
		at = rnd(3) ? time(NULL) : some_instant();
		ck_assert_int_eq(store_rate(&f, at, &r1, &i1), STORE_OK);
		ck_assert_int_eq(store_rate_scan(&f, at, &r2, &i2), STORE_OK);
		ck_assert_msg(r1 == r2 && i1 == i2, "case %d: kind %d school "
		    "%lld category %s since %d:%lld until %d:%lld at %lld: "
		    "%lld/%lld, the scan says %lld/%lld", n, f.kind,
		    (long long)f.school_id, f.category ? f.category : "-",
		    f.has_since, (long long)f.since, f.has_until,
		    (long long)f.until, (long long)at, (long long)r1,
		    (long long)i1, (long long)r2, (long long)i2);
	}
	/* Not a test of nothing: the district has hazards of each kind. */
	memset(&f, 0, sizeof(f));
	f.kind = KIND_HAZARD;
	f.state = f.grade = -1;
	ck_assert_int_eq(store_rate(&f, time(NULL), &r1, &i1), STORE_OK);
	ck_assert_int_gt(i1, 1000);
	ck_assert_int_gt(r1, 500);
}
END_TEST

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_time(const void *a, const void *b)
{
	time_t	x = *(const time_t *)a, y = *(const time_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The trend of the district or of a school at a few instants, in one
 * call, is what the scan says of each instant alone.
 */
START_TEST(test_trend_matches_scan)
{
	struct trend_row	 rows[16];
	struct hazard_filter	 f;
	time_t			 at[16];
	int64_t			 school, r, i;
	size_t			 j, n;
	int			 round, k;

	for (round = 0; round < 200; round++) {
		n = 1 + rnd(NELEM(rows));
		for (j = 0; j < n; j++)
			at[j] = j + 1 == n && rnd(2) ? time(NULL) :
			    some_instant();
		qsort(at, n, sizeof(at[0]), cmp_time);
		for (j = 0; j < n; j++)
			rows[j].at = at[j];
		school = rnd(3) == 0 ? 1 + rnd(13) : 0;
		ck_assert_int_eq(store_trend(school, rows, n), STORE_OK);
		for (j = 0; j < n; j++)
			for (k = 0; k < KIND__MAX; k++) {
				memset(&f, 0, sizeof(f));
				f.kind = k;
				f.state = f.grade = -1;
				f.school_id = school;
				ck_assert_int_eq(store_rate_scan(&f, at[j], &r,
				    &i), STORE_OK);
				ck_assert_msg(rows[j].rectified[k] == r &&
				    rows[j].identified[k] == i, "round %d "
				    "school %lld at %lld kind %d: %lld/%lld, "
				    "the scan says %lld/%lld", round,
				    (long long)school, (long long)at[j], k,
				    (long long)rows[j].rectified[k],
				    (long long)rows[j].identified[k],
				    (long long)r, (long long)i);
			}
	}
	/* Not a test of nothing: the middle of the data has both. */
	rows[0].at = T0 + SPAN / 2;
	ck_assert_int_eq(store_trend(0, rows, 1), STORE_OK);
	ck_assert_int_gt(rows[0].identified[KIND_HAZARD], 500);
	ck_assert_int_gt(rows[0].rectified[KIND_FINDING], 100);
}
END_TEST

/* A count of the hazards of each kind by a query with ?1 since. */
static void
count_kinds(const char *sql, time_t since, int64_t v[KIND__MAX])
{
	sqlite3_stmt	*st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, since);
	v[KIND_HAZARD] = v[KIND_FINDING] = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		v[hazard_kind_parse((const char *)sqlite3_column_text(st,
		    0))] = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
}

/* The counts of the day are those of plain queries. */
START_TEST(test_today_counts)
{
	struct today_counts	 c;
	int64_t			 v[KIND__MAX];
	time_t			 since = T0 + SPAN - 30 * DAY;
	int			 k;

	ck_assert_int_eq(store_today(since, &c), STORE_OK);
	count_kinds("SELECT kind, COUNT(*) FROM hazards WHERE reported_at "
	    ">= ? GROUP BY kind", since, v);
	for (k = 0; k < KIND__MAX; k++)
		ck_assert_int_eq(c.reported[k], v[k]);
	ck_assert_int_gt(v[KIND_HAZARD], 50);
	count_kinds("SELECT kind, COUNT(*) FROM hazards WHERE closed_at "
	    ">= ? GROUP BY kind", since, v);
	for (k = 0; k < KIND__MAX; k++)
		ck_assert_int_eq(c.closed[k], v[k]);
	ck_assert_int_gt(v[KIND_HAZARD], 50);
	count_kinds("SELECT h.kind, COUNT(*) FROM events e JOIN hazards h "
	    "ON h.id = e.hazard_id WHERE e.action = 'rectify' AND e.at >= ? "
	    "GROUP BY h.kind", since, v);
	for (k = 0; k < KIND__MAX; k++)
		ck_assert_int_eq(c.rectified[k], v[k]);
	ck_assert_int_gt(v[KIND_HAZARD], 10);
}
END_TEST

/*
 * The rate as of at by the audit trail alone: the hazards of the scope
 * whose report is dated by at, not cancelled by then; rectified, those
 * verified by then.
 */
static void
rate_of_events(const struct hazard_filter *f, time_t at, int64_t *rectified,
    int64_t *identified)
{
	sqlite3_stmt	*st;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "SELECT COALESCE(SUM(t.verified <= ?1), 0), COUNT(*)"
	    " FROM hazards h JOIN trail t ON t.hazard_id = h.id"
	    " WHERE h.kind = ?2 AND (?3 IS NULL OR h.category = ?3)"
	    " AND (?4 = 0 OR h.school_id = ?4)"
	    " AND h.reported_at >= ?5 AND h.reported_at < ?6"
	    " AND t.reported <= ?1"
	    " AND (t.cancelled IS NULL OR t.cancelled > ?1)", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_text(st, 2, f->kind == KIND_HAZARD ? "hazard" : "finding",
	    -1, SQLITE_STATIC);
	if (f->category != NULL)
		sqlite3_bind_text(st, 3, f->category, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, f->school_id);
	sqlite3_bind_int64(st, 5, f->has_since ? f->since : INT64_MIN);
	sqlite3_bind_int64(st, 6, f->has_until ? f->until : INT64_MAX);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	*rectified = sqlite3_column_int64(st, 0);
	*identified = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
}

/*
 * The rate as of a past instant (the tally of transitions of
 * schema/024-as-of.sql, put back from the present) is what the events
 * say it was, on random histories: a day's end, a local midnight, the
 * second an event was made and the one after it.
 */
START_TEST(test_rate_as_of_matches_events)
{
	struct hazard_filter	 f;
	int64_t			 r1, i1, r2, i2, past = 0;
	time_t			 at;
	int			 n;

	/* Each hazard's times, as its events give them. */
	exec("CREATE TEMP TABLE trail AS SELECT hazard_id,"
	    " MIN(at) FILTER (WHERE action = 'report') reported,"
	    " MIN(at) FILTER (WHERE action = 'verify') verified,"
	    " MIN(at) FILTER (WHERE action = 'cancel') cancelled"
	    " FROM events GROUP BY hazard_id");
	for (n = 0; n < 2000; n++) {
		memset(&f, 0, sizeof(f));
		f.kind = rnd(2) ? KIND_HAZARD : KIND_FINDING;
		f.state = f.grade = -1;
		if (rnd(6) == 0)
			f.school_id = 1 + rnd(13);
		if (rnd(6) == 0)
			f.category = categories[rnd(NELEM(categories))];
		if ((f.has_since = rnd(3) == 0))
			f.since = some_instant();
		if ((f.has_until = rnd(3) == 0))
			f.until = some_instant();
		at = some_instant();
		ck_assert_int_eq(store_rate(&f, at, &r1, &i1), STORE_OK);
		rate_of_events(&f, at, &r2, &i2);
		ck_assert_msg(r1 == r2 && i1 == i2, "case %d: kind %d school "
		    "%lld category %s since %d:%lld until %d:%lld as of %lld: "
		    "%lld/%lld, the events say %lld/%lld", n, f.kind,
		    (long long)f.school_id, f.category ? f.category : "-",
		    f.has_since, (long long)f.since, f.has_until,
		    (long long)f.until, (long long)at, (long long)r1,
		    (long long)i1, (long long)r2, (long long)i2);
		past += i2 > 0 && r2 < i2;
	}
	/* Not a test of nothing: many a past rate had work left. */
	ck_assert_int_gt(past, 500);
}
END_TEST

/*
 * The tally of transitions is what the hazards hold, after hazards
 * closed, cancelled and moved (fill) and after a cancellation and a
 * closing undone by hand.
 */
START_TEST(test_tally_done_exact)
{
	sqlite3_stmt	*st;

	exec("UPDATE hazards SET cancelled_at = closed_at + 5, closed_at = NULL"
	    " WHERE id IN (SELECT id FROM hazards WHERE closed_at IS NOT NULL"
	    " LIMIT 20)");
	exec("UPDATE hazards SET cancelled_at = NULL WHERE id IN (SELECT id"
	    " FROM hazards WHERE cancelled_at IS NOT NULL LIMIT 7 OFFSET 30)");
	exec("UPDATE hazards SET kind = 'finding' WHERE id % 97 = 0");
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "WITH t AS (SELECT kind, day, done_day, closed, cancelled"
	    " FROM tally_done WHERE closed != 0 OR cancelled != 0),"
	    " r AS (SELECT kind, day, done_day, SUM(c), SUM(x) FROM"
	    " (SELECT kind, reported_at / 86400 day,"
	    " COALESCE(closed_at, cancelled_at) / 86400 done_day,"
	    " closed_at IS NOT NULL c, closed_at IS NULL x FROM hazards"
	    " WHERE closed_at IS NOT NULL OR cancelled_at IS NOT NULL)"
	    " GROUP BY 1, 2, 3)"
	    " SELECT (SELECT COUNT(*) FROM (SELECT * FROM t EXCEPT"
	    " SELECT * FROM r)) + (SELECT COUNT(*) FROM (SELECT * FROM r"
	    " EXCEPT SELECT * FROM t)), (SELECT COUNT(*) FROM t)", -1, &st,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
	ck_assert_int_gt(sqlite3_column_int(st, 1), 500);
	sqlite3_finalize(st);
}
END_TEST

/*
 * The tally of the schools by kind is what the hazards hold, after
 * hazards closed, cancelled and moved (fill), and after hazards moved
 * to another school or kind, reopened and cancelled instead by hand.
 */
START_TEST(test_tally_school_kind_exact)
{
	sqlite3_stmt	*st;

	exec("UPDATE hazards SET school_id = 1 + id % 5 WHERE id % 89 = 0");
	exec("UPDATE hazards SET kind = 'finding' WHERE id % 97 = 0");
	exec("UPDATE hazards SET closed_at = NULL, state = 'open'"
	    " WHERE id IN (SELECT id FROM hazards WHERE closed_at IS NOT NULL"
	    " LIMIT 15)");
	exec("UPDATE hazards SET cancelled_at = closed_at + 5, closed_at = NULL"
	    " WHERE id IN (SELECT id FROM hazards WHERE closed_at IS NOT NULL"
	    " LIMIT 20 OFFSET 40)");
	exec("UPDATE hazards SET title = 'u' WHERE id % 11 = 0");
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(),
	    "WITH t AS (SELECT kind, school_id, identified, closed"
	    " FROM tally_school_kind WHERE identified != 0 OR closed != 0),"
	    " r AS (SELECT kind, school_id, SUM(cancelled_at IS NULL),"
	    " SUM(closed_at IS NOT NULL) FROM hazards GROUP BY 1, 2)"
	    " SELECT (SELECT COUNT(*) FROM (SELECT * FROM t EXCEPT"
	    " SELECT * FROM r)) + (SELECT COUNT(*) FROM (SELECT * FROM r"
	    " EXCEPT SELECT * FROM t)), (SELECT COUNT(*) FROM t),"
	    " (SELECT MIN(identified) FROM tally_school_kind)", -1, &st,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
	ck_assert_int_eq(sqlite3_column_int(st, 1), 24);
	ck_assert_int_ge(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
}
END_TEST

/* Adds a group's hazards: rectified below bit 32, identified above. */
static int
stats_sum(const struct stats_row *r, void *arg)
{
	int64_t	*sum = arg;

	*sum += r->rectified[KIND_HAZARD] +
	    (r->identified[KIND_HAZARD] << 32);
	return 0;
}

/* Whether stats_text() leaves out the overdue counts. */
static int	stats_no_overdue;

/* The statistics as text, a group a line. */
static int
stats_text(const struct stats_row *r, void *arg)
{
	char	*buf = arg;
	size_t	 len = strlen(buf);

	snprintf(buf + len, 65536 - len, "%s %s %lld/%lld %lld/%lld %lld "
	    "%lld\n", r->key, r->name != NULL ? r->name : "-",
	    (long long)r->rectified[0], (long long)r->identified[0],
	    (long long)r->rectified[1], (long long)r->identified[1],
	    (long long)r->open, stats_no_overdue ? 0LL : (long long)r->overdue);
	return 0;
}

START_TEST(test_stats_match_scan)
{
	static char		 fast[65536], scan[65536];
	struct hazard_filter	 f;
	char			 today[16];
	struct tm		 tm;
	time_t			 t;
	int			 n;

	for (n = 0; n < 300; n++) {
		memset(&f, 0, sizeof(f));
		f.kind = rnd(3) == 0 ? -1 : (int)rnd(2);
		f.state = f.grade = -1;
		if (rnd(4) == 0)
			f.school_id = 1 + rnd(13);
		if (rnd(3) == 0)
			f.category = rnd(6) ? categories[rnd(NELEM(categories))]
			    : "moved";
		if ((f.has_since = rnd(3) == 0))
			f.since = some_instant();
		if ((f.has_until = rnd(3) == 0))
			f.until = some_instant();
		t = some_instant();
		localtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		f.today = today;
		fast[0] = scan[0] = '\0';
		ck_assert_int_eq(store_stats(n % 2 ? "school" : "category", &f,
		    stats_text, fast), STORE_OK);
		ck_assert_int_eq(store_stats_scan(n % 2 ? "school" :
		    "category", &f, stats_text, scan), STORE_OK);
		ck_assert_msg(strcmp(fast, scan) == 0, "case %d: by %s, kind %d "
		    "school %lld category %s since %d:%lld until %d:%lld:\n"
		    "%s\nthe scan says:\n%s", n, n % 2 ? "school" : "category",
		    f.kind, (long long)f.school_id,
		    f.category ? f.category : "-", f.has_since,
		    (long long)f.since, f.has_until, (long long)f.until, fast,
		    scan);
	}
	/* Not a test of nothing: there were groups, and open hazards. */
	ck_assert_ptr_nonnull(strstr(scan, "S012"));
}
END_TEST

/* The rows of the statistics, kept. */
struct kept_rows {
	struct stats_row	 v[32];
	size_t			 n;
};

static int
keep_row(const struct stats_row *r, void *arg)
{
	struct kept_rows	*k = arg;

	ck_assert_uint_lt(k->n, NELEM(k->v));
	k->v[k->n] = *r;
	k->v[k->n].key = strdup(r->key);
	k->v[k->n].name = NULL;
	k->n++;
	return 0;
}

static void
kept_free(struct kept_rows *k)
{
	while (k->n > 0)
		free((char *)k->v[--k->n].key);
}

/* The rate of hazards of a row, none identified after every rate. */
static double
row_rate(const struct stats_row *r)
{
	if (r->identified[KIND_HAZARD] == 0)
		return 2;
	return (double)r->rectified[KIND_HAZARD] / r->identified[KIND_HAZARD];
}

/*
 * The schools worst first read from the tally by kind: every row it
 * gives is the scan's row of that school, and it gives exactly the
 * schools whose rate is no higher than the limit-th lowest of the scan
 * (so the worst limit of them, however their ties are broken, and few
 * others).  Some schools have the same rate (two with no hazard, two
 * with all closed), and every school is one of them when limit is
 * their number or more.
 */
START_TEST(test_stats_worst)
{
	struct kept_rows	 worst = { .n = 0 }, all = { .n = 0 };
	struct hazard_filter	 f;
	double			 rates[32], nth;
	char			 today[16];
	struct tm		 tm;
	time_t			 t;
	size_t			 limit, i, j, want, fewer = 0;
	int			 n;

	exec("INSERT INTO schools (code, name, created_at)"
	    " VALUES ('S013', '学校13', 0)");
	exec("UPDATE hazards SET school_id = 11 WHERE school_id = 12");
	exec("UPDATE hazards SET state = 'closed', closed_at = reported_at"
	    " + 100 WHERE school_id IN (9, 10) AND closed_at IS NULL"
	    " AND cancelled_at IS NULL");
	for (n = 0; n < 100; n++) {
		memset(&f, 0, sizeof(f));
		f.kind = f.state = f.grade = -1;
		t = some_instant();
		localtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		f.today = today;
		limit = 1 + rnd(14);
		ck_assert_int_eq(store_stats_worst(&f, limit, keep_row,
		    &worst), STORE_OK);
		ck_assert_int_eq(store_stats_scan("school", &f, keep_row, &all),
		    STORE_OK);
		ck_assert_uint_eq(all.n, 13);
		for (i = 0; i < all.n; i++)
			rates[i] = row_rate(&all.v[i]);
		qsort(rates, all.n, sizeof(rates[0]), cmp_double);
		nth = rates[limit <= all.n ? limit - 1 : all.n - 1];
		for (i = 0, want = 0; i < all.n; i++) {
			if (row_rate(&all.v[i]) > nth)
				continue;
			want++;
			for (j = 0; j < worst.n; j++)
				if (strcmp(worst.v[j].key, all.v[i].key) == 0)
					break;
			ck_assert_msg(j < worst.n, "case %d, limit %zu: %s "
			    "missing", n, limit, all.v[i].key);
			ck_assert_msg(memcmp(worst.v[j].identified,
			    all.v[i].identified, sizeof(all.v[i].identified))
			    == 0 && memcmp(worst.v[j].rectified,
			    all.v[i].rectified, sizeof(all.v[i].rectified))
			    == 0 && worst.v[j].open == all.v[i].open &&
			    worst.v[j].overdue == all.v[i].overdue, "case %d: "
			    "%s: %lld open, %lld overdue, the scan says %lld, "
			    "%lld", n, all.v[i].key, (long long)worst.v[j].open,
			    (long long)worst.v[j].overdue,
			    (long long)all.v[i].open,
			    (long long)all.v[i].overdue);
		}
		ck_assert_uint_eq(worst.n, want);
		fewer += worst.n < all.n;
		kept_free(&worst);
		kept_free(&all);
	}
	/* Not a test of nothing: most asked for fewer than all. */
	ck_assert_uint_gt(fewer, 50);
}
END_TEST

/*
 * The statistics as of now are the present's (but overdue: fill's
 * rectify events leave hazards open that the trail says wait for the
 * office), and as of a past instant they count what the trail says
 * was reported, closed and cancelled by then.
 */
START_TEST(test_stats_as_of)
{
	static char		 as_of[65536], scan[65536];
	struct hazard_filter	 f;
	int64_t			 r, i, rs = 0, is = 0;
	time_t			 at;
	int			 n;

	stats_no_overdue = 1;
	for (n = 0; n < 60; n++) {
		memset(&f, 0, sizeof(f));
		f.kind = f.state = f.grade = -1;
		if (rnd(4) == 0)
			f.school_id = 1 + rnd(13);
		if ((f.has_since = rnd(3) == 0))
			f.since = some_instant();
		f.today = "2026-12-05";
		as_of[0] = scan[0] = '\0';
		ck_assert_int_eq(store_stats_as_of(n % 2 ? "school" :
		    "category", &f, time(NULL), stats_text, as_of), STORE_OK);
		ck_assert_int_eq(store_stats_scan(n % 2 ? "school" :
		    "category", &f, stats_text, scan), STORE_OK);
		ck_assert_msg(strcmp(as_of, scan) == 0, "case %d:\n%s\nthe "
		    "scan says:\n%s", n, as_of, scan);
	}
	stats_no_overdue = 0;
	/* The hazards of all schools as of at are the rate's as of at. */
	exec("CREATE TEMP TABLE trail AS SELECT hazard_id,"
	    " MIN(at) FILTER (WHERE action = 'report') reported,"
	    " MIN(at) FILTER (WHERE action = 'verify') verified,"
	    " MIN(at) FILTER (WHERE action = 'cancel') cancelled"
	    " FROM events GROUP BY hazard_id");
	for (n = 0; n < 60; n++) {
		memset(&f, 0, sizeof(f));
		f.kind = KIND_HAZARD;
		f.state = f.grade = -1;
		f.today = "2025-06-01";
		at = some_instant();
		as_of[0] = '\0';
		ck_assert_int_eq(store_stats_as_of("category", &f, at,
		    stats_sum, &rs), STORE_OK);
		is = rs >> 32;
		rs &= 0xffffffff;
		rate_of_events(&f, at, &r, &i);
		ck_assert_msg(rs == r && is == i, "as of %lld: %lld/%lld, the "
		    "events say %lld/%lld", (long long)at, (long long)rs,
		    (long long)is, (long long)r, (long long)i);
		rs = 0;
	}
}
END_TEST

/* --- the digests' rows against the reference ------------------------- */

#define OPEN_AT_UNTIL \
	"(h.reported_at < :until" \
	" AND (h.closed_at IS NULL OR h.closed_at >= :until)" \
	" AND (h.cancelled_at IS NULL OR h.cancelled_at >= :until))"
/*
 * Waiting for the office at :until: rectified before then and not
 * rejected since; or imported as rectified, without a rectification.
 */
#define WAITING \
	"(EXISTS (SELECT 1 FROM events e1 INDEXED BY events_by_hazard" \
	" WHERE e1.hazard_id = h.id" \
	" AND e1.action = 'rectify' AND e1.at < :until AND NOT EXISTS" \
	" (SELECT 1 FROM events e2 INDEXED BY events_by_hazard" \
	" WHERE e2.hazard_id = h.id" \
	" AND e2.action = 'reject' AND e2.id > e1.id AND e2.at < :until))" \
	" OR (h.state = 'rectified' AND NOT EXISTS (SELECT 1 FROM events e3" \
	" INDEXED BY events_by_hazard" \
	" WHERE e3.hazard_id = h.id AND e3.action = 'rectify')))"
#define IDENTIFIED(kind) \
	"COALESCE(SUM(h.kind = '" kind "' AND h.reported_at >= :from" \
	" AND h.reported_at < :until AND (h.cancelled_at IS NULL" \
	" OR h.cancelled_at >= :until)), 0), " \
	"COALESCE(SUM(h.kind = '" kind "' AND h.reported_at >= :from" \
	" AND h.closed_at < :until), 0), " \
	"COALESCE(SUM(h.kind = '" kind "' AND h.reported_at >= :from" \
	" AND h.closed_at < :until AND (h.deadline IS NULL OR" \
	" date(h.closed_at, 'unixepoch', 'localtime') <= h.deadline)), 0)"
#define FIGURES \
	"COALESCE(SUM(h.reported_at >= :since AND h.reported_at < :until), 0), " \
	"COALESCE(SUM(h.closed_at >= :since AND h.closed_at < :until), 0), " \
	"COALESCE(SUM(" OPEN_AT_UNTIL "), 0), " \
	"COALESCE(SUM(" OPEN_AT_UNTIL " AND h.deadline < :today" \
	" AND NOT " WAITING "), 0), " \
	"COALESCE(SUM(" OPEN_AT_UNTIL " AND h.deadline >= :today" \
	" AND h.deadline <= :due AND NOT " WAITING "), 0), " \
	IDENTIFIED("hazard") ", " IDENTIFIED("finding")

static const char ref_schools[] =
	"SELECT s.code, " FIGURES ", "
	"(SELECT COUNT(DISTINCT e.hazard_id) FROM events e"
	" JOIN hazards r ON r.id = e.hazard_id WHERE r.school_id = s.id"
	" AND e.action = 'rectify' AND e.at >= :since AND e.at < :until) "
	"FROM schools s LEFT JOIN hazards h ON h.school_id = s.id "
	"GROUP BY s.id ORDER BY s.code";

static const char ref_categories[] =
	"SELECT h.category, " FIGURES ", "
	"(SELECT COUNT(DISTINCT e.hazard_id) FROM events e"
	" JOIN hazards r ON r.id = e.hazard_id WHERE r.category = h.category"
	" AND e.action = 'rectify' AND e.at >= :since AND e.at < :until) "
	"FROM hazards h WHERE h.reported_at < :until "
	"GROUP BY h.category ORDER BY h.category";

/* A row as text, to compare with the reference's. */
static void
row_text(char *buf, size_t len, const struct digest_row *r)
{
	snprintf(buf, len, "%s %lld %lld %lld %lld %lld %lld %lld %lld %lld "
	    "%lld %lld %lld %lld", r->key, (long long)r->new,
	    (long long)r->closed, (long long)r->open,
	    (long long)r->overdue, (long long)r->due_soon,
	    (long long)r->identified[0], (long long)r->closed_total[0],
	    (long long)r->on_time[0], (long long)r->identified[1],
	    (long long)r->closed_total[1], (long long)r->on_time[1],
	    (long long)r->rectified, 0LL);
}

struct got {
	char	text[64][160];
	int	n;
};

static int
got_row(const struct digest_row *r, void *arg)
{
	struct got	*g = arg;

	ck_assert_int_lt(g->n, 64);
	row_text(g->text[g->n], sizeof(g->text[0]), r);
	g->n++;
	return 0;
}

static void
compare(const char *ref, int (*fn)(const struct digest_scope *,
    int (*)(const struct digest_row *, void *), void *),
    const struct digest_scope *sc)
{
	struct got		 g;
	struct digest_row	 r;
	sqlite3_stmt		*st;
	char			 want[160];
	int			 n = 0, c;

	g.n = 0;
	ck_assert_int_eq(fn(sc, got_row, &g), STORE_OK);
	ck_assert_ptr_nonnull(st = store_prepare_scoped(ref, sc));
	while (sqlite3_step(st) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.key = (const char *)sqlite3_column_text(st, 0);
		r.new = sqlite3_column_int64(st, 1);
		r.closed = sqlite3_column_int64(st, 2);
		r.open = sqlite3_column_int64(st, 3);
		r.overdue = sqlite3_column_int64(st, 4);
		r.due_soon = sqlite3_column_int64(st, 5);
		for (c = 0; c < 2; c++) {
			r.identified[c] = sqlite3_column_int64(st, 6 + 3 * c);
			r.closed_total[c] = sqlite3_column_int64(st, 7 + 3 * c);
			r.on_time[c] = sqlite3_column_int64(st, 8 + 3 * c);
		}
		r.rectified = sqlite3_column_int64(st, 12);
		row_text(want, sizeof(want), &r);
		ck_assert_int_lt(n, g.n);
		ck_assert_str_eq(g.text[n], want);
		n++;
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(n, g.n);
}

START_TEST(test_digest_rows_match_reference)
{
	struct digest_scope	 sc;
	char			 today[16], due[16];
	time_t			 t;
	struct tm		 tm;
	int			 n;

	for (n = 0; n < 60; n++) {
		memset(&sc, 0, sizeof(sc));
		sc.until = some_instant();
		sc.since = sc.until - (rnd(3) == 0 ? 7 : 1) * DAY;
		sc.from = rnd(2) ? sc.since : sc.until - rnd(SPAN);
		localtime_r(&sc.until, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		t = sc.until + 7 * DAY;
		localtime_r(&t, &tm);
		strftime(due, sizeof(due), "%Y-%m-%d", &tm);
		sc.today = today;
		sc.due = due;
		compare(ref_schools, store_digest_schools, &sc);
		compare(ref_categories, store_digest_categories, &sc);
	}
}
END_TEST

/*
 * The queries of the figures and the digests read indexes: no plan of
 * theirs scans the hazards or the events (a SCAN of a covering index
 * would read it all too).  The schools and the tallies, a few rows a
 * day or a school, and what a query made of them, may be read whole.
 */
START_TEST(test_no_full_scans)
{
	sqlite3_stmt	*st;
	const char	*sql, *detail;
	char		*explain;
	size_t		 i;
	int		 lines = 0;

	for (i = 0; (sql = store_hot_query(i)) != NULL; i++) {
		explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
		ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), explain, -1,
		    &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			detail = (const char *)sqlite3_column_text(st, 3);
			ck_assert_msg(strncmp(detail, "SCAN ", 5) != 0 ||
			    strncmp(detail, "SCAN s ", 7) == 0 ||
			    strncmp(detail, "SCAN schools", 12) == 0 ||
			    strncmp(detail, "SCAN tally", 10) == 0 ||
			    strncmp(detail, "SCAN (subquery", 14) == 0,
			    "query %zu scans: %s\n%s", i, detail, sql);
			lines++;
		}
		sqlite3_finalize(st);
		sqlite3_free(explain);
	}
	ck_assert_int_ge(i, 16);
	ck_assert_int_ge(lines, 16);
}
END_TEST

/* The plan of store_hazard_list(f), its lines joined by "; ". */
static void
list_plan(const struct hazard_filter *f, char *plan, size_t len)
{
	sqlite3_stmt	*st;
	char		 sql[2048], *explain;
	size_t		 n = 0;

	ck_assert_int_eq(store_hazard_list_sql(f, sql, sizeof(sql)), 0);
	explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), explain, -1, &st,
	    NULL), SQLITE_OK);
	plan[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW && n < len)
		n += snprintf(plan + n, len - n, "%s; ",
		    (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_free(explain);
}

/*
 * A list page walks an index in the list's order (newest first, no
 * sort), and what its filters test is in that index: a filter that
 * few hazards match reads the index alone, not every hazard's row.
 */
START_TEST(test_list_reads_index)
{
	struct hazard_filter	 f;
	sqlite3_stmt		*st;
	char			 plan[1024], cols[256] = "";
	int			 i;

	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), "SELECT name FROM "
	    "pragma_index_info('hazards_by_time') ORDER BY seqno", -1, &st,
	    NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		strncat(cols, (const char *)sqlite3_column_text(st, 0),
		    sizeof(cols) - strlen(cols) - 2);
		strcat(cols, ",");
	}
	sqlite3_finalize(st);
	ck_assert_str_eq(cols, "reported_at,id,kind,state,grade,category,"
	    "school_id,");

	for (i = 0; i < 6; i++) {
		memset(&f, 0, sizeof(f));
		f.kind = f.state = f.grade = -1;
		if (i == 0 || i == 4)
			f.kind = KIND_FINDING;
		if (i == 1 || i == 4)
			f.state = STATE_CANCELLED;
		if (i == 2 || i == 4)
			f.grade = GRADE_MAJOR;
		if (i == 3 || i == 4)
			f.category = "fire";
		if (i == 5) {
			f.has_cursor = 1;
			f.cursor_at = T0 + SPAN / 2;
			f.cursor_id = 100;
		}
		list_plan(&f, plan, sizeof(plan));
		ck_assert_msg(strstr(plan, "USING COVERING INDEX "
		    "hazards_by_time") != NULL &&
		    strstr(plan, "TEMP B-TREE") == NULL,
		    "list %d: %s", i, plan);
		/* A page after the first seeks to its cursor. */
		ck_assert_msg(!f.has_cursor || strncmp(plan, "SEARCH", 6) == 0,
		    "cursor: %s", plan);
	}

	memset(&f, 0, sizeof(f));
	f.kind = f.state = f.grade = -1;
	f.school_id = 7;
	f.category = "food";
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strstr(plan, "SEARCH h USING INDEX hazards_by_school") !=
	    NULL && strstr(plan, "TEMP B-TREE") == NULL, "school: %s", plan);

	f.school_id = 0;
	f.has_since = f.has_until = 1;
	f.since = T0;
	f.until = T0 + DAY;
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strstr(plan, "SEARCH h USING COVERING INDEX "
	    "hazards_by_time (reported_at>? AND reported_at<?)") != NULL,
	    "since: %s", plan);
}
END_TEST

/*
 * A search of the district walks the index of the words in the order
 * of ids, each hazard read by its id, and sorts nothing; a school's
 * search walks its own hazards; the order of deadlines walks its index
 * to the cursor, without a sort either.
 */
START_TEST(test_list_search_sort_plans)
{
	struct hazard_filter	 f;
	char			 plan[1024];

	memset(&f, 0, sizeof(f));
	f.kind = f.state = f.grade = -1;
	f.search = "灭火器";
	f.has_cursor = 1;
	f.cursor_id = 100;
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strstr(plan, "SCAN s VIRTUAL TABLE") != NULL &&
	    strstr(plan, "SEARCH h USING INTEGER PRIMARY KEY") != NULL &&
	    strstr(plan, "TEMP B-TREE") == NULL, "search: %s", plan);

	f.school_id = 7;
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strstr(plan, "hazards_by_school") != NULL &&
	    strstr(plan, "TEMP B-TREE") == NULL, "school's search: %s", plan);

	memset(&f, 0, sizeof(f));
	f.kind = f.state = f.grade = -1;
	f.sort = SORT_DEADLINE;
	f.overdue = 1;
	f.today = "2026-12-05";
	f.has_cursor = 1;
	snprintf(f.cursor_deadline, sizeof(f.cursor_deadline), "2026-11-01");
	f.cursor_id = 100;
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strstr(plan, "USING INDEX hazards_open_deadline") !=
	    NULL && strstr(plan, "TEMP B-TREE") == NULL, "overdue: %s", plan);

	f.school_id = 7;
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strstr(plan, "USING INDEX hazards_school_deadline") !=
	    NULL && strstr(plan, "TEMP B-TREE") == NULL, "school's: %s", plan);

	f.school_id = 0;
	f.overdue = 0;
	f.category = "fire";
	list_plan(&f, plan, sizeof(plan));
	ck_assert_msg(strncmp(plan, "SEARCH h USING COVERING INDEX "
	    "hazards_by_deadline", 49) == 0 &&
	    strstr(plan, "TEMP B-TREE") == NULL, "deadline: %s", plan);
}
END_TEST

static Suite *
figures_suite(void)
{
	Suite	*s = suite_create("figures");
	TCase	*tc = tcase_create("figures");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_rate_matches_scan);
	tcase_add_test(tc, test_rate_as_of_matches_events);
	tcase_add_test(tc, test_tally_done_exact);
	tcase_add_test(tc, test_stats_match_scan);
	tcase_add_test(tc, test_tally_school_kind_exact);
	tcase_add_test(tc, test_stats_worst);
	tcase_add_test(tc, test_trend_matches_scan);
	tcase_add_test(tc, test_today_counts);
	tcase_add_test(tc, test_stats_as_of);
	tcase_add_test(tc, test_digest_rows_match_reference);
	tcase_add_test(tc, test_no_full_scans);
	tcase_add_test(tc, test_list_reads_index);
	tcase_add_test(tc, test_list_search_sort_plans);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(figures_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
