/*
 * The words of the wire: the names of what the API sends and takes as
 * one of a few values (a hazard's kind, grade and state, the actions,
 * the roles of tokens and of the audit trail, the kinds of the cycle,
 * how statistics are grouped and exports written).
 * The daemon stores them as they are; hazardctl checks them before it
 * sends them.  Each word is spelled once, here.
 *
 * Each list of names is in the order of the daemon's enum (hazard.h,
 * period.h) and ends with NULL; the WIRE_*S strings join the same words
 * with '|', as hazardctl's help shows a choice ("hazard|finding").
 */
#ifndef HAZARD_WIRE_H
#define HAZARD_WIRE_H

#define WIRE_KIND_HAZARD	"hazard"
#define WIRE_KIND_FINDING	"finding"
#define WIRE_KINDS		WIRE_KIND_HAZARD "|" WIRE_KIND_FINDING

#define WIRE_GRADE_GENERAL	"general"
#define WIRE_GRADE_MAJOR	"major"
#define WIRE_GRADES		WIRE_GRADE_GENERAL "|" WIRE_GRADE_MAJOR

#define WIRE_STATE_OPEN		"open"
#define WIRE_STATE_RECTIFIED	"rectified"
#define WIRE_STATE_CLOSED	"closed"
#define WIRE_STATE_CANCELLED	"cancelled"
/* Not a state: an open hazard whose rectification the office rejected. */
#define WIRE_STATE_REJECTED	"rejected"
#define WIRE_STATES		WIRE_STATE_OPEN "|" WIRE_STATE_RECTIFIED "|" \
				WIRE_STATE_CLOSED "|" WIRE_STATE_CANCELLED

/* The orders of a list: ?sort= */
#define WIRE_SORT_REPORTED	"reported"
#define WIRE_SORT_DEADLINE	"deadline"
#define WIRE_SORTS		WIRE_SORT_REPORTED "|" WIRE_SORT_DEADLINE

/* A client's actions are the last part of POST /v1/hazards/ID/ACTION. */
#define WIRE_ACTION_REPORT	"report"
#define WIRE_ACTION_ASSESS	"assess"
#define WIRE_ACTION_RECTIFY	"rectify"
#define WIRE_ACTION_VERIFY	"verify"
#define WIRE_ACTION_REJECT	"reject"
#define WIRE_ACTION_CANCEL	"cancel"
#define WIRE_ACTION_ESCALATE	"escalate"	/* the daemon's own */
#define WIRE_ACTION_PHOTO	"photo"		/* POST /v1/hazards/ID/photos */

/* The roles of a token; the audit trail also names the daemon's own. */
#define WIRE_ROLE_OFFICE	"office"
#define WIRE_ROLE_SCHOOL	"school"
#define WIRE_ROLE_SYSTEM	"system"

#define WIRE_CYCLE_DAILY	"daily"
#define WIRE_CYCLE_WEEKLY	"weekly"
#define WIRE_CYCLE_MONTHLY	"monthly"

/* GET /v1/stats?by=: a row per school, per category or per month. */
#define WIRE_BY_SCHOOL		"school"
#define WIRE_BY_CATEGORY	"category"
#define WIRE_BY_MONTH		"month"
#define WIRE_BYS		WIRE_BY_SCHOOL "|" WIRE_BY_CATEGORY "|" \
				WIRE_BY_MONTH

/* GET /v1/export?format=: the columns of an import, or JSON. */
#define WIRE_FORMAT_CSV		"csv"
#define WIRE_FORMAT_JSON	"json"
#define WIRE_FORMATS		WIRE_FORMAT_CSV "|" WIRE_FORMAT_JSON

extern const char *const wire_kinds[];		/* enum hazard_kind */
extern const char *const wire_grades[];		/* enum hazard_grade */
extern const char *const wire_states[];		/* enum hazard_state */
extern const char *const wire_actions[];	/* enum hazard_action */
extern const char *const wire_roles[];		/* enum hazard_role */
extern const char *const wire_cycles[];		/* enum cycle_kind */
extern const char *const wire_bys[];
extern const char *const wire_formats[];

/* The index of name in names, or -1 if it is none of them. */
int	wire_find(const char *const *names, const char *name);

/*
 * The word of the wire that name is the Chinese for ("待整改": "open"),
 * or name itself.
 */
const char *wire_word(const char *name);

/*
 * The Chinese name of the word of the wire ("open": "待整改"), the first
 * of its names, as the digests and an export with Chinese headers write
 * it; word itself if it has none.
 */
const char *wire_zh(const char *word);

/*
 * The English name of a word of the wire for people, marked for
 * translation (hazardctl prints _() of it); word itself if it has none,
 * NULL for NULL.
 */
const char *wire_label(const char *word);

#endif
