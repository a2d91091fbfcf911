/*
 * The audit trail's hash chain: audit verify.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "conn.h"
#include "hazardctl.h"

const struct opt audit_verify_opts[] = {
	{ "head", "ID:HEX", OPT_WIRE, N_("a head a digest printed: the chain "
	    "must still pass through it") },
	{ NULL, NULL, 0, NULL }
};

/* Says what the first event that does not match was. */
static void
print_mismatch(const json_t *bad)
{
	printf(_("the chain breaks at event %lld (%s, %s of hazard %lld by "
	    "%s): %s\n"),
	    (long long)json_integer_value(json_object_get(bad, "id")),
	    ctl_str(bad, "at"), ctl_str(bad, "action"),
	    (long long)json_integer_value(json_object_get(bad, "hazard")),
	    ctl_str(bad, "actor"), strcmp(ctl_str(bad, "reason"),
	    "no_hash") == 0 ? _("it has no hash") :
	    _("its hash is not the chain's"));
}

/* Says whether the chain passes through the head asked for. */
static void
print_checked(const json_t *want)
{
	long long	id;

	id = (long long)json_integer_value(json_object_get(want, "id"));
	if (json_is_true(json_object_get(want, "matches")))
		printf(_("head %lld:%s: the chain passes through it\n"), id,
		    ctl_str(want, "hex"));
	else if (json_is_true(json_object_get(want, "found")))
		printf(_("head %lld:%s: NOT in the chain: event %lld's hash "
		    "differs; the trail was rewritten after it was printed\n"),
		    id, ctl_str(want, "hex"), id);
	else
		printf(_("head %lld:%s: the chain does not reach event %lld\n"),
		    id, ctl_str(want, "hex"), id);
}

/* GET /v1/audit/verify: exits 0 only if it all matches. */
int
cmd_audit_verify(struct ctl *ctl, const struct args *a)
{
	struct conn_req	 req = { "GET", "/v1/audit/verify", NULL, NULL, NULL };
	json_t		*r, *head, *bad, *want;
	int		 rc;

	req.query = args_object(a);
	rc = ctl_request(ctl, &req, CTL_READ_TRIES, &r);
	json_decref(req.query);
	if (rc != 0)
		return rc;
	if (!json_is_boolean(json_object_get(r, "ok"))) {
		rc = ctl_unexpected(ctl, _("no \"ok\""));
		json_decref(r);
		return rc;
	}
	if (ctl->json)
		ctl_print_json(r);
	else {
		head = json_object_get(r, "head");
		printf(_("audit trail: %lld events match"), (long long)
		    json_integer_value(json_object_get(r, "events")));
		if (json_is_object(head))
			printf(_("; the last: event %lld, %.16s"), (long long)
			    json_integer_value(json_object_get(head, "id")),
			    ctl_str(head, "hash"));
		printf("\n");
		if (json_is_object(bad = json_object_get(r, "first_mismatch")))
			print_mismatch(bad);
		if (json_is_object(want = json_object_get(r, "checked_head")))
			print_checked(want);
	}
	rc = json_is_true(json_object_get(r, "ok")) ? 0 : EXIT_REFUSED;
	json_decref(r);
	return rc;
}
