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
	const struct config	*cfg;
};

/*
 * Builds the digest of a period from the database.  For a monthly one
 * it also escalates and dispatches (see digest_dispatch), so the caller
 * holds a transaction.  Returns a new JSON object, or NULL (logged).
 */
json_t	*digest_build(const struct digest_request *req);

/*
 * Escalates one level every hazard that is overdue, or open more than
 * escalate_after_days calendar days after it was reported, and not yet
 * escalated for this month; each is an 'escalate' event of the audit
 * trail naming the department it is dispatched to.  Returns the
 * dispatch as JSON, or NULL (logged).
 */
json_t	*digest_dispatch(const struct digest_request *req, time_t until,
	    const char *today);

/* Renders a digest as plain UTF-8 text.  Returns a new string. */
char	*digest_render_text(const json_t *digest, const char *language);

/* The department a category goes to: the configured one, or the
 * education commission. */
const char *digest_department(const struct config *cfg,
	    const char *category);

#endif
