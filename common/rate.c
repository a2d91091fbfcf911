/*
 * Rectification rates, in integer arithmetic only.
 */
#include <inttypes.h>
#include <stdio.h>

#include "rate.h"

/*
 * tenths = round_half_up(1000 * r / n) = floor((2000 * r + n) / (2 * n)).
 * The product is taken in 128 bits so that no count can overflow it.
 */
int64_t
rate_tenths(uint64_t rectified, uint64_t identified)
{
	unsigned __int128 num, den;

	if (identified == 0 || rectified > identified)
		return -1;
	num = (unsigned __int128)rectified * 2000 + identified;
	den = (unsigned __int128)identified * 2;
	return (int64_t)(num / den);
}

int
rate_cmp(uint64_t rectified1, uint64_t identified1, uint64_t rectified2,
    uint64_t identified2)
{
	unsigned __int128 l, r;

	if ((identified1 == 0) != (identified2 == 0))
		return identified1 == 0 ? 1 : -1;
	l = (unsigned __int128)rectified1 * identified2;
	r = (unsigned __int128)rectified2 * identified1;
	return l < r ? -1 : l > r;
}

char *
rate_format_percent(char *buf, size_t len, int64_t tenths)
{
	if (tenths < 0)
		snprintf(buf, len, "n/a");
	else if (tenths % 10 == 0)
		snprintf(buf, len, "%" PRId64, tenths / 10);
	else
		snprintf(buf, len, "%" PRId64 ".%" PRId64, tenths / 10,
		    tenths % 10);
	return buf;
}

char *
rate_format(char *buf, size_t len, uint64_t rectified, uint64_t identified)
{
	char	pct[32];
	int64_t	tenths;

	tenths = rate_tenths(rectified, identified);
	rate_format_percent(pct, sizeof(pct), tenths);
	snprintf(buf, len, "%" PRIu64 "/%" PRIu64 " (%s%s)", rectified,
	    identified, pct, tenths < 0 ? "" : "%");
	return buf;
}

char *
rate_about(char *buf, size_t len, uint64_t n)
{
	uint64_t	unit = 1, cut;

	if (n < 100) {
		snprintf(buf, len, "%" PRIu64, n);
		return buf;
	}
	while (n / unit >= 100)
		unit *= 10;
	cut = n / unit * unit;
	snprintf(buf, len, "%" PRIu64 "%s", cut, cut == n ? "" : "余");
	return buf;
}
