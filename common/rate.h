/*
 * Rectification rates as the district writes them: "411/416 (98.8%)".
 */
#ifndef HAZARD_RATE_H
#define HAZARD_RATE_H

#include <stddef.h>
#include <stdint.h>

/* Longest text rate_format() writes, with its NUL. */
#define RATE_TEXT_MAX	64

/*
 * The rate in tenths of a percent, rounded half up with integer
 * arithmetic only: 411/416 gives 988.  Returns -1 for 0/0 (no rate),
 * and for rectified > identified, which is no rate either.
 */
int64_t	rate_tenths(uint64_t rectified, uint64_t identified);

/*
 * Compares two rates exactly, without division (a/b < c/d is
 * a*d < c*b): less than, equal to or greater than 0 as the first is
 * lower, the same or higher.  A rate of nothing identified comes after
 * every rate.
 */
int	rate_cmp(uint64_t rectified1, uint64_t identified1,
	    uint64_t rectified2, uint64_t identified2);

/*
 * Writes "RECTIFIED/IDENTIFIED (P%)", P with one decimal and a trailing
 * ".0" dropped, or "0/0 (n/a)".  Returns buf.
 */
char	*rate_format(char *buf, size_t len, uint64_t rectified,
	    uint64_t identified);

/* Writes the percentage alone ("98.8", "100", "n/a").  Returns buf. */
char	*rate_format_percent(char *buf, size_t len, int64_t tenths);

/*
 * Writes a count as the district writes a count of activities: exactly
 * below 100; from 100 on, cut down to its two leading digits and
 * followed by 余 ("more than") when that dropped something: 99 "99",
 * 100 "100", 101 "100余", 283 "280余", 5046 "5000余", 5100 "5100",
 * 20150 "20000余".  Returns buf.
 */
char	*rate_about(char *buf, size_t len, uint64_t n);

#endif
