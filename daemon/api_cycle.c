/*
 * /v1/cycles and /v1/digests: running a period by hand, and reading
 * the digests that the cycle stored.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "cycle.h"
#include "date.h"
#include "log.h"
#include "worker.h"
#include "xmalloc.h"

/* The listing of a stored digest. */
static json_t *
meta_json(const struct digest_meta *m)
{
	char	buf[RFC3339_LEN + 8];

	return json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:b}",
	    "id", (json_int_t)m->id, "kind", m->kind, "period", m->period,
	    "revision", m->revision, "trigger", m->trigger,
	    "made_at", date_rfc3339(buf, sizeof(buf), m->made_at),
	    "written", m->written);
}

static int	deliveries_add(const struct delivery_row *, void *);

/* Answers 422: the period is not one of kind. */
static void
reply_bad_period(struct request *r, int kind)
{
	http_reply_code(r, 422, "invalid_field", "period", NULL,
	    "period: expected %s", kind == CYCLE_DAILY ? "a date, 2026-11-24" :
	    kind == CYCLE_WEEKLY ? "an ISO week, 2026-W48" :
	    "a month, 2026-11");
}

/*
 * A run by hand is done: the answer is the listing of its digest and
 * its deliveries (the digest itself can be large: GET /v1/digests/{id}).
 */
static void
run_done(void *arg, int rc, int64_t id)
{
	struct request		*k = arg;
	struct digest_meta	 m;
	json_t			*o;

	/* Its listing only: the loop does not read megabytes for it. */
	if (rc != STORE_OK || store_digest_get(id, &m, NULL, NULL) !=
	    STORE_OK)
		http_reply_unavailable(k);
	else {
		o = meta_json(&m);
		json_object_set_new(o, "deliveries", json_array());
		(void)store_delivery_list(m.id, deliveries_add,
		    json_object_get(o, "deliveries"));
		http_reply_json(k, 201, o);
		store_digest_meta_free(&m);
	}
	http_kept_done(k);
}

void
api_cycle_run(struct request *r)
{
	struct period	 p;
	const char	*name = NULL, *key;
	json_t		*body, *v;
	time_t		 start, end;
	int		 kind;

	if ((kind = cycle_kind_parse(r->args[0])) == -1) {
		http_reply_code(r, 404, "no_such_cycle", NULL, NULL,
		    "no such cycle '%s': daily, weekly or monthly", r->args[0]);
		return;
	}
	if ((body = http_body(r, 1)) == NULL)
		return;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "period") != 0 || !json_is_string(v)) {
			http_reply_code(r, 422, "unknown_field", key, NULL,
			    "expected only {\"period\": \"...\"}");
			goto done;
		}
		name = json_string_value(v);
	}
	if (name == NULL) {
		/*
		 * The day or week under way, up to now: a provisional digest
		 * (the schedule still makes the whole period).  A month is
		 * the one ended: its dispatch escalates, once a month.
		 */
		cycle_latest_due(r->cfg, kind, r->now, &p);
		if (kind != CYCLE_MONTHLY)
			period_step(&p, 1);
	} else if (period_parse(kind, name, &p) == -1) {
		reply_bad_period(r, kind);
		goto done;
	}
	/* Begun when its window has: a daily's at 08:00 the day before. */
	period_window(&p, &r->cfg->daily, &start, &end);
	if (start > r->now) {
		http_reply_code(r, 422, "period_not_begun", "period", NULL,
		    "period %s has not begun", name);
		goto done;
	}
	/* Answered when the digest is made; the loop goes on meanwhile. */
	cycle_run(r->cfg, &p, "manual", r->now, run_done, http_keep(r));
done:
	json_decref(body);
}

/* Adds a delivery to an array. */
static int
deliveries_add(const struct delivery_row *d, void *arg)
{
	char	buf[RFC3339_LEN + 8];
	json_t	*o;

	o = json_pack("{s:s, s:s, s:i, s:s}", "channel", d->channel,
	    "state", d->state, "attempts", d->attempts, "next_try",
	    date_rfc3339(buf, sizeof(buf), d->next_try));
	json_object_set_new(o, "last_error", d->last_error == NULL ?
	    json_null() : json_string(d->last_error));
	json_object_set_new(o, "done_at", d->done_at == 0 ? json_null() :
	    json_string(date_rfc3339(buf, sizeof(buf), d->done_at)));
	json_array_append_new(arg, o);
	return 0;
}

/* Collects digests. */
static int
digests_add(const struct digest_meta *m, void *arg)
{
	json_array_append_new(arg, meta_json(m));
	return 0;
}

void
api_digest_list(struct request *r)
{
	static const char *const allowed[] = { "kind", "period", NULL };
	const char	*kind, *period;
	json_t		*list;
	struct period	 p;

	if (http_query_only(r, allowed) == -1)
		return;
	kind = http_query(r, "kind");
	period = http_query(r, "period");
	if (kind != NULL && cycle_kind_parse(kind) == -1) {
		http_reply_code(r, 422, "invalid_field", "kind", NULL,
		    "kind: expected daily, weekly or monthly");
		return;
	}
	/* A period is checked as a run by hand checks it. */
	if (kind != NULL && period != NULL &&
	    period_parse(cycle_kind_parse(kind), period, &p) == -1) {
		reply_bad_period(r, cycle_kind_parse(kind));
		return;
	}
	list = json_array();
	if (store_digest_find(kind, period, digests_add, list) != STORE_OK) {
		json_decref(list);
		http_reply_unavailable(r);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:o}", "digests", list));
}

/*
 * A stored digest read back, on the worker's thread: its text and JSON
 * are megabytes (9 MB on a million hazards), which the loop parsed and
 * wrote again for 730 ms.
 */
struct digest_job {
	struct request	*k;
	int64_t		 id;
	int		 status;	/* asked for */
	int		 as_text;
	int		 found;		/* STORE_OK, _NOTFOUND, or another */
	int		 damaged;	/* its JSON does not parse */
	char		*answer;
};

/* On the worker's thread: the answer, as text. */
static void
digest_work(void *arg)
{
	struct digest_job	*j = arg;
	struct digest_meta	 m;
	char			*text, *json;
	json_t			*d;

	if ((j->found = store_digest_get(j->id, &m, &text, &json)) !=
	    STORE_OK)
		return;
	if (j->as_text) {
		j->answer = text;
		text = NULL;
	} else if ((d = json_loads(json, 0, NULL)) == NULL)
		j->damaged = 1;
	else {
		json_object_set_new(d, "id", json_integer(m.id));
		json_object_set_new(d, "written", json_boolean(m.written));
		json_object_set_new(d, "text", json_string(text));
		json_object_set_new(d, "deliveries", json_array());
		(void)store_delivery_list(m.id, deliveries_add,
		    json_object_get(d, "deliveries"));
		if ((j->answer = json_dumps(d, HTTP_JSON_FLAGS)) == NULL)
			fatalx("json_dumps");
		json_decref(d);
	}
	store_digest_meta_free(&m);
	free(text);
	free(json);
}

/* In the loop: the answer goes. */
static void
digest_done(void *arg, int ok)
{
	struct digest_job	*j = arg;

	if (!ok || (j->found != STORE_OK && j->found != STORE_NOTFOUND))
		http_reply_unavailable(j->k);
	else if (j->found == STORE_NOTFOUND)
		http_reply_code(j->k, 404, "no_such_digest", NULL, NULL,
		    "no such digest");
	else if (j->damaged)
		http_reply_code(j->k, 500, "internal", NULL, NULL,
		    "a stored digest is damaged");
	else
		http_reply_text(j->k, j->status, j->as_text ?
		    "text/plain; charset=utf-8" :
		    "application/json; charset=utf-8", j->answer,
		    strlen(j->answer));
	http_kept_done(j->k);
	free(j->answer);
	free(j);
}

void
api_digest_reply(struct request *r, int status, int64_t id, int as_text)
{
	struct digest_job	*j;

	j = xcalloc(1, sizeof(*j));
	j->k = http_keep(r);
	j->id = id;
	j->status = status;
	j->as_text = as_text;
	if (worker_queue(r->cfg->database, digest_work, digest_done, j) == -1)
		digest_done(j, 0);
}

void
api_digest_get(struct request *r)
{
	const char	*accept;
	int64_t		 id;

	if ((id = http_parse_id(r->args[0])) == 0) {
		http_reply_code(r, 404, "no_such_digest", NULL, NULL,
		    "no such digest");
		return;
	}
	accept = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Accept");
	api_digest_reply(r, 200, id, accept != NULL &&
	    strncasecmp(accept, "text/plain", 10) == 0);
}
