/*
 * The digests of the cycle.  A digest is built once as JSON from the
 * database; its text is rendered from that JSON, so the two always say
 * the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "digest.h"
#include "ledger.h"
#include "log.h"
#include "rate.h"
#include "safetext.h"
#include "store.h"
#include "table.h"
#include "xmalloc.h"

/* --- building -------------------------------------------------------- */

/* The JSON of one row of figures. */
static json_t *
row_json(const struct digest_row *r)
{
	json_t	*o, *rates, *on_time;
	int	 k;

	o = json_object();
	if (r->key != NULL)
		json_object_set_new(o, "key", json_string(r->key));
	if (r->name != NULL)
		json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "new", json_integer(r->new));
	json_object_set_new(o, "rectified", json_integer(r->rectified));
	json_object_set_new(o, "closed", json_integer(r->closed));
	json_object_set_new(o, "open", json_integer(r->open));
	json_object_set_new(o, "overdue", json_integer(r->overdue));
	json_object_set_new(o, "due_soon", json_integer(r->due_soon));
	rates = json_object();
	on_time = json_object();
	for (k = 0; k < KIND__MAX; k++) {
		json_object_set_new(rates, hazard_kind_name(k), api_rate_json(
		    r->closed_total[k], r->identified[k]));
		json_object_set_new(on_time, hazard_kind_name(k),
		    api_rate_json(r->on_time[k], r->identified[k]));
	}
	json_object_set_new(o, "rates", rates);
	json_object_set_new(o, "on_time", on_time);
	return o;
}

/* Rows collected, and their sum (the district). */
struct rows {
	json_t			*array;
	struct digest_row	 sum;
};

static int
rows_add(const struct digest_row *r, void *arg)
{
	struct rows	*rs = arg;
	int		 k;

	json_array_append_new(rs->array, row_json(r));
	rs->sum.new += r->new;
	rs->sum.rectified += r->rectified;
	rs->sum.closed += r->closed;
	rs->sum.open += r->open;
	rs->sum.overdue += r->overdue;
	rs->sum.due_soon += r->due_soon;
	for (k = 0; k < KIND__MAX; k++) {
		rs->sum.identified[k] += r->identified[k];
		rs->sum.closed_total[k] += r->closed_total[k];
		rs->sum.on_time[k] += r->on_time[k];
	}
	return 0;
}

/* Reads the rows of schools (or categories) for a scope. */
static int
rows_read(int (*query)(const struct digest_scope *,
    int (*)(const struct digest_row *, void *), void *),
    const struct digest_scope *sc, struct rows *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->array = json_array();
	if (query(sc, rows_add, rs) != STORE_OK) {
		json_decref(rs->array);
		rs->array = NULL;
		return -1;
	}
	return 0;
}

/* The JSON of one listed hazard; days is named by days_key. */
static json_t *
item_json(const struct digest_item *it, const char *days_key)
{
	json_t	*o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "id", (json_int_t)it->id, "kind", it->kind, "school", it->school,
	    "school_name", it->school_name, "title", it->title,
	    "category", it->category, "grade", it->grade, "state", it->state);
	json_object_set_new(o, "deadline", it->deadline == NULL ?
	    json_null() : json_string(it->deadline));
	json_object_set_new(o, "department", it->department == NULL ?
	    json_null() : json_string(it->department));
	json_object_set_new(o, "plan", json_boolean(it->has_plan));
	json_object_set_new(o, "assessment", json_boolean(it->has_assessment));
	json_object_set_new(o, "escalation", json_integer(it->escalation));
	json_object_set_new(o, days_key, json_integer(it->days));
	return o;
}

struct items {
	json_t		*array;
	const char	*days_key;
};

static int
items_add(const struct digest_item *it, void *arg)
{
	struct items	*is = arg;

	json_array_append_new(is->array, item_json(it, is->days_key));
	return 0;
}

/* Reads a list of hazards.  Returns the array, or NULL. */
static json_t *
list_read(enum digest_list which, const struct digest_scope *sc,
    const char *days_key)
{
	struct items	is = { json_array(), days_key };

	if (store_digest_list(which, sc, items_add, &is) != STORE_OK) {
		json_decref(is.array);
		return NULL;
	}
	return is.array;
}

/* The hazard rate of a row as a sortable number: n/a sorts last. */
static int64_t
row_tenths(json_t *row)
{
	json_t	*r = json_object_get(json_object_get(json_object_get(row,
		    "rates"), "hazard"), "rate");

	if (json_is_null(r) || r == NULL)
		return 10000;
	return (int64_t)(json_number_value(r) * 10 + 0.5);
}

/* Worst first: lowest rate, then most overdue, then the code. */
static int
worst_first(const void *a, const void *b)
{
	json_t		*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int64_t		 rx = row_tenths(x), ry = row_tenths(y), ox, oy;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	ox = json_integer_value(json_object_get(x, "overdue"));
	oy = json_integer_value(json_object_get(y, "overdue"));
	if (ox != oy)
		return ox > oy ? -1 : 1;
	return strcmp(json_string_value(json_object_get(x, "key")),
	    json_string_value(json_object_get(y, "key")));
}

/* Sorts an array of school rows worst first. */
static void
sort_worst_first(json_t *array)
{
	size_t	 n = json_array_size(array), i;
	json_t	**v;

	if (n < 2)
		return;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(array, i));
	qsort(v, n, sizeof(*v), worst_first);
	json_array_clear(array);
	for (i = 0; i < n; i++)
		json_array_append_new(array, v[i]);
	free(v);
}

/* Writes a local date n days after (or before) date s. */
static void
date_add_days(const char *s, long n, char out[DATE_LEN])
{
	int	y, m, d;

	if (date_parse(s, &y, &m, &d) == -1) {
		snprintf(out, DATE_LEN, "%s", s);
		return;
	}
	date_civil_from_days(date_days_from_civil(y, m, d) + n, &y, &m, &d);
	snprintf(out, DATE_LEN, "%04d-%02d-%02d", y, m, d);
}

/* An instant as RFC 3339 JSON. */
static json_t *
json_instant(time_t t)
{
	char	buf[RFC3339_LEN + 8];

	return json_string(date_rfc3339(buf, sizeof(buf), t));
}

const char *
digest_department(const struct config *cfg, const char *category)
{
	const char	*d = config_department(cfg, category);

	if (d != NULL)
		return d;
	return strcmp(cfg->language, "en") == 0 ? "Education Commission" :
	    "教育局";
}

/* Collects the ids of the hazards to dispatch. */
struct id_list {
	int64_t	*ids;
	size_t	 n;
};

static int
ids_add(const struct digest_item *it, void *arg)
{
	struct id_list	*l = arg;

	l->ids = xreallocarray(l->ids, l->n + 1, sizeof(*l->ids));
	l->ids[l->n++] = it->id;
	return 0;
}

/* Appends item to the array of group key in object groups. */
static void
group_add(json_t *groups, const char *key, json_t *item)
{
	json_t	*a;

	if ((a = json_object_get(groups, key)) == NULL) {
		a = json_array();
		json_object_set_new(groups, key, a);
	}
	json_array_append(a, item);
}

/*
 * The window of a digest, and today as of its end: the state a digest
 * tells is the state then.  A period run before its end is told as of
 * the run.
 */
static void
digest_window(const struct digest_request *req, time_t *since, time_t *until,
    char today[DATE_LEN])
{
	period_window(&req->period, &req->cfg->daily, since, until);
	if (req->since != 0)
		*since = req->since;
	if (*until > req->made_at)
		*until = req->made_at + 1;
	date_local(today, DATE_LEN, *until);
}

/* Escalates one hazard: 0, or -1 logged. */
static int
escalate_one(const struct digest_request *req, int64_t id,
    const char *period)
{
	struct hazard	 h;
	int		 rc = -1;

	if (store_hazard_get(id, &h) != STORE_OK)
		return -1;
	/* Closed or cancelled since it was listed: nothing to dispatch. */
	if (h.state != STATE_OPEN && h.state != STATE_RECTIFIED) {
		hazard_clear(&h);
		return 0;
	}
	if (ledger_escalate(&ledger_hazardd, req->made_at, &h,
	    digest_department(req->cfg, h.text[FIELD_CATEGORY]),
	    period) == STORE_OK) {
		log_info("hazard %" PRId64 " (%s): escalated to level %d, "
		    "dispatched to %s (%s)", id, h.school, h.escalation,
		    h.text[FIELD_DEPARTMENT], period);
		rc = 0;
	}
	hazard_clear(&h);
	return rc;
}

int
digest_escalation_list(const struct digest_request *req, int64_t **ids,
    size_t *n)
{
	struct digest_scope	 sc;
	struct id_list		 l = { NULL, 0 };
	char			 period[PERIOD_NAME_LEN], cutoff[DATE_LEN];
	char			 today[DATE_LEN];
	time_t			 since, until;

	digest_window(req, &since, &until, today);
	period_name(&req->period, period, sizeof(period));
	date_add_days(today, -(long)req->cfg->escalate_after_days, cutoff);
	memset(&sc, 0, sizeof(sc));
	sc.until = until;
	sc.today = today;
	sc.cutoff = cutoff;
	sc.period = period;
	if (store_digest_list(LIST_DISPATCH, &sc, ids_add, &l) != STORE_OK) {
		free(l.ids);
		return -1;
	}
	*ids = l.ids;
	*n = l.n;
	return 0;
}

int
digest_escalate_one(const struct digest_request *req, int64_t id)
{
	char	period[PERIOD_NAME_LEN];

	period_name(&req->period, period, sizeof(period));
	return escalate_one(req, id, period);
}

/* Adds a dispatched hazard to the dispatch by department and school. */
static int
dispatched_add(const struct digest_item *it, void *arg)
{
	json_t		*out = arg, *item;
	const char	*today = json_string_value(json_object_get(out,
			    "today"));
	const char	*dept = it->department != NULL ? it->department : "";

	item = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}",
	    "id", (json_int_t)it->id, "school", it->school,
	    "school_name", it->school_name, "title", it->title,
	    "category", it->category, "department", dept,
	    "escalation", it->escalation);
	json_object_set_new(item, "deadline", it->deadline == NULL ?
	    json_null() : json_string(it->deadline));
	json_object_set_new(item, "reason", json_string(it->deadline != NULL &&
	    strcmp(it->deadline, today) < 0 ? "overdue" : "open_too_long"));
	group_add(json_object_get(out, "departments"), dept, item);
	group_add(json_object_get(out, "schools"), it->school, item);
	json_decref(item);
	json_object_set_new(out, "escalated", json_integer(
	    json_integer_value(json_object_get(out, "escalated")) + 1));
	return 0;
}

/*
 * The dispatch of a month: the hazards digest_escalate escalated for
 * it, by department and by school.  NULL on error (logged).
 */
static json_t *
dispatch_read(const struct digest_scope *sc)
{
	json_t	*out;

	out = json_pack("{s:i, s:o, s:o, s:s}", "escalated", 0,
	    "departments", json_object(), "schools", json_object(),
	    "today", sc->today);
	if (store_digest_list(LIST_DISPATCHED, sc, dispatched_add, out) !=
	    STORE_OK) {
		json_decref(out);
		return NULL;
	}
	json_object_del(out, "today");
	return out;
}

/* Adds a warning not acknowledged to the array. */
static int
unacked_add(const struct warning_row *w, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:o}",
	    "id", (json_int_t)w->id, "school", w->school, "school_name",
	    w->school_name, "title", w->title, "issued_at",
	    json_instant(w->issued_at)));
	return 0;
}

/* The warnings that schools had not acknowledged at until, or NULL. */
static json_t *
unacked_read(time_t until)
{
	json_t	*a = json_array();

	if (store_warning_unacked(until, unacked_add, a) != STORE_OK) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Sets key of o to the sum of rs, or fails. */
static int
set_rows(json_t *o, const char *sum_key, const char *rows_key,
    struct rows *rs)
{
	if (rs->array == NULL)
		return -1;
	json_object_set_new(o, sum_key, row_json(&rs->sum));
	if (rows_key != NULL)
		json_object_set_new(o, rows_key, rs->array);
	else
		json_decref(rs->array);
	rs->array = NULL;
	return 0;
}

/* Sets key of o to a list, or fails. */
static int
set_list(json_t *o, const char *key, json_t *list)
{
	if (list == NULL)
		return -1;
	json_object_set_new(o, key, list);
	return 0;
}

json_t *
digest_build(const struct digest_request *req)
{
	struct digest_scope	 sc, prev;
	struct rows		 rs;
	struct period		 before;
	char			 name[PERIOD_NAME_LEN], today[DATE_LEN];
	char			 due[DATE_LEN], jan1[DATE_LEN];
	time_t			 since, until, year_start;
	json_t			*d;
	int			 y, m, dd, ok = 0;

	digest_window(req, &since, &until, today);
	date_add_days(today, req->cfg->due_soon_days, due);
	date_local_civil(until - 1, &y, &m, &dd);
	snprintf(jan1, sizeof(jan1), "%04d-01-01", y);
	if (date_local_start(jan1, 0, &year_start) == -1)
		year_start = 0;

	d = json_object();
	json_object_set_new(d, "kind",
	    json_string(cycle_kind_name(req->period.kind)));
	json_object_set_new(d, "period", json_string(period_name(&req->period,
	    name, sizeof(name))));
	json_object_set_new(d, "revision", json_integer(req->revision));
	json_object_set_new(d, "trigger", json_string(req->trigger));
	json_object_set_new(d, "made_at", json_instant(req->made_at));
	json_object_set_new(d, "since", json_instant(since));
	json_object_set_new(d, "until", json_instant(until));
	json_object_set_new(d, "today", json_string(today));
	json_object_set_new(d, "due_soon_days",
	    json_integer(req->cfg->due_soon_days));
	json_object_set_new(d, "language", json_string(req->cfg->language));

	memset(&sc, 0, sizeof(sc));
	sc.from = year_start;
	sc.since = since;
	sc.until = until;
	sc.today = today;
	sc.due = due;
	sc.period = name;

	switch (req->period.kind) {
	case CYCLE_DAILY:
		ok = rows_read(store_digest_schools, &sc, &rs) == 0 &&
		    set_rows(d, "district", "schools", &rs) == 0 &&
		    set_list(d, "overdue", list_read(LIST_OVERDUE, &sc,
		    "days_overdue")) == 0 &&
		    set_list(d, "due_soon", list_read(LIST_DUE_SOON, &sc,
		    "days_left")) == 0 &&
		    set_list(d, "major", list_read(LIST_MAJOR, &sc,
		    "days_open")) == 0 &&
		    set_list(d, "warnings", unacked_read(until)) == 0;
		break;
	case CYCLE_WEEKLY:
		/* The year to date, school by school, worst first. */
		ok = rows_read(store_digest_schools, &sc, &rs) == 0;
		if (ok) {
			sort_worst_first(rs.array);
			ok = set_rows(d, "year", "schools", &rs) == 0;
		}
		/* The week's own reports, and the week before. */
		prev = sc;
		prev.from = since;
		ok = ok && rows_read(store_digest_schools, &prev, &rs) == 0 &&
		    set_rows(d, "district", NULL, &rs) == 0;
		before = req->period;
		period_step(&before, -1);
		period_bounds(&before, &prev.since, &prev.until);
		prev.from = prev.since;
		ok = ok && rows_read(store_digest_schools, &prev, &rs) == 0 &&
		    set_rows(d, "previous", NULL, &rs) == 0 &&
		    rows_read(store_digest_categories, &sc, &rs) == 0 &&
		    set_rows(d, "categories_total", "categories", &rs) == 0 &&
		    set_list(d, "major", list_read(LIST_MAJOR, &sc,
		    "days_open")) == 0;
		json_object_del(d, "categories_total");
		break;
	case CYCLE_MONTHLY:
		ok = rows_read(store_digest_schools, &sc, &rs) == 0 &&
		    set_rows(d, "year", NULL, &rs) == 0;
		prev = sc;
		prev.from = since;
		ok = ok && rows_read(store_digest_schools, &prev, &rs) == 0 &&
		    set_rows(d, "district", "schools", &rs) == 0 &&
		    set_list(d, "dispatch", dispatch_read(&sc)) == 0 &&
		    set_list(d, "major", list_read(LIST_MAJOR, &sc,
		    "days_open")) == 0;
		break;
	default:
		break;
	}
	if (!ok) {
		json_decref(d);
		return NULL;
	}
	return d;
}

/* --- rendering --------------------------------------------------------- */

enum label {
	L_TITLE_DAILY, L_TITLE_WEEKLY, L_TITLE_MONTHLY,
	L_WINDOW, L_TO, L_DISTRICT, L_WEEK, L_MONTH, L_YEAR, L_PREVIOUS,
	L_NEW, L_RECTIFIED, L_CLOSED, L_OPEN, L_OVERDUE, L_DUE_SOON,
	L_RATE_HAZARD, L_RATE_FINDING, L_ON_TIME,
	L_LIST_OVERDUE, L_LIST_MAJOR, L_SCHOOLS,
	L_CATEGORIES, L_DISPATCH, L_BY_DEPARTMENT, L_BY_SCHOOL, L_FLAGGED,
	L_SCHOOL, L_CODE, L_ID, L_TITLE, L_CATEGORY, L_DEADLINE,
	L_DAYS_OVERDUE, L_DAYS_LEFT, L_DAYS_OPEN, L_PLAN, L_ASSESSMENT,
	L_STATE, L_LEVEL, L_DEPARTMENT, L_YES, L_NO, L_NONE, L_ESCALATED,
	L_WARNINGS, L_WARNING, L_ISSUED,
	L__MAX
};

static const char *const labels[L__MAX][2] = {
	[L_TITLE_DAILY]		= { "安全隐患日报", "Daily hazard track" },
	[L_TITLE_WEEKLY]	= { "安全隐患周报", "Weekly hazard summary" },
	[L_TITLE_MONTHLY]	= { "安全隐患月度调度",
				    "Monthly hazard dispatch" },
	[L_WINDOW]		= { "统计区间", "Window" },
	[L_TO]			= { "至", "to" },
	[L_DISTRICT]		= { "全区概况", "District" },
	[L_WEEK]		= { "本周", "This week" },
	[L_MONTH]		= { "本月", "This month" },
	[L_YEAR]		= { "本年累计", "Year to date" },
	[L_PREVIOUS]		= { "上周", "The week before" },
	[L_NEW]			= { "新增", "new" },
	[L_RECTIFIED]		= { "整改", "rectified" },
	[L_CLOSED]		= { "销号", "closed" },
	[L_OPEN]		= { "在办", "open" },
	[L_OVERDUE]		= { "逾期", "overdue" },
	[L_DUE_SOON]		= { "即将到期", "due soon" },
	[L_RATE_HAZARD]		= { "隐患整改率", "hazard rectification rate" },
	[L_RATE_FINDING]	= { "问题整改率", "finding rectification rate" },
	[L_ON_TIME]		= { "按期整改率", "on time" },
	[L_LIST_OVERDUE]	= { "逾期未整改", "Overdue" },
	[L_LIST_MAJOR]		= { "重大隐患（一事一策、一隐患一研判）",
				    "Major hazards (plan and risk "
				    "assessment)" },
	[L_SCHOOLS]		= { "各校情况", "Schools" },
	[L_CATEGORIES]		= { "分类统计", "By category" },
	[L_DISPATCH]		= { "调度清单", "Dispatch" },
	[L_BY_DEPARTMENT]	= { "按责任部门", "By department" },
	[L_BY_SCHOOL]		= { "按学校", "By school" },
	[L_FLAGGED]		= { "缺少方案或研判的重大隐患",
				    "Major hazards lacking a plan or an "
				    "assessment" },
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
	[L_YES]			= { "有", "yes" },
	[L_NO]			= { "无", "no" },
	[L_NONE]		= { "无", "none" },
	[L_ESCALATED]		= { "本月升级督办", "escalated this month" },
	[L_WARNINGS]		= { "未确认的预警通知",
				    "Warnings not acknowledged" },
	[L_WARNING]		= { "预警", "Warning" },
	[L_ISSUED]		= { "发布时间", "Issued" },
};

/* What renders: the output and the language. */
struct render {
	FILE	*out;
	int	 en;
};

static const char *
L(const struct render *r, enum label l)
{
	return labels[l][r->en];
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

/* "new 3  rectified 2 ..." and the rates of a row of figures. */
static void
render_figures(const struct render *r, json_t *row, int window)
{
	json_t	*rates = json_object_get(row, "rates");
	json_t	*on_time = json_object_get(row, "on_time");

	fputs("  ", r->out);
	if (window)
		fprintf(r->out, "%s %" JSON_INTEGER_FORMAT "  %s %"
		    JSON_INTEGER_FORMAT "  %s %" JSON_INTEGER_FORMAT "  ",
		    L(r, L_NEW), num(row, "new"), L(r, L_RECTIFIED),
		    num(row, "rectified"), L(r, L_CLOSED), num(row, "closed"));
	fprintf(r->out, "%s %" JSON_INTEGER_FORMAT "  %s %" JSON_INTEGER_FORMAT
	    "  %s %" JSON_INTEGER_FORMAT "\n", L(r, L_OPEN), num(row, "open"),
	    L(r, L_OVERDUE), num(row, "overdue"), L(r, L_DUE_SOON),
	    num(row, "due_soon"));
	fprintf(r->out, "  %s %s  %s %s\n", L(r, L_RATE_HAZARD),
	    str(json_object_get(rates, "hazard"), "text"), L(r, L_ON_TIME),
	    str(json_object_get(on_time, "hazard"), "text"));
	fprintf(r->out, "  %s %s  %s %s\n", L(r, L_RATE_FINDING),
	    str(json_object_get(rates, "finding"), "text"), L(r, L_ON_TIME),
	    str(json_object_get(on_time, "finding"), "text"));
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

	fprintf(r->out, "\n%s\n", heading);
	if (json_array_size(items) == 0) {
		fprintf(r->out, "  %s\n", L(r, L_NONE));
		return;
	}
	t = table_new(8, h);
	table_right(t, 2);
	table_right(t, 7);
	table_max(t, 3, 40);
	json_array_foreach(items, i, it) {
		table_add(t, str(it, "school_name"));
		table_add(t, str(it, "school"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, "id"));
		table_add(t, str(it, "title"));
		table_add(t, str(it, "category"));
		table_add(t, str(it, "deadline"));
		table_add(t, state_label(r, str(it, "state")));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(it, days_key));
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

	fprintf(r->out, "\n%s\n", L(r, only_lacking ? L_FLAGGED :
	    L_LIST_MAJOR));
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
		table_add(t, L(r, json_is_true(json_object_get(it, "plan")) ?
		    L_YES : L_NO));
		table_add(t, L(r, json_is_true(json_object_get(it,
		    "assessment")) ? L_YES : L_NO));
		table_add(t, state_label(r, str(it, "state")));
		n++;
	}
	if (n == 0)
		fprintf(r->out, "  %s\n", L(r, L_NONE));
	else
		table_print(t, r->out);
	table_free(t);
}

/* A table of rows of figures (schools or categories). */
static void
render_rows(const struct render *r, enum label heading, json_t *rows,
    int with_name)
{
	const char	*h[] = { L(r, L_SCHOOL), L(r, L_CODE), L(r, L_NEW),
	    L(r, L_RECTIFIED), L(r, L_CLOSED), L(r, L_OPEN), L(r, L_OVERDUE),
	    L(r, L_RATE_HAZARD), L(r, L_RATE_FINDING) };
	struct table	*t;
	json_t		*row, *rates;
	size_t		 i, c, first = with_name ? 0 : 1;

	fprintf(r->out, "\n%s\n", L(r, heading));
	if (!with_name)
		h[1] = L(r, L_CATEGORY);
	t = table_new(9 - first, h + first);
	for (c = 2 - first; c < 7 - first; c++)
		table_right(t, c);
	json_array_foreach(rows, i, row) {
		rates = json_object_get(row, "rates");
		if (with_name)
			table_add(t, str(row, "name"));
		table_add(t, str(row, "key"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "new"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "rectified"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "closed"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "open"));
		table_addf(t, "%" JSON_INTEGER_FORMAT, num(row, "overdue"));
		table_add(t, str(json_object_get(rates, "hazard"), "text"));
		table_add(t, str(json_object_get(rates, "finding"), "text"));
	}
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

	fprintf(r->out, "\n%s\n", L(r, L_WARNINGS));
	if (json_array_size(items) == 0) {
		fprintf(r->out, "  %s\n", L(r, L_NONE));
		return;
	}
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
		fprintf(r->out, "\n%s\n", L(r, by == 0 ? L_BY_DEPARTMENT :
		    L_BY_SCHOOL));
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

char *
digest_render_text(const json_t *cd, const char *language)
{
	json_t		*d = (json_t *)cd;
	struct render	 r;
	const char	*kind = str(d, "kind");
	char		*buf = NULL, heading[128];
	size_t		 len = 0;
	int		 k = cycle_kind_parse(kind);

	r.en = strcmp(language, "en") == 0;
	if ((r.out = open_memstream(&buf, &len)) == NULL)
		fatal("open_memstream");
	fprintf(r.out, "%s %s (", L(&r, k == CYCLE_DAILY ? L_TITLE_DAILY :
	    k == CYCLE_WEEKLY ? L_TITLE_WEEKLY : L_TITLE_MONTHLY),
	    str(d, "period"));
	fprintf(r.out, r.en ? "revision %d" : "第%d版", (int)num(d, "revision"));
	fprintf(r.out, ")\n%s: %.10s %.5s %s %.10s %.5s\n", L(&r, L_WINDOW),
	    str(d, "since"), str(d, "since") + 11, L(&r, L_TO),
	    str(d, "until"), str(d, "until") + 11);

	fprintf(r.out, "\n%s\n", L(&r, k == CYCLE_DAILY ? L_DISTRICT :
	    k == CYCLE_WEEKLY ? L_WEEK : L_MONTH));
	render_figures(&r, json_object_get(d, "district"), 1);
	if (k == CYCLE_WEEKLY) {
		fprintf(r.out, "\n%s\n", L(&r, L_PREVIOUS));
		render_figures(&r, json_object_get(d, "previous"), 1);
	}
	if (k != CYCLE_DAILY) {
		fprintf(r.out, "\n%s\n", L(&r, L_YEAR));
		render_figures(&r, json_object_get(d, "year"), 0);
	}
	if (k == CYCLE_DAILY) {
		render_items(&r, L(&r, L_LIST_OVERDUE),
		    json_object_get(d, "overdue"), "days_overdue",
		    L_DAYS_OVERDUE);
		snprintf(heading, sizeof(heading), r.en ?
		    "Due within %d days" : "%d日内到期",
		    (int)num(d, "due_soon_days"));
		render_items(&r, heading, json_object_get(d, "due_soon"),
		    "days_left", L_DAYS_LEFT);
	}
	if (k == CYCLE_MONTHLY)
		render_dispatch(&r, json_object_get(d, "dispatch"));
	render_major(&r, json_object_get(d, "major"), k == CYCLE_MONTHLY);
	if (k == CYCLE_DAILY)
		render_warnings(&r, json_object_get(d, "warnings"));
	render_rows(&r, L_SCHOOLS, json_object_get(d, "schools"), 1);
	if (k == CYCLE_WEEKLY)
		render_rows(&r, L_CATEGORIES, json_object_get(d, "categories"),
		    0);
	if (fclose(r.out) != 0)
		fatal("writing a digest");
	return buf;
}
