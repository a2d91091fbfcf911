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
	struct tm	tm;
	int		y, m, d;
	time_t		t;

	if (date_parse(s, &y, &m, &d) == -1)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	*out = t;
	return 0;
}

char *
date_rfc3339(char *buf, size_t len, time_t t)
{
	struct tm	tm;
	char		tz[8];

	localtime_r(&t, &tm);
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
