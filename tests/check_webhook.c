/*
 * Unit tests of webhook.c's pure parts: telling the robot, splitting a
 * digest at the robots' limits, the messages, DingTalk's signature.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "config.h"
#include "webhook.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct {
	const char	*url;
	const char	*format;
	int		 want;
} formats[] = {
	{ "https://oapi.dingtalk.com/robot/send?access_token=x", "",
	    WEBHOOK_DINGTALK },
	{ "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "",
	    WEBHOOK_WECOM },
	{ "http://127.0.0.1:9/robot", "", -1 },
	{ "http://127.0.0.1:9/robot", "wecom", WEBHOOK_WECOM },
	{ "https://qyapi.weixin.qq.com/x", "dingtalk", WEBHOOK_DINGTALK },
	{ "not a url", "", -1 },
};

START_TEST(test_format_of)
{
	struct robot	r = { formats[_i].url, "", formats[_i].format };

	ck_assert_int_eq(webhook_format_of(&r), formats[_i].want);
}
END_TEST

/* A school's robot: https to a known host, or a named format. */
static const struct {
	const char	*url;
	const char	*format;
	const char	*why;		/* a word of the reason, or NULL */
} checks[] = {
	{ "https://oapi.dingtalk.com/robot/send?access_token=x", "", NULL },
	{ "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "",
	    NULL },
	{ "https://robot.example.cn/send", "dingtalk", NULL },
	{ "http://127.0.0.1:9/robot", "wecom", NULL },
	{ "http://localhost:9/robot", "dingtalk", NULL },
	{ "http://oapi.dingtalk.com/robot/send?access_token=x", "", "https" },
	{ "http://10.0.0.1/robot", "dingtalk", "https" },
	{ "ftp://oapi.dingtalk.com/robot", "", "https" },
	{ "https://robot.example.cn/send", "", "format" },
	{ "oapi.dingtalk.com/robot/send", "", "URL" },
	{ "", "", "URL" },
};

START_TEST(test_check)
{
	struct robot	 r = { checks[_i].url, "", checks[_i].format };
	const char	*why = webhook_check(&r);

	if (checks[_i].why == NULL)
		ck_assert_msg(why == NULL, "%s: %s", checks[_i].url, why);
	else
		ck_assert_msg(why != NULL && strstr(why, checks[_i].why) !=
		    NULL, "%s: %s", checks[_i].url, why != NULL ? why :
		    "accepted");
}
END_TEST

/* Checks the parts of text: each fits, and together they are text. */
static void
check_parts(const char *text, size_t max, size_t n, const size_t *starts)
{
	size_t	i, end, len = strlen(text);

	ck_assert_uint_ge(n, 1);
	ck_assert_uint_eq(starts[0], 0);
	for (i = 0; i < n; i++) {
		end = i + 1 < n ? starts[i + 1] : len;
		ck_assert_uint_gt(end, starts[i]);
		ck_assert_uint_le(end - starts[i], max);
		/* Never inside a UTF-8 character. */
		ck_assert_int_ne((unsigned char)text[starts[i]] & 0xc0, 0x80);
	}
}

START_TEST(test_split_lines)
{
	char	 text[1024];
	size_t	*starts, n, i;

	text[0] = '\0';
	for (i = 0; i < 10; i++)
		strcat(text, "第一中学  S001  东楼安全出口堵塞  2026-11-20  4\n");
	n = webhook_split(text, 200, &starts);
	check_parts(text, 200, n, starts);
	/* Parts end at line ends. */
	for (i = 1; i < n; i++)
		ck_assert_int_eq(text[starts[i] - 1], '\n');
	/* 10 lines of 60 bytes: 3 lines (180 bytes) a part, so 4 parts. */
	ck_assert_uint_eq(strlen(text), 600);
	ck_assert_uint_eq(n, 4);
	free(starts);
}
END_TEST

START_TEST(test_split_no_line_end)
{
	const char	*text = "第一中学第一中学";	/* 24 bytes */
	size_t		*starts, n;

	n = webhook_split(text, 10, &starts);
	check_parts(text, 10, n, starts);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(starts[1], 9);
	ck_assert_uint_eq(starts[2], 18);
	free(starts);
}
END_TEST

START_TEST(test_split_short)
{
	size_t	*starts, n;

	n = webhook_split("short\n", 4000, &starts);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(starts[0], 0);
	free(starts);
	n = webhook_split("", 4000, &starts);
	ck_assert_uint_eq(n, 1);
	free(starts);
}
END_TEST

START_TEST(test_messages)
{
	json_t	*m;

	m = webhook_message(WEBHOOK_DINGTALK, "日报", "第一中学xyz", 12);
	ck_assert_str_eq(json_string_value(json_object_get(m, "msgtype")),
	    "markdown");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(m,
	    "markdown"), "title")), "日报");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(m,
	    "markdown"), "text")), "第一中学");
	json_decref(m);
	m = webhook_message(WEBHOOK_WECOM, "日报", "第一中学", 12);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(m,
	    "markdown"), "content")), "第一中学");
	ck_assert_ptr_null(json_object_get(json_object_get(m, "markdown"),
	    "title"));
	json_decref(m);
}
END_TEST

/* The known answer, from: printf '1700000000000\nSECtest' |
 * openssl dgst -sha256 -hmac SECtest -binary | base64 */
START_TEST(test_sign)
{
	char	*sig = webhook_sign("SECtest", 1700000000000LL);

	ck_assert_ptr_nonnull(sig);
	ck_assert_str_eq(sig, "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=");
	free(sig);
	sig = webhook_sign("SECtest", 1700000000001LL);
	ck_assert_str_ne(sig, "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=");
	free(sig);
}
END_TEST

static Suite *
webhook_suite(void)
{
	Suite	*s = suite_create("webhook");
	TCase	*tc = tcase_create("pure");

	tcase_add_loop_test(tc, test_format_of, 0, NELEM(formats));
	tcase_add_loop_test(tc, test_check, 0, NELEM(checks));
	tcase_add_test(tc, test_split_lines);
	tcase_add_test(tc, test_split_no_line_end);
	tcase_add_test(tc, test_split_short);
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_sign);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(webhook_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
