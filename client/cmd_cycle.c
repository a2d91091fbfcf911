/*
 * The cycle, for the office: reading digests, running a period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"
#include "wire.h"
#include "xmalloc.h"

const struct opt period_opts[] = {
	{ "period", "P", OPT_WIRE, N_("the period: 2026-11-24, 2026-W48 or "
	    "2026-11 (default: the latest)") },
	{ NULL, NULL, 0, NULL }
};

const struct opt run_opts[] = {
	{ "period", "P", OPT_WIRE, N_("the period: 2026-11-24, 2026-W48 or "
	    "2026-11 (default: the day or week under way, up to now; the "
	    "month just ended)") },
	{ NULL, NULL, 0, NULL }
};

/* Checks the KIND operand.  Returns 0, or EXIT_USAGE said. */
static int
check_kind(const struct args *a)
{
	const char	*k = a->operand[0];

	if (wire_find(wire_cycles, wire_word(k)) == -1)
		return args_usage(a->cmd, _("'%s' is no cycle: daily, weekly "
		    "or monthly"), k);
	return 0;
}

/* Prints a digest: its text, or with --json all of it. */
static int
print_digest(struct ctl *ctl, const json_t *d)
{
	const char	*text;

	if (ctl->json)
		return ctl_print_json(d);
	if ((text = ctl_str(d, "text")) == NULL)
		return ctl_unexpected(ctl, _("a digest without text"));
	ctl_put_lines(stdout, text);
	return 0;
}

/* Prints the latest digest of a kind (and period). */
int
cmd_digest(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "GET", "/v1/digests", NULL, NULL, NULL };
	json_t		*list = NULL, *d = NULL, *first;
	const char	*kind = wire_word(a->operand[0]);
	char		*path;
	int		 rc;

	if ((rc = check_kind(a)) != 0)
		return rc;
	req.query = args_object(a);
	json_object_set_new(req.query, "kind", json_string(kind));
	rc = ctl_request(ctl, &req, CTL_READ_TRIES, &list);
	json_decref(req.query);
	if (rc != 0)
		return rc;
	first = json_array_get(json_object_get(list, "digests"), 0);
	if (first == NULL) {
		if (args_get(a, "period") != NULL)
			fprintf(stderr, _("hazardctl: no %s digest for %s yet; "
			    "make one with: hazardctl cycle run %s --period "
			    "%s\n"), ctl_word(kind), args_get(a, "period"),
			    kind, args_get(a, "period"));
		else
			fprintf(stderr, _("hazardctl: no %s digest yet; make "
			    "one with: hazardctl cycle run %s\n"),
			    ctl_word(kind), kind);
		json_decref(list);
		return EXIT_REFUSED;
	}
	xasprintf(&path, "/v1/digests/%lld",
	    (long long)json_integer_value(json_object_get(first, "id")));
	req.path = path;
	req.query = NULL;
	if ((rc = ctl_request(ctl, &req, CTL_READ_TRIES, &d)) == 0)
		rc = print_digest(ctl, d);
	free(path);
	json_decref(d);
	json_decref(list);
	return rc;
}

/* Runs a period now: a new revision. */
int
cmd_cycle_run(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "POST", NULL, NULL, NULL, NULL };
	json_t		*d = NULL;
	char		*path;
	int		 rc;

	if ((rc = check_kind(a)) != 0)
		return rc;
	xasprintf(&path, "/v1/cycles/%s/run", wire_word(a->operand[0]));
	req.path = path;
	req.body = args_object(a);
	/*
	 * The answer comes when the run is done: on a large database a
	 * monthly run that escalates thousands of hazards takes longer
	 * than the half minute any other request is given.
	 */
	conn_timeout(ctl->conn, CYCLE_RUN_TIMEOUT);
	rc = ctl_request(ctl, &req, 1, &d);
	conn_timeout(ctl->conn, CONN_TIMEOUT);
	json_decref(req.body);
	free(path);
	if (rc != 0)
		return rc;
	if (ctl->json)
		ctl_print_json(d);
	else
		printf(_("%s %s revision %lld (digest %lld)\n"),
		    ctl_word(ctl_str(d, "kind")), ctl_str(d, "period"),
		    (long long)json_integer_value(json_object_get(d,
		    "revision")),
		    (long long)json_integer_value(json_object_get(d, "id")));
	json_decref(d);
	return 0;
}
