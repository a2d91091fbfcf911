/*
 * Unit tests of tokcache.c: a token found is remembered for its time to
 * live and no longer, only under its own hash, and a clear forgets all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tokcache.h"

/* A hash made of one byte, and a principal to go with it. */
static void
fill(uint8_t hash[TOKEN_HASH_LEN], uint8_t b, struct principal *p,
    int64_t id)
{
	memset(hash, b, TOKEN_HASH_LEN);
	memset(p, 0, sizeof(*p));
	p->token_id = id;
	p->role = ROLE_SCHOOL;
	p->school_id = 40 + id;
	snprintf(p->name, sizeof(p->name), "第%d中学 安全员", (int)id);
}

START_TEST(test_found_within_ttl)
{
	uint8_t			hash[TOKEN_HASH_LEN];
	struct principal	in, out;

	tokcache_clear();
	fill(hash, 7, &in, 3);
	ck_assert_int_eq(tokcache_find(hash, 1000, &out), -1);
	tokcache_put(hash, 1000, &in);
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(tokcache_find(hash, 1000, &out), 0);
	ck_assert_int_eq(out.token_id, 3);
	ck_assert_int_eq(out.role, ROLE_SCHOOL);
	ck_assert_int_eq(out.school_id, 43);
	ck_assert_str_eq(out.name, "第3中学 安全员");
	/* 29 seconds later still; 30 seconds later it is read again. */
	ck_assert_int_eq(tokcache_find(hash, 1029, &out), 0);
	ck_assert_int_eq(tokcache_find(hash, 1030, &out), -1);
	/* A clock that went back does not extend it either. */
	ck_assert_int_eq(tokcache_find(hash, 999, &out), -1);
}
END_TEST

START_TEST(test_other_hash_same_slot)
{
	uint8_t			a[TOKEN_HASH_LEN], b[TOKEN_HASH_LEN];
	struct principal	pa, pb, out;

	tokcache_clear();
	fill(a, 1, &pa, 1);
	fill(b, 1, &pb, 2);
	b[TOKEN_HASH_LEN - 1] ^= 0x80;	/* same slot, another token */
	tokcache_put(a, 50, &pa);
	ck_assert_int_eq(tokcache_find(b, 50, &out), -1);
	/* The newer takes the slot: the older is read from the store. */
	tokcache_put(b, 51, &pb);
	ck_assert_int_eq(tokcache_find(a, 51, &out), -1);
	ck_assert_int_eq(tokcache_find(b, 51, &out), 0);
	ck_assert_int_eq(out.token_id, 2);
}
END_TEST

START_TEST(test_clear)
{
	uint8_t			hash[TOKEN_HASH_LEN];
	struct principal	in, out;
	int			i;

	for (i = 0; i < 200; i++) {
		fill(hash, (uint8_t)i, &in, i + 1);
		tokcache_put(hash, 10, &in);
	}
	fill(hash, 199, &in, 200);
	ck_assert_int_eq(tokcache_find(hash, 10, &out), 0);
	tokcache_clear();
	for (i = 0; i < 200; i++) {
		fill(hash, (uint8_t)i, &in, i + 1);
		ck_assert_int_eq(tokcache_find(hash, 10, &out), -1);
	}
}
END_TEST

static Suite *
tokcache_suite(void)
{
	Suite	*s = suite_create("tokcache");
	TCase	*tc = tcase_create("cache");

	tcase_add_test(tc, test_found_within_ttl);
	tcase_add_test(tc, test_other_hash_same_slot);
	tcase_add_test(tc, test_clear);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(tokcache_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
