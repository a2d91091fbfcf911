/*
 * The periods of the cycle: days, ISO weeks and months.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "period.h"
#include "wire.h"

const char *
cycle_kind_name(enum cycle_kind k)
{
	return (unsigned)k < CYCLE__MAX ? wire_cycles[k] : NULL;
}

int
cycle_kind_parse(const char *s)
{
	return wire_find(wire_cycles, s);
}

/* Reads exactly n digits.  Returns the number, or -1. */
static int
digits(const char *s, int n)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
period_parse(enum cycle_kind kind, const char *s, struct period *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	switch (kind) {
	case CYCLE_DAILY:
		return date_parse(s, &p->year, &p->month, &p->day);
	case CYCLE_WEEKLY:
		if (strlen(s) != 8 || s[4] != '-' || s[5] != 'W' ||
		    (p->year = digits(s, 4)) < 1900 ||
		    (p->week = digits(s + 6, 2)) < 1 ||
		    p->week > date_iso_weeks_in_year(p->year))
			return -1;
		return 0;
	case CYCLE_MONTHLY:
		if (strlen(s) != 7 || s[4] != '-' ||
		    (p->year = digits(s, 4)) < 1900 ||
		    (p->month = digits(s + 5, 2)) < 1 || p->month > 12)
			return -1;
		return 0;
	default:
		return -1;
	}
}

char *
period_name(const struct period *p, char *buf, size_t len)
{
	switch (p->kind) {
	case CYCLE_DAILY:
		snprintf(buf, len, "%04d-%02d-%02d", p->year, p->month,
		    p->day);
		break;
	case CYCLE_WEEKLY:
		snprintf(buf, len, "%04d-W%02d", p->year, p->week);
		break;
	default:
		snprintf(buf, len, "%04d-%02d", p->year, p->month);
		break;
	}
	return buf;
}

/* The first civil day of p. */
static long
period_first_day(const struct period *p)
{
	switch (p->kind) {
	case CYCLE_DAILY:
		return date_days_from_civil(p->year, p->month, p->day);
	case CYCLE_WEEKLY:
		return date_iso_week_monday(p->year, p->week);
	default:
		return date_days_from_civil(p->year, p->month, 1);
	}
}

void
period_of_date(enum cycle_kind kind, int year, int month, int day,
    struct period *p)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	switch (kind) {
	case CYCLE_DAILY:
		p->year = year;
		p->month = month;
		p->day = day;
		break;
	case CYCLE_WEEKLY:
		date_iso_week(year, month, day, &p->year, &p->week);
		break;
	default:
		p->year = year;
		p->month = month;
		break;
	}
}

void
period_step(struct period *p, int n)
{
	long	days;
	int	y, m, d, months;

	switch (p->kind) {
	case CYCLE_DAILY:
	case CYCLE_WEEKLY:
		days = period_first_day(p) +
		    (long)n * (p->kind == CYCLE_DAILY ? 1 : 7);
		date_civil_from_days(days, &y, &m, &d);
		period_of_date(p->kind, y, m, d, p);
		break;
	default:
		months = p->year * 12 + (p->month - 1) + n;
		p->year = months / 12;
		p->month = months % 12 + 1;
		break;
	}
}

/* The local midnight that starts a civil day. */
static time_t
midnight(long days)
{
	int	y, m, d;

	date_civil_from_days(days, &y, &m, &d);
	return date_local_time(y, m, d, 0, 0);
}

void
period_bounds(const struct period *p, time_t *start, time_t *end)
{
	struct period	next = *p;

	period_step(&next, 1);
	*start = midnight(period_first_day(p));
	*end = midnight(period_first_day(&next));
}

time_t
period_run_time(const struct period *p, const struct config_when *when)
{
	struct period	next = *p;
	long		days;
	int		y, m, d;

	if (p->kind == CYCLE_DAILY)
		days = period_first_day(p);
	else {
		period_step(&next, 1);
		days = period_first_day(&next) + (when->day - 1);
	}
	date_civil_from_days(days, &y, &m, &d);
	return date_local_time(y, m, d, when->hour, when->minute);
}

void
period_window(const struct period *p, const struct config_when *when,
    time_t *since, time_t *until)
{
	struct period	prev = *p;

	if (p->kind != CYCLE_DAILY) {
		period_bounds(p, since, until);
		return;
	}
	period_step(&prev, -1);
	*since = period_run_time(&prev, when);
	*until = period_run_time(p, when);
}

void
period_latest_due(enum cycle_kind kind, const struct config_when *when,
    time_t now, struct period *p)
{
	int	y, m, d;

	date_local_civil(now, &y, &m, &d);
	period_of_date(kind, y, m, d, p);
	/* A week's or a month's run falls in the period after it. */
	if (kind != CYCLE_DAILY)
		period_step(p, -1);
	if (period_run_time(p, when) > now)
		period_step(p, -1);
}
