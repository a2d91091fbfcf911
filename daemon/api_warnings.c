/*
 * /v1/warnings: early-warning notices from the office (typhoon, exam
 * week, festival) to all schools or some, and their acknowledgement.
 */
#include <inttypes.h>
#include <string.h>

#include "api.h"
#include "db.h"
#include "deliver.h"
#include "log.h"
#include "notice.h"
#include "shape.h"
#include "utf8.h"

/* Warnings grouped from their rows (one row per school). */
struct gather {
	json_t	*list;
	json_t	*cur;
	int64_t	 cur_id;
	int	 school_view;	/* a school sees its own row only */
};

static int
gather_row(const struct warning_row *w, void *arg)
{
	struct gather	*g = arg;
	json_t		*s;

	if (g->cur == NULL || g->cur_id != w->id) {
		g->cur = json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:[]}",
		    "id", (json_int_t)w->id, "title", w->title, "body",
		    w->body, "issuer", w->issuer, "issued_at",
		    shape_time(w->issued_at), "all_schools", w->all_schools,
		    "schools");
		g->cur_id = w->id;
		json_array_append_new(g->list, g->cur);
	}
	s = json_pack("{s:s, s:s, s:o, s:o}", "code", w->school, "name",
	    w->school_name, "acked_at", shape_time(w->acked_at), "acked_by",
	    w->acked_by == NULL ? json_null() : json_string(w->acked_by));
	json_array_append_new(json_object_get(g->cur, "schools"), s);
	if (g->school_view)
		json_object_set(g->cur, "acked_at", json_object_get(s,
		    "acked_at"));
	return 0;
}

/* Answers with the warnings of (warning, school) as a list or one. */
static void
reply_warnings(struct request *r, int status, int64_t id, int one)
{
	struct gather	g = { json_array(), NULL, 0, 0 };
	int64_t		school = r->who.role == ROLE_SCHOOL ?
			    r->who.school_id : 0;

	g.school_view = school != 0;
	if (store_warning_rows(id, school, gather_row, &g) != STORE_OK) {
		json_decref(g.list);
		http_reply_unavailable(r);
		return;
	}
	if (!one)
		http_reply_json(r, status, json_pack("{s:o}", "warnings",
		    g.list));
	else if (json_array_size(g.list) == 0) {
		json_decref(g.list);
		http_reply_code(r, 404, "no_such_warning", NULL, NULL,
		    "no such warning");
	} else {
		http_reply_json(r, status, json_incref(json_array_get(g.list,
		    0)));
		json_decref(g.list);
	}
}

/* Reads the schools of a warning.  Returns 0, or -1 answered. */
static int
warning_targets(struct request *r, json_t *schools, int64_t id)
{
	struct school	 s;
	json_t		*v;
	size_t		 i;

	if (schools == NULL || json_array_size(schools) == 0)
		return store_warning_target_all(id) == STORE_OK ? 0 : -1;
	json_array_foreach(schools, i, v) {
		switch (store_school_find(json_string_value(v), &s, NULL)) {
		case STORE_OK:
			if (store_warning_target(id, s.id) != STORE_OK)
				return -1;
			break;
		case STORE_NOTFOUND:
			http_reply_code(r, 422, "unknown_school", "schools",
			    json_pack("{s:O}", "value", v),
			    "unknown school '%s'", json_string_value(v));
			return -2;
		default:
			return -1;
		}
	}
	return 0;
}

/* Checks a text member: 1 to max characters. */
static const char *
text_member(struct request *r, json_t *body, const char *key, long max)
{
	json_t	*v = json_object_get(body, key);
	long	 n;

	if (!json_is_string(v) || (n = utf8_count(json_string_value(v),
	    json_string_length(v))) < 1 || n > max) {
		http_reply_code(r, 422, "invalid_field", key, NULL,
		    "%s: expected 1 to %ld characters", key, max);
		return NULL;
	}
	return json_string_value(v);
}

void
api_warning_create(struct request *r)
{
	const char	*key, *title, *text;
	json_t		*body, *v, *schools;
	size_t		 i;
	int64_t		 id;
	int		 rc = 0;

	if ((body = http_body(r, 0)) == NULL)
		return;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "title") != 0 && strcmp(key, "body") != 0 &&
		    strcmp(key, "schools") != 0) {
			http_reply_code(r, 422, "unknown_field", key, NULL,
			    "unknown field '%s'", key);
			goto done;
		}
	}
	if ((title = text_member(r, body, "title", HAZARD_TITLE_MAX)) ==
	    NULL || (text = text_member(r, body, "body", HAZARD_TEXT_MAX)) ==
	    NULL)
		goto done;
	schools = json_object_get(body, "schools");
	if (schools != NULL && !json_is_array(schools)) {
		http_reply_code(r, 422, "invalid_field", "schools", NULL,
		    "schools: expected a list of school codes");
		goto done;
	}
	json_array_foreach(schools, i, v) {
		if (!json_is_string(v)) {
			http_reply_code(r, 422, "invalid_field", "schools",
			    NULL, "schools: expected a list of school codes");
			goto done;
		}
	}
	if (db_begin() == -1) {
		http_reply_unavailable(r);
		goto done;
	}
	if (store_warning_insert(title, text, r->who.token_id, r->who.name,
	    r->now, json_array_size(schools) == 0, &id) != STORE_OK ||
	    (rc = warning_targets(r, schools, id)) == -1 ||
	    (rc == 0 && notice_warning(id, title, text, r->cfg->language,
	    r->now) == -1) ||
	    (rc == 0 && db_commit() == -1)) {
		db_rollback();
		http_reply_unavailable(r);
		goto done;
	}
	if (rc == -2) {
		db_rollback();
		goto done;
	}
	log_info("warning %" PRId64 " issued by %s: %s", id, r->who.name,
	    title);
	deliver_soon();
	reply_warnings(r, 201, id, 1);
done:
	json_decref(body);
}

void
api_warning_list(struct request *r)
{
	reply_warnings(r, 200, 0, 0);
}

void
api_warning_ack(struct request *r)
{
	int64_t	id;

	if ((id = http_parse_id(r->args[0])) == 0) {
		http_reply_code(r, 404, "no_such_warning", NULL, NULL,
		    "no such warning");
		return;
	}
	if (r->who.role != ROLE_SCHOOL) {
		http_reply_code(r, 403, "school_only", NULL, NULL,
		    "a school acknowledges a warning, with its own token");
		return;
	}
	switch (store_warning_ack(id, r->who.school_id, r->now, r->who.name)) {
	case STORE_OK:
		log_info("warning %" PRId64 " acknowledged by %s", id,
		    r->who.name);
		reply_warnings(r, 200, id, 1);
		break;
	case STORE_NOTFOUND:
		http_reply_code(r, 404, "no_such_warning", NULL, NULL,
		    "no such warning");
		break;
	default:
		http_reply_unavailable(r);
		break;
	}
}
