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

/* Returns 1 if year is a Gregorian leap year. */
int	date_is_leap(int year);

/* Days in the month (1-12) of year. */
int	date_days_in_month(int year, int month);

/* Days since 1970-01-01 of a civil date; may be negative. */
long	date_days_from_civil(int year, int month, int day);

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
