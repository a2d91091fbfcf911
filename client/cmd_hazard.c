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
#include "utf8.h"
#include "wire.h"
#include "xmalloc.h"

#define REPORT_TRIES	4	/* the first try and three retries */
#define PAGE_ALL	"500"	/* page size when following every page */
#define PAGE_DEFAULT	50	/* the server's page size */
#define TITLE_COLS	40	/* title column of the list */
#define NAME_COLS	16	/* the school column */
#define CATEGORY_COLS	20	/* "Electrical safety" whole */

const struct opt report_opts[] = {
	{ "title", "T", OPT_REQUIRED | OPT_WIRE,
	    N_("what is wrong, at most 200 characters") },
	{ "category", "C", OPT_REQUIRED | OPT_WIRE,
	    N_("fire, food, surroundings, ...: decides the department") },
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM,
	    N_("hazard (the default) or finding (by an inspection)") },
	{ "grade", WIRE_GRADES, OPT_WIRE | OPT_ENUM,
	    N_("general (the default) or major") },
	{ "location", "L", OPT_WIRE, N_("where it is") },
	{ "description", "D", OPT_WIRE, N_("what was found, in detail") },
	{ "deadline", "YYYY-MM-DD", OPT_WIRE | OPT_DATE,
	    N_("when it is due; else the district's time limit") },
	{ "allow-past", NULL, 0,
	    N_("a deadline already past: a historic hazard (office)") },
	{ "responsible", "NAME", OPT_WIRE, N_("the person responsible") },
	{ "school", "CODE", OPT_WIRE,
	    N_("the school; required with an office token") },
	{ "key", "K", 0, N_("the idempotency key; by default a random one") },
	{ "photo", "FILE", OPT_MULTI,
	    N_("a photo of it, JPEG, PNG or WebP (again for more)") },
	{ NULL, NULL, 0, NULL }
};

const struct opt list_opts[] = {
	{ "state", WIRE_STATES, OPT_WIRE | OPT_ENUM,
	    N_("only in this state") },
	{ "search", "TEXT", OPT_WIRE,
	    N_("only those whose title, description, location or notes "
	    "hold TEXT") },
	{ "overdue", NULL, OPT_WIRE,
	    N_("only overdue ones, longest overdue first, with DAYS") },
	{ "due-within", "N", OPT_WIRE | OPT_NUMBER,
	    N_("only open ones due within N days") },
	{ "sort", WIRE_SORTS, OPT_WIRE | OPT_ENUM,
	    N_("newest first (the default) or earliest deadline first") },
	{ "school", "CODE", OPT_WIRE, N_("only of this school") },
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM, N_("only of this kind") },
	{ "category", "C", OPT_WIRE, N_("only of this category") },
	{ "grade", WIRE_GRADES, OPT_WIRE | OPT_ENUM,
	    N_("only of this grade") },
	{ "since", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or after DATE") },
	{ "until", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or before DATE") },
	{ "as-of", "WHEN", OPT_WIRE, N_("as it stood at WHEN: RFC 3339, or a "
	    "date for the end of that day") },
	{ "limit", "N", OPT_WIRE | OPT_COUNT,
	    N_("at most N a page (server default 50, at most 500)") },
	{ "all", NULL, 0, N_("every page, not only the first") },
	{ NULL, NULL, 0, NULL }
};

const struct opt assess_opts[] = {
	{ "grade", WIRE_GRADES, OPT_WIRE | OPT_ENUM, N_("the grade") },
	{ "deadline", "D", OPT_WIRE | OPT_DATE,
	    N_("the deadline, YYYY-MM-DD") },
	{ "department", "DEPT", OPT_WIRE, N_("the department it goes to") },
	{ "responsible", "NAME", OPT_WIRE, N_("the person responsible") },
	{ "plan", "TEXT", OPT_WIRE,
	    N_("the rectification plan (the measures)") },
	{ "assessment", "TEXT", OPT_WIRE, N_("the risk assessment") },
	{ "funds", "TEXT", OPT_WIRE, N_("the funds") },
	{ "contingency", "TEXT", OPT_WIRE, N_("the contingency arrangements") },
	{ "category", "C", OPT_WIRE, N_("a corrected category") },
	{ "note", "TEXT", OPT_WIRE, N_("a note for the audit trail") },
	{ NULL, NULL, 0, NULL }
};

const struct opt note_opts[] = {
	{ "note", "TEXT", OPT_WIRE, N_("a note for the audit trail") },
	{ NULL, NULL, 0, NULL }
};

const struct opt note_required_opts[] = {
	{ "note", "TEXT", OPT_REQUIRED | OPT_WIRE,
	    N_("what was done, or why it is not enough") },
	{ NULL, NULL, 0, NULL }
};

const struct opt rectify_opts[] = {
	{ "note", "TEXT", OPT_REQUIRED | OPT_WIRE,
	    N_("what was done, or why it is not enough") },
	{ "photo", "FILE", OPT_MULTI,
	    N_("a photo of it now, sent first (again for more)") },
	{ NULL, NULL, 0, NULL }
};

const struct opt cancel_opts[] = {
	{ "reason", "TEXT", OPT_REQUIRED | OPT_WIRE,
	    N_("why: a duplicate, not a hazard, ...") },
	{ NULL, NULL, 0, NULL }
};

int
ctl_make_key(char *buf)
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
	struct queued	 q = { "report", NULL, 0, NULL, 0, 0 };
	char		 key[2 * KEY_BYTES + 1];
	json_t		*h;
	int		 rc, photos = 0;

	if ((req.key = args_get(a, "key")) == NULL) {
		if (ctl_make_key(key) == -1) {
			fprintf(stderr, _("hazardctl: cannot make a key: "
			    "%s\n"), strerror(errno));
			return EXIT_REFUSED;
		}
		req.key = key;
	} else if (!key_ok(req.key))
		return args_usage(a->cmd, _("--key must be 1 to %d printable "
		    "ASCII characters"), KEY_MAX);
	if ((rc = ctl_photo_check(a)) != 0)
		return rc;
	req.body = args_object(a);
	if (args_get(a, "allow-past") != NULL)
		json_object_set_new(req.body, "allow_past", json_true());
	/* Its photos, checked, wait with it if there is no server. */
	q.what = args_get(a, "title");
	q.photos = a->multi;
	q.nphotos = (size_t)a->nmulti;
	if ((rc = queue_request(ctl, &req, REPORT_TRIES, &q, &h)) != 0) {
		json_decref(req.body);
		return rc;
	}
	/*
	 * The report is stored: its id is printed even if a photo fails.
	 * Those the server went away before taking wait in the queue.
	 */
	if (json_is_integer(json_object_get(h, "id")) && a->nmulti > 0)
		photos = ctl_photo_send_all(ctl, json_integer_value(
		    json_object_get(h, "id")), "before", a, &req, &q);
	json_decref(req.body);
	if (ctl->json)
		rc = ctl_print_json(h);
	else if (!json_is_integer(json_object_get(h, "id")))
		rc = ctl_unexpected(ctl, _("no id"));
	else
		printf("%" JSON_INTEGER_FORMAT "\n",
		    json_integer_value(json_object_get(h, "id")));
	json_decref(h);
	return rc != 0 ? rc : photos;
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
		xasprintf(&line, _("#%s rejected %s by %s: %s"),
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
 * rectification the office rejected, ending in '!' when overdue; with
 * days, a column DAYS of the days each is overdue.
 */
static void
print_hazards(struct ctl *ctl, const json_t *hazards, int days)
{
	static const char *const cols[] = { N_("ID"), N_("KIND"),
	    N_("SCHOOL"), N_("GRADE"), N_("STATE"), N_("DEADLINE"),
	    N_("CATEGORY"), N_("TITLE") };
	static const char *const day_cols[] = { N_("ID"), N_("KIND"),
	    N_("SCHOOL"), N_("GRADE"), N_("STATE"), N_("DEADLINE"),
	    N_("DAYS"), N_("CATEGORY"), N_("TITLE") };
	struct table	*t;
	const json_t	*h;
	const char	*state;
	size_t		 i;
	char		 buf[64];
	int		 c = days ? 1 : 0;

	t = days ? ctl_table(9, day_cols) : ctl_table(8, cols);
	table_right(t, 0);
	if (days)
		table_right(t, 6);
	table_max(t, 2, NAME_COLS);
	table_max(t, 6 + c, CATEGORY_COLS);
	table_max(t, 7 + c, TITLE_COLS);
	json_array_foreach(hazards, i, h) {
		table_add(t, ctl_text(json_object_get(h, "id"), buf,
		    sizeof(buf)));
		table_add(t, ctl_word(ctl_str(h, "kind")));
		table_add(t, ctl_str(h, "school"));
		table_add(t, ctl_word(ctl_str(h, "grade")));
		state = ctl_str(h, "state");
		if (json_is_object(json_object_get(h, "rejected")))
			state = WIRE_STATE_REJECTED;
		table_addf(t, "%s%s", state != NULL ? ctl_word(state) : "-",
		    json_is_true(json_object_get(h, "overdue")) ? "!" : "");
		table_add(t, ctl_str(h, "deadline"));
		if (days && json_is_integer(json_object_get(h,
		    "days_overdue")))
			table_addf(t, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(h,
			    "days_overdue")));
		else if (days)
			table_add(t, "-");
		table_add(t, ctl_category(ctl, ctl_str(h, "category")));
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
			rc = ctl_unexpected(ctl, _("no \"hazards\" list"));
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
	/* The office asks which waited longest: those first. */
	if (args_get(a, "overdue") != NULL && args_get(a, "sort") == NULL)
		json_object_set_new(query, "sort",
		    json_string(WIRE_SORT_DEADLINE));
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
		print_hazards(ctl, json_object_get(list, "hazards"),
		    args_get(a, "overdue") != NULL);
		if (ctl_str(list, "next") != NULL)
			fputs(_("hazardctl: there are more; use --all or "
			    "--limit N to see them\n"), stderr);
	}
	json_decref(list);
	return 0;
}

/* The members of a hazard as show names them, marked N_(). */
static const struct {
	const char	*key;
	const char	*name;
} keys[] = {
	{ "id", N_("id") },
	{ "photos", N_("photos") },
	{ "kind", N_("kind") },
	{ "school", N_("school") },
	{ "school_name", N_("school name") },
	{ "grade", N_("grade") },
	{ "category", N_("category") },
	{ "title", N_("title") },
	{ "description", N_("description") },
	{ "location", N_("location") },
	{ "responsible", N_("responsible") },
	{ "department", N_("department") },
	{ "deadline", N_("deadline") },
	{ "plan", N_("plan") },
	{ "assessment", N_("assessment") },
	{ "funds", N_("funds") },
	{ "contingency", N_("contingency") },
	{ "state", N_("state") },
	{ "overdue", N_("overdue") },
	{ "escalation", N_("escalation") },
	{ "reported_at", N_("reported at") },
	{ "updated_at", N_("updated at") },
	{ "closed_at", N_("closed at") },
	{ WIRE_STATE_REJECTED, N_("rejected") },
};

/* The name of member key of a hazard, in the user's language. */
static const char *
key_name(const char *key)
{
	size_t	i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].key, key) == 0)
			return _(keys[i].name);
	return key;
}

/*
 * Prints "name:" and text, made safe, at width (in columns); the lines
 * of a long text (a plan) go on under the value.
 */
static void
print_field(const char *name, const char *text, size_t width)
{
	const char	*p;
	char		*safe;

	printf("%s:%*s", name, (int)(width - utf8_width(name) + 2), "");
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

/* A photo's stage in the user's words: before or after rectification. */
static const char *
stage_word(const char *stage)
{
	return stage != NULL && strcmp(stage, "after") == 0 ? _("after") :
	    _("before");
}

/*
 * Prints the photos of a hazard, one a line: "#ID after image/jpeg
 * 392 bytes AT" (photo get ID fetches one).
 */
static void
print_photos(const json_t *photos, size_t width)
{
	const json_t	*p;
	const char	*stage;
	char		*text = xstrdup(""), *line, *next, id[32], at[64];
	size_t		 i;

	if (json_array_size(photos) == 0)
		goto done;
	json_array_foreach(photos, i, p) {
		stage = ctl_str(p, "stage");
		xasprintf(&line, _("#%s %s %s %lld bytes %s"),
		    ctl_text(json_object_get(p, "id"), id, sizeof(id)),
		    stage_word(stage), ctl_str(p, "type") != NULL ?
		    ctl_str(p, "type") : "-",
		    (long long)json_integer_value(json_object_get(p, "size")),
		    ctl_time(ctl_str(p, "at"), at, sizeof(at)));
		xasprintf(&next, "%s%s%s", text, i > 0 ? "\n" : "", line);
		free(line);
		free(text);
		text = next;
	}
	print_field(key_name("photos"), text, width);
done:
	free(text);
}

/*
 * Prints every member of the hazard h in the server's order, its name
 * and its value (a kind, grade or state in the user's words); first its
 * rejection, if the office rejected its rectification: when, who and
 * the note.
 */
static void
print_fields(struct ctl *ctl, json_t *h)
{
	const char	*key, *value;
	json_t		*v, *r;
	char		 buf[256], at[64], *text;
	size_t		 width = 0;

	json_object_foreach(h, key, v)
		if (utf8_width(key_name(key)) > width)
			width = utf8_width(key_name(key));
	if (json_is_object(r = json_object_get(h, "rejected"))) {
		xasprintf(&text, _("%s by %s: %s"),
		    ctl_time(ctl_str(r, "at"), at, sizeof(at)),
		    ctl_str(r, "by") != NULL ? ctl_str(r, "by") : "-",
		    ctl_str(r, "note") != NULL ? ctl_str(r, "note") : "");
		print_field(key_name(WIRE_STATE_REJECTED), text, width);
		free(text);
	}
	json_object_foreach(h, key, v) {
		if (strcmp(key, "rejected") == 0 || strcmp(key, "photos") == 0)
			continue;
		value = ctl_text(v, buf, sizeof(buf));
		if (strcmp(key, "kind") == 0 || strcmp(key, "grade") == 0 ||
		    strcmp(key, "state") == 0)
			value = ctl_word(value);
		else if (strcmp(key, "category") == 0)
			value = ctl_category(ctl, value);
		else if (strcmp(key, "escalation") == 0 &&
		    json_integer_value(v) == 0)
			value = _("not escalated");
		else if (json_is_string(v) && (strcmp(key, "reported_at") ==
		    0 || strcmp(key, "updated_at") == 0 ||
		    strcmp(key, "closed_at") == 0))
			value = ctl_time(value, at, sizeof(at));
		print_field(key_name(key), value, width);
	}
	print_photos(json_object_get(h, "photos"), width);
}

/*
 * A value of an assessment's change of field, in the user's words: a
 * grade and a category as the rest of show names them.
 */
static const char *
change_value(struct ctl *ctl, const char *field, const json_t *v,
    char *buf, size_t len)
{
	const char	*s = ctl_text(v, buf, len);

	if (!json_is_string(v))
		return s;
	if (strcmp(field, "grade") == 0)
		return ctl_word(s);
	if (strcmp(field, "category") == 0)
		return ctl_category(ctl, s);
	return s;
}

/*
 * The note of an event (a photo's, its stage), followed by the changes
 * of an assessment, each field and value in the user's words.
 */
static char *
event_note(struct ctl *ctl, const json_t *ev)
{
	const char	*field, *note = ctl_str(ev, "note");
	const char	*action = ctl_str(ev, "action");
	json_t		*change;
	char		*s, *next, before[256], after[256];

	if (note != NULL && action != NULL && strcmp(action, "photo") == 0)
		note = stage_word(note);
	s = xstrdup(note != NULL ? note : "");
	json_object_foreach(json_object_get(ev, "changes"), field, change) {
		if (*s == '\0')
			xasprintf(&next, _("%s: %s -> %s"), key_name(field),
			    change_value(ctl, field, json_array_get(change, 0),
			    before, sizeof(before)), change_value(ctl, field,
			    json_array_get(change, 1), after, sizeof(after)));
		else
			xasprintf(&next, _("%s; %s: %s -> %s"), s,
			    key_name(field), change_value(ctl, field,
			    json_array_get(change, 0), before, sizeof(before)),
			    change_value(ctl, field, json_array_get(change, 1),
			    after, sizeof(after)));
		free(s);
		s = next;
	}
	return s;
}

/* Prints the audit trail, oldest first. */
static void
print_events(struct ctl *ctl, const json_t *events)
{
	static const char *const cols[] = { N_("AT"), N_("ACTOR"),
	    N_("ROLE"), N_("ACTION"), N_("STATE"), N_("NOTE") };
	struct table	*t;
	const json_t	*ev;
	const char	*from, *to;
	char		 buf[64], *note;
	size_t		 i;

	t = ctl_table(6, cols);
	json_array_foreach(events, i, ev) {
		table_add(t, ctl_time(ctl_str(ev, "at"), buf, sizeof(buf)));
		table_add(t, ctl_str(ev, "actor"));
		table_add(t, ctl_word(ctl_str(ev, "role")));
		table_add(t, ctl_word(ctl_str(ev, "action")));
		from = ctl_word(ctl_str(ev, "from"));
		to = ctl_word(ctl_str(ev, "to"));
		if (from == NULL || to == NULL || strcmp(from, to) == 0)
			table_add(t, to != NULL ? to : from);
		else
			table_addf(t, "%s -> %s", from, to);
		note = event_note(ctl, ev);
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
		rc = ctl_unexpected(ctl, _("no \"events\" list"));
	else if (ctl->json) {
		both = json_pack("{s:O, s:O}", "hazard", h, "events", events);
		ctl_print_json(both);
		json_decref(both);
	} else {
		print_fields(ctl, h);
		putchar('\n');
		print_events(ctl, events);
	}
done:
	json_decref(h);
	json_decref(ev);
	return rc;
}

/*
 * An action on a hazard, named as the command (assess, rectify, verify,
 * reject, cancel), with the options given as its body and a random
 * idempotency key.  Prints the hazard as list does.
 */
int
cmd_action(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", NULL, NULL, NULL, NULL };
	struct queued	 q = { NULL, NULL, 0, NULL, 0, 0 };
	json_t		*h, *one;
	long long	 id;
	char		 path[64], what[64], key[2 * KEY_BYTES + 1];
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	snprintf(path, sizeof(path), "/v1/hazards/%lld/%s", id, a->cmd->name);
	req.path = path;
	/*
	 * A key of its own: the same request sent again (from the queue,
	 * after a lost answer) gets the first answer, not a second action.
	 */
	if (ctl_make_key(key) == -1) {
		fprintf(stderr, _("hazardctl: cannot make a key: %s\n"),
		    strerror(errno));
		return EXIT_REFUSED;
	}
	req.key = key;
	/* A rectification, which a school may type offline, is kept. */
	if (strcmp(a->cmd->name, WIRE_ACTION_RECTIFY) == 0) {
		snprintf(what, sizeof(what), _("hazard %lld"), id);
		q.command = a->cmd->name;
		q.what = what;
		q.hazard = id;
	}
	/*
	 * The photos of a rectification go first: it may need one.  When
	 * the server cannot be reached, those not sent wait in the queue
	 * with the rectification, which then is not tried.
	 */
	if (a->nmulti > 0 && (rc = ctl_photo_check(a)) != 0)
		return rc;
	req.body = args_object(a);
	if (a->nmulti > 0 && (rc = ctl_photo_send_all(ctl, id, "after", a,
	    &req, q.what != NULL ? &q : NULL)) != 0) {
		json_decref(req.body);
		return rc;
	}
	if (q.what != NULL)
		rc = queue_request(ctl, &req, 1, &q, &h);
	else
		rc = ctl_request(ctl, &req, 1, &h);
	json_decref(req.body);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(h);
	else {
		one = json_pack("[O]", h);
		print_hazards(ctl, one, 0);
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
		return args_usage(a->cmd, _("give at least one option"));
	return cmd_action(ctl, a);
}
