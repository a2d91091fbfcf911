/*
 * Period names and dates: date_parse, date_parse_rfc3339 and
 * date_local_start (common/date.c), cycle_kind_parse and period_parse
 * (daemon/period.c).  What parses is written the one way and parses
 * again to the same value; a period's neighbours, bounds and days agree.
 */
#include "date.h"
#include "period.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_timezone();
	return 0;
}

static void
fuzz_calendar(const char *s)
{
	char	buf[64];
	long	days;
	int	y, m, d, y2, m2, d2, iy, w, wd;
	time_t	t, t2;

	if (date_parse(s, &y, &m, &d) == -1)
		return;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	FUZZ_CHECK(strcmp(buf, s) == 0);
	days = date_days_from_civil(y, m, d);
	date_civil_from_days(days, &y2, &m2, &d2);
	FUZZ_CHECK(y == y2 && m == m2 && d == d2);
	date_civil_from_days(days + 1, &y2, &m2, &d2);
	FUZZ_CHECK(d2 == d + 1 || (d2 == 1 && d == date_days_in_month(y, m)));
	wd = date_weekday(y, m, d);
	FUZZ_CHECK(wd >= 1 && wd <= 7);
	date_iso_week(y, m, d, &iy, &w);
	FUZZ_CHECK(iy >= y - 1 && iy <= y + 1);
	FUZZ_CHECK(w >= 1 && w <= date_iso_weeks_in_year(iy));
	FUZZ_CHECK(date_iso_week_monday(iy, w) + wd - 1 == days);

	/* The local day starts on that day, and the next one after it. */
	FUZZ_CHECK(date_local_start(s, 0, &t) == 0);
	FUZZ_CHECK(date_local_start(s, 1, &t2) == 0);
	FUZZ_CHECK(t < t2);
	date_local(buf, sizeof(buf), t);
	FUZZ_CHECK(strcmp(buf, s) == 0);
}

static void
fuzz_instant(const char *s)
{
	char	buf[RFC3339_LEN + 8];
	time_t	t, t2;
	int	y, m, d;

	if (date_parse_rfc3339(s, &t) == -1)
		return;
	/*
	 * An instant whose local date is outside 1900-9999 (9999-12-31T
	 * 23:59:59Z in Shanghai) has no form that parses: not written.
	 */
	date_local_civil(t, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return;
	date_rfc3339(buf, sizeof(buf), t);
	if (date_parse_rfc3339(buf, &t2) != 0 || t2 != t)
		fprintf(stderr, "%s -> %s\n", s, buf);
	FUZZ_CHECK(date_parse_rfc3339(buf, &t2) == 0);
	FUZZ_CHECK(t2 == t);
}

/* A period that parses: its name, neighbours, bounds and days. */
static void
check_period(const struct period *p, const char *s)
{
	struct period	q, r;
	char		buf[PERIOD_NAME_LEN];
	time_t		start, end, start2, end2;
	int		y, m, d;

	period_name(p, buf, sizeof(buf));
	FUZZ_CHECK(strcmp(buf, s) == 0);
	FUZZ_CHECK(period_parse(p->kind, buf, &q) == 0);
	FUZZ_CHECK(memcmp(p, &q, sizeof(q)) == 0);

	q = *p;
	period_step(&q, 1);
	period_step(&q, -1);
	FUZZ_CHECK(memcmp(p, &q, sizeof(q)) == 0);

	period_bounds(p, &start, &end);
	FUZZ_CHECK(start < end);
	/* The period holds its first day, and the next one begins at end. */
	date_local_civil(start, &y, &m, &d);
	period_of_date(p->kind, y, m, d, &r);
	FUZZ_CHECK(memcmp(p, &r, sizeof(r)) == 0);
	q = *p;
	period_step(&q, 1);
	period_bounds(&q, &start2, &end2);
	FUZZ_CHECK(start2 == end && end2 > start2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct period	 p;
	char		*s = fuzz_string(data, len);
	int		 k;

	fuzz_calendar(s);
	fuzz_instant(s);
	if ((k = cycle_kind_parse(s)) != -1)
		FUZZ_CHECK(strcmp(cycle_kind_name(k), s) == 0);
	for (k = 0; k < CYCLE__MAX; k++)
		if (period_parse(k, s, &p) == 0)
			check_period(&p, s);
	free(s);
	return 0;
}
