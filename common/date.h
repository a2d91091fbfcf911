/*
 * Calendar dates and instants, in the process's time zone (TZ).
 */
#ifndef HAZARD_DATE_H
#define HAZARD_DATE_H

#include <stddef.h>
#include <time.h>

/* "YYYY-MM-DD" and its NUL. */
#define DATE_LEN	11
/* "YYYY-MM-DDTHH:MM:SS+hh:mm" and its NUL. */
#define RFC3339_LEN	26

/*
 * Parses a real calendar date "YYYY-MM-DD" (years 1900-9999; leap days
 * only in leap years).  Returns 0 and fills what is not NULL, or -1.
 */
int	date_parse(const char *s, int *year, int *month, int *day);

/*
 * Reads a calendar date as people write it, "2026-12-01", "2026-12-1",
 * "2026/12/01" or "2026/12/1" (a year of four digits, a month and a day
 * of one or two, one separator throughout), into out as "YYYY-MM-DD".
 * Returns 0, or -1 if s is no such date.
 */
int	date_normalise(const char *s, char out[DATE_LEN]);

/* Returns 1 if year is a Gregorian leap year. */
int	date_is_leap(int year);

/* Days in the month (1-12) of year. */
int	date_days_in_month(int year, int month);

/* Days since 1970-01-01 of a civil date; may be negative. */
long	date_days_from_civil(int year, int month, int day);

/* The civil date of a count of days since 1970-01-01. */
void	date_civil_from_days(long days, int *year, int *month, int *day);

/*
 * Writes the date n days after (or before) date s, "YYYY-MM-DD"; s as
 * it is if it is not a date.
 */
void	date_add_days(const char *s, long n, char out[DATE_LEN]);

/* The day of the week, 1 (Monday) to 7 (Sunday). */
int	date_weekday(int year, int month, int day);

/* The ISO 8601 week of a date: its week-numbering year and week. */
void	date_iso_week(int year, int month, int day, int *iso_year,
	    int *week);

/* Weeks in an ISO week-numbering year: 52 or 53. */
int	date_iso_weeks_in_year(int iso_year);

/* Days since 1970-01-01 of the Monday of an ISO week. */
long	date_iso_week_monday(int iso_year, int week);

/*
 * The instant of a local wall-clock time on a civil date, in the
 * process's time zone (a time that a DST change skips is moved on).
 * Returns -1 if it cannot be represented.
 */
time_t	date_local_time(int year, int month, int day, int hour, int minute);

/* The local civil date of t. */
void	date_local_civil(time_t t, int *year, int *month, int *day);

/* Writes the local date of t as "YYYY-MM-DD".  Returns buf. */
char	*date_local(char *buf, size_t len, time_t t);

/*
 * The first instant of local date s ("YYYY-MM-DD"), plus days whole
 * days.  Returns 0 and stores it, or -1 if s is not a date.
 */
int	date_local_start(const char *s, int days, time_t *out);

/* Writes t as RFC 3339 with the local offset.  Returns buf. */
char	*date_rfc3339(char *buf, size_t len, time_t t);

/*
 * Parses RFC 3339 ("2026-11-25T09:30:00+08:00", "...Z", optional
 * fraction).  Returns 0 and stores the instant, or -1.
 */
int	date_parse_rfc3339(const char *s, time_t *out);

#endif
