/*
 * The digests of the cycle: the figures of a period as JSON, the same
 * as aligned plain text in Chinese or English, and the monthly dispatch.
 */
#ifndef HAZARDD_DIGEST_H
#define HAZARDD_DIGEST_H

#include <time.h>

#include <jansson.h>

#include "config.h"
#include "period.h"

/* One run of a period, as the cycle asks for it. */
struct digest_request {
	struct period		 period;
	int			 revision;
	const char		*trigger;	/* schedule, catchup, manual */
	time_t			 made_at;
	time_t			 since;		/* 0: the period's own start */
	const struct config	*cfg;
};

/*
 * Builds the digest of a period from the database, reading only: it may
 * run on a thread of its own with its own connection (db_open_reader),
 * and reads of req->cfg only its numbers and language.  A monthly one
 * lists the hazards digest_escalate escalated for the month.  Returns a
 * new JSON object, or NULL (logged).
 */
json_t	*digest_build(const struct digest_request *req);

/*
 * A month's escalation: every hazard that is overdue, or open more than
 * escalate_after_days calendar days after it was reported, and not yet
 * escalated for this month, goes up one level; each is an 'escalate'
 * event of the audit trail naming the department it is dispatched to.
 * digest_escalation_list() lists them (a new array, 0, or -1 logged);
 * digest_escalate_one() escalates one, unless it has been closed or
 * cancelled meanwhile, and the caller holds a transaction (0, or -1).
 */
int	digest_escalation_list(const struct digest_request *req,
	    int64_t **ids, size_t *n);
int	digest_escalate_one(const struct digest_request *req, int64_t id);

/* Renders a digest as plain UTF-8 text.  Returns a new string. */
char	*digest_render_text(const json_t *digest, const char *language);

/* The department a category goes to: the configured one, or the
 * education commission. */
const char *digest_department(const struct config *cfg,
	    const char *category);

#endif
