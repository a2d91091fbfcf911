/*
 * /v1/rate, /v1/stats, /healthz and /metrics: what the figures say.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/buffer.h>

#include "activity.h"
#include "api.h"
#include "date.h"
#include "metrics.h"
#include "period.h"
#include "rate.h"
#include "shape.h"
#include "wire.h"
#include "worker.h"
#include "xmalloc.h"
#include "yearbook.h"

/* Parses an as_of: RFC 3339, or a date meaning the end of that day. */
static int
parse_as_of(const char *s, time_t *at)
{
	char	date[DATE_LEN];

	if (date_parse_rfc3339(s, at) == 0)
		return 0;
	if (date_normalise(s, date) == 0 && date_local_start(date, 1, at) == 0) {
		(*at)--;
		return 0;
	}
	return -1;
}

int
api_as_of(struct request *r, time_t *at)
{
	const char	*name = "as_of", *v;
	char		 from[RFC3339_LEN], to[RFC3339_LEN];
	time_t		 first;
	int		 rc;

	*at = r->now;
	if ((v = http_query(r, name)) == NULL &&
	    (v = http_query(r, name = "at")) == NULL)
		return 0;
	if (parse_as_of(v, at) == -1) {
		http_reply_code(r, 422, "invalid_field", name, NULL,
		    "%s: expected an RFC 3339 instant or a date YYYY-MM-DD",
		    name);
		return -1;
	}
	if ((rc = store_first_event(&first)) == STORE_ERROR) {
		http_reply_unavailable(r);
		return -1;
	}
	/* An empty trail has no before: its figures are all nought. */
	if (rc == STORE_NOTFOUND)
		first = *at;
	if (*at > r->now || *at < first) {
		date_rfc3339(from, sizeof(from), rc == STORE_OK ? first : 0);
		date_rfc3339(to, sizeof(to), r->now);
		http_reply_code(r, 422, "as_of_range", name,
		    json_pack("{s:s, s:s, s:s}", "value", v, "from", from,
		    "to", to), "%s: %s is not between the first event (%s) "
		    "and now (%s)", name, v, from, to);
		return -1;
	}
	return 1;
}

void
api_rate(struct request *r)
{
	static const char *const allowed[] = { "kind", "school", "category",
	    "since", "until", "as_of", "at", NULL };
	struct hazard_filter	 f;
	int64_t			 rectified, identified;
	time_t			 at;
	json_t			*o;

	if (http_query_only(r, allowed) == -1 || api_filter(r, &f) == -1 ||
	    api_as_of(r, &at) == -1)
		return;
	if (f.kind == -1)
		f.kind = KIND_HAZARD;
	if (store_rate(&f, at, &rectified, &identified) != STORE_OK) {
		http_reply_unavailable(r);
		return;
	}
	o = shape_rate(rectified, identified);
	json_object_set_new(o, "kind", json_string(hazard_kind_name(f.kind)));
	http_reply_json(r, 200, o);
}

/*
 * The rate of kind for the reports of [since, until) as it stood at at,
 * as a yearbook's two counts.  0, or -1.
 */
static int
year_rate(const struct hazard_filter *scope, enum hazard_kind kind,
    time_t since, time_t until, time_t at, int64_t *identified,
    int64_t *rectified)
{
	struct hazard_filter	f = *scope;

	f.kind = kind;
	f.has_since = f.has_until = 1;
	f.since = since;
	f.until = until;
	return store_rate(&f, at, rectified, identified) == STORE_OK ? 0 : -1;
}

/* Adds an activity's sum to the yearbook's clause of its type. */
static int
year_activity(const struct activity_sum *a, void *arg)
{
	struct yearbook	*y = arg;

	if (strcmp(a->type, "agreement") == 0)
		y->agreements += a->count;
	else if (strcmp(a->type, ACTIVITY_WARNING) == 0)
		y->warnings += a->count;
	else if (strcmp(a->type, "lesson") == 0)
		y->lessons += a->count;
	else if (strcmp(a->type, ACTIVITY_DRILL) == 0) {
		y->drills += a->count;
		if (a->subtype != NULL && strcmp(a->subtype, "antiterror") == 0)
			y->drills_terror += a->count;
	}
	return 0;
}

/*
 * The activities of the scope dated in the year up to at's day, and the
 * early warnings hazardd issued in [since, at] (to the school, or in
 * all).  0, or -1.
 */
static int
year_activities(int64_t school_id, time_t since, time_t at, struct yearbook *y)
{
	struct activity_filter	f;
	char			from[DATE_LEN], to[DATE_LEN];
	long			issued = 0;

	memset(&f, 0, sizeof(f));
	f.school_id = school_id;
	f.from = date_local(from, sizeof(from), since);
	f.to = date_local(to, sizeof(to), at);
	if (store_activity_sums(&f, year_activity, y) != STORE_OK ||
	    store_activity_warnings(&f, since, at + 1, NULL, NULL,
	    &issued) != STORE_OK)
		return -1;
	y->warnings += issued;
	return 0;
}

/* The exact counts behind the paragraph's activity clauses. */
static json_t *
year_activities_json(const struct yearbook *y)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "agreements",
	    (json_int_t)y->agreements, "warnings", (json_int_t)y->warnings,
	    "drills", (json_int_t)y->drills, "drills_antiterror",
	    (json_int_t)y->drills_terror, "lessons", (json_int_t)y->lessons);
}

void
api_yearbook(struct request *r)
{
	static const char *const allowed[] = { "school", NULL };
	struct hazard_filter	 f;
	struct yearbook		 y;
	char			 date[16], as_of[RFC3339_LEN], *text, *end;
	time_t			 since, until, at;
	long			 year;
	json_t			*o;

	year = strtol(r->args[0], &end, 10);
	if (*end != '\0' || year < 1970 || year > 9999 ||
	    strlen(r->args[0]) != 4) {
		http_reply_code(r, 422, "invalid_field", "year", NULL,
		    "year: expected YYYY");
		return;
	}
	if (http_query_only(r, allowed) == -1 || api_filter(r, &f) == -1)
		return;
	snprintf(date, sizeof(date), "%04ld-01-01", year);
	if (date_local_start(date, 0, &since) == -1 ||
	    (snprintf(date, sizeof(date), "%04ld-01-01", year + 1),
	    date_local_start(date, 0, &until)) == -1) {
		http_reply_code(r, 422, "invalid_field", "year", NULL,
		    "year: out of range");
		return;
	}
	/* A year not yet over stands as it is now. */
	at = until - 1 < r->now ? until - 1 : r->now;
	memset(&y, 0, sizeof(y));
	y.school = f.school_id != 0;
	if (year_rate(&f, KIND_HAZARD, since, until, at, &y.hazards,
	    &y.hazards_rectified) == -1 ||
	    year_rate(&f, KIND_FINDING, since, until, at, &y.findings,
	    &y.findings_rectified) == -1 ||
	    year_activities(f.school_id, since, at, &y) == -1) {
		http_reply_unavailable(r);
		return;
	}
	text = yearbook_text((int)year, &y);
	date_rfc3339(as_of, sizeof(as_of), at);
	o = json_pack("{s:i, s:s, s:b, s:o, s:o, s:s}", "year", (int)year,
	    "as_of", as_of, "complete", at == until - 1,
	    "hazards", shape_rate(y.hazards_rectified, y.hazards),
	    "findings", shape_rate(y.findings_rectified, y.findings),
	    "text", text);
	json_object_set_new(o, "activities", year_activities_json(&y));
	json_object_set_new(o, "scope", json_string(f.school_id != 0 ?
	    "school" : "district"));
	if (f.school_id != 0 && http_query(r, "school") != NULL)
		json_object_set_new(o, "school",
		    json_string(http_query(r, "school")));
	free(text);
	http_reply_json(r, 200, o);
}

/* Adds one group of the statistics. */
static int
stats_add(const struct stats_row *row, void *arg)
{
	json_t	*o;
	int	 k;

	o = json_object();
	json_object_set_new(o, "key", json_string(row->key));
	if (row->name != NULL)
		json_object_set_new(o, "name", json_string(row->name));
	json_object_set_new(o, "open", json_integer(row->open));
	json_object_set_new(o, "overdue", json_integer(row->overdue));
	for (k = 0; k < KIND__MAX; k++)
		json_object_set_new(o, hazard_kind_name(k), shape_rate(
		    row->rectified[k], row->identified[k]));
	json_array_append_new(arg, o);
	return 0;
}

/* A request for the statistics, answered once the worker has read them. */
struct stats_job {
	struct request		*k;
	struct hazard_filter	 f;
	char			*category;
	const char		*by;
	int			 worst;		/* sort=rate: the worst first */
	size_t			 limit;		/* 0: all */
	struct stats_kept	*kept;		/* sort=rate: every row */
	size_t			 nkept;
	struct trend_row	*months;	/* by=month */
	size_t			 nmonths;
	json_t			*groups;
	int			 has_as_of;
	time_t			 as_of;
	char			 today[DATE_LEN];	/* as_of's */
	int			 rc;
};

/* A row of the statistics kept for sorting, its strings its own. */
struct stats_kept {
	struct stats_row	 row;
	char			*key;
	char			*name;
};

/* Keeps a row: the worst are chosen once all are read. */
static int
stats_keep(const struct stats_row *row, void *arg)
{
	struct stats_job	*j = arg;
	struct stats_kept	*k;

	j->kept = xreallocarray(j->kept, j->nkept + 1, sizeof(*j->kept));
	k = &j->kept[j->nkept++];
	k->row = *row;
	k->row.key = k->key = xstrdup(row->key);
	k->row.name = k->name = row->name != NULL ? xstrdup(row->name) : NULL;
	return 0;
}

/*
 * The worst first: the lowest rate of hazards (none identified: after
 * every rate), then the most overdue, the most open, by key.
 */
static int
worst_first(const void *a, const void *b)
{
	const struct stats_row	*x = &((const struct stats_kept *)a)->row;
	const struct stats_row	*y = &((const struct stats_kept *)b)->row;
	int			 c;

	if ((c = rate_cmp(x->rectified[KIND_HAZARD],
	    x->identified[KIND_HAZARD], y->rectified[KIND_HAZARD],
	    y->identified[KIND_HAZARD])) != 0)
		return c;
	if (x->overdue != y->overdue)
		return x->overdue > y->overdue ? -1 : 1;
	if (x->open != y->open)
		return x->open > y->open ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Sorts the kept rows worst first and adds limit of them (0: all). */
static void
stats_worst(struct stats_job *j)
{
	size_t	i;

	if (j->nkept > 0)
		qsort(j->kept, j->nkept, sizeof(*j->kept), worst_first);
	for (i = 0; i < j->nkept; i++) {
		if (j->limit == 0 || i < j->limit)
			stats_add(&j->kept[i].row, j->groups);
		free(j->kept[i].key);
		free(j->kept[i].name);
	}
	free(j->kept);
	j->kept = NULL;
	j->nkept = 0;
}

/* The months' groups: open at each month's end, and its rates then. */
static void
stats_months(struct stats_job *j)
{
	struct period	 p;
	const struct trend_row *t;
	char		 name[PERIOD_NAME_LEN];
	json_t		*o;
	int64_t		 open;
	size_t		 i;
	int		 k, y, m, d;

	date_local_civil(j->months[0].at, &y, &m, &d);
	period_of_date(CYCLE_MONTHLY, y, m, d, &p);
	for (i = 0; i < j->nmonths; i++, period_step(&p, 1)) {
		t = &j->months[i];
		o = json_object();
		json_object_set_new(o, "key", json_string(period_name(&p,
		    name, sizeof(name))));
		open = 0;
		for (k = 0; k < KIND__MAX; k++)
			open += t->identified[k] - t->rectified[k];
		json_object_set_new(o, "open", json_integer(open));
		for (k = 0; k < KIND__MAX; k++)
			json_object_set_new(o, hazard_kind_name(k), shape_rate(
			    t->rectified[k], t->identified[k]));
		json_array_append_new(j->groups, o);
	}
}

/* On the worker's thread. */
static void
stats_work(void *arg)
{
	struct stats_job	*j = arg;

	j->groups = json_array();
	if (j->months != NULL) {
		if ((j->rc = store_trend(j->f.school_id, j->months,
		    j->nmonths)) == STORE_OK)
			stats_months(j);
		return;
	}
	if (j->has_as_of)
		j->rc = j->worst ?
		    store_stats_as_of(j->by, &j->f, j->as_of, stats_keep, j) :
		    store_stats_as_of(j->by, &j->f, j->as_of, stats_add,
		    j->groups);
	else if (!j->worst)
		j->rc = store_stats(j->by, &j->f, stats_add, j->groups);
	else if (strcmp(j->by, WIRE_BY_SCHOOL) == 0)
		j->rc = store_stats_worst(&j->f, j->limit, stats_keep, j);
	else
		j->rc = store_stats(j->by, &j->f, stats_keep, j);
	if (j->worst)
		stats_worst(j);
	else if (j->rc == STORE_OK && j->limit > 0)
		while (json_array_size(j->groups) > j->limit)
			json_array_remove(j->groups, j->limit);
}

/* Gives each category's group its names, "zh" and "en", if it has any. */
static void
stats_names(json_t *groups, const struct categories *cs)
{
	const struct category	*c;
	json_t			*g;
	size_t			 i;

	json_array_foreach(groups, i, g) {
		c = category_get(cs, json_string_value(json_object_get(g,
		    "key")));
		if (c == NULL)
			continue;
		json_object_set_new(g, "zh", json_string(c->zh));
		json_object_set_new(g, "en", json_string(c->en));
	}
}

/* In the loop (whose configuration it reads): the answer. */
static void
stats_done(void *arg, int ok)
{
	struct stats_job	*j = arg;

	if (ok && j->rc == STORE_OK && strcmp(j->by, WIRE_BY_CATEGORY) == 0)
		stats_names(j->groups, &j->k->cfg->categories);
	if (!ok || j->rc != STORE_OK) {
		json_decref(j->groups);
		http_reply_unavailable(j->k);
	} else
		http_reply_json(j->k, 200, json_pack("{s:s, s:o}", "by",
		    j->by, "groups", j->groups));
	http_kept_done(j->k);
	free(j->category);
	free(j->months);
	free(j);
}

/*
 * Reads ?name= as a number from 1 to max into *v (left alone if absent).
 * Returns 0, or -1 answered.
 */
static int
query_count(struct request *r, const char *name, long max, long *v)
{
	const char	*s;
	char		*end;
	long		 n;

	if ((s = http_query(r, name)) == NULL)
		return 0;
	n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || n < 1 || n > max) {
		http_reply_code(r, 422, "invalid_field", name, NULL,
		    "%s: expected a number from 1 to %ld", name, max);
		return -1;
	}
	*v = n;
	return 0;
}

/*
 * by=month: the instants the trend is read at, the end of each of the
 * months months up to this one, this one's now.  Returns 0, or -1
 * answered.
 */
static int
stats_month_ends(struct request *r, struct stats_job *j)
{
	static const char *const refused[] = { "since", "until", "kind",
	    "category", "sort", "limit", "as_of", NULL };
	struct period	 p;
	time_t		 start, end;
	long		 months = 12;
	size_t		 i;
	int		 y, m, d;

	for (i = 0; refused[i] != NULL; i++)
		if (http_query(r, refused[i]) != NULL) {
			http_reply_code(r, 422, "invalid_field", refused[i],
			    NULL, "%s: not with by=month (its months are the "
			    "last months=N)", refused[i]);
			return -1;
		}
	if (query_count(r, "months", 120, &months) == -1)
		return -1;
	j->nmonths = (size_t)months;
	j->months = xcalloc(j->nmonths, sizeof(*j->months));
	date_local_civil(r->now, &y, &m, &d);
	period_of_date(CYCLE_MONTHLY, y, m, d, &p);
	period_step(&p, -(int)(months - 1));
	for (i = 0; i < j->nmonths; i++, period_step(&p, 1)) {
		period_bounds(&p, &start, &end);
		j->months[i].at = end - 1 < r->now ? end - 1 : r->now;
	}
	return 0;
}

void
api_stats(struct request *r)
{
	static const char *const allowed[] = { "by", "since", "until",
	    "kind", "school", "category", "months", "sort", "limit", "as_of",
	    NULL };
	struct hazard_filter	 f;
	struct stats_job	*j;
	const char		*by, *sort;
	long			 limit = 0;
	time_t			 as_of;
	int			 by_i, has_as_of;

	if (http_query_only(r, allowed) == -1)
		return;
	by = http_query(r, "by");
	if (by == NULL || (by_i = wire_find(wire_bys, by)) == -1) {
		http_reply_code(r, 422, "invalid_field", "by", NULL,
		    "by: expected school, category or month");
		return;
	}
	if (api_filter(r, &f) == -1 || (has_as_of = api_as_of(r, &as_of)) == -1)
		return;
	sort = http_query(r, "sort");
	if (sort != NULL && strcmp(sort, "key") != 0 &&
	    strcmp(sort, "rate") != 0) {
		http_reply_code(r, 422, "invalid_field", "sort", NULL,
		    "sort: expected key or rate");
		return;
	}
	if (query_count(r, "limit", 100000, &limit) == -1)
		return;
	if (http_query(r, "months") != NULL &&
	    strcmp(wire_bys[by_i], WIRE_BY_MONTH) != 0) {
		http_reply_code(r, 422, "invalid_field", "months", NULL,
		    "months: only with by=month");
		return;
	}
	/*
	 * The open hazards are counted one by one (a tenth of a second on
	 * a million), and a filter the tallies do not know reads every
	 * hazard: off the loop, on the worker's own connection.
	 */
	j = xcalloc(1, sizeof(*j));
	j->by = wire_bys[by_i];
	if (strcmp(j->by, WIRE_BY_MONTH) == 0 &&
	    stats_month_ends(r, j) == -1) {
		free(j);
		return;
	}
	j->k = http_keep(r);
	j->f = f;
	j->f.today = j->k->today;
	j->worst = sort != NULL && strcmp(sort, "rate") == 0;
	j->limit = (size_t)limit;
	if ((j->has_as_of = has_as_of)) {
		/* Overdue by the end of as_of's own day. */
		j->as_of = as_of;
		date_local(j->today, sizeof(j->today), as_of);
		j->f.today = j->today;
	}
	if (f.category != NULL)
		j->f.category = j->category = xstrdup(f.category);
	if (worker_queue(r->cfg->database, stats_work, stats_done, j) == -1)
		stats_done(j, 0);
}

/* The counts of the day, read by the worker. */
struct today_job {
	struct request		*k;
	time_t			 since;
	struct today_counts	 c;
	int64_t			 states[KIND__MAX][STATE__MAX];
	int64_t			 overdue[KIND__MAX];
	int			 rc;
};

/* On the worker's thread. */
static void
today_work(void *arg)
{
	struct today_job	*j = arg;

	j->rc = store_today(j->since, &j->c);
	if (j->rc == STORE_OK)
		j->rc = store_count_states(j->states);
	if (j->rc == STORE_OK)
		j->rc = store_metrics_overdue(j->k->today, j->overdue);
}

/* In the loop: the answer. */
static void
today_done(void *arg, int ok)
{
	struct today_job	*j = arg;
	json_t			*o;
	int			 k;

	if (!ok || j->rc != STORE_OK)
		http_reply_unavailable(j->k);
	else {
		o = json_pack("{s:s}", "date", j->k->today);
		for (k = 0; k < KIND__MAX; k++)
			json_object_set_new(o, hazard_kind_name(k), json_pack(
			    "{s:I, s:I, s:I, s:I, s:I, s:I}",
			    "reported", (json_int_t)j->c.reported[k],
			    "rectified", (json_int_t)j->c.rectified[k],
			    "closed", (json_int_t)j->c.closed[k],
			    "open", (json_int_t)(j->states[k][STATE_OPEN] +
			    j->states[k][STATE_RECTIFIED]),
			    "awaiting", (json_int_t)j->states[k][STATE_RECTIFIED],
			    "overdue", (json_int_t)j->overdue[k]));
		http_reply_json(j->k, 200, o);
	}
	http_kept_done(j->k);
	free(j);
}

void
api_today(struct request *r)
{
	static const char *const allowed[] = { NULL };
	struct today_job	*j;
	time_t			 since;

	if (http_query_only(r, allowed) == -1)
		return;
	if (date_local_start(r->today, 0, &since) == -1) {
		http_reply_unavailable(r);
		return;
	}
	j = xcalloc(1, sizeof(*j));
	j->since = since;
	j->k = http_keep(r);
	if (worker_queue(r->cfg->database, today_work, today_done, j) == -1)
		today_done(j, 0);
}

void
api_healthz(struct request *r)
{
	if (store_ping() != STORE_OK) {
		http_reply_code(r, 503, "unavailable", NULL, NULL,
		    "the database cannot be read");
		return;
	}
	http_reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void
api_metrics(struct request *r)
{
	int64_t		 counts[KIND__MAX][STATE__MAX];
	struct evbuffer	*out;
	struct stat	 sb;
	int		 k, s;

	if ((out = evbuffer_new()) == NULL) {
		http_reply_code(r, 500, "internal", NULL, NULL,
		    "out of memory");
		return;
	}
	http_metrics(out);
	if (store_count_states(counts) == STORE_OK) {
		evbuffer_add_printf(out,
		    "# HELP hazardd_hazards Hazards by kind and state.\n"
		    "# TYPE hazardd_hazards gauge\n");
		for (k = 0; k < KIND__MAX; k++)
			for (s = 0; s < STATE__MAX; s++)
				evbuffer_add_printf(out, "hazardd_hazards"
				    "{kind=\"%s\",state=\"%s\"} %" PRId64 "\n",
				    hazard_kind_name(k), hazard_state_name(s),
				    counts[k][s]);
	}
	metrics_write(out, r->today);
	if (stat(r->cfg->database, &sb) == 0)
		evbuffer_add_printf(out,
		    "# HELP hazardd_database_bytes Size of the database file.\n"
		    "# TYPE hazardd_database_bytes gauge\n"
		    "hazardd_database_bytes %lld\n", (long long)sb.st_size);
	http_reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8",
	    (const char *)evbuffer_pullup(out, -1), evbuffer_get_length(out));
	evbuffer_free(out);
}
