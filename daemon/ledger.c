/*
 * The ledger: every change to the records with its audit event, inside
 * the caller's transaction.  See ledger.h.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/*
 * hazardd itself acts with the office's rights (it assigns departments)
 * and no token: the trail names its role "system".
 */
const struct actor ledger_hazardd = { 0, "hazardd", ROLE_OFFICE };

const char *
ledger_role_name(const struct actor *who)
{
	if (who->token_id == 0)
		return "system";
	return who->role == ROLE_OFFICE ? "office" : "school";
}

/* Fills an event of the audit trail for what who did to hazard id. */
static void
event_init(struct hazard_event *e, const struct actor *who, int64_t id,
    time_t at, enum hazard_action action, int from, enum hazard_state to)
{
	memset(e, 0, sizeof(*e));
	e->hazard_id = id;
	e->at = at;
	e->token_id = who->token_id;
	e->actor = who->name;
	e->role = ledger_role_name(who);
	e->action = action;
	e->from_state = from;
	e->to_state = to;
}

/* Writes the row of the hazard and the event "report". */
int
ledger_report(const struct actor *who, time_t at, struct hazard *h,
    const char *key, int64_t *id)
{
	struct hazard_event	e;

	h->state = STATE_OPEN;
	h->reported_at = h->updated_at = at;
	if (store_hazard_insert(h, key, who->token_id, id) != STORE_OK)
		return STORE_ERROR;
	h->id = *id;
	event_init(&e, who, *id, at, ACTION_REPORT, -1, STATE_OPEN);
	return store_event_insert(&e) == STORE_OK ? STORE_OK : STORE_ERROR;
}

/*
 * A rejection shows while the hazard is open after it: e, of action a,
 * sets it or leaves it, or clears it when h leaves open.
 */
static void
rejection(const struct actor *who, struct hazard *h, enum hazard_action a,
    const struct hazard_event *e)
{
	if (a != ACTION_REJECT && h->state == STATE_OPEN)
		return;
	free(h->rejected_by);
	free(h->reject_note);
	h->rejected_by = h->reject_note = NULL;
	h->rejected = 0;
	h->rejected_at = 0;
	if (a == ACTION_REJECT) {
		h->rejected = e->id;
		h->rejected_at = e->at;
		h->rejected_by = xstrdup(who->name);
		h->reject_note = e->note != NULL ? xstrdup(e->note) : NULL;
	}
}

/* Writes h's new fields and state and the event of the action. */
int
ledger_act(const struct actor *who, time_t at, struct hazard *h,
    enum hazard_action a, const char *note, json_t *changes,
    const char **missing, int64_t *event)
{
	struct hazard_event	 e;
	enum hazard_verdict	 verdict;
	enum hazard_state	 from = h->state, to;
	char			*text = NULL;
	int			 rc = STORE_ERROR;

	verdict = hazard_transition(h, a, who->role, &to, missing);
	if (verdict != VERDICT_OK)
		return verdict;
	h->state = to;
	h->updated_at = at;
	if (to == STATE_CLOSED)
		h->closed_at = at;
	if (to == STATE_CANCELLED)
		h->cancelled_at = at;
	if (changes != NULL && json_object_size(changes) > 0)
		text = json_dumps(changes, JSON_COMPACT);
	event_init(&e, who, h->id, at, a, from, to);
	e.note = note;
	e.changes = text;
	/* The event first: a rejection is kept on the hazard by its id. */
	if (store_event_insert(&e) == STORE_OK) {
		rejection(who, h, a, &e);
		if (store_hazard_update(h) == STORE_OK) {
			rc = VERDICT_OK;
			if (event != NULL)
				*event = e.id;
		}
	}
	free(text);
	return rc;
}

/* Writes h's new level (and department) and the event "escalate". */
int
ledger_escalate(const struct actor *who, time_t at, struct hazard *h,
    const char *dept, const char *period)
{
	struct hazard_event	 e;
	json_t			*changes;
	char			*text;
	int			 old, rc = STORE_ERROR;

	old = h->escalation;
	h->escalation++;
	h->updated_at = at;
	changes = json_pack("{s:[i,i]}", "escalation", old, h->escalation);
	if (h->text[FIELD_DEPARTMENT] == NULL) {
		h->text[FIELD_DEPARTMENT] = xstrdup(dept);
		json_object_set_new(changes, "department",
		    json_pack("[n,s]", dept));
	}
	text = json_dumps(changes, JSON_COMPACT);
	event_init(&e, who, h->id, at, ACTION_ESCALATE, h->state, h->state);
	e.note = period;
	e.changes = text;
	if (store_hazard_update(h) == STORE_OK &&
	    store_event_insert(&e) == STORE_OK)
		rc = STORE_OK;
	free(text);
	json_decref(changes);
	return rc;
}

/*
 * Writes one event of an imported hazard's trail, noted note or
 * "imported"; its id goes to *eid if not NULL.
 */
static int
import_event(const struct actor *who, int64_t id, enum hazard_action action,
    int from, enum hazard_state to, time_t at, const char *note,
    int64_t *eid)
{
	struct hazard_event	e;

	event_init(&e, who, id, at, action, from, to);
	e.note = note != NULL ? note : "imported";
	if (store_event_insert(&e) != STORE_OK)
		return STORE_ERROR;
	if (eid != NULL)
		*eid = e.id;
	return STORE_OK;
}

/* Writes the imported hazard's row and its trail. */
int
ledger_import(const struct actor *who, const struct hazard *h,
    const struct import_trail *tr, const char *key, int64_t *id)
{
	struct import_trail	 by_state = { 0, NULL, 0, NULL };
	struct hazard		 copy;
	int			 from = STATE_OPEN;

	if (tr == NULL) {
		if (h->state == STATE_RECTIFIED)
			by_state.rectified_at = h->reported_at;
		else if (h->state == STATE_CLOSED)
			by_state.rectified_at = h->closed_at;
		tr = &by_state;
	}
	if (store_import_hazard(h, key, who->token_id, id) != STORE_OK ||
	    import_event(who, *id, ACTION_REPORT, -1, STATE_OPEN,
	    h->reported_at, NULL, NULL) == STORE_ERROR)
		return STORE_ERROR;
	if (tr->rectified_at != 0) {
		if (import_event(who, *id, ACTION_RECTIFY, STATE_OPEN,
		    STATE_RECTIFIED, tr->rectified_at, tr->rectify_note,
		    NULL) == STORE_ERROR)
			return STORE_ERROR;
		from = STATE_RECTIFIED;
	}
	switch (h->state) {
	case STATE_OPEN:
		if (!tr->rejected)
			return STORE_OK;
		/* Shown on the hazard while it is open, as a reject is. */
		copy = *h;
		copy.id = *id;
		if (import_event(who, *id, ACTION_REJECT, STATE_RECTIFIED,
		    STATE_OPEN, tr->rectified_at, tr->reject_note,
		    &copy.rejected) == STORE_ERROR)
			return STORE_ERROR;
		return store_hazard_update(&copy);
	case STATE_CLOSED:
		return import_event(who, *id, ACTION_VERIFY, STATE_RECTIFIED,
		    STATE_CLOSED, h->closed_at, NULL, NULL);
	case STATE_CANCELLED:
		return import_event(who, *id, ACTION_CANCEL, from,
		    STATE_CANCELLED, h->cancelled_at, NULL, NULL);
	default:
		return STORE_OK;
	}
}

/* Writes the activity's row and its event. */
int
ledger_activity(const struct actor *who, struct activity *a)
{
	json_t	*changes;
	char	*text;
	int	 rc = STORE_ERROR;

	a->token_id = who->token_id;
	a->recorded_by = who->name;
	if (store_activity_insert(a) != STORE_OK)
		return STORE_ERROR;
	changes = json_pack("{s:s, s:s, s:s?, s:s, s:I}", "school", a->school,
	    "type", a->type, "subtype", a->subtype, "date", a->date, "count",
	    (json_int_t)a->count);
	text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	if (store_activity_event(a->id, a, ledger_role_name(who), text) ==
	    STORE_OK)
		rc = STORE_OK;
	free(text);
	json_decref(changes);
	return rc;
}

/* Writes the row of a new token. */
int
ledger_token_issue(const char *name, enum hazard_role role,
    int64_t school_id, time_t at, char secret[TOKEN_TEXT_LEN], int64_t *id)
{
	uint8_t	hash[TOKEN_HASH_LEN];
	int	rc;

	if (token_generate(secret) == -1) {
		log_warn("getrandom");
		return STORE_ERROR;
	}
	if (token_hash(secret, strlen(secret), hash) == -1) {
		log_warnx("cannot hash a token");
		return STORE_ERROR;
	}
	rc = store_token_insert(name, role, school_id, hash, at, id);
	return rc == STORE_EXISTS ? STORE_ERROR : rc;
}

/* Writes the token's revoked_at. */
int
ledger_token_revoke(int64_t id, time_t at)
{
	return store_token_revoke(id, at);
}
