/*
 * Early warnings: the office sends them, schools acknowledge them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "safetext.h"
#include "table.h"
#include "xmalloc.h"

const struct opt warn_opts[] = {
	{ "title", "T", OPT_REQUIRED | OPT_WIRE, N_("what it is about, e.g. "
	    "台风预警") },
	{ "body", "B", OPT_REQUIRED | OPT_WIRE, N_("what schools must do") },
	{ "school", "CODE", OPT_MULTI, N_("a school it goes to (again for "
	    "more); default every school") },
	{ NULL, NULL, 0, NULL }
};

/* Sends a warning. */
int
cmd_warn(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", "/v1/warnings", NULL, NULL, NULL };
	json_t		*w = NULL, *schools;
	int		 i, rc;

	req.body = args_object(a);
	if (a->nmulti > 0) {
		schools = json_array();
		for (i = 0; i < a->nmulti; i++)
			json_array_append_new(schools,
			    json_string(a->multi[i]));
		json_object_set_new(req.body, "schools", schools);
	}
	rc = ctl_request(ctl, &req, 1, &w);
	json_decref(req.body);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(w);
	else
		printf("%lld\n", (long long)json_integer_value(
		    json_object_get(w, "id")));
	json_decref(w);
	return 0;
}

/* Lists warnings: one row for each school a warning goes to. */
int
cmd_warnings(struct ctl *ctl, const struct args *a)
{
	static const char *const cols[] = { N_("ID"), N_("ISSUED"),
	    N_("TITLE"), N_("BODY"), N_("SCHOOL"), N_("ACKNOWLEDGED") };
	struct conn_req	 req = { "GET", "/v1/warnings", NULL, NULL, NULL };
	struct table	*t;
	json_t		*list = NULL, *w, *s;
	size_t		 i, j;
	char		 b1[32], b2[32];
	int		 rc;

	(void)a;
	if ((rc = ctl_request(ctl, &req, CTL_READ_TRIES, &list)) != 0)
		return rc;
	if (ctl->json) {
		ctl_print_json(list);
		json_decref(list);
		return 0;
	}
	t = ctl_table(6, cols);
	table_right(t, 0);
	table_max(t, 2, 30);
	table_max(t, 3, 40);
	json_array_foreach(json_object_get(list, "warnings"), i, w) {
		json_array_foreach(json_object_get(w, "schools"), j, s) {
			table_addf(t, "%lld", (long long)json_integer_value(
			    json_object_get(w, "id")));
			table_add(t, ctl_time(ctl_str(w, "issued_at"), b1,
			    sizeof(b1)));
			table_add(t, ctl_str(w, "title"));
			table_add(t, ctl_str(w, "body"));
			table_add(t, ctl_str(s, "code"));
			table_add(t, ctl_time(ctl_str(s, "acked_at"), b2,
			    sizeof(b2)));
		}
	}
	table_print(t, stdout);
	table_free(t);
	json_decref(list);
	return 0;
}

/* A member of w as a string, or "". */
static const char *
text(const json_t *w, const char *key)
{
	const char	*s = ctl_str(w, key);

	return s != NULL ? s : "";
}

/* Prints one warning whole: its body, and who has acknowledged it. */
int
cmd_warning_show(struct ctl *ctl, const struct args *a)
{
	static const char *const cols[] = { N_("SCHOOL"), N_("NAME"),
	    N_("ACKNOWLEDGED"), N_("BY") };
	struct conn_req	 req = { "GET", "/v1/warnings", NULL, NULL, NULL };
	struct table	*t;
	json_t		*list = NULL, *w, *found = NULL, *s;
	long long	 id;
	size_t		 i;
	const char	*p;
	char		 buf[32], *safe;
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	if ((rc = ctl_request(ctl, &req, CTL_READ_TRIES, &list)) != 0)
		return rc;
	json_array_foreach(json_object_get(list, "warnings"), i, w)
		if (json_integer_value(json_object_get(w, "id")) == id)
			found = w;
	if (found == NULL) {
		fprintf(stderr, _("hazardctl: warning %lld: no such "
		    "warning\n"), id);
		json_decref(list);
		return EXIT_REFUSED;
	}
	if (ctl->json) {
		ctl_print_json(found);
		json_decref(list);
		return 0;
	}
	printf(_("Warning %lld: "), id);
	ctl_put_line(stdout, text(found, "title"));
	putchar('\n');
	printf(_("issued %s by "), ctl_time(ctl_str(found, "issued_at"), buf,
	    sizeof(buf)));
	ctl_put_line(stdout, text(found, "issuer"));
	printf("\n\n");
	/* The body's lines indented: none of them passes for ours. */
	safe = safetext_lines(text(found, "body"));
	fputs("  ", stdout);
	for (p = safe; *p != '\0'; p++) {
		putchar(*p);
		if (*p == '\n')
			fputs("  ", stdout);
	}
	free(safe);
	printf("\n\n");
	t = ctl_table(4, cols);
	json_array_foreach(json_object_get(found, "schools"), i, s) {
		table_add(t, ctl_str(s, "code"));
		table_add(t, ctl_str(s, "name"));
		table_add(t, ctl_time(ctl_str(s, "acked_at"), buf,
		    sizeof(buf)));
		table_add(t, ctl_str(s, "acked_by"));
	}
	table_print(t, stdout);
	table_free(t);
	json_decref(list);
	return 0;
}

/* Acknowledges a warning, for the token's school. */
int
cmd_ack(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", NULL, NULL, NULL, NULL };
	struct queued	 q = { "ack", NULL, 0, NULL, 0, 0 };
	json_t		*w = NULL;
	long long	 id;
	char		*path, what[64];
	int		 rc;

	if ((rc = args_id(a, 0, &id)) != 0)
		return rc;
	xasprintf(&path, "/v1/warnings/%lld/ack", id);
	req.path = path;
	snprintf(what, sizeof(what), _("warning %lld"), id);
	/*
	 * An acknowledgement given again keeps the first: it may be sent
	 * again after a 503, and kept in the queue when there is no answer.
	 */
	q.what = what;
	rc = queue_request(ctl, &req, CTL_READ_TRIES, &q, &w);
	free(path);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(w);
	else
		printf(_("warning %lld acknowledged\n"), id);
	json_decref(w);
	return 0;
}
