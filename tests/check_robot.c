/*
 * Unit tests of daemon/digest_robot.c: a digest as a robot's markdown.
 * Each kind in both languages: no line that needs runs of spaces, a
 * heading for every section, rows capped with the count of the rest,
 * text from schools escaped, and a summary whose numbers are the JSON's.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "digest_robot.h"

/* A rate as digest_build writes it. */
static json_t *
rate(long long rectified, long long identified)
{
	return json_pack("{s:I, s:I}", "rectified", (json_int_t)rectified,
	    "identified", (json_int_t)identified);
}

/* A row of figures; name NULL for a district's sum. */
static json_t *
row(const char *name, long long new, long long rectified, long long closed,
    long long open, long long overdue, long long due_soon, long long done,
    long long found)
{
	json_t	*o;

	o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:{s:o, s:o}}",
	    "new", (json_int_t)new, "rectified", (json_int_t)rectified,
	    "closed", (json_int_t)closed, "open", (json_int_t)open,
	    "overdue", (json_int_t)overdue, "due_soon", (json_int_t)due_soon,
	    "rates", "hazard", rate(done, found), "finding", rate(0, 0));
	if (name != NULL) {
		json_object_set_new(o, "name", json_string(name));
		json_object_set_new(o, "key", json_string("S001"));
	}
	return o;
}

/* A listed hazard. */
static json_t *
item(long long id, const char *school, const char *title, const char *days,
    long long n)
{
	json_t	*o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:i}",
	    "id", (json_int_t)id, "school", "S001", "school_name", school,
	    "title", title, "category", "fire", "state", "open",
	    "plan", id % 2, "assessment", 0, "escalation", 1);
	json_object_set_new(o, days, json_integer(n));
	return o;
}

#define HOSTILE_SCHOOL	"## 全区整改率 100%"
#define HOSTILE_TITLE	"[点这里](http://evil.example/) **急**"
#define HOSTILE_NOTE	"不合格\n## 已销号 [详情](http://evil.example/)"

/* A rectification the office rejected, with its note. */
static json_t *
rejection(long long id, const char *school, const char *title,
    const char *note)
{
	json_t	*o = item(id, school, title, "days", 0);

	json_object_del(o, "days");
	json_object_set_new(o, "note", json_string(note));
	json_object_set_new(o, "rejected_at",
	    json_string("2026-12-03T15:20:00+08:00"));
	return o;
}

/* A new hazard of grade. */
static json_t *
new_item(long long id, const char *school, const char *title,
    const char *grade)
{
	json_t	*o = item(id, school, title, "days", 0);

	json_object_del(o, "days");
	json_object_set_new(o, "grade", json_string(grade));
	return o;
}

/* A daily digest: 12 overdue, none due soon, 30 schools of which 2 busy. */
static json_t *
daily(void)
{
	json_t	*d, *overdue, *schools;
	int	 i;

	d = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i}", "kind", "daily",
	    "period", "2026-12-04", "revision", 1,
	    "since", "2026-12-03T08:00:00+08:00",
	    "until", "2026-12-04T08:00:00+08:00", "due_soon_days", 3);
	json_object_set_new(d, "district", row(NULL, 8, 3, 2, 12, 7, 3, 2, 8));
	json_object_set_new(json_object_get(d, "district"), "scope",
	    json_string("year"));
	json_object_set_new(d, "schools_sum", json_string("district"));
	overdue = json_array();
	json_array_append_new(overdue, item(11, HOSTILE_SCHOOL, HOSTILE_TITLE,
	    "days_overdue", 375));
	for (i = 1; i < 12; i++)
		json_array_append_new(overdue, item(100 + i, "沙坪坝区树人小学",
		    "宿舍楼灭火器过期", "days_overdue", i));
	json_object_set_new(d, "overdue", overdue);
	json_object_set_new(d, "due_soon", json_array());
	json_object_set_new(d, "new_hazards", json_pack("[o, o]",
	    new_item(21, "树人小学", "教学楼外墙脱落", "major"),
	    new_item(22, HOSTILE_SCHOOL, HOSTILE_TITLE, "general")));
	json_object_set_new(d, "rejected", json_pack("[o]", rejection(11,
	    HOSTILE_SCHOOL, HOSTILE_TITLE, HOSTILE_NOTE)));
	json_object_set_new(d, "awaiting", json_pack("[o]", item(12, "树人小学",
	    "配电箱未上锁", "days_waiting", 4)));
	json_object_set_new(d, "major", json_pack("[o]", item(7, "树人小学",
	    "教学楼外墙脱落", "days_open", 40)));
	json_object_set_new(d, "audit_head", json_pack("{s:I, s:s}", "event",
	    (json_int_t)3855649, "hash", "e11830d9d74780ac"));
	json_object_set_new(d, "warnings", json_pack("[{s:I, s:s, s:s, s:s, "
	    "s:s}]", "id", (json_int_t)3, "school", "S001", "school_name",
	    "树人小学", "title", "寒潮预警", "issued_at",
	    "2026-12-03T09:30:00+08:00"));
	schools = json_array();
	json_array_append_new(schools, row(HOSTILE_SCHOOL, 1, 0, 0, 2, 2, 0,
	    0, 0));
	json_array_append_new(schools, row("树人小学", 0, 1, 0, 0, 0, 0, 1, 1));
	for (i = 0; i < 28; i++)
		json_array_append_new(schools, row("安静小学", 0, 0, 0, 0, 0, 0,
		    0, 0));
	json_object_set_new(d, "schools", schools);
	return d;
}

/* A weekly or monthly digest with a dispatch of 3. */
static json_t *
longer(const char *kind)
{
	json_t	*d, *dispatch;

	d = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i}", "kind", kind,
	    "period", strcmp(kind, "weekly") == 0 ? "2026-W49" : "2026-11",
	    "revision", 2, "since", "2026-11-30T08:00:00+08:00",
	    "until", "2026-12-07T08:00:00+08:00", "due_soon_days", 3);
	json_object_set_new(d, "district", row(NULL, 5, 4, 3, 9, 1, 0, 4, 5));
	json_object_set_new(d, "year", row(NULL, 0, 0, 0, 20, 6, 0, 411, 416));
	json_object_set_new(d, "previous", row(NULL, 2, 2, 2, 0, 0, 0, 2, 2));
	/* The weekly's schools are of the year, the monthly's of the month. */
	json_object_set_new(json_object_get(d, "district"), "scope",
	    json_string("period"));
	json_object_set_new(json_object_get(d, "year"), "scope",
	    json_string("year"));
	json_object_set_new(d, "schools_sum", json_string(strcmp(kind,
	    "weekly") == 0 ? "year" : "district"));
	json_object_set_new(d, "major", json_pack("[o, o]", item(7, "树人小学",
	    "教学楼外墙脱落", "days_open", 40), item(8, "树人小学", "锅炉",
	    "days_open", 4)));
	json_object_set_new(d, "schools", json_pack("[o]", row("树人小学", 5,
	    4, 3, 9, 1, 0, 4, 5)));
	json_object_set_new(d, "categories", json_pack("[o]", row(NULL, 5, 4,
	    3, 9, 1, 0, 4, 5)));
	json_object_set_new(json_array_get(json_object_get(d, "categories"),
	    0), "key", json_string("fire"));
	json_object_set_new(d, "new_hazards", json_array());
	json_object_set_new(d, "rejected", json_array());
	if (strcmp(kind, "weekly") == 0) {
		json_object_set_new(d, "silent", json_pack("[{s:s, s:s}, "
		    "{s:s, s:s}, {s:s, s:s}]", "school", "S002",
		    "school_name", "育才中学", "school", "S003",
		    "school_name", "安静小学", "school", "S004",
		    "school_name", HOSTILE_SCHOOL));
		json_object_set_new(d, "late_acks", json_pack("[{s:I, s:s, "
		    "s:s, s:s, s:s, s:n}, {s:I, s:s, s:s, s:s, s:s, s:s}]",
		    "id", (json_int_t)3, "school", "S002", "school_name",
		    "育才中学", "title", "寒潮预警", "issued_at",
		    "2026-12-01T09:30:00+08:00", "acked_at",
		    "id", (json_int_t)4, "school", "S001", "school_name",
		    "树人小学", "title", HOSTILE_TITLE, "issued_at",
		    "2026-12-02T10:00:00+08:00", "acked_at",
		    "2026-12-03T11:15:00+08:00"));
	}
	dispatch = json_pack("{s:i, s:{s:[o, o], s:[o]}, s:{}}", "escalated", 3,
	    "departments", "区教委安全科", item(1, "树人小学", "灭火器",
	    "days_overdue", 2), item(2, "树人小学", "电线", "days_overdue", 5),
	    "", item(9, "育才中学", "围墙", "days_overdue", 9), "schools");
	json_object_set_new(d, "dispatch", dispatch);
	/* The period's activities: three schools, and the district's. */
	json_object_set_new(d, "activities", json_pack("{s:{s:i, s:i, s:i, "
	    "s:i, s:i, s:i}, s:[{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i}, "
	    "{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i}, {s:s, s:s, s:i, s:i, "
	    "s:i, s:i, s:i, s:i}]}", "total", "agreement", 12, "warning", 3,
	    "drill", 3, "lesson", 40, "inspection", 0, "training", 1,
	    "schools", "school", "S001", "school_name", "树人小学",
	    "agreement", 0, "warning", 2, "drill", 3, "lesson", 40,
	    "inspection", 0, "training", 0, "school", "S002", "school_name",
	    "育才中学", "agreement", 12, "warning", 0, "drill", 0, "lesson", 0,
	    "inspection", 0, "training", 0, "school", "S004", "school_name",
	    HOSTILE_SCHOOL, "agreement", 0, "warning", 0, "drill", 0,
	    "lesson", 0, "inspection", 0, "training", 1));
	if (strcmp(kind, "monthly") == 0) {
		json_object_set_new(d, "no_drill", json_pack("[{s:s, s:s}, "
		    "{s:s, s:s}, {s:s, s:s}]", "school", "S002",
		    "school_name", "育才中学", "school", "S003",
		    "school_name", "安静小学", "school", "S004",
		    "school_name", HOSTILE_SCHOOL));
		json_object_set_new(d, "escalate_after_days", json_integer(30));
		json_object_set_new(d, "office_backlog", json_pack("[o]",
		    item(12, "树人小学", HOSTILE_TITLE, "days_waiting", 45)));
	}
	return d;
}

/* Renders d and frees it. */
static char *
render(json_t *d, const char *language, size_t cap)
{
	char	*md = digest_render_robot(d, language, cap);

	json_decref(d);
	ck_assert_ptr_nonnull(md);
	if (getenv("CHECK_ROBOT_PRINT") != NULL)
		printf("%s\n----\n", md);
	return md;
}

/* The number of lines of md that start with prefix. */
static int
lines_starting(const char *md, const char *prefix)
{
	const char	*p = md;
	int		 n = 0;

	while (*p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	return n;
}

/* No line needs runs of spaces or a leading space to be read. */
static void
assert_unaligned(const char *md)
{
	ck_assert_msg(strstr(md, "  ") == NULL, "a run of spaces in:\n%s", md);
	ck_assert_msg(strstr(md, "\n ") == NULL && md[0] != ' ',
	    "a line starts with a space in:\n%s", md);
	ck_assert_msg(strchr(md, '\t') == NULL, "a tab in:\n%s", md);
}

/* The head of the audit trail, as hazardctl audit verify --head takes it. */
#define HEAD_ZH	"\n审计链头：`3855649:e11830d9d74780ac`\n"

START_TEST(test_daily_zh)
{
	char	*md = render(daily(), "zh", 10);

	assert_unaligned(md);
	ck_assert_msg(strncmp(md, "### 安全隐患日报 2026-12-04\n\n", 35) == 0,
	    "the title, in:\n%s", md);
	ck_assert_ptr_nonnull(strstr(md, "\n统计区间：2026-12-03 08:00 至 "
	    "2026-12-04 08:00\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n**今日新增 8 处、整改 3 处、销号 "
	    "2 处；在办 12 处（全部在册），其中逾期 7 处、3 日内到期 3 处；本年累计隐患整改率 "
	    "25%（2/8）。**\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 逾期未整改（12）\n\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 3日内到期（0）\n\n无\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 重大隐患（一事一策、一隐患一研判）"
	    "（1）\n\n- **树人小学** #7 教学楼外墙脱落 · 方案有 · 研判无 · "
	    "已报40天\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 未确认的预警通知（1）\n\n- "
	    "**树人小学** #3 寒潮预警 · 发布于 2026-12-03 09:30\n"));
	/* Ten of the twelve, then the rest counted, with the command. */
	ck_assert_ptr_nonnull(strstr(md, "- **沙坪坝区树人小学** #109 "
	    "宿舍楼灭火器过期 · fire · **逾期9天**\n- 另有 2 条，全文：hazardctl "
	    "digest daily --period 2026-12-04\n"));
	ck_assert_ptr_null(strstr(md, "#110 "));
	/* Text from schools is escaped: no heading, no link, no bold. */
	ck_assert_ptr_nonnull(strstr(md, "- **\\#\\# 全区整改率 100%** #11 "
	    "\\[点这里\\](http://evil.example/) \\*\\*急\\*\\* · fire · "
	    "**逾期375天**\n"));
	ck_assert_ptr_null(strstr(md, "[点这里]"));
	/* The office's backlog, a section of its own. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### 待验收（安全办）（1）\n\n- "
	    "**树人小学** #12 配电箱未上锁 · fire · **待验收4天**\n"));
	/* What the chief reads first: the new ones, major first, and the
	   rejections with the office's note, escaped. */
	ck_assert_ptr_nonnull(strstr(md, "（2/8）。**\n\n#### 本期新增隐患（重大在前）"
	    "（2）\n\n- **树人小学** #21 教学楼外墙脱落 · fire · **重大**\n- "
	    "**\\#\\# 全区整改率 100%** #22 \\[点这里\\](http://evil.example/) "
	    "\\*\\*急\\*\\* · fire · 一般\n\n#### 本期退回的整改（1）\n\n"
	    "- **\\#\\# 全区整改率 100%** #11 \\[点这里\\](http://evil.example/) "
	    "\\*\\*急\\*\\* · 区安全办意见：不合格 \\#\\# 已销号 \\[详情\\]"
	    "(http://evil.example/)\n\n#### 逾期未整改"));
	ck_assert_ptr_null(strstr(md, "\n## "));
	ck_assert_ptr_null(strstr(md, "[详情]"));
	ck_assert_int_eq(lines_starting(md, "#"), 9);
	/* The busy schools, and the quiet ones counted. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### 各校情况\n\n新增、整改、销号为"
	    "本期；在办、逾期为全部在册；整改率为本年累计。\n\n- **\\#\\# "
	    "全区整改率 100%** 新增 1 · 整改 0 · 销号 0 · 在办 2 · 逾期 2 · "
	    "隐患整改率 暂无（0/0）\n- **树人小学** 新增 0 · 整改 1 · 销号 0 · 在办 0 · 逾期 0 · 隐患整改率 "
	    "100%（1/1）\n- 其余 28 所学校无新增、无在办\n"
	    "- **全区合计** 新增 8 · 整改 3 · 销号 2 · 在办 12 · 逾期 7 · "
	    "隐患整改率 25%（2/8）\n"));
	ck_assert_ptr_null(strstr(md, "问题整改率"));
	/* Last, the head of the audit trail, as --head takes it. */
	ck_assert_msg(strlen(md) > strlen(HEAD_ZH) && strcmp(md + strlen(md) -
	    strlen(HEAD_ZH), HEAD_ZH) == 0, "the head at the end, in:\n%s",
	    md);
	free(md);
}
END_TEST

START_TEST(test_daily_en)
{
	char	*md = render(daily(), "en", 3);

	assert_unaligned(md);
	ck_assert_ptr_nonnull(strstr(md, "### Daily hazard track 2026-12-04\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n**Today: 8 new, 3 rectified, 2 "
	    "closed; 12 open (all on record), of which 7 overdue and 3 due within 3 days; "
	    "hazard rate this year 25% (2/8).**\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### Overdue (12)\n\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n- 9 more; all of them: hazardctl "
	    "digest daily --period 2026-12-04\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### Due within 3 days (0)\n\n"
	    "None\n"));
	ck_assert_ptr_nonnull(strstr(md, "- 28 others: nothing new, nothing "
	    "open\n"));
	ck_assert_ptr_nonnull(strstr(md, "\nAudit trail head: "
	    "`3855649:e11830d9d74780ac`\n"));
	ck_assert_int_eq(lines_starting(md, "- **"), 2 + 1 + 3 + 1 + 1 + 1 +
	    2 + 1);
	ck_assert_ptr_nonnull(strstr(md, "\n#### New this period (major "
	    "first) (2)\n\n- **树人小学** #21 教学楼外墙脱落 · fire · "
	    "**major**\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### Rectifications rejected "
	    "this period (1)\n\n- **\\#\\# 全区整改率 100%** #11 "
	    "\\[点这里\\](http://evil.example/) \\*\\*急\\*\\* · the "
	    "office's note: 不合格 \\#\\# 已销号 \\[详情\\]"
	    "(http://evil.example/)\n"));
	ck_assert_ptr_nonnull(strstr(md, "#102 宿舍楼灭火器过期 · fire · "
	    "**2 days overdue**\n"));
	ck_assert_ptr_nonnull(strstr(md, "#101 宿舍楼灭火器过期 · fire · "
	    "**1 day overdue**\n"));
	ck_assert_ptr_nonnull(strstr(md, "- **树人小学** #7 教学楼外墙脱落 · "
	    "plan: yes · assessment: no · open 40 days\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### Waiting for the office's "
	    "verification (1)\n\n- **树人小学** #12 配电箱未上锁 · fire · "
	    "**waiting 4 days**\n"));
	free(md);
}
END_TEST

START_TEST(test_weekly)
{
	char	*md = render(longer("weekly"), "zh", 10);

	assert_unaligned(md);
	ck_assert_ptr_nonnull(strstr(md, "### 安全隐患周报 2026-W49（第2版）\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n**本周新增 5 处、整改 4 处、销号 "
	    "3 处；在办 20 处（全部在册），其中逾期 6 处；本期上报隐患整改率 80%（4/5）；"
	    "本年累计隐患整改率 98.8%（411/416）。**\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 重大隐患（一事一策、一隐患一研判）"
	    "（2）\n"));
	/* The schools' rates are of the year: their sum is the year's. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### 各校情况\n\n新增、整改、销号为"
	    "本期；在办、逾期为全部在册；整改率为本年累计。\n\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n- **全区合计** 新增 0 · 整改 0 · "
	    "销号 0 · 在办 20 · 逾期 6 · 隐患整改率 98.8%（411/416）\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 分类统计\n\n新增、整改、销号为"
	    "本期；在办、逾期为全部在册；整改率为本年累计。\n\n- **fire** 新增 5"));
	ck_assert_ptr_null(strstr(md, "逾期未整改"));
	/* The week's silent schools, and the warnings left waiting. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### 本期新增隐患（重大在前）（0）"
	    "\n\n无\n\n#### 本期退回的整改（0）\n\n无\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 本周零报告学校（3）\n\n"
	    "- **育才中学** S002\n- **安静小学** S003\n- **\\#\\# 全区整改率 "
	    "100%** S004\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### 未在一日内确认预警（2）\n\n"
	    "- **育才中学** #3 寒潮预警 · 发布于 2026-12-01 09:30 · "
	    "**至今未确认**\n- **树人小学** #4 \\[点这里\\](http://evil.example/) "
	    "\\*\\*急\\*\\* · 发布于 2026-12-02 10:00 · 确认于 2026-12-03 "
	    "11:15\n"));
	ck_assert_ptr_null(strstr(md, "[点这里]"));
	/* The week's activities, a school's line each, in words. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### 本期安全活动\n\n"
	    "- **树人小学** 预警提示 2 次 · 应急演练 3 次 · 安全教育 40 课时\n"
	    "- **育才中学** 安全责任书 12 份\n"
	    "- **\\#\\# 全区整改率 100%** 安全培训 1 次\n"
	    "- **全区合计** 安全责任书 12 份 · 预警提示 3 次 · 应急演练 3 次 · "
	    "安全教育 40 课时 · 安全培训 1 次\n"));
	ck_assert_ptr_null(strstr(md, "未开展应急演练"));
	free(md);
}
END_TEST

START_TEST(test_monthly)
{
	char	*md = render(longer("monthly"), "en", 2);

	assert_unaligned(md);
	ck_assert_ptr_nonnull(strstr(md, "### Monthly hazard dispatch 2026-11 "
	    "(revision 2)\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n**This month: 5 new, 4 rectified, "
	    "3 closed; 20 open (all on record), of which 6 overdue; hazard rate of this "
	    "period's reports 80% (4/5); hazard rate this year 98.8% "
	    "(411/416).**\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n#### Escalated this month (3)\n\n"
	    "**区教委安全科** (2)\n\n- **树人小学** #1 灭火器 · level 1\n"));
	/* Capped at 2 over the departments: the third is counted. */
	ck_assert_ptr_nonnull(strstr(md, "\n**No department** (1)\n\n- 1 more; all of "
	    "them: hazardctl digest monthly --period 2026-11\n"));
	/* The office's own backlog past the limit, after the dispatch. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### Office backlog past the "
	    "limit (over 30 days) (1)\n\n- **树人小学** #12 \\[点这里\\]"
	    "(http://evil.example/) \\*\\*急\\*\\* · fire · **waiting 45 "
	    "days**\n"));
	ck_assert_ptr_null(strstr(md, "[点这里]"));
	/* Only the major hazards that lack a plan or an assessment. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### Major hazards lacking a plan "
	    "or an assessment (2)\n"));
	/* The schools' rates are of the month: their sum is the month's. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### Schools\n\nNew, rectified, "
	    "closed: this period; open, overdue: all on record; rates: "
	    "reported this period.\n\n"));
	ck_assert_ptr_nonnull(strstr(md, "\n- **District** new 5 · rectified "
	    "4 · closed 3 · open 9 · overdue 1 · hazard rate 80% (4/5)\n"));
	/* The month's activities, capped at 2 with the rest counted. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### Safety activities this "
	    "period\n\n- **树人小学** Early warnings 2 times · Emergency drills "
	    "3 times · Safety lessons 40 class hours\n- **育才中学** "
	    "Responsibility agreements 12 agreements\n- 1 more; all of them: "
	    "hazardctl digest monthly --period 2026-11\n- **District** "
	    "Responsibility agreements 12 agreements · Early warnings 3 times · "
	    "Emergency drills 3 times · Safety lessons 40 class hours · Safety "
	    "trainings 1 time\n"));
	/* And the schools that held no drill in it. */
	ck_assert_ptr_nonnull(strstr(md, "\n#### Schools with no drill this "
	    "month (3)\n\n- **育才中学** S002\n- **安静小学** S003\n- 1 more; "
	    "all of them: hazardctl digest monthly --period 2026-11\n"));
	free(md);
}
END_TEST

/* A category is shown by its name in the robot's language. */
START_TEST(test_category_names)
{
	json_t	*d = daily();
	char	*zh, *en;

	json_object_set_new(d, "category_names", json_pack("{s:{s:s, s:s}}",
	    "fire", "zh", "消防安全", "en", "Fire safety"));
	zh = digest_render_robot(d, "zh", 0);
	en = digest_render_robot(d, "en", 0);
	ck_assert_ptr_nonnull(strstr(zh, "#109 宿舍楼灭火器过期 · 消防安全 · "));
	ck_assert_ptr_null(strstr(zh, " · fire · "));
	ck_assert_ptr_nonnull(strstr(en, " · Fire safety · "));
	ck_assert_ptr_null(strstr(en, " · fire · "));
	free(zh);
	free(en);
	json_decref(d);
}
END_TEST

static Suite *
robot_suite(void)
{
	Suite	*s = suite_create("robot");
	TCase	*tc = tcase_create("render");

	tcase_add_test(tc, test_daily_zh);
	tcase_add_test(tc, test_daily_en);
	tcase_add_test(tc, test_weekly);
	tcase_add_test(tc, test_monthly);
	tcase_add_test(tc, test_category_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(robot_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
