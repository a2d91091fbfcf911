/*
 * The HTTP server: evhttp set-up, the route table, authentication, and
 * JSON in and out.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>

#include "api.h"
#include "date.h"
#include "db.h"
#include "connguard.h"
#include "http.h"
#include "log.h"
#include "looplag.h"
#include "stream.h"
#include "tokcache.h"
#include "token.h"
#include "utf8.h"
#include "xmalloc.h"

/* Who may call a route. */
enum access {
	ACCESS_PUBLIC,		/* no token */
	ACCESS_ANY,		/* any valid token */
	ACCESS_OFFICE,		/* an office token; a school's gets 403 */
	ACCESS_METRICS		/* [server] metrics_token, if there is one */
};

/*
 * How a route's writes are committed: in the batch of the pass (group
 * commit), for the writes that come in numbers, reports and actions; or
 * alone, after the batch, for every other route, which must not read
 * the batch's work before it is committed nor write into it.
 */
enum commit {
	COMMIT_ALONE,
	COMMIT_BATCH
};

/*
 * One row of the API: method, path pattern ('*' is one segment), who
 * may call it, its handler and how its writes are committed.
 */
static const struct route {
	enum evhttp_cmd_type	  method;
	const char		 *pattern;
	enum access		  access;
	void			(*handler)(struct request *);
	enum commit		  commit;
} routes[] = {
	{ EVHTTP_REQ_POST,   "/v1/hazards",		ACCESS_ANY,
	    api_hazard_create,		COMMIT_BATCH },
	{ EVHTTP_REQ_GET,    "/v1/hazards",		ACCESS_ANY,
	    api_hazard_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/hazards/*",		ACCESS_ANY,
	    api_hazard_get,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/hazards/*/events",	ACCESS_ANY,
	    api_hazard_events,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/hazards/*/photos",	ACCESS_ANY,
	    api_photo_add,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/hazards/*/*",		ACCESS_ANY,
	    api_hazard_action,		COMMIT_BATCH },
	{ EVHTTP_REQ_GET,    "/v1/photos/*",		ACCESS_ANY,
	    api_photo_get,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/rate",		ACCESS_ANY,
	    api_rate,			COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/stats",		ACCESS_ANY,
	    api_stats,			COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/today",		ACCESS_OFFICE,
	    api_today,			COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/yearbook/*",		ACCESS_ANY,
	    api_yearbook,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/import",		ACCESS_OFFICE,
	    api_import,			COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/imports/*",		ACCESS_OFFICE,
	    api_import_get,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/export",		ACCESS_ANY,
	    api_export,			COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/cycles/*/run",	ACCESS_OFFICE,
	    api_cycle_run,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/digests",		ACCESS_OFFICE,
	    api_digest_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/digests/*",		ACCESS_OFFICE,
	    api_digest_get,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/warnings",		ACCESS_OFFICE,
	    api_warning_create,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/warnings",		ACCESS_ANY,
	    api_warning_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/warnings/*/ack",	ACCESS_ANY,
	    api_warning_ack,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/activities",		ACCESS_ANY,
	    api_activity_create,	COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/activities",		ACCESS_ANY,
	    api_activity_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/activities/stats",	ACCESS_ANY,
	    api_activity_stats,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/categories",		ACCESS_ANY,
	    api_category_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/schools",		ACCESS_OFFICE,
	    api_school_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/schools",		ACCESS_OFFICE,
	    api_school_create,		COMMIT_ALONE },
	{ EVHTTP_REQ_PATCH,  "/v1/schools/*",		ACCESS_OFFICE,
	    api_school_update,		COMMIT_ALONE },
	{ EVHTTP_REQ_PUT,    "/v1/schools/*/robot",	ACCESS_OFFICE,
	    api_school_robot_set,	COMMIT_ALONE },
	{ EVHTTP_REQ_DELETE, "/v1/schools/*/robot",	ACCESS_OFFICE,
	    api_school_robot_clear,	COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/tokens",		ACCESS_OFFICE,
	    api_token_list,		COMMIT_ALONE },
	{ EVHTTP_REQ_POST,   "/v1/tokens",		ACCESS_OFFICE,
	    api_token_create,		COMMIT_ALONE },
	{ EVHTTP_REQ_DELETE, "/v1/tokens/*",		ACCESS_OFFICE,
	    api_token_revoke,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/whoami",		ACCESS_ANY,
	    api_whoami,			COMMIT_ALONE },
	/* The web interface: the files alone, public; its data needs a token. */
	{ EVHTTP_REQ_GET,    "/",			ACCESS_PUBLIC,
	    api_web_index,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/ui/*",			ACCESS_PUBLIC,
	    api_web_file,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/v1/audit/verify",	ACCESS_OFFICE,
	    api_audit_verify,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/healthz",		ACCESS_PUBLIC,
	    api_healthz,		COMMIT_ALONE },
	{ EVHTTP_REQ_GET,    "/metrics",		ACCESS_METRICS,
	    api_metrics,		COMMIT_ALONE },
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* The statuses counted in the metrics; the last counts the others. */
static const int counted_status[] = {
	200, 201, 400, 401, 403, 404, 405, 409, 413, 415, 422, 500, 503, 0
};
#define NSTATUS (sizeof(counted_status) / sizeof(counted_status[0]))

static struct {
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	/* metrics_listen's: /metrics and /healthz alone. */
	struct evhttp			*mhttp;
	struct evhttp_bound_socket	*msock;
	const struct config		*cfg;
	/* Requests by route (NROUTES: no route) and status. */
	uint64_t			 requests[NROUTES + 1][NSTATUS];
	/* Latency histogram of all requests, in seconds. */
	uint64_t			 latency[8];
	double				 latency_sum;
	uint64_t			 latency_count;
} server;

static const double latency_bounds[] = {
	0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0
};

/* The code word of an error status. */
static const char *
status_code(int status)
{
	switch (status) {
	case 400: return "malformed";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "too_large";
	case 415: return "unsupported_media_type";
	case 422: return "invalid_field";
	case 503: return "unavailable";
	default:  return "internal";
	}
}

/* The reason phrase of a status. */
static const char *
status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 503: return "Service Unavailable";
	default:  return "Internal Server Error";
	}
}

/*
 * An answer that waits for the commit of the batch that holds its
 * request's work (db_batch.c).  The evhttp request stays valid until it
 * is answered: if its client goes away meanwhile, libevent 2.1 detaches
 * the request from the connection (evhttp_request_get_connection() is
 * then NULL) rather than freeing it, and evhttp_send_reply() frees it.
 * Only evhttp_free() would free it under us: db_batch_stop() comes
 * first.
 */
struct waiting {
	struct evhttp_request	*req;
	const struct config	*cfg;
	struct evbuffer		*body;
	char			*type;
	char			*path;
	char			*log;
	int			 status;
	size_t			 route;
	enum evhttp_cmd_type	 method;
	struct timespec		 t0;
	int64_t			 token_id;
};

static void	http_finish(size_t, enum evhttp_cmd_type, const char *, int,
		    const struct timespec *, int64_t);

/* Sends an answer with its headers. */
static void
http_send(struct evhttp_request *req, int status, const char *type,
    struct evbuffer *buf)
{
	struct evkeyvalq		*out;
	struct evhttp_connection	*evcon;

	/*
	 * The loop's clock stood still while the handler ran: after a long
	 * one (a large import) the write timeout would be set in the past
	 * and drop the answer.
	 */
	if ((evcon = evhttp_request_get_connection(req)) != NULL)
		event_base_update_cache_time(evhttp_connection_get_base(evcon));
	out = evhttp_request_get_output_headers(req);
	evhttp_add_header(out, "Content-Type", type);
	/* The API's answers are not kept; the web's files say their own. */
	if (evhttp_find_header(out, "Cache-Control") == NULL)
		evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_send_reply(req, status, status_reason(status), buf);
}

/* The batch has ended: the answer goes out, or 503 in its place. */
static void
http_waited(void *arg, int committed)
{
	struct waiting	*w = arg;
	struct request	 r;

	if (committed) {
		if (w->log != NULL)
			log_info("%s", w->log);
		http_send(w->req, w->status, w->type, w->body);
	} else {
		/* A request of its own, to answer as any other 503. */
		memset(&r, 0, sizeof(r));
		TAILQ_INIT(&r.query);
		r.req = w->req;
		r.cfg = w->cfg;
		r.path = w->path;
		http_reply_unavailable(&r);
		w->status = r.status;
	}
	http_finish(w->route, w->method, w->path, w->status, &w->t0,
	    w->token_id);
	evbuffer_free(w->body);
	free(w->type);
	free(w->path);
	free(w->log);
	free(w);
}

/* Keeps the answer until the batch ends. */
static void
http_defer(struct request *r, int status, const char *type,
    const char *text, size_t len)
{
	struct waiting	*w;

	w = xcalloc(1, sizeof(*w));
	w->req = r->req;
	w->cfg = r->cfg;
	if ((w->body = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	evbuffer_add(w->body, text, len);
	w->type = xstrdup(type);
	w->path = xstrdup(r->path);
	w->log = r->commit_log;
	r->commit_log = NULL;
	w->status = status;
	w->route = r->route;
	w->method = evhttp_request_get_command(r->req);
	w->t0 = r->t0;
	w->token_id = r->who.token_id;
	r->status = status;
	r->waiting = 1;
	db_batch_wait(http_waited, w);
}

void
http_reply_text(struct request *r, int status, const char *type,
    const char *text, size_t len)
{
	struct evbuffer	*buf;

	if (r->status != 0) {
		log_warnx("%s: answered twice", r->path);
		return;
	}
	if (r->after_commit && db_batch_open()) {
		http_defer(r, status, type, text, len);
		return;
	}
	if (r->commit_log != NULL) {
		log_info("%s", r->commit_log);
		free(r->commit_log);
		r->commit_log = NULL;
	}
	buf = evbuffer_new();
	if (buf == NULL)
		fatalx("evbuffer_new");
	evbuffer_add(buf, text, len);
	r->status = status;
	http_send(r->req, status, type, buf);
	evbuffer_free(buf);
}

void
http_reply_file(struct request *r, const char *type, int fd, off_t size,
    const char *cache)
{
	struct evhttp_connection	*evcon;
	struct evkeyvalq		*out;
	struct evbuffer			*buf;

	if ((buf = evbuffer_new()) == NULL)
		fatalx("evbuffer_new");
	/*
	 * Not closed on failure: libevent may have closed it already, and
	 * the number may be a worker's file by now.
	 */
	if (evbuffer_add_file(buf, fd, 0, size) == -1) {
		log_warnx("%s: cannot send a file", r->path);
		evbuffer_free(buf);
		http_reply_unavailable(r);
		return;
	}
	if ((evcon = evhttp_request_get_connection(r->req)) != NULL)
		event_base_update_cache_time(evhttp_connection_get_base(evcon));
	out = evhttp_request_get_output_headers(r->req);
	evhttp_add_header(out, "Content-Type", type);
	evhttp_add_header(out, "Cache-Control", cache);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	r->status = 200;
	evhttp_send_reply(r->req, 200, status_reason(200), buf);
	evbuffer_free(buf);
}

void
http_after_commit(struct request *r)
{
	r->after_commit = 1;
}

void
http_log_committed(struct request *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		fatalx("vasprintf");
	va_end(ap);
	if (!r->after_commit || !db_batch_open()) {
		log_info("%s", line);
		free(line);
		return;
	}
	free(r->commit_log);
	r->commit_log = line;
}

void
http_reply_json(struct request *r, int status, json_t *body)
{
	char	*text;

	text = json_dumps(body, HTTP_JSON_FLAGS);
	json_decref(body);
	if (text == NULL)
		fatalx("json_dumps");
	http_reply_text(r, status, "application/json; charset=utf-8", text,
	    strlen(text));
	free(text);
}

/*
 * Replaces each byte that is not part of a valid UTF-8 character by '?':
 * a message may quote what the client sent, or be cut inside a
 * character, and jansson refuses a string that is not UTF-8.
 */
static void
utf8_scrub(char *s)
{
	unsigned char	c;
	size_t		n;

	while ((c = (unsigned char)*s) != '\0') {
		n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 :
		    c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
		if (n == 0 || strnlen(s, n) < n || utf8_count(s, n) != 1) {
			*s++ = '?';
			continue;
		}
		s += n;
	}
}

/*
 * Answers with the error object of code (or the status's), message made
 * from fmt and ap, field and the members of extra (a reference taken).
 */
static void __attribute__((format(printf, 6, 0)))
reply_error(struct request *r, int status, const char *code,
    const char *field, json_t *extra, const char *fmt, va_list ap)
{
	char	 msg[512], fieldbuf[128];
	json_t	*err;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	utf8_scrub(msg);
	if (field != NULL) {
		snprintf(fieldbuf, sizeof(fieldbuf), "%s", field);
		utf8_scrub(fieldbuf);
		field = fieldbuf;
	}
	err = json_pack("{s:s, s:s}", "code", code != NULL ? code :
	    status_code(status), "message", msg);
	if (err == NULL)
		fatalx("json_pack");
	if (field != NULL)
		json_object_set_new(err, "field", json_string(field));
	if (extra != NULL) {
		json_object_update_missing(err, extra);
		json_decref(extra);
	}
	http_reply_json(r, status, json_pack("{s:o}", "error", err));
}

void
http_reply_error(struct request *r, int status, const char *field,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	reply_error(r, status, NULL, field, NULL, fmt, ap);
	va_end(ap);
}

void
http_reply_code(struct request *r, int status, const char *code,
    const char *field, json_t *extra, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	reply_error(r, status, code, field, extra, fmt, ap);
	va_end(ap);
}

int
http_refuse(struct refusal *why, int status, const char *field,
    const char *fmt, ...)
{
	va_list	ap;

	why->status = status;
	why->code = NULL;
	why->field = field;
	va_start(ap, fmt);
	vsnprintf(why->message, sizeof(why->message), fmt, ap);
	va_end(ap);
	return -1;
}

int
http_refuse_code(struct refusal *why, int status, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list	ap;

	why->status = status;
	why->code = code;
	why->field = field;
	va_start(ap, fmt);
	vsnprintf(why->message, sizeof(why->message), fmt, ap);
	va_end(ap);
	return -1;
}

void
http_reply_refusal(struct request *r, const struct refusal *why)
{
	http_reply_code(r, why->status, why->code, why->field, NULL, "%s",
	    why->message);
}

void
http_reply_unavailable(struct request *r)
{
	/* Mostly a lock held for a while (an import, a backup). */
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Retry-After", "1");
	http_reply_error(r, 503, NULL, "the database is unavailable; "
	    "try again later");
}

const char *
http_query(struct request *r, const char *name)
{
	return evhttp_find_header(&r->query, name);
}

int
http_query_check(const struct evkeyvalq *query, const char *const *allowed,
    struct refusal *why)
{
	struct evkeyval	*kv;
	int		 i;

	TAILQ_FOREACH(kv, query, next) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(kv->key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return http_refuse(why, 422, kv->key,
			    "unknown query parameter '%s'", kv->key);
	}
	return 0;
}

int
http_query_only(struct request *r, const char *const *allowed)
{
	struct refusal	why;

	if (http_query_check(&r->query, allowed, &why) == -1) {
		http_reply_refusal(r, &why);
		return -1;
	}
	return 0;
}

int64_t
http_parse_id(const char *s)
{
	int64_t	v = 0;
	size_t	n;

	for (n = 0; s[n] != '\0'; n++) {
		if (!isdigit((unsigned char)s[n]) || n >= 16)
			return 0;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || s[0] == '0' || v > (INT64_C(1) << 53))
		return 0;
	return v;
}

/*
 * Returns 1 if the Content-Type header says JSON in UTF-8:
 * application/json without a charset, or with charset=utf-8 (RFC 8259
 * knows no other).  Other parameters are let be.
 */
static int
is_json_type(const char *type)
{
	const char	*p;
	size_t		 n = strlen("application/json");

	if (type == NULL)
		return 0;
	type += strspn(type, " \t");
	if (strncasecmp(type, "application/json", n) != 0)
		return 0;
	for (p = type + n;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			return 1;
		if (*p++ != ';')
			return 0;
		p += strspn(p, " \t");
		if (strncasecmp(p, "charset=", 8) != 0) {
			p += strcspn(p, ";");
			continue;
		}
		p += 8;
		if (strncasecmp(p, "utf-8", 5) == 0)
			p += 5;
		else if (strncasecmp(p, "\"utf-8\"", 7) == 0)
			p += 7;
		else
			return 0;
	}
}

json_t *
http_body_decode(const char *buf, size_t len, struct refusal *why)
{
	json_error_t	 jerr;
	json_t		*body;

	if (len == 0) {
		http_refuse(why, 400, NULL, "the body is empty: send a JSON "
		    "object");
		return NULL;
	}
	/* jansson would take a NUL byte for the end of the text. */
	if (memchr(buf, '\0', len) != NULL) {
		http_refuse(why, 400, NULL, "the body contains a NUL byte");
		return NULL;
	}
	body = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL) {
		http_refuse(why, 400, NULL, "the body is not valid JSON: "
		    "%s (line %d, column %d)", jerr.text, jerr.line,
		    jerr.column);
		return NULL;
	}
	if (!json_is_object(body)) {
		json_decref(body);
		http_refuse(why, 400, NULL, "the body must be a JSON object");
		return NULL;
	}
	return body;
}

json_t *
http_body(struct request *r, int empty_ok)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->req);
	size_t		 len = evbuffer_get_length(in);
	struct refusal	 why;
	json_t		*body;
	const char	*type;

	if ((long)len > r->cfg->max_body) {
		http_reply_error(r, 413, NULL, "the body is larger than %ld "
		    "bytes", r->cfg->max_body);
		return NULL;
	}
	if (len == 0 && empty_ok)
		return json_object();
	type = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Content-Type");
	if (!is_json_type(type)) {
		http_reply_error(r, 415, NULL, "send the body as "
		    "Content-Type: application/json (in UTF-8)");
		return NULL;
	}
	body = http_body_decode((const char *)evbuffer_pullup(in, -1), len,
	    &why);
	if (body == NULL)
		http_reply_refusal(r, &why);
	return body;
}

/*
 * Matches path against pattern, storing the '*' segments in args (which
 * point into buf, a copy of the path split at '/').
 */
static int
route_match(const char *pattern, const char *path, const char **args,
    char *buf, size_t buflen)
{
	const char	*p = pattern;
	char		*s, *end;
	int		 nargs = 0;

	if (strlen(path) >= buflen)
		return 0;
	strcpy(buf, path);
	s = buf;
	while (*p != '\0' && *s != '\0') {
		if (*p == '*') {
			if (*s == '/' || nargs == HTTP_MAX_ARGS)
				return 0;
			if ((end = strchr(s, '/')) != NULL)
				*end = '\0';
			if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
				return 0;
			args[nargs++] = s;
			s = end == NULL ? s + strlen(s) : end + 1;
			p++;
			if (*p == '/')
				p++;
			else if (end != NULL)
				return 0;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

/*
 * The token of req's "Authorization: Bearer TOKEN", or NULL after
 * answering 401.
 */
static const char *
bearer(struct request *r)
{
	const char	*auth;

	auth = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Authorization");
	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0) {
		http_reply_code(r, 401, "token_required", NULL, NULL,
		    "a token is required (Authorization: Bearer TOKEN)");
		return NULL;
	}
	auth += 7;
	while (*auth == ' ')
		auth++;
	return auth;
}

/* Checks the bearer token.  Returns 0, or -1 after answering 401. */
static int
authenticate(struct request *r)
{
	const char	*auth;
	uint8_t		 hash[TOKEN_HASH_LEN];
	size_t		 len;

	if ((auth = bearer(r)) == NULL)
		return -1;
	len = strlen(auth);
	if (len == 0 || len > 256 || token_hash(auth, len, hash) == -1) {
		http_reply_code(r, 401, "bad_token", NULL, NULL,
		    "the token is not valid");
		return -1;
	}
	if (tokcache_find(hash, r->now, &r->who) == 0)
		return 0;
	switch (store_token_find(hash, &r->who)) {
	case STORE_OK:
		tokcache_put(hash, r->now, &r->who);
		return 0;
	case STORE_NOTFOUND:
		http_reply_code(r, 401, "bad_token", NULL, NULL,
		    "the token is unknown or revoked");
		return -1;
	default:
		http_reply_unavailable(r);
		return -1;
	}
}

/*
 * Checks the bearer token of /metrics against [server] metrics_token,
 * if there is one, in constant time (their SHA-256s are compared, so
 * that not even the length shows).  Returns 0, or -1 after answering 401.
 */
static int
authenticate_metrics(struct request *r)
{
	const char	*auth, *want = r->cfg->metrics_token;
	uint8_t		 got[TOKEN_HASH_LEN], wanted[TOKEN_HASH_LEN];

	if (*want == '\0')
		return 0;
	if ((auth = bearer(r)) == NULL)
		return -1;
	if (token_hash(auth, strlen(auth), got) == -1 ||
	    token_hash(want, strlen(want), wanted) == -1 ||
	    !token_hash_equal(got, wanted)) {
		http_reply_code(r, 401, "bad_token", NULL, NULL,
		    "the token is not valid");
		return -1;
	}
	return 0;
}

/* The method's name, for the log. */
static const char *
method_name(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET:	return "GET";
	case EVHTTP_REQ_POST:	return "POST";
	case EVHTTP_REQ_DELETE:	return "DELETE";
	case EVHTTP_REQ_PUT:	return "PUT";
	case EVHTTP_REQ_HEAD:	return "HEAD";
	case EVHTTP_REQ_PATCH:	return "PATCH";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	case EVHTTP_REQ_TRACE:	return "TRACE";
	case EVHTTP_REQ_CONNECT: return "CONNECT";
	default:		return "OTHER";
	}
}

/* Counts the answered request in the metrics. */
static void
http_count(size_t route, int status, double seconds)
{
	size_t	i;

	for (i = 0; i < NSTATUS - 1; i++)
		if (counted_status[i] == status)
			break;
	server.requests[route][i]++;
	for (i = 0; i < sizeof(latency_bounds) / sizeof(latency_bounds[0]);
	    i++)
		if (seconds <= latency_bounds[i])
			break;
	server.latency[i]++;
	server.latency_sum += seconds;
	server.latency_count++;
}

/* Counts and logs an answered request. */
static void
http_finish(size_t route, enum evhttp_cmd_type method, const char *path,
    int status, const struct timespec *t0, int64_t token_id)
{
	struct timespec	t1;
	double		secs;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
	http_count(route, status, secs);
	log_debug("%s %s %d %.1fms token=%" PRId64, method_name(method),
	    path, status, secs * 1000, token_id);
}

struct request *
http_keep(struct request *r)
{
	struct request	*k;

	k = xmalloc(sizeof(*k));
	*k = *r;
	TAILQ_INIT(&k->query);
	memset(k->args, 0, sizeof(k->args));
	k->path = xstrdup(r->path);
	k->commit_log = NULL;
	r->kept = 1;
	return k;
}

void
http_kept_done(struct request *k)
{
	if (k->status == 0)
		http_reply_error(k, 500, NULL, "internal error");
	/* An answer that waits for its commit is counted when it goes. */
	if (!k->waiting)
		http_finish(k->route, evhttp_request_get_command(k->req),
		    k->path, k->status, &k->t0, k->who.token_id);
	free((char *)k->path);
	free(k);
}

/*
 * Whether a route is served where the request came: metrics_listen
 * serves /metrics and /healthz alone, and then listen has no /metrics.
 */
static int
route_here(const struct route *rt, int monitor)
{
	if (monitor)
		return rt->handler == api_metrics || rt->handler == api_healthz;
	return rt->handler != api_metrics ||
	    *server.cfg->metrics_listen == '\0';
}

/*
 * Refuses a change asked by the token of a retired school: it reads its
 * own records still, and changes none.  Returns 0, or -1 answered.
 */
static int
school_retired(struct request *r)
{
	int	retired;

	if (r->who.role != ROLE_SCHOOL)
		return 0;
	if ((retired = store_school_retired(r->who.school_id)) == STORE_ERROR) {
		http_reply_unavailable(r);
		return -1;
	}
	if (retired) {
		http_reply_code(r, 409, "school_retired", "school", NULL,
		    "the school is retired: it reads its records and changes "
		    "none (the office brings it back with hazardctl school "
		    "retire --undo)");
		return -1;
	}
	return 0;
}

/*
 * Finds the route and calls its handler (the request is answered);
 * monitor if the request came to metrics_listen.
 */
static size_t
http_dispatch(struct request *r, enum evhttp_cmd_type method, int monitor)
{
	char	 buf[1024];
	size_t	 i;
	int	 path_known = 0;

	for (i = 0; i < NROUTES; i++) {
		if (!route_here(&routes[i], monitor) ||
		    !route_match(routes[i].pattern, r->path, r->args, buf,
		    sizeof(buf)))
			continue;
		path_known = 1;
		if (routes[i].method != method)
			continue;
		r->route = i;
		if (routes[i].commit == COMMIT_ALONE)
			db_alone();
		/* The '*' segments point into buf: match again in place. */
		if (routes[i].access == ACCESS_METRICS) {
			if (authenticate_metrics(r) == -1)
				return i;
		} else if (routes[i].access != ACCESS_PUBLIC &&
		    authenticate(r) == -1)
			return i;
		if (routes[i].access == ACCESS_OFFICE &&
		    r->who.role != ROLE_OFFICE) {
			http_reply_code(r, 403, "office_only", NULL, NULL,
			    "only the district safety office may do this");
			return i;
		}
		if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD &&
		    school_retired(r) == -1)
			return i;
		routes[i].handler(r);
		return i;
	}
	if (path_known)
		http_reply_error(r, 405, NULL, "%s is not allowed here",
		    method_name(method));
	else
		http_reply_error(r, 404, NULL, "no such resource");
	return NROUTES;
}

/*
 * The headers that are read as one value: of two, a proxy in front might
 * read one and evhttp the other.
 */
static const char *const single_headers[] = {
	"Host", "Content-Length", "Transfer-Encoding", "Content-Type",
	"Authorization", NULL
};

/* Returns 1 if s is a token (RFC 9110), as a header's name must be. */
static int
is_token(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("!#$%&'*+-.^_`|~", *s) == NULL)
			return 0;
	return 1;
}

/*
 * Counts in req's body what connguard_seen() counts, as it would: after
 * the line feed that ends the head.  The chunks are peeked all at once:
 * a peek from a position to the end walks every chunk after it, so one
 * a chunk made a photo of 10 MiB in 4 KiB chunks hold the loop for a
 * tenth of a second.
 */
static void
body_seen(struct evhttp_request *req, struct connguard_seen *seen)
{
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	struct evbuffer_iovec	*v;
	int			 i, n;

	memset(seen, 0, sizeof(*seen));
	seen->lf = 1;
	if ((n = evbuffer_peek(in, -1, NULL, NULL, 0)) <= 0)
		return;
	v = xcalloc((size_t)n, sizeof(*v));
	n = evbuffer_peek(in, -1, NULL, v, n);
	for (i = 0; i < n; i++)
		connguard_scan(seen, v[i].iov_base, v[i].iov_len);
	free(v);
}

/*
 * Finds what RFC 9112 refuses in a request's head that evhttp let
 * through: a header twice that is read once, a Content-Length that is
 * not digits alone (evhttp reads "+52" as 52), a transfer coding other
 * than chunked (evhttp would read the body by its Content-Length) or
 * beside a Content-Length, HTTP/1.1 without Host, a control character
 * in a value, a name that is no token, and what evhttp drops without
 * a word: a NUL byte in the head (it keeps a header's value up to it),
 * a folded header line (it joins it to the one before).  connguard.c
 * counts those in the bytes as they come, and what is not in the body
 * was in the head (but for a chunked body, whose framing evhttp keeps
 * to itself: a line of it could begin with a space).  Returns NULL, or
 * why in buf.
 */
static const char *
head_check(struct evhttp_request *req, char *buf, size_t len)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evkeyval		*kv;
	struct connguard_seen	 came, body;
	const unsigned char	*p;
	const char		*cl, *te;
	int			 i, n;

	connguard_seen(req, &came);
	body_seen(req, &body);
	if (came.nul > body.nul)
		return "the request's head holds a NUL byte";
	/* A chunked body's framing is not in the body: its folds are unseen. */
	te = evhttp_find_header(in, "Transfer-Encoding");
	if (te == NULL && came.folds > body.folds)
		return "a header line is folded (obs-fold)";
	TAILQ_FOREACH(kv, in, next) {
		if (!is_token(kv->key)) {
			snprintf(buf, len, "a header's name is not a token: "
			    "'%s'", kv->key);
			return buf;
		}
		for (p = (const unsigned char *)kv->value; *p != '\0'; p++) {
			if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
				snprintf(buf, len, "the %s header holds a "
				    "control character", kv->key);
				return buf;
			}
		}
	}
	for (i = 0; single_headers[i] != NULL; i++) {
		n = 0;
		TAILQ_FOREACH(kv, in, next)
			if (strcasecmp(kv->key, single_headers[i]) == 0)
				n++;
		if (n > 1) {
			snprintf(buf, len, "the %s header is given %d times",
			    single_headers[i], n);
			return buf;
		}
	}
	cl = evhttp_find_header(in, "Content-Length");
	if (cl != NULL && (*cl == '\0' || cl[strspn(cl, "0123456789")] !=
	    '\0'))
		return "Content-Length is not a number of bytes";
	if (te != NULL && strcasecmp(te, "chunked") != 0)
		return "the only transfer coding taken is chunked";
	if (te != NULL && cl != NULL)
		return "both Content-Length and Transfer-Encoding are given";
	if ((req->major > 1 || (req->major == 1 && req->minor >= 1)) &&
	    evhttp_find_header(in, "Host") == NULL)
		return "an HTTP/1.1 request must have a Host header";
	return NULL;
}

/*
 * Refuses a request whose head RFC 9112 refuses (head_check()), and
 * closes its connection: where its framing is in doubt, what follows on
 * it is too.  Returns 0, or -1 after answering 400.
 */
static int
http_check_head(struct request *r)
{
	const char	*why;
	char		 buf[256];

	if ((why = head_check(r->req, buf, sizeof(buf))) == NULL)
		return 0;
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Connection", "close");
	http_reply_error(r, 400, NULL, "%s", why);
	return -1;
}

/* evhttp's callback for every request; arg is non-NULL on metrics_listen. */
static void
http_request(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*uri = evhttp_request_get_evhttp_uri(req);
	enum evhttp_cmd_type	 method = evhttp_request_get_command(req);
	struct request		 r;
	const char		*q;
	size_t			 route;

	memset(&r, 0, sizeof(r));
	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	connguard_arrived(req);
	TAILQ_INIT(&r.query);
	r.route = NROUTES;
	r.req = req;
	r.cfg = server.cfg;
	r.now = time(NULL);
	date_local(r.today, sizeof(r.today), r.now);
	r.path = uri == NULL ? NULL : evhttp_uri_get_path(uri);
	if (r.path == NULL || *r.path == '\0')
		r.path = "/";
	q = uri == NULL ? NULL : evhttp_uri_get_query(uri);
	if (http_check_head(&r) == -1)
		route = NROUTES;
	/* A %00 would cut a value short without a word. */
	else if (q != NULL && (strstr(q, "%00") != NULL ||
	    evhttp_parse_query_str(q, &r.query) == -1)) {
		http_reply_error(&r, 400, NULL, "the query string is "
		    "malformed");
		route = NROUTES;
	} else
		route = http_dispatch(&r, method, arg != NULL);
	if (r.kept)
		r.waiting = 1;
	else if (r.status == 0) {
		log_warnx("%s %s: no answer", method_name(method), r.path);
		http_reply_error(&r, 500, NULL, "internal error");
	}
	/* An answer that waits for its commit is counted when it goes. */
	if (!r.waiting)
		http_finish(route, method, r.path, r.status, &r.t0,
		    r.who.token_id);
	/* The path only: a query may hold what the log must not. */
	looplag_end(&r.t0, "%s %s", method_name(method), r.path);
	free(r.commit_log);
	evhttp_clear_headers(&r.query);
}

/*
 * The second address, metrics_listen: its own evhttp, whose requests
 * go through http_request with a non-NULL arg.  Returns 0 or -1
 * (logged).
 */
static int
monitor_start(struct event_base *base, const struct config *cfg)
{
	static int	monitor = 1;

	if ((server.mhttp = evhttp_new(base)) == NULL) {
		log_warnx("evhttp_new failed");
		return -1;
	}
	evhttp_set_allowed_methods(server.mhttp, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_DELETE | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS |
	    EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT);
	evhttp_set_gencb(server.mhttp, http_request, &monitor);
	evhttp_set_bevcb(server.mhttp, connguard_bev, NULL);
	evhttp_set_timeout(server.mhttp, cfg->timeout);
	evhttp_set_max_headers_size(server.mhttp, 16384);
	/* Its routes take no body. */
	evhttp_set_max_body_size(server.mhttp, 1024);
	server.msock = evhttp_bind_socket_with_handle(server.mhttp,
	    cfg->metrics_host, (ev_uint16_t)cfg->metrics_port);
	if (server.msock == NULL) {
		log_warn("cannot listen on %s", cfg->metrics_listen);
		return -1;
	}
	log_info("serving /metrics and /healthz on %s", cfg->metrics_listen);
	connguard_listener(server.msock);
	return 0;
}

int
http_start(struct event_base *base, const struct config *cfg)
{
	server.cfg = cfg;
	if ((server.http = evhttp_new(base)) == NULL) {
		log_warnx("evhttp_new failed");
		return -1;
	}
	evhttp_set_allowed_methods(server.http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_POST | EVHTTP_REQ_DELETE | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS |
	    EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT);
	evhttp_set_gencb(server.http, http_request, NULL);
	if (connguard_start(base) == -1) {
		evhttp_free(server.http);
		server.http = NULL;
		return -1;
	}
	evhttp_set_bevcb(server.http, connguard_bev, NULL);
	http_set_config(cfg);
	evhttp_set_max_headers_size(server.http, 16384);
	server.sock = evhttp_bind_socket_with_handle(server.http,
	    cfg->listen_host, (ev_uint16_t)cfg->listen_port);
	if (server.sock == NULL) {
		log_warn("cannot listen on %s", cfg->listen);
		evhttp_free(server.http);
		server.http = NULL;
		return -1;
	}
	log_info("listening on %s", cfg->listen);
	connguard_listener(server.sock);
	return *cfg->metrics_listen == '\0' ? 0 : monitor_start(base, cfg);
}

void
http_set_config(const struct config *cfg)
{
	long	limit;

	server.cfg = cfg;
	evhttp_set_timeout(server.http, cfg->timeout);
	if (server.mhttp != NULL)
		evhttp_set_timeout(server.mhttp, cfg->timeout);
	connguard_set_timeout(cfg->timeout);
	/*
	 * evhttp refuses bodies past this with its own 413; those up to it
	 * are measured against max_body in http_body(), which answers in
	 * JSON, or against max_import by POST /v1/import and max_photo by
	 * a photo's.  libevent 2.1 has no way to set a limit per route
	 * before a body is read (2.2's evhttp_set_newreqcb would), so a
	 * photo over max_photo but within this limit is read, then
	 * refused; connguard's budget bounds what such bodies hold.
	 */
	limit = cfg->max_body * 4 + 65536;
	if (cfg->max_import + 65536 > limit)
		limit = cfg->max_import + 65536;
	if (cfg->max_photo + 65536 > limit)
		limit = cfg->max_photo + 65536;
	evhttp_set_max_body_size(server.http, limit);
	connguard_set_budget(2 * (size_t)limit);
	stream_set_budget((size_t)cfg->max_output);
}

int
http_rebind(const struct config *cfg)
{
	struct evhttp_bound_socket	*sock;

	/* The new socket first: if it fails, the old one goes on. */
	sock = evhttp_bind_socket_with_handle(server.http, cfg->listen_host,
	    (ev_uint16_t)cfg->listen_port);
	if (sock == NULL) {
		log_warn("cannot listen on %s", cfg->listen);
		return -1;
	}
	if (server.sock != NULL)
		evhttp_del_accept_socket(server.http, server.sock);
	server.sock = sock;
	log_info("listening on %s", cfg->listen);
	connguard_listener(server.sock);
	return 0;
}

void
http_stop_accepting(void)
{
	if (server.sock != NULL) {
		evhttp_del_accept_socket(server.http, server.sock);
		server.sock = NULL;
	}
	if (server.msock != NULL) {
		evhttp_del_accept_socket(server.mhttp, server.msock);
		server.msock = NULL;
	}
}

void
http_free(void)
{
	if (server.http != NULL)
		evhttp_free(server.http);
	if (server.mhttp != NULL)
		evhttp_free(server.mhttp);
	connguard_stop();
	server.http = NULL;
	server.sock = NULL;
	server.mhttp = NULL;
	server.msock = NULL;
}

void
http_metrics(struct evbuffer *out)
{
	size_t		i, j;
	uint64_t	cum = 0;
	char		status[16];

	evbuffer_add_printf(out,
	    "# HELP hazardd_http_requests_total HTTP requests answered.\n"
	    "# TYPE hazardd_http_requests_total counter\n");
	for (i = 0; i <= NROUTES; i++) {
		for (j = 0; j < NSTATUS; j++) {
			if (server.requests[i][j] == 0)
				continue;
			if (j < NSTATUS - 1)
				snprintf(status, sizeof(status), "%d",
				    counted_status[j]);
			else
				snprintf(status, sizeof(status), "other");
			evbuffer_add_printf(out, "hazardd_http_requests_total"
			    "{route=\"%s%s%s\",status=\"%s\"} %" PRIu64 "\n",
			    i < NROUTES ? method_name(routes[i].method) :
			    "none", i < NROUTES ? " " : "",
			    i < NROUTES ? routes[i].pattern : "",
			    status, server.requests[i][j]);
		}
	}
	evbuffer_add_printf(out,
	    "# HELP hazardd_http_request_duration_seconds Time to answer.\n"
	    "# TYPE hazardd_http_request_duration_seconds histogram\n");
	for (i = 0; i < sizeof(latency_bounds) / sizeof(latency_bounds[0]);
	    i++) {
		cum += server.latency[i];
		evbuffer_add_printf(out,
		    "hazardd_http_request_duration_seconds_bucket"
		    "{le=\"%g\"} %" PRIu64 "\n", latency_bounds[i], cum);
	}
	evbuffer_add_printf(out,
	    "hazardd_http_request_duration_seconds_bucket{le=\"+Inf\"} %"
	    PRIu64 "\n"
	    "hazardd_http_request_duration_seconds_sum %.6f\n"
	    "hazardd_http_request_duration_seconds_count %" PRIu64 "\n",
	    server.latency_count, server.latency_sum, server.latency_count);
}
