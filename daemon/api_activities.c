/*
 * /v1/activities: the safety activities schools and the office record
 * (drills, safety lessons, responsibility agreements, inspections,
 * trainings, warnings sent by other channels), their list and their
 * sums.  The early warnings hazardd issued count as warnings.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "api.h"
#include "date.h"
#include "db.h"
#include "ledger.h"
#include "log.h"
#include "shape.h"
#include "utf8.h"
#include "worker.h"
#include "xmalloc.h"

#define ACTIVITY_LIMIT_DEFAULT	50
#define ACTIVITY_LIMIT_MAX	500
/* The greatest count of one record: a year of a big school's lessons. */
#define ACTIVITY_COUNT_MAX	1000000

/*
 * The code of the type given (a code or either name), or NULL with why:
 * 422 naming the types there are.
 */
static const char *
activity_type(const char *given, struct refusal *why)
{
	const struct activity_kind	*k;
	char				 codes[200];

	if ((k = activity_type_find(given)) != NULL)
		return k->code;
	activity_codes(activity_types, codes, sizeof(codes));
	http_refuse_code(why, 422, "unknown_activity_type", "type",
	    "type: unknown '%s'; the types are %s", given, codes);
	return NULL;
}

/* The code of a subtype of type, or NULL with why (422). */
static const char *
activity_subtype(const char *type, const char *given, struct refusal *why)
{
	const struct activity_kind	*k;
	char				 codes[200];

	if ((k = activity_subtype_find(type, given)) != NULL)
		return k->code;
	if (strcmp(type, ACTIVITY_DRILL) != 0) {
		http_refuse_code(why, 422, "unknown_activity_subtype",
		    "subtype", "subtype: a %s has none", type);
		return NULL;
	}
	activity_codes(activity_drill_subtypes, codes, sizeof(codes));
	http_refuse_code(why, 422, "unknown_activity_subtype", "subtype",
	    "subtype: unknown '%s'; a drill's are %s", given, codes);
	return NULL;
}

/* Reads a string member.  Returns 0, or -1 with why. */
static int
member_text(json_t *v, const char *name, const char **out,
    struct refusal *why)
{
	if (!json_is_string(v))
		return http_refuse_code(why, 422, "invalid_field", name,
		    "%s: expected a string", name);
	if (utf8_count(json_string_value(v), json_string_length(v)) == -1 ||
	    utf8_count(json_string_value(v), json_string_length(v)) >
	    HAZARD_TEXT_MAX)
		return http_refuse_code(why, 422, "invalid_field", name,
		    "%s: expected up to 4000 "
		    "characters of text", name);
	*out = json_string_value(v);
	return 0;
}

/*
 * Reads the body of an activity into a (its strings point into body or
 * into date), and the school's code.  Returns 0, or -1 with why.
 */
static int
activity_parse(json_t *body, const char *today, struct activity *a,
    const char **school, char date[DATE_LEN], struct refusal *why)
{
	const char	*name, *type = NULL, *subtype = NULL, *when = NULL;
	json_t		*v;

	json_object_foreach(body, name, v) {
		if (strcmp(name, "school") == 0) {
			if (member_text(v, name, school, why) == -1)
				return -1;
		} else if (strcmp(name, "type") == 0) {
			if (member_text(v, name, &type, why) == -1)
				return -1;
		} else if (strcmp(name, "subtype") == 0) {
			if (!json_is_null(v) &&
			    member_text(v, name, &subtype, why) == -1)
				return -1;
		} else if (strcmp(name, "date") == 0) {
			if (member_text(v, name, &when, why) == -1)
				return -1;
		} else if (strcmp(name, "note") == 0) {
			if (!json_is_null(v) &&
			    member_text(v, name, &a->note, why) == -1)
				return -1;
		} else if (strcmp(name, "count") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
			    json_integer_value(v) > ACTIVITY_COUNT_MAX)
				return http_refuse_code(why, 422, "bad_count",
				    "count", "count: expected a whole number "
				    "from 1 to %d", ACTIVITY_COUNT_MAX);
			a->count = (long)json_integer_value(v);
		} else
			return http_refuse_code(why, 422, "unknown_field", name,
			    "unknown field '%s'", name);
	}
	if (type == NULL)
		return http_refuse_code(why, 422, "missing_field", "type",
		    "type is required");
	if ((a->type = activity_type(type, why)) == NULL)
		return -1;
	if (subtype != NULL &&
	    (a->subtype = activity_subtype(a->type, subtype, why)) == NULL)
		return -1;
	if (subtype == NULL && strcmp(a->type, ACTIVITY_DRILL) == 0)
		return http_refuse_code(why, 422, "missing_field", "subtype",
		    "subtype: a drill needs its subtype");
	if (when == NULL)
		when = today;
	if (date_normalise(when, date) == -1)
		return http_refuse_code(why, 422, "invalid_field", "date",
		    "date: expected YYYY-MM-DD");
	if (strcmp(date, today) > 0)
		return http_refuse_code(why, 422, "date_future", "date",
		    "date: %s is after today (%s)", date, today);
	a->date = date;
	return 0;
}

/*
 * Decides the activity's school, its code and name copied into a (free
 * them).  Returns 0, or -1 answered.
 */
static int
activity_school(struct request *r, const char *code, struct activity *a)
{
	struct school	 s;
	char		*c = NULL, *n = NULL;
	int		 rc;

	if (code == NULL && r->who.role == ROLE_OFFICE) {
		http_reply_code(r, 422, "missing_field", "school", NULL,
		    "school is required with an office token");
		return -1;
	}
	rc = store_activity_school(code, r->who.school_id, &s, &c, &n);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		http_reply_unavailable(r);
		return -1;
	}
	if (rc == STORE_OK) {
		a->school = c;
		a->school_name = n;
	}
	/* Another school is, for a school's token, one that does not exist. */
	if (rc == STORE_NOTFOUND ||
	    (r->who.role == ROLE_SCHOOL && s.id != r->who.school_id)) {
		http_reply_code(r, 422, "unknown_school", "school",
		    json_pack("{s:s}", "value", code), "unknown school '%s'",
		    code);
		return -1;
	}
	if (s.retired_at != 0) {
		http_reply_code(r, 409, "school_retired", "school", NULL,
		    "the school is retired: it records no more");
		return -1;
	}
	a->school_id = s.id;
	return 0;
}

json_t *
api_activity_json(const struct activity *a)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:I, s:s?, s:s, "
	    "s:o}", "id", (json_int_t)a->id, "school", a->school,
	    "school_name", a->school_name, "type", a->type, "subtype",
	    a->subtype, "date", a->date, "count", (json_int_t)a->count,
	    "note", a->note, "recorded_by", a->recorded_by, "recorded_at",
	    shape_time(a->recorded_at));
}

void
api_activity_create(struct request *r)
{
	struct activity	 a;
	struct actor	 who;
	struct refusal	 why;
	json_t		*body;
	const char	*school = NULL;
	char		 date[DATE_LEN];

	if ((body = http_body(r, 0)) == NULL)
		return;
	memset(&a, 0, sizeof(a));
	a.count = 1;
	a.recorded_at = r->now;
	if (activity_parse(body, r->today, &a, &school, date, &why) == -1) {
		http_reply_refusal(r, &why);
		goto done;
	}
	if (activity_school(r, school, &a) == -1)
		goto done;
	who.token_id = r->who.token_id;
	who.name = r->who.name;
	who.role = r->who.role;
	if (db_begin() == -1) {
		http_reply_unavailable(r);
		goto done;
	}
	if (ledger_activity(&who, &a) != STORE_OK || db_commit() == -1) {
		db_rollback();
		http_reply_unavailable(r);
		goto done;
	}
	log_info("activity %" PRId64 " recorded by %s: %s %s %s x%ld", a.id,
	    r->who.name, a.school, a.type, a.date, a.count);
	http_reply_json(r, 201, api_activity_json(&a));
done:
	free((char *)a.school);
	free((char *)a.school_name);
	json_decref(body);
}

/* The query parameters of the list and of the sums. */
static const char *const list_allowed[] = { "school", "type", "subtype",
    "from", "to", "limit", "cursor", NULL };
static const char *const stats_allowed[] = { "school", "type", "subtype",
    "from", "to", "by", NULL };

/* A list page or the sums, read on the worker's thread (worker.c). */
struct activity_job {
	struct request		*k;
	struct activity_query	 q;
	long			 limit;
	int			 by_school;
	time_t			 since;		/* from's first instant */
	time_t			 until;		/* the instant after to */
	char			*text;		/* the answer; NULL: 503 */
};

/* Reads a date parameter into buf.  Returns 0 (none: ""), or -1 why. */
static int
query_date(struct request *r, const char *name, char buf[DATE_LEN],
    struct refusal *why)
{
	const char	*v = http_query(r, name);

	buf[0] = '\0';
	if (v == NULL)
		return 0;
	if (date_normalise(v, buf) == -1)
		return http_refuse_code(why, 422, "invalid_field", name,
		    "%s: expected YYYY-MM-DD", name);
	return 0;
}

int
api_activity_filter(struct request *r, struct activity_query *j)
{
	struct refusal	 why;
	const char	*v;

	if ((v = http_query(r, "type")) != NULL) {
		if ((v = activity_type(v, &why)) == NULL)
			goto refuse;
		snprintf(j->type, sizeof(j->type), "%s", v);
		j->f.type = j->type;
	}
	if ((v = http_query(r, "subtype")) != NULL) {
		if ((v = activity_subtype(ACTIVITY_DRILL, v, &why)) == NULL)
			goto refuse;
		snprintf(j->subtype, sizeof(j->subtype), "%s", v);
		j->f.subtype = j->subtype;
	}
	if (query_date(r, "from", j->from, &why) == -1 ||
	    query_date(r, "to", j->to, &why) == -1)
		goto refuse;
	if (j->from[0] != '\0' && j->to[0] != '\0' &&
	    strcmp(j->from, j->to) > 0) {
		http_refuse_code(&why, 422, "invalid_field", "to",
		    "to is before from");
		goto refuse;
	}
	j->f.from = j->from[0] != '\0' ? j->from : NULL;
	j->f.to = j->to[0] != '\0' ? j->to : NULL;
	if (api_school_query(r, &j->f.school_id) == -1)
		return -1;
	if (r->who.role == ROLE_SCHOOL)
		j->f.school_id = r->who.school_id;
	return 0;
refuse:
	http_reply_refusal(r, &why);
	return -1;
}

/* Parses a cursor "DATE.ID" of the list.  Returns 0, or -1. */
static int
parse_cursor(const char *s, struct activity_filter *f)
{
	char		*end;
	long long	 id;

	if (strlen(s) < DATE_LEN + 1 || s[DATE_LEN - 1] != '.')
		return -1;
	memcpy(f->cursor_date, s, DATE_LEN - 1);
	f->cursor_date[DATE_LEN - 1] = '\0';
	if (date_parse(f->cursor_date, NULL, NULL, NULL) == -1)
		return -1;
	id = strtoll(s + DATE_LEN, &end, 10);
	if (end == s + DATE_LEN || *end != '\0' || id <= 0)
		return -1;
	f->has_cursor = 1;
	f->cursor_id = id;
	return 0;
}

/* In the loop: the answer, and the job's end. */
static void
job_done(void *arg, int ok)
{
	struct activity_job	*j = arg;

	if (!ok || j->text == NULL)
		http_reply_unavailable(j->k);
	else
		http_reply_text(j->k, 200, "application/json; charset=utf-8",
		    j->text, strlen(j->text));
	http_kept_done(j->k);
	free(j->text);
	free(j);
}

/* Queues j's work, or answers 503 when the worker is full. */
static void
job_queue(struct request *r, struct activity_job *j, void (*work)(void *))
{
	j->k = http_keep(r);
	if (worker_queue(r->cfg->database, work, job_done, j) == -1)
		job_done(j, 0);
}

/* A list page as it is made. */
struct page {
	json_t		*array;
	long		 limit;
	long		 count;
	char		 last_date[DATE_LEN];
	int64_t		 last_id;
	int		 more;
};

static int
page_add(const struct activity *a, void *arg)
{
	struct page	*p = arg;

	if (p->count == p->limit) {
		p->more = 1;
		return -1;
	}
	json_array_append_new(p->array, api_activity_json(a));
	p->count++;
	snprintf(p->last_date, sizeof(p->last_date), "%s", a->date);
	p->last_id = a->id;
	return 0;
}

/* Sets j's answer to out, which it takes. */
static void
job_answer(struct activity_job *j, json_t *out)
{
	if ((j->text = json_dumps(out, HTTP_JSON_FLAGS)) == NULL)
		fatalx("json_dumps");
	json_decref(out);
}

/* On the worker's thread: the page. */
static void
list_work(void *arg)
{
	struct activity_job	*j = arg;
	struct page		 p;
	char			 cursor[64];
	json_t			*out;

	memset(&p, 0, sizeof(p));
	p.array = json_array();
	p.limit = j->limit;
	if (store_activity_list(&j->q.f, page_add, &p) != STORE_OK) {
		json_decref(p.array);
		return;
	}
	out = json_pack("{s:o}", "activities", p.array);
	if (p.more) {
		snprintf(cursor, sizeof(cursor), "%s.%" PRId64, p.last_date,
		    p.last_id);
		json_object_set_new(out, "next", json_string(cursor));
	} else
		json_object_set_new(out, "next", json_null());
	job_answer(j, out);
}

void
api_activity_list(struct request *r)
{
	struct activity_job	*j;
	struct refusal		 why;
	const char		*v;
	char			*end;

	if (http_query_only(r, list_allowed) == -1)
		return;
	j = xcalloc(1, sizeof(*j));
	if (api_activity_filter(r, &j->q) == -1)
		goto fail;
	j->limit = ACTIVITY_LIMIT_DEFAULT;
	if ((v = http_query(r, "limit")) != NULL) {
		j->limit = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || j->limit < 1 ||
		    j->limit > ACTIVITY_LIMIT_MAX) {
			http_refuse_code(&why, 422, "invalid_field", "limit",
			    "limit: expected a number from 1 to %d",
			    ACTIVITY_LIMIT_MAX);
			goto refuse;
		}
	}
	if ((v = http_query(r, "cursor")) != NULL &&
	    parse_cursor(v, &j->q.f) == -1) {
		http_refuse_code(&why, 422, "invalid_field", "cursor",
		    "cursor: not a cursor this server gave");
		goto refuse;
	}
	job_queue(r, j, list_work);
	return;
refuse:
	http_reply_refusal(r, &why);
fail:
	free(j);
}

/*
 * The sums as they are gathered: a row per school (or one for the
 * district) of counts by type and drill subtype, and records by type.
 */
struct tally {
	int64_t		 school_id;	/* 0: the district */
	char		*school;
	char		*name;
	long		 count[ACTIVITY_TYPES];
	long		 records[ACTIVITY_TYPES];
	long		 issued;	/* warnings issued through hazardd */
	long		 drill[ACTIVITY_SUBTYPES];
};

struct tallies {
	struct tally	*list;
	size_t		 n;
	int		 by_school;
};

/* The row of s's school (or the district's), added if new. */
static struct tally *
tally_of(struct tallies *ts, const struct activity_sum *s)
{
	struct tally	*t;
	int64_t		 id = ts->by_school ? s->school_id : 0;
	size_t		 i;

	for (i = 0; i < ts->n; i++)
		if (ts->list[i].school_id == id)
			return &ts->list[i];
	ts->list = xreallocarray(ts->list, ts->n + 1, sizeof(*ts->list));
	t = &ts->list[ts->n++];
	memset(t, 0, sizeof(*t));
	t->school_id = id;
	if (ts->by_school) {
		t->school = xstrdup(s->school);
		t->name = xstrdup(s->school_name);
	}
	return t;
}

static int
tally_add(const struct activity_sum *s, void *arg)
{
	struct tally	*t = tally_of(arg, s);
	int		 i;

	if ((i = activity_type_index(s->type)) == -1)
		return 0;
	t->count[i] += s->count;
	t->records[i] += s->records;
	if (s->subtype != NULL &&
	    (i = activity_subtype_index(s->subtype)) != -1)
		t->drill[i] += s->count;
	return 0;
}

static int
tally_issued(const struct activity_sum *s, void *arg)
{
	struct tally	*t = tally_of(arg, s);

	t->issued += s->count;
	t->count[activity_type_index(ACTIVITY_WARNING)] += s->count;
	return 0;
}

/* The JSON of a row of the sums: its counts by type, none left out. */
static json_t *
tally_json(const struct tally *t)
{
	json_t	*o, *types, *drill;
	int	 i;

	types = json_object();
	for (i = 0; activity_types[i].code != NULL; i++)
		json_object_set_new(types, activity_types[i].code,
		    json_integer(t->count[i]));
	drill = json_object();
	for (i = 0; activity_drill_subtypes[i].code != NULL; i++)
		json_object_set_new(drill, activity_drill_subtypes[i].code,
		    json_integer(t->drill[i]));
	o = json_pack("{s:o, s:o, s:I}", "types", types, "drills", drill,
	    "warnings_issued", (json_int_t)t->issued);
	if (t->school != NULL) {
		json_object_set_new(o, "school", json_string(t->school));
		json_object_set_new(o, "name", json_string(t->name));
	}
	return o;
}

/* On the worker's thread: the sums. */
static void
stats_work(void *arg)
{
	struct activity_job	*j = arg;
	struct tallies		 ts = { NULL, 0, j->by_school };
	struct activity_sum	 district;
	json_t			*rows, *out;
	long			 issued = 0;
	size_t			 i;
	int			 ok = 0;

	/* The district has its row even with no activity at all. */
	if (!j->by_school) {
		memset(&district, 0, sizeof(district));
		(void)tally_of(&ts, &district);
	}
	if (store_activity_sums(&j->q.f, tally_add, &ts) != STORE_OK)
		goto done;
	if (j->q.f.type == NULL || (strcmp(j->q.f.type, ACTIVITY_WARNING) ==
	    0 && j->q.f.subtype == NULL)) {
		if (store_activity_warnings(&j->q.f, j->since, j->until,
		    j->by_school ? tally_issued : NULL, &ts, &issued) !=
		    STORE_OK)
			goto done;
		if (!j->by_school) {
			ts.list[0].issued = issued;
			ts.list[0].count[activity_type_index(
			    ACTIVITY_WARNING)] += issued;
		}
	}
	rows = json_array();
	for (i = 0; i < ts.n; i++)
		json_array_append_new(rows, tally_json(&ts.list[i]));
	out = json_pack("{s:s, s:s?, s:s?, s:o}", "by", j->by_school ?
	    "school" : "district", "from", j->q.f.from, "to", j->q.f.to, "rows",
	    rows);
	job_answer(j, out);
	ok = 1;
done:
	for (i = 0; i < ts.n; i++) {
		free(ts.list[i].school);
		free(ts.list[i].name);
	}
	free(ts.list);
	(void)ok;
}

void
api_activity_stats(struct request *r)
{
	struct activity_job	*j;
	struct refusal		 why;
	const char		*v;

	if (http_query_only(r, stats_allowed) == -1)
		return;
	j = xcalloc(1, sizeof(*j));
	if (api_activity_filter(r, &j->q) == -1)
		goto fail;
	if ((v = http_query(r, "by")) != NULL && strcmp(v, "school") != 0 &&
	    strcmp(v, "district") != 0) {
		http_refuse_code(&why, 422, "invalid_field", "by",
		    "by: expected school or district");
		http_reply_refusal(r, &why);
		goto fail;
	}
	j->by_school = v != NULL && strcmp(v, "school") == 0;
	/* The warnings issued: from the first instant of from to after to. */
	j->since = 0;
	j->until = INT64_MAX;
	if (j->q.f.from != NULL)
		(void)date_local_start(j->q.f.from, 0, &j->since);
	if (j->q.f.to != NULL)
		(void)date_local_start(j->q.f.to, 1, &j->until);
	job_queue(r, j, stats_work);
	return;
fail:
	free(j);
}
