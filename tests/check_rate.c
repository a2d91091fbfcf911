/*
 * Unit tests of common/rate.c: the rectification rate as the district
 * writes it, "411/416 (98.8%)", in integer arithmetic only.
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* One rate: the counts, the tenths and the text they must give. */
struct rate_case {
	uint64_t	 rectified;
	uint64_t	 identified;
	int64_t		 tenths;
	const char	*text;
};

static const struct rate_case rate_cases[] = {
	/* SPEC, "Rectification rate", the table exactly. */
	{ 411, 416, 988, "411/416 (98.8%)" },
	{ 177, 177, 1000, "177/177 (100%)" },
	{ 1, 3, 333, "1/3 (33.3%)" },
	{ 0, 0, -1, "0/0 (n/a)" },
	/* Ordinary values. */
	{ 2, 3, 667, "2/3 (66.7%)" },
	{ 999, 1000, 999, "999/1000 (99.9%)" },
	{ 0, 5, 0, "0/5 (0%)" },
	{ 1, 8, 125, "1/8 (12.5%)" },
	{ 1, 2, 500, "1/2 (50%)" },
	{ 1, 1, 1000, "1/1 (100%)" },
	{ 9, 10, 900, "9/10 (90%)" },
	{ 1, 10, 100, "1/10 (10%)" },
	{ 1, 1000, 1, "1/1000 (0.1%)" },
	{ 5, 6, 833, "5/6 (83.3%)" },
	{ 1, 6, 167, "1/6 (16.7%)" },
	{ 1, 7, 143, "1/7 (14.3%)" },
	/* Half up: exactly .5 of a tenth goes up, anything below down. */
	{ 1, 2000, 1, "1/2000 (0.1%)" },		/* 0.05% */
	{ 1, 20000, 0, "1/20000 (0%)" },		/* 0.005% */
	{ 1, 1600, 1, "1/1600 (0.1%)" },		/* 0.0625% */
	{ 3, 8000, 0, "3/8000 (0%)" },		/* 0.0375% */
	{ 1, 2001, 0, "1/2001 (0%)" },		/* just under 0.05% */
	{ 1, 1999, 1, "1/1999 (0.1%)" },		/* just over 0.05% */
	{ 19999, 20000, 1000, "19999/20000 (100%)" },	/* 99.995% */
	{ 39999, 40000, 1000, "39999/40000 (100%)" },	/* 99.9975% */
	{ 1997, 2000, 999, "1997/2000 (99.9%)" },	/* 99.85% */
	{ 1996, 2000, 998, "1996/2000 (99.8%)" },	/* 99.8% */
	{ 2001, 2002, 1000, "2001/2002 (100%)" },	/* 99.950...% */
	{ 2000, 2002, 999, "2000/2002 (99.9%)" },	/* 99.900...% */
	{ 3, 16, 188, "3/16 (18.8%)" },		/* 18.75% */
	{ 1, 16, 63, "1/16 (6.3%)" },		/* 6.25% */
	{ 5, 16, 313, "5/16 (31.3%)" },		/* 31.25% */
	/* Counts near 2^31 and beyond: no overflow anywhere. */
	{ 2147483647, 2147483648ULL, 1000,
	    "2147483647/2147483648 (100%)" },
	{ 2147483648ULL, 2147483648ULL, 1000,
	    "2147483648/2147483648 (100%)" },
	{ 1073741824, 2147483648ULL, 500,
	    "1073741824/2147483648 (50%)" },
	{ 4294967295ULL, 4294967296ULL, 1000,
	    "4294967295/4294967296 (100%)" },
	{ 1, 4294967296ULL, 0, "1/4294967296 (0%)" },
	{ 1ULL << 40, 1ULL << 41, 500, "1099511627776/2199023255552 (50%)" },
	{ (1ULL << 40) - 1, 1ULL << 40, 1000,
	    "1099511627775/1099511627776 (100%)" },
	{ 1ULL << 40, 3ULL << 40, 333, "1099511627776/3298534883328 (33.3%)" },
	{ 1ULL << 62, 1ULL << 63, 500,
	    "4611686018427387904/9223372036854775808 (50%)" },
	{ 1ULL << 62, 3ULL << 62, 333,
	    "4611686018427387904/13835058055282163712 (33.3%)" },
	{ 2ULL << 62, 3ULL << 62, 667,
	    "9223372036854775808/13835058055282163712 (66.7%)" },
	{ UINT64_MAX, UINT64_MAX, 1000,
	    "18446744073709551615/18446744073709551615 (100%)" },
	{ UINT64_MAX - 1, UINT64_MAX, 1000,
	    "18446744073709551614/18446744073709551615 (100%)" },
	{ UINT64_MAX / 2, UINT64_MAX, 500,
	    "9223372036854775807/18446744073709551615 (50%)" },
	{ UINT64_MAX / 1000, UINT64_MAX, 1,
	    "18446744073709551/18446744073709551615 (0.1%)" },
	{ 0, UINT64_MAX, 0, "0/18446744073709551615 (0%)" },
	{ 1, UINT64_MAX, 0, "1/18446744073709551615 (0%)" },
	/* More rectified than identified is no rate. */
	{ 5, 3, -1, "5/3 (n/a)" },
	{ 1, 0, -1, "1/0 (n/a)" },
	{ 417, 416, -1, "417/416 (n/a)" },
	{ UINT64_MAX, UINT64_MAX - 1, -1,
	    "18446744073709551615/18446744073709551614 (n/a)" },
	{ UINT64_MAX, 0, -1, "18446744073709551615/0 (n/a)" },
};

/* rate_tenths() of each case. */
START_TEST(test_rate_tenths)
{
	const struct rate_case	*c = &rate_cases[_i];
	int64_t			 got;

	got = rate_tenths(c->rectified, c->identified);
	ck_assert_msg(got == c->tenths,
	    "rate_tenths(%" PRIu64 ", %" PRIu64 ") = %" PRId64
	    ", expected %" PRId64, c->rectified, c->identified, got,
	    c->tenths);
}
END_TEST

/*
 * rate_cmp(): the lower rate first, exactly where tenths are the same
 * and where a product overflows 64 bits; nothing identified last.
 */
START_TEST(test_rate_cmp)
{
	ck_assert_int_lt(rate_cmp(1, 3, 1, 2), 0);
	ck_assert_int_gt(rate_cmp(1, 2, 1, 3), 0);
	ck_assert_int_eq(rate_cmp(2, 4, 1, 2), 0);
	ck_assert_int_eq(rate_cmp(0, 5, 0, 9), 0);
	/* 98.8% both, in tenths. */
	ck_assert_int_lt(rate_cmp(411, 416, 988, 1000), 0);
	ck_assert_int_lt(rate_cmp(UINT64_MAX - 1, UINT64_MAX, 1, 1), 0);
	ck_assert_int_gt(rate_cmp(0, 0, 0, 1), 0);
	ck_assert_int_lt(rate_cmp(1, 1, 0, 0), 0);
	ck_assert_int_eq(rate_cmp(0, 0, 0, 0), 0);
}
END_TEST

/* rate_format() of each case, into a buffer of RATE_TEXT_MAX. */
START_TEST(test_rate_format)
{
	const struct rate_case	*c = &rate_cases[_i];
	char			 buf[RATE_TEXT_MAX];
	char			*ret;

	memset(buf, 'X', sizeof(buf));
	ret = rate_format(buf, sizeof(buf), c->rectified, c->identified);
	ck_assert_ptr_eq(ret, buf);
	ck_assert_msg(strcmp(buf, c->text) == 0,
	    "rate_format(%" PRIu64 ", %" PRIu64 ") = \"%s\", expected \"%s\"",
	    c->rectified, c->identified, buf, c->text);
	ck_assert_uint_lt(strlen(buf), RATE_TEXT_MAX);
}
END_TEST

/* rate_format_percent(): the percentage alone. */
static const struct {
	int64_t		 tenths;
	const char	*text;
} percent_cases[] = {
	{ 988, "98.8" },
	{ 1000, "100" },
	{ 333, "33.3" },
	{ 0, "0" },
	{ 1, "0.1" },
	{ 5, "0.5" },
	{ 9, "0.9" },
	{ 10, "1" },
	{ 11, "1.1" },
	{ 100, "10" },
	{ 125, "12.5" },
	{ 500, "50" },
	{ 999, "99.9" },
	{ -1, "n/a" },
	{ -1000, "n/a" },
	{ INT64_MIN, "n/a" },
};

START_TEST(test_rate_format_percent)
{
	char	 buf[32];
	char	*ret;

	memset(buf, 'X', sizeof(buf));
	ret = rate_format_percent(buf, sizeof(buf), percent_cases[_i].tenths);
	ck_assert_ptr_eq(ret, buf);
	ck_assert_msg(strcmp(buf, percent_cases[_i].text) == 0,
	    "rate_format_percent(%" PRId64 ") = \"%s\", expected \"%s\"",
	    percent_cases[_i].tenths, buf, percent_cases[_i].text);
}
END_TEST

/* The percentage alone agrees with the one inside rate_format(). */
START_TEST(test_rate_percent_in_text)
{
	const struct rate_case	*c = &rate_cases[_i];
	char			 text[RATE_TEXT_MAX], pct[32], want[40];

	rate_format(text, sizeof(text), c->rectified, c->identified);
	rate_format_percent(pct, sizeof(pct),
	    rate_tenths(c->rectified, c->identified));
	snprintf(want, sizeof(want), "(%s%s)", pct,
	    strcmp(pct, "n/a") == 0 ? "" : "%");
	ck_assert_msg(strstr(text, want) != NULL, "\"%s\" lacks \"%s\"",
	    text, want);
}
END_TEST

/* A trailing ".0" never shows, for every count of a small district. */
START_TEST(test_rate_no_trailing_zero)
{
	char		 buf[RATE_TEXT_MAX];
	uint64_t	 n, r;
	int64_t		 t;

	for (n = 1; n <= 300; n++) {
		for (r = 0; r <= n; r++) {
			t = rate_tenths(r, n);
			/* Half up: 2000r + n >= 2n*t and < 2n*(t+1). */
			ck_assert_msg(t >= 0 && t <= 1000 &&
			    2000 * r + n >= 2 * n * (uint64_t)t &&
			    2000 * r + n < 2 * n * (uint64_t)(t + 1),
			    "rate_tenths(%" PRIu64 ", %" PRIu64 ") = %" PRId64,
			    r, n, t);
			rate_format(buf, sizeof(buf), r, n);
			ck_assert_msg(strstr(buf, ".0%") == NULL,
			    "\"%s\" keeps a trailing .0", buf);
		}
	}
}
END_TEST

/* A short buffer is cut, never overrun, and always terminated. */
START_TEST(test_rate_format_short_buffer)
{
	char	buf[16];

	memset(buf, 'X', sizeof(buf));
	rate_format(buf, 8, 411, 416);
	ck_assert_str_eq(buf, "411/416");
	ck_assert_int_eq(buf[8], 'X');

	memset(buf, 'X', sizeof(buf));
	rate_format_percent(buf, 3, 988);
	ck_assert_str_eq(buf, "98");
	ck_assert_int_eq(buf[3], 'X');
}
END_TEST

/* The district's counts of activities, at the edges of each rule. */
static const struct {
	uint64_t	 n;
	const char	*text;
} about_cases[] = {
	{ 0, "0" }, { 99, "99" }, { 100, "100" }, { 101, "100余" },
	{ 109, "100余" }, { 110, "110" }, { 199, "190余" }, { 200, "200" },
	{ 203, "200余" }, { 283, "280余" }, { 999, "990余" },
	{ 1000, "1000" }, { 1012, "1000余" }, { 1099, "1000余" },
	{ 1100, "1100" }, { 5046, "5000余" }, { 20150, "20000余" },
	{ 20999, "20000余" }, { 21000, "21000" },
};

START_TEST(test_rate_about)
{
	char	buf[32];

	rate_about(buf, sizeof(buf), about_cases[_i].n);
	ck_assert_str_eq(buf, about_cases[_i].text);
}
END_TEST

static Suite *
rate_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("rate");

	tc = tcase_create("tenths");
	tcase_add_loop_test(tc, test_rate_tenths, 0, NELEM(rate_cases));
	tcase_add_test(tc, test_rate_no_trailing_zero);
	tcase_add_test(tc, test_rate_cmp);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_rate_format, 0, NELEM(rate_cases));
	tcase_add_loop_test(tc, test_rate_percent_in_text, 0,
	    NELEM(rate_cases));
	tcase_add_loop_test(tc, test_rate_format_percent, 0,
	    NELEM(percent_cases));
	tcase_add_test(tc, test_rate_format_short_buffer);
	tcase_add_loop_test(tc, test_rate_about, 0, NELEM(about_cases));
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(rate_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
