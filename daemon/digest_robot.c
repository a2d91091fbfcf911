/*
 * The robot's markdown of a digest.  DingTalk and WeCom show it on a
 * phone in a proportional font, and join single line breaks and runs of
 * spaces, so nothing here is aligned: paragraphs are apart by a blank
 * line, a row is a list item, and the figures of a row are said in
 * words with a middle dot between them.  It is made from the digest's
 * JSON, as the text is, so the two always say the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "cycle.h"
#include "digest.h"
#include "digest_robot.h"
#include "log.h"
#include "rate.h"
#include "safetext.h"

/*
 * The robot's own phrases; the words the text says too are
 * digest_word()'s (digest_text.c).
 */
enum phrase {
	P_WINDOW, P_TO, P_DISPATCH, P_NONE,
	P_NO_DEPARTMENT, P_LEVEL, P_ISSUED,
	P_RATE, P_FINDING_RATE, P_NA, P_END,
	P_DAY, P_YEAR_RATE, P_PERIOD_RATE,
	P_ON_RECORD, P_SCOPE_PERIOD, P_SCOPE_YEAR,
	P_NOTE, P_ACKED,
	P_NOT_ACKED, P_GRADE_GENERAL, P_GRADE_MAJOR, P_AUDIT_HEAD,
	P_NO_ACTIVITY,
	P__MAX
};

/* Which days a row of hazards counts. */
enum days { DAYS_OVERDUE, DAYS_LEFT, DAYS_OPEN, DAYS_WAITING };

static const char *const phrases[P__MAX][2] = {
	[P_WINDOW]		= { "统计区间：", "Window: " },
	[P_TO]			= { " 至 ", " to " },
	[P_DISPATCH]		= { "本月升级督办", "Escalated this month" },
	[P_NONE]		= { "无", "None" },
	[P_NO_DEPARTMENT]	= { "未指定责任部门", "No department" },
	[P_LEVEL]		= { "督办级别", "level" },
	[P_ISSUED]		= { "发布于", "issued" },
	[P_RATE]		= { "隐患整改率", "hazard rate" },
	[P_FINDING_RATE]	= { "问题整改率", "finding rate" },
	[P_NA]			= { "暂无", "n/a" },
	[P_END]			= { "。", "." },
	[P_DAY]			= { "今日", "Today" },
	[P_YEAR_RATE]		= { "本年累计隐患整改率", "hazard rate this "
				    "year" },
	[P_PERIOD_RATE]		= { "本期上报隐患整改率", "hazard rate of "
				    "this period's reports" },
	[P_ON_RECORD]		= { "（全部在册）", " (all on record)" },
	[P_SCOPE_PERIOD]	= { "本期", "reported this period" },
	[P_SCOPE_YEAR]		= { "本年累计", "reported this year" },
	[P_NOTE]		= { "区安全办意见：", "the office's note: " },
	[P_ACKED]		= { "确认于", "acknowledged" },
	[P_NOT_ACKED]		= { "至今未确认", "not acknowledged yet" },
	[P_GRADE_GENERAL]	= { "一般", "general" },
	[P_GRADE_MAJOR]		= { "重大", "major" },
	[P_AUDIT_HEAD]		= { "审计链头：", "Audit trail head: " },
	[P_NO_ACTIVITY]		= { "无记录", "none recorded" },
};

/* What renders: the output, the language, the cap, the digest. */
struct robot {
	FILE		*out;
	int		 en;
	size_t		 rows;
	json_t		*d;
};

static const char *
P(const struct robot *r, enum phrase p)
{
	return phrases[p][r->en];
}

static const char *
W(const struct robot *r, enum digest_word w)
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
static long long
num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* Writes s, which schools or the office wrote, escaped for markdown. */
static void
put_safe(const struct robot *r, const char *s)
{
	char	*safe = safetext_markdown(s);

	fputs(safe, r->out);
	free(safe);
}

/* A heading of a section with its count, or none when count is -1. */
static void
heading(const struct robot *r, const char *title, long long count)
{
	fprintf(r->out, "\n#### %s", title);
	if (count >= 0)
		fprintf(r->out, r->en ? " (%lld)" : "（%lld）", count);
	fputs("\n\n", r->out);
}

/* "25%（2/8）", or "暂无（0/0）": a rate as JSON has it, in words. */
static void
put_rate(const struct robot *r, json_t *rate)
{
	long long	 rectified = num(rate, "rectified");
	long long	 identified = num(rate, "identified");
	int64_t		 tenths;
	char		 pct[32];

	tenths = rate_tenths((uint64_t)rectified, (uint64_t)identified);
	if (tenths < 0)
		fputs(P(r, P_NA), r->out);
	else
		fprintf(r->out, "%s%%", rate_format_percent(pct, sizeof(pct),
		    tenths));
	fprintf(r->out, r->en ? " (%lld/%lld)" : "（%lld/%lld）", rectified,
	    identified);
}

/* The line after a section cut short: how many more, and where. */
static void
more(const struct robot *r, size_t n)
{
	if (n == 0)
		return;
	fputs("- ", r->out);
	fprintf(r->out, r->en ? "%zu more; all of them: " :
	    "另有 %zu 条，全文：", n);
	fprintf(r->out, "hazardctl digest %s --period %s\n", str(r->d, "kind"),
	    str(r->d, "period"));
}

/* "逾期9天": days overdue, left (none: "今日到期") or open. */
static void
days_put(const struct robot *r, enum days which, long long n)
{
	switch (which) {
	case DAYS_OVERDUE:
		fprintf(r->out, r->en ? "%lld day%s overdue" : "逾期%lld天%s", n,
		    r->en && n != 1 ? "s" : "");
		break;
	case DAYS_LEFT:
		if (n == 0)
			fputs(r->en ? "due today" : "今日到期", r->out);
		else
			fprintf(r->out, r->en ? "%lld day%s left" :
			    "剩%lld天%s", n, r->en && n != 1 ? "s" : "");
		break;
	case DAYS_WAITING:
		fprintf(r->out, r->en ? "waiting %lld day%s" : "待验收%lld天%s",
		    n, r->en && n != 1 ? "s" : "");
		break;
	default:
		fprintf(r->out, r->en ? "open %lld day%s" : "已报%lld天%s", n,
		    r->en && n != 1 ? "s" : "");
		break;
	}
}

/* The start of a row about a hazard: school in bold, number, title. */
static void
item_start(const struct robot *r, json_t *it)
{
	fputs("- **", r->out);
	put_safe(r, str(it, "school_name"));
	fprintf(r->out, "** #%lld ", num(it, "id"));
	put_safe(r, str(it, "title"));
}

/* A section of hazards, each with its category and its days. */
static void
items(const struct robot *r, const char *title, json_t *list,
    const char *days_key, enum days days)
{
	json_t	*it;
	size_t	 i;

	heading(r, title, (long long)json_array_size(list));
	if (json_array_size(list) == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		if (i == r->rows)
			break;
		item_start(r, it);
		fputs(" · ", r->out);
		put_safe(r, digest_category_name(r->d, str(it, "category"),
		    r->en));
		fputs(" · **", r->out);
		days_put(r, days, num(it, days_key));
		fputs("**\n", r->out);
	}
	more(r, json_array_size(list) - i);
}

/* The hazards reported in the window, the major ones first, in bold. */
static void
new_hazards(const struct robot *r, json_t *list)
{
	json_t	*it;
	char	 since[DATE_LEN], until[DATE_LEN];
	size_t	 i, beyond;
	int	 major;

	beyond = (size_t)num(r->d, "new_hazards_more");
	heading(r, W(r, DW_NEW_HAZARDS), (long long)(json_array_size(list) +
	    beyond));
	if (json_array_size(list) == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		if (i == r->rows)
			break;
		major = strcmp(str(it, "grade"), "major") == 0;
		item_start(r, it);
		fputs(" · ", r->out);
		put_safe(r, digest_category_name(r->d, str(it, "category"),
		    r->en));
		fprintf(r->out, major ? " · **%s**\n" : " · %s\n",
		    P(r, major ? P_GRADE_MAJOR : P_GRADE_GENERAL));
	}
	if (beyond == 0) {
		more(r, json_array_size(list) - i);
		return;
	}
	/* More than the digest lists: hazardctl list has them all. */
	digest_window_dates(r->d, since, until);
	fprintf(r->out, r->en ? "- %zu more; all of them: hazardctl list "
	    "--since %s --until %s\n" : "- 另有 %zu 条，全部：hazardctl list "
	    "--since %s --until %s\n", json_array_size(list) - i + beyond,
	    since, until);
}

/* The rectifications rejected in the window, each with the note. */
static void
rejected(const struct robot *r, json_t *list)
{
	json_t	*it;
	size_t	 i;

	heading(r, W(r, DW_REJECTED), (long long)json_array_size(list));
	if (json_array_size(list) == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		if (i == r->rows)
			break;
		item_start(r, it);
		fprintf(r->out, " · %s", P(r, P_NOTE));
		put_safe(r, str(it, "note"));
		fputc('\n', r->out);
	}
	more(r, json_array_size(list) - i);
}

/*
 * A list of schools under its heading (the weekly's that reported
 * nothing, the monthly's that held no drill).
 */
static void
schools(const struct robot *r, enum digest_word title, json_t *list)
{
	json_t	*it;
	size_t	 i;

	heading(r, W(r, title), (long long)json_array_size(list));
	if (json_array_size(list) == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		if (i == r->rows)
			break;
		fputs("- **", r->out);
		put_safe(r, str(it, "school_name"));
		fputs("** ", r->out);
		put_safe(r, str(it, "school"));
		fputc('\n', r->out);
	}
	more(r, json_array_size(list) - i);
}

/* The weekly's warnings not acknowledged within a day of their issue. */
static void
late_acks(const struct robot *r, json_t *list)
{
	json_t		*it;
	const char	*acked;
	size_t		 i;

	heading(r, W(r, DW_LATE_ACKS), (long long)json_array_size(list));
	if (json_array_size(list) == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		if (i == r->rows)
			break;
		item_start(r, it);
		fprintf(r->out, " · %s %.10s %.5s · ", P(r, P_ISSUED),
		    str(it, "issued_at"), str(it, "issued_at") + 11);
		if ((acked = json_string_value(json_object_get(it,
		    "acked_at"))) != NULL)
			fprintf(r->out, "%s %.10s %.5s\n", P(r, P_ACKED), acked,
			    acked + 11);
		else
			fprintf(r->out, "**%s**\n", P(r, P_NOT_ACKED));
	}
	more(r, json_array_size(list) - i);
}

/* The major hazards, or only those that lack a plan or an assessment. */
static void
major(const struct robot *r, json_t *list, int only_lacking)
{
	json_t	*it;
	size_t	 i, n = 0, shown = 0;
	int	 plan, assessment;

	json_array_foreach(list, i, it)
		if (!only_lacking ||
		    !json_is_true(json_object_get(it, "plan")) ||
		    !json_is_true(json_object_get(it, "assessment")))
			n++;
	heading(r, W(r, only_lacking ? DW_FLAGGED : DW_LIST_MAJOR),
	    (long long)n);
	if (n == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		plan = json_is_true(json_object_get(it, "plan"));
		assessment = json_is_true(json_object_get(it, "assessment"));
		if (only_lacking && plan && assessment)
			continue;
		if (shown == r->rows)
			break;
		item_start(r, it);
		fprintf(r->out, r->en ? " · plan: %s · assessment: %s · " :
		    " · 方案%s · 研判%s · ", W(r, plan ? DW_YES : DW_NO),
		    W(r, assessment ? DW_YES : DW_NO));
		days_put(r, DAYS_OPEN, num(it, "days_open"));
		fputc('\n', r->out);
		shown++;
	}
	more(r, n - shown);
}

/* The warnings not acknowledged. */
static void
warnings(const struct robot *r, json_t *list)
{
	json_t	*it;
	size_t	 i;

	heading(r, W(r, DW_WARNINGS), (long long)json_array_size(list));
	if (json_array_size(list) == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_array_foreach(list, i, it) {
		if (i == r->rows)
			break;
		item_start(r, it);
		fprintf(r->out, " · %s %.10s %.5s\n", P(r, P_ISSUED),
		    str(it, "issued_at"), str(it, "issued_at") + 11);
	}
	more(r, json_array_size(list) - i);
}

/* "新增 1 · 整改 0 · 销号 0 · 在办 2 · 逾期 2 · 隐患整改率 …". */
static void
figures(const struct robot *r, json_t *row)
{
	json_t	*finding = json_object_get(json_object_get(row, "rates"),
		    "finding");

	fprintf(r->out, "%s %lld · %s %lld · %s %lld · %s %lld · %s %lld · "
	    "%s ", W(r, DW_NEW), num(row, "new"), W(r, DW_RECTIFIED),
	    num(row, "rectified"), W(r, DW_CLOSED), num(row, "closed"),
	    W(r, DW_OPEN), num(row, "open"), W(r, DW_OVERDUE),
	    num(row, "overdue"), P(r, P_RATE));
	put_rate(r, json_object_get(json_object_get(row, "rates"), "hazard"));
	if (num(finding, "identified") > 0) {
		fprintf(r->out, " · %s ", P(r, P_FINDING_RATE));
		put_rate(r, finding);
	}
}

/*
 * Rows of figures (schools or categories), the scope of each figure
 * said first and their sum, the district's, last.  A row with nothing
 * new and nothing open is not shown: the count of those is said.
 */
static void
rows(const struct robot *r, const char *title, json_t *list, json_t *sum)
{
	json_t		*row;
	const char	*scope = str(sum, "scope");
	size_t		 i, shown = 0, busy = 0;

	json_array_foreach(list, i, row)
		if (num(row, "new") + num(row, "rectified") +
		    num(row, "closed") + num(row, "open") > 0)
			busy++;
	heading(r, title, -1);
	fprintf(r->out, r->en ? "New, rectified, closed: this period; open, "
	    "overdue: all on record; rates: %s.\n\n" : "新增、整改、销号为本期；"
	    "在办、逾期为全部在册；整改率为%s。\n\n", P(r, strcmp(scope,
	    "period") == 0 ? P_SCOPE_PERIOD : P_SCOPE_YEAR));
	json_array_foreach(list, i, row) {
		if (num(row, "new") + num(row, "rectified") +
		    num(row, "closed") + num(row, "open") == 0)
			continue;
		if (shown == r->rows)
			break;
		fputs("- **", r->out);
		put_safe(r, json_object_get(row, "name") != NULL ?
		    str(row, "name") : digest_category_name(r->d, str(row,
		    "key"), r->en));
		fputs("** ", r->out);
		figures(r, row);
		fputc('\n', r->out);
		shown++;
	}
	more(r, busy - shown);
	if (json_array_size(list) > busy) {
		fputs("- ", r->out);
		fprintf(r->out, busy == 0 ? r->en ? "All %zu: nothing new, "
		    "nothing open" : "全部 %zu 所学校无新增、无在办" : r->en ?
		    json_array_size(list) - busy == 1 ? "%zu other: nothing "
		    "new, nothing open" : "%zu others: nothing new, nothing "
		    "open" : "其余 %zu 所学校无新增、无在办",
		    json_array_size(list) - busy);
		fputc('\n', r->out);
	}
	fprintf(r->out, "- **%s** ", W(r, DW_TOTAL));
	figures(r, sum);
	fputc('\n', r->out);
}

/* The dispatch of the month, by department. */
static void
dispatch(const struct robot *r, json_t *d)
{
	const char	*dept;
	json_t		*list, *it;
	size_t		 i, shown = 0, total = 0;

	heading(r, P(r, P_DISPATCH), num(d, "escalated"));
	if (num(d, "escalated") == 0) {
		fprintf(r->out, "%s\n", P(r, P_NONE));
		return;
	}
	json_object_foreach(json_object_get(d, "departments"), dept, list) {
		fputs(total == 0 ? "**" : "\n**", r->out);
		put_safe(r, *dept != '\0' ? dept : P(r, P_NO_DEPARTMENT));
		fprintf(r->out, r->en ? "** (%zu)\n\n" : "**（%zu）\n\n",
		    json_array_size(list));
		json_array_foreach(list, i, it) {
			total++;
			if (shown == r->rows)
				continue;
			item_start(r, it);
			fprintf(r->out, " · %s %lld\n", P(r, P_LEVEL),
			    num(it, "escalation"));
			shown++;
		}
	}
	more(r, total - shown);
}

/*
 * "应急演练 3 次 · 安全教育 40 课时": the counts of a row of activities
 * that are not 0, in words; "无记录" if all are.
 */
static void
activity_counts(const struct robot *r, json_t *row)
{
	const struct activity_kind	*k;
	int				 n = 0;

	for (k = activity_types; k->code != NULL; k++) {
		if (num(row, k->code) == 0)
			continue;
		fprintf(r->out, "%s%s %lld %s",
		    n++ == 0 ? "" : " · ", r->en ? k->en : k->zh,
		    num(row, k->code), activity_unit(k, num(row, k->code),
		    r->en));
	}
	if (n == 0)
		fputs(P(r, P_NO_ACTIVITY), r->out);
}

/*
 * The period's safety activities: a line per school that had any, then
 * the district's.
 */
static void
activities(const struct robot *r, json_t *a)
{
	json_t	*list = json_object_get(a, "schools"), *row;
	size_t	 i;

	heading(r, W(r, DW_ACTIVITIES), -1);
	json_array_foreach(list, i, row) {
		if (i == r->rows)
			break;
		fputs("- **", r->out);
		put_safe(r, str(row, "school_name"));
		fputs("** ", r->out);
		activity_counts(r, row);
		fputc('\n', r->out);
	}
	more(r, json_array_size(list) - i);
	fprintf(r->out, "- **%s** ", W(r, DW_TOTAL));
	activity_counts(r, json_object_get(a, "total"));
	fputc('\n', r->out);
}

/*
 * The one sentence that says the period: what came and went, what is
 * open, and the rates.  Its numbers are the JSON's own: the period's
 * row for what came and went, the row of every hazard of the year for
 * what is open (the daily's own row is that already).
 */
static void
summary(const struct robot *r, int kind)
{
	json_t	*row = json_object_get(r->d, "district");
	json_t	*year = kind == CYCLE_DAILY ? row :
		    json_object_get(r->d, "year");

	fprintf(r->out, r->en ? "\n**%s: %lld new, %lld rectified, %lld "
	    "closed; %lld open%s, of which %lld overdue" : "\n**%s新增 %lld 处、"
	    "整改 %lld 处、销号 %lld 处；在办 %lld 处%s，其中逾期 %lld 处",
	    kind == CYCLE_DAILY ? P(r, P_DAY) :
	    W(r, kind == CYCLE_WEEKLY ? DW_WEEK : DW_MONTH), num(row, "new"),
	    num(row, "rectified"), num(row, "closed"), num(year, "open"), P(r, P_ON_RECORD),
	    num(year, "overdue"));
	if (kind == CYCLE_DAILY)
		fprintf(r->out, r->en ? " and %lld due within %lld days" :
		    "、%2$lld 日内到期 %1$lld 处", num(row, "due_soon"),
		    num(r->d, "due_soon_days"));
	fputs(r->en ? "; " : "；", r->out);
	if (kind != CYCLE_DAILY) {
		fprintf(r->out, "%s ", P(r, P_PERIOD_RATE));
		put_rate(r, json_object_get(json_object_get(row, "rates"),
		    "hazard"));
		fputs(r->en ? "; " : "；", r->out);
	}
	fprintf(r->out, "%s ", P(r, P_YEAR_RATE));
	put_rate(r, json_object_get(json_object_get(year, "rates"), "hazard"));
	fprintf(r->out, "%s**\n", P(r, P_END));
}

/* The head of the audit trail (a daily digest's), as ID:HEX. */
static void
audit_head(const struct robot *r, json_t *head)
{
	if (!json_is_object(head))
		return;
	fprintf(r->out, "\n%s`%lld:%s`\n", P(r, P_AUDIT_HEAD),
	    num(head, "event"), str(head, "hash"));
}

char *
digest_render_robot(const json_t *cd, const char *language, size_t cap)
{
	struct robot	 r;
	json_t		*sum;
	char		*buf = NULL, title[96];
	size_t		 len = 0;
	int		 k;

	memset(&r, 0, sizeof(r));
	r.d = (json_t *)cd;
	r.en = strcmp(language, "en") == 0;
	r.rows = cap == 0 ? DIGEST_ROBOT_ROWS : cap;
	k = cycle_kind_parse(str(r.d, "kind"));
	if ((r.out = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");

	fprintf(r.out, "### %s ", W(&r, k == CYCLE_DAILY ? DW_TITLE_DAILY :
	    k == CYCLE_WEEKLY ? DW_TITLE_WEEKLY : DW_TITLE_MONTHLY));
	put_safe(&r, str(r.d, "period"));
	if (json_is_true(json_object_get(r.d, "provisional")))
		fprintf(r.out, r.en ? " (provisional: up to %.5s)" :
		    "（截至 %.5s，未满一期）", str(r.d, "until") + 11);
	else if (num(r.d, "revision") > 1) {
		fputs(r.en ? " (" : "（", r.out);
		fprintf(r.out, r.en ? "revision %lld" : "第%lld版",
		    num(r.d, "revision"));
		fputs(r.en ? ")" : "）", r.out);
	}
	fprintf(r.out, "\n\n%s%.10s %.5s%s%.10s %.5s\n", P(&r, P_WINDOW),
	    str(r.d, "since"), str(r.d, "since") + 11, P(&r, P_TO),
	    str(r.d, "until"), str(r.d, "until") + 11);
	summary(&r, k);

	/* What the chief reads first, where the digest has it. */
	if (json_object_get(r.d, "new_hazards") != NULL)
		new_hazards(&r, json_object_get(r.d, "new_hazards"));
	if (json_object_get(r.d, "rejected") != NULL)
		rejected(&r, json_object_get(r.d, "rejected"));
	if (json_object_get(r.d, "silent") != NULL)
		schools(&r, DW_SILENT, json_object_get(r.d, "silent"));
	if (json_object_get(r.d, "late_acks") != NULL)
		late_acks(&r, json_object_get(r.d, "late_acks"));
	if (k == CYCLE_DAILY) {
		items(&r, W(&r, DW_LIST_OVERDUE), json_object_get(r.d,
		    "overdue"), "days_overdue", DAYS_OVERDUE);
		snprintf(title, sizeof(title), r.en ? "Due within %lld days" :
		    "%lld日内到期", num(r.d, "due_soon_days"));
		items(&r, title, json_object_get(r.d, "due_soon"), "days_left",
		    DAYS_LEFT);
		/* The office's own backlog, apart from the schools'. */
		if (json_object_get(r.d, "awaiting") != NULL)
			items(&r, W(&r, DW_AWAITING), json_object_get(r.d,
			    "awaiting"), "days_waiting", DAYS_WAITING);
	}
	if (k == CYCLE_MONTHLY)
		dispatch(&r, json_object_get(r.d, "dispatch"));
	/* The office's own backlog past the limit, apart from the schools'. */
	if (json_object_get(r.d, "office_backlog") != NULL) {
		snprintf(title, sizeof(title), r.en ? "Office backlog past the "
		    "limit (over %lld days)" : "本办待验收超期（超过%lld天）",
		    num(r.d, "escalate_after_days"));
		items(&r, title, json_object_get(r.d, "office_backlog"),
		    "days_waiting", DAYS_WAITING);
	}
	major(&r, json_object_get(r.d, "major"), k == CYCLE_MONTHLY);
	if (k == CYCLE_DAILY)
		warnings(&r, json_object_get(r.d, "warnings"));
	if ((sum = json_object_get(r.d, str(r.d, "schools_sum"))) == NULL)
		sum = json_object_get(r.d, "district");
	rows(&r, W(&r, DW_SCHOOLS), json_object_get(r.d, "schools"), sum);
	/* The categories add up to the same sum as the schools. */
	if (k == CYCLE_WEEKLY)
		rows(&r, W(&r, DW_CATEGORIES), json_object_get(r.d,
		    "categories"), sum);
	if (json_object_get(r.d, "activities") != NULL)
		activities(&r, json_object_get(r.d, "activities"));
	if (json_object_get(r.d, "no_drill") != NULL)
		schools(&r, DW_NO_DRILL, json_object_get(r.d, "no_drill"));
	audit_head(&r, json_object_get(r.d, "audit_head"));
	if (fclose(r.out) != 0)
		fatal("writing a digest");
	return buf;
}
