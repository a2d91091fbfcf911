/*
 * Unit tests of daemon/config.c: the defaults of SPEC, a full file, and
 * every kind of bad value, each reported with the key it is about.
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The name under which test texts are loaded, as in messages. */
#define NAME		"test.conf"

/* Returns the number of lines in c->errors, 0 when there are none. */
static int
error_lines(const struct config *c)
{
	const char	*p;
	int		 n;

	if (c->errors == NULL || *c->errors == '\0')
		return 0;
	for (n = 1, p = c->errors; *p != '\0'; p++)
		if (*p == '\n' && p[1] != '\0')
			n++;
	return n;
}

/*
 * The configuration under test.  The fixture frees it after every test,
 * failed ones too, so that no run leaks under ASan or valgrind.
 */
static struct config cfg;

static void
setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
}

static void
teardown(void)
{
	config_free(&cfg);
}

/* Loads text over fresh defaults into c.  Returns config_load_string's. */
static int
load(struct config *c, const char *text)
{
	config_free(c);
	config_defaults(c);
	return config_load_string(c, NAME, text);
}

/* ------------------------------------------------------------------ */
/* Defaults.                                                           */

/* The defaults of SPEC, "Configuration (INI)". */
static void
check_defaults(const struct config *c)
{
	ck_assert_str_eq(c->listen, "127.0.0.1:8470");
	ck_assert_int_eq(c->max_body, 65536);
	ck_assert_int_eq(c->max_output, 16777216);
	ck_assert_int_eq(c->max_photo, 10485760);
	ck_assert_int_eq(c->max_photos_per_hazard, 9);
	ck_assert_int_eq(c->rectify_needs_photo, 0);
	ck_assert_str_eq(c->database, LOCALSTATEDIR "/lib/hazardd/hazardd.db");
	ck_assert_str_eq(c->timezone, "Asia/Shanghai");
	ck_assert_int_eq(c->daily.hour, 8);
	ck_assert_int_eq(c->daily.minute, 0);
	ck_assert_int_eq(c->weekly.day, 1);
	ck_assert_int_eq(c->weekly.hour, 8);
	ck_assert_int_eq(c->weekly.minute, 30);
	ck_assert_int_eq(c->monthly.day, 1);
	ck_assert_int_eq(c->monthly.hour, 9);
	ck_assert_int_eq(c->monthly.minute, 0);
	ck_assert_int_eq(c->due_soon_days, 3);
	ck_assert_int_eq(c->escalate_after_days, 30);
	ck_assert_int_eq(c->robot_rows, 10);
	ck_assert_str_eq(c->outbox, LOCALSTATEDIR "/lib/hazardd/outbox");
	ck_assert_str_eq(c->language, "zh");
	ck_assert_str_eq(c->command, "");
	ck_assert_str_eq(c->webhook, "");
	ck_assert_str_eq(c->webhook_format, "");
	ck_assert_str_eq(c->webhook_secret, "");
	ck_assert_uint_eq(c->ndepartments, 0);
	ck_assert_int_eq(c->debug, 0);
}

START_TEST(test_config_defaults)
{
	config_defaults(&cfg);
	check_defaults(&cfg);
	ck_assert_ptr_null(cfg.errors);
	/* The default vocabulary maps each category to its department. */
	ck_assert_str_eq(config_department(&cfg, "fire"), "消防救援大队");
	config_free(&cfg);
}
END_TEST

/* An empty file keeps the defaults and splits the default listen. */
START_TEST(test_config_empty)
{
	ck_assert_int_eq(load(&cfg, ""), 0);
	ck_assert_ptr_null(cfg.errors);
	check_defaults(&cfg);
	ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
	ck_assert_int_eq(cfg.listen_port, 8470);
	config_free(&cfg);

	ck_assert_int_eq(load(&cfg, "; only a comment\n\n# and another\n"),
	    0);
	check_defaults(&cfg);
	ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
	ck_assert_int_eq(cfg.listen_port, 8470);
	config_free(&cfg);
}
END_TEST

/* SPEC's example file, comments and empty values included. */
static const char spec_example[] =
    "[server]\n"
    "listen = 127.0.0.1:8470          ; host:port, [::1]:port too\n"
    "max_body = 65536                 ; bytes; larger requests get 413\n"
    "[storage]\n"
    "database = /var/lib/hazardd/hazardd.db\n"
    "[schedule]\n"
    "timezone = Asia/Shanghai\n"
    "daily = 08:00\n"
    "weekly = Mon 08:30\n"
    "monthly = 1 09:00\n"
    "[policy]\n"
    "due_soon_days = 3\n"
    "escalate_after_days = 30\n"
    "[deliver]\n"
    "outbox = /var/lib/hazardd/outbox ; every digest is written here as "
    ".txt and .json\n"
    "language = zh                    ; digest headings and labels: zh or "
    "en\n"
    "command =                        ; e.g. /usr/sbin/sendmail -t : digest "
    "text on stdin\n"
    "webhook =                        ; e.g. a DingTalk or WeCom group-robot "
    "URL\n"
    "webhook_format =                 ; dingtalk or wecom; by default from "
    "the URL's host\n"
    "webhook_secret =                 ; DingTalk signing secret (SEC...), if "
    "the robot uses one\n"
    "[departments]\n"
    "fire = Fire Brigade\n"
    "food = Market Supervision\n"
    "surroundings = Police\n";

START_TEST(test_config_spec_example)
{
	ck_assert_msg(load(&cfg, spec_example) == 0, "refused: %s",
	    cfg.errors);
	ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
	ck_assert_int_eq(cfg.listen_port, 8470);
	ck_assert_int_eq(cfg.max_body, 65536);
	ck_assert_str_eq(cfg.database, "/var/lib/hazardd/hazardd.db");
	ck_assert_str_eq(cfg.outbox, "/var/lib/hazardd/outbox");
	ck_assert_str_eq(cfg.language, "zh");
	ck_assert_str_eq(cfg.command, "");
	ck_assert_str_eq(cfg.webhook, "");
	ck_assert_str_eq(cfg.webhook_format, "");
	ck_assert_str_eq(cfg.webhook_secret, "");
	ck_assert_int_eq(cfg.weekly.day, 1);
	ck_assert_int_eq(cfg.monthly.day, 1);
	ck_assert_uint_eq(cfg.ndepartments, 3);
	ck_assert_str_eq(config_department(&cfg, "fire"), "Fire Brigade");
	ck_assert_str_eq(config_department(&cfg, "food"),
	    "Market Supervision");
	ck_assert_str_eq(config_department(&cfg, "surroundings"), "Police");
	config_free(&cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A full valid file, every key set away from its default.             */

static const char full_file[] =
    "; hazardd for the tests: every key\n"
    "[server]\n"
    "listen = [::1]:9000\n"
    "max_body = 131072\n"
    "timeout = 60\n"
    "\n"
    "[storage]\n"
    "database = /srv/hazardd/安全.db\n"
    "\n"
    "[schedule]\n"
    "timezone = America/New_York\n"
    "daily = 07:45\n"
    "weekly = Fri 17:30\n"
    "monthly = 28 23:59\n"
    "\n"
    "[policy]\n"
    "due_soon_days = 7\n"
    "escalate_after_days = 14\n"
    "\n"
    "[deliver]\n"
    "outbox = /srv/hazardd/outbox\n"
    "language = en\n"
    "command = /usr/sbin/sendmail -t\n"
    "webhook = https://oapi.dingtalk.com/robot/send?access_token=0123abcd\n"
    "webhook_format = dingtalk\n"
    "webhook_secret = SEC0123456789abcdef\n"
    "\n"
    "[log]\n"
    "debug = yes\n"
    "\n"
    "[departments]\n"
    "fire = 消防救援大队\n"
    "food = 市场监督管理局\n"
    "surroundings = 公安派出所\n"
    "traffic = Traffic Police\n";

static void
check_full(const struct config *c)
{
	ck_assert_str_eq(c->listen, "[::1]:9000");
	ck_assert_str_eq(c->listen_host, "::1");
	ck_assert_int_eq(c->listen_port, 9000);
	ck_assert_int_eq(c->max_body, 131072);
	ck_assert_int_eq(c->timeout, 60);
	ck_assert_str_eq(c->database, "/srv/hazardd/安全.db");
	ck_assert_str_eq(c->timezone, "America/New_York");
	ck_assert_int_eq(c->daily.hour, 7);
	ck_assert_int_eq(c->daily.minute, 45);
	ck_assert_int_eq(c->weekly.day, 5);
	ck_assert_int_eq(c->weekly.hour, 17);
	ck_assert_int_eq(c->weekly.minute, 30);
	ck_assert_int_eq(c->monthly.day, 28);
	ck_assert_int_eq(c->monthly.hour, 23);
	ck_assert_int_eq(c->monthly.minute, 59);
	ck_assert_int_eq(c->due_soon_days, 7);
	ck_assert_int_eq(c->escalate_after_days, 14);
	ck_assert_str_eq(c->outbox, "/srv/hazardd/outbox");
	ck_assert_str_eq(c->language, "en");
	ck_assert_str_eq(c->command, "/usr/sbin/sendmail -t");
	ck_assert_str_eq(c->webhook,
	    "https://oapi.dingtalk.com/robot/send?access_token=0123abcd");
	ck_assert_str_eq(c->webhook_format, "dingtalk");
	ck_assert_str_eq(c->webhook_secret, "SEC0123456789abcdef");
	ck_assert_int_eq(c->debug, 1);
	ck_assert_uint_eq(c->ndepartments, 4);
	ck_assert_str_eq(config_department(c, "fire"), "消防救援大队");
	ck_assert_str_eq(config_department(c, "food"), "市场监督管理局");
	ck_assert_str_eq(config_department(c, "surroundings"), "公安派出所");
	ck_assert_str_eq(config_department(c, "traffic"), "Traffic Police");
	ck_assert_ptr_null(config_department(c, "electric"));
	ck_assert_ptr_null(config_department(c, ""));
	ck_assert_ptr_null(config_department(c, "Fire"));
	ck_assert_ptr_null(config_department(c, "消防救援大队"));
}

START_TEST(test_config_full)
{
	ck_assert_msg(load(&cfg, full_file) == 0, "refused: %s", cfg.errors);
	ck_assert_ptr_null(cfg.errors);
	check_full(&cfg);
	config_free(&cfg);
	/* config_free leaves nothing behind. */
	ck_assert_ptr_null(cfg.listen);
	ck_assert_ptr_null(cfg.departments);
	ck_assert_uint_eq(cfg.ndepartments, 0);
	ck_assert_ptr_null(cfg.errors);
}
END_TEST

/* The same file, read from disk with config_load. */
START_TEST(test_config_load_file)
{
	char		 path[] = "/tmp/check_config.XXXXXX";
	FILE		*f;
	int		 fd, rc;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(full_file, 1, sizeof(full_file) - 1, f),
	    sizeof(full_file) - 1);
	ck_assert_int_eq(fclose(f), 0);

	config_defaults(&cfg);
	rc = config_load(&cfg, path);
	unlink(path);
	ck_assert_msg(rc == 0, "refused: %s", cfg.errors);
	check_full(&cfg);
	config_free(&cfg);
}
END_TEST

/* A file that is not there fails, saying which and why. */
START_TEST(test_config_load_missing)
{
	const char	*path = "/nonexistent/hazardd/hazardd.conf";

	config_defaults(&cfg);
	ck_assert_int_eq(config_load(&cfg, path), -1);
	ck_assert_ptr_nonnull(cfg.errors);
	ck_assert_msg(strstr(cfg.errors, path) != NULL, "\"%s\"", cfg.errors);
	ck_assert_msg(strstr(cfg.errors, "No such file") != NULL ||
	    strstr(cfg.errors, "cannot open") != NULL, "\"%s\"", cfg.errors);
	config_free(&cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Good values, one at a time.                                         */

static const struct listen_case {
	const char	*value;
	const char	*host;
	int		 port;
} listen_cases[] = {
	{ "127.0.0.1:8470", "127.0.0.1", 8470 },
	{ "0.0.0.0:80", "0.0.0.0", 80 },
	{ "localhost:8470", "localhost", 8470 },
	{ "hazard.edu.example.cn:65535", "hazard.edu.example.cn", 65535 },
	{ "[::1]:9000", "::1", 9000 },
	{ "[::]:8470", "::", 8470 },
	{ "[fe80::1%eth0]:1", "fe80::1%eth0", 1 },
};

START_TEST(test_config_listen)
{
	const struct listen_case	*c = &listen_cases[_i];
	char				 text[128];

	snprintf(text, sizeof(text), "[server]\nlisten = %s\n", c->value);
	ck_assert_msg(load(&cfg, text) == 0, "%s refused: %s", c->value,
	    cfg.errors);
	ck_assert_str_eq(cfg.listen, c->value);
	ck_assert_str_eq(cfg.listen_host, c->host);
	ck_assert_int_eq(cfg.listen_port, c->port);
	config_free(&cfg);
}
END_TEST

static const struct when_case {
	const char	*key;
	const char	*value;
	int		 day, hour, minute;
} when_cases[] = {
	{ "daily", "00:00", -1, 0, 0 },
	{ "daily", "23:59", -1, 23, 59 },
	{ "daily", "08:00", -1, 8, 0 },
	{ "weekly", "Mon 08:30", 1, 8, 30 },
	{ "weekly", "monday 08:30", 1, 8, 30 },
	{ "weekly", "Tue 00:00", 2, 0, 0 },
	{ "weekly", "Wednesday 12:00", 3, 12, 0 },
	{ "weekly", "thu 06:15", 4, 6, 15 },
	{ "weekly", "FRI 17:30", 5, 17, 30 },
	{ "weekly", "Sat 09:00", 6, 9, 0 },
	{ "weekly", "Sunday 23:59", 7, 23, 59 },
	{ "weekly", "Mon  08:30", 1, 8, 30 },
	{ "monthly", "1 09:00", 1, 9, 0 },
	{ "monthly", "15 12:30", 15, 12, 30 },
	{ "monthly", "28 23:59", 28, 23, 59 },
};

START_TEST(test_config_when)
{
	const struct when_case	*c = &when_cases[_i];
	const struct config_when *w;
	char			 text[128];

	snprintf(text, sizeof(text), "[schedule]\n%s = %s\n", c->key,
	    c->value);
	ck_assert_msg(load(&cfg, text) == 0, "%s = %s refused: %s", c->key,
	    c->value, cfg.errors);
	w = strcmp(c->key, "daily") == 0 ? &cfg.daily :
	    strcmp(c->key, "weekly") == 0 ? &cfg.weekly : &cfg.monthly;
	if (c->day != -1)
		ck_assert_int_eq(w->day, c->day);
	ck_assert_int_eq(w->hour, c->hour);
	ck_assert_int_eq(w->minute, c->minute);
	config_free(&cfg);
}
END_TEST

/* Limits of the numbers, inclusive. */
static const struct number_case {
	const char	*text;
	size_t		 offset;	/* of the long or int in struct config */
	int		 is_long;
	long		 value;
} number_cases[] = {
#define OFF(m)	offsetof(struct config, m)
	{ "[server]\nmax_body = 1024\n", OFF(max_body), 1, 1024 },
	{ "[server]\nmax_body = 67108864\n", OFF(max_body), 1, 67108864 },
	{ "[server]\nmax_output = 1048576\n", OFF(max_output), 1, 1048576 },
	{ "[server]\nmax_output = 1073741824\n", OFF(max_output), 1,
	    1073741824 },
	{ "[server]\nmax_photo = 1024\n", OFF(max_photo), 1, 1024 },
	{ "[server]\nmax_photo = 268435456\n", OFF(max_photo), 1, 268435456 },
	{ "[server]\nmax_photos_per_hazard = 0\n", OFF(max_photos_per_hazard),
	    0, 0 },
	{ "[server]\nmax_photos_per_hazard = 1000\n",
	    OFF(max_photos_per_hazard), 0, 1000 },
	{ "[policy]\nrectify_needs_photo = yes\n", OFF(rectify_needs_photo), 0,
	    1 },
	{ "[policy]\nrectify_needs_photo = no\n", OFF(rectify_needs_photo), 0,
	    0 },
	{ "[server]\ntimeout = 1\n", OFF(timeout), 0, 1 },
	{ "[server]\ntimeout = 3600\n", OFF(timeout), 0, 3600 },
	{ "[policy]\ndue_soon_days = 0\n", OFF(due_soon_days), 0, 0 },
	{ "[policy]\ndue_soon_days = 365\n", OFF(due_soon_days), 0, 365 },
	{ "[policy]\nescalate_after_days = 1\n", OFF(escalate_after_days), 0,
	    1 },
	{ "[policy]\nescalate_after_days = 3650\n", OFF(escalate_after_days),
	    0, 3650 },
	{ "[deliver]\nrobot_rows = 1\n", OFF(robot_rows), 0, 1 },
	{ "[deliver]\nrobot_rows = 500\n", OFF(robot_rows), 0, 500 },
	{ "[log]\ndebug = 1\n", OFF(debug), 0, 1 },
	{ "[log]\ndebug = true\n", OFF(debug), 0, 1 },
	{ "[log]\ndebug = no\n", OFF(debug), 0, 0 },
#undef OFF
};

START_TEST(test_config_numbers)
{
	const struct number_case	*c = &number_cases[_i];
	const char			*base;
	long				 got;

	ck_assert_msg(load(&cfg, c->text) == 0, "\"%s\" refused: %s",
	    c->text, cfg.errors);
	base = (const char *)&cfg + c->offset;
	if (c->is_long)
		memcpy(&got, base, sizeof(got));
	else {
		int	i;

		memcpy(&i, base, sizeof(i));
		got = i;
	}
	ck_assert_msg(got == c->value, "\"%s\": %ld", c->text, got);
	config_free(&cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Bad values: each refused, with a message that names the key.        */

static const struct bad_case {
	const char	*section;
	const char	*key;
	const char	*value;
} bad_cases[] = {
	{ "server", "listen", "127.0.0.1" },		/* no port */
	{ "server", "listen", "127.0.0.1:" },
	{ "server", "listen", ":8470" },
	{ "server", "listen", "127.0.0.1:70000" },
	{ "server", "listen", "127.0.0.1:65536" },
	{ "server", "listen", "127.0.0.1:-1" },
	{ "server", "listen", "127.0.0.1:http" },
	{ "server", "listen", "127.0.0.1:84x" },
	{ "server", "listen", "::1:9000" },		/* v6 needs brackets */
	{ "server", "listen", "[::1]9000" },
	{ "server", "listen", "[::1]:" },
	{ "server", "listen", "[::1" },
	{ "server", "listen", "[]:9000" },
	{ "server", "listen", "" },
	{ "server", "max_body", "abc" },
	{ "server", "max_body", "" },
	{ "server", "max_body", "64k" },
	{ "server", "max_body", "1023" },
	{ "server", "max_body", "67108865" },
	{ "server", "max_body", "-65536" },
	{ "server", "max_body", "99999999999999999999999" },
	{ "server", "max_photo", "1023" },
	{ "server", "max_photo", "268435457" },
	{ "server", "max_photo", "10M" },
	{ "server", "max_photos_per_hazard", "-1" },
	{ "server", "max_photos_per_hazard", "1001" },
	{ "policy", "rectify_needs_photo", "maybe" },
	{ "server", "max_output", "1048575" },
	{ "server", "max_output", "1073741825" },
	{ "server", "max_output", "16M" },
	{ "server", "timeout", "0" },
	{ "server", "timeout", "3601" },
	{ "server", "timeout", "30s" },
	{ "storage", "database", "" },
	{ "schedule", "timezone", "Mars/Base" },
	{ "schedule", "timezone", "" },
	{ "schedule", "timezone", "../../../etc/passwd" },
	{ "schedule", "timezone", "/etc/localtime" },
	{ "schedule", "timezone", "Asia/Beijing" },
	{ "schedule", "daily", "25:00" },
	{ "schedule", "daily", "24:00" },
	{ "schedule", "daily", "08:60" },
	{ "schedule", "daily", "8:00" },
	{ "schedule", "daily", "0800" },
	{ "schedule", "daily", "08:00:00" },
	{ "schedule", "daily", "noon" },
	{ "schedule", "daily", "" },
	{ "schedule", "weekly", "Xyz 08:00" },
	{ "schedule", "weekly", "Mon" },
	{ "schedule", "weekly", "08:30" },
	{ "schedule", "weekly", "Mo 08:30" },
	{ "schedule", "weekly", "Mon 25:00" },
	{ "schedule", "weekly", "周一 08:30" },
	{ "schedule", "monthly", "31 09:00" },
	{ "schedule", "monthly", "29 09:00" },
	{ "schedule", "monthly", "0 09:00" },
	{ "schedule", "monthly", "-1 09:00" },
	{ "schedule", "monthly", "1" },
	{ "schedule", "monthly", "1 9am" },
	{ "schedule", "monthly", "first 09:00" },
	{ "policy", "due_soon_days", "-1" },
	{ "policy", "due_soon_days", "366" },
	{ "policy", "due_soon_days", "three" },
	{ "policy", "escalate_after_days", "0" },
	{ "policy", "escalate_after_days", "3651" },
	{ "policy", "escalate_after_days", "" },
	{ "deliver", "robot_rows", "0" },
	{ "deliver", "robot_rows", "501" },
	{ "deliver", "robot_rows", "ten" },
	{ "deliver", "language", "fr" },
	{ "deliver", "language", "zh-CN" },
	{ "deliver", "language", "" },
	{ "deliver", "webhook", "ftp://x" },
	{ "deliver", "webhook", "oapi.dingtalk.com/robot/send" },
	{ "deliver", "webhook", "https" },
	{ "deliver", "webhook_format", "slack" },
	{ "log", "debug", "maybe" },
	{ "departments", "fire", "" },
};

START_TEST(test_config_bad_value)
{
	const struct bad_case	*c = &bad_cases[_i];
	char			 text[256];

	snprintf(text, sizeof(text), "[%s]\n%s = %s\n", c->section, c->key,
	    c->value);
	ck_assert_msg(load(&cfg, text) == -1, "[%s] %s = \"%s\" accepted",
	    c->section, c->key, c->value);
	ck_assert_ptr_nonnull(cfg.errors);
	ck_assert_msg(strstr(cfg.errors, c->key) != NULL,
	    "[%s] %s = \"%s\": message \"%s\" does not name the key",
	    c->section, c->key, c->value, cfg.errors);
	ck_assert_msg(strstr(cfg.errors, NAME) != NULL,
	    "message \"%s\" does not name the file", cfg.errors);
	ck_assert_msg(error_lines(&cfg) == 1, "[%s] %s = \"%s\": %d lines: %s",
	    c->section, c->key, c->value, error_lines(&cfg), cfg.errors);
	config_free(&cfg);
}
END_TEST

/* A refused value leaves what it would have replaced alone. */
START_TEST(test_config_bad_keeps_default)
{
	ck_assert_int_eq(load(&cfg, "[server]\nlisten = 127.0.0.1:70000\n"
	    "max_body = abc\n[schedule]\ntimezone = Mars/Base\n"
	    "[deliver]\nlanguage = fr\nwebhook = ftp://x\n"), -1);
	ck_assert_int_eq(error_lines(&cfg), 5);
	ck_assert_str_eq(cfg.listen, "127.0.0.1:8470");
	ck_assert_int_eq(cfg.max_body, 65536);
	ck_assert_str_eq(cfg.timezone, "Asia/Shanghai");
	ck_assert_str_eq(cfg.language, "zh");
	ck_assert_str_eq(cfg.webhook, "");
	config_free(&cfg);
}
END_TEST

/* Keys that do not exist, in sections that do and do not. */
static const struct unknown_case {
	const char	*text;
	const char	*word;
} unknown_cases[] = {
	{ "[server]\nport = 8470\n", "port" },
	{ "[deliver]\nlanguages = en\n", "languages" },
	{ "[schedule]\nlisten = 127.0.0.1:8470\n", "listen" },
	{ "[nosuch]\ncolour = blue\n", "colour" },
	{ "[nosuch]\ncolour = blue\n", "nosuch" },
	{ "language = en\n", "language" },
};

START_TEST(test_config_unknown_key)
{
	const struct unknown_case	*c = &unknown_cases[_i];

	ck_assert_msg(load(&cfg, c->text) == -1, "\"%s\" accepted", c->text);
	ck_assert_ptr_nonnull(cfg.errors);
	ck_assert_msg(strstr(cfg.errors, c->word) != NULL,
	    "message \"%s\" lacks \"%s\"", cfg.errors, c->word);
	ck_assert_int_eq(error_lines(&cfg), 1);
	config_free(&cfg);
}
END_TEST

/* Lines that are neither [section] nor key = value. */
static const struct syntax_case {
	const char	*text;
	const char	*where;
} syntax_cases[] = {
	{ "[server]\nmax_body 65536\n", NAME ":2:" },
	{ "[server\nmax_body = 65536\n", NAME ":1:" },
	{ "[server]\nmax_body = 65536\n\n; fine\nthis is not ini\n",
	    NAME ":5:" },
	{ "[deliver]\nlanguage = zh\n东楼安全出口堵塞\n", NAME ":3:" },
};

START_TEST(test_config_syntax_error)
{
	const struct syntax_case	*c = &syntax_cases[_i];

	ck_assert_msg(load(&cfg, c->text) == -1, "\"%s\" accepted", c->text);
	ck_assert_ptr_nonnull(cfg.errors);
	ck_assert_msg(strstr(cfg.errors, c->where) != NULL,
	    "message \"%s\" lacks \"%s\"", cfg.errors, c->where);
	config_free(&cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Every problem is reported, not just the first.                      */

START_TEST(test_config_three_errors)
{
	ck_assert_int_eq(load(&cfg,
	    "[server]\n"
	    "listen = 127.0.0.1\n"
	    "max_body = abc\n"
	    "[policy]\n"
	    "due_soon_days = 5\n"
	    "[deliver]\n"
	    "language = fr\n"), -1);
	ck_assert_ptr_nonnull(cfg.errors);
	ck_assert_msg(error_lines(&cfg) == 3, "%d lines: %s",
	    error_lines(&cfg), cfg.errors);
	ck_assert_ptr_nonnull(strstr(cfg.errors, "listen"));
	ck_assert_ptr_nonnull(strstr(cfg.errors, "max_body"));
	ck_assert_ptr_nonnull(strstr(cfg.errors, "language"));
	/* The good key between them was still read. */
	ck_assert_int_eq(cfg.due_soon_days, 5);
	config_free(&cfg);
}
END_TEST

/* Three problems of three kinds: a value, a syntax error, a key. */
START_TEST(test_config_three_kinds)
{
	ck_assert_int_eq(load(&cfg,
	    "[schedule]\n"
	    "daily = 25:00\n"
	    "not a line\n"
	    "[server]\n"
	    "colour = blue\n"), -1);
	ck_assert_msg(error_lines(&cfg) == 3, "%d lines: %s",
	    error_lines(&cfg), cfg.errors);
	ck_assert_ptr_nonnull(strstr(cfg.errors, "daily"));
	ck_assert_ptr_nonnull(strstr(cfg.errors, NAME ":3:"));
	ck_assert_ptr_nonnull(strstr(cfg.errors, "colour"));
	config_free(&cfg);
}
END_TEST

/*
 * Two lines that are not INI are two problems (config.h: "every problem
 * in c->errors"), each with its own line number.
 */
START_TEST(test_config_every_syntax_error)
{
	ck_assert_int_eq(load(&cfg,
	    "[server]\n"
	    "max_body 65536\n"
	    "timeout 30\n"
	    "[deliver]\n"
	    "language = fr\n"), -1);
	ck_assert_ptr_nonnull(cfg.errors);
	ck_assert_msg(strstr(cfg.errors, NAME ":2:") != NULL &&
	    strstr(cfg.errors, NAME ":3:") != NULL && error_lines(&cfg) == 3,
	    "expected lines 2 and 3 and the language, got: %s", cfg.errors);
	config_free(&cfg);
}
END_TEST

/* config.h: errors are "FILE:LINE: message" lines, values included. */
START_TEST(test_config_errors_carry_line)
{
	ck_assert_int_eq(load(&cfg, "[server]\nmax_body = abc\n"), -1);
	ck_assert_msg(strstr(cfg.errors, NAME ":2:") != NULL,
	    "no line number in \"%s\"", cfg.errors);
	config_free(&cfg);

	ck_assert_int_eq(load(&cfg, "[server]\n\n\ncolour = blue\n"), -1);
	ck_assert_msg(strstr(cfg.errors, NAME ":4:") != NULL,
	    "no line number in \"%s\"", cfg.errors);
	config_free(&cfg);
}
END_TEST

/* A directory or a data file of the zoneinfo is not a time zone. */
static const char *not_zones[] = { "Asia", "Asia/", "America", "zone.tab",
    "iso3166.tab" };

START_TEST(test_config_timezone_not_a_zone)
{
	char		text[128];

	snprintf(text, sizeof(text), "[schedule]\ntimezone = %s\n",
	    not_zones[_i]);
	ck_assert_msg(load(&cfg, text) == -1,
	    "timezone = %s accepted as a time zone", not_zones[_i]);
	ck_assert_ptr_nonnull(strstr(cfg.errors, "timezone"));
	config_free(&cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* [departments].                                                      */

START_TEST(test_config_departments)
{
	ck_assert_int_eq(load(&cfg,
	    "[departments]\n"
	    "fire = 消防救援大队\n"
	    "food = 市场监督管理局（食品安全科）\n"
	    "surroundings = 公安分局 治安大队\n"
	    "traffic = Traffic Police\n"), 0);
	ck_assert_uint_eq(cfg.ndepartments, 4);
	ck_assert_str_eq(config_department(&cfg, "fire"), "消防救援大队");
	ck_assert_str_eq(config_department(&cfg, "food"),
	    "市场监督管理局（食品安全科）");
	ck_assert_str_eq(config_department(&cfg, "surroundings"),
	    "公安分局 治安大队");
	ck_assert_str_eq(config_department(&cfg, "traffic"), "Traffic Police");
	ck_assert_ptr_null(config_department(&cfg, "electric"));
	ck_assert_ptr_null(config_department(&cfg, "fir"));
	ck_assert_ptr_null(config_department(&cfg, "fire "));
	config_free(&cfg);
}
END_TEST

/*
 * Indented keys are common in hand-written INI files; "food" must not
 * silently vanish into the value of "fire".
 */
START_TEST(test_config_departments_indented)
{
	const char	*food;
	int		 rc;

	rc = load(&cfg,
	    "[departments]\n"
	    "    fire = 消防救援大队\n"
	    "    food = 市场监督管理局\n");
	food = config_department(&cfg, "food");
	ck_assert_msg(rc == -1 ||
	    (food != NULL && strcmp(food, "市场监督管理局") == 0),
	    "accepted, but food maps to %s and fire to \"%s\" (%zu entries)",
	    food != NULL ? food : "nothing",
	    config_department(&cfg, "fire") != NULL ?
	    config_department(&cfg, "fire") : "(none)", cfg.ndepartments);
	config_free(&cfg);
}
END_TEST

/* A category mapped twice is refused, or the last mapping counts. */
START_TEST(test_config_departments_duplicate)
{
	const char	*fire;
	int		 rc;

	rc = load(&cfg,
	    "[departments]\n"
	    "fire = 消防大队\n"
	    "fire = 消防救援大队\n");
	fire = config_department(&cfg, "fire");
	ck_assert_msg((rc == -1 && cfg.errors != NULL &&
	    strstr(cfg.errors, "fire") != NULL) ||
	    (rc == 0 && fire != NULL && strcmp(fire, "消防救援大队") == 0),
	    "accepted silently, fire maps to \"%s\"",
	    fire != NULL ? fire : "(none)");
	config_free(&cfg);
}
END_TEST

/*
 * A long value (a command with its arguments) is read whole, or refused
 * with a message about its own line.
 */
START_TEST(test_config_long_value)
{
	char		 cmd[301], text[400];
	int		 rc;

	memset(cmd, 'a', sizeof(cmd) - 1);
	memcpy(cmd, "/usr/local/bin/", 15);
	cmd[sizeof(cmd) - 1] = '\0';
	snprintf(text, sizeof(text), "[deliver]\ncommand = %s\n", cmd);
	rc = load(&cfg, text);
	ck_assert_msg((rc == 0 && strcmp(cfg.command, cmd) == 0) ||
	    (rc == -1 && (strstr(cfg.errors, NAME ":2:") != NULL ||
	    strstr(cfg.errors, "command") != NULL)),
	    "rc %d, command of %zu bytes, errors: %s", rc,
	    strlen(cfg.command), cfg.errors != NULL ? cfg.errors : "none");
	config_free(&cfg);
}
END_TEST

/*
 * [server] metrics_token: none by default; a good one is kept; one too
 * short is refused without being repeated in the message.
 */
START_TEST(test_config_metrics_token)
{
	ck_assert_int_eq(load(&cfg, "[server]\n"), 0);
	ck_assert_str_eq(cfg.metrics_token, "");
	config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "[server]\nmetrics_token = "
	    "prometheus-9f3a61c2\n"), 0);
	ck_assert_str_eq(cfg.metrics_token, "prometheus-9f3a61c2");
	config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "[server]\nmetrics_token = sEcr3t\n"),
	    -1);
	ck_assert_ptr_nonnull(strstr(cfg.errors, "metrics_token"));
	ck_assert_ptr_null(strstr(cfg.errors, "sEcr3t"));
	config_free(&cfg);
}
END_TEST

/* [server] metrics_listen: none by default, host:port, or refused. */
START_TEST(test_config_metrics_listen)
{
	ck_assert_int_eq(load(&cfg, "[server]\n"), 0);
	ck_assert_str_eq(cfg.metrics_listen, "");
	config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "[server]\nmetrics_listen = "
	    "[::1]:9470\n"), 0);
	ck_assert_str_eq(cfg.metrics_host, "::1");
	ck_assert_int_eq(cfg.metrics_port, 9470);
	ck_assert_str_eq(cfg.listen_host, "127.0.0.1");
	config_free(&cfg);
	ck_assert_int_eq(load(&cfg, "[server]\nmetrics_listen = 9470\n"),
	    -1);
	ck_assert_ptr_nonnull(strstr(cfg.errors, "metrics_listen"));
	config_free(&cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* [categories]: the vocabulary.                                       */

/* Without [categories], the default set: bench/gen's codes among them. */
START_TEST(test_categories_default)
{
	static const char *const codes[] = { "fire", "buildings",
	    "electrical", "food", "surroundings", "traffic", "security",
	    "lab", "sports", "health", "dormitory", "water" };
	const struct category	*c;
	size_t			 i;

	ck_assert_int_eq(load(&cfg, ""), 0);
	ck_assert_uint_ge(cfg.categories.n, 15);
	for (i = 0; i < NELEM(codes); i++)
		ck_assert_msg(category_get(&cfg.categories, codes[i]) != NULL,
		    "%s is not in the default set", codes[i]);
	c = category_get(&cfg.categories, "fire");
	ck_assert_str_eq(c->zh, "消防安全");
	ck_assert_str_eq(c->en, "Fire safety");
	/* Its code or either name finds it; ASCII case aside. */
	ck_assert_ptr_eq(category_find(&cfg.categories, "消防安全"), c);
	ck_assert_ptr_eq(category_find(&cfg.categories, "FIRE"), c);
	ck_assert_ptr_eq(category_find(&cfg.categories, "fire safety"), c);
	ck_assert_ptr_null(category_find(&cfg.categories, "消防"));
	ck_assert_ptr_null(category_find(&cfg.categories, "fir"));
	ck_assert_ptr_null(category_get(&cfg.categories, "FIRE"));
	ck_assert_ptr_nonnull(category_find(&cfg.categories, "防溺水"));
	ck_assert_ptr_nonnull(category_find(&cfg.categories, "校园欺凌"));
	ck_assert_ptr_null(cfg.warnings);
}
END_TEST

/* A [categories] section replaces the default set, in its order. */
START_TEST(test_categories_configured)
{
	const struct category	*c;
	char			 codes[64];

	ck_assert_msg(load(&cfg,
	    "[categories]\n"
	    "fire = 消防安全 | Fire safety | 消防救援大队\n"
	    "food=食品安全|Food safety\n"
	    "ride = 游乐设施 |  Rides, slides and swings  | \n") == 0,
	    "refused: %s", cfg.errors);
	ck_assert_uint_eq(cfg.categories.n, 3);
	c = category_get(&cfg.categories, "food");
	ck_assert_str_eq(c->zh, "食品安全");
	ck_assert_str_eq(c->en, "Food safety");
	ck_assert_ptr_null(c->department);
	c = category_get(&cfg.categories, "ride");
	ck_assert_str_eq(c->en, "Rides, slides and swings");
	ck_assert_ptr_null(c->department);
	ck_assert_str_eq(config_department(&cfg, "fire"), "消防救援大队");
	ck_assert_ptr_null(category_get(&cfg.categories, "traffic"));
	category_codes(&cfg.categories, codes, sizeof(codes));
	ck_assert_str_eq(codes, "fire, food, ride");
	category_codes(&cfg.categories, codes, 10);
	ck_assert_str_eq(codes, "fire, ...");
}
END_TEST

/* Each bad line of [categories] is an error naming its line. */
static const struct {
	const char	*line;
	const char	*why;
} bad_categories[] = {
	{ "Fire = 消防安全 | Fire safety", "a code is 1-32" },
	{ "fire! = 消防安全 | Fire safety", "a code is 1-32" },
	{ "fire = 消防安全", "expected 中文名 | English name" },
	{ "fire = 消防安全 | | 消防救援大队", "expected 中文名 | English name" },
	{ "fire = a | b | c | d", "expected 中文名 | English name" },
	{ "fire =  | Fire safety", "expected 中文名 | English name" },
	{ "fire = food | Fire safety", "has this code or name already" },
	{ "power = 食品安全 | Power", "has this code or name already" },
	{ "power = 电 | FOOD SAFETY", "has this code or name already" },
	{ "food = 电 | Power", "has this code or name already" },
};

START_TEST(test_categories_bad)
{
	char	text[256];

	snprintf(text, sizeof(text), "[categories]\n"
	    "food = 食品安全 | Food safety\n"
	    "%s\n", bad_categories[_i].line);
	ck_assert_int_eq(load(&cfg, text), -1);
	ck_assert_int_eq(error_lines(&cfg), 1);
	ck_assert_msg(strstr(cfg.errors, NAME ":3: [categories]") != NULL &&
	    strstr(cfg.errors, bad_categories[_i].why) != NULL,
	    "%s: %s", bad_categories[_i].line, cfg.errors);
}
END_TEST

/*
 * The deprecated [departments] still works, with a warning: a known code
 * takes the department; an unknown one becomes a category of its own.
 */
START_TEST(test_categories_departments_compat)
{
	const struct category	*c;

	ck_assert_int_eq(load(&cfg,
	    "[departments]\n"
	    "fire = 消防大队\n"
	    "playground = 体卫艺科\n"
	    "[categories]\n"
	    "fire = 消防安全 | Fire safety | 消防救援大队\n"), 0);
	ck_assert_str_eq(config_department(&cfg, "fire"), "消防大队");
	c = category_get(&cfg.categories, "playground");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->zh, "playground");
	ck_assert_str_eq(c->department, "体卫艺科");
	ck_assert_ptr_nonnull(cfg.warnings);
	ck_assert_ptr_nonnull(strstr(cfg.warnings, "[departments] is "
	    "deprecated"));
	/* A name is no code to map. */
	ck_assert_int_eq(load(&cfg,
	    "[departments]\n"
	    "消防安全 = 消防大队\n"), -1);
	ck_assert_ptr_nonnull(strstr(cfg.errors, NAME ":2: [departments] "
	    "消防安全: not the code of a category"));
}
END_TEST

static Suite *
config_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("config");

	tc = tcase_create("good");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_empty);
	tcase_add_test(tc, test_config_spec_example);
	tcase_add_test(tc, test_config_full);
	tcase_add_test(tc, test_config_load_file);
	tcase_add_test(tc, test_config_load_missing);
	tcase_add_loop_test(tc, test_config_listen, 0, NELEM(listen_cases));
	tcase_add_loop_test(tc, test_config_when, 0, NELEM(when_cases));
	tcase_add_loop_test(tc, test_config_numbers, 0, NELEM(number_cases));
	tcase_add_test(tc, test_config_departments);
	tcase_add_test(tc, test_categories_default);
	tcase_add_test(tc, test_categories_configured);
	tcase_add_test(tc, test_categories_departments_compat);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_config_bad_value, 0, NELEM(bad_cases));
	tcase_add_test(tc, test_config_bad_keeps_default);
	tcase_add_loop_test(tc, test_config_unknown_key, 0,
	    NELEM(unknown_cases));
	tcase_add_loop_test(tc, test_config_syntax_error, 0,
	    NELEM(syntax_cases));
	tcase_add_test(tc, test_config_three_errors);
	tcase_add_test(tc, test_config_three_kinds);
	tcase_add_test(tc, test_config_every_syntax_error);
	tcase_add_test(tc, test_config_errors_carry_line);
	tcase_add_loop_test(tc, test_config_timezone_not_a_zone, 0,
	    NELEM(not_zones));
	tcase_add_test(tc, test_config_departments_indented);
	tcase_add_test(tc, test_config_departments_duplicate);
	tcase_add_test(tc, test_config_long_value);
	tcase_add_test(tc, test_config_metrics_token);
	tcase_add_test(tc, test_config_metrics_listen);
	tcase_add_loop_test(tc, test_categories_bad, 0,
	    NELEM(bad_categories));
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(config_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
