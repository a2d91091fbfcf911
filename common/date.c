/*
 * Calendar dates and instants, in the process's time zone (TZ).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int
date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
date_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && date_is_leap(year))
		return 29;
	return days[month - 1];
}

/* Reads exactly n digits at s.  Returns the number, or -1. */
static int
digits(const char *s, int n)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parses "YYYY-MM-DD" at s without looking past it. */
static int
date_parse_prefix(const char *s, int *y, int *m, int *d)
{
	if ((*y = digits(s, 4)) < 1900 || s[4] != '-' ||
	    (*m = digits(s + 5, 2)) < 1 || *m > 12 || s[7] != '-' ||
	    (*d = digits(s + 8, 2)) < 1 || *d > date_days_in_month(*y, *m))
		return -1;
	return 0;
}

int
date_parse(const char *s, int *year, int *month, int *day)
{
	int	y, m, d;

	if (strlen(s) != 10 || date_parse_prefix(s, &y, &m, &d) == -1)
		return -1;
	if (year != NULL)
		*year = y;
	if (month != NULL)
		*month = m;
	if (day != NULL)
		*day = d;
	return 0;
}

/* Reads one or two digits at *s, moving past them.  Returns -1 if none. */
static int
short_number(const char **s)
{
	int	v;

	if (!isdigit((unsigned char)**s))
		return -1;
	v = *(*s)++ - '0';
	if (isdigit((unsigned char)**s))
		v = v * 10 + (*(*s)++ - '0');
	return v;
}

int
date_normalise(const char *s, char out[DATE_LEN])
{
	int	y, m, d;
	char	sep, buf[32];

	if ((y = digits(s, 4)) < 1900 || (s[4] != '-' && s[4] != '/'))
		return -1;
	sep = s[4];
	s += 5;
	if ((m = short_number(&s)) < 1 || m > 12 || *s++ != sep ||
	    (d = short_number(&s)) < 1 || d > date_days_in_month(y, m) ||
	    *s != '\0')
		return -1;
	/* y has four digits: the text has ten characters. */
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, DATE_LEN);
	return 0;
}

/* Howard Hinnant's days_from_civil. */
long
date_days_from_civil(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days. */
void
date_civil_from_days(long z, int *year, int *month, int *day)
{
	long	era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
}

int
date_weekday(int year, int month, int day)
{
	long	days = date_days_from_civil(year, month, day);

	/* 1970-01-01 was a Thursday (4). */
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

void
date_iso_week(int year, int month, int day, int *iso_year, int *week)
{
	long	days, thursday;
	int	ty, tm, td;

	days = date_days_from_civil(year, month, day);
	/* The Thursday of the week decides its year. */
	thursday = days - (date_weekday(year, month, day) - 1) + 3;
	date_civil_from_days(thursday, &ty, &tm, &td);
	*iso_year = ty;
	*week = (int)((thursday - date_days_from_civil(ty, 1, 1)) / 7) + 1;
}

int
date_iso_weeks_in_year(int iso_year)
{
	int	y, w;

	/* December 28 is always in the last week of its ISO year. */
	date_iso_week(iso_year, 12, 28, &y, &w);
	return w;
}

long
date_iso_week_monday(int iso_year, int week)
{
	long	jan4 = date_days_from_civil(iso_year, 1, 4);

	/* January 4 is always in week 1. */
	return jan4 - (date_weekday(iso_year, 1, 4) - 1) + (week - 1) * 7L;
}

time_t
date_local_time(int year, int month, int day, int hour, int minute)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

void
date_local_civil(time_t t, int *year, int *month, int *day)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
	*day = tm.tm_mday;
}

char *
date_local(char *buf, size_t len, time_t t)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
	return buf;
}

int
date_local_start(const char *s, int days, time_t *out)
{
	int	y, m, d;
	time_t	t;

	if (date_parse(s, &y, &m, &d) == -1)
		return -1;
	/* mktime() carries a day past the month's end into the next. */
	if ((t = date_local_time(y, m, d + days, 0, 0)) == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

char *
date_rfc3339(char *buf, size_t len, time_t t)
{
	struct tm	tm;
	char		tz[8];
	long		off, r;

	localtime_r(&t, &tm);
	/*
	 * Local mean time (before 1901 in Asia/Shanghai: +08:05:43) has an
	 * offset with seconds, which RFC 3339 cannot write: "+08:05" would
	 * read back 43 seconds off.  The offset is rounded up to the minute
	 * and the wall clock moved with it: the same instant, never on the
	 * day before the local one (1900-01-01 stays a date that parses).
	 */
	if ((r = tm.tm_gmtoff % 60) != 0) {
		off = tm.tm_gmtoff + (r > 0 ? 60 - r : -r);
		t += off;
		gmtime_r(&t, &tm);
		/* Offsets are less than a day. */
		snprintf(tz, sizeof(tz), "%c%02d%02d", off < 0 ? '-' : '+',
		    (int)(labs(off) / 3600 % 24), (int)(labs(off) / 60 % 60));
	} else
		strftime(tz, sizeof(tz), "%z", &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%.3s:%.2s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tz, tz + 3);
	return buf;
}

int
date_parse_rfc3339(const char *s, time_t *out)
{
	int	y, m, d, hh, mm, ss, oh, om, sign;
	long	secs;

	if (strlen(s) < 20 || date_parse_prefix(s, &y, &m, &d) == -1 ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    (hh = digits(s + 11, 2)) < 0 || hh > 23 || s[13] != ':' ||
	    (mm = digits(s + 14, 2)) < 0 || mm > 59 || s[16] != ':' ||
	    (ss = digits(s + 17, 2)) < 0 || ss > 60)
		return -1;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		oh = om = sign = 0;
	else if ((*s == '+' || *s == '-') && strlen(s) == 6 &&
	    (oh = digits(s + 1, 2)) >= 0 && oh <= 23 && s[3] == ':' &&
	    (om = digits(s + 4, 2)) >= 0 && om <= 59)
		sign = *s == '-' ? -1 : 1;
	else
		return -1;
	secs = date_days_from_civil(y, m, d) * 86400L + hh * 3600L +
	    mm * 60L + ss;
	secs -= sign * (oh * 3600L + om * 60L);
	*out = (time_t)secs;
	return 0;
}

void
date_add_days(const char *s, long n, char out[DATE_LEN])
{
	int	y, m, d;

	if (date_parse(s, &y, &m, &d) == -1) {
		snprintf(out, DATE_LEN, "%s", s);
		return;
	}
	date_civil_from_days(date_days_from_civil(y, m, d) + n, &y, &m, &d);
	snprintf(out, DATE_LEN, "%04d-%02d-%02d", y, m, d);
}
