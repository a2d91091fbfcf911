/*
 * /v1/audit/verify: the walk of the audit trail's hash chain, for the
 * office.  It reads every event (seconds on millions): off the loop.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "chain.h"
#include "shape.h"
#include "store.h"
#include "worker.h"
#include "xmalloc.h"

/* A request for the walk, answered once the worker has made it. */
struct audit_job {
	struct request		*k;
	struct chain_verdict	 v;
	int			 rc;
};

/* On the worker's thread. */
static void
audit_work(void *arg)
{
	struct audit_job	*j = arg;

	j->rc = store_chain_verify(&j->v);
}

/* The JSON of a verdict: what matched, the first mismatch, the head. */
static json_t *
audit_shape(const struct chain_verdict *v)
{
	char	 hex[2 * CHAIN_HASH_LEN + 1];
	json_t	*o, *bad = json_null(), *head = json_null(), *want;

	chain_hex(v->head, hex);
	if (v->head_id != 0)
		head = json_pack("{s:I, s:s}", "id", (json_int_t)v->head_id,
		    "hash", hex);
	if (v->broken)
		bad = json_pack("{s:I, s:I, s:o, s:s, s:s, s:s}", "id",
		    (json_int_t)v->bad_id, "hazard",
		    (json_int_t)v->bad_hazard, "at", shape_time(v->bad_at),
		    "action", v->bad_action, "actor", v->bad_actor, "reason",
		    v->bad_nohash ? "no_hash" : "hash_differs");
	o = json_pack("{s:b, s:I, s:o, s:o}", "ok", !v->broken &&
	    (v->want_id == 0 || v->want_ok), "events", (json_int_t)v->events,
	    "head", head, "first_mismatch", bad);
	if (v->want_id != 0) {
		want = json_pack("{s:I, s:s, s:b, s:b}", "id",
		    (json_int_t)v->want_id, "hex", v->want_hex, "found",
		    v->want_found, "matches", v->want_ok);
		json_object_set_new(o, "checked_head", want);
	}
	return o;
}

/* In the loop: the answer. */
static void
audit_done(void *arg, int ok)
{
	struct audit_job	*j = arg;

	if (!ok || j->rc != STORE_OK)
		http_reply_unavailable(j->k);
	else
		http_reply_json(j->k, 200, audit_shape(&j->v));
	http_kept_done(j->k);
	free(j);
}

void
api_audit_verify(struct request *r)
{
	static const char *const allowed[] = { "head", NULL };
	struct audit_job	*j;
	const char		*head;

	if (http_query_only(r, allowed) == -1)
		return;
	j = xcalloc(1, sizeof(*j));
	if ((head = http_query(r, "head")) != NULL &&
	    chain_parse_head(head, &j->v.want_id, j->v.want_hex) == -1) {
		free(j);
		http_reply_code(r, 422, "bad_head", "head", NULL,
		    "head: expected "
		    "ID:HEX, an event's id and 4 to 64 hex digits of its hash");
		return;
	}
	j->k = http_keep(r);
	if (worker_queue(r->cfg->database, audit_work, audit_done, j) == -1)
		audit_done(j, 0);
}
