/*
 * Unit tests of common/safetext.c: untrusted text made safe for plain
 * text, a terminal, markdown, JSON, a log line and a spreadsheet, with
 * Chinese passing through untouched.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"
#include "table.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* An input, and what each output makes of it. */
static const struct text_case {
	const char	*in;
	const char	*plain;
	const char	*lines;
	const char	*markdown;
	const char	*log;
} cases[] = {
	/* Chinese, and full-width punctuation, as they are. */
	{ "东楼安全出口堵塞【一层】，（急）", "东楼安全出口堵塞【一层】，（急）",
	    "东楼安全出口堵塞【一层】，（急）", "东楼安全出口堵塞【一层】，（急）",
	    "东楼安全出口堵塞【一层】，（急）" },
	{ "", "", "", "", "" },
	/* Line breaks: one line, or kept for a terminal. */
	{ "a\nb\r\nc", "a b  c", "a\nb \nc", "a b  c", "a\\nb\\r\\nc" },
	/* A tab, ESC and BEL of a terminal escape, DEL. */
	{ "\t\x1b[2J\x1b]0;x\x07\x7f", "  [2J ]0;x  ", "  [2J ]0;x  ",
	    "  \\[2J \\]0;x  ", "\\t\\033[2J\\033]0;x\\007\\177" },
	/* C1 controls (CSI U+009B, NEL U+0085) in UTF-8. */
	{ "a\xc2\x9b" "31mb\xc2\x85" "c", "a 31mb c", "a 31mb c",
	    "a 31mb c", "a\\302\\23331mb\\302\\205c" },
	/* Bidi overrides and isolates, line and paragraph separators. */
	{ "x\xe2\x80\xaey\xe2\x81\xa6z\xe2\x80\xa8w\xe2\x80\xa9v",
	    "x y z w v", "x y z w v", "x y z w v",
	    "x\\342\\200\\256y\\342\\201\\246z\\342\\200\\250w\\342\\200\\251v" },
	/* Neighbours of those that stay: U+00A0, U+2029's, U+206A. */
	{ "\xc2\xa0\xe2\x80\xa7\xe2\x81\xaa", "\xc2\xa0\xe2\x80\xa7\xe2\x81\xaa",
	    "\xc2\xa0\xe2\x80\xa7\xe2\x81\xaa", "\xc2\xa0\xe2\x80\xa7\xe2\x81\xaa",
	    "\xc2\xa0\xe2\x80\xa7\xe2\x81\xaa" },
	/* Bytes that are not UTF-8: a lone 8-bit CSI, a cut character. */
	{ "a\x9b" "b\xe4\xb8", "a?b??", "a?b??", "a?b??",
	    "a\\233b\\344\\270" },
	/* Markdown: a forged heading, link, image, emphasis, HTML. */
	{ "## 100% [click](http://e.x/) ![i](u) **b** _i_ `c` <font> & ~s~",
	    "## 100% [click](http://e.x/) ![i](u) **b** _i_ `c` <font> & ~s~",
	    "## 100% [click](http://e.x/) ![i](u) **b** _i_ `c` <font> & ~s~",
	    "\\#\\# 100% \\[click\\](http://e.x/) !\\[i\\](u) "
	    "\\*\\*b\\*\\* \\_i\\_ \\`c\\` &lt;font&gt; &amp; \\~s\\~",
	    "## 100% [click](http://e.x/) ![i](u) **b** _i_ `c` <font> & ~s~" },
	/* Ordered lists and underlines at the start; indented too. */
	{ "12. a", "12. a", "12. a", "12\\. a", "12. a" },
	{ "  3) a", "  3) a", "  3) a", "  3\\) a", "  3) a" },
	{ "=== +x", "=== +x", "=== +x", "\\=== +x", "=== +x" },
	{ " + 1.", " + 1.", " + 1.", " \\+ 1.", " + 1." },
	/* Lists, quotes, tables, escapes, setext underlines. */
	{ "- a + b 1. c > d | e \\ f {g} ===",
	    "- a + b 1. c > d | e \\ f {g} ===",
	    "- a + b 1. c > d | e \\ f {g} ===",
	    "\\- a + b 1. c &gt; d \\| e \\\\ f {g} ===",
	    "- a + b 1. c > d | e \\\\ f {g} ===" },
};

START_TEST(test_plain)
{
	const struct text_case	*c = &cases[_i];
	char			*s = safetext_plain(c->in);

	ck_assert_str_eq(s, c->plain);
	free(s);
}
END_TEST

START_TEST(test_lines)
{
	const struct text_case	*c = &cases[_i];
	char			*s = safetext_lines(c->in);

	ck_assert_str_eq(s, c->lines);
	free(s);
}
END_TEST

START_TEST(test_markdown)
{
	const struct text_case	*c = &cases[_i];
	char			*s = safetext_markdown(c->in);

	ck_assert_str_eq(s, c->markdown);
	free(s);
}
END_TEST

START_TEST(test_log)
{
	const struct text_case	*c = &cases[_i];
	char			 buf[512];

	safetext_log(buf, sizeof(buf), c->in);
	ck_assert_str_eq(buf, c->log);
}
END_TEST

/* A log line cut short is cut between escapes and characters. */
START_TEST(test_log_cut)
{
	char	buf[8];

	safetext_log(buf, sizeof(buf), "ab\x1b" "cd");
	ck_assert_str_eq(buf, "ab\\033c");
	safetext_log(buf, sizeof(buf), "abcd\x1b");
	ck_assert_str_eq(buf, "abcd");
	safetext_log(buf, sizeof(buf), "a东楼");
	ck_assert_str_eq(buf, "a东楼");
	safetext_log(buf, 7, "a东楼");
	ck_assert_str_eq(buf, "a东");
	safetext_log(buf, 1, "abc");
	ck_assert_str_eq(buf, "");
}
END_TEST

/* JSON: what a terminal obeys as \u escapes, nothing else touched. */
START_TEST(test_json)
{
	char	*s;

	s = safetext_json("{\n  \"t\": \"a\xc2\x9b" "b\xe2\x80\xae" "c\x7f"
	    "东\\u001b\"\n}");
	ck_assert_str_eq(s,
	    "{\n  \"t\": \"a\\u009bb\\u202ec\\u007f东\\u001b\"\n}");
	free(s);
}
END_TEST

/* Cells a spreadsheet takes for a formula, and the guard itself. */
static const struct guard_case {
	const char	*cell;
	int		 guard;
} guards[] = {
	{ "=cmd|' /C calc'!A0", 1 }, { "+fire", 1 }, { "-1", 1 },
	{ "@SUM(A1)", 1 }, { "\tx", 1 }, { "\rx", 1 }, { "'quoted", 1 },
	{ "", 0 }, { "fire", 0 }, { " =1", 0 }, { "东楼=1", 0 },
	{ "2026-11-05", 0 }, { "＝1", 0 },
};

START_TEST(test_csv_guard)
{
	ck_assert_int_eq(safetext_csv_guard(guards[_i].cell), guards[_i].guard);
}
END_TEST

/* A table's cells are plain text: nothing of an escape is printed. */
START_TEST(test_table)
{
	struct table	*t;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*fp;

	fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	t = table_new(2, NULL);
	table_add(t, "东楼\x1b[2J\xc2\x9b\xe2\x80\xae");
	table_add(t, "a\nb");
	table_print(t, fp);
	table_free(t);
	fclose(fp);
	ck_assert_str_eq(buf, "东楼 [2J    a b\n");
	free(buf);
}
END_TEST

static Suite *
safetext_suite(void)
{
	Suite	*s = suite_create("safetext");
	TCase	*tc = tcase_create("pure");

	tcase_add_loop_test(tc, test_plain, 0, NELEM(cases));
	tcase_add_loop_test(tc, test_lines, 0, NELEM(cases));
	tcase_add_loop_test(tc, test_markdown, 0, NELEM(cases));
	tcase_add_loop_test(tc, test_log, 0, NELEM(cases));
	tcase_add_test(tc, test_log_cut);
	tcase_add_test(tc, test_json);
	tcase_add_loop_test(tc, test_csv_guard, 0, NELEM(guards));
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(safetext_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
