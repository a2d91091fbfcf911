/*
 * The domain of a hazard: kinds, grades, states, the closed loop and
 * the validation of what clients send.  Pure: no I/O, no database.
 */
#ifndef HAZARDD_HAZARD_H
#define HAZARDD_HAZARD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum hazard_kind {
	KIND_HAZARD,
	KIND_FINDING,
	KIND__MAX
};

enum hazard_grade {
	GRADE_GENERAL,
	GRADE_MAJOR,
	GRADE__MAX
};

enum hazard_state {
	STATE_OPEN,
	STATE_RECTIFIED,
	STATE_CLOSED,
	STATE_CANCELLED,
	STATE__MAX
};

enum hazard_action {
	ACTION_REPORT,
	ACTION_ASSESS,
	ACTION_RECTIFY,
	ACTION_VERIFY,
	ACTION_REJECT,
	ACTION_CANCEL,
	ACTION_ESCALATE,	/* the monthly dispatch; never a client's */
	ACTION_PHOTO,		/* a photo added: its own route */
	ACTION__MAX
};

/* The free-text fields, in the order of their columns. */
enum hazard_field {
	FIELD_CATEGORY,
	FIELD_TITLE,
	FIELD_DESCRIPTION,
	FIELD_LOCATION,
	FIELD_RESPONSIBLE,
	FIELD_DEPARTMENT,
	FIELD_DEADLINE,
	FIELD_PLAN,
	FIELD_ASSESSMENT,
	FIELD_FUNDS,
	FIELD_CONTINGENCY,
	FIELD__MAX
};

/* Longest title, category and other text, in characters. */
#define HAZARD_TITLE_MAX	200
#define HAZARD_CATEGORY_MAX	64
#define HAZARD_TEXT_MAX		4000
#define HAZARD_KEY_MAX		200

struct hazard {
	int64_t			 id;
	enum hazard_kind	 kind;
	int64_t			 school_id;
	char			*school;	/* code */
	char			*school_name;
	enum hazard_grade	 grade;
	char			*text[FIELD__MAX];	/* NULL when unset */
	enum hazard_state	 state;
	int			 escalation;
	time_t			 reported_at;
	time_t			 updated_at;
	time_t			 closed_at;	/* 0 when not closed */
	time_t			 cancelled_at;	/* 0 when not cancelled */
	/*
	 * The office's last rejection, while the hazard is open after it:
	 * its event, when, who and the note.
	 */
	int64_t			 rejected;	/* 0 when not rejected */
	time_t			 rejected_at;
	char			*rejected_by;
	char			*reject_note;
};

/* Who acts: an office token, or a school's. */
enum hazard_role {
	ROLE_OFFICE,
	ROLE_SCHOOL,
	ROLE__MAX
};

/* What hazard_transition() decides. */
enum hazard_verdict {
	VERDICT_OK,
	VERDICT_FORBIDDEN,	/* the role may not do this at all */
	VERDICT_CONFLICT,	/* not from this state */
	VERDICT_INCOMPLETE	/* a major hazard without plan/assessment */
};

/*
 * Names on the wire and in the database (common/wire.h); NULL for out
 * of range.
 */
const char	*hazard_kind_name(enum hazard_kind);
const char	*hazard_grade_name(enum hazard_grade);
const char	*hazard_state_name(enum hazard_state);
const char	*hazard_action_name(enum hazard_action);
const char	*hazard_role_name(enum hazard_role);
const char	*hazard_field_name(enum hazard_field);

/* The reverse: returns the value, or -1 for an unknown name. */
int	hazard_kind_parse(const char *);
int	hazard_grade_parse(const char *);
int	hazard_state_parse(const char *);
int	hazard_action_parse(const char *);
int	hazard_role_parse(const char *);
int	hazard_field_parse(const char *);

/* Longest value of a text field, in characters. */
size_t	hazard_field_max(enum hazard_field);

/*
 * Returns 1 if role may take action at all, whatever the hazard: what
 * is asked before the body of an action is read.
 */
int	hazard_action_permitted(enum hazard_action action,
	    enum hazard_role role);

/*
 * Decides whether role may apply action to h (its state, its grade, its
 * plan and assessment) and which state follows.  On VERDICT_OK, *to is
 * the new state.  On VERDICT_INCOMPLETE, *missing names the field that
 * is missing.
 */
enum hazard_verdict hazard_transition(const struct hazard *h,
	    enum hazard_action action, enum hazard_role role,
	    enum hazard_state *to, const char **missing);

/*
 * Checks a value for a text field: valid UTF-8 without NUL, not longer
 * than the field allows (in characters), not empty where required
 * (title, category), a calendar date for the deadline.  Returns NULL if
 * it is good, or a message saying what is wrong.
 */
const char	*hazard_field_check(enum hazard_field, const char *value,
	    size_t len);

/* Checks an idempotency key: 1-200 printable ASCII characters. */
int	hazard_key_valid(const char *);

/* Checks a school code: 1-32 of A-Z a-z 0-9 - _. */
int	hazard_school_code_valid(const char *);

/*
 * Returns 1 if h is overdue on the local date today ("YYYY-MM-DD"):
 * open with a deadline before today.  A rectified hazard waits for the
 * office's verification: the school met its deadline when it reported
 * the rectification.
 */
int	hazard_overdue(const struct hazard *h, const char *today);
/*
 * Returns 1 if deadline (a local date, or NULL for none) is before
 * today: the deadline's half of hazard_overdue, for rows already known
 * to be open (the SQL of the store says the same: store_impl.h).
 */
int	hazard_deadline_passed(const char *deadline, const char *today);

/* Frees what h holds, not h. */
void	hazard_clear(struct hazard *h);

#endif
