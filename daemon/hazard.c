/*
 * The domain of a hazard: kinds, grades, states, the closed loop and
 * the validation of what clients send.  Pure: no I/O, no database.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "hazard.h"
#include "utf8.h"
#include "wire.h"

static const struct {
	const char	*name;
	size_t		 max;
} fields[FIELD__MAX] = {
	{ "category",	 HAZARD_CATEGORY_MAX },
	{ "title",	 HAZARD_TITLE_MAX },
	{ "description", HAZARD_TEXT_MAX },
	{ "location",	 HAZARD_TEXT_MAX },
	{ "responsible", HAZARD_TEXT_MAX },
	{ "department",	 HAZARD_TEXT_MAX },
	{ "deadline",	 10 },
	{ "plan",	 HAZARD_TEXT_MAX },
	{ "assessment",	 HAZARD_TEXT_MAX },
	{ "funds",	 HAZARD_TEXT_MAX },
	{ "contingency", HAZARD_TEXT_MAX },
};

/*
 * The closed loop as a table: for each action, who may take it, from
 * which states, and where it leads (STATE__MAX: the state stays).
 */
static const struct {
	int			 office_only;
	unsigned		 from;		/* bit per state */
	enum hazard_state	 to;
} transitions[ACTION__MAX] = {
#define FROM(s) (1u << (s))
	[ACTION_REPORT]  = { 0, 0, STATE_OPEN },
	[ACTION_ASSESS]  = { 1, FROM(STATE_OPEN) | FROM(STATE_RECTIFIED),
			     STATE__MAX },
	[ACTION_RECTIFY] = { 0, FROM(STATE_OPEN), STATE_RECTIFIED },
	[ACTION_VERIFY]  = { 1, FROM(STATE_RECTIFIED), STATE_CLOSED },
	[ACTION_REJECT]  = { 1, FROM(STATE_RECTIFIED), STATE_OPEN },
	[ACTION_CANCEL]  = { 1, FROM(STATE_OPEN) | FROM(STATE_RECTIFIED),
			     STATE_CANCELLED },
	/* The daemon's own: no client may take it. */
	[ACTION_ESCALATE] = { 0, 0, STATE__MAX },
	/* A photo comes by POST /v1/hazards/ID/photos, not as an action. */
	[ACTION_PHOTO] = { 0, 0, STATE__MAX },
#undef FROM
};

/* Looks name up in a table of n names.  Returns its index or -1. */
static int
lookup(const char *const *names, int n, const char *name)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *
hazard_kind_name(enum hazard_kind k)
{
	return (unsigned)k < KIND__MAX ? wire_kinds[k] : NULL;
}

const char *
hazard_grade_name(enum hazard_grade g)
{
	return (unsigned)g < GRADE__MAX ? wire_grades[g] : NULL;
}

const char *
hazard_state_name(enum hazard_state s)
{
	return (unsigned)s < STATE__MAX ? wire_states[s] : NULL;
}

const char *
hazard_action_name(enum hazard_action a)
{
	return (unsigned)a < ACTION__MAX ? wire_actions[a] : NULL;
}

const char *
hazard_role_name(enum hazard_role r)
{
	return (unsigned)r < ROLE__MAX ? wire_roles[r] : NULL;
}

const char *
hazard_field_name(enum hazard_field f)
{
	return (unsigned)f < FIELD__MAX ? fields[f].name : NULL;
}

int
hazard_kind_parse(const char *s)
{
	return lookup(wire_kinds, KIND__MAX, s);
}

int
hazard_grade_parse(const char *s)
{
	return lookup(wire_grades, GRADE__MAX, s);
}

int
hazard_state_parse(const char *s)
{
	return lookup(wire_states, STATE__MAX, s);
}

int
hazard_action_parse(const char *s)
{
	return lookup(wire_actions, ACTION__MAX, s);
}

int
hazard_role_parse(const char *s)
{
	return lookup(wire_roles, ROLE__MAX, s);
}

int
hazard_field_parse(const char *s)
{
	int	i;

	for (i = 0; i < FIELD__MAX; i++)
		if (strcmp(fields[i].name, s) == 0)
			return i;
	return -1;
}

size_t
hazard_field_max(enum hazard_field f)
{
	return (unsigned)f < FIELD__MAX ? fields[f].max : 0;
}

/* Returns 1 if s holds something other than white space (Unicode's). */
static int
has_content(const char *s)
{
	return s != NULL && !utf8_blank(s);
}

int
hazard_action_permitted(enum hazard_action action, enum hazard_role role)
{
	if ((unsigned)action >= ACTION__MAX)
		return 0;
	return !transitions[action].office_only || role == ROLE_OFFICE;
}

enum hazard_verdict
hazard_transition(const struct hazard *h, enum hazard_action action,
    enum hazard_role role, enum hazard_state *to, const char **missing)
{
	if ((unsigned)action >= ACTION__MAX || action == ACTION_REPORT)
		return VERDICT_CONFLICT;
	if (!hazard_action_permitted(action, role))
		return VERDICT_FORBIDDEN;
	if ((unsigned)h->state >= STATE__MAX ||
	    (transitions[action].from & (1u << h->state)) == 0)
		return VERDICT_CONFLICT;
	if (action == ACTION_VERIFY && h->grade == GRADE_MAJOR) {
		if (!has_content(h->text[FIELD_PLAN])) {
			*missing = "plan";
			return VERDICT_INCOMPLETE;
		}
		if (!has_content(h->text[FIELD_ASSESSMENT])) {
			*missing = "assessment";
			return VERDICT_INCOMPLETE;
		}
	}
	*to = transitions[action].to == STATE__MAX ? h->state :
	    transitions[action].to;
	return VERDICT_OK;
}

const char *
hazard_field_check(enum hazard_field f, const char *value, size_t len)
{
	long	chars;

	if ((unsigned)f >= FIELD__MAX)
		return "unknown field";
	if ((chars = utf8_count(value, len)) == -1)
		return "not valid UTF-8 text";
	if ((size_t)chars > fields[f].max) {
		switch (f) {
		case FIELD_TITLE:
			return "longer than 200 characters";
		case FIELD_CATEGORY:
			return "longer than 64 characters";
		case FIELD_DEADLINE:
			break;
		default:
			return "longer than 4000 characters";
		}
	}
	if ((f == FIELD_TITLE || f == FIELD_CATEGORY) && !has_content(value))
		return "must not be empty";
	if (f == FIELD_DEADLINE && date_parse(value, NULL, NULL, NULL) == -1)
		return "not a calendar date (YYYY-MM-DD)";
	return NULL;
}

int
hazard_key_valid(const char *key)
{
	size_t	n;

	for (n = 0; key[n] != '\0'; n++)
		if (key[n] < 0x21 || key[n] > 0x7e)
			return 0;
	return n >= 1 && n <= HAZARD_KEY_MAX;
}

int
hazard_school_code_valid(const char *code)
{
	size_t	n;

	for (n = 0; code[n] != '\0'; n++)
		if (!isalnum((unsigned char)code[n]) && code[n] != '-' &&
		    code[n] != '_')
			return 0;
	return n >= 1 && n <= 32;
}

int
hazard_overdue(const struct hazard *h, const char *today)
{
	/* Rectified, it waits for the office: the school met its deadline. */
	if (h->state != STATE_OPEN)
		return 0;
	return hazard_deadline_passed(h->text[FIELD_DEADLINE], today);
}

int
hazard_deadline_passed(const char *deadline, const char *today)
{
	return deadline != NULL && strcmp(deadline, today) < 0;
}

void
hazard_clear(struct hazard *h)
{
	int	i;

	free(h->school);
	free(h->school_name);
	for (i = 0; i < FIELD__MAX; i++)
		free(h->text[i]);
	free(h->rejected_by);
	free(h->reject_note);
	memset(h, 0, sizeof(*h));
}
