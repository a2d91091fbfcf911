/*
 * The monthly dispatch: the hazards overdue, or open too long, go up
 * one level of escalation and to the department of their category,
 * each once a month, with an 'escalate' event of the audit trail.  The
 * digest of the month lists them (digest.c).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "digest.h"
#include "dispatch.h"
#include "ledger.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

const char *
digest_department(const struct config *cfg, const char *category)
{
	const char	*d = config_department(cfg, category);

	if (d != NULL)
		return d;
	return strcmp(cfg->language, "en") == 0 ? "Education Commission" :
	    "教育局";
}

/* Collects the ids of the hazards to dispatch. */
struct id_list {
	int64_t	*ids;
	size_t	 n;
};

static int
ids_add(const struct digest_item *it, void *arg)
{
	struct id_list	*l = arg;

	l->ids = xreallocarray(l->ids, l->n + 1, sizeof(*l->ids));
	l->ids[l->n++] = it->id;
	return 0;
}

/* Escalates one hazard: 0, or -1 logged. */
static int
escalate_one(const struct digest_request *req, int64_t id,
    const char *period)
{
	struct hazard	 h;
	int		 rc = -1;

	if (store_hazard_get(id, &h) != STORE_OK)
		return -1;
	/* Closed or cancelled since it was listed: nothing to dispatch. */
	if (h.state != STATE_OPEN && h.state != STATE_RECTIFIED) {
		hazard_clear(&h);
		return 0;
	}
	if (ledger_escalate(&ledger_hazardd, req->made_at, &h,
	    digest_department(req->cfg, h.text[FIELD_CATEGORY]),
	    period) == STORE_OK) {
		log_info("hazard %" PRId64 " (%s): escalated to level %d, "
		    "dispatched to %s (%s)", id, h.school, h.escalation,
		    h.text[FIELD_DEPARTMENT], period);
		rc = 0;
	}
	hazard_clear(&h);
	return rc;
}

int
digest_escalation_list(const struct digest_request *req, int64_t **ids,
    size_t *n)
{
	struct digest_scope	 sc;
	struct id_list		 l = { NULL, 0 };
	char			 period[PERIOD_NAME_LEN], cutoff[DATE_LEN];
	char			 today[DATE_LEN];
	time_t			 since, until;

	digest_window(req, &since, &until, today);
	period_name(&req->period, period, sizeof(period));
	date_add_days(today, -(long)req->cfg->escalate_after_days, cutoff);
	memset(&sc, 0, sizeof(sc));
	sc.until = until;
	sc.today = today;
	sc.cutoff = cutoff;
	sc.period = period;
	if (store_digest_list(LIST_DISPATCH, &sc, ids_add, &l) != STORE_OK) {
		free(l.ids);
		return -1;
	}
	*ids = l.ids;
	*n = l.n;
	return 0;
}

int
digest_escalate_one(const struct digest_request *req, int64_t id)
{
	char	period[PERIOD_NAME_LEN];

	period_name(&req->period, period, sizeof(period));
	return escalate_one(req, id, period);
}
