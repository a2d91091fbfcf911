/*
 * Talking to hazardd on behalf of a command: retries, the answer, and
 * the one-line message when there is none or it is a refusal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "conn.h"
#include "date.h"
#include "hazardctl.h"
#include "rate.h"
#include "safetext.h"
#include "table.h"
#include "wire.h"

/* Milliseconds before the first retry; doubled before each next one. */
#define BACKOFF_MS	500
/* The longest Retry-After honoured, in seconds. */
#define RETRY_AFTER_MAX	10

/*
 * What to add to a refusal of this status (and code, and field, where
 * not NULL).
 */
static const struct {
	long		 status;
	const char	*code;
	const char	*field;
	const char	*hint;
} hints[] = {
	{ 401, NULL, NULL, N_("check --token or $HAZARD_TOKEN") },
	{ 403, NULL, NULL, N_("this needs an office token") },
	{ 413, "too_large", NULL,
	    N_("the request is larger than the server's max_body") },
	/* The office reports, warns and records for a school it names. */
	{ 422, "missing_field", "school",
	    N_("give the school's code with --school CODE") },
	{ 503, "unavailable", NULL,
	    N_("the server's database is unavailable; try again later") },
};

/* What a refusal's text names: nothing, or one %s for each. */
enum says {
	SAYS_NOTHING,
	SAYS_VALUE,	/* the value refused, or the id of the path */
	SAYS_FIELD,	/* the field refused */
	SAYS_BOTH,	/* the field, then the value given for it */
	SAYS_RANGE,	/* the value, then the refusal's "from" and "to" */
};

/*
 * The codes of the server's errors (docs/API.md), each said in the
 * user's language: with what it names, and without when hazardctl does
 * not know it.  Another code is said with the server's own message.
 */
static const struct {
	const char	*code;
	enum says	 says;
	const char	*text;		/* with the %s of says */
	const char	*alone;		/* without */
} codes[] = {
	{ "unknown_school", SAYS_VALUE, N_("no school has the code %s"),
	    N_("no school has that code") },
	{ "no_such_school", SAYS_VALUE, N_("no school has the code %s"),
	    N_("no school has that code") },
	{ "no_such_hazard", SAYS_VALUE, N_("there is no hazard %s"),
	    N_("there is no such hazard") },
	{ "no_such_warning", SAYS_VALUE, N_("there is no warning %s"),
	    N_("there is no such warning") },
	{ "no_such_token", SAYS_VALUE, N_("there is no token %s"),
	    N_("there is no such token") },
	{ "no_such_photo", SAYS_VALUE, N_("there is no photo %s"),
	    N_("there is no such photo") },
	{ "not_an_image", SAYS_NOTHING, NULL,
	    N_("the file is not a JPEG, PNG or WebP image") },
	{ "photo_truncated", SAYS_NOTHING, NULL,
	    N_("the image is cut short: send the whole file") },
	{ "photo_malformed", SAYS_NOTHING, NULL,
	    N_("the image is damaged: its structure is broken") },
	{ "photo_type_mismatch", SAYS_VALUE, N_("the image is in fact %s, "
	    "not the type it was sent as"),
	    N_("the image is not of the type it was sent as") },
	{ "photo_too_large", SAYS_NOTHING, NULL,
	    N_("the photo is larger than the server takes (max_photo); send "
	    "a smaller one") },
	{ "too_many_photos", SAYS_NOTHING, NULL,
	    N_("the hazard has as many photos as it may have "
	    "(max_photos_per_hazard)") },
	{ "photo_required", SAYS_NOTHING, NULL,
	    N_("a rectification needs an \"after\" photo of what was done: "
	    "give --photo FILE") },
	{ "no_such_digest", SAYS_NOTHING, NULL,
	    N_("there is no such digest") },
	{ "no_such_cycle", SAYS_NOTHING, NULL,
	    N_("there is no such cycle: daily, weekly or monthly") },
	{ "no_such_action", SAYS_NOTHING, NULL,
	    N_("the server has no such action on a hazard") },
	{ "no_such_import", SAYS_NOTHING, NULL,
	    N_("there is no such import: the server keeps the last ones "
	    "until it stops") },
	{ "import_busy", SAYS_NOTHING, NULL,
	    N_("the server has as many imports as it takes under way; try "
	    "again later") },
	{ "nothing_to_change", SAYS_NOTHING, NULL,
	    N_("nothing to change: give at least one thing to change") },
	{ "period_not_begun", SAYS_VALUE, N_("the period %s has not begun"),
	    N_("the period has not begun") },
	{ "until_before_since", SAYS_NOTHING, NULL,
	    N_("the last date is before the first (--until before --since)") },
	{ "key_mismatch", SAYS_NOTHING, NULL,
	    N_("the Idempotency-Key header and the key sent differ") },
	{ "key_reused", SAYS_NOTHING, NULL,
	    N_("the idempotency key was sent before with another action or "
	    "photo") },
	/* The problems of an import's rows, said after "row N: ". */
	{ "unnamed_column", SAYS_VALUE, N_("column %s has no name"),
	    N_("a column has no name") },
	{ "column_twice", SAYS_FIELD, N_("the column %s is named twice"),
	    N_("a column is named twice") },
	{ "unknown_column", SAYS_VALUE, N_("no column is named \"%s\""),
	    N_("a column's name is unknown") },
	{ "column_required", SAYS_FIELD, N_("the column %s is required"),
	    N_("a required column is missing") },
	{ "field_count", SAYS_VALUE, N_("%s fields, not as many as the "
	    "header's columns"),
	    N_("not as many fields as the header's columns") },
	{ "invalid_date", SAYS_BOTH, N_("%s \"%s\" is not a valid date"),
	    N_("a date is not valid") },
	{ "in_future", SAYS_BOTH, N_("%s \"%s\" is in the future"),
	    N_("a time is in the future") },
	{ "before_report", SAYS_BOTH, N_("%s \"%s\" is before the time of "
	    "the report"), N_("a time is before the time of the report") },
	{ "after_close", SAYS_BOTH, N_("%s \"%s\" is after the closing "
	    "time"), N_("a time is after the closing time") },
	{ "only_closed", SAYS_FIELD, N_("only a closed hazard has %s"),
	    N_("only a closed hazard has a closing time") },
	{ "not_utf8", SAYS_FIELD, N_("%s is not valid UTF-8 text"),
	    N_("a value is not valid UTF-8 text") },
	{ "too_long", SAYS_FIELD, N_("%s is too long"),
	    N_("a value is too long") },
	{ "empty", SAYS_FIELD, N_("%s must not be empty"),
	    N_("a value must not be empty") },
	{ "note_without_rectification", SAYS_FIELD, N_("only a hazard "
	    "rectified (with its time of rectification) has %s"),
	    N_("only a hazard rectified has a rectification note") },
	{ "note_without_rejection", SAYS_FIELD, N_("only an open hazard "
	    "rectified before (with its time of rectification) has %s"),
	    N_("only an open hazard rectified before has a rejection note") },
	{ "closed_major_needs", SAYS_FIELD, N_("a closed major hazard needs "
	    "%s"), N_("a closed major hazard needs its plan and assessment") },
	{ "duplicate_key", SAYS_VALUE, N_("the same key as row %s, for the "
	    "same school"), N_("the same key as another row, for the same "
	    "school") },
	{ "file_not_utf8", SAYS_NOTHING, NULL,
	    N_("the file is not UTF-8 text") },
	{ "empty_file", SAYS_NOTHING, NULL,
	    N_("the file is empty: its first row names the columns") },
	{ "not_csv", SAYS_NOTHING, NULL,
	    N_("the file is not valid CSV here (a quote, a field too many)") },
	{ "unknown_category", SAYS_VALUE, N_("there is no category %s; "
	    "hazardctl categories lists them"),
	    N_("there is no such category; hazardctl categories lists them") },
	{ "unknown_activity_type", SAYS_VALUE, N_("there is no activity type "
	    "%s; the types are drill, lesson, agreement, inspection, training "
	    "and warning"),
	    N_("there is no such activity type; the types are drill, lesson, "
	    "agreement, inspection, training and warning") },
	{ "unknown_activity_subtype", SAYS_VALUE, N_("there is no drill "
	    "subtype %s (only a drill has one): fire, earthquake, antiterror, "
	    "drowning, flood, traffic, stampede or other"),
	    N_("there is no such drill subtype (only a drill has one): fire, "
	    "earthquake, antiterror, drowning, flood, traffic, stampede or "
	    "other") },
	{ "bad_count", SAYS_VALUE, N_("the count %s is not valid: a whole "
	    "number from 1"),
	    N_("the count must be a whole number from 1") },
	{ "date_future", SAYS_VALUE, N_("the date %s is in the future: "
	    "record an activity once it has taken place"),
	    N_("the date is in the future: record an activity once it has "
	    "taken place") },
	{ "school_retired", SAYS_NOTHING, NULL,
	    N_("the school is retired: it reads its records and changes "
	    "none; the office brings it back with hazardctl school retire "
	    "--undo") },
	{ "deadline_past", SAYS_VALUE, N_("the deadline %s is already past; "
	    "the office records a historic hazard with --allow-past"),
	    N_("the deadline is already past; the office records a historic "
	    "hazard with --allow-past") },
	{ "deadline_required", SAYS_NOTHING, NULL,
	    N_("a major hazard needs its own deadline (--deadline)") },
	{ "school_exists", SAYS_VALUE, N_("school %s exists already"),
	    N_("the school exists already") },
	{ "missing_field", SAYS_FIELD, N_("%s is required"),
	    N_("a required field is missing") },
	{ "unknown_field", SAYS_FIELD, N_("the server does not take %s here"),
	    N_("the server does not take a field sent") },
	{ "invalid_field", SAYS_BOTH, N_("%s: '%s' is not valid"),
	    N_("a value sent is not valid") },
	{ "plan_required", SAYS_FIELD, N_("a major hazard is closed only with "
	    "its %s on record; assess it first"),
	    N_("a major hazard is closed only with its rectification plan "
	    "and risk assessment on record; assess it first") },
	{ "bad_head", SAYS_VALUE, N_("'%s' is not a head of the audit "
	    "chain: ID:HEX, as a digest prints it"),
	    N_("the head is not ID:HEX, as a digest prints it") },
	{ "office_only", SAYS_NOTHING, NULL,
	    N_("only the district safety office may do this") },
	{ "school_only", SAYS_NOTHING, NULL,
	    N_("only a school does this, with its own token") },
	{ "forbidden", SAYS_NOTHING, NULL,
	    N_("this token may not do this") },
	{ "token_required", SAYS_NOTHING, NULL, N_("a token is required") },
	{ "bad_token", SAYS_NOTHING, NULL,
	    N_("the token is unknown, revoked or not valid") },
	{ "unauthorized", SAYS_NOTHING, NULL, N_("the token is not valid") },
	{ "malformed", SAYS_NOTHING, NULL,
	    N_("the server cannot read the request") },
	{ "not_found", SAYS_NOTHING, NULL,
	    N_("the server has no such resource") },
	{ "method_not_allowed", SAYS_NOTHING, NULL,
	    N_("the server does not allow this request here") },
	{ "conflict", SAYS_NOTHING, NULL,
	    N_("the request conflicts with what the server holds") },
	{ "unsupported_media_type", SAYS_NOTHING, NULL,
	    N_("the server does not take the request in this form") },
	{ "too_large", SAYS_NOTHING, NULL, N_("the request is too large") },
	{ "unavailable", SAYS_NOTHING, NULL,
	    N_("the server cannot do it now") },
	{ "as_of_range", SAYS_RANGE, N_("%s is outside the records: from "
	    "%s (the first event) to %s (now)"),
	    N_("that time is outside the records: before their first event "
	    "or in the future") },
	{ "internal", SAYS_NOTHING, NULL,
	    N_("the server failed on an internal error") },
};

/*
 * The names of the fields of the API for people, as the server's errors
 * name them in "field".
 */
static const struct {
	const char	*field;
	const char	*name;
} fields[] = {
	{ "title", N_("the title") },
	{ "category", N_("the category") },
	{ "kind", N_("the kind") },
	{ "grade", N_("the grade") },
	{ "state", N_("the state") },
	{ "location", N_("the location") },
	{ "description", N_("the description") },
	{ "deadline", N_("the deadline") },
	{ "responsible", N_("the person responsible") },
	{ "department", N_("the department") },
	{ "school", N_("the school") },
	{ "schools", N_("the schools") },
	{ "plan", N_("the rectification plan") },
	{ "assessment", N_("the risk assessment") },
	{ "funds", N_("the funds") },
	{ "contingency", N_("the contingency arrangements") },
	{ "note", N_("the note") },
	{ "reason", N_("the reason") },
	{ "key", N_("the idempotency key") },
	{ "since", N_("the first date") },
	{ "until", N_("the last date") },
	{ "at", N_("the time") },
	{ "as_of", N_("the time") },
	{ "year", N_("the year") },
	{ "period", N_("the period") },
	{ "limit", N_("the page size") },
	{ "name", N_("the name") },
	{ "code", N_("the code") },
	{ "role", N_("the role") },
	{ "url", N_("the robot's URL") },
	{ "format", N_("the format") },
	{ "body", N_("the body") },
	{ "by", N_("the grouping") },
	{ "overdue", N_("overdue") },
	{ "type", N_("the type") },
	{ "subtype", N_("the subtype") },
	{ "date", N_("the date") },
	{ "count", N_("the count") },
	{ "from", N_("the first date") },
	{ "to", N_("the last date") },
	{ "reported_at", N_("the time of the report") },
	{ "rectified_at", N_("the time of rectification") },
	{ "rectify_note", N_("the rectification note") },
	{ "reject_note", N_("the rejection note") },
	{ "closed_at", N_("the closing time") },
	{ "head", N_("the chain's head") },
};

/* The field's name for people, in their language. */
static const char *
field_name(const char *field)
{
	size_t	i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].field, field) == 0)
			return _(fields[i].name);
	return field;
}

/*
 * The value req sent for field, or the id its path names
 * (/v1/hazards/12/rectify: "12"), into buf; NULL if neither.
 */
static const char *
sent_value(const struct conn_req *req, const char *field, char *buf,
    size_t len)
{
	const char	*v = NULL, *p;
	size_t		 n;

	if (req == NULL)
		return NULL;
	if (field != NULL &&
	    (v = ctl_str(req->body, field)) == NULL)
		v = ctl_str(req->query, field);
	if (v != NULL)
		return v;
	/* The third part of /v1/NOUN/ID... */
	if ((p = strchr(req->path + 1, '/')) == NULL ||
	    (p = strchr(p + 1, '/')) == NULL)
		return NULL;
	n = strcspn(++p, "/?");
	if (n == 0)
		return NULL;
	snprintf(buf, len, "%.*s", (int)n, p);
	return buf;
}

/*
 * The formats of the texts are in the table above, each with the %s of
 * its says; msgfmt --check holds each translation to its format.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/*
 * Prints on fp the text of a refusal's code in the user's language.  Returns
 * 0, or -1 if it has no text of its own there: a code hazardctl does
 * not know, or no translation (the server's message says it better in
 * English).
 */
static int
say_code(FILE *fp, const json_t *err, const struct conn_req *req)
{
	const char	*code = ctl_str(err, "code");
	const char	*field = ctl_str(err, "field");
	const char	*value, *text, *state;
	char		 buf[128], action[64];
	size_t		 i;

	if (code == NULL)
		return -1;
	if (strcmp(code, "illegal_transition") == 0) {
		state = ctl_str(err, "state");
		value = sent_value(req, NULL, buf, sizeof(buf));
		text = N_("hazard %s is %s: it cannot be %s now");
		if (_(text) == text || state == NULL || value == NULL ||
		    req == NULL || strrchr(req->path, '/') == NULL)
			return -1;
		snprintf(action, sizeof(action), "%s",
		    strrchr(req->path, '/') + 1);
		fprintf(fp, _(text), value, ctl_word(state),
		    ctl_word(action));
		return 0;
	}
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].code, code) == 0)
			break;
	if (i == sizeof(codes) / sizeof(codes[0]) ||
	    _(codes[i].alone) == codes[i].alone)
		return -1;
	if ((value = ctl_str(err, "value")) == NULL)
		value = sent_value(req, field, buf, sizeof(buf));
	switch (codes[i].says) {
	case SAYS_VALUE:
		if (value == NULL)
			break;
		fprintf(fp, _(codes[i].text), value);
		return 0;
	case SAYS_FIELD:
		if (field == NULL)
			break;
		fprintf(fp, _(codes[i].text), field_name(field));
		return 0;
	case SAYS_BOTH:
		if (field == NULL || value == NULL)
			break;
		fprintf(fp, _(codes[i].text), field_name(field), value);
		return 0;
	case SAYS_RANGE:
		if (value == NULL || ctl_str(err, "from") == NULL ||
		    ctl_str(err, "to") == NULL)
			break;
		fprintf(stderr, _(codes[i].text), value, ctl_str(err, "from"),
		    ctl_str(err, "to"));
		return 0;
	case SAYS_NOTHING:
		break;
	}
	fputs(_(codes[i].alone), fp);
	return 0;
}

#pragma GCC diagnostic pop

int
ctl_say_code(FILE *fp, const json_t *err)
{
	return say_code(fp, err, NULL);
}

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
	fprintf(stderr, _("hazardctl: no answer from %s ("), ctl->server);
	ctl_put_line(stderr, reply->error);
	fputs(_("); check --server or $HAZARD_SERVER and that hazardd "
	    "runs"), stderr);
	end_line(reply);
	return EXIT_NOANSWER;
}

static const json_t *category_list(struct ctl *);

/* Whether the ASCII word w is in s, without regard to case. */
static int
has_word(const char *s, const char *w)
{
	return s != NULL && strlen(w) >= 3 && strcasestr(s, w) != NULL;
}

/*
 * The categories near what was given for one, as a hint into buf: those
 * whose Chinese name holds it or is held by it (建筑: 校舍建筑), or whose
 * code or English name holds it.  NULL if none is, or more than three.
 */
static const char *
near_categories(struct ctl *ctl, const char *given, char *buf, size_t len)
{
	const json_t	*c;
	const char	*zh, *name, *code;
	char		 list[256] = "";
	size_t		 i, n = 0, at = 0;
	int		 chinese = ctl_reads_chinese();

	if (given == NULL || *given == '\0')
		return NULL;
	json_array_foreach(category_list(ctl), i, c) {
		if ((code = ctl_str(c, "code")) == NULL ||
		    (zh = ctl_str(c, "zh")) == NULL)
			continue;
		if (strstr(zh, given) == NULL && strstr(given, zh) == NULL &&
		    !has_word(code, given) && !has_word(ctl_str(c, "en"), given))
			continue;
		if (++n > 3)
			return NULL;
		name = chinese ? zh : ctl_str(c, "en");
		at += snprintf(list + at, at < sizeof(list) ? sizeof(list) - at :
		    0, "%s%s (%s)", n > 1 ? _(", ") : "", name ? name : code,
		    code);
	}
	if (n == 0 || at >= sizeof(list))
		return NULL;
	snprintf(buf, len, _("did you mean %s?"), list);
	return buf;
}

/*
 * Says why the server refused, from its JSON error if it sent one: the
 * text of its code in the user's language, else its message.
 */
static int
refused(struct ctl *ctl, const struct conn_req *req,
    const struct conn_reply *reply)
{
	const json_t	*err = json_object_get(reply->json, "error");
	const char	*msg, *code, *field, *hint = NULL;
	char		 near[320], buf[128];
	size_t		 i;

	if ((msg = ctl_str(err, "message")) == NULL) {
		fprintf(stderr, _("hazardctl: %s answered HTTP %ld without "
		    "an error message; check --server or $HAZARD_SERVER"),
		    ctl->server, reply->status);
		end_line(reply);
		return EXIT_REFUSED;
	}
	code = ctl_str(err, "code");
	field = ctl_str(err, "field");
	fputs(_("hazardctl: "), stderr);
	if (say_code(stderr, err, req) == -1) {
		if (reply->status == 422 && field != NULL &&
		    strstr(msg, field) == NULL) {
			ctl_put_line(stderr, field);
			fputs(": ", stderr);
		}
		ctl_put_line(stderr, msg);
	}
	fprintf(stderr, " (HTTP %ld", reply->status);
	if (code != NULL) {
		fputc(' ', stderr);
		ctl_put_line(stderr, code);
	}
	fputc(')', stderr);
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (hints[i].status == reply->status &&
		    (hints[i].code == NULL || code == NULL ||
		    strcmp(hints[i].code, code) == 0) &&
		    (hints[i].field == NULL || (field != NULL &&
		    strcmp(hints[i].field, field) == 0)))
			hint = _(hints[i].hint);
	if (reply->status == 401 && ctl->token == NULL)
		hint = _("no token: give --token, set $HAZARD_TOKEN or "
		    "\"token =\" in the config file");
	if (code != NULL && strcmp(code, "unknown_category") == 0 &&
	    near_categories(ctl, sent_value(req, "category", buf,
	    sizeof(buf)), near, sizeof(near)) != NULL)
		hint = near;
	if (hint != NULL)
		fprintf(stderr, _("; %s"), hint);
	end_line(reply);
	return EXIT_REFUSED;
}

/* Takes the answer of req, or of a transfer (req NULL). */
static int
answer(struct ctl *ctl, const struct conn_req *req, int rc,
    struct conn_reply *reply, json_t **out)
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
		fprintf(stderr, _("hazardctl: %s answered HTTP %ld, but not "
		    "in JSON; check --server or $HAZARD_SERVER\n"),
		    ctl->server, reply->status);
		rc = EXIT_NOANSWER;
	} else
		rc = refused(ctl, req, reply);
	json_decref(reply->json);
	reply->json = NULL;
	return rc;
}

/* Sends req, retrying as asked: the last answer, or none. */
int
ctl_send(struct ctl *ctl, const struct conn_req *req, int tries,
    struct conn_reply *reply)
{
	long	ms = 0;
	int	n, rc;

	for (n = 1;; n++) {
		rc = conn_request(ctl->conn, req, reply);
		if (n >= tries || !retryable(rc, reply, req->key != NULL))
			break;
		json_decref(reply->json);
		ms += backoff(n, reply);
	}
	reply->tries = n;
	reply->waited = ms;
	return rc;
}

/* Sends req, retrying as asked, and takes a 2xx answer. */
int
ctl_request(struct ctl *ctl, const struct conn_req *req, int tries,
    json_t **out)
{
	struct conn_reply	reply;
	int			rc;

	rc = ctl_send(ctl, req, tries, &reply);
	return answer(ctl, req, rc, &reply, out);
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
	return answer(ctl, NULL, rc, reply, out);
}

/* Takes the answer of req, as ctl_request() does. */
int
ctl_answer_req(struct ctl *ctl, const struct conn_req *req, int rc,
    struct conn_reply *reply, json_t **out)
{
	return answer(ctl, req, rc, reply, out);
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
	fprintf(stderr, _("hazardctl: unexpected answer from %s: %s\n"),
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
		snprintf(buf, len, "%s", _("yes"));
		break;
	case JSON_FALSE:
		snprintf(buf, len, "%s", _("no"));
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

/* A word of the wire as people name it in their language. */
const char *
ctl_word(const char *word)
{
	return word == NULL ? NULL : _(wire_label(word));
}

int
ctl_reads_chinese(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	/* As gettext finds the locale of messages. */
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			return strncmp(v, "zh", 2) == 0;
	return 0;
}

const char *
ctl_category(struct ctl *ctl, const char *code)
{
	return ctl_category_in(ctl, code, ctl_reads_chinese());
}

/*
 * The server's categories, asked once a run: an empty list if it cannot
 * tell.
 */
static const json_t *
category_list(struct ctl *ctl)
{
	struct conn_req		 req = { .method = "GET",
				    .path = "/v1/categories" };
	struct conn_reply	 reply;

	if (ctl->categories != NULL)
		return ctl->categories;
	if (conn_request(ctl->conn, &req, &reply) == 0 &&
	    reply.status == 200 && json_is_array(json_object_get(reply.json,
	    "categories")))
		ctl->categories = json_incref(json_object_get(reply.json,
		    "categories"));
	else
		ctl->categories = json_array();
	json_decref(reply.json);
	return ctl->categories;
}

const char *
ctl_category_in(struct ctl *ctl, const char *code, int zh)
{
	const json_t		*c;
	const char		*name;
	size_t			 i;

	if (code == NULL)
		return NULL;
	json_array_foreach(category_list(ctl), i, c)
		if ((name = ctl_str(c, "code")) != NULL &&
		    strcmp(name, code) == 0 && (name = ctl_str(c,
		    zh ? "zh" : "en")) != NULL)
			return name;
	return code;
}

/* Starts a table whose headers are marked N_(): translated here. */
struct table *
ctl_table(size_t ncols, const char *const *headers)
{
	const char	*names[CTL_TABLE_COLS];
	size_t		 i;

	if (ncols > CTL_TABLE_COLS)
		abort();	/* a table wider than CTL_TABLE_COLS */
	for (i = 0; i < ncols; i++)
		names[i] = _(headers[i]);
	return table_new(ncols, names);
}
