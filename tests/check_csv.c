/*
 * Unit tests of daemon/csv.c (the strict RFC 4180 reader) and of
 * daemon/import.c (the header and the checks of a row).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "date.h"
#include "import.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Reading: the records as "field|field/field|field/", or the error and
 * the number of the record it is in.
 */
static const struct csv_case {
	const char	*in;
	const char	*records;	/* NULL: an error */
	long		 error_record;
} csv_cases[] = {
	{ "", "", 0 },
	{ "\xef\xbb\xbf", "", 0 },
	{ "a,b", "a|b/", 0 },
	{ "a,b\n", "a|b/", 0 },
	{ "a,b\r\nc,d\r\n", "a|b/c|d/", 0 },
	{ "\xef\xbb\xbf" "a,b\nc,d", "a|b/c|d/", 0 },
	{ "a,\n,b\n", "a|/|b/", 0 },
	{ "a,", "a|/", 0 },
	{ "\n", "/", 0 },
	{ "\"a,b\",c\n", "a,b|c/", 0 },
	{ "\"say \"\"hi\"\"\",x\n", "say \"hi\"|x/", 0 },
	{ "\"line\nbreak\",\"crlf\r\ninside\"\r\n", "line\nbreak|crlf\r\ninside/",
	    0 },
	{ "\"\",\"\"\n", "|/", 0 },
	{ "隐患,\"东楼, 一层\"\n", "隐患|东楼, 一层/", 0 },
	{ "a,b\nc\"d,e\n", NULL, 2 },
	{ "a,b\n\"c\"d,e\n", NULL, 2 },
	{ "a,b\n\"never closed,e\n", NULL, 2 },
	{ "a\rb\n", NULL, 1 },
	{ "a,\"b\"\rc\n", NULL, 1 },
};

START_TEST(test_csv_read)
{
	const struct csv_case	*tc = &csv_cases[_i];
	struct csv		 c;
	char			 got[256] = "";
	size_t			 len;
	int			 rc, f;

	csv_init(&c, tc->in, strlen(tc->in));
	while ((rc = csv_next(&c)) == 1) {
		for (f = 0; f < c.nfields; f++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s", f > 0 ? "|" : "", csv_field(&c, f, &len));
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "/");
	}
	if (tc->records == NULL) {
		ck_assert_msg(rc == -1, "case %d: no error", _i);
		ck_assert_ptr_nonnull(c.error);
		ck_assert_int_eq(c.record, tc->error_record);
	} else {
		ck_assert_msg(rc == 0, "case %d: %s", _i, c.error);
		ck_assert_str_eq(got, tc->records);
	}
	csv_free(&c);
}
END_TEST

START_TEST(test_csv_fields_max)
{
	char		 line[CSV_MAX_FIELDS * 2 + 2];
	struct csv	 c;
	int		 i;

	for (i = 0; i < CSV_MAX_FIELDS; i++)
		memcpy(line + 2 * i, "x,", 2);
	line[2 * CSV_MAX_FIELDS - 1] = '\n';
	line[2 * CSV_MAX_FIELDS] = '\0';
	csv_init(&c, line, strlen(line));
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_int_eq(c.nfields, CSV_MAX_FIELDS);
	csv_free(&c);
	/* One more, by a trailing comma: refused. */
	line[2 * CSV_MAX_FIELDS - 1] = ',';
	csv_init(&c, line, strlen(line));
	ck_assert_int_eq(csv_next(&c), -1);
	csv_free(&c);
}
END_TEST

/*
 * A NUL byte, quoted or not, is refused with its record: tests/fuzz
 * found "S001\0\0..." imported as the school S001 (fuzz_import).
 */
START_TEST(test_csv_nul)
{
	static const struct {
		const char	*in;
		size_t		 len;
	} cases[] = {
		{ "school,title\nS001\0junk,x\n", 25 },
		{ "school,title\n\"S001\0junk\",x\n", 27 },
		{ "a\0", 2 },
	};
	struct csv	c;
	size_t		i;
	int		rc;

	for (i = 0; i < NELEM(cases); i++) {
		csv_init(&c, cases[i].in, cases[i].len);
		while ((rc = csv_next(&c)) == 1)
			;
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(c.error, "a NUL byte (the file is not text)");
		ck_assert_int_eq(c.record, i < 2 ? 2 : 1);
		csv_free(&c);
	}
}
END_TEST

/*
 * A row under the header "school,category,title,reported_at,state,
 * closed_at,grade,plan,assessment,deadline,key": good, or the problems
 * as "field:message;..." ("-" for no field), each message's start.
 */
static const struct row_case {
	const char	*row;
	const char	*problems;	/* NULL: a good row */
} row_cases[] = {
	{ "S001,fire,出口堵塞,2025-03-01,,,,,,,", NULL },
	{ "S001,fire,x,2025-03-01T09:30:00+08:00,closed,2025-03-01,,,,,k1",
	    NULL },
	{ "S001,fire,x,2025-03-01,cancelled,,major,,,2025-02-28,", NULL },
	{ "S001,fire,x,2025-03-01,closed,2025-03-05,major,p,a,,", NULL },
	{ ",,,,,,,,,,", "" },
	{ "S001,fire,x", "-:3 fields" },
	{ ",fire,x,2025-03-01,,,,,,,", "school:required" },
	{ "S 1,fire,x,2025-03-01,,,,,,,", "school:not a school code" },
	{ "S001,,,2025-03-01,,,,,,,",
	    "category:required;title:required" },
	{ "S001,fire,x,,,,,,,,", "reported_at:required" },
	{ "S001,fire,x,2025-02-29,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,2999-01-01,,,,,,,", "reported_at:in the future" },
	{ "S001,fire,x,2025-03-01,done,,,,,,", "state:expected open" },
	{ "S001,fire,x,2025-03-01,,,huge,,,,", "grade:expected general" },
	{ "S001,fire,x,2025-03-01,closed,,,,,,", "closed_at:required" },
	{ "S001,fire,x,2025-03-01,open,2025-03-02,,,,,",
	    "closed_at:only a closed" },
	{ "S001,fire,x,2025-03-02,closed,2025-03-01,,,,,",
	    "closed_at:before reported_at" },
	{ "S001,fire,x,2025-03-01,closed,2025-03-02,major,,,,",
	    "plan:a closed major;assessment:a closed major" },
	{ "S001,fire,x,2025-03-01,,,,,,2025-13-01,", "deadline:not a calendar" },
	{ "S001,fire,x,2025-03-01,,,,,,,has space", "key:expected" },
	{ "S001,fire,\xc0\xaf,2025-03-01,,,,,,,", "title:not valid UTF-8" },
	/* Local times, as an export for Excel and Excel itself write. */
	{ "S001,fire,x,2025-03-01 09:05,,,,,,,", NULL },
	{ "S001,fire,x,2025-03-01 09:05:30,,,,,,,", NULL },
	{ "S001,fire,x,2025/3/1 9:05,closed,2025/3/1,,,,,", NULL },
	{ "S001,fire,x,2025-03-01 24:00,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,2025-03-01 9:5,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,2025-03-01  09:05,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,2025/03-01,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,2025/2/29,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,1899-12-31,,,,,,,", "reported_at:expected" },
	{ "S001,fire,x,2025-03-01 09:05 ,,,,,,,", "reported_at:expected" },
};

/* Checks that e holds the problems of want, in order, each a prefix. */
static void
expect_problems(int n, const struct import_errors *e, const char *want)
{
	char	 copy[256], one[300], *w, *save = NULL;
	size_t	 k = 0;

	snprintf(copy, sizeof(copy), "%s", want);
	for (w = strtok_r(copy, ";", &save); w != NULL;
	    w = strtok_r(NULL, ";", &save), k++) {
		ck_assert_msg(k < e->n, "case %d: %s is missing", n, w);
		snprintf(one, sizeof(one), "%s:%s", e->list[k].field != NULL ?
		    e->list[k].field : "-", e->list[k].message);
		ck_assert_msg(strncmp(one, w, strlen(w)) == 0,
		    "case %d: want %s, got %s", n, w, one);
	}
	ck_assert_msg(k == e->n, "case %d: %zu problems, not %zu", n, e->n,
	    k);
}

START_TEST(test_import_row)
{
	static const char	 header[] = "school,category,title,reported_at,"
	    "state,closed_at,grade,plan,assessment,deadline,key\n";
	const struct row_case	*tc = &row_cases[_i];
	struct import_header	 hd;
	struct import_errors	 e;
	struct import_row	 row;
	struct csv		 c;
	char			 text[512];
	int			 rc;

	snprintf(text, sizeof(text), "%s%s\n", header, tc->row);
	memset(&e, 0, sizeof(e));
	csv_init(&c, text, strlen(text));
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_int_eq(import_header_read(&hd, IMPORT_HAZARDS, &c, &e), 0);
	ck_assert_int_eq(csv_next(&c), 1);
	rc = import_row_read(&hd, &c, time(NULL), &row, &e);
	if (tc->problems == NULL) {
		ck_assert_msg(rc == 0, "case %d: %s", _i, e.n > 0 ?
		    e.list[0].message : "?");
		ck_assert_int_eq(e.total, 0);
	} else if (*tc->problems == '\0') {
		ck_assert_int_eq(rc, 1);
		ck_assert_int_eq(e.total, 0);
	} else {
		ck_assert_int_eq(rc, -1);
		expect_problems(_i, &e, tc->problems);
		ck_assert_int_eq(e.rows, 1);
	}
	import_errors_free(&e);
	csv_free(&c);
}
END_TEST

START_TEST(test_import_header)
{
	static const char	*const bad[] = {
		"school,category,title\n",			/* reported_at */
		"school,category,title,reported_at,title\n",	/* twice */
		"school,category,title,reported_at,colour\n",	/* unknown */
		"school,category,title,reported_at,\n",		/* no name */
	};
	static const char	 good[] = "key,reported_at,title,category,"
	    "school\n";
	struct import_header	 hd;
	struct import_errors	 e;
	struct csv		 c;
	size_t			 i;

	for (i = 0; i < NELEM(bad); i++) {
		memset(&e, 0, sizeof(e));
		csv_init(&c, bad[i], strlen(bad[i]));
		ck_assert_int_eq(csv_next(&c), 1);
		ck_assert_msg(import_header_read(&hd, IMPORT_HAZARDS, &c, &e) == -1,
		    "header %zu accepted", i);
		ck_assert_int_eq(e.list[0].row, 1);
		import_errors_free(&e);
		csv_free(&c);
	}
	memset(&e, 0, sizeof(e));
	csv_init(&c, good, strlen(good));
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_int_eq(import_header_read(&hd, IMPORT_HAZARDS, &c, &e), 0);
	ck_assert_int_eq(hd.col[IMPORT_KEY], 0);
	ck_assert_int_eq(hd.col[IMPORT_SCHOOL], 4);
	ck_assert_int_eq(hd.col[IMPORT_KIND], -1);
	csv_free(&c);
}
END_TEST

/* A row's key: the same for the same values, whatever the columns' order. */
START_TEST(test_import_key)
{
	static const char	 a[] = "school,category,title,reported_at\n"
	    "S001,fire,x,2025-01-01\n";
	static const char	 b[] = "title,reported_at,school,category\n"
	    "x,2025-01-01,S001,fire\n";
	static const char	 d[] = "title,reported_at,school,category\n"
	    "y,2025-01-01,S001,fire\n";
	const char		*texts[] = { a, b, d };
	char			 keys[3][IMPORT_KEY_LEN];
	struct import_header	 hd;
	struct import_errors	 e;
	struct csv		 c;
	int			 i;

	memset(&e, 0, sizeof(e));
	for (i = 0; i < 3; i++) {
		csv_init(&c, texts[i], strlen(texts[i]));
		ck_assert_int_eq(csv_next(&c), 1);
		ck_assert_int_eq(import_header_read(&hd, IMPORT_HAZARDS, &c, &e), 0);
		ck_assert_int_eq(csv_next(&c), 1);
		ck_assert_int_eq(import_row_key(&hd, &c, keys[i]), 0);
		csv_free(&c);
	}
	ck_assert_int_eq(strlen(keys[0]), 44);
	ck_assert_str_eq(keys[0], keys[1]);
	ck_assert_str_ne(keys[0], keys[2]);
	/*
	 * The key the row had before the columns id, school_name,
	 * rectified_at and the notes: a file imported again keeps it.
	 */
	ck_assert_str_eq(keys[0], "csv-89e16da06a7f35f60f4f148d63cb4708c63755a4");
}
END_TEST

/* Chinese names of the columns; the local time of an export for Excel. */
START_TEST(test_import_zh)
{
	static const char	 text[] = "学校,类别,标题,上报时间,编号,学校名称,"
	    "整改时间,整改说明,状态\n"
	    "S001,fire,x,2025-01-01 08:30,17,第一中学,2025-01-02 09:00:30,"
	    "已清理,rectified\n";
	struct import_header	 hd;
	struct import_errors	 e;
	struct import_row	 row;
	struct csv		 c;

	memset(&e, 0, sizeof(e));
	csv_init(&c, text, strlen(text));
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_int_eq(import_header_read(&hd, IMPORT_HAZARDS, &c, &e), 0);
	ck_assert_int_eq(hd.col[IMPORT_SCHOOL], 0);
	ck_assert_int_eq(hd.col[IMPORT_ID], 4);
	ck_assert_int_eq(csv_next(&c), 1);
	ck_assert_int_eq(import_row_read(&hd, &c, time(NULL), &row, &e), 0);
	ck_assert_int_eq(row.h.reported_at,
	    date_local_time(2025, 1, 1, 8, 30));
	ck_assert_int_eq(row.trail.rectified_at,
	    date_local_time(2025, 1, 2, 9, 0) + 30);
	ck_assert_str_eq(row.trail.rectify_note, "已清理");
	ck_assert_int_eq(row.trail.rejected, 0);
	csv_free(&c);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite	*s = suite_create("csv");
	TCase	*tc = tcase_create("csv");

	tcase_add_loop_test(tc, test_csv_read, 0, NELEM(csv_cases));
	tcase_add_test(tc, test_csv_fields_max);
	tcase_add_test(tc, test_csv_nul);
	suite_add_tcase(s, tc);
	tc = tcase_create("import");
	tcase_add_loop_test(tc, test_import_row, 0, NELEM(row_cases));
	tcase_add_test(tc, test_import_header);
	tcase_add_test(tc, test_import_key);
	tcase_add_test(tc, test_import_zh);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	sr = srunner_create(csv_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
