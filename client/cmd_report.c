/*
 * Rates and statistics: rate, stats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "rate.h"
#include "table.h"
#include "wire.h"
#include "xmalloc.h"

#define NAME_COLS	24	/* the name of a school */

const struct opt rate_opts[] = {
	{ "kind", WIRE_KINDS, OPT_WIRE | OPT_ENUM,
	    N_("of this kind (default hazard)") },
	{ "school", "CODE", OPT_WIRE, N_("of this school") },
	{ "category", "C", OPT_WIRE, N_("of this category") },
	{ "since", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or after DATE") },
	{ "until", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or before DATE") },
	{ "as-of", "WHEN", OPT_WIRE, N_("as it stood at WHEN: RFC 3339, or a "
	    "date for the end of that day") },
	{ "at", "WHEN", OPT_WIRE, N_("as it stood at WHEN: RFC 3339, or a date "
	    "for the end of that day") },
	{ NULL, NULL, 0, NULL }
};

const struct opt yearbook_opts[] = {
	{ "school", "CODE", OPT_WIRE, N_("of this school") },
	{ "format", "text|md|json", OPT_ENUM,
	    N_("the paragraph (the default), as Markdown, or the JSON") },
	{ NULL, NULL, 0, NULL }
};

const struct opt stats_opts[] = {
	{ "by", WIRE_BYS, OPT_REQUIRED | OPT_WIRE | OPT_ENUM,
	    N_("one row per school, per category, or per month (the last "
	    "12, as each stood at its end)") },
	{ "since", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or after DATE") },
	{ "until", "DATE", OPT_WIRE | OPT_DATE,
	    N_("reported on or before DATE") },
	{ "months", "N", OPT_WIRE,
	    N_("by month: this many months up to this one (default 12)") },
	{ "as-of", "WHEN", OPT_WIRE, N_("as it stood at WHEN: RFC 3339, or a "
	    "date for the end of that day") },
	{ NULL, NULL, 0, NULL }
};

/* GETs path with the command's options as the query into *out. */
static int
get(struct ctl *ctl, const struct args *a, const char *path, json_t **out)
{
	struct conn_req	req = { "GET", NULL, NULL, NULL, NULL };
	int		rc;

	req.path = path;
	req.query = args_object(a);
	rc = ctl_request(ctl, &req, CTL_READ_TRIES, out);
	json_decref(req.query);
	return rc;
}

/* Prints the rate alone: 411/416 (98.8%). */
int
cmd_rate(struct ctl *ctl, const struct args *a)
{
	json_t		*r;
	const char	*text;
	char		 buf[RATE_TEXT_MAX];
	int		 rc;

	if ((rc = get(ctl, a, "/v1/rate", &r)) != 0)
		return rc;
	text = ctl_rate(r, buf, sizeof(buf));
	if (ctl->json)
		ctl_print_json(r);
	else if (strcmp(text, "-") == 0)
		rc = ctl_unexpected(ctl, _("no rate"));
	else
		printf("%s\n", text);
	json_decref(r);
	return rc;
}

/*
 * Prints the groups of stats: counts, and the rate of each kind.  A
 * school's name, or a category's in the user's language (its code when
 * the vocabulary has no such category).
 */
static void
print_groups(const json_t *groups, int by_school)
{
	static const char *const school_cols[] = { N_("SCHOOL"), N_("NAME"),
	    N_("OPEN"), N_("OVERDUE"), N_("HAZARDS"), N_("FINDINGS") };
	static const char *const category_cols[] = { N_("CATEGORY"),
	    N_("NAME"), N_("OPEN"), N_("OVERDUE"), N_("HAZARDS"),
	    N_("FINDINGS") };
	struct table	*t;
	const json_t	*g;
	const char	*lang = ctl_reads_chinese() ? "zh" : "en";
	size_t		 i;
	char		 buf[RATE_TEXT_MAX];

	t = ctl_table(6, by_school ? school_cols : category_cols);
	table_max(t, 1, NAME_COLS);
	table_right(t, 2);
	table_right(t, 3);
	json_array_foreach(groups, i, g) {
		table_add(t, ctl_str(g, "key"));
		table_add(t, ctl_str(g, by_school ? "name" : lang));
		table_add(t, ctl_text(json_object_get(g, "open"), buf,
		    sizeof(buf)));
		table_add(t, ctl_text(json_object_get(g, "overdue"), buf,
		    sizeof(buf)));
		table_add(t, ctl_rate(json_object_get(g, "hazard"), buf,
		    sizeof(buf)));
		table_add(t, ctl_rate(json_object_get(g, "finding"), buf,
		    sizeof(buf)));
	}
	table_print(t, stdout);
	table_free(t);
}

/*
 * Prints the months of stats --by month: the hazards open at each
 * month's end, and the rate of each kind then.
 */
static void
print_months(const json_t *groups)
{
	static const char *const cols[] = { N_("MONTH"), N_("OPEN"),
	    N_("HAZARDS"), N_("FINDINGS") };
	struct table	*t;
	const json_t	*g;
	size_t		 i;
	char		 buf[RATE_TEXT_MAX];

	t = ctl_table(4, cols);
	table_right(t, 1);
	json_array_foreach(groups, i, g) {
		table_add(t, ctl_str(g, "key"));
		table_add(t, ctl_text(json_object_get(g, "open"), buf,
		    sizeof(buf)));
		table_add(t, ctl_rate(json_object_get(g, "hazard"), buf,
		    sizeof(buf)));
		table_add(t, ctl_rate(json_object_get(g, "finding"), buf,
		    sizeof(buf)));
	}
	table_print(t, stdout);
	table_free(t);
}

/* Prints counts and rates per school, per category or per month. */
int
cmd_stats(struct ctl *ctl, const struct args *a)
{
	json_t	*s, *groups;
	int	 rc;

	if ((rc = get(ctl, a, "/v1/stats", &s)) != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(s);
	else if (!json_is_array(groups = json_object_get(s, "groups")))
		rc = ctl_unexpected(ctl, _("no \"groups\" list"));
	else if (strcmp(args_get(a, "by"), WIRE_BY_MONTH) == 0)
		print_months(groups);
	else
		print_groups(groups, strcmp(args_get(a, "by"), WIRE_BY_SCHOOL) == 0);
	json_decref(s);
	return rc;
}

/*
 * Prints the safety paragraph of a year's self-assessment: as text,
 * under a Markdown heading, or the server's JSON with the exact counts.
 */
int
cmd_yearbook(struct ctl *ctl, const struct args *a)
{
	const char	*year = a->operand[0], *format, *text;
	json_t		*y;
	char		*path;
	int		 rc;

	if (strlen(year) != 4 || strspn(year, "0123456789") != 4)
		return args_usage(a->cmd, _("'%s' is not a year (YYYY)"), year);
	if ((format = args_get(a, "format")) == NULL)
		format = ctl->json ? "json" : "text";
	xasprintf(&path, "/v1/yearbook/%s", year);
	rc = get(ctl, a, path, &y);
	free(path);
	if (rc != 0)
		return rc;
	if (strcmp(format, "json") == 0)
		ctl_print_json(y);
	else if ((text = ctl_str(y, "text")) == NULL)
		rc = ctl_unexpected(ctl, _("no \"text\" in the yearbook"));
	else {
		if (strcmp(format, "md") == 0)
			printf(_("## Safety, %s\n\n"), year);
		ctl_put_line(stdout, text);
		putchar('\n');
	}
	json_decref(y);
	return rc;
}
