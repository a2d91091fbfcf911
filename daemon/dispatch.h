/*
 * The monthly dispatch: a month's escalations, written on the loop
 * before the month's digest is built.
 */
#ifndef HAZARDD_DISPATCH_H
#define HAZARDD_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "digest.h"

/*
 * A month's escalation: every hazard that is overdue, or open more than
 * escalate_after_days calendar days after it was reported, and not yet
 * escalated for this month, goes up one level; each is an 'escalate'
 * event of the audit trail naming the department it is dispatched to.
 * digest_escalation_list() lists them (a new array, 0, or -1 logged),
 * reading only (a thread may call it); digest_escalate_one() escalates
 * one, unless it has been closed or cancelled meanwhile, and the caller
 * holds a transaction (0, or -1).
 */
int	digest_escalation_list(const struct digest_request *req,
	    int64_t **ids, size_t *n);
int	digest_escalate_one(const struct digest_request *req, int64_t id);

/* The department a category goes to: the configured one, or the
 * education commission. */
const char *digest_department(const struct config *cfg,
	    const char *category);

#endif
