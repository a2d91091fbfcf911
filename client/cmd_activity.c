/*
 * The activity ledger: record a safety activity, list them, count them.
 * Types and subtypes are named in the user's language from the
 * vocabulary both programs share (common/activity.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activity.h"
#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "table.h"

#define PAGE_ALL	"500"	/* page size when following every page */
#define PAGE_DEFAULT	50	/* the server's page size */

const struct opt activity_add_opts[] = {
	{ "type", "TYPE", OPT_REQUIRED | OPT_WIRE, N_("drill, lesson, "
	    "agreement, inspection, training or warning (or its Chinese "
	    "name)") },
	{ "subtype", "S", OPT_WIRE, N_("a drill's: fire, earthquake, "
	    "antiterror, drowning, flood, traffic, stampede, other") },
	{ "school", "CODE", OPT_WIRE,
	    N_("the school (the office's; a school records its own)") },
	{ "date", "DATE", OPT_WIRE | OPT_DATE,
	    N_("the day it took place; default today") },
	{ "count", "N", 0, N_("how many (a lesson's class hours); default "
	    "1") },
	{ "note", "TEXT", OPT_WIRE, N_("what it was") },
	{ NULL, NULL, 0, NULL }
};

const struct opt activity_list_opts[] = {
	{ "school", "CODE", OPT_WIRE, N_("only of this school") },
	{ "type", "TYPE", OPT_WIRE, N_("only of this type") },
	{ "subtype", "S", OPT_WIRE, N_("only drills of this subtype") },
	{ "from", "DATE", OPT_WIRE | OPT_DATE, N_("on or after DATE") },
	{ "to", "DATE", OPT_WIRE | OPT_DATE, N_("on or before DATE") },
	{ "limit", "N", OPT_WIRE | OPT_COUNT,
	    N_("at most N a page (server default 50, at most 500)") },
	{ "all", NULL, 0, N_("every page, not only the first") },
	{ NULL, NULL, 0, NULL }
};

const struct opt activity_stats_opts[] = {
	{ "by", "school|district", OPT_WIRE | OPT_ENUM,
	    N_("one row per school, or the district's (the default)") },
	{ "school", "CODE", OPT_WIRE, N_("only of this school") },
	{ "type", "TYPE", OPT_WIRE, N_("only of this type") },
	{ "from", "DATE", OPT_WIRE | OPT_DATE, N_("on or after DATE") },
	{ "to", "DATE", OPT_WIRE | OPT_DATE, N_("on or before DATE") },
	{ NULL, NULL, 0, NULL }
};

/* The name of code in list in the user's language; code if unknown. */
static const char *
kind_name(const struct activity_kind *list, const char *code)
{
	if (code == NULL)
		return "-";
	for (; list->code != NULL; list++)
		if (strcmp(list->code, code) == 0)
			return ctl_reads_chinese() ? list->zh : list->en;
	return code;
}

/* Records an activity; prints its id alone. */
int
cmd_activity_add(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", "/v1/activities", NULL, NULL, NULL };
	json_t		*out = NULL;
	const char	*v;
	char		*end;
	long long	 n;
	int		 rc;

	req.body = args_object(a);
	if ((v = args_get(a, "count")) != NULL) {
		/* Any whole number: the server says what it takes. */
		errno = 0;
		n = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0) {
			json_decref(req.body);
			return args_usage(a->cmd, _("--count: '%s' is not a "
			    "whole number"), v);
		}
		json_object_set_new(req.body, "count", json_integer(n));
	}
	rc = ctl_request(ctl, &req, 1, &out);
	json_decref(req.body);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(out);
	else
		printf("%lld\n", (long long)json_integer_value(
		    json_object_get(out, "id")));
	json_decref(out);
	return 0;
}

/* Prints the activities as a table. */
static void
print_activities(const json_t *list)
{
	static const char *const cols[] = { N_("ID"), N_("DATE"),
	    N_("SCHOOL"), N_("TYPE"), N_("SUBTYPE"), N_("COUNT"), N_("NOTE") };
	struct table	*t;
	const json_t	*x;
	size_t		 i;
	char		 buf[32];

	t = ctl_table(7, cols);
	table_right(t, 0);
	table_right(t, 5);
	table_max(t, 6, 30);
	json_array_foreach(list, i, x) {
		table_add(t, ctl_text(json_object_get(x, "id"), buf,
		    sizeof(buf)));
		table_add(t, ctl_str(x, "date"));
		table_add(t, ctl_str(x, "school"));
		table_add(t, kind_name(activity_types, ctl_str(x, "type")));
		table_add(t, kind_name(activity_drill_subtypes,
		    ctl_str(x, "subtype")));
		table_add(t, ctl_text(json_object_get(x, "count"), buf,
		    sizeof(buf)));
		table_add(t, ctl_str(x, "note") != NULL ? ctl_str(x, "note") :
		    "");
	}
	table_print(t, stdout);
	table_free(t);
}

/* Lists activities, newest first: a page, or every page with --all. */
int
cmd_activity_list(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "GET", "/v1/activities", NULL, NULL, NULL };
	json_t		*list, *page, *have;
	const char	*next;
	int		 rc = 0, all = args_get(a, "all") != NULL;

	req.query = args_object(a);
	if (all && args_get(a, "limit") == NULL)
		json_object_set_new(req.query, "limit", json_string(PAGE_ALL));
	list = json_pack("{s:[], s:n}", "activities", "next");
	have = json_object_get(list, "activities");
	for (;;) {
		if ((rc = ctl_request(ctl, &req, CTL_READ_TRIES, &page)) != 0)
			break;
		if (!json_is_array(json_object_get(page, "activities"))) {
			json_decref(page);
			rc = ctl_unexpected(ctl, _("no \"activities\" list"));
			break;
		}
		json_array_extend(have, json_object_get(page, "activities"));
		next = ctl_str(page, "next");
		if (next != NULL && !all)
			json_object_set_new(list, "next", json_string(next));
		if (next != NULL && all)
			json_object_set_new(req.query, "cursor",
			    json_string(next));
		json_decref(page);
		if (next == NULL || !all)
			break;
	}
	json_decref(req.query);
	if (rc == 0 && ctl->json)
		ctl_print_json(list);
	else if (rc == 0) {
		print_activities(have);
		if (ctl_str(list, "next") != NULL)
			fputs(_("hazardctl: there are more; use --all or "
			    "--limit N to see them\n"), stderr);
	}
	json_decref(list);
	return rc;
}

/* The count of type (or of a drill's subtype) in a row of the sums. */
static json_int_t
row_count(const json_t *row, const char *member, const char *code)
{
	return json_integer_value(json_object_get(json_object_get(row,
	    member), code));
}

/* The district's sums: a line per type, a drill's subtypes below it. */
static void
print_district(const json_t *row)
{
	static const char *const cols[] = { N_("ACTIVITY"), N_("COUNT"),
	    N_("UNIT") };
	const struct activity_kind	*k, *s;
	struct table			*t;
	int				 zh = ctl_reads_chinese();

	t = ctl_table(3, cols);
	table_right(t, 1);
	for (k = activity_types; k->code != NULL; k++) {
		table_add(t, zh ? k->zh : k->en);
		table_addf(t, "%" JSON_INTEGER_FORMAT, row_count(row, "types",
		    k->code));
		table_add(t, activity_unit(k, row_count(row, "types",
		    k->code), !zh));
		if (strcmp(k->code, ACTIVITY_DRILL) != 0)
			continue;
		for (s = activity_drill_subtypes; s->code != NULL; s++) {
			if (row_count(row, "drills", s->code) == 0)
				continue;
			table_addf(t, "  %s", zh ? s->zh : s->en);
			table_addf(t, "%" JSON_INTEGER_FORMAT, row_count(row,
			    "drills", s->code));
			table_add(t, activity_unit(s, row_count(row, "drills",
			    s->code), !zh));
		}
	}
	table_print(t, stdout);
	table_free(t);
	if (json_integer_value(json_object_get(row, "warnings_issued")) > 0)
		printf(_("(of the warnings, %lld issued through hazardd)\n"),
		    (long long)json_integer_value(json_object_get(row,
		    "warnings_issued")));
}

/* The sums per school: a column per type. */
static void
print_schools(const json_t *rows)
{
	const struct activity_kind	*k;
	const char			*cols[2 + ACTIVITY_TYPES];
	struct table			*t;
	const json_t			*row;
	size_t				 i, n = 0;
	int				 zh = ctl_reads_chinese();

	cols[n++] = _("SCHOOL");
	cols[n++] = _("NAME");
	for (k = activity_types; k->code != NULL; k++)
		cols[n++] = zh ? k->zh : k->en;
	t = table_new(n, cols);
	for (i = 2; i < n; i++)
		table_right(t, i);
	table_max(t, 1, 20);
	json_array_foreach(rows, i, row) {
		table_add(t, ctl_str(row, "school"));
		table_add(t, ctl_str(row, "name"));
		for (k = activity_types; k->code != NULL; k++)
			table_addf(t, "%" JSON_INTEGER_FORMAT, row_count(row,
			    "types", k->code));
	}
	table_print(t, stdout);
	table_free(t);
}

/* Prints the sums of the activities, the district's or per school. */
int
cmd_activity_stats(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "GET", "/v1/activities/stats", NULL, NULL,
			    NULL };
	json_t		*out = NULL, *rows;
	int		 rc;

	req.query = args_object(a);
	rc = ctl_request(ctl, &req, CTL_READ_TRIES, &out);
	json_decref(req.query);
	if (rc != 0)
		return rc;
	rows = json_object_get(out, "rows");
	if (ctl->json)
		ctl_print_json(out);
	else if (!json_is_array(rows))
		rc = ctl_unexpected(ctl, _("no \"rows\" list"));
	else if (strcmp(ctl_str(out, "by") != NULL ? ctl_str(out, "by") : "",
	    "school") == 0)
		print_schools(rows);
	else
		print_district(json_array_get(rows, 0));
	json_decref(out);
	return rc;
}
