/*
 * /v1/schools and /v1/tokens: what the office administers; and
 * /v1/categories, the vocabulary everyone reports in.
 */
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "api.h"
#include "date.h"
#include "ledger.h"
#include "log.h"
#include "tokcache.h"
#include "utf8.h"
#include "webhook.h"

/* Longest school or token name, in characters. */
#define NAME_MAX_CHARS	200

/*
 * A school's robot for the office, which alone reads this: its URL
 * (with its access token), its format, whether it has a secret (never
 * the secret).  Returns a new object, or JSON null for none.
 */
static json_t *
robot_json(int64_t school_id)
{
	struct school_robot	 sr;
	json_t			*o;

	if (store_school_robot_get(school_id, &sr) != STORE_OK)
		return json_null();
	o = json_pack("{s:s, s:s, s:b}", "url", sr.url, "format",
	    sr.format[0] != '\0' ? sr.format : "auto", "secret",
	    sr.secret[0] != '\0');
	store_school_robot_free(&sr);
	return o;
}

/* Adds one school to the array. */
static int
schools_add(const struct school *s, void *arg)
{
	char	buf[RFC3339_LEN + 8];

	json_array_append_new(arg, json_pack("{s:s, s:s, s:o, s:o, s:o}",
	    "code", s->code, "name", s->name, "department",
	    s->department != NULL ? json_string(s->department) : json_null(),
	    "retired_at", s->retired_at == 0 ? json_null() :
	    json_string(date_rfc3339(buf, sizeof(buf), s->retired_at)),
	    "robot", robot_json(s->id)));
	return 0;
}

/* Answers 200 with the school of this code, as listed. */
static void
reply_school(struct request *r, const char *code)
{
	json_t	*schools = json_array(), *one = NULL;
	size_t	 i;

	if (store_school_list(schools_add, schools) != STORE_OK) {
		json_decref(schools);
		http_reply_unavailable(r);
		return;
	}
	json_array_foreach(schools, i, one)
		if (strcasecmp(json_string_value(json_object_get(one, "code")),
		    code) == 0)
			break;
	if (i == json_array_size(schools))
		http_reply_code(r, 404, "no_such_school", NULL, NULL,
		    "no school %s", code);
	else
		http_reply_json(r, 200, json_incref(one));
	json_decref(schools);
}

void
api_school_list(struct request *r)
{
	json_t	*schools = json_array();

	if (store_school_list(schools_add, schools) != STORE_OK) {
		json_decref(schools);
		http_reply_unavailable(r);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:o}", "schools", schools));
}

/* Checks a name: 1-200 characters of text.  Returns 1 if good. */
static int
name_valid(const char *s, size_t len)
{
	long	n = utf8_count(s, len);

	return n >= 1 && n <= NAME_MAX_CHARS;
}

/*
 * Reads the string members of a body named in names (NULL-terminated)
 * into values; any other member is refused.  Returns 0, or -1 after
 * answering 422.
 */
static int
body_strings(struct request *r, json_t *body, const char *const *names,
    const char **values)
{
	const char	*key;
	json_t		*v;
	int		 i;

	json_object_foreach(body, key, v) {
		for (i = 0; names[i] != NULL; i++)
			if (strcmp(key, names[i]) == 0)
				break;
		if (names[i] == NULL) {
			http_reply_code(r, 422, "unknown_field", key, NULL,
			    "unknown field '%s'", key);
			return -1;
		}
		if (!json_is_string(v)) {
			http_reply_code(r, 422, "invalid_field", key, NULL,
			    "%s: expected a string", key);
			return -1;
		}
		values[i] = json_string_value(v);
	}
	return 0;
}

void
api_school_create(struct request *r)
{
	static const char *const names[] = { "code", "name", NULL };
	const char	*v[2] = { NULL, NULL };
	json_t		*body;
	int64_t		 id;

	if ((body = http_body(r, 0)) == NULL)
		return;
	if (body_strings(r, body, names, v) == -1)
		goto done;
	if (v[0] == NULL || !hazard_school_code_valid(v[0])) {
		http_reply_code(r, 422, "invalid_field", "code", NULL,
		    "code: expected 1-32 letters, digits, '-' or '_'");
		goto done;
	}
	if (v[1] == NULL || !name_valid(v[1], strlen(v[1]))) {
		http_reply_code(r, 422, "invalid_field", "name", NULL,
		    "name: expected 1-200 characters");
		goto done;
	}
	switch (store_school_insert(v[0], v[1], r->now, &id)) {
	case STORE_OK:
		log_info("school %s added by %s: %s", v[0], r->who.name, v[1]);
		http_reply_json(r, 201, json_pack("{s:s, s:s}", "code", v[0],
		    "name", v[1]));
		break;
	case STORE_EXISTS:
		http_reply_code(r, 409, "school_exists", "code", NULL,
		    "school %s exists already", v[0]);
		break;
	default:
		http_reply_unavailable(r);
		break;
	}
done:
	json_decref(body);
}

/*
 * PATCH /v1/schools/{code} {"name", "department", "retired"}: what the
 * office says of a school.  A retired school keeps its records but
 * leaves the digests and notices and cannot report; "retired": false
 * brings it back.
 */
void
api_school_update(struct request *r)
{
	static const char *const names[] = { "name", "department", NULL };
	const char	*v[2] = { NULL, NULL };
	json_t		*body, *retired;
	int		 retire = -1;

	if ((body = http_body(r, 0)) == NULL)
		return;
	/* "retired" is the one member that is not a string. */
	if ((retired = json_object_get(body, "retired")) != NULL) {
		if (!json_is_boolean(retired)) {
			http_reply_code(r, 422, "invalid_field", "retired",
			    NULL, "retired: expected true or false");
			goto done;
		}
		retire = json_is_true(retired);
		json_object_del(body, "retired");
	}
	if (body_strings(r, body, names, v) == -1)
		goto done;
	if (v[0] == NULL && v[1] == NULL && retire == -1) {
		http_reply_code(r, 422, "nothing_to_change", NULL, NULL,
		    "nothing to change: give a name, a department or retired");
		goto done;
	}
	if (v[0] != NULL && !name_valid(v[0], strlen(v[0]))) {
		http_reply_code(r, 422, "invalid_field", "name", NULL,
		    "name: expected 1-200 characters");
		goto done;
	}
	if (v[1] != NULL && *v[1] != '\0' && !name_valid(v[1],
	    strlen(v[1]))) {
		http_reply_code(r, 422, "invalid_field", "department", NULL,
		    "department: expected 1-200 characters, or \"\" for none");
		goto done;
	}
	switch (store_school_update(r->args[0], v[0], v[1], retire, r->now)) {
	case STORE_OK:
		log_info("school %s changed by %s%s%s%s%s%s", r->args[0],
		    r->who.name, v[0] != NULL ? ": name " : "",
		    v[0] != NULL ? v[0] : "", v[1] != NULL ? ", department " :
		    "", v[1] != NULL ? v[1] : "", retire == 1 ? ", retired" :
		    retire == 0 ? ", brought back" : "");
		reply_school(r, r->args[0]);
		break;
	case STORE_NOTFOUND:
		http_reply_code(r, 404, "no_such_school", NULL, NULL,
		    "no school %s", r->args[0]);
		break;
	default:
		http_reply_unavailable(r);
		break;
	}
done:
	json_decref(body);
}

/*
 * PUT /v1/schools/{code}/robot {"url", "secret", "format"}: the school's
 * own group robot, which is sent its notices.  The URL must be https
 * (http only to loopback) and a known robot's, or its format named.
 */
void
api_school_robot_set(struct request *r)
{
	static const char *const names[] = { "url", "secret", "format", NULL };
	const char		*v[3] = { NULL, NULL, NULL }, *why;
	struct robot		 robot;
	json_t			*body;

	if ((body = http_body(r, 0)) == NULL)
		return;
	if (body_strings(r, body, names, v) == -1)
		goto done;
	if (v[2] != NULL && strcmp(v[2], "dingtalk") != 0 &&
	    strcmp(v[2], "wecom") != 0 && *v[2] != '\0') {
		http_reply_code(r, 422, "invalid_field", "format", NULL,
		    "format: expected dingtalk or wecom");
		goto done;
	}
	robot.url = v[0] != NULL ? v[0] : "";
	robot.secret = v[1] != NULL ? v[1] : "";
	robot.format = v[2] != NULL ? v[2] : "";
	if (strlen(robot.url) > 2048 || strlen(robot.secret) > 256) {
		http_reply_code(r, 422, "invalid_field", "url", NULL,
		    "url: at most 2048 bytes, secret 256");
		goto done;
	}
	if ((why = webhook_check(&robot)) != NULL) {
		http_reply_code(r, 422, "invalid_field", "url", NULL, "url: %s",
		    why);
		goto done;
	}
	switch (store_school_robot_set(r->args[0], robot.url, robot.secret,
	    robot.format)) {
	case STORE_OK:
		log_info("school %s: its robot set by %s", r->args[0],
		    r->who.name);
		http_reply_json(r, 200, json_pack("{s:s, s:{s:s, s:s, s:b}}",
		    "code", r->args[0], "robot", "url", robot.url, "format",
		    robot.format[0] != '\0' ? robot.format : "auto", "secret",
		    robot.secret[0] != '\0'));
		break;
	case STORE_NOTFOUND:
		http_reply_code(r, 404, "no_such_school", NULL, NULL,
		    "no school %s", r->args[0]);
		break;
	default:
		http_reply_unavailable(r);
		break;
	}
done:
	json_decref(body);
}

/* DELETE /v1/schools/{code}/robot: the school is sent no notice. */
void
api_school_robot_clear(struct request *r)
{
	switch (store_school_robot_set(r->args[0], NULL, NULL, NULL)) {
	case STORE_OK:
		log_info("school %s: its robot removed by %s", r->args[0],
		    r->who.name);
		http_reply_json(r, 200, json_pack("{s:s, s:n}", "code",
		    r->args[0], "robot"));
		break;
	case STORE_NOTFOUND:
		http_reply_code(r, 404, "no_such_school", NULL, NULL,
		    "no school %s", r->args[0]);
		break;
	default:
		http_reply_unavailable(r);
		break;
	}
}

/* GET /v1/categories: the vocabulary, in the configuration's order. */
void
api_category_list(struct request *r)
{
	const struct categories	*cs = &r->cfg->categories;
	const struct category	*c;
	json_t			*list = json_array();
	size_t			 i;

	for (i = 0; i < cs->n; i++) {
		c = &cs->list[i];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}",
		    "code", c->code, "zh", c->zh, "en", c->en, "department",
		    c->department != NULL ? json_string(c->department) :
		    json_null()));
	}
	http_reply_json(r, 200, json_pack("{s:o}", "categories", list));
}

/* The JSON of a token as listed. */
static json_t *
token_json(const struct token_row *t)
{
	char	 buf[RFC3339_LEN + 8];
	json_t	*o;

	o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "name", json_string(t->name));
	json_object_set_new(o, "role", json_string(t->role));
	json_object_set_new(o, "school", t->school == NULL ? json_null() :
	    json_string(t->school));
	json_object_set_new(o, "created_at",
	    json_string(date_rfc3339(buf, sizeof(buf), t->created_at)));
	json_object_set_new(o, "revoked_at", t->revoked_at == 0 ?
	    json_null() : json_string(date_rfc3339(buf, sizeof(buf),
	    t->revoked_at)));
	return o;
}

/* Adds one token to the array. */
static int
tokens_add(const struct token_row *t, void *arg)
{
	json_array_append_new(arg, token_json(t));
	return 0;
}

/* Keeps the one token read. */
static int
token_keep(const struct token_row *t, void *arg)
{
	*(json_t **)arg = token_json(t);
	return -1;
}

void
api_token_list(struct request *r)
{
	json_t	*tokens = json_array();

	if (store_token_list(tokens_add, tokens) != STORE_OK) {
		json_decref(tokens);
		http_reply_unavailable(r);
		return;
	}
	http_reply_json(r, 200, json_pack("{s:o}", "tokens", tokens));
}

void
api_token_create(struct request *r)
{
	static const char *const names[] = { "role", "school", "name", NULL };
	const char		*v[3] = { NULL, NULL, NULL };
	char			 secret[TOKEN_TEXT_LEN];
	struct school		 s = { 0, NULL, NULL, NULL, 0 };
	enum hazard_role	 role;
	json_t			*body, *out = NULL;
	int64_t			 id;

	if ((body = http_body(r, 0)) == NULL)
		return;
	if (body_strings(r, body, names, v) == -1)
		goto done;
	if (v[0] == NULL || hazard_role_parse(v[0]) == -1) {
		http_reply_code(r, 422, "invalid_field", "role", NULL,
		    "role: expected office or school");
		goto done;
	}
	role = hazard_role_parse(v[0]);
	if (v[2] == NULL || !name_valid(v[2], strlen(v[2]))) {
		http_reply_code(r, 422, "invalid_field", "name", NULL,
		    "name: expected 1-200 characters, e.g. the holder's name");
		goto done;
	}
	if (role == ROLE_OFFICE && v[1] != NULL) {
		http_reply_code(r, 422, "invalid_field", "school", NULL,
		    "an office token has no school");
		goto done;
	}
	if (role == ROLE_SCHOOL) {
		if (v[1] == NULL) {
			http_reply_code(r, 422, "missing_field", "school", NULL,
			    "a school token needs its school");
			goto done;
		}
		switch (store_school_find(v[1], &s, NULL)) {
		case STORE_OK:
			break;
		case STORE_NOTFOUND:
			http_reply_code(r, 422, "unknown_school", "school",
			    json_pack("{s:s}", "value", v[1]),
			    "unknown school '%s'", v[1]);
			goto done;
		default:
			http_reply_unavailable(r);
			goto done;
		}
	}
	if (ledger_token_issue(v[2], role, s.id, r->now, secret, &id) !=
	    STORE_OK || store_token_get(id, token_keep, &out) != STORE_OK) {
		OPENSSL_cleanse(secret, sizeof(secret));
		json_decref(out);
		http_reply_unavailable(r);
		goto done;
	}
	json_object_set_new(out, "token", json_string(secret));
	OPENSSL_cleanse(secret, sizeof(secret));
	log_info("token %" PRId64 " (%s%s%s) issued by %s", id, v[0],
	    v[1] != NULL ? " " : "", v[1] != NULL ? v[1] : "", r->who.name);
	http_reply_json(r, 201, out);
done:
	json_decref(body);
}

void
api_token_revoke(struct request *r)
{
	json_t	*out = NULL;
	int64_t	 id;
	int	 rc;

	if ((id = http_parse_id(r->args[0])) == 0) {
		http_reply_code(r, 404, "no_such_token", NULL, NULL,
		    "no such token");
		return;
	}
	rc = ledger_token_revoke(id, r->now);
	/* Whatever the commit did, no request may trust the old entry. */
	tokcache_clear();
	if (rc == STORE_ERROR) {
		http_reply_unavailable(r);
		return;
	}
	/* Revoking a revoked token again is no error: it stays revoked. */
	switch (store_token_get(id, token_keep, &out)) {
	case STORE_OK:
		if (rc == STORE_OK)
			log_info("token %" PRId64 " revoked by %s", id,
			    r->who.name);
		http_reply_json(r, 200, out);
		break;
	case STORE_NOTFOUND:
		http_reply_code(r, 404, "no_such_token", NULL, NULL,
		    "no such token");
		break;
	default:
		http_reply_unavailable(r);
		break;
	}
}
