/*
 * Unit tests of daemon/period.c and of the calendar helpers of
 * common/date.c under it: ISO weeks across year ends, period names,
 * steps, bounds, run times, windows and the latest period due, in
 * several time zones and across DST changes.  The expected instants
 * come from an independent calendar here, never from date.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "period.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
/* Room for any name the tests write, whatever the ints. */
#define TEXT_LEN	48

#define SHANGHAI	"Asia/Shanghai"
#define BERLIN		"Europe/Berlin"
#define NEW_YORK	"America/New_York"
#define SANTIAGO	"America/Santiago"
#define UTC		"UTC"

/* The defaults of SPEC, "The cycle". */
#define DAILY_0800	{ 0, 8, 0 }
#define WEEKLY_MON_0830	{ 1, 8, 30 }
#define MONTHLY_1_0900	{ 1, 9, 0 }

/* A local wall-clock time and its UTC offset in minutes east. */
struct instant {
	int	y, mo, d, h, mi, s;
	int	off;
};

/* Selects a time zone for what follows. */
static void
use_tz(const char *tz)
{
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

static int
oracle_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
oracle_mdays(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return days[m - 1] + (m == 2 && oracle_leap(y));
}

/* Days since 1970-01-01 by counting, for years from 1970 on. */
static long
oracle_days(int y, int m, int d)
{
	long	n = 0;
	int	i;

	for (i = 1970; i < y; i++)
		n += oracle_leap(i) ? 366 : 365;
	for (i = 1; i < m; i++)
		n += oracle_mdays(y, i);
	return n + d - 1;
}

/* The next civil day, by counting. */
static void
oracle_next_day(int *y, int *m, int *d)
{
	if (++*d > oracle_mdays(*y, *m)) {
		*d = 1;
		if (++*m > 12) {
			*m = 1;
			++*y;
		}
	}
}

/* The Unix time of an instant. */
static time_t
instant_time(const struct instant *w)
{
	return (time_t)(oracle_days(w->y, w->mo, w->d) * 86400L +
	    w->h * 3600L + w->mi * 60L + w->s - w->off * 60L);
}

/* Checks that t is w, and that the zone shows it as w's wall clock. */
static void
check_instant(time_t t, const struct instant *w, const char *what)
{
	struct tm	tm;
	time_t		want = instant_time(w);

	ck_assert_msg(t == want,
	    "%s: got %lld, expected %lld (%04d-%02d-%02d %02d:%02d:%02d "
	    "%+d min)", what, (long long)t, (long long)want, w->y, w->mo,
	    w->d, w->h, w->mi, w->s, w->off);
	ck_assert_ptr_nonnull(localtime_r(&t, &tm));
	ck_assert_msg(tm.tm_year + 1900 == w->y && tm.tm_mon + 1 == w->mo &&
	    tm.tm_mday == w->d && tm.tm_hour == w->h && tm.tm_min == w->mi &&
	    tm.tm_sec == w->s && tm.tm_gmtoff == w->off * 60L,
	    "%s: shows as %04d-%02d-%02d %02d:%02d:%02d %+ld s", what,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long)tm.tm_gmtoff);
}

/* Parses a name that must be good. */
static void
parse_ok(enum cycle_kind kind, const char *name, struct period *p)
{
	ck_assert_msg(period_parse(kind, name, p) == 0,
	    "period_parse(%s, \"%s\") refused it", cycle_kind_name(kind),
	    name);
}

/* The local civil date of t, as "YYYY-MM-DD", by localtime_r. */
static char *
local_day(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02d", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday);
	return buf;
}

/* --- ISO weeks ---------------------------------------------------------- */

struct iso_case {
	int	y, m, d;
	int	iso_year, week, weekday;
};

static const struct iso_case iso_cases[] = {
	{ 2026, 12, 31, 2026, 53, 4 },
	{ 2027, 1, 1, 2026, 53, 5 },
	{ 2027, 1, 2, 2026, 53, 6 },
	{ 2027, 1, 3, 2026, 53, 7 },
	{ 2027, 1, 4, 2027, 1, 1 },
	{ 2024, 12, 29, 2024, 52, 7 },
	{ 2024, 12, 30, 2025, 1, 1 },
	{ 2020, 12, 31, 2020, 53, 4 },
	{ 2021, 1, 3, 2020, 53, 7 },
	{ 2021, 1, 4, 2021, 1, 1 },
	{ 2021, 12, 31, 2021, 52, 5 },
	{ 2022, 1, 2, 2021, 52, 7 },
	{ 2022, 1, 3, 2022, 1, 1 },
	{ 2025, 12, 28, 2025, 52, 7 },
	{ 2025, 12, 29, 2026, 1, 1 },
	{ 2026, 1, 1, 2026, 1, 4 },
	{ 2026, 11, 23, 2026, 48, 1 },
	{ 2026, 11, 24, 2026, 48, 2 },
	{ 2026, 11, 29, 2026, 48, 7 },
	{ 2026, 11, 30, 2026, 49, 1 },
	{ 2016, 1, 3, 2015, 53, 7 },
	{ 2016, 1, 4, 2016, 1, 1 },
	{ 2008, 12, 29, 2009, 1, 1 },
	{ 2010, 1, 3, 2009, 53, 7 },
	{ 2000, 2, 29, 2000, 9, 2 },
	{ 2024, 2, 29, 2024, 9, 4 },
	{ 2100, 3, 1, 2100, 9, 1 },
};

/* date_iso_week(), date_weekday(), the Monday, and period_of_date(). */
START_TEST(test_iso_week)
{
	const struct iso_case	*c = &iso_cases[_i];
	char			 want[TEXT_LEN], buf[PERIOD_NAME_LEN];
	struct period		 p;
	long			 monday, expect;
	int			 iy = -1, w = -1, wd;

	date_iso_week(c->y, c->m, c->d, &iy, &w);
	ck_assert_msg(iy == c->iso_year && w == c->week,
	    "date_iso_week(%04d-%02d-%02d) = %d-W%02d, expected %d-W%02d",
	    c->y, c->m, c->d, iy, w, c->iso_year, c->week);
	wd = date_weekday(c->y, c->m, c->d);
	ck_assert_msg(wd == c->weekday,
	    "date_weekday(%04d-%02d-%02d) = %d, expected %d", c->y, c->m,
	    c->d, wd, c->weekday);
	monday = date_iso_week_monday(c->iso_year, c->week);
	expect = oracle_days(c->y, c->m, c->d) - (c->weekday - 1);
	ck_assert_msg(monday == expect,
	    "date_iso_week_monday(%d, %d) = %ld, expected %ld", c->iso_year,
	    c->week, monday, expect);

	period_of_date(CYCLE_WEEKLY, c->y, c->m, c->d, &p);
	snprintf(want, sizeof(want), "%04d-W%02d", c->iso_year, c->week);
	ck_assert_str_eq(period_name(&p, buf, sizeof(buf)), want);
}
END_TEST

static const struct {
	int	year, weeks;
} weeks_cases[] = {
	{ 2004, 53 }, { 2009, 53 }, { 2015, 53 }, { 2020, 53 },
	{ 2021, 52 }, { 2024, 52 }, { 2025, 52 }, { 2026, 53 },
	{ 2027, 52 }, { 2032, 53 }, { 2037, 53 }, { 2100, 52 },
};

/* date_iso_weeks_in_year(), and period_parse() agreeing with it. */
START_TEST(test_iso_weeks_in_year)
{
	struct period	 p;
	char		 name[TEXT_LEN];
	int		 year = weeks_cases[_i].year;
	int		 weeks = weeks_cases[_i].weeks;

	ck_assert_int_eq(date_iso_weeks_in_year(year), weeks);

	snprintf(name, sizeof(name), "%04d-W52", year);
	ck_assert_int_eq(period_parse(CYCLE_WEEKLY, name, &p), 0);
	snprintf(name, sizeof(name), "%04d-W53", year);
	ck_assert_msg(period_parse(CYCLE_WEEKLY, name, &p) ==
	    (weeks == 53 ? 0 : -1), "period_parse(weekly, \"%s\") wrong",
	    name);
	snprintf(name, sizeof(name), "%04d-W%02d", year, weeks + 1);
	ck_assert_int_eq(period_parse(CYCLE_WEEKLY, name, &p), -1);
}
END_TEST

/* --- names ---------------------------------------------------------------- */

struct name_case {
	enum cycle_kind	 kind;
	const char	*name;
	int		 year, month, day, week;
};

static const struct name_case name_cases[] = {
	{ CYCLE_DAILY, "2026-11-24", 2026, 11, 24, 0 },
	{ CYCLE_DAILY, "2026-01-01", 2026, 1, 1, 0 },
	{ CYCLE_DAILY, "2026-12-31", 2026, 12, 31, 0 },
	{ CYCLE_DAILY, "2024-02-29", 2024, 2, 29, 0 },
	{ CYCLE_DAILY, "2000-02-29", 2000, 2, 29, 0 },
	{ CYCLE_WEEKLY, "2026-W48", 2026, 0, 0, 48 },
	{ CYCLE_WEEKLY, "2026-W01", 2026, 0, 0, 1 },
	{ CYCLE_WEEKLY, "2026-W53", 2026, 0, 0, 53 },
	{ CYCLE_WEEKLY, "2020-W53", 2020, 0, 0, 53 },
	{ CYCLE_WEEKLY, "2015-W53", 2015, 0, 0, 53 },
	{ CYCLE_WEEKLY, "2021-W52", 2021, 0, 0, 52 },
	{ CYCLE_WEEKLY, "2027-W01", 2027, 0, 0, 1 },
	{ CYCLE_MONTHLY, "2026-11", 2026, 11, 0, 0 },
	{ CYCLE_MONTHLY, "2026-01", 2026, 1, 0, 0 },
	{ CYCLE_MONTHLY, "2026-12", 2026, 12, 0, 0 },
};

/* period_parse() fills the fields; period_name() gives the name back. */
START_TEST(test_period_round_trip)
{
	const struct name_case	*c = &name_cases[_i];
	struct period		 p;
	char			 buf[PERIOD_NAME_LEN];

	memset(&p, 0x5a, sizeof(p));
	parse_ok(c->kind, c->name, &p);
	ck_assert_int_eq(p.kind, c->kind);
	ck_assert_int_eq(p.year, c->year);
	if (c->kind == CYCLE_WEEKLY)
		ck_assert_int_eq(p.week, c->week);
	else
		ck_assert_int_eq(p.month, c->month);
	if (c->kind == CYCLE_DAILY)
		ck_assert_int_eq(p.day, c->day);
	memset(buf, 'X', sizeof(buf));
	ck_assert_ptr_eq(period_name(&p, buf, sizeof(buf)), buf);
	ck_assert_str_eq(buf, c->name);
}
END_TEST

static const struct {
	enum cycle_kind	 kind;
	const char	*name;
} refuse_cases[] = {
	{ CYCLE_DAILY, "2026-02-29" },
	{ CYCLE_DAILY, "2100-02-29" },
	{ CYCLE_DAILY, "2026-11-31" },
	{ CYCLE_DAILY, "2026-13-01" },
	{ CYCLE_DAILY, "2026-00-10" },
	{ CYCLE_DAILY, "2026-11-00" },
	{ CYCLE_DAILY, "2026-1-24" },
	{ CYCLE_DAILY, "2026-11-2" },
	{ CYCLE_DAILY, "26-11-24" },
	{ CYCLE_DAILY, "2026/11/24" },
	{ CYCLE_DAILY, "2026-11-24x" },
	{ CYCLE_DAILY, "2026-11-24 " },
	{ CYCLE_DAILY, " 2026-11-24" },
	{ CYCLE_DAILY, "2026-11-24T08:00" },
	{ CYCLE_DAILY, "1899-12-31" },
	{ CYCLE_DAILY, "2026-11" },
	{ CYCLE_DAILY, "2026-W48" },
	{ CYCLE_DAILY, "" },
	{ CYCLE_WEEKLY, "2026-W00" },
	{ CYCLE_WEEKLY, "2026-W54" },
	{ CYCLE_WEEKLY, "2021-W53" },
	{ CYCLE_WEEKLY, "2027-W53" },
	{ CYCLE_WEEKLY, "2026-W99" },
	{ CYCLE_WEEKLY, "2026-W5" },
	{ CYCLE_WEEKLY, "2026-W053" },
	{ CYCLE_WEEKLY, "2026-w48" },
	{ CYCLE_WEEKLY, "2026-48" },
	{ CYCLE_WEEKLY, "2026W48" },
	{ CYCLE_WEEKLY, "26-W48" },
	{ CYCLE_WEEKLY, "2026-W4a" },
	{ CYCLE_WEEKLY, "2026-W+8" },
	{ CYCLE_WEEKLY, "2026-W48x" },
	{ CYCLE_WEEKLY, "2026-W48 " },
	{ CYCLE_WEEKLY, "2026-11" },
	{ CYCLE_WEEKLY, "2026-11-24" },
	{ CYCLE_WEEKLY, "1899-W52" },
	{ CYCLE_WEEKLY, "" },
	{ CYCLE_MONTHLY, "2026-13" },
	{ CYCLE_MONTHLY, "2026-00" },
	{ CYCLE_MONTHLY, "2026-1" },
	{ CYCLE_MONTHLY, "26-11" },
	{ CYCLE_MONTHLY, "2026/11" },
	{ CYCLE_MONTHLY, "2026-1a" },
	{ CYCLE_MONTHLY, "2026-+1" },
	{ CYCLE_MONTHLY, "2026-11x" },
	{ CYCLE_MONTHLY, "2026-11 " },
	{ CYCLE_MONTHLY, "2026-11-01" },
	{ CYCLE_MONTHLY, "2026-W48" },
	{ CYCLE_MONTHLY, "1899-12" },
	{ CYCLE_MONTHLY, "" },
};

/* period_parse() refuses what is not a period of its kind. */
START_TEST(test_period_refuse)
{
	struct period	p;

	ck_assert_msg(period_parse(refuse_cases[_i].kind,
	    refuse_cases[_i].name, &p) == -1,
	    "period_parse(%s, \"%s\") accepted it",
	    cycle_kind_name(refuse_cases[_i].kind), refuse_cases[_i].name);
}
END_TEST

/* A short buffer is cut and terminated, never overrun. */
START_TEST(test_period_name_short)
{
	struct period	p;
	char		buf[16];

	parse_ok(CYCLE_DAILY, "2026-11-24", &p);
	memset(buf, 'X', sizeof(buf));
	period_name(&p, buf, 8);
	ck_assert_str_eq(buf, "2026-11");
	ck_assert_int_eq(buf[8], 'X');
}
END_TEST

/* --- steps ---------------------------------------------------------------- */

struct step_case {
	enum cycle_kind	 kind;
	const char	*from;
	int		 n;
	const char	*to;
};

static const struct step_case step_cases[] = {
	{ CYCLE_DAILY, "2024-02-28", 1, "2024-02-29" },
	{ CYCLE_DAILY, "2024-02-28", 2, "2024-03-01" },
	{ CYCLE_DAILY, "2024-03-01", -1, "2024-02-29" },
	{ CYCLE_DAILY, "2026-02-28", 1, "2026-03-01" },
	{ CYCLE_DAILY, "2026-03-01", -1, "2026-02-28" },
	{ CYCLE_DAILY, "2100-02-28", 1, "2100-03-01" },
	{ CYCLE_DAILY, "2000-02-28", 1, "2000-02-29" },
	{ CYCLE_DAILY, "2026-11-30", 1, "2026-12-01" },
	{ CYCLE_DAILY, "2026-12-31", 1, "2027-01-01" },
	{ CYCLE_DAILY, "2027-01-01", -1, "2026-12-31" },
	{ CYCLE_DAILY, "2026-11-24", 0, "2026-11-24" },
	{ CYCLE_DAILY, "2026-11-24", 365, "2027-11-24" },
	{ CYCLE_DAILY, "2024-01-01", 366, "2025-01-01" },
	{ CYCLE_DAILY, "2026-03-31", -31, "2026-02-28" },
	{ CYCLE_DAILY, "2026-03-29", 1, "2026-03-30" },
	{ CYCLE_WEEKLY, "2026-W53", 1, "2027-W01" },
	{ CYCLE_WEEKLY, "2027-W01", -1, "2026-W53" },
	{ CYCLE_WEEKLY, "2026-W52", 1, "2026-W53" },
	{ CYCLE_WEEKLY, "2026-W52", 2, "2027-W01" },
	{ CYCLE_WEEKLY, "2021-W52", 1, "2022-W01" },
	{ CYCLE_WEEKLY, "2022-W01", -1, "2021-W52" },
	{ CYCLE_WEEKLY, "2020-W53", 1, "2021-W01" },
	{ CYCLE_WEEKLY, "2021-W01", -1, "2020-W53" },
	{ CYCLE_WEEKLY, "2024-W52", 1, "2025-W01" },
	{ CYCLE_WEEKLY, "2026-W48", 0, "2026-W48" },
	{ CYCLE_WEEKLY, "2026-W48", 5, "2026-W53" },
	{ CYCLE_WEEKLY, "2026-W48", 6, "2027-W01" },
	{ CYCLE_WEEKLY, "2026-W48", -47, "2026-W01" },
	{ CYCLE_WEEKLY, "2026-W48", -48, "2025-W52" },
	{ CYCLE_WEEKLY, "2026-W48", 53, "2027-W48" },
	{ CYCLE_MONTHLY, "2026-12", 1, "2027-01" },
	{ CYCLE_MONTHLY, "2027-01", -1, "2026-12" },
	{ CYCLE_MONTHLY, "2026-11", 1, "2026-12" },
	{ CYCLE_MONTHLY, "2026-11", 14, "2028-01" },
	{ CYCLE_MONTHLY, "2026-01", -13, "2024-12" },
	{ CYCLE_MONTHLY, "2026-03", -2, "2026-01" },
	{ CYCLE_MONTHLY, "2026-03", -3, "2025-12" },
	{ CYCLE_MONTHLY, "2026-05", 0, "2026-05" },
	{ CYCLE_MONTHLY, "2026-01", 12, "2027-01" },
	{ CYCLE_MONTHLY, "2026-01", -12, "2025-01" },
};

/* period_step() by n and back by -n. */
START_TEST(test_period_step)
{
	const struct step_case	*c = &step_cases[_i];
	struct period		 p;
	char			 buf[PERIOD_NAME_LEN];

	parse_ok(c->kind, c->from, &p);
	period_step(&p, c->n);
	ck_assert_int_eq(p.kind, c->kind);
	ck_assert_msg(strcmp(period_name(&p, buf, sizeof(buf)), c->to) == 0,
	    "%s %+d = %s, expected %s", c->from, c->n, buf, c->to);
	period_step(&p, -c->n);
	ck_assert_msg(strcmp(period_name(&p, buf, sizeof(buf)),
	    c->from) == 0, "%s %+d %+d = %s", c->from, c->n, -c->n, buf);
}
END_TEST

/* Day by day from 2023-12-01 to 2028-03-01 against counting. */
START_TEST(test_step_walk_daily)
{
	struct period	 p;
	char		 buf[PERIOD_NAME_LEN], want[TEXT_LEN];
	int		 y = 2023, m = 12, d = 1;

	parse_ok(CYCLE_DAILY, "2023-12-01", &p);
	while (y < 2028 || m < 3) {
		oracle_next_day(&y, &m, &d);
		period_step(&p, 1);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		ck_assert_str_eq(period_name(&p, buf, sizeof(buf)), want);
	}
}
END_TEST

/*
 * Week by week from 2014-W01 into 2041: weeks follow on 7 days apart,
 * and the weeks counted in each year are date_iso_weeks_in_year().
 */
START_TEST(test_step_walk_weekly)
{
	struct period	 p, prev;
	long		 monday;
	int		 count = 1;

	parse_ok(CYCLE_WEEKLY, "2014-W01", &p);
	while (p.year < 2041) {
		prev = p;
		period_step(&p, 1);
		monday = date_iso_week_monday(p.year, p.week);
		ck_assert_int_eq(monday,
		    date_iso_week_monday(prev.year, prev.week) + 7);
		if (p.year == prev.year)
			ck_assert_int_eq(p.week, prev.week + 1);
		else {
			ck_assert_int_eq(p.year, prev.year + 1);
			ck_assert_int_eq(p.week, 1);
			ck_assert_int_eq(prev.week, count);
			ck_assert_int_eq(count,
			    date_iso_weeks_in_year(prev.year));
			count = 0;
		}
		count++;
	}
}
END_TEST

/* Month by month from 1999-01 to 2031-12, forward and back. */
START_TEST(test_step_walk_monthly)
{
	struct period	 p, back;
	int		 y = 1999, m = 1;

	parse_ok(CYCLE_MONTHLY, "1999-01", &p);
	while (y < 2032) {
		if (++m > 12) {
			m = 1;
			y++;
		}
		period_step(&p, 1);
		ck_assert_int_eq(p.year, y);
		ck_assert_int_eq(p.month, m);
		back = p;
		period_step(&back, -1);
		ck_assert_int_eq(back.year, m == 1 ? y - 1 : y);
		ck_assert_int_eq(back.month, m == 1 ? 12 : m - 1);
	}
}
END_TEST

/* --- bounds --------------------------------------------------------------- */

struct bounds_case {
	const char	*tz;
	enum cycle_kind	 kind;
	const char	*name;
	struct instant	 start, end;
	int		 hours;
};

static const struct bounds_case bounds_cases[] = {
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W48",
	    { 2026, 11, 23, 0, 0, 0, 480 }, { 2026, 11, 30, 0, 0, 0, 480 },
	    168 },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W53",
	    { 2026, 12, 28, 0, 0, 0, 480 }, { 2027, 1, 4, 0, 0, 0, 480 },
	    168 },
	{ SHANGHAI, CYCLE_WEEKLY, "2025-W01",
	    { 2024, 12, 30, 0, 0, 0, 480 }, { 2025, 1, 6, 0, 0, 0, 480 },
	    168 },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-11",
	    { 2026, 11, 1, 0, 0, 0, 480 }, { 2026, 12, 1, 0, 0, 0, 480 },
	    720 },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-12",
	    { 2026, 12, 1, 0, 0, 0, 480 }, { 2027, 1, 1, 0, 0, 0, 480 },
	    744 },
	{ SHANGHAI, CYCLE_MONTHLY, "2024-02",
	    { 2024, 2, 1, 0, 0, 0, 480 }, { 2024, 3, 1, 0, 0, 0, 480 },
	    696 },
	{ SHANGHAI, CYCLE_DAILY, "2026-11-24",
	    { 2026, 11, 24, 0, 0, 0, 480 }, { 2026, 11, 25, 0, 0, 0, 480 },
	    24 },
	{ SHANGHAI, CYCLE_DAILY, "2026-12-31",
	    { 2026, 12, 31, 0, 0, 0, 480 }, { 2027, 1, 1, 0, 0, 0, 480 },
	    24 },
	{ BERLIN, CYCLE_DAILY, "2026-03-28",
	    { 2026, 3, 28, 0, 0, 0, 60 }, { 2026, 3, 29, 0, 0, 0, 60 }, 24 },
	{ BERLIN, CYCLE_DAILY, "2026-03-29",
	    { 2026, 3, 29, 0, 0, 0, 60 }, { 2026, 3, 30, 0, 0, 0, 120 }, 23 },
	{ BERLIN, CYCLE_DAILY, "2026-03-30",
	    { 2026, 3, 30, 0, 0, 0, 120 }, { 2026, 3, 31, 0, 0, 0, 120 },
	    24 },
	{ BERLIN, CYCLE_DAILY, "2026-10-25",
	    { 2026, 10, 25, 0, 0, 0, 120 }, { 2026, 10, 26, 0, 0, 0, 60 },
	    25 },
	{ BERLIN, CYCLE_WEEKLY, "2026-W13",
	    { 2026, 3, 23, 0, 0, 0, 60 }, { 2026, 3, 30, 0, 0, 0, 120 },
	    167 },
	{ BERLIN, CYCLE_WEEKLY, "2026-W43",
	    { 2026, 10, 19, 0, 0, 0, 120 }, { 2026, 10, 26, 0, 0, 0, 60 },
	    169 },
	{ BERLIN, CYCLE_MONTHLY, "2026-03",
	    { 2026, 3, 1, 0, 0, 0, 60 }, { 2026, 4, 1, 0, 0, 0, 120 }, 743 },
	{ BERLIN, CYCLE_MONTHLY, "2026-10",
	    { 2026, 10, 1, 0, 0, 0, 120 }, { 2026, 11, 1, 0, 0, 0, 60 }, 745 },
	{ NEW_YORK, CYCLE_DAILY, "2026-03-08",
	    { 2026, 3, 8, 0, 0, 0, -300 }, { 2026, 3, 9, 0, 0, 0, -240 },
	    23 },
	{ NEW_YORK, CYCLE_DAILY, "2026-11-01",
	    { 2026, 11, 1, 0, 0, 0, -240 }, { 2026, 11, 2, 0, 0, 0, -300 },
	    25 },
	{ UTC, CYCLE_DAILY, "2026-03-29",
	    { 2026, 3, 29, 0, 0, 0, 0 }, { 2026, 3, 30, 0, 0, 0, 0 }, 24 },
	{ UTC, CYCLE_WEEKLY, "2026-W48",
	    { 2026, 11, 23, 0, 0, 0, 0 }, { 2026, 11, 30, 0, 0, 0, 0 }, 168 },
	{ UTC, CYCLE_MONTHLY, "2026-02",
	    { 2026, 2, 1, 0, 0, 0, 0 }, { 2026, 3, 1, 0, 0, 0, 0 }, 672 },
	/* Chile skips local midnight: that day starts at 01:00. */
	{ SANTIAGO, CYCLE_DAILY, "2026-09-06",
	    { 2026, 9, 6, 1, 0, 0, -180 }, { 2026, 9, 7, 0, 0, 0, -180 },
	    23 },
	{ SANTIAGO, CYCLE_DAILY, "2026-04-04",
	    { 2026, 4, 4, 0, 0, 0, -180 }, { 2026, 4, 5, 0, 0, 0, -240 },
	    25 },
};

/* period_bounds(): the local midnights, whatever the day's length. */
START_TEST(test_period_bounds)
{
	const struct bounds_case	*c = &bounds_cases[_i];
	struct period			 p;
	time_t				 start = 0, end = 0;
	char				 what[64];

	use_tz(c->tz);
	parse_ok(c->kind, c->name, &p);
	period_bounds(&p, &start, &end);
	snprintf(what, sizeof(what), "%s %s start", c->tz, c->name);
	check_instant(start, &c->start, what);
	snprintf(what, sizeof(what), "%s %s end", c->tz, c->name);
	check_instant(end, &c->end, what);
	ck_assert_msg(end - start == c->hours * 3600L,
	    "%s %s lasts %lld s, expected %d h", c->tz, c->name,
	    (long long)(end - start), c->hours);
}
END_TEST

static const char *const sweep_zones[] = {
	SHANGHAI, BERLIN, NEW_YORK, SANTIAGO, UTC,
};

/* The first civil day of p, counted here (weeks by their Monday). */
static long
first_day(const struct period *p)
{
	switch (p->kind) {
	case CYCLE_DAILY:
		return oracle_days(p->year, p->month, p->day);
	case CYCLE_WEEKLY:
		return date_iso_week_monday(p->year, p->week);
	default:
		return oracle_days(p->year, p->month, 1);
	}
}

/*
 * Every day, week and month of 2026 in each zone starts at the first
 * instant of its first local day (the instant before is the day
 * before) and ends where the next one starts.
 */
START_TEST(test_bounds_sweep)
{
	static const char *const first[CYCLE__MAX] = {
		"2026-01-01", "2026-W01", "2026-01"
	};
	const char	*tz = sweep_zones[_i];
	struct period	 p, next;
	time_t		 start, end, nstart, nend;
	char		 name[PERIOD_NAME_LEN], want[TEXT_LEN], got[TEXT_LEN];
	int		 k, y, m, d;
	long		 days;

	use_tz(tz);
	for (k = 0; k < CYCLE__MAX; k++) {
		parse_ok(k, first[k], &p);
		while (p.year == 2026) {
			next = p;
			period_step(&next, 1);
			period_bounds(&p, &start, &end);
			period_bounds(&next, &nstart, &nend);
			period_name(&p, name, sizeof(name));
			ck_assert_msg(start != (time_t)-1 && start < end &&
			    end == nstart, "%s %s: [%lld, %lld) then %lld",
			    tz, name, (long long)start, (long long)end,
			    (long long)nstart);
			days = first_day(&p);
			date_civil_from_days(days, &y, &m, &d);
			snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
			local_day(start, got, sizeof(got));
			ck_assert_msg(strcmp(got, want) == 0,
			    "%s %s starts on %s, expected %s", tz, name, got,
			    want);
			date_civil_from_days(days - 1, &y, &m, &d);
			snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
			local_day(start - 1, got, sizeof(got));
			ck_assert_msg(strcmp(got, want) == 0,
			    "%s %s: a second before its start is %s, "
			    "expected %s", tz, name, got, want);
			p = next;
		}
	}
}
END_TEST

/* --- run times ------------------------------------------------------------ */

struct run_case {
	const char		*tz;
	enum cycle_kind		 kind;
	const char		*name;
	struct config_when	 when;
	struct instant		 run;
};

static const struct run_case run_cases[] = {
	{ SHANGHAI, CYCLE_DAILY, "2026-11-24", DAILY_0800,
	    { 2026, 11, 24, 8, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_DAILY, "2026-12-31", DAILY_0800,
	    { 2026, 12, 31, 8, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_DAILY, "2024-02-29", { 0, 23, 59 },
	    { 2024, 2, 29, 23, 59, 0, 480 } },
	{ SHANGHAI, CYCLE_DAILY, "2026-11-24", { 0, 0, 0 },
	    { 2026, 11, 24, 0, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W48", WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 30, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W48", { 3, 8, 30 },
	    { 2026, 12, 2, 8, 30, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W48", { 7, 23, 59 },
	    { 2026, 12, 6, 23, 59, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W52", WEEKLY_MON_0830,
	    { 2026, 12, 28, 8, 30, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W53", WEEKLY_MON_0830,
	    { 2027, 1, 4, 8, 30, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W53", { 5, 17, 0 },
	    { 2027, 1, 8, 17, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_WEEKLY, "2024-W52", WEEKLY_MON_0830,
	    { 2024, 12, 30, 8, 30, 0, 480 } },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-11", MONTHLY_1_0900,
	    { 2026, 12, 1, 9, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-12", MONTHLY_1_0900,
	    { 2027, 1, 1, 9, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-01", { 28, 9, 0 },
	    { 2026, 2, 28, 9, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_MONTHLY, "2024-01", { 28, 9, 0 },
	    { 2024, 2, 28, 9, 0, 0, 480 } },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-11", { 15, 0, 0 },
	    { 2026, 12, 15, 0, 0, 0, 480 } },
	{ BERLIN, CYCLE_DAILY, "2026-03-28", DAILY_0800,
	    { 2026, 3, 28, 8, 0, 0, 60 } },
	{ BERLIN, CYCLE_DAILY, "2026-03-29", DAILY_0800,
	    { 2026, 3, 29, 8, 0, 0, 120 } },
	{ BERLIN, CYCLE_DAILY, "2026-10-24", DAILY_0800,
	    { 2026, 10, 24, 8, 0, 0, 120 } },
	{ BERLIN, CYCLE_DAILY, "2026-10-25", DAILY_0800,
	    { 2026, 10, 25, 8, 0, 0, 60 } },
	{ BERLIN, CYCLE_DAILY, "2026-10-26", DAILY_0800,
	    { 2026, 10, 26, 8, 0, 0, 60 } },
	{ BERLIN, CYCLE_WEEKLY, "2026-W13", WEEKLY_MON_0830,
	    { 2026, 3, 30, 8, 30, 0, 120 } },
	{ BERLIN, CYCLE_WEEKLY, "2026-W12", { 7, 8, 30 },
	    { 2026, 3, 29, 8, 30, 0, 120 } },
	{ BERLIN, CYCLE_MONTHLY, "2026-02", { 28, 9, 0 },
	    { 2026, 3, 28, 9, 0, 0, 60 } },
	{ BERLIN, CYCLE_MONTHLY, "2026-03", MONTHLY_1_0900,
	    { 2026, 4, 1, 9, 0, 0, 120 } },
	{ NEW_YORK, CYCLE_DAILY, "2026-03-08", DAILY_0800,
	    { 2026, 3, 8, 8, 0, 0, -240 } },
	{ NEW_YORK, CYCLE_DAILY, "2026-11-01", DAILY_0800,
	    { 2026, 11, 1, 8, 0, 0, -300 } },
	{ UTC, CYCLE_DAILY, "2026-11-24", DAILY_0800,
	    { 2026, 11, 24, 8, 0, 0, 0 } },
	{ UTC, CYCLE_WEEKLY, "2026-W48", WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 30, 0, 0 } },
	{ UTC, CYCLE_MONTHLY, "2026-12", MONTHLY_1_0900,
	    { 2027, 1, 1, 9, 0, 0, 0 } },
};

/* period_run_time(): the wall-clock time, on the right day, locally. */
START_TEST(test_period_run_time)
{
	const struct run_case	*c = &run_cases[_i];
	struct period		 p;
	char			 what[64];

	use_tz(c->tz);
	parse_ok(c->kind, c->name, &p);
	snprintf(what, sizeof(what), "%s run of %s", c->tz, c->name);
	check_instant(period_run_time(&p, &c->when), &c->run, what);
}
END_TEST

static const struct {
	const char	*tz;
	int		 short_days, long_days;
} daily_zones[] = {
	{ SHANGHAI, 0, 0 },
	{ BERLIN, 1, 1 },
	{ NEW_YORK, 1, 1 },
	{ UTC, 0, 0 },
};

/*
 * Every daily run of 2026 at 08:00 is at 08:00 local on its day: two
 * runs are 24 h apart less the change of offset between them.
 */
START_TEST(test_run_daily_sweep)
{
	const struct config_when	 when = DAILY_0800;
	const char			*tz = daily_zones[_i].tz;
	struct period			 p;
	struct tm			 tm;
	time_t				 t, prev = 0;
	long				 prev_off = 0;
	int				 y = 2025, m = 12, d = 31, i;
	int				 nshort = 0, nlong = 0;

	use_tz(tz);
	parse_ok(CYCLE_DAILY, "2025-12-31", &p);
	for (i = 0; i <= 365; i++) {
		t = period_run_time(&p, &when);
		ck_assert_ptr_nonnull(localtime_r(&t, &tm));
		ck_assert_msg(tm.tm_year + 1900 == y && tm.tm_mon + 1 == m &&
		    tm.tm_mday == d && tm.tm_hour == 8 && tm.tm_min == 0 &&
		    tm.tm_sec == 0, "%s %04d-%02d-%02d runs at "
		    "%04d-%02d-%02d %02d:%02d:%02d", tz, y, m, d,
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		if (i > 0) {
			ck_assert_int_eq(t - prev,
			    86400L - (tm.tm_gmtoff - prev_off));
			nshort += t - prev == 23 * 3600;
			nlong += t - prev == 25 * 3600;
		}
		prev = t;
		prev_off = tm.tm_gmtoff;
		period_step(&p, 1);
		oracle_next_day(&y, &m, &d);
	}
	ck_assert_int_eq(nshort, daily_zones[_i].short_days);
	ck_assert_int_eq(nlong, daily_zones[_i].long_days);
}
END_TEST

/*
 * A daily time that the spring change skips (02:30 on 2026-03-29 in
 * Berlin) is still an instant of that day, moved on past the gap.
 */
START_TEST(test_run_skipped_time)
{
	const struct config_when	 when = { 0, 2, 30 };
	const struct instant		 gap_end = { 2026, 3, 29, 3, 0, 0, 120 };
	const struct instant		 moved = { 2026, 3, 29, 3, 30, 0, 120 };
	struct period			 p, prev, next, due;
	time_t				 t, since, until;
	char				 buf[PERIOD_NAME_LEN], day[TEXT_LEN];

	use_tz(BERLIN);
	parse_ok(CYCLE_DAILY, "2026-03-29", &p);
	t = period_run_time(&p, &when);
	ck_assert_msg(t != (time_t)-1, "02:30 on 2026-03-29 gave -1");
	ck_assert_str_eq(local_day(t, day, sizeof(day)), "2026-03-29");
	ck_assert_msg(t >= instant_time(&gap_end) &&
	    t <= instant_time(&moved), "02:30 on 2026-03-29 gave %lld",
	    (long long)t);

	/* The windows either side meet at it. */
	period_window(&p, &when, &since, &until);
	ck_assert_int_eq(until, t);
	prev = p;
	period_step(&prev, -1);
	ck_assert_int_eq(since, period_run_time(&prev, &when));
	next = p;
	period_step(&next, 1);
	period_window(&next, &when, &since, &until);
	ck_assert_int_eq(since, t);

	/* It is due at it, and not a second before. */
	period_latest_due(CYCLE_DAILY, &when, t, &due);
	ck_assert_str_eq(period_name(&due, buf, sizeof(buf)), "2026-03-29");
	period_latest_due(CYCLE_DAILY, &when, t - 1, &due);
	ck_assert_str_eq(period_name(&due, buf, sizeof(buf)), "2026-03-28");
}
END_TEST

/* A daily time that the autumn change repeats is 02:30 on that day. */
START_TEST(test_run_repeated_time)
{
	const struct config_when	 when = { 0, 2, 30 };
	struct period			 p, due;
	struct tm			 tm;
	time_t				 t;
	char				 buf[PERIOD_NAME_LEN];

	use_tz(BERLIN);
	parse_ok(CYCLE_DAILY, "2026-10-25", &p);
	t = period_run_time(&p, &when);
	ck_assert_ptr_nonnull(localtime_r(&t, &tm));
	ck_assert_int_eq(tm.tm_mday, 25);
	ck_assert_int_eq(tm.tm_hour, 2);
	ck_assert_int_eq(tm.tm_min, 30);
	period_latest_due(CYCLE_DAILY, &when, t, &due);
	ck_assert_str_eq(period_name(&due, buf, sizeof(buf)), "2026-10-25");
	period_latest_due(CYCLE_DAILY, &when, t - 1, &due);
	ck_assert_str_eq(period_name(&due, buf, sizeof(buf)), "2026-10-24");
}
END_TEST

/* --- windows -------------------------------------------------------------- */

struct window_case {
	const char		*tz;
	enum cycle_kind		 kind;
	const char		*name;
	struct config_when	 when;
	struct instant		 since, until;
	int			 hours;
};

static const struct window_case window_cases[] = {
	{ SHANGHAI, CYCLE_DAILY, "2026-11-24", DAILY_0800,
	    { 2026, 11, 23, 8, 0, 0, 480 }, { 2026, 11, 24, 8, 0, 0, 480 },
	    24 },
	{ SHANGHAI, CYCLE_DAILY, "2027-01-01", DAILY_0800,
	    { 2026, 12, 31, 8, 0, 0, 480 }, { 2027, 1, 1, 8, 0, 0, 480 },
	    24 },
	{ SHANGHAI, CYCLE_DAILY, "2024-03-01", { 0, 17, 45 },
	    { 2024, 2, 29, 17, 45, 0, 480 }, { 2024, 3, 1, 17, 45, 0, 480 },
	    24 },
	{ BERLIN, CYCLE_DAILY, "2026-03-29", DAILY_0800,
	    { 2026, 3, 28, 8, 0, 0, 60 }, { 2026, 3, 29, 8, 0, 0, 120 }, 23 },
	{ BERLIN, CYCLE_DAILY, "2026-03-30", DAILY_0800,
	    { 2026, 3, 29, 8, 0, 0, 120 }, { 2026, 3, 30, 8, 0, 0, 120 },
	    24 },
	{ BERLIN, CYCLE_DAILY, "2026-10-25", DAILY_0800,
	    { 2026, 10, 24, 8, 0, 0, 120 }, { 2026, 10, 25, 8, 0, 0, 60 },
	    25 },
	{ BERLIN, CYCLE_DAILY, "2026-10-26", DAILY_0800,
	    { 2026, 10, 25, 8, 0, 0, 60 }, { 2026, 10, 26, 8, 0, 0, 60 },
	    24 },
	{ NEW_YORK, CYCLE_DAILY, "2026-03-08", DAILY_0800,
	    { 2026, 3, 7, 8, 0, 0, -300 }, { 2026, 3, 8, 8, 0, 0, -240 },
	    23 },
	{ NEW_YORK, CYCLE_DAILY, "2026-11-01", DAILY_0800,
	    { 2026, 10, 31, 8, 0, 0, -240 }, { 2026, 11, 1, 8, 0, 0, -300 },
	    25 },
	{ UTC, CYCLE_DAILY, "2026-11-24", DAILY_0800,
	    { 2026, 11, 23, 8, 0, 0, 0 }, { 2026, 11, 24, 8, 0, 0, 0 }, 24 },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W48", WEEKLY_MON_0830,
	    { 2026, 11, 23, 0, 0, 0, 480 }, { 2026, 11, 30, 0, 0, 0, 480 },
	    168 },
	{ SHANGHAI, CYCLE_WEEKLY, "2026-W53", { 3, 12, 0 },
	    { 2026, 12, 28, 0, 0, 0, 480 }, { 2027, 1, 4, 0, 0, 0, 480 },
	    168 },
	{ BERLIN, CYCLE_WEEKLY, "2026-W13", WEEKLY_MON_0830,
	    { 2026, 3, 23, 0, 0, 0, 60 }, { 2026, 3, 30, 0, 0, 0, 120 },
	    167 },
	{ SHANGHAI, CYCLE_MONTHLY, "2026-11", MONTHLY_1_0900,
	    { 2026, 11, 1, 0, 0, 0, 480 }, { 2026, 12, 1, 0, 0, 0, 480 },
	    720 },
	{ BERLIN, CYCLE_MONTHLY, "2026-10", { 28, 9, 0 },
	    { 2026, 10, 1, 0, 0, 0, 120 }, { 2026, 11, 1, 0, 0, 0, 60 },
	    745 },
	{ UTC, CYCLE_MONTHLY, "2026-12", MONTHLY_1_0900,
	    { 2026, 12, 1, 0, 0, 0, 0 }, { 2027, 1, 1, 0, 0, 0, 0 }, 744 },
};

/* period_window(): a day's runs apart; a week's or month's bounds. */
START_TEST(test_period_window)
{
	const struct window_case	*c = &window_cases[_i];
	struct period			 p, prev;
	time_t				 since = 0, until = 0, start, end;
	char				 what[64];

	use_tz(c->tz);
	parse_ok(c->kind, c->name, &p);
	period_window(&p, &c->when, &since, &until);
	snprintf(what, sizeof(what), "%s window of %s since", c->tz,
	    c->name);
	check_instant(since, &c->since, what);
	snprintf(what, sizeof(what), "%s window of %s until", c->tz,
	    c->name);
	check_instant(until, &c->until, what);
	ck_assert_int_eq(until - since, c->hours * 3600L);
	if (c->kind == CYCLE_DAILY) {
		prev = p;
		period_step(&prev, -1);
		ck_assert_int_eq(since, period_run_time(&prev, &c->when));
		ck_assert_int_eq(until, period_run_time(&p, &c->when));
	} else {
		period_bounds(&p, &start, &end);
		ck_assert_int_eq(since, start);
		ck_assert_int_eq(until, end);
	}
}
END_TEST

/* --- the latest period due ------------------------------------------------ */

struct due_case {
	const char		*tz;
	enum cycle_kind		 kind;
	struct config_when	 when;
	struct instant		 now;
	const char		*due;
};

static const struct due_case due_cases[] = {
	/* Daily at 08:00. */
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 7, 59, 59, 480 }, "2026-11-23" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 8, 0, 0, 480 }, "2026-11-24" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 8, 0, 1, 480 }, "2026-11-24" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 23, 59, 59, 480 }, "2026-11-24" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 25, 0, 0, 0, 480 }, "2026-11-24" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 0, 0, 0, 480 }, "2026-11-23" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2027, 1, 1, 7, 59, 59, 480 }, "2026-12-31" },
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2024, 3, 1, 7, 0, 0, 480 }, "2024-02-29" },
	/* One instant, 2026-11-24 00:30 UTC, in two zones. */
	{ SHANGHAI, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 8, 30, 0, 480 }, "2026-11-24" },
	{ UTC, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 0, 30, 0, 0 }, "2026-11-23" },
	/* Weekly on Monday at 08:30. */
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 29, 59, 480 }, "2026-W47" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 30, 0, 480 }, "2026-W48" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 29, 12, 0, 0, 480 }, "2026-W47" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 29, 23, 59, 59, 480 }, "2026-W47" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 12, 1, 0, 0, 0, 480 }, "2026-W48" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 12, 6, 23, 59, 59, 480 }, "2026-W48" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2027, 1, 3, 12, 0, 0, 480 }, "2026-W52" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2027, 1, 4, 8, 29, 59, 480 }, "2026-W52" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2027, 1, 4, 8, 30, 0, 480 }, "2026-W53" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2027, 1, 11, 8, 30, 0, 480 }, "2027-W01" },
	{ SHANGHAI, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2021, 1, 4, 8, 30, 0, 480 }, "2020-W53" },
	/* Weekly on Wednesday at 08:30. */
	{ SHANGHAI, CYCLE_WEEKLY, { 3, 8, 30 },
	    { 2026, 11, 30, 9, 0, 0, 480 }, "2026-W47" },
	{ SHANGHAI, CYCLE_WEEKLY, { 3, 8, 30 },
	    { 2026, 12, 2, 8, 29, 59, 480 }, "2026-W47" },
	{ SHANGHAI, CYCLE_WEEKLY, { 3, 8, 30 },
	    { 2026, 12, 2, 8, 30, 0, 480 }, "2026-W48" },
	/* Weekly on Sunday at 23:59. */
	{ SHANGHAI, CYCLE_WEEKLY, { 7, 23, 59 },
	    { 2026, 12, 6, 23, 58, 59, 480 }, "2026-W47" },
	{ SHANGHAI, CYCLE_WEEKLY, { 7, 23, 59 },
	    { 2026, 12, 6, 23, 59, 0, 480 }, "2026-W48" },
	/* Monthly on the 1st at 09:00. */
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 12, 1, 8, 59, 0, 480 }, "2026-10" },
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 12, 1, 8, 59, 59, 480 }, "2026-10" },
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 12, 1, 9, 0, 0, 480 }, "2026-11" },
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 12, 31, 23, 59, 59, 480 }, "2026-11" },
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2027, 1, 1, 8, 59, 59, 480 }, "2026-11" },
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2027, 1, 1, 9, 0, 0, 480 }, "2026-12" },
	{ SHANGHAI, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 11, 20, 12, 0, 0, 480 }, "2026-10" },
	/* Monthly on the 28th at 09:00. */
	{ SHANGHAI, CYCLE_MONTHLY, { 28, 9, 0 },
	    { 2026, 3, 27, 12, 0, 0, 480 }, "2026-01" },
	{ SHANGHAI, CYCLE_MONTHLY, { 28, 9, 0 },
	    { 2026, 3, 28, 9, 0, 0, 480 }, "2026-02" },
	/* Berlin, on and around both DST changes. */
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 3, 29, 7, 59, 59, 120 }, "2026-03-28" },
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 3, 29, 8, 0, 0, 120 }, "2026-03-29" },
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 3, 29, 1, 59, 59, 60 }, "2026-03-28" },
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 10, 25, 7, 59, 59, 60 }, "2026-10-24" },
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 10, 25, 8, 0, 0, 60 }, "2026-10-25" },
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 10, 25, 2, 30, 0, 120 }, "2026-10-24" },
	{ BERLIN, CYCLE_DAILY, DAILY_0800,
	    { 2026, 10, 25, 2, 30, 0, 60 }, "2026-10-24" },
	{ BERLIN, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 3, 30, 8, 29, 59, 120 }, "2026-W12" },
	{ BERLIN, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 3, 30, 8, 30, 0, 120 }, "2026-W13" },
	{ BERLIN, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 30, 0, 60 }, "2026-W48" },
	{ BERLIN, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 4, 1, 8, 59, 59, 120 }, "2026-02" },
	{ BERLIN, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 4, 1, 9, 0, 0, 120 }, "2026-03" },
	{ BERLIN, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2027, 1, 1, 9, 0, 0, 60 }, "2026-12" },
	/* UTC. */
	{ UTC, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 7, 59, 59, 0 }, "2026-11-23" },
	{ UTC, CYCLE_DAILY, DAILY_0800,
	    { 2026, 11, 24, 8, 0, 0, 0 }, "2026-11-24" },
	{ UTC, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 29, 59, 0 }, "2026-W47" },
	{ UTC, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 30, 8, 30, 0, 0 }, "2026-W48" },
	{ UTC, CYCLE_WEEKLY, WEEKLY_MON_0830,
	    { 2026, 11, 29, 12, 0, 0, 0 }, "2026-W47" },
	{ UTC, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 12, 1, 8, 59, 0, 0 }, "2026-10" },
	{ UTC, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2026, 12, 1, 9, 0, 0, 0 }, "2026-11" },
	{ UTC, CYCLE_MONTHLY, MONTHLY_1_0900,
	    { 2027, 1, 1, 9, 0, 0, 0 }, "2026-12" },
};

/* period_latest_due() at and around the scheduled minute. */
START_TEST(test_period_latest_due)
{
	const struct due_case	*c = &due_cases[_i];
	struct period		 p;
	char			 buf[PERIOD_NAME_LEN];

	use_tz(c->tz);
	memset(&p, 0x5a, sizeof(p));
	period_latest_due(c->kind, &c->when, instant_time(&c->now), &p);
	ck_assert_int_eq(p.kind, c->kind);
	ck_assert_msg(strcmp(period_name(&p, buf, sizeof(buf)), c->due) == 0,
	    "%s %s due at %04d-%02d-%02d %02d:%02d:%02d %+d min: %s, "
	    "expected %s", c->tz, cycle_kind_name(c->kind), c->now.y,
	    c->now.mo, c->now.d, c->now.h, c->now.mi, c->now.s, c->now.off,
	    buf, c->due);
}
END_TEST

static const struct {
	enum cycle_kind		 kind;
	struct config_when	 when;
} sweep_whens[] = {
	{ CYCLE_DAILY, DAILY_0800 },
	{ CYCLE_DAILY, { 0, 0, 0 } },
	{ CYCLE_DAILY, { 0, 2, 30 } },
	{ CYCLE_DAILY, { 0, 23, 59 } },
	{ CYCLE_WEEKLY, WEEKLY_MON_0830 },
	{ CYCLE_WEEKLY, { 3, 0, 0 } },
	{ CYCLE_WEEKLY, { 7, 23, 59 } },
	{ CYCLE_MONTHLY, MONTHLY_1_0900 },
	{ CYCLE_MONTHLY, { 1, 0, 0 } },
	{ CYCLE_MONTHLY, { 28, 23, 59 } },
};

/*
 * For every period from 2025-12 into 2027-01, in each zone and for each
 * schedule: at its run time it is the latest due, a second before it
 * the one before is, and run times only go forward.
 */
START_TEST(test_latest_due_sweep)
{
	static const char *const first[CYCLE__MAX] = {
		"2025-12-01", "2025-W49", "2025-12"
	};
	const struct config_when	*when = &sweep_whens[_i].when;
	enum cycle_kind			 kind = sweep_whens[_i].kind;
	struct period			 p, prev, due;
	time_t				 t, last;
	char				 name[PERIOD_NAME_LEN];
	char				 pname[PERIOD_NAME_LEN];
	char				 got[PERIOD_NAME_LEN];
	size_t				 z;

	for (z = 0; z < NELEM(sweep_zones); z++) {
		use_tz(sweep_zones[z]);
		parse_ok(kind, first[kind], &p);
		prev = p;
		period_step(&prev, -1);
		last = period_run_time(&prev, when);
		while (p.year < 2027 || (kind == CYCLE_WEEKLY ? p.week < 5 :
		    p.month < 2)) {
			t = period_run_time(&p, when);
			period_name(&p, name, sizeof(name));
			period_name(&prev, pname, sizeof(pname));
			ck_assert_msg(t != (time_t)-1 && t > last,
			    "%s %s: %s runs at %lld, %s at %lld",
			    sweep_zones[z], cycle_kind_name(kind), name,
			    (long long)t, pname, (long long)last);
			period_latest_due(kind, when, t, &due);
			period_name(&due, got, sizeof(got));
			ck_assert_msg(strcmp(got, name) == 0,
			    "%s %s: at the run of %s, %s is due",
			    sweep_zones[z], cycle_kind_name(kind), name, got);
			period_latest_due(kind, when, t - 1, &due);
			period_name(&due, got, sizeof(got));
			ck_assert_msg(strcmp(got, pname) == 0,
			    "%s %s: a second before the run of %s, %s is due",
			    sweep_zones[z], cycle_kind_name(kind), name, got);
			last = t;
			prev = p;
			period_step(&p, 1);
		}
	}
}
END_TEST

/* --- kinds ---------------------------------------------------------------- */

static const struct {
	const char	*name;
	int		 kind;
} kind_cases[] = {
	{ "daily", CYCLE_DAILY },
	{ "weekly", CYCLE_WEEKLY },
	{ "monthly", CYCLE_MONTHLY },
	{ "", -1 },
	{ "Daily", -1 },
	{ "WEEKLY", -1 },
	{ "day", -1 },
	{ "week", -1 },
	{ "month", -1 },
	{ "yearly", -1 },
	{ "dailyx", -1 },
	{ "daily ", -1 },
	{ " daily", -1 },
	{ "d", -1 },
};

/* cycle_kind_parse(), and cycle_kind_name() back for the known ones. */
START_TEST(test_cycle_kind)
{
	const char	*name = kind_cases[_i].name;
	int		 kind;

	kind = cycle_kind_parse(name);
	ck_assert_msg(kind == kind_cases[_i].kind,
	    "cycle_kind_parse(\"%s\") = %d, expected %d", name, kind,
	    kind_cases[_i].kind);
	if (kind >= 0)
		ck_assert_str_eq(cycle_kind_name(kind), name);
}
END_TEST

/* cycle_kind_name() has no name for what is not a kind. */
START_TEST(test_cycle_kind_name_unknown)
{
	ck_assert_ptr_null(cycle_kind_name(CYCLE__MAX));
	ck_assert_ptr_null(cycle_kind_name((enum cycle_kind)-1));
	ck_assert_ptr_null(cycle_kind_name((enum cycle_kind)100));
}
END_TEST

static Suite *
period_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("period");

	tc = tcase_create("iso_week");
	tcase_add_loop_test(tc, test_iso_week, 0, NELEM(iso_cases));
	tcase_add_loop_test(tc, test_iso_weeks_in_year, 0,
	    NELEM(weeks_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("name");
	tcase_add_loop_test(tc, test_period_round_trip, 0,
	    NELEM(name_cases));
	tcase_add_loop_test(tc, test_period_refuse, 0, NELEM(refuse_cases));
	tcase_add_test(tc, test_period_name_short);
	tcase_add_loop_test(tc, test_cycle_kind, 0, NELEM(kind_cases));
	tcase_add_test(tc, test_cycle_kind_name_unknown);
	suite_add_tcase(s, tc);

	tc = tcase_create("step");
	tcase_add_loop_test(tc, test_period_step, 0, NELEM(step_cases));
	tcase_add_test(tc, test_step_walk_daily);
	tcase_add_test(tc, test_step_walk_weekly);
	tcase_add_test(tc, test_step_walk_monthly);
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds");
	tcase_add_loop_test(tc, test_period_bounds, 0, NELEM(bounds_cases));
	tcase_add_loop_test(tc, test_bounds_sweep, 0, NELEM(sweep_zones));
	suite_add_tcase(s, tc);

	tc = tcase_create("run_time");
	tcase_add_loop_test(tc, test_period_run_time, 0, NELEM(run_cases));
	tcase_add_loop_test(tc, test_run_daily_sweep, 0,
	    NELEM(daily_zones));
	tcase_add_test(tc, test_run_skipped_time);
	tcase_add_test(tc, test_run_repeated_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("window");
	tcase_add_loop_test(tc, test_period_window, 0, NELEM(window_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("latest_due");
	tcase_add_loop_test(tc, test_period_latest_due, 0, NELEM(due_cases));
	tcase_add_loop_test(tc, test_latest_due_sweep, 0,
	    NELEM(sweep_whens));
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(period_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
