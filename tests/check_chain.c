/*
 * Unit tests of daemon/chain.c: the canonical encoding of an audit
 * event, byte for byte as chain.h and docs/SECURITY.md define it, and
 * its hash, checked against values computed outside hazardd (Python's
 * hashlib over the same encoding); an event read back from SQLite
 * hashes as the one written (the migration's and the verifier's path
 * against the ledger's).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"

/* Event 7: an office's rejection, Chinese text, a NULL token. */
static void
event7(struct chain_field f[CHAIN_NFIELDS])
{
	chain_int(&f[0], 7);
	chain_int(&f[1], 42);
	chain_int(&f[2], 1764900000);
	chain_text(&f[3], NULL);
	chain_text(&f[4], "区安全办");
	chain_text(&f[5], "office");
	chain_text(&f[6], "reject");
	chain_text(&f[7], "rectified");
	chain_text(&f[8], "open");
	chain_text(&f[9], "灭火器仍未更换");
	chain_text(&f[10], "{\"grade\":[\"general\",\"major\"]}");
	chain_text(&f[11], NULL);
}

/* Event 8: a negative integer, an empty text beside a NULL one. */
static void
event8(struct chain_field f[CHAIN_NFIELDS])
{
	chain_int(&f[0], 8);
	chain_int(&f[1], 42);
	chain_int(&f[2], -1);
	chain_int(&f[3], 3);
	chain_text(&f[4], "a");
	chain_text(&f[5], "school");
	chain_text(&f[6], "rectify");
	chain_text(&f[7], "open");
	chain_text(&f[8], "rectified");
	chain_text(&f[9], "");
	chain_text(&f[10], NULL);
	chain_text(&f[11], NULL);
}

/* The hex of buf[0..n). */
static void
hexof(const uint8_t *buf, size_t n, char *out)
{
	size_t	i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", buf[i]);
	out[2 * n] = '\0';
}

START_TEST(test_encoding_bytes)
{
	struct chain_field	f[CHAIN_NFIELDS];
	uint8_t			buf[256];
	char			hex[513];
	size_t			n;

	event8(f);
	n = chain_encode(f, buf, sizeof(buf));
	ck_assert_uint_eq(n, 95);
	hexof(buf, n, hex);
	/* Integers: 0x01 and 8 bytes big-endian, -1 in two's complement;
	 * text: 0x03, 4 bytes of length, the bytes; "" is 0x03 00000000,
	 * NULL the single byte 0x00. */
	ck_assert_str_eq(hex,
	    "010000000000000008"
	    "01000000000000002a"
	    "01ffffffffffffffff"
	    "010000000000000003"
	    "030000000161"
	    "03000000067363686f6f6c"
	    "03000000077265637469667903000000046f70656e"
	    "0300000009726563746966696564"
	    "0300000000"
	    "00"
	    "00");
}
END_TEST

START_TEST(test_encoding_lengths)
{
	struct chain_field	f[CHAIN_NFIELDS];
	uint8_t			small[10];
	size_t			i;

	/* All NULL: one byte each. */
	for (i = 0; i < CHAIN_NFIELDS; i++)
		chain_text(&f[i], NULL);
	ck_assert_uint_eq(chain_encode(f, NULL, 0), CHAIN_NFIELDS);
	/* Lengths in bytes, not characters: 区安全办 is 12 bytes. */
	event7(f);
	ck_assert_uint_eq(chain_encode(f, NULL, 0), 151);
	/* Too small a buffer: the length all the same, nothing past it. */
	memset(small, 0xee, sizeof(small));
	ck_assert_uint_eq(chain_encode(f, small, 9), 151);
	ck_assert_int_eq(small[0], 0x01);
	ck_assert_int_eq(small[8], 0x07);
	ck_assert_int_eq(small[9], 0xee);
}
END_TEST

START_TEST(test_hash_known)
{
	struct chain_field	f[CHAIN_NFIELDS];
	uint8_t			h7[CHAIN_HASH_LEN], h8[CHAIN_HASH_LEN];
	char			hex[2 * CHAIN_HASH_LEN + 1];

	event7(f);
	ck_assert_int_eq(chain_hash(NULL, f, h7), 0);
	chain_hex(h7, hex);
	ck_assert_str_eq(hex, "62172e91b858ab07ba6514943d611bc4"
	    "5b68c4944aa735a42a64b6252d203a57");
	event8(f);
	ck_assert_int_eq(chain_hash(h7, f, h8), 0);
	chain_hex(h8, hex);
	ck_assert_str_eq(hex, "1a4e84b09e6291644aa446f1d0719bd9"
	    "9f5234a47e831d79908ad769756b98c9");
	/* The previous hash counts: the zero hash gives another. */
	ck_assert_int_eq(chain_hash(NULL, f, h7), 0);
	ck_assert_int_ne(memcmp(h7, h8, CHAIN_HASH_LEN), 0);
}
END_TEST

START_TEST(test_hash_changes)
{
	struct chain_field	f[CHAIN_NFIELDS];
	uint8_t			a[CHAIN_HASH_LEN], b[CHAIN_HASH_LEN];

	event7(f);
	chain_hash(NULL, f, a);
	/* NULL and "" differ; so do 0 and NULL. */
	chain_text(&f[9], "");
	chain_hash(NULL, f, b);
	ck_assert_int_ne(memcmp(a, b, CHAIN_HASH_LEN), 0);
	event7(f);
	chain_int(&f[3], 0);
	chain_hash(NULL, f, b);
	ck_assert_int_ne(memcmp(a, b, CHAIN_HASH_LEN), 0);
	/* A text moved from one field to the next differs. */
	event7(f);
	chain_text(&f[9], "灭火器仍未");
	chain_text(&f[10], "更换{\"grade\":[\"general\",\"major\"]}");
	chain_hash(NULL, f, b);
	ck_assert_int_ne(memcmp(a, b, CHAIN_HASH_LEN), 0);
	/* The integer 1764900000 and the text "1764900000" differ. */
	event7(f);
	chain_text(&f[2], "1764900000");
	chain_hash(NULL, f, b);
	ck_assert_int_ne(memcmp(a, b, CHAIN_HASH_LEN), 0);
}
END_TEST

START_TEST(test_columns_as_written)
{
	struct chain_field	 f[CHAIN_NFIELDS], g[CHAIN_NFIELDS];
	sqlite3			*db;
	sqlite3_stmt		*st;
	uint8_t			 a[CHAIN_HASH_LEN], b[CHAIN_HASH_LEN];

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE events (id INTEGER "
	    "PRIMARY KEY, hazard_id INTEGER NOT NULL, at INTEGER NOT NULL, "
	    "token_id INTEGER, actor TEXT NOT NULL, role TEXT NOT NULL, "
	    "action TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, "
	    "note TEXT, changes TEXT, activity_id INTEGER);"
	    "INSERT INTO events VALUES (7, 42, 1764900000, NULL, "
	    "'区安全办', 'office', 'reject', 'rectified', 'open', "
	    "'灭火器仍未更换', '{\"grade\":[\"general\",\"major\"]}', "
	    "NULL);"
	    "INSERT INTO events VALUES (8, 42, -1, 3, 'a', 'school', "
	    "'rectify', 'open', 'rectified', '', NULL, NULL);", NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT " CHAIN_COLUMNS
	    " FROM events ORDER BY id", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	chain_columns(st, 0, f);
	event7(g);
	chain_hash(NULL, f, a);
	chain_hash(NULL, g, b);
	ck_assert_int_eq(memcmp(a, b, CHAIN_HASH_LEN), 0);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	chain_columns(st, 0, f);
	event8(g);
	chain_hash(a, f, a);
	chain_hash(b, g, b);
	ck_assert_int_eq(memcmp(a, b, CHAIN_HASH_LEN), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}
END_TEST

START_TEST(test_parse_head)
{
	char	hex[65];
	int64_t	id = 0;

	ck_assert_int_eq(chain_parse_head("3855649:91B874241a9f9fa0", &id,
	    hex), 0);
	ck_assert_int_eq(id, 3855649);
	ck_assert_str_eq(hex, "91b874241a9f9fa0");
	ck_assert_int_eq(chain_parse_head("1:abcd", &id, hex), 0);
	ck_assert_int_eq(chain_parse_head("1:abc", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head("1:abcg", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head(":abcd", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head("0:abcd", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head("-1:abcd", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head("12x:abcd", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head("12", &id, hex), -1);
	ck_assert_int_eq(chain_parse_head("1:"
	    "00000000000000000000000000000000"
	    "000000000000000000000000000000000", &id, hex), -1);
}
END_TEST

static Suite *
chain_suite(void)
{
	Suite	*s = suite_create("chain");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_encoding_bytes);
	tcase_add_test(tc, test_encoding_lengths);
	tcase_add_test(tc, test_hash_known);
	tcase_add_test(tc, test_hash_changes);
	tcase_add_test(tc, test_columns_as_written);
	tcase_add_test(tc, test_parse_head);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(chain_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
