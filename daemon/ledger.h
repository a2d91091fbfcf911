/*
 * The ledger: every change to the records, each with its entry of the
 * audit trail, one function per kind of change.  Whatever the door (a
 * handler, the import, the monthly dispatch, `hazardd token create`),
 * the caller checks what it was given and says who acts; the ledger
 * applies the change through the store, inside the caller's
 * transaction, and writes its event.  It takes an actor, never a
 * request: it does not know how a change arrived.
 *
 * Functions return 0 (STORE_OK), or STORE_ERROR (-1) when the store
 * failed (logged): the caller then undoes its transaction.
 */
#ifndef HAZARDD_LEDGER_H
#define HAZARDD_LEDGER_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "hazard.h"
#include "import.h"
#include "store.h"
#include "token.h"

/* Who makes a change: a token's holder, or hazardd itself. */
struct actor {
	int64_t			 token_id;	/* 0: hazardd itself */
	const char		*name;
	enum hazard_role	 role;
};

/* hazardd itself, as the monthly dispatch: "system" in the trail. */
extern const struct actor ledger_hazardd;

/* The role of who as the audit trail names it: office, school, system. */
const char	*ledger_role_name(const struct actor *who);

/*
 * A report: inserts h as open, reported and updated at, with its
 * idempotency key (or NULL) and who's token; and the event "report".
 * The new hazard's id goes to *id.
 */
int	ledger_report(const struct actor *who, time_t at, struct hazard *h,
	    const char *key, int64_t *id);

/*
 * An action on h, as loaded and with an assessment's fields applied
 * already (what changed in changes, a JSON object, or NULL): decides by
 * hazard_transition() whether who may take it, then writes h's new
 * state, updated_at (closed_at, cancelled_at) and the event of a with
 * note and changes; and h's rejection, kept with the hazard (a reject
 * sets it to its event, leaving open clears it).  Returns VERDICT_OK, written; the verdict that
 * refuses it, with nothing written or changed (and *missing set for
 * VERDICT_INCOMPLETE); or STORE_ERROR.  The event's id goes to *event
 * unless event is NULL.
 */
int	ledger_act(const struct actor *who, time_t at, struct hazard *h,
	    enum hazard_action a, const char *note, json_t *changes,
	    const char **missing, int64_t *event);

/*
 * The monthly dispatch of h: raises its escalation level by one, gives
 * it dept if it has no department, and writes h (updated at) and the
 * event "escalate" with period as its note and both changes.
 */
int	ledger_escalate(const struct actor *who, time_t at, struct hazard *h,
	    const char *dept, const char *period);

/*
 * An imported row: inserts h as the file has it (its state and times,
 * school_id set), with its key and who's token; and its trail, each
 * event noted "imported" unless the file gives the note: the report,
 * and what brought it to its state, when it happened as far as the file
 * tells (tr; NULL: by its state alone).  A rejection after the
 * rectification is dated as that.  The new hazard's id goes to *id.
 * Uses store_import_begin()'s statement.
 */
int	ledger_import(const struct actor *who, const struct hazard *h,
	    const struct import_trail *tr, const char *key, int64_t *id);

/*
 * A safety activity, as checked by the caller (a known school, type and
 * subtype, a count > 0, a date not in the future): inserts a as
 * recorded by who at a->recorded_at (a->token_id and a->recorded_by set
 * from who), with the event "activity" whose changes hold its fields
 * (school, type, subtype, date, count), so that the trail keeps what
 * was recorded.  The new activity's id goes to a->id.
 */
int	ledger_activity(const struct actor *who, struct activity *a);

/*
 * Issues a token: makes its secret, writes it to secret (the only time
 * it exists), and inserts its hash with name, role and school (0 for
 * the office), created at.  No event: the token's row is its record.
 */
int	ledger_token_issue(const char *name, enum hazard_role role,
	    int64_t school_id, time_t at, char secret[TOKEN_TEXT_LEN],
	    int64_t *id);

/*
 * Revokes token id at, unless it is revoked already: STORE_OK,
 * STORE_NOTFOUND if no live token has that id, or STORE_ERROR.  No
 * event: the token's row is its record.  The caller clears what it
 * caches of tokens (tokcache_clear()).
 */
int	ledger_token_revoke(int64_t id, time_t at);

#endif
