/*
 * The digests of the cycle, built.  A digest is built once as JSON from
 * the database, reading only; its text is rendered from that JSON
 * (digest_text.c), so the two always say the same.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "activity.h"
#include "date.h"
#include "digest.h"
#include "shape.h"
#include "store.h"
#include "xmalloc.h"

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
		json_object_set_new(rates, hazard_kind_name(k), shape_rate(
		    r->closed_total[k], r->identified[k]));
		json_object_set_new(on_time, hazard_kind_name(k),
		    shape_rate(r->on_time[k], r->identified[k]));
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

/*
 * The JSON of one listed hazard; days is named by days_key (none if
 * NULL); a rejection says the office's note and when.
 */
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
	if (days_key != NULL)
		json_object_set_new(o, days_key, json_integer(it->days));
	if (it->note != NULL) {
		json_object_set_new(o, "note", json_string(it->note));
		json_object_set_new(o, "rejected_at", shape_time(it->at));
	}
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

void
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
	    shape_time(w->issued_at)));
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

/* Sets key of o to a list, or fails. */
static int
set_list(json_t *o, const char *key, json_t *list)
{
	if (list == NULL)
		return -1;
	json_object_set_new(o, key, list);
	return 0;
}

/* Adds a school not acknowledging a warning within a day. */
static int
late_add(const struct warning_row *w, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}",
	    "id", (json_int_t)w->id, "school", w->school, "school_name",
	    w->school_name, "title", w->title, "issued_at",
	    shape_time(w->issued_at), "acked_at", w->acked_at == 0 ?
	    json_null() : shape_time(w->acked_at)));
	return 0;
}

/*
 * The schools that did not acknowledge a warning within a day of its
 * issue, that day over in the window (so each warning is told by one
 * week), or NULL.
 */
static json_t *
late_read(time_t since, time_t until)
{
	json_t	*a = json_array();

	if (store_warning_late(since, until, late_add, a) != STORE_OK) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/*
 * The activities of a window, as they are gathered: a row per school
 * with an activity, in the order of the codes, and the district's.
 */
struct activities {
	json_t	*schools;	/* code -> its row */
	json_t	*total;
	int	 issued;	/* adding the warnings issued by hazardd */
};

/* A row of counts, every type at 0. */
static json_t *
activity_counts(void)
{
	json_t	*o = json_object();
	int	 i;

	for (i = 0; activity_types[i].code != NULL; i++)
		json_object_set_new(o, activity_types[i].code,
		    json_integer(0));
	return o;
}

/* Adds n to member key of o. */
static void
count_add(json_t *o, const char *key, long n)
{
	json_object_set_new(o, key, json_integer(json_integer_value(
	    json_object_get(o, key)) + n));
}

static int
activity_add(const struct activity_sum *s, void *arg)
{
	struct activities	*a = arg;
	json_t			*row;

	if ((row = json_object_get(a->schools, s->school)) == NULL) {
		row = activity_counts();
		json_object_set_new(row, "school", json_string(s->school));
		json_object_set_new(row, "school_name",
		    json_string(s->school_name));
		json_object_set_new(a->schools, s->school, row);
	}
	count_add(row, s->type, s->count);
	/* The district counts a warning to many schools once. */
	if (!a->issued)
		count_add(a->total, s->type, s->count);
	return 0;
}

/* Orders rows of schools by code. */
static int
by_code(const void *x, const void *y)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)x,
	    "school")), json_string_value(json_object_get(*(json_t *const *)y,
	    "school")));
}

/*
 * The activities recorded for the days of the window, with the warnings
 * issued through hazardd in it: {"total": {type: count, ...}, "schools":
 * [{"school", "school_name", type: count, ...}, ...]}, the schools with
 * none left out; or NULL.
 */
static json_t *
activities_read(time_t since, time_t until)
{
	struct activity_filter	 f;
	struct activities	 a;
	const char		*key;
	json_t			*v, *list, **rows;
	char			 from[DATE_LEN], to[DATE_LEN];
	size_t			 i = 0, n;
	long			 issued = 0;

	memset(&f, 0, sizeof(f));
	f.from = date_local(from, sizeof(from), since);
	f.to = date_local(to, sizeof(to), until - 1);
	a.schools = json_object();
	a.total = activity_counts();
	a.issued = 0;
	if (store_activity_sums(&f, activity_add, &a) != STORE_OK)
		goto fail;
	a.issued = 1;
	if (store_activity_warnings(&f, since, until, activity_add, &a,
	    &issued) != STORE_OK)
		goto fail;
	count_add(a.total, ACTIVITY_WARNING, issued);
	n = json_object_size(a.schools);
	rows = xreallocarray(NULL, n + 1, sizeof(*rows));
	json_object_foreach(a.schools, key, v)
		rows[i++] = v;
	qsort(rows, n, sizeof(*rows), by_code);
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append(list, rows[i]);
	free(rows);
	json_decref(a.schools);
	return json_pack("{s:s, s:s, s:o, s:o}", "from", from, "to", to,
	    "total", a.total, "schools", list);
fail:
	json_decref(a.schools);
	json_decref(a.total);
	return NULL;
}

/* Adds a school with no drill to the array. */
static int
no_drill_add(const struct school *s, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s}", "school", s->code,
	    "school_name", s->name));
	return 0;
}

/* The schools (not retired) with no drill in the window's days, or NULL. */
static json_t *
no_drill_read(time_t since, time_t until)
{
	json_t	*a = json_array();
	char	 from[DATE_LEN], to[DATE_LEN];

	if (store_activity_no_drill(date_local(from, sizeof(from), since),
	    date_local(to, sizeof(to), until - 1), no_drill_add, a) !=
	    STORE_OK) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* The schools of rows that reported nothing in the window (零报告). */
static json_t *
silent_read(json_t *rows)
{
	json_t	*a = json_array(), *row;
	size_t	 i;

	json_array_foreach(rows, i, row)
		if (json_integer_value(json_object_get(row, "new")) == 0)
			json_array_append_new(a, json_pack("{s:O, s:O}",
			    "school", json_object_get(row, "key"),
			    "school_name", json_object_get(row, "name")));
	return a;
}

/*
 * The office's own backlog past the limit: the hazards waiting for its
 * verification at the window's end longer than escalate_after_days
 * since the school reported the rectification, the longest first.  Not
 * escalated against the school, which met its deadline; told to the
 * office in its monthly dispatch.  NULL on error.
 */
static json_t *
backlog_read(const struct digest_scope *sc, int limit)
{
	json_t	*all, *past, *it;
	size_t	 i;

	if ((all = list_read(LIST_AWAITING, sc, "days_waiting")) == NULL)
		return NULL;
	past = json_array();
	json_array_foreach(all, i, it)
		if (json_integer_value(json_object_get(it, "days_waiting")) >
		    limit)
			json_array_append(past, it);
	json_decref(all);
	return past;
}

/*
 * What the chief reads first, in every digest: the hazards reported in
 * the window, the major ones first, at most DIGEST_NEW_MAX of them (the
 * others counted), and the rectifications the office rejected in it
 * with its note.  0, or -1.
 */
static int
set_first(json_t *d, const struct digest_scope *sc)
{
	json_t	*list;
	size_t	 more = 0;

	if ((list = list_read(LIST_NEW, sc, NULL)) == NULL)
		return -1;
	while (json_array_size(list) > DIGEST_NEW_MAX) {
		json_array_remove(list, json_array_size(list) - 1);
		more++;
	}
	json_object_set_new(d, "new_hazards", list);
	json_object_set_new(d, "new_hazards_more", json_integer(more));
	return set_list(d, "rejected", list_read(LIST_REJECTED, sc,
	    NULL));
}

/*
 * Sets sum_key of o to the sum of rs, its rates of the hazards reported
 * in scope ("period", "previous" or "year"), or fails.  The rows, if
 * kept, go to rows_key, and "schools_scope" and "schools_sum" say the
 * scope of their rates and which member is their sum.
 */
static int
set_rows(json_t *o, const char *sum_key, const char *rows_key,
    struct rows *rs, const char *scope)
{
	json_t	*sum;

	if (rs->array == NULL)
		return -1;
	sum = row_json(&rs->sum);
	json_object_set_new(sum, "scope", json_string(scope));
	json_object_set_new(o, sum_key, sum);
	if (rows_key != NULL) {
		json_object_set_new(o, rows_key, rs->array);
		if (strcmp(rows_key, "schools") == 0) {
			json_object_set_new(o, "schools_scope",
			    json_string(scope));
			json_object_set_new(o, "schools_sum",
			    json_string(sum_key));
		}
	} else
		json_decref(rs->array);
	rs->array = NULL;
	return 0;
}

/*
 * The head of the audit trail's hash chain as the digest is made: its
 * last event's id and the first 16 hex digits of its hash, which every
 * copy of the digest then witnesses (hazardctl audit verify --head).
 * null before the first event.  0, or -1.
 */
static int
set_head(json_t *d)
{
	uint8_t	hash[CHAIN_HASH_LEN];
	char	hex[2 * CHAIN_HASH_LEN + 1];
	int64_t	id;

	if (store_chain_head(&id, hash) != STORE_OK)
		return -1;
	if (id == 0) {
		json_object_set_new(d, "audit_head", json_null());
		return 0;
	}
	chain_hex(hash, hex);
	hex[DIGEST_HEAD_HEX] = '\0';
	json_object_set_new(d, "audit_head", json_pack("{s:I, s:s}", "event",
	    (json_int_t)id, "hash", hex));
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
	char			 prev_today[DATE_LEN], prev_due[DATE_LEN];
	time_t			 since, until, year_start, full_since, full_until;
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
	json_object_set_new(d, "made_at", shape_time(req->made_at));
	json_object_set_new(d, "since", shape_time(since));
	json_object_set_new(d, "until", shape_time(until));
	/* Made before its period ended (by hand): it says so. */
	period_window(&req->period, &req->cfg->daily, &full_since,
	    &full_until);
	json_object_set_new(d, "provisional", json_boolean(until <
	    full_until));
	json_object_set_new(d, "today", json_string(today));
	json_object_set_new(d, "due_soon_days",
	    json_integer(req->cfg->due_soon_days));
	if (req->period.kind == CYCLE_MONTHLY)
		json_object_set_new(d, "escalate_after_days",
		    json_integer(req->cfg->escalate_after_days));
	json_object_set_new(d, "language", json_string(req->cfg->language));
	json_object_set_new(d, "category_names", shape_category_names(
	    &req->cfg->categories));

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
		    set_rows(d, "district", "schools", &rs, "year") == 0 &&
		    set_first(d, &sc) == 0 &&
		    set_list(d, "overdue", list_read(LIST_OVERDUE, &sc,
		    "days_overdue")) == 0 &&
		    set_list(d, "due_soon", list_read(LIST_DUE_SOON, &sc,
		    "days_left")) == 0 &&
		    set_list(d, "awaiting", list_read(LIST_AWAITING, &sc,
		    "days_waiting")) == 0 &&
		    set_list(d, "major", list_read(LIST_MAJOR, &sc,
		    "days_open")) == 0 &&
		    set_list(d, "warnings", unacked_read(until)) == 0 &&
		    set_head(d) == 0;
		break;
	case CYCLE_WEEKLY:
		/* The year to date, school by school, worst first. */
		ok = rows_read(store_digest_schools, &sc, &rs) == 0;
		if (ok) {
			sort_worst_first(rs.array);
			ok = set_rows(d, "year", "schools", &rs,
			    "year") == 0;
		}
		/* Who reported nothing, who let a warning wait. */
		ok = ok && set_first(d, &sc) == 0 &&
		    set_list(d, "silent", silent_read(json_object_get(d,
		    "schools"))) == 0 &&
		    set_list(d, "late_acks", late_read(since, until)) == 0;
		/* The week's own reports, and the week before. */
		prev = sc;
		prev.from = since;
		ok = ok && rows_read(store_digest_schools, &prev, &rs) == 0 &&
		    set_rows(d, "district", NULL, &rs, "period") == 0;
		/* The week before, as it stood at its end. */
		before = req->period;
		period_step(&before, -1);
		period_bounds(&before, &prev.since, &prev.until);
		prev.from = prev.since;
		date_local(prev_today, sizeof(prev_today), prev.until);
		date_add_days(prev_today, req->cfg->due_soon_days, prev_due);
		prev.today = prev_today;
		prev.due = prev_due;
		ok = ok && rows_read(store_digest_schools, &prev, &rs) == 0 &&
		    set_rows(d, "previous", NULL, &rs, "previous") == 0 &&
		    rows_read(store_digest_categories, &sc, &rs) == 0 &&
		    set_rows(d, "categories_total", "categories", &rs,
		    "year") == 0 &&
		    set_list(d, "major", list_read(LIST_MAJOR, &sc,
		    "days_open")) == 0 &&
		    set_list(d, "activities", activities_read(since,
		    until)) == 0;
		json_object_del(d, "categories_total");
		break;
	case CYCLE_MONTHLY:
		ok = rows_read(store_digest_schools, &sc, &rs) == 0 &&
		    set_rows(d, "year", NULL, &rs, "year") == 0;
		prev = sc;
		prev.from = since;
		ok = ok && rows_read(store_digest_schools, &prev, &rs) == 0 &&
		    set_rows(d, "district", "schools", &rs, "period") == 0 &&
		    set_first(d, &sc) == 0 &&
		    set_list(d, "dispatch", dispatch_read(&sc)) == 0 &&
		    set_list(d, "office_backlog", backlog_read(&sc,
		    req->cfg->escalate_after_days)) == 0 &&
		    set_list(d, "major", list_read(LIST_MAJOR, &sc,
		    "days_open")) == 0 &&
		    set_list(d, "activities", activities_read(since,
		    until)) == 0 &&
		    set_list(d, "no_drill", no_drill_read(since, until)) == 0;
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
