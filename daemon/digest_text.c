/*
 * The text of a digest: its JSON rendered as aligned plain text, in
 * Chinese or English.  A pure function of the JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "digest.h"
#include "hazard.h"
#include "log.h"
#include "safetext.h"
#include "table.h"

/*
 * The words the robot's markdown (digest_robot.c) says too, so that the
 * two say the same.
 */
static const char *const words[DW__MAX][2] = {
	[DW_TITLE_DAILY]	= { "安全隐患日报", "Daily hazard track" },
	[DW_TITLE_WEEKLY]	= { "安全隐患周报", "Weekly hazard summary" },
	[DW_TITLE_MONTHLY]	= { "安全隐患月度调度",
				    "Monthly hazard dispatch" },
	[DW_WEEK]		= { "本周", "This week" },
	[DW_MONTH]		= { "本月", "This month" },
	[DW_NEW]		= { "新增", "new" },
	[DW_RECTIFIED]		= { "整改", "rectified" },
	[DW_CLOSED]		= { "销号", "closed" },
	[DW_OPEN]		= { "在办", "open" },
	[DW_OVERDUE]		= { "逾期", "overdue" },
	[DW_TOTAL]		= { "全区合计", "District" },
	[DW_LIST_OVERDUE]	= { "逾期未整改", "Overdue" },
	[DW_LIST_MAJOR]		= { "重大隐患（一事一策、一隐患一研判）",
				    "Major hazards (plan and risk "
				    "assessment)" },
	[DW_FLAGGED]		= { "缺少方案或研判的重大隐患",
				    "Major hazards lacking a plan or an "
				    "assessment" },
	[DW_AWAITING]		= { "待验收（安全办）",
				    "Waiting for the office's verification" },
	[DW_NEW_HAZARDS]	= { "本期新增隐患（重大在前）",
				    "New this period (major first)" },
	[DW_REJECTED]		= { "本期退回的整改",
				    "Rectifications rejected this period" },
	[DW_WARNINGS]		= { "未确认的预警通知",
				    "Warnings not acknowledged" },
	[DW_LATE_ACKS]		= { "未在一日内确认预警",
				    "Warnings not acknowledged within a day" },
	[DW_SILENT]		= { "本周零报告学校",
				    "Schools that reported nothing this week" },
	[DW_SCHOOLS]		= { "各校情况", "Schools" },
	[DW_CATEGORIES]		= { "分类统计", "By category" },
	[DW_BY_DEPARTMENT]	= { "按责任部门", "By department" },
	[DW_ACTIVITIES]		= { "本期安全活动", "Safety activities this "
				    "period" },
	[DW_NO_DRILL]		= { "本月未开展应急演练的学校",
				    "Schools with no drill this month" },
	[DW_YES]		= { "有", "yes" },
	[DW_NO]			= { "无", "no" },
};

/* The text's own words; those the robot says too are digest_word()'s. */
enum label {
	L_WINDOW, L_TO, L_DISTRICT, L_YEAR, L_PREVIOUS, L_DUE_SOON,
	L_RATE_HAZARD, L_RATE_FINDING, L_ON_TIME,
	L_DISPATCH, L_BY_SCHOOL,
	L_SCHOOL, L_CODE, L_ID, L_TITLE, L_CATEGORY, L_DEADLINE,
	L_DAYS_OVERDUE, L_DAYS_LEFT, L_DAYS_OPEN, L_PLAN, L_ASSESSMENT,
	L_STATE, L_LEVEL, L_DEPARTMENT, L_NONE, L_ESCALATED,
	L_WARNING, L_ISSUED,
	L_SCOPE_PERIOD, L_SCOPE_YEAR, L_SCOPE_ALL, L_SCOPE_PREVIOUS,
	L_SCOPE_PREVIOUS_END, L_SCOPE_PERIOD_RATE, L_SCOPE_PREVIOUS_RATE,
	L_DAYS_WAITING, L_GRADE, L_REJECTED_AT, L_NOTE,
	L_ACKED, L_NOT_ACKED, L_AUDIT_HEAD,
	L__MAX
};

static const char *const labels[L__MAX][2] = {
	[L_WINDOW]		= { "统计区间", "Window" },
	[L_TO]			= { "至", "to" },
	[L_DISTRICT]		= { "全区概况", "District" },
	[L_YEAR]		= { "本年累计", "Year to date" },
	[L_PREVIOUS]		= { "上周", "The week before" },
	[L_DUE_SOON]		= { "即将到期", "due soon" },
	[L_RATE_HAZARD]		= { "隐患整改率", "hazard rectification rate" },
	[L_RATE_FINDING]	= { "问题整改率", "finding rectification rate" },
	[L_ON_TIME]		= { "按期整改率", "on time" },
	[L_DISPATCH]		= { "调度清单", "Dispatch" },
	[L_BY_SCHOOL]		= { "按学校", "By school" },
	[L_SCHOOL]		= { "学校", "School" },
	[L_CODE]		= { "代码", "Code" },
	[L_ID]			= { "编号", "ID" },
	[L_TITLE]		= { "隐患", "Title" },
	[L_CATEGORY]		= { "类别", "Category" },
	[L_DEADLINE]		= { "整改期限", "Deadline" },
	[L_DAYS_OVERDUE]	= { "逾期天数", "Days overdue" },
	[L_DAYS_LEFT]		= { "剩余天数", "Days left" },
	[L_DAYS_OPEN]		= { "已报天数", "Days open" },
	[L_PLAN]		= { "方案", "Plan" },
	[L_ASSESSMENT]		= { "研判", "Assessment" },
	[L_STATE]		= { "状态", "State" },
	[L_LEVEL]		= { "督办级别", "Level" },
	[L_DEPARTMENT]		= { "责任部门", "Department" },
	[L_NONE]		= { "无", "none" },
	[L_ESCALATED]		= { "本月升级督办", "escalated this month" },
	[L_WARNING]		= { "预警", "Warning" },
	[L_ISSUED]		= { "发布时间", "Issued" },
	[L_SCOPE_PERIOD]	= { "本期", "this period" },
	[L_SCOPE_YEAR]		= { "本年累计", "reported this year" },
	[L_SCOPE_ALL]		= { "全部在册", "all on record" },
	[L_SCOPE_PREVIOUS]	= { "上周", "the week before" },
	[L_SCOPE_PREVIOUS_END]	= { "上周末在册", "on record at its end" },
	[L_SCOPE_PERIOD_RATE]	= { "本期", "reported this period" },
	[L_SCOPE_PREVIOUS_RATE]	= { "上周", "reported the week before" },
	[L_DAYS_WAITING]	= { "待验收天数", "Days waiting" },
	[L_GRADE]		= { "等级", "Grade" },
	[L_REJECTED_AT]		= { "退回时间", "Rejected" },
	[L_NOTE]		= { "区安全办意见", "The office's note" },
	[L_ACKED]		= { "确认时间", "Acknowledged" },
	[L_NOT_ACKED]		= { "未确认", "not yet" },
	[L_AUDIT_HEAD]		= { "审计链头（hazardctl audit verify --head 核验）",
				    "Audit trail head (hazardctl audit verify "
				    "--head checks it)" },
};

/*
 * The columns of the activities, in the order of activity_types[]
 * (common/activity.c): short, so that the table stays narrow.
 */
static const char *const activity_heads[ACTIVITY_TYPES][2] = {
	{ "责任书", "Agreements" },
	{ "预警", "Warnings" },
	{ "演练", "Drills" },
	{ "教育课时", "Lesson hours" },
	{ "检查", "Inspections" },
	{ "培训", "Trainings" },
};

/* The scope of a row's rates, as digest_build names it. */
static enum label
rate_scope(json_t *row)
{
	const char	*s = json_string_value(json_object_get(row, "scope"));

	if (s != NULL && strcmp(s, "period") == 0)
		return L_SCOPE_PERIOD_RATE;
	if (s != NULL && strcmp(s, "previous") == 0)
		return L_SCOPE_PREVIOUS_RATE;
	return L_SCOPE_YEAR;
}

/* Whether a row's scope has any finding. */
static int
has_findings(json_t *row)
{
	return json_integer_value(json_object_get(json_object_get(
	    json_object_get(row, "rates"), "finding"), "identified")) > 0;
}

/* What renders: the output, the language and the digest. */
struct render {
	FILE	*out;
	int	 en;
	json_t	*d;
};

const char *
digest_word(enum digest_word w, int en)
{
	return words[w][en != 0];
}

const char *
digest_category_name(const json_t *digest, const char *code, int en)
{
	json_t		*c;
	const char	*s;

	c = json_object_get(json_object_get(digest, "category_names"), code);
	s = json_string_value(json_object_get(c, en ? "en" : "zh"));
	return s != NULL ? s : code;
}

void
digest_window_dates(const json_t *digest, char since[DATE_LEN],
    char until[DATE_LEN])
{
	const char	*s, *u;

	s = json_string_value(json_object_get(digest, "since"));
	u = json_string_value(json_object_get(digest, "until"));
	snprintf(since, DATE_LEN, "%.10s", s != NULL ? s : "");
	snprintf(until, DATE_LEN, "%.10s", u != NULL ? u : "");
	/* A window that ends at midnight ends the day before. */
	if (u != NULL && strncmp(u + strlen(until), "T00:00:00", 9) == 0)
		date_add_days(until, -1, until);
}

static const char *
L(const struct render *r, enum label l)
{
	return labels[l][r->en];
}

static const char *
W(const struct render *r, enum digest_word w)
{
	return digest_word(w, r->en);
}

/* A member of o as a string, or "-". */
static const char *
str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s == NULL ? "-" : s;
}

/* A member of o as a number. */
static json_int_t
num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* A state's name for people. */
static const char *
state_label(const struct render *r, const char *state)
{
	static const char *const zh[] = { "待整改", "待验收", "已销号",
	    "已撤销" };
	int	s = hazard_state_parse(state);

	if (r->en || s < 0)
		return state;
	return zh[s];
}

/* A grade's name for people. */
static const char *
grade_label(const struct render *r, const char *grade)
{
	static const char *const zh[] = { "一般", "重大" };
	int	g = hazard_grade_parse(grade);

	if (r->en || g < 0)
		return grade;
	return zh[g];
}

/*
 * A row of figures, each line named by its scope: what came and went in
 * the window (if window), what is on record at its end (if open), and
 * the rates of the hazards reported in the row's scope; the findings'
 * only if the scope has any.
 */
static void
render_figures(const struct render *r, json_t *row, int window, int open)
{
	json_t		*rates = json_object_get(row, "rates");
	json_t		*on_time = json_object_get(row, "on_time");
	enum label	 scope = rate_scope(row);
	int		 previous = scope == L_SCOPE_PREVIOUS_RATE;

	if (window)
		fprintf(r->out, "  %s: %s %" JSON_INTEGER_FORMAT "  %s %"
		    JSON_INTEGER_FORMAT "  %s %" JSON_INTEGER_FORMAT "\n",
		    L(r, previous ? L_SCOPE_PREVIOUS : L_SCOPE_PERIOD),
		    W(r, DW_NEW), num(row, "new"), W(r, DW_RECTIFIED),
		    num(row, "rectified"), W(r, DW_CLOSED), num(row, "closed"));
	if (open)
		fprintf(r->out, "  %s: %s %" JSON_INTEGER_FORMAT "  %s %"
		    JSON_INTEGER_FORMAT "  %s %" JSON_INTEGER_FORMAT "\n",
		    L(r, previous ? L_SCOPE_PREVIOUS_END : L_SCOPE_ALL),
		    W(r, DW_OPEN), num(row, "open"), W(r, DW_OVERDUE),
		    num(row, "overdue"), L(r, L_DUE_SOON), num(row, "due_soon"));
	fprintf(r->out, "  %s: %s %s  %s %s\n", L(r, scope),
	    L(r, L_RATE_HAZARD), str(json_object_get(rates, "hazard"), "text"),
	    L(r, L_ON_TIME), str(json_object_get(on_time, "hazard"), "text"));
	if (has_findings(row))
		fprintf(r->out, "  %s: %s %s  %s %s\n", L(r, scope),
		    L(r, L_RATE_FINDING), str(json_object_get(rates,
		    "finding"), "text"), L(r, L_ON_TIME),
		    str(json_object_get(on_time, "finding"), "text"));
}

/*
 * Prints a section's heading, and "none" under it when items is empty.
 * Returns whether there is anything to list.
 */
static int
section(const struct render *r, const char *heading, const json_t *items)
{
	fprintf(r->out, "\n%s\n", heading);
	if (json_array_size(items) > 0)
		return 1;
	fprintf(r->out, "  %s\n", L(r, L_NONE));
	return 0;
}

/* A heading, then a table of hazards or "none". */
static void
render_items(const struct render *r, const char *heading, json_t *items,
    const char *days_key, enum label days_label)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_TITLE), L(r, L_CATEGORY), L(r, L_DEADLINE), L(r, L_STATE),
	    L(r, days_label) };
	struct table	*t;
	json_t		*it;
	size_t		 i;

	if (!section(r, heading, items))
		return;
	t = table_new(8, h);
	table_right(t, 2);
	table_right(t, 7);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_add(t, digest_category_name(r->d, str(it, "category"),
		    r->en));
		table_add(t, str(it, "deadline"));
		table_add(t, state_label(r, str(it, "state")));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, days_key));
	}
	table_print(t, r->out);
	table_free(t);
}

/*
 * The line under the hazards of the window when there were more than a
 * digest lists: how many, and the command that lists them all.
 */
static void
more_new(const struct render *r)
{
	char		 since[DATE_LEN], until[DATE_LEN];
	json_int_t	 more;

	more = json_integer_value(json_object_get(r->d, "new_hazards_more"));
	if (more <= 0)
		return;
	digest_window_dates(r->d, since, until);
	fprintf(r->out, r->en ? "  %" JSON_INTEGER_FORMAT " more not listed; "
	    "all of them: hazardctl list --since %s --until %s\n" :
	    "  另有 %" JSON_INTEGER_FORMAT " 处未列出，全部：hazardctl list "
	    "--since %s --until %s\n", more, since, until);
}

/* The hazards reported in the window, the major ones first. */
static void
render_new(const struct render *r, json_t *items)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_TITLE), L(r, L_CATEGORY), L(r, L_GRADE) };
	struct table	*t;
	json_t		*it;
	size_t		 i;

	if (!section(r, W(r, DW_NEW_HAZARDS), items))
		return;
	t = table_new(6, h);
	table_right(t, 2);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_add(t, digest_category_name(r->d, str(it, "category"),
		    r->en));
		table_add(t, grade_label(r, str(it, "grade")));
	}
	table_print(t, r->out);
	table_free(t);
	more_new(r);
}

/* The rectifications rejected in the window, with the office's note. */
static void
render_rejected(const struct render *r, json_t *items)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_TITLE), L(r, L_REJECTED_AT), L(r, L_NOTE) };
	struct table	*t;
	json_t		*it;
	size_t		 i;

	if (!section(r, W(r, DW_REJECTED), items))
		return;
	t = table_new(6, h);
	table_right(t, 2);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_addf(t, "%.10s %.5s", str(it, "rejected_at"),
		    str(it, "rejected_at") + 11);
		/* The last column: the whole note, on the row's line. */
		table_add(t, str(it, "note"));
	}
	table_print(t, r->out);
	table_free(t);
}

/*
 * A list of schools under its heading (the weekly's that reported
 * nothing, the monthly's that held no drill).
 */
static void
render_schools(const struct render *r, enum digest_word heading,
    json_t *items)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE) };
	struct table	*t;
	json_t		*it;
	size_t		 i;

	if (!section(r, W(r, heading), items))
		return;
	t = table_new(2, h);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
	}
	table_print(t, r->out);
	table_free(t);
}

/*
 * The period's safety activities: a row per school that had any, a
 * column per type, and the district's, which counts a warning issued
 * to many schools once.
 */
static void
render_activities(const struct render *r, json_t *a)
{
	const char	*h[2 + ACTIVITY_TYPES];
	struct table	*t;
	json_t		*row, *total = json_object_get(a, "total");
	size_t		 i;
	int		 c;

	if (!section(r, W(r, DW_ACTIVITIES), json_object_get(a, "schools")))
		return;
	h[0] = L(r, L_SCHOOL);
	h[1] = L(r, L_CODE);
	for (c = 0; c < ACTIVITY_TYPES; c++)
		h[2 + c] = activity_heads[c][r->en];
	t = table_new(2 + ACTIVITY_TYPES, h);
	for (c = 0; c < ACTIVITY_TYPES; c++)
		table_right(t, 2 + c);
	json_array_foreach(json_object_get(a, "schools"), i, row) {
		table_add(t, str(row, "school_name"));
		table_add(t, str(row, "school"));
		for (c = 0; c < ACTIVITY_TYPES; c++)
			table_addf(t, "%" JSON_INTEGER_FORMAT, num(row,
			    activity_types[c].code));
	}
	table_add(t, W(r, DW_TOTAL));
	table_add(t, "");
	for (c = 0; c < ACTIVITY_TYPES; c++)
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(total,
		    activity_types[c].code));
	table_print(t, r->out);
	table_free(t);
}

/* The weekly's warnings that schools did not acknowledge within a day. */
static void
render_late(const struct render *r, json_t *items)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_WARNING), L(r, L_ISSUED), L(r, L_ACKED) };
	struct table	*t;
	json_t		*it, *acked;
	size_t		 i;

	if (!section(r, W(r, DW_LATE_ACKS), items))
		return;
	t = table_new(6, h);
	table_right(t, 2);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_addf(t, "%.10s %.5s", str(it, "issued_at"),
		    str(it, "issued_at") + 11);
		acked = json_object_get(it, "acked_at");
		if (json_is_string(acked))
			table_addf(t, "%.10s %.5s", json_string_value(acked),
			    json_string_value(acked) + 11);
		else
			table_add(t, L(r, L_NOT_ACKED));
	}
	table_print(t, r->out);
	table_free(t);
}

/* The open major hazards with their plan and assessment. */
static void
render_major(const struct render *r, json_t *items, int only_lacking)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_TITLE), L(r, L_PLAN), L(r, L_ASSESSMENT), L(r, L_STATE) };
	struct table	*t;
	json_t		*it;
	size_t		 i, n = 0;

	fprintf(r->out, "\n%s\n", W(r, only_lacking ? DW_FLAGGED :
	    DW_LIST_MAJOR));
	t = table_new(7, h);
	table_right(t, 2);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		if (only_lacking && json_is_true(json_object_get(it, "plan")) &&
		    json_is_true(json_object_get(it, "assessment")))
			continue;
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_add(t, W(r, json_is_true(json_object_get(it, "plan")) ?
		    DW_YES : DW_NO));
		table_add(t, W(r, json_is_true(json_object_get(it,
		    "assessment")) ? DW_YES : DW_NO));
		table_add(t, state_label(r, str(it, "state")));
		n++;
	}
	if (n == 0)
		fprintf(r->out, "  %s\n", L(r, L_NONE));
	else
		table_print(t, r->out);
	table_free(t);
}

/* Adds a row of figures to a table of rows. */
static void
rows_add(struct table *t, json_t *row, const char *name, const char *key,
    int findings)
{
	json_t	*rates = json_object_get(row, "rates");

	if (name != NULL)
		table_add(t, name);
	table_add(t, key);
	table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "new"));
	table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "rectified"));
	table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "closed"));
	table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "open"));
	table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "overdue"));
	table_add(t, str(json_object_get(rates, "hazard"), "text"));
	if (findings)
		table_add(t, str(json_object_get(rates, "finding"), "text"));
}

/*
 * A table of rows of figures (schools or categories), the scope of each
 * column said under its heading, and their sum, the district's, last.
 * The findings' column only if the district has any.
 */
static void
render_rows(const struct render *r, enum digest_word heading, json_t *rows,
    json_t *sum, int with_name)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), W(r, DW_NEW),
	    W(r, DW_RECTIFIED), W(r, DW_CLOSED), W(r, DW_OPEN),
	    W(r, DW_OVERDUE), L(r, L_RATE_HAZARD), L(r, L_RATE_FINDING) };
	struct table	*t;
	json_t		*row;
	size_t		 i, c, first = with_name ? 0 : 1;
	int		 findings = has_findings(sum);

	fprintf(r->out, "\n%s\n", W(r, heading));
	fprintf(r->out, r->en ? "(%s, %s, %s: %s; %s, %s: %s; rates: %s)\n" :
	    "（%s、%s、%s为%s；%s、%s为%s；整改率为%s）\n", W(r, DW_NEW),
	    W(r, DW_RECTIFIED), W(r, DW_CLOSED), L(r, L_SCOPE_PERIOD),
	    W(r, DW_OPEN), W(r, DW_OVERDUE), L(r, L_SCOPE_ALL),
	    L(r, rate_scope(sum)));
	if (!with_name)
		h[1] = L(r, L_CATEGORY);
	t = table_new(9 - first - !findings, h + first);
	for (c = 2 - first; c < 7 - first; c++)
		table_right(t, c);
	json_array_foreach(rows, i, row)
		rows_add(t, row, with_name ? str(row, "name") : NULL,
		    with_name ? str(row, "key") : digest_category_name(r->d,
		    str(row, "key"), r->en), findings);
	rows_add(t, sum, with_name ? W(r, DW_TOTAL) : NULL, with_name ? "" :
	    W(r, DW_TOTAL), findings);
	table_print(t, r->out);
	table_free(t);
}

/* The warnings that schools have not acknowledged. */
static void
render_warnings(const struct render *r, json_t *items)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_WARNING), L(r, L_ISSUED) };
	struct table	*t;
	json_t		*it;
	size_t		 i;

	if (!section(r, W(r, DW_WARNINGS), items))
		return;
	t = table_new(5, h);
	table_right(t, 2);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_addf(t, "%.10s %.5s", str(it, "issued_at"),
		    str(it, "issued_at") + 11);
	}
	table_print(t, r->out);
	table_free(t);
}

/* The dispatch orders: by department, then by school. */
static void
render_dispatch(const struct render *r, json_t *dispatch)
{
	const char	*key, *h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_ID),
	    L(r, L_TITLE), L(r, L_DEADLINE), L(r, L_LEVEL),
	    L(r, L_DEPARTMENT) };
	json_t		*items, *it;
	struct table	*t;
	char		*safe;
	size_t		 i;
	int		 by;

	fprintf(r->out, "\n%s (%s %" JSON_INTEGER_FORMAT ")\n",
	    L(r, L_DISPATCH), L(r, L_ESCALATED), num(dispatch, "escalated"));
	for (by = 0; by < 2; by++) {
		fprintf(r->out, "\n%s\n", by == 0 ?
		    W(r, DW_BY_DEPARTMENT) : L(r, L_BY_SCHOOL));
		if (json_object_size(json_object_get(dispatch, by == 0 ?
		    "departments" : "schools")) == 0)
			fprintf(r->out, "  %s\n", L(r, L_NONE));
		json_object_foreach(json_object_get(dispatch, by == 0 ?
		    "departments" : "schools"), key, items) {
			safe = safetext_plain(key);
			fprintf(r->out, "【%s】\n", safe);
			free(safe);
			t = table_new(7, h);
			table_right(t, 2);
			table_right(t, 5);
			table_max(t, 3, 40);
			json_array_foreach(items, i, it) {
				table_add(t, str(it, "school_name"));
				table_add(t, str(it, "school"));
				table_addf(t, "%" JSON_INTEGER_FORMAT,
				    num(it, "id"));
				table_add(t, str(it, "title"));
				table_add(t, str(it, "deadline"));
				table_addf(t, "%" JSON_INTEGER_FORMAT,
				    num(it, "escalation"));
				table_add(t, str(it, "department"));
			}
			table_print(t, r->out);
			table_free(t);
		}
	}
}

/*
 * The head of the audit trail (a daily digest's): ID:HEX as hazardctl
 * audit verify --head takes it.
 */
static void
render_head(const struct render *r, json_t *head)
{
	if (!json_is_object(head))
		return;
	fprintf(r->out, "\n%s: %lld:%s\n", L(r, L_AUDIT_HEAD),
	    (long long)num(head, "event"), str(head, "hash"));
}

char *
digest_render_text(const json_t *cd, const char *language)
{
	json_t		*d = (json_t *)cd, *sum;
	struct render	 r;
	const char	*kind = str(d, "kind");
	char		*buf = NULL, heading[128];
	size_t		 len = 0;
	int		 k = cycle_kind_parse(kind);

	r.en = strcmp(language, "en") == 0;
	r.d = d;
	if ((r.out = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(r.out, "%s %s (", W(&r, k == CYCLE_DAILY ? DW_TITLE_DAILY :
	    k == CYCLE_WEEKLY ? DW_TITLE_WEEKLY : DW_TITLE_MONTHLY),
	    str(d, "period"));
	fprintf(r.out, r.en ? "revision %d" : "第%d版", (int)num(d, "revision"));
	if (json_is_true(json_object_get(d, "provisional")))
		fprintf(r.out, r.en ? ", provisional: up to %.5s" :
		    "，截至 %.5s，未满一期", str(d, "until") + 11);
	fprintf(r.out, ")\n%s: %.10s %.5s %s %.10s %.5s\n", L(&r, L_WINDOW),
	    str(d, "since"), str(d, "since") + 11, L(&r, L_TO),
	    str(d, "until"), str(d, "until") + 11);

	fprintf(r.out, "\n%s\n", k == CYCLE_DAILY ?
	    L(&r, L_DISTRICT) : W(&r, k == CYCLE_WEEKLY ? DW_WEEK : DW_MONTH));
	render_figures(&r, json_object_get(d, "district"), 1, 1);
	if (k == CYCLE_WEEKLY) {
		fprintf(r.out, "\n%s\n", L(&r, L_PREVIOUS));
		render_figures(&r, json_object_get(d, "previous"), 1, 1);
	}
	/* What is on record is said above: the year adds its rates. */
	if (k != CYCLE_DAILY) {
		fprintf(r.out, "\n%s\n", L(&r, L_YEAR));
		render_figures(&r, json_object_get(d, "year"), 0, 0);
	}
	/* What the chief reads first, where the digest has it. */
	if (json_object_get(d, "new_hazards") != NULL)
		render_new(&r, json_object_get(d, "new_hazards"));
	if (json_object_get(d, "rejected") != NULL)
		render_rejected(&r, json_object_get(d, "rejected"));
	if (json_object_get(d, "silent") != NULL)
		render_schools(&r, DW_SILENT, json_object_get(d, "silent"));
	if (json_object_get(d, "late_acks") != NULL)
		render_late(&r, json_object_get(d, "late_acks"));
	if (k == CYCLE_DAILY) {
		render_items(&r, W(&r, DW_LIST_OVERDUE),
		    json_object_get(d, "overdue"), "days_overdue",
		    L_DAYS_OVERDUE);
		snprintf(heading, sizeof(heading), r.en ?
		    "Due within %d days" : "%d日内到期",
		    (int)num(d, "due_soon_days"));
		render_items(&r, heading, json_object_get(d, "due_soon"),
		    "days_left", L_DAYS_LEFT);
		/* The office's own backlog, apart from the schools'. */
		if (json_object_get(d, "awaiting") != NULL)
			render_items(&r, W(&r, DW_AWAITING), json_object_get(d,
			    "awaiting"), "days_waiting", L_DAYS_WAITING);
	}
	if (k == CYCLE_MONTHLY)
		render_dispatch(&r, json_object_get(d, "dispatch"));
	/* The office's own backlog past the limit, apart from the schools'. */
	if (json_object_get(d, "office_backlog") != NULL) {
		snprintf(heading, sizeof(heading), r.en ? "Office backlog past "
		    "the limit (waiting over %d days)" : "本办待验收超期（超过%d天）",
		    (int)num(d, "escalate_after_days"));
		render_items(&r, heading, json_object_get(d, "office_backlog"),
		    "days_waiting", L_DAYS_WAITING);
	}
	render_major(&r, json_object_get(d, "major"), k == CYCLE_MONTHLY);
	if (k == CYCLE_DAILY)
		render_warnings(&r, json_object_get(d, "warnings"));
	sum = json_object_get(d, json_string_value(json_object_get(d,
	    "schools_sum")));
	if (sum == NULL)
		sum = json_object_get(d, "district");
	render_rows(&r, DW_SCHOOLS, json_object_get(d, "schools"), sum, 1);
	/* The categories add up to the same sum as the schools. */
	if (k == CYCLE_WEEKLY)
		render_rows(&r, DW_CATEGORIES, json_object_get(d, "categories"),
		    sum, 0);
	if (json_object_get(d, "activities") != NULL)
		render_activities(&r, json_object_get(d, "activities"));
	if (json_object_get(d, "no_drill") != NULL)
		render_schools(&r, DW_NO_DRILL,
		    json_object_get(d, "no_drill"));
	render_head(&r, json_object_get(d, "audit_head"));
	if (fclose(r.out) != 0)
		fatal("writing a digest");
	return buf;
}
