/*
 * Talking to hazardd on behalf of a command: retries, the answer, and
 * the one-line message when there is none or it is a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "date.h"
#include "hazardctl.h"
#include "rate.h"
#include "safetext.h"

/* Milliseconds before the first retry; doubled before each next one. */
#define BACKOFF_MS	500
/* The longest Retry-After honoured, in seconds. */
#define RETRY_AFTER_MAX	10

/* What to add to a refusal of this status, or NULL. */
static const struct {
	long		 status;
	const char	*hint;
} hints[] = {
	{ 401, "check --token or $HAZARD_TOKEN" },
	{ 403, "this needs an office token" },
	{ 413, "the request is larger than the server's max_body" },
	{ 503, "the server's database is unavailable; try again later" },
};

void
ctl_put_line(FILE *fp, const char *s)
{
	char	*safe = safetext_plain(s);

	fputs(safe, fp);
	free(safe);
}

void
ctl_put_lines(FILE *fp, const char *s)
{
	char	*safe = safetext_lines(s);

	fputs(safe, fp);
	free(safe);
}

/*
 * Sleeps before retry number n (from 1): as long as the server's
 * Retry-After asks (RETRY_AFTER_MAX at most), or the backoff if that
 * is longer, so that clients refused together do not all come back
 * together.  Returns the milliseconds slept.
 */
static long
backoff(int n, const struct conn_reply *reply)
{
	struct timespec	ts;
	long		ms = (long)BACKOFF_MS << (n - 1), after;

	after = reply->retry_after > RETRY_AFTER_MAX ? RETRY_AFTER_MAX :
	    reply->retry_after;
	if (after * 1000 > ms)
		ms = after * 1000;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return ms;
}

/*
 * Whether an answer calls for another try: a refusal for now (503) for
 * any request; no answer or another 5xx only for one that an
 * idempotency key makes safe to send again (the first may have been
 * done).
 */
static int
retryable(int rc, const struct conn_reply *reply, int keyed)
{
	if (rc == 0 && reply->status == 503)
		return 1;
	return keyed && (rc == -1 || reply->status >= 500);
}

/* Ends an error's line, with the tries when there were several. */
static void
end_line(const struct conn_reply *reply)
{
	if (reply->tries > 1)
		fprintf(stderr, _("; gave up after %d tries in %ld s"),
		    reply->tries, (reply->waited + 500) / 1000);
	fputc('\n', stderr);
}

/* Says that the server did not answer. */
static int
no_answer(const struct ctl *ctl, const struct conn_reply *reply)
{
	fprintf(stderr, "hazardctl: no answer from %s (", ctl->server);
	ctl_put_line(stderr, reply->error);
	fputs("); check --server or $HAZARD_SERVER and that hazardd runs",
	    stderr);
	end_line(reply);
	return EXIT_NOANSWER;
}

/* Says why the server refused, from its JSON error if it sent one. */
static int
refused(const struct ctl *ctl, const struct conn_reply *reply)
{
	const json_t	*err = json_object_get(reply->json, "error");
	const char	*msg, *code, *field, *hint = NULL;
	size_t		 i;

	if ((msg = ctl_str(err, "message")) == NULL) {
		fprintf(stderr, "hazardctl: %s answered HTTP %ld without "
		    "an error message; check --server or $HAZARD_SERVER",
		    ctl->server, reply->status);
		end_line(reply);
		return EXIT_REFUSED;
	}
	code = ctl_str(err, "code");
	field = ctl_str(err, "field");
	fputs("hazardctl: ", stderr);
	if (reply->status == 422 && field != NULL &&
	    strstr(msg, field) == NULL) {
		ctl_put_line(stderr, field);
		fputs(": ", stderr);
	}
	ctl_put_line(stderr, msg);
	fprintf(stderr, " (HTTP %ld", reply->status);
	if (code != NULL) {
		fputc(' ', stderr);
		ctl_put_line(stderr, code);
	}
	fputc(')', stderr);
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (hints[i].status == reply->status)
			hint = hints[i].hint;
	if (reply->status == 401 && ctl->token == NULL)
		hint = "no token: give --token, set $HAZARD_TOKEN or "
		    "\"token =\" in the config file";
	if (hint != NULL)
		fprintf(stderr, "; %s", hint);
	end_line(reply);
	return EXIT_REFUSED;
}

/* Sends req, retrying as asked, and takes a 2xx answer. */
int
ctl_request(struct ctl *ctl, const struct conn_req *req, int tries,
    json_t **out)
{
	struct conn_reply	reply;
	long			ms = 0;
	int			n, rc;

	*out = NULL;
	for (n = 1;; n++) {
		rc = conn_request(ctl->conn, req, &reply);
		if (n >= tries || !retryable(rc, &reply, req->key != NULL))
			break;
		json_decref(reply.json);
		ms += backoff(n, &reply);
	}
	reply.tries = n;
	reply.waited = ms;
	return ctl_answer(ctl, rc, &reply, out);
}

/* Sends x, retrying a download as asked after a 503. */
int
ctl_transfer(struct ctl *ctl, const struct conn_xfer *x, int tries,
    struct conn_reply *reply)
{
	long	ms = 0;
	int	n, rc;

	for (n = 1;; n++) {
		rc = conn_transfer(ctl->conn, x, reply);
		/* An upload is read as it goes: it cannot be sent again. */
		if (n >= tries || x->upload != NULL ||
		    !retryable(rc, reply, 0))
			break;
		json_decref(reply->json);
		ms += backoff(n, reply);
	}
	reply->tries = n;
	reply->waited = ms;
	return rc;
}

/* Takes the answer of a request: its JSON object, or the reason. */
int
ctl_answer(struct ctl *ctl, int rc, struct conn_reply *reply, json_t **out)
{
	*out = NULL;
	if (rc == -1)
		return no_answer(ctl, reply);
	if (reply->status >= 200 && reply->status < 300) {
		if (json_is_object(reply->json)) {
			*out = reply->json;
			reply->json = NULL;
			return 0;
		}
		fprintf(stderr, "hazardctl: %s answered HTTP %ld, but not "
		    "in JSON; check --server or $HAZARD_SERVER\n",
		    ctl->server, reply->status);
		rc = EXIT_NOANSWER;
	} else
		rc = refused(ctl, reply);
	json_decref(reply->json);
	reply->json = NULL;
	return rc;
}

/*
 * Prints json indented, with UTF-8 as it is.  Reals get 15 digits, so
 * 98.8 stays 98.8 and does not become 98.799999999999997.
 */
int
ctl_print_json(const json_t *json)
{
	char	*text, *safe;

	if ((text = json_dumps(json, JSON_INDENT(2) |
	    JSON_REAL_PRECISION(15))) == NULL)
		return 0;
	safe = safetext_json(text);
	puts(safe);
	free(safe);
	free(text);
	return 0;
}

/* Says that the answer lacked something. */
int
ctl_unexpected(const struct ctl *ctl, const char *what)
{
	fprintf(stderr, "hazardctl: unexpected answer from %s: %s\n",
	    ctl->server, what);
	return EXIT_REFUSED;
}

/* The string member key of obj, or NULL. */
const char *
ctl_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A JSON value as text for a human. */
const char *
ctl_text(const json_t *v, char *buf, size_t len)
{
	char	*dump;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(buf, len, "%.15g", json_real_value(v));
		break;
	case JSON_TRUE:
		snprintf(buf, len, "yes");
		break;
	case JSON_FALSE:
		snprintf(buf, len, "no");
		break;
	case JSON_OBJECT:
	case JSON_ARRAY:
		dump = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
		snprintf(buf, len, "%s", dump != NULL ? dump : "?");
		free(dump);
		break;
	default:
		snprintf(buf, len, "-");
		break;
	}
	return buf;
}

/* An RFC 3339 instant as "YYYY-MM-DD HH:MM", in the offset it carries. */
const char *
ctl_time(const char *s, char *buf, size_t len)
{
	time_t	t;

	if (s == NULL)
		return "-";
	if (date_parse_rfc3339(s, &t) == -1 || strlen(s) < 16)
		return s;
	snprintf(buf, len, "%.10s %.5s", s, s + 11);
	return buf;
}

/* A rate object as "411/416 (98.8%)": its text, or from its two counts. */
const char *
ctl_rate(const json_t *rate, char *buf, size_t len)
{
	const json_t	*r = json_object_get(rate, "rectified");
	const json_t	*n = json_object_get(rate, "identified");

	if (ctl_str(rate, "text") != NULL)
		return ctl_str(rate, "text");
	if (!json_is_integer(r) || !json_is_integer(n) ||
	    json_integer_value(r) < 0 || json_integer_value(n) < 0)
		return "-";
	return rate_format(buf, len, (uint64_t)json_integer_value(r),
	    (uint64_t)json_integer_value(n));
}
