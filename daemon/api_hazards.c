/*
 * /v1/hazards: report, read, list, act on a hazard, read its trail.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include "api.h"
#include "date.h"
#include "db.h"
#include "deliver.h"
#include "ledger.h"
#include "log.h"
#include "notice.h"
#include "photo.h"
#include "shape.h"
#include "utf8.h"
#include "wire.h"
#include "worker.h"
#include "xmalloc.h"

#define LIST_LIMIT_DEFAULT	50
#define LIST_LIMIT_MAX		500
/*
 * The bytes of text past which a page ends early, with a cursor to the
 * rest: a school can make a row some 50 KB, and 500 of them would be a
 * 25 MB answer held whole in memory.
 */
#define LIST_BYTES		(1024 * 1024)

/*
 * Checks that a body member is a string (or null where nullable) of
 * valid text for field f.  Returns the string, NULL for null, or sets
 * *bad and why (422).
 */
static const char *
body_text(struct refusal *why_not, const char *name, json_t *v, int field,
    int nullable, int *bad)
{
	const char	*why;

	if (json_is_null(v) && nullable)
		return NULL;
	if (!json_is_string(v)) {
		http_refuse_code(why_not, 422, "invalid_field", name,
		    "%s: expected a string", name);
		*bad = 1;
		return NULL;
	}
	if (field >= 0)
		why = hazard_field_check(field, json_string_value(v),
		    json_string_length(v));
	else if (utf8_count(json_string_value(v), json_string_length(v)) ==
	    -1)
		why = "not valid UTF-8 text";
	else if (utf8_count(json_string_value(v), json_string_length(v)) >
	    HAZARD_TEXT_MAX)
		why = "longer than 4000 characters";
	else
		why = NULL;
	if (why != NULL) {
		http_refuse_code(why_not, 422, "invalid_field", name, "%s: %s",
		    name, why);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

/*
 * The code of the category given (a code or either name), or NULL with
 * why: 422 naming the categories there are.
 */
const char *
api_category(const struct categories *cs, const char *given,
    struct refusal *why)
{
	const struct category	*c;
	char			 codes[400];

	if ((c = category_find(cs, given)) != NULL)
		return c->code;
	category_codes(cs, codes, sizeof(codes));
	http_refuse_code(why, 422, "unknown_category", "category",
	    "category: unknown '%s'; the categories are %s", given, codes);
	return NULL;
}

/*
 * Writes a date of a body member as the store keeps it, YYYY-MM-DD,
 * where it was written as people do (2026/12/1); anything else is left
 * for the field's check to refuse.
 */
static void
body_date(json_t *v)
{
	char	date[DATE_LEN];

	if (json_is_string(v) && date_normalise(json_string_value(v),
	    date) == 0)
		json_string_set(v, date);
}

/*
 * The date of a query parameter as YYYY-MM-DD in buf, if it is one as
 * people write it; else v itself, for the caller to refuse.
 */
static const char *
query_date(const char *v, char buf[DATE_LEN])
{
	return date_normalise(v, buf) == 0 ? buf : v;
}

/* Parses a path id or answers 404, naming it.  Returns the id or 0. */
static int64_t
path_id(struct request *r)
{
	int64_t	id = http_parse_id(r->args[0]);

	if (id == 0)
		http_reply_code(r, 404, "no_such_hazard", NULL, NULL,
		    "hazard %.64s: no such hazard", r->args[0]);
	return id;
}

/*
 * Loads the hazard of the path that the requester may see.  Returns
 * 0, or -1 after answering (404, 503).
 */
static int
load_visible(struct request *r, int64_t id, struct hazard *h)
{
	switch (store_hazard_get(id, h)) {
	case STORE_OK:
		if (r->who.role == ROLE_OFFICE ||
		    h->school_id == r->who.school_id)
			return 0;
		hazard_clear(h);
		/* FALLTHROUGH */
	case STORE_NOTFOUND:
		http_reply_code(r, 404, "no_such_hazard", NULL, NULL,
		    "hazard %" PRId64 ": no such hazard", id);
		return -1;
	default:
		http_reply_unavailable(r);
		return -1;
	}
}

/* Answers with the hazard id, read again after a change. */
static void
reply_hazard(struct request *r, int status, int64_t id)
{
	struct hazard	h;

	if (store_hazard_get(id, &h) != STORE_OK) {
		http_reply_unavailable(r);
		return;
	}
	http_reply_json(r, status, shape_hazard(&h, r->today));
	hazard_clear(&h);
}

/* The requester, as the ledger names who acts. */
static void
actor_init(struct actor *who, const struct request *r)
{
	who->token_id = r->who.token_id;
	who->name = r->who.name;
	who->role = r->who.role;
}

/*
 * Reads the body of a report into h, and whether it says its deadline
 * may be past (allow_past).  Returns 0, or -1 with why.  The strings in
 * h point into body.
 */
static int
report_parse(json_t *body, const struct categories *cs, struct hazard *h,
    const char **school, const char **key, int *historic,
    struct refusal *why)
{
	const char	*name;
	json_t		*v;
	int		 bad = 0, f;

	json_object_foreach(body, name, v) {
		if (strcmp(name, "kind") == 0 || strcmp(name, "grade") == 0) {
			if (!json_is_string(v) ||
			    (name[0] == 'k' ? hazard_kind_parse(
			    json_string_value(v)) : hazard_grade_parse(
			    json_string_value(v))) == -1) {
				return http_refuse_code(why, 422,
				    "invalid_field", name, "%s: expected %s",
				    name, name[0] == 'k' ?
				    "hazard or finding" : "general or major");
			}
			if (name[0] == 'k')
				h->kind = hazard_kind_parse(
				    json_string_value(v));
			else
				h->grade = hazard_grade_parse(
				    json_string_value(v));
		} else if (strcmp(name, "school") == 0) {
			*school = body_text(why, name, v, -1, 1, &bad);
		} else if (strcmp(name, "key") == 0) {
			*key = body_text(why, name, v, -1, 1, &bad);
		} else if (strcmp(name, "allow_past") == 0) {
			if (!json_is_boolean(v))
				return http_refuse_code(why, 422,
				    "invalid_field", name,
				    "%s: expected true or false", name);
			*historic = json_is_true(v);
		} else if ((f = hazard_field_parse(name)) >= 0) {
			if (f == FIELD_DEADLINE)
				body_date(v);
			h->text[f] = (char *)body_text(why, name, v, f,
			    f != FIELD_TITLE && f != FIELD_CATEGORY, &bad);
		} else
			return http_refuse_code(why, 422, "unknown_field", name,
			    "unknown field '%s'", name);
		if (bad)
			return -1;
	}
	if (h->text[FIELD_TITLE] == NULL)
		return http_refuse_code(why, 422, "missing_field", "title",
		    "title is required");
	if (h->text[FIELD_CATEGORY] == NULL)
		return http_refuse_code(why, 422, "missing_field", "category",
		    "category is required");
	if (cs != NULL && (h->text[FIELD_CATEGORY] = (char *)api_category(cs,
	    h->text[FIELD_CATEGORY], why)) == NULL)
		return -1;
	return 0;
}

/*
 * Decides the idempotency key from the header hdr (NULL if none) and
 * the body's.  Returns 0, or -1 with why.
 */
static int
report_key(const char *hdr, const char **key, struct refusal *why)
{
	if (hdr != NULL && *key != NULL && strcmp(hdr, *key) != 0)
		return http_refuse_code(why, 422, "key_mismatch", "key",
		    "the Idempotency-Key header and the key field differ");
	if (hdr != NULL)
		*key = hdr;
	if (*key != NULL && !hazard_key_valid(*key))
		return http_refuse_code(why, 422, "invalid_field", "key",
		    "key: expected 1-200 printable ASCII characters");
	return 0;
}

/* A report's fields before the body fills them in. */
static void
report_init(struct hazard *h, time_t now)
{
	memset(h, 0, sizeof(*h));
	h->kind = KIND_HAZARD;
	h->grade = GRADE_GENERAL;
	h->state = STATE_OPEN;
	h->reported_at = h->updated_at = now;
}

json_t *
api_report_check(const char *text, size_t len, struct hazard *h,
    const char **school, const char **key, struct refusal *why)
{
	json_t	*body;
	int	 historic = 0;

	report_init(h, 0);
	*school = *key = NULL;
	if ((body = http_body_decode(text, len, why)) == NULL)
		return NULL;
	if (report_parse(body, NULL, h, school, key, &historic, why) == -1 ||
	    report_key(NULL, key, why) == -1) {
		json_decref(body);
		report_init(h, 0);
		return NULL;
	}
	return body;
}

/*
 * Refuses a report for a retired school (s, or the one of this id if s
 * is NULL).  Returns 0, or -1 answered.
 */
static int
report_retired(struct request *r, int64_t id, const struct school *s)
{
	int	retired;

	retired = s != NULL ? s->retired_at != 0 : store_school_retired(id);
	if (retired == STORE_ERROR) {
		http_reply_unavailable(r);
		return -1;
	}
	if (retired) {
		http_reply_code(r, 409, "school_retired", "school", NULL,
		    "the school is retired: it reports no more (the office "
		    "brings it back with hazardctl school retire --undo)");
		return -1;
	}
	return 0;
}

/* Decides the school of a report.  Returns 0, or -1 answered. */
static int
report_school(struct request *r, const char *code, struct hazard *h)
{
	struct school	s;
	int		rc;

	if (code == NULL) {
		if (r->who.role == ROLE_SCHOOL) {
			h->school_id = r->who.school_id;
			return report_retired(r, h->school_id, NULL);
		}
		http_reply_code(r, 422, "missing_field", "school", NULL,
		    "school is required with an office token");
		return -1;
	}
	switch ((rc = store_school_find(code, &s, NULL))) {
	case STORE_OK:
	case STORE_NOTFOUND:
		break;
	default:
		http_reply_unavailable(r);
		return -1;
	}
	/* Another school is, for a school's token, one that does not exist. */
	if (rc == STORE_NOTFOUND ||
	    (r->who.role == ROLE_SCHOOL && s.id != r->who.school_id)) {
		http_reply_code(r, 422, "unknown_school", "school",
		    json_pack("{s:s}", "value", code),
		    "unknown school '%s'", code);
		return -1;
	}
	h->school_id = s.id;
	return report_retired(r, s.id, &s);
}

/*
 * Decides the deadline of a report: one before today only from the
 * office, for a historic hazard; none given, the district's time limit
 * from today, into buf.  A major hazard needs its own.  Returns 0, or
 * -1 answered.
 */
static int
report_deadline(struct request *r, struct hazard *h, int historic,
    char buf[DATE_LEN])
{
	const char	*deadline = h->text[FIELD_DEADLINE];

	if (historic && r->who.role != ROLE_OFFICE) {
		http_reply_code(r, 403, "office_only", "allow_past", NULL,
		    "only the district safety office may record a past "
		    "deadline");
		return -1;
	}
	if (deadline != NULL) {
		if (hazard_deadline_passed(deadline, r->today) &&
		    !historic) {
			http_reply_code(r, 422, "deadline_past", "deadline",
			    json_pack("{s:s}", "value", deadline),
			    "deadline: %s is before today (%s); a historic "
			    "hazard needs allow_past", deadline, r->today);
			return -1;
		}
		return 0;
	}
	if (h->grade == GRADE_MAJOR) {
		http_reply_code(r, 422, "deadline_required", "deadline",
		    NULL, "deadline: a major hazard needs its own deadline");
		return -1;
	}
	if (r->cfg->default_deadline_days > 0) {
		date_add_days(r->today, r->cfg->default_deadline_days, buf);
		h->text[FIELD_DEADLINE] = buf;
	}
	return 0;
}

void
api_hazard_create(struct request *r)
{
	struct hazard	 h;
	struct actor	 who;
	struct refusal	 why;
	json_t		*body;
	const char	*school = NULL, *key = NULL, *hdr;
	char		 deadline[DATE_LEN];
	int64_t		 id;
	int		 rc, historic = 0;

	if ((body = http_body(r, 0)) == NULL)
		return;
	report_init(&h, r->now);
	hdr = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Idempotency-Key");
	if (report_parse(body, &r->cfg->categories, &h, &school, &key,
	    &historic, &why) == -1 ||
	    report_key(hdr, &key, &why) == -1) {
		http_reply_refusal(r, &why);
		goto done;
	}
	if (report_school(r, school, &h) == -1 ||
	    report_deadline(r, &h, historic, deadline) == -1)
		goto done;

	/* The report and its audit event ride in the batch of this pass. */
	if (db_work_begin() == -1) {
		http_reply_unavailable(r);
		goto done;
	}
	if (key != NULL) {
		rc = store_hazard_find_key(h.school_id, key, &id);
		if (rc == STORE_OK) {
			/*
			 * The earlier report may be in this very batch: the
			 * answer waits for its commit all the same.
			 */
			if (db_work_keep() == -1) {
				http_reply_unavailable(r);
				goto done;
			}
			http_after_commit(r);
			reply_hazard(r, 200, id);
			goto done;
		}
		if (rc != STORE_NOTFOUND)
			goto fail;
	}
	actor_init(&who, r);
	if (ledger_report(&who, r->now, &h, key, &id) != STORE_OK)
		goto fail;
	if (db_work_keep() == -1) {
		http_reply_unavailable(r);
		goto done;
	}
	http_after_commit(r);
	http_log_committed(r, "hazard %" PRId64 " reported by %s (%s): %s",
	    id, r->who.name, ledger_role_name(&who), h.text[FIELD_TITLE]);
	reply_hazard(r, 201, id);
	goto done;
fail:
	db_work_undo();
	http_reply_unavailable(r);
done:
	json_decref(body);
}

void
api_hazard_get(struct request *r)
{
	struct hazard	h;
	int64_t		id;

	json_t		*o, *photos;

	if ((id = path_id(r)) == 0 || load_visible(r, id, &h) == -1)
		return;
	if ((photos = api_photo_list(id)) == NULL) {
		hazard_clear(&h);
		http_reply_unavailable(r);
		return;
	}
	o = shape_hazard(&h, r->today);
	json_object_set_new(o, "photos", photos);
	http_reply_json(r, 200, o);
	hazard_clear(&h);
}

/*
 * Reads the filters of a query but the school (a database's) into f.
 * Returns 0, or -1 with why.
 */
static int
filter_parse(const struct evkeyvalq *q, struct hazard_filter *f,
    struct refusal *why)
{
	const char	*v;
	char		 date[DATE_LEN];

	memset(f, 0, sizeof(*f));
	f->kind = f->state = f->grade = -1;
	if ((v = evhttp_find_header(q, "kind")) != NULL &&
	    (f->kind = hazard_kind_parse(v)) == -1)
		return http_refuse_code(why, 422, "invalid_field", "kind",
		    "kind: expected hazard or finding");
	if ((v = evhttp_find_header(q, "state")) != NULL &&
	    (f->state = hazard_state_parse(v)) == -1)
		return http_refuse_code(why, 422, "invalid_field", "state",
		    "state: expected open, rectified, closed or cancelled");
	if ((v = evhttp_find_header(q, "grade")) != NULL &&
	    (f->grade = hazard_grade_parse(v)) == -1)
		return http_refuse_code(why, 422, "invalid_field", "grade",
		    "grade: expected general or major");
	if ((v = evhttp_find_header(q, "overdue")) != NULL) {
		if (strcmp(v, "1") != 0 && strcmp(v, "0") != 0 &&
		    strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			return http_refuse_code(why, 422, "invalid_field",
			    "overdue", "overdue: expected 1 or 0");
		f->overdue = v[0] == '1' || v[0] == 't';
	}
	if ((v = evhttp_find_header(q, "category")) != NULL) {
		if (hazard_field_check(FIELD_CATEGORY, v, strlen(v)) != NULL)
			return http_refuse_code(why, 422, "invalid_field",
			    "category", "category: not a valid category");
		f->category = v;
	}
	if ((v = evhttp_find_header(q, "since")) != NULL) {
		if (date_local_start(query_date(v, date), 0, &f->since) == -1)
			return http_refuse_code(why, 422, "invalid_field",
			    "since", "since: not a calendar date (YYYY-MM-DD)");
		f->has_since = 1;
	}
	if ((v = evhttp_find_header(q, "until")) != NULL) {
		if (date_local_start(query_date(v, date), 1, &f->until) == -1)
			return http_refuse_code(why, 422, "invalid_field",
			    "until", "until: not a calendar date (YYYY-MM-DD)");
		f->has_until = 1;
	}
	if (f->has_since && f->has_until && f->since >= f->until)
		return http_refuse_code(why, 422, "until_before_since", "until",
		    "until is before since");
	return 0;
}

int
api_school_query(struct request *r, int64_t *school_id)
{
	struct school	 s;
	const char	*v;

	if ((v = http_query(r, "school")) == NULL)
		return 0;
	switch (store_school_find(v, &s, NULL)) {
	case STORE_OK:
		if (r->who.role == ROLE_OFFICE || s.id == r->who.school_id)
			break;
		/* FALLTHROUGH */
	case STORE_NOTFOUND:
		http_reply_code(r, 422, "unknown_school", "school",
		    json_pack("{s:s}", "value", v), "unknown school '%s'", v);
		return -1;
	default:
		http_reply_unavailable(r);
		return -1;
	}
	*school_id = s.id;
	return 0;
}

int
api_filter(struct request *r, struct hazard_filter *f)
{
	const struct category	*c;
	struct refusal		 why;

	if (filter_parse(&r->query, f, &why) == -1) {
		http_reply_refusal(r, &why);
		return -1;
	}
	f->today = r->today;
	/* A name stands for its code; a stray code still finds its rows. */
	if (f->category != NULL &&
	    (c = category_find(&r->cfg->categories, f->category)) != NULL)
		f->category = c->code;
	if (api_school_query(r, &f->school_id) == -1)
		return -1;
	if (r->who.role == ROLE_SCHOOL)
		f->school_id = r->who.school_id;
	return 0;
}

/*
 * Parses a cursor of the list's order into the filter's: "REPORTED_AT.ID"
 * newest first, "dDEADLINE.ID" (or "d.ID", among those without one) in
 * the order of deadlines.
 */
static int
parse_cursor(const char *s, struct hazard_filter *f)
{
	const char	*dot;
	char		*end;
	long long	 at = 0, id;

	if (f->sort == SORT_DEADLINE) {
		if (*s++ != 'd' || (dot = strchr(s, '.')) == NULL ||
		    (dot != s && dot - s != 10))
			return -1;
		memcpy(f->cursor_deadline, s, (size_t)(dot - s));
		f->cursor_deadline[dot - s] = '\0';
		if (dot != s && date_parse(f->cursor_deadline, NULL, NULL,
		    NULL) == -1)
			return -1;
		s = dot + 1;
	} else {
		at = strtoll(s, &end, 10);
		if (end == s || *end != '.' || at < 0)
			return -1;
		s = end + 1;
	}
	id = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || id <= 0)
		return -1;
	f->has_cursor = 1;
	f->cursor_at = (time_t)at;
	f->cursor_id = id;
	return 0;
}

/* The query parameters of GET /v1/hazards. */
static const char *const list_allowed[] = { "kind", "state", "school",
    "category", "grade", "overdue", "since", "until", "limit", "cursor",
    "search", "due_within", "sort", "as_of", NULL };

/* The longest search, in bytes, and the furthest due_within, in days. */
#define SEARCH_MAX	200
#define DUE_MAX		3660

/* Reads what only a list has: search, due_within, sort.  0, or -1. */
static int
list_parse(const struct evkeyvalq *q, struct hazard_filter *f,
    struct refusal *why)
{
	const char	*v;
	char		*end;
	long		 n;

	if ((v = evhttp_find_header(q, "search")) != NULL) {
		if (*v == '\0' || strlen(v) > SEARCH_MAX ||
		    utf8_count(v, strlen(v)) == -1)
			return http_refuse_code(why, 422, "invalid_field",
			    "search", "search: expected 1 to %d bytes of text",
			    SEARCH_MAX);
		f->search = v;
	}
	if ((v = evhttp_find_header(q, "due_within")) != NULL) {
		n = strtol(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0' || n > DUE_MAX)
			return http_refuse_code(why, 422, "invalid_field",
			    "due_within", "due_within: expected a number of "
			    "days from 0 to %d", DUE_MAX);
		f->has_due = 1;
		f->due_days = (int)n;
	}
	if ((v = evhttp_find_header(q, "sort")) != NULL) {
		if (strcmp(v, WIRE_SORT_REPORTED) == 0)
			f->sort = SORT_REPORTED;
		else if (strcmp(v, WIRE_SORT_DEADLINE) == 0)
			f->sort = SORT_DEADLINE;
		else
			return http_refuse_code(why, 422, "invalid_field",
			    "sort", "sort: expected reported or deadline");
	}
	return 0;
}

/* Reads the limit and the cursor of a page.  0, or -1 with why. */
static int
page_parse(const struct evkeyvalq *q, struct hazard_filter *f,
    long *limit, struct refusal *why)
{
	const char	*v;
	char		*end;

	if (list_parse(q, f, why) == -1)
		return -1;
	*limit = LIST_LIMIT_DEFAULT;
	if ((v = evhttp_find_header(q, "limit")) != NULL) {
		*limit = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || *limit < 1 ||
		    *limit > LIST_LIMIT_MAX)
			return http_refuse_code(why, 422, "invalid_field",
			    "limit", "limit: expected a number from 1 to %d",
			    LIST_LIMIT_MAX);
	}
	if ((v = evhttp_find_header(q, "cursor")) != NULL &&
	    parse_cursor(v, f) == -1)
		return http_refuse_code(why, 422, "invalid_field", "cursor",
		    "cursor: not a cursor this server gave");
	return 0;
}

int
api_list_check(const char *query, struct evkeyvalq *q,
    struct hazard_filter *f, long *limit, struct refusal *why)
{
	TAILQ_INIT(q);
	if (evhttp_parse_query_str(query, q) == -1)
		return http_refuse_code(why, 400, "malformed", NULL,
		    "the query string is malformed");
	if (http_query_check(q, list_allowed, why) == -1 ||
	    filter_parse(q, f, why) == -1 || page_parse(q, f, limit, why) == -1)
		return -1;
	return 0;
}

struct list_state {
	json_t		*array;
	const char	*today;
	time_t		 as_of;		/* 0: now */
	int		 limit;
	int		 count;
	time_t		 last_at;
	char		 last_deadline[DATE_LEN];
	int64_t		 last_id;
	size_t		 bytes;		/* of text, about */
	int		 more;
};

/*
 * A hazard of a list: its JSON and, overdue, the days it is overdue
 * ("days_overdue"), as the office asks which waited longest.
 */
static json_t *
list_hazard(const struct hazard *h, const char *today)
{
	json_t	*o = shape_hazard(h, today);
	int	 y, m, d, ty, tm, td;

	if (hazard_overdue(h, today) &&
	    date_parse(h->text[FIELD_DEADLINE], &y, &m, &d) == 0 &&
	    date_parse(today, &ty, &tm, &td) == 0)
		json_object_set_new(o, "days_overdue", json_integer(
		    date_days_from_civil(ty, tm, td) -
		    date_days_from_civil(y, m, d)));
	return o;
}

/* Adds one hazard to the page, noting whether another follows. */
static int
list_add(const struct hazard *h, void *arg)
{
	struct list_state	*ls = arg;
	int			 f;

	struct hazard		 then;
	int			 state;

	if (ls->count == ls->limit || ls->bytes >= LIST_BYTES) {
		ls->more = 1;
		return -1;
	}
	/* As of a moment: its state then, and nothing done after. */
	if (ls->as_of != 0) {
		then = *h;
		if (store_hazard_state_at(h->id, ls->as_of, &state) ==
		    STORE_OK)
			then.state = state;
		if (then.closed_at > ls->as_of)
			then.closed_at = 0;
		if (then.cancelled_at > ls->as_of)
			then.cancelled_at = 0;
		if (then.rejected_at > ls->as_of || then.state != STATE_OPEN) {
			then.rejected = 0;
			then.rejected_at = 0;
		}
		h = &then;
	}
	json_array_append_new(ls->array, list_hazard(h, ls->today));
	ls->bytes += 256;	/* the rest of the row */
	for (f = 0; f < FIELD__MAX; f++)
		if (h->text[f] != NULL)
			ls->bytes += strlen(h->text[f]);
	ls->count++;
	ls->last_at = h->reported_at;
	snprintf(ls->last_deadline, sizeof(ls->last_deadline), "%s",
	    h->text[FIELD_DEADLINE] != NULL ? h->text[FIELD_DEADLINE] : "");
	ls->last_id = h->id;
	return 0;
}

/* A list page, read on the worker's thread (worker.c). */
struct list_job {
	struct request		*k;
	struct hazard_filter	 f;
	char			*category;	/* f's, copied */
	char			*search;	/* f's, copied */
	long			 limit;
	time_t			 as_of;		/* 0: now */
	char			 today[DATE_LEN];	/* as_of's */
	char			*text;		/* the answer; NULL: 503 */
};

/*
 * On the worker's thread: the page, as the text of its answer.  A
 * filter that few hazards match would walk far for a page: the walk
 * ends after list_scan hazards, and the page ends there, with fewer
 * rows and the cursor of where it stopped.
 */
static void
list_work(void *arg)
{
	struct list_job		*j = arg;
	struct list_state	 ls;
	struct list_stop	 stop;
	char			 cursor[64];
	json_t			*out;

	memset(&ls, 0, sizeof(ls));
	ls.array = json_array();
	ls.today = j->f.today;
	ls.as_of = j->as_of;
	ls.limit = (int)j->limit;
	if (store_hazard_list(&j->f, list_add, &ls, &stop) != STORE_OK) {
		json_decref(ls.array);
		return;
	}
	if (!ls.more && stop.cut) {
		ls.more = 1;
		ls.last_at = stop.at;
		memcpy(ls.last_deadline, stop.deadline, sizeof(stop.deadline));
		ls.last_id = stop.id;
	}
	out = json_pack("{s:o}", "hazards", ls.array);
	if (ls.more) {
		if (j->f.sort == SORT_DEADLINE)
			snprintf(cursor, sizeof(cursor), "d%s.%" PRId64,
			    ls.last_deadline, ls.last_id);
		else
			snprintf(cursor, sizeof(cursor), "%lld.%" PRId64,
			    (long long)ls.last_at, ls.last_id);
		json_object_set_new(out, "next", json_string(cursor));
	} else
		json_object_set_new(out, "next", json_null());
	if ((j->text = json_dumps(out, HTTP_JSON_FLAGS)) == NULL)
		fatalx("json_dumps");
	json_decref(out);
}

/* In the loop: the answer. */
static void
list_done(void *arg, int ok)
{
	struct list_job	*j = arg;

	if (!ok || j->text == NULL)
		http_reply_unavailable(j->k);
	else
		http_reply_text(j->k, 200, "application/json; charset=utf-8",
		    j->text, strlen(j->text));
	http_kept_done(j->k);
	free(j->text);
	free(j->category);
	free(j->search);
	free(j);
}

void
api_hazard_list(struct request *r)
{
	struct hazard_filter	 f;
	struct refusal		 why;
	struct list_job		*j;
	long			 limit;
	time_t			 as_of;
	int			 has_as_of;

	if (http_query_only(r, list_allowed) == -1 || api_filter(r, &f) == -1)
		return;
	if (page_parse(&r->query, &f, &limit, &why) == -1) {
		http_reply_refusal(r, &why);
		return;
	}
	if ((has_as_of = api_as_of(r, &as_of)) == -1)
		return;
	/*
	 * As of a moment: the hazards reported by then, each in its state
	 * then.  The filters of a state are those of the present (the
	 * list's indexes hold it): not with as_of.
	 */
	if (has_as_of && (f.state >= 0 || f.overdue || f.has_due)) {
		http_reply_code(r, 422, "invalid_field", "as_of", NULL,
		    "as_of: not with state, overdue or due_within");
		return;
	}
	if (has_as_of && (!f.has_until || f.until > as_of + 1)) {
		f.has_until = 1;
		f.until = as_of + 1;
	}
	/*
	 * A page reads up to list_scan hazards and makes up to LIST_BYTES
	 * of JSON (2 ms and 20 ms on the 1M set): off the loop, on the
	 * worker's own connection, which sees all that was committed
	 * before this request came (dispatch committed the batch).
	 */
	f.scan = r->cfg->list_scan;
	j = xcalloc(1, sizeof(*j));
	j->k = http_keep(r);
	j->f = f;
	j->f.today = j->k->today;
	j->limit = limit;
	if (has_as_of) {
		j->as_of = as_of;
		date_local(j->today, sizeof(j->today), as_of);
		j->f.today = j->today;
	}
	if (f.category != NULL)
		j->f.category = j->category = xstrdup(f.category);
	if (f.search != NULL)
		j->f.search = j->search = xstrdup(f.search);
	if (worker_queue(r->cfg->database, list_work, list_done, j) == -1)
		list_done(j, 0);
}

/* The members each action's body may have. */
static int
action_allows(enum hazard_action a, const char *name)
{
	if (strcmp(name, "note") == 0)
		return a != ACTION_CANCEL;
	if (strcmp(name, "reason") == 0)
		return a == ACTION_CANCEL;
	if (a != ACTION_ASSESS)
		return 0;
	return strcmp(name, "grade") == 0 || hazard_field_parse(name) >= 0;
}

/*
 * Applies an assessment's members to h and records what changed in
 * changes.  Returns 0, or -1 with why (422).  The strings put in h are
 * copies.
 */
static int
assess_apply(json_t *body, const struct categories *cs, struct hazard *h,
    json_t *changes, struct refusal *why)
{
	const char	*name, *s, *old;
	json_t		*v;
	int		 f, g, bad = 0;

	json_object_foreach(body, name, v) {
		if (strcmp(name, "note") == 0)
			continue;
		if (strcmp(name, "grade") == 0) {
			if (!json_is_string(v) || (g = hazard_grade_parse(
			    json_string_value(v))) == -1)
				return http_refuse_code(why, 422,
				    "invalid_field", name,
				    "grade: expected general or major");
			if ((int)h->grade != g)
				json_object_set_new(changes, name, json_pack(
				    "[s,s]", hazard_grade_name(h->grade),
				    hazard_grade_name(g)));
			h->grade = g;
			continue;
		}
		f = hazard_field_parse(name);
		if (f == FIELD_DEADLINE)
			body_date(v);
		s = body_text(why, name, v, f, f != FIELD_TITLE &&
		    f != FIELD_CATEGORY, &bad);
		if (bad)
			return -1;
		if (f == FIELD_CATEGORY && cs != NULL &&
		    (s = api_category(cs, s, why)) == NULL)
			return -1;
		old = h->text[f];
		if ((old == NULL) != (s == NULL) ||
		    (old != NULL && strcmp(old, s) != 0))
			json_object_set_new(changes, name, json_pack("[o,o]",
			    shape_text(old), shape_text(s)));
		free(h->text[f]);
		h->text[f] = s == NULL ? NULL : xstrdup(s);
	}
	return 0;
}

/*
 * Checks an action's body before anything is read or written.  Returns
 * 0, or -1 with why.
 */
static int
action_check(enum hazard_action a, json_t *body, const char **note,
    struct refusal *why)
{
	const char	*name, *what;
	json_t		*v;
	int		 bad = 0, fields = 0;

	json_object_foreach(body, name, v) {
		if (!action_allows(a, name))
			return http_refuse_code(why, 422, "unknown_field", name,
			    "unknown field '%s' for %s", name,
			    hazard_action_name(a));
		if (strcmp(name, "note") == 0 || strcmp(name, "reason") == 0)
			*note = body_text(why, name, v, -1, 1, &bad);
		else
			fields++;
		if (bad)
			return -1;
	}
	what = a == ACTION_CANCEL ? "reason" : "note";
	if ((a == ACTION_RECTIFY || a == ACTION_REJECT ||
	    a == ACTION_CANCEL) && (*note == NULL || **note == '\0'))
		return http_refuse_code(why, 422, "missing_field", what,
		    "%s is required to %s", what, hazard_action_name(a));
	if (a == ACTION_ASSESS && fields == 0)
		return http_refuse_code(why, 422, "nothing_to_change", NULL,
		    "nothing to assess: give a grade, deadline, department, "
		    "plan, ...");
	return 0;
}

int
api_action_check(enum hazard_action a, const char *text, size_t len,
    struct hazard *h, json_t *changes, struct refusal *why)
{
	const char	*note = NULL;
	json_t		*body;
	int		 rc;

	/* An action's empty body is {}, as http_body(r, 1) has it. */
	if (len == 0)
		body = json_object();
	else if ((body = http_body_decode(text, len, why)) == NULL)
		return -1;
	rc = action_check(a, body, &note, why);
	if (rc == 0 && a == ACTION_ASSESS)
		rc = assess_apply(body, NULL, h, changes, why);
	json_decref(body);
	return rc;
}

/* Answers the refusal of a transition. */
static void
reply_verdict(struct request *r, enum hazard_verdict v,
    enum hazard_action a, const struct hazard *h, const char *missing)
{
	switch (v) {
	case VERDICT_FORBIDDEN:
		http_reply_code(r, 403, "office_only", NULL, NULL,
		    "only the district safety office may %s a hazard",
		    hazard_action_name(a));
		break;
	case VERDICT_INCOMPLETE:
		http_reply_code(r, 409, "plan_required", missing, NULL,
		    "a major hazard cannot be closed without a %s on record; "
		    "assess it first", strcmp(missing, "plan") == 0 ?
		    "rectification plan" : "risk assessment");
		break;
	default:
		/* The state, for a client to say it in its user's words. */
		http_reply_code(r, 409, "illegal_transition", NULL,
		    json_pack("{s:s}", "state", hazard_state_name(h->state)),
		    "cannot %s a hazard that is %s", hazard_action_name(a),
		    hazard_state_name(h->state));
		break;
	}
}

/*
 * Answers an action sent again with the key who sent it with before:
 * the first answer, if it was the same action on the same hazard, once
 * the batch that may hold the first is committed.  Returns 1 answered
 * (the request's work ended), 0 if the key is new, -1 if the database
 * failed.
 */
static int
replay(struct request *r, const struct actor *who, const char *key,
    int64_t id, enum hazard_action a)
{
	struct action_key	k;

	switch (store_action_key_find(who->token_id, key, &k)) {
	case STORE_NOTFOUND:
		return 0;
	case STORE_OK:
		break;
	default:
		return -1;
	}
	if (k.hazard_id != id || strcmp(k.action, hazard_action_name(a)) != 0) {
		db_work_undo();
		http_reply_code(r, 422, "key_reused", "key", NULL, "the key "
		    "was sent with another action: %s of hazard %" PRId64,
		    k.action, k.hazard_id);
	} else if (db_work_keep() == -1)
		http_reply_unavailable(r);
	else {
		http_after_commit(r);
		http_log_committed(r, "hazard %" PRId64 ": %s sent again "
		    "with its key by %s: the first answer", id, k.action,
		    who->name);
		http_reply_text(r, k.status, "application/json; charset=utf-8",
		    k.answer, strlen(k.answer));
	}
	free(k.answer);
	return 1;
}

/*
 * With [policy] rectify_needs_photo, a rectification needs an "after"
 * photo, added since the office last rejected one if it did.  Returns
 * 0, or -1 after answering (422, 503).
 */
static int
rectify_photo(struct request *r, const struct hazard *h)
{
	int	n;

	if (!r->cfg->rectify_needs_photo)
		return 0;
	n = store_photo_count(h->id, PHOTO_AFTER, h->rejected);
	if (n == STORE_ERROR) {
		http_reply_unavailable(r);
		return -1;
	}
	if (n == 0) {
		http_reply_code(r, 422, "photo_required", NULL, NULL,
		    "a rectification needs an \"after\" photo%s: add one "
		    "with POST /v1/hazards/%" PRId64 "/photos?stage=after",
		    h->rejected != 0 ? " added since the rejection" : "",
		    h->id);
		return -1;
	}
	return 0;
}

void
api_hazard_action(struct request *r)
{
	struct hazard		 h;
	struct actor		 who;
	struct refusal		 why;
	enum hazard_state	 from;
	const char		*note = NULL, *missing = NULL, *key;
	json_t			*body, *changes = NULL, *answer;
	char			*text = NULL;
	int64_t			 id, event = 0;
	int			 a, rc;

	a = hazard_action_parse(r->args[1]);
	if ((id = path_id(r)) == 0)
		return;
	if (a == -1 || a == ACTION_REPORT || a == ACTION_ESCALATE ||
	    a == ACTION_PHOTO) {
		http_reply_code(r, 404, "no_such_action", NULL, NULL,
		    "no such action '%s'", r->args[1]);
		return;
	}
	/* Who may act at all is settled before the body is read. */
	if (!hazard_action_permitted(a, r->who.role)) {
		reply_verdict(r, VERDICT_FORBIDDEN, a, NULL, NULL);
		return;
	}
	if ((body = http_body(r, 1)) == NULL)
		return;
	key = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Idempotency-Key");
	if (action_check(a, body, &note, &why) == -1 || (key != NULL &&
	    !hazard_key_valid(key) && http_refuse_code(&why, 422,
	    "invalid_field", "key", "key: expected 1-200 printable ASCII "
	    "characters") == -1)) {
		http_reply_refusal(r, &why);
		json_decref(body);
		return;
	}
	/* The change and its audit event ride in the batch of this pass. */
	if (db_work_begin() == -1) {
		http_reply_unavailable(r);
		json_decref(body);
		return;
	}
	actor_init(&who, r);
	if (key != NULL && (rc = replay(r, &who, key, id, a)) != 0) {
		if (rc == -1) {
			db_work_undo();
			http_reply_unavailable(r);
		}
		json_decref(body);
		return;
	}
	if (load_visible(r, id, &h) == -1) {
		db_work_undo();
		json_decref(body);
		return;
	}
	from = h.state;
	changes = json_object();
	if (a == ACTION_RECTIFY && rectify_photo(r, &h) == -1)
		goto refused;
	/* An assessment applies first: a verdict may depend on it. */
	if (a == ACTION_ASSESS && assess_apply(body, &r->cfg->categories, &h,
	    changes, &why) == -1) {
		http_reply_refusal(r, &why);
		goto refused;
	}
	rc = ledger_act(&who, r->now, &h, a, note, changes, &missing,
	    &event);
	if (rc == STORE_ERROR || (rc == VERDICT_OK && a == ACTION_REJECT &&
	    notice_rejection(h.school_id, event, id, h.text[FIELD_TITLE],
	    note, r->cfg->language, r->now) == -1)) {
		db_work_undo();
		http_reply_unavailable(r);
		goto done;
	}
	if (rc != VERDICT_OK) {
		reply_verdict(r, rc, a, &h, missing);
		goto refused;
	}
	answer = shape_hazard(&h, r->today);
	/* The answer a replay of the same key gets, kept in the batch. */
	if (key != NULL && ((text = json_dumps(answer, HTTP_JSON_FLAGS)) ==
	    NULL || ledger_action_key(&who, r->now, key, id, a, 200, text) !=
	    STORE_OK)) {
		free(text);
		json_decref(answer);
		db_work_undo();
		http_reply_unavailable(r);
		goto done;
	}
	free(text);
	if (db_work_keep() == -1) {
		json_decref(answer);
		http_reply_unavailable(r);
		goto done;
	}
	if (a == ACTION_REJECT)
		deliver_soon();
	http_after_commit(r);
	http_log_committed(r, "hazard %" PRId64 " (%s): %s by %s (%s): "
	    "%s -> %s", id, h.school, hazard_action_name(a), r->who.name,
	    ledger_role_name(&who), hazard_state_name(from),
	    hazard_state_name(h.state));
	http_reply_json(r, 200, answer);
	goto done;
refused:
	/* Refused, it changed nothing: its answer has gone already. */
	db_work_undo();
done:
	json_decref(changes);
	json_decref(body);
	hazard_clear(&h);
}

/* Adds one event to the array. */
static int
events_add(const struct hazard_event *e, void *arg)
{
	json_t	*o, *changes = NULL;

	if (e->changes != NULL)
		changes = json_loads(e->changes, 0, NULL);
	o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "at", shape_time(e->at));
	json_object_set_new(o, "actor", shape_text(e->actor));
	json_object_set_new(o, "role", shape_text(e->role));
	json_object_set_new(o, "action",
	    shape_text(hazard_action_name(e->action)));
	json_object_set_new(o, "from", shape_text(e->from_state < 0 ? NULL :
	    hazard_state_name(e->from_state)));
	json_object_set_new(o, "to",
	    shape_text(hazard_state_name(e->to_state)));
	json_object_set_new(o, "note", shape_text(e->note));
	json_object_set_new(o, "changes", changes != NULL ? changes :
	    json_null());
	json_array_append_new(arg, o);
	return 0;
}

void
api_hazard_events(struct request *r)
{
	struct hazard	 h;
	json_t		*events;
	int64_t		 id;

	if ((id = path_id(r)) == 0 || load_visible(r, id, &h) == -1)
		return;
	hazard_clear(&h);
	events = json_array();
	if (store_event_list(id, events_add, events) != STORE_OK) {
		json_decref(events);
		http_reply_unavailable(r);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:o}", "events", events));
}
