/*
 * /v1/rate, /v1/stats, /healthz and /metrics: what the figures say.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <event2/buffer.h>

#include "api.h"
#include "date.h"
#include "metrics.h"
#include "rate.h"
#include "shape.h"
#include "wire.h"
#include "worker.h"
#include "xmalloc.h"

/* Parses ?at=: RFC 3339, or a date meaning the end of that day. */
static int
parse_at(const char *s, time_t *at)
{
	if (date_parse_rfc3339(s, at) == 0)
		return 0;
	if (date_local_start(s, 1, at) == 0) {
		(*at)--;
		return 0;
	}
	return -1;
}

void
api_rate(struct request *r)
{
	static const char *const allowed[] = { "kind", "school", "category",
	    "since", "until", "at", NULL };
	struct hazard_filter	 f;
	const char		*v;
	int64_t			 rectified, identified;
	time_t			 at = r->now;
	json_t			*o;

	if (http_query_only(r, allowed) == -1 || api_filter(r, &f) == -1)
		return;
	if (f.kind == -1)
		f.kind = KIND_HAZARD;
	if ((v = http_query(r, "at")) != NULL && parse_at(v, &at) == -1) {
		http_reply_code(r, 422, "invalid_field", "at", NULL,
		    "at: expected an RFC 3339 instant or a date YYYY-MM-DD");
		return;
	}
	if (store_rate(&f, at, &rectified, &identified) != STORE_OK) {
		http_reply_unavailable(r);
		return;
	}
	o = shape_rate(rectified, identified);
	json_object_set_new(o, "kind", json_string(hazard_kind_name(f.kind)));
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
	json_t			*groups;
	int			 rc;
};

/* On the worker's thread. */
static void
stats_work(void *arg)
{
	struct stats_job	*j = arg;

	j->groups = json_array();
	j->rc = store_stats(j->by, &j->f, stats_add, j->groups);
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
	free(j);
}

void
api_stats(struct request *r)
{
	static const char *const allowed[] = { "by", "since", "until",
	    "kind", "school", "category", NULL };
	struct hazard_filter	 f;
	struct stats_job	*j;
	const char		*by;
	int			 by_i;

	if (http_query_only(r, allowed) == -1)
		return;
	by = http_query(r, "by");
	if (by == NULL || (by_i = wire_find(wire_bys, by)) == -1) {
		http_reply_code(r, 422, "invalid_field", "by", NULL,
		    "by: expected school or category");
		return;
	}
	if (api_filter(r, &f) == -1)
		return;
	/*
	 * The open hazards are counted one by one (a tenth of a second on
	 * a million), and a filter the tallies do not know reads every
	 * hazard: off the loop, on the worker's own connection.
	 */
	j = xcalloc(1, sizeof(*j));
	j->k = http_keep(r);
	j->f = f;
	j->f.today = j->k->today;
	j->by = wire_bys[by_i];
	if (f.category != NULL)
		j->f.category = j->category = xstrdup(f.category);
	if (worker_queue(r->cfg->database, stats_work, stats_done, j) == -1)
		stats_done(j, 0);
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
