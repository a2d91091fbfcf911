/*
 * The closed loop of one hazard: report, list, show, and the actions
 * assess, rectify, verify, reject and cancel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "safetext.h"
#include "table.h"
#include "wire.h"
#include "xmalloc.h"

#define REPORT_TRIES	4	/* the first try and three retries */
#define KEY_BYTES	16	/* random bytes of a made-up key */
#define KEY_MAX		200	/* the longest key the server takes */
#define PAGE_ALL	"500"	/* page size when following every page */
#define PAGE_DEFAULT	50	/* the server's page size */
#define TITLE_COLS	40	/* title column of the list */
#define NAME_COLS	16	/* school and category columns */

const struct opt report_opts[] = {
	{ "title", "T", OPT_REQUIRED | OPT_WIRE,
	    "what is wrong, at most 200 characters" },
	{ "category", "C", OPT_REQUIRED | OPT_WIRE,
	    "fire, food, surroundings, ...: decides the department" },
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM,
	    "hazard (the default) or finding (by an inspection)" },
	{ "grade", WIRE_GRADES, OPT_WIRE | OPT_ENUM,
	    "general (the default) or major" },
	{ "location", "L", OPT_WIRE, "where it is" },
	{ "description", "D", OPT_WIRE, "what was found, in detail" },
	{ "deadline", "YYYY-MM-DD", OPT_WIRE | OPT_DATE,
	    "when it is to be rectified" },
	{ "responsible", "NAME", OPT_WIRE, "the person responsible" },
	{ "school", "CODE", OPT_WIRE,
	    "the school; required with an office token" },
	{ "key", "K", 0, "the idempotency key; by default a random one" },
	{ NULL, NULL, 0, NULL }
};

const struct opt list_opts[] = {
	{ "state", WIRE_STATES, OPT_WIRE | OPT_ENUM,
	    "only in this state" },
	{ "overdue", NULL, OPT_WIRE, "only overdue ones" },
	{ "school", "CODE", OPT_WIRE, "only of this school" },
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM, "only of this kind" },
	{ "category", "C", OPT_WIRE, "only of this category" },
	{ "grade", WIRE_GRADES, OPT_WIRE | OPT_ENUM,
	    "only of this grade" },
	{ "since", "DATE", OPT_WIRE | OPT_DATE, "reported on or after DATE" },
	{ "until", "DATE", OPT_WIRE | OPT_DATE, "reported on or before DATE" },
	{ "limit", "N", OPT_WIRE | OPT_COUNT,
	    "at most N a page (server default 50, at most 500)" },
	{ "all", NULL, 0, "every page, not only the first" },
	{ NULL, NULL, 0, NULL }
};

const struct opt assess_opts[] = {
	{ "grade", WIRE_GRADES, OPT_WIRE | OPT_ENUM, "the grade" },
	{ "deadline", "D", OPT_WIRE | OPT_DATE,
	    "the deadline, YYYY-MM-DD" },
	{ "department", "DEPT", OPT_WIRE, "the department it goes to" },
	{ "responsible", "NAME", OPT_WIRE, "the person responsible" },
	{ "plan", "TEXT", OPT_WIRE, "the rectification plan (the measures)" },
	{ "assessment", "TEXT", OPT_WIRE, "the risk assessment" },
	{ "funds", "TEXT", OPT_WIRE, "the funds" },
	{ "contingency", "TEXT", OPT_WIRE, "the contingency arrangements" },
	{ "category", "C", OPT_WIRE, "a corrected category" },
	{ "note", "TEXT", OPT_WIRE, "a note for the audit trail" },
	{ NULL, NULL, 0, NULL }
};

const struct opt note_opts[] = {
	{ "note", "TEXT", OPT_WIRE, "a note for the audit trail" },
	{ NULL, NULL, 0, NULL }
};

const struct opt note_required_opts[] = {
	{ "note", "TEXT", OPT_REQUIRED | OPT_WIRE,
	    "what was done, or why it is not enough" },
	{ NULL, NULL, 0, NULL }
};

const struct opt cancel_opts[] = {
	{ "reason", "TEXT", OPT_REQUIRED | OPT_WIRE,
	    "why: a duplicate, not a hazard, ..." },
	{ NULL, NULL, 0, NULL }
};

/* Makes a random idempotency key, in hex, into buf (2 * KEY_BYTES + 1). */
static int
make_key(char *buf)
{
	unsigned char	b[KEY_BYTES];
	size_t		i;

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	for (i = 0; i < sizeof(b); i++)
		snprintf(buf + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* Returns 1 if key can be an idempotency key: 1-200 printable ASCII. */
static int
key_ok(const char *key)
{
	size_t	len = strlen(key), i;

	for (i = 0; i < len; i++)
		if (key[i] < 0x20 || key[i] >= 0x7f)
			return 0;
	return len >= 1 && len <= KEY_MAX;
}

/* Reports a hazard: prints its new id alone. */
int
cmd_report(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", "/v1/hazards", NULL, NULL,
			    NULL };
	char		 key[2 * KEY_BYTES + 1];
	json_t		*h;
	int		 rc;

	if ((req.key = args_get(a, "key")) == NULL) {
		if (make_key(key) == -1) {
			fprintf(stderr, "hazardctl: getrandom: %s\n",
			    strerror(errno));
			return EXIT_REFUSED;
		}
		req.key = key;
	} else if (!key_ok(req.key))
		return args_usage(a->cmd, "--key must be 1 to %d printable "
		    "ASCII characters", KEY_MAX);
	req.body = args_object(a);
	rc = ctl_request(ctl, &req, REPORT_TRIES, &h);
	json_decref(req.body);
	if (rc != 0)
		return rc;
	if (ctl->json)
		rc = ctl_print_json(h);
	else if (!json_is_integer(json_object_get(h, "id")))
		rc = ctl_unexpected(ctl, "no id");
	else
		printf("%" JSON_INTEGER_FORMAT "\n",
		    json_integer_value(json_object_get(h, "id")));
	json_decref(h);
	return rc;
}

/*
 * Prints, under a table of hazards, the office's note on each rejected
 * one, a line each: "#ID rejected AT by WHO: NOTE".
 */
static void
print_rejections(const json_t *hazards)
{
	const json_t	*h, *r;
	char		 buf[64], at[64], *line;
	size_t		 i;
	int		 first = 1;

	json_array_foreach(hazards, i, h) {
		if (!json_is_object(r = json_object_get(h, "rejected")))
			continue;
		if (first)
			putchar('\n');
		first = 0;
		xasprintf(&line, "#%s rejected %s by %s: %s",
		    ctl_text(json_object_get(h, "id"), buf, sizeof(buf)),
		    ctl_time(ctl_str(r, "at"), at, sizeof(at)),
		    ctl_str(r, "by") != NULL ? ctl_str(r, "by") : "-",
		    ctl_str(r, "note") != NULL ? ctl_str(r, "note") : "");
		ctl_put_line(stdout, line);
		putchar('\n');
		free(line);
	}
}

/*
 * Prints hazards as a table, STATE "rejected" for an open hazard whose
 * rectification the office rejected, ending in '!' when overdue.
 */
static void
print_hazards(const json_t *hazards)
{
	static const char *const cols[] = { "ID", "KIND", "SCHOOL", "GRADE",
	    "STATE", "DEADLINE", "CATEGORY", "TITLE" };
	struct table	*t;
	const json_t	*h;
	const char	*state;
	size_t		 i;
	char		 buf[64];

	t = table_new(8, cols);
	table_right(t, 0);
	table_max(t, 2, NAME_COLS);
	table_max(t, 6, NAME_COLS);
	table_max(t, 7, TITLE_COLS);
	json_array_foreach(hazards, i, h) {
		table_add(t, ctl_text(json_object_get(h, "id"), buf,
		    sizeof(buf)));
		table_add(t, ctl_str(h, "kind"));
		table_add(t, ctl_str(h, "school"));
		table_add(t, ctl_str(h, "grade"));
		state = ctl_str(h, "state");
		if (json_is_object(json_object_get(h, "rejected")))
			state = "rejected";
		table_addf(t, "%s%s", state != NULL ? state : "-",
		    json_is_true(json_object_get(h, "overdue")) ? "!" : "");
		table_add(t, ctl_str(h, "deadline"));
		table_add(t, ctl_str(h, "category"));
		table_add(t, ctl_str(h, "title"));
	}
	table_print(t, stdout);
	table_free(t);
	print_rejections(hazards);
}

/*
 * Fetches the hazards that query asks for into {"hazards": [...], "next":
 * CURSOR}: want of them (all: every page), following "next" until it is
 * null (or comes again).  A page may hold fewer than its limit and still
 * have a "next": the server stops a page that walked far (docs/API.md).
 */
static int
fetch_hazards(struct ctl *ctl, json_t *query, long want, int all,
    json_t **out)
{
	struct conn_req	 req = { "GET", "/v1/hazards", NULL, NULL,
			    NULL };
	json_t		*page, *hazards, *have;
	const char	*next, *prev;
	char		 limit[32];
	int		 rc, done;

	req.query = query;
	*out = json_pack("{s:[], s:n}", "hazards", "next");
	have = json_object_get(*out, "hazards");
	for (;;) {
		if (!all) {
			snprintf(limit, sizeof(limit), "%ld", want -
			    (long)json_array_size(have));
			json_object_set_new(query, "limit", json_string(limit));
		}
		if ((rc = ctl_request(ctl, &req, CTL_READ_TRIES,
		    &page)) != 0)
			break;
		hazards = json_object_get(page, "hazards");
		if (!json_is_array(hazards)) {
			json_decref(page);
			rc = ctl_unexpected(ctl, "no \"hazards\" list");
			break;
		}
		json_array_extend(have, hazards);
		next = ctl_str(page, "next");
		prev = ctl_str(query, "cursor");
		done = next == NULL || (prev != NULL && strcmp(next, prev) == 0);
		if (!done && !all && (long)json_array_size(have) >= want) {
			json_object_set_new(*out, "next", json_string(next));
			done = 1;
		} else if (!done)
			json_object_set_new(query, "cursor", json_string(next));
		json_decref(page);
		if (done)
			return 0;
	}
	json_decref(*out);
	*out = NULL;
	return rc;
}

/* Lists hazards, newest first. */
int
cmd_list(struct ctl *ctl, const struct args *a)
{
	json_t	*query, *list;
	long	 want;
	int	 rc, all = args_get(a, "all") != NULL;

	query = args_object(a);
	if (all && args_get(a, "limit") == NULL)
		json_object_set_new(query, "limit", json_string(PAGE_ALL));
	want = args_get(a, "limit") != NULL ? atol(args_get(a, "limit")) :
	    PAGE_DEFAULT;
	rc = fetch_hazards(ctl, query, want, all, &list);
	json_decref(query);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(list);
	else {
		print_hazards(json_object_get(list, "hazards"));
		if (ctl_str(list, "next") != NULL)
			fputs("hazardctl: there are more; use --all or "
			    "--limit N to see them\n", stderr);
	}
	json_decref(list);
	return 0;
}

/*
 * Prints "key:" and text, made safe, at width; the lines of a long text
 * (a plan) go on under the value.
 */
static void
print_field(const char *key, const char *text, size_t width)
{
	const char	*p;
	char		*safe;

	printf("%s:%*s", key, (int)(width - strlen(key) + 2), "");
	safe = safetext_lines(text);
	for (p = safe; *p != '\0'; p++) {
		if (*p == '\n')
			printf("\n%*s", (int)width + 3, "");
		else
			putchar(*p);
	}
	free(safe);
	putchar('\n');
}

/*
 * Prints every member of the hazard h in the server's order, "key:" and
 * its value; first its rejection, if the office rejected its
 * rectification: when, who and the note.
 */
static void
print_fields(json_t *h)
{
	const char	*key;
	json_t		*v, *r;
	char		 buf[256], at[64], *text;
	size_t		 width = 0;

	json_object_foreach(h, key, v)
		if (strlen(key) > width)
			width = strlen(key);
	if (json_is_object(r = json_object_get(h, "rejected"))) {
		xasprintf(&text, "%s by %s: %s",
		    ctl_time(ctl_str(r, "at"), at, sizeof(at)),
		    ctl_str(r, "by") != NULL ? ctl_str(r, "by") : "-",
		    ctl_str(r, "note") != NULL ? ctl_str(r, "note") : "");
		print_field("rejected", text, width);
		free(text);
	}
	json_object_foreach(h, key, v)
		if (strcmp(key, "rejected") != 0)
			print_field(key, ctl_text(v, buf, sizeof(buf)), width);
}

/* The note of an event, followed by the changes of an assessment. */
static char *
event_note(const json_t *ev)
{
	const char	*field, *note = ctl_str(ev, "note");
	json_t		*change;
	char		*s, *next, before[256], after[256];

	s = xstrdup(note != NULL ? note : "");
	json_object_foreach(json_object_get(ev, "changes"), field, change) {
		xasprintf(&next, "%s%s%s: %s -> %s", s, *s != '\0' ? "; " : "",
		    field,
		    ctl_text(json_array_get(change, 0), before, sizeof(before)),
		    ctl_text(json_array_get(change, 1), after, sizeof(after)));
		free(s);
		s = next;
	}
	return s;
}

/* Prints the audit trail, oldest first. */
static void
print_events(const json_t *events)
{
	static const char *const cols[] = { "AT", "ACTOR", "ROLE", "ACTION",
	    "STATE", "NOTE" };
	struct table	*t;
	const json_t	*ev;
	const char	*from, *to;
	char		 buf[64], *note;
	size_t		 i;

	t = table_new(6, cols);
	json_array_foreach(events, i, ev) {
		table_add(t, ctl_time(ctl_str(ev, "at"), buf, sizeof(buf)));
		table_add(t, ctl_str(ev, "actor"));
		table_add(t, ctl_str(ev, "role"));
		table_add(t, ctl_str(ev, "action"));
		from = ctl_str(ev, "from");
		to = ctl_str(ev, "to");
		if (from == NULL || to == NULL || strcmp(from, to) == 0)
			table_add(t, to != NULL ? to : from);
		else
			table_addf(t, "%s -> %s", from, to);
		note = event_note(ev);
		table_add(t, *note != '\0' ? note : NULL);
		free(note);
	}
	table_print(t, stdout);
	table_free(t);
}

/* GETs the object at path into *out. */
static int
get(struct ctl *ctl, const char *path, json_t **out)
{
	struct conn_req	req = { "GET", NULL, NULL, NULL, NULL };

	req.path = path;
	return ctl_request(ctl, &req, CTL_READ_TRIES, out);
}

/* Shows a hazard and its audit trail. */
int
cmd_show(struct ctl *ctl, const struct args *a)
{
	json_t		*h = NULL, *ev = NULL, *events, *both;
	long long	 id;
	char		 path[64];
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	snprintf(path, sizeof(path), "/v1/hazards/%lld", id);
	if ((rc = get(ctl, path, &h)) != 0)
		return rc;
	snprintf(path, sizeof(path), "/v1/hazards/%lld/events", id);
	if ((rc = get(ctl, path, &ev)) != 0)
		goto done;
	if (!json_is_array(events = json_object_get(ev, "events")))
		rc = ctl_unexpected(ctl, "no \"events\" list");
	else if (ctl->json) {
		both = json_pack("{s:O, s:O}", "hazard", h, "events", events);
		ctl_print_json(both);
		json_decref(both);
	} else {
		print_fields(h);
		putchar('\n');
		print_events(events);
	}
done:
	json_decref(h);
	json_decref(ev);
	return rc;
}

/*
 * An action on a hazard, named as the command (assess, rectify, verify,
 * reject, cancel), with the options given as its body.  Prints the
 * hazard as list does.
 */
int
cmd_action(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", NULL, NULL, NULL, NULL };
	json_t		*h, *one;
	long long	 id;
	char		 path[64];
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	snprintf(path, sizeof(path), "/v1/hazards/%lld/%s", id, a->cmd->name);
	req.path = path;
	req.body = args_object(a);
	rc = ctl_request(ctl, &req, 1, &h);
	json_decref(req.body);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(h);
	else {
		one = json_pack("[O]", h);
		print_hazards(one);
		json_decref(one);
	}
	json_decref(h);
	return 0;
}

/* Assesses a hazard: an action that needs something to record. */
int
cmd_assess(struct ctl *ctl, const struct args *a)
{
	json_t	*body;
	size_t	 n;

	body = args_object(a);
	n = json_object_size(body);
	json_decref(body);
	if (n == 0)
		return args_usage(a->cmd, "give at least one option");
	return cmd_action(ctl, a);
}
