/*
 * Every query of hazardd: store_<noun>_<verb>().  Statements are
 * prepared once on each thread's connection or, for filtered lists,
 * built from fixed fragments with every value bound (store_impl.h
 * tells how, and why).
 *
 * Any thread with a connection of its own (db.h) may call the store;
 * before it closes that connection it calls store_close().  A callback
 * given to a store function may call other store functions, but not the
 * one that called it: the statement being stepped is that function's.
 *
 * Functions return STORE_OK, STORE_NOTFOUND, STORE_EXISTS, or
 * STORE_ERROR when the database failed (the reason is logged).
 */
#ifndef HAZARDD_STORE_H
#define HAZARDD_STORE_H

#include <stdint.h>
#include <time.h>

#include "chain.h"
#include "hazard.h"
#include "token.h"

enum store_result {
	STORE_ERROR = -1,
	STORE_OK = 0,
	STORE_NOTFOUND,
	STORE_EXISTS
};

/* The orders of a list: newest first; the earliest deadline first. */
enum list_sort {
	SORT_REPORTED,
	SORT_DEADLINE
};

/* What to select hazards by; zero or -1 means any. */
struct hazard_filter {
	int		 kind;		/* -1 any */
	int		 state;		/* -1 any */
	int		 grade;		/* -1 any */
	int64_t		 school_id;	/* 0 any */
	const char	*category;	/* NULL any */
	int		 overdue;	/* only overdue ones */
	const char	*today;		/* local date, for overdue */
	int		 has_since;
	time_t		 since;		/* reported_at >= since */
	int		 has_until;
	time_t		 until;		/* reported_at < until */
	/* A list's only (api_hazards.c): */
	const char	*search;	/* text in the words; NULL any */
	int		 has_due;	/* open, deadline from today */
	int		 due_days;	/* to today + due_days */
	int		 sort;		/* enum list_sort */
	/*
	 * Keyset pagination: strictly after the cursor in the order of
	 * sort: older than (cursor_at, cursor_id), or a later (deadline,
	 * id); past every deadline, a greater id among those without one.
	 */
	int		 has_cursor;
	time_t		 cursor_at;
	char		 cursor_deadline[11];	/* "" for none */
	int64_t		 cursor_id;
	/* A list page examines at most this many hazards; 0: no bound. */
	int		 scan;
};

/*
 * Where a list page stopped walking: if it examined f->scan hazards
 * before its callback stopped it or the list ended, cut is 1 and the
 * key is that of the last hazard it examined.
 */
struct list_stop {
	int		 cut;
	time_t		 at;
	char		 deadline[11];	/* "" for none */
	int64_t		 id;
};

/*
 * An entry of the audit trail: of a hazard, or of an activity recorded
 * (activity_id set, hazard_id 0: its action is "activity" and it has no
 * state, action, from_state and to_state unread).
 */
struct hazard_event {
	int64_t			 id;
	int64_t			 hazard_id;
	int64_t			 activity_id;
	time_t			 at;
	int64_t			 token_id;
	const char		*actor;
	const char		*role;		/* office, school, system */
	enum hazard_action	 action;
	int			 from_state;	/* -1 for none */
	enum hazard_state	 to_state;
	const char		*note;
	const char		*changes;	/* JSON text or NULL */
};

/* A photo of a hazard (its bytes are a file: photostore.h). */
struct photo {
	int64_t		 id;
	int64_t		 hazard_id;
	int64_t		 school_id;	/* the hazard's, as read */
	int		 stage;		/* enum photo_stage */
	int		 type;		/* enum photo_type */
	int64_t		 size;
	char		 sha256[65];
	time_t		 at;
	int64_t		 token_id;	/* 0: none */
	int64_t		 event_id;
	const char	*key;		/* the idempotency key: inserted, not read */
};

/* A school. */
struct school {
	int64_t		 id;
	const char	*code;
	const char	*name;
	const char	*department;	/* NULL: none */
	time_t		 retired_at;	/* 0: not retired */
};

/* A token as listed (never its secret). */
struct token_row {
	int64_t		 id;
	const char	*name;
	const char	*role;
	const char	*school;	/* code, or NULL */
	time_t		 created_at;
	time_t		 revoked_at;	/* 0 if live */
};

/* A row of the statistics. */
struct stats_row {
	const char	*key;
	const char	*name;		/* school name, or NULL */
	int64_t		 identified[KIND__MAX];
	int64_t		 rectified[KIND__MAX];
	int64_t		 open;
	int64_t		 overdue;
};

/* What a digest counts (store_digest.c). */
struct digest_scope {
	time_t		 from;		/* rates: reported from here */
	time_t		 since;		/* the window: new, closed, rectified */
	time_t		 until;		/* the end of the window: "as of" */
	const char	*today;		/* local date of until */
	const char	*due;		/* today + due_soon_days */
	const char	*cutoff;	/* dispatch: reported before this date */
	const char	*period;	/* dispatch: this period's name */
};

/* One school's figures in a digest (or one category's). */
struct digest_row {
	const char	*key;		/* school code, or category */
	const char	*name;		/* school name, or NULL */
	int64_t		 new;
	int64_t		 rectified;
	int64_t		 closed;
	int64_t		 open;
	int64_t		 overdue;
	int64_t		 due_soon;
	int64_t		 identified[KIND__MAX];
	int64_t		 closed_total[KIND__MAX];
	int64_t		 on_time[KIND__MAX];
};

/* One hazard listed in a digest. */
struct digest_item {
	int64_t		 id;
	const char	*kind;
	const char	*school;
	const char	*school_name;
	const char	*title;
	const char	*category;
	const char	*grade;
	const char	*state;
	const char	*deadline;
	const char	*department;
	int		 has_plan;
	int		 has_assessment;
	int		 escalation;
	int64_t		 days;		/* overdue by, or left, or open for */
	const char	*note;		/* LIST_REJECTED: the office's note */
	time_t		 at;		/* LIST_REJECTED: when */
};

/*
 * Checks that every statement prepares on the calling thread's
 * connection (the loop's at start-up, so that a schema they do not fit
 * fails there; an import's; a digest's record).  Each thread prepares a
 * statement when it first uses it, and keeps it until store_close().
 * Returns 0, or -1 logged.
 */
int	store_open(void);
/* Finalizes the calling thread's statements, before its connection closes. */
void	store_close(void);

/* Tokens. */
int	store_token_find(const uint8_t hash[TOKEN_HASH_LEN],
	    struct principal *p);
int	store_token_insert(const char *name, enum hazard_role role,
	    int64_t school_id, const uint8_t hash[TOKEN_HASH_LEN],
	    time_t now, int64_t *id);
int	store_token_get(int64_t id, int (*cb)(const struct token_row *,
	    void *), void *arg);
int	store_token_list(int (*cb)(const struct token_row *, void *),
	    void *arg);
int	store_token_revoke(int64_t id, time_t now);

/* Schools. */
int	store_school_find(const char *code, struct school *s,
	    char **name);
int	store_school_insert(const char *code, const char *name, time_t now,
	    int64_t *id);
int	store_school_list(int (*cb)(const struct school *, void *),
	    void *arg);

/*
 * Changes a school's name and department (NULL: as it is; a department
 * of "": none) and retires it (retire 1, at now, if not already) or
 * brings it back (0); -1 leaves that as it is.  STORE_OK,
 * STORE_NOTFOUND or STORE_ERROR.
 */
int	store_school_update(const char *code, const char *name,
	    const char *department, int retire, time_t now);

/* Whether the school with this id is retired: 1, 0, or STORE_ERROR. */
int	store_school_retired(int64_t id);

/*
 * The code and name of the school with this id (the caller frees them):
 * STORE_OK, STORE_NOTFOUND or STORE_ERROR.
 */
int	store_school_get(int64_t id, char **code, char **name);

/* Hazards.  store_hazard_get fills h (free with hazard_clear). */
int	store_hazard_get(int64_t id, struct hazard *h);
int	store_hazard_find_key(int64_t school_id, const char *key,
	    int64_t *id);
int	store_hazard_insert(const struct hazard *h, const char *key,
	    int64_t token_id, int64_t *id);
int	store_hazard_update(const struct hazard *h);

/* The first answer to an action sent with an idempotency key. */
struct action_key {
	int64_t		 hazard_id;
	char		 action[16];
	int		 status;
	char		*answer;	/* JSON; the caller frees it */
};

/*
 * The action token_id sent with key, into k: STORE_OK, STORE_NOTFOUND
 * or STORE_ERROR.
 */
int	store_action_key_find(int64_t token_id, const char *key,
	    struct action_key *k);
/* Keeps k for token_id's key: STORE_OK, STORE_EXISTS or STORE_ERROR. */
int	store_action_key_insert(int64_t token_id, const char *key,
	    const struct action_key *k, time_t at);
/* Forgets the keys kept before. */
int	store_action_key_prune(time_t before);
/*
 * Calls cb for each hazard of f, newest first, until cb returns -1, the
 * list ends, or f->scan hazards have been examined (stop says which).
 */
int	store_hazard_list(const struct hazard_filter *f,
	    int (*cb)(const struct hazard *, void *), void *arg,
	    struct list_stop *stop);
/* The SQL of store_hazard_list(f), for its plan: 0, or -1 if too long. */
int	store_hazard_list_sql(const struct hazard_filter *f, char *buf,
	    size_t len);
/* What an export gives beside a hazard. */
struct export_extra {
	const char	*key;		/* its idempotency key, or NULL */
	time_t		 rectified_at;	/* its last rectify, or 0 */
	const char	*rectify_note;	/* that event's note, or NULL */
};
/*
 * For an export: the hazards of f (its cursor and limit aside) with ids
 * above after, oldest first, at most limit, each with its extra, among
 * the ids up to after + scan only (0, or a school in f: no bound).  upto
 * is where the next page begins if this one has fewer than limit rows;
 * 0 if no hazard is left past the walk.
 */
int	store_hazard_export(const struct hazard_filter *f, int64_t after,
	    int limit, int scan, int64_t *upto,
	    int (*cb)(const struct hazard *, const struct export_extra *,
	    void *), void *arg);

/* Events. */
/*
 * Writes an event, its id and its hash following the head of the chain
 * (read in the caller's write transaction), and sets its id.
 */
int	store_event_insert(struct hazard_event *e);
/* The last event's id and hash: 0 and the zero hash if none. */
int	store_chain_head(int64_t *id, uint8_t hash[CHAIN_HASH_LEN]);

/* What a walk of the chain found (store_chain_verify). */
struct chain_verdict {
	int64_t		 events;	/* events that matched */
	int64_t		 head_id;	/* the last that matched, 0: none */
	uint8_t		 head[CHAIN_HASH_LEN];
	int		 broken;	/* 1: bad_* name the first mismatch */
	int64_t		 bad_id;
	int64_t		 bad_hazard;
	time_t		 bad_at;
	char		 bad_action[32];
	char		 bad_actor[128];
	int		 bad_nohash;	/* 1: it has no hash at all */
	int64_t		 want_id;	/* the head asked for, 0: none */
	int		 want_found;	/* 1: the chain reached want_id */
	int		 want_ok;	/* 1: and its hash begins with want_hex */
	char		 want_hex[65];
};

/*
 * Walks the whole chain in id order, recomputing each hash, up to the
 * first event whose stored hash differs; checks on the way that event
 * v->want_id's hash begins with v->want_hex if want_id is set.  Returns
 * STORE_OK with v filled, or STORE_ERROR logged.
 */
int	store_chain_verify(struct chain_verdict *v);
int	store_event_list(int64_t hazard_id,
	    int (*cb)(const struct hazard_event *, void *), void *arg);

/*
 * The state of hazard id at at, as its last event by then left it, in
 * *state.  STORE_NOTFOUND if it had no event by then.
 */
int	store_hazard_state_at(int64_t id, time_t at, int *state);

/* Rates and statistics. */
/*
 * The rate of f's scope at an instant: from the tally and the indexes
 * (store_figures.c); store_rate_scan reads every hazard of the scope,
 * for filters the tally does not know.
 */
int	store_rate_scan(const struct hazard_filter *f, time_t at,
	    int64_t *rectified, int64_t *identified);
int	store_rate(const struct hazard_filter *f, time_t at,
	    int64_t *rectified, int64_t *identified);
/*
 * The statistics by school or category: from the tallies and the open
 * hazards' index, or for a range of reports from the covering index
 * (store_figures.c); store_stats_scan reads every hazard of the scope.
 */
int	store_stats(const char *by, const struct hazard_filter *f,
	    int (*cb)(const struct stats_row *, void *), void *arg);
int	store_stats_scan(const char *by, const struct hazard_filter *f,
	    int (*cb)(const struct stats_row *, void *), void *arg);
/*
 * The schools worst first (stats?by=school&sort=rate&limit=N): the rows
 * of at least every school whose rate of hazards is no higher than the
 * limit-th lowest, in no order, from the tally of the schools by kind
 * (schema/026-dashboard.sql) and the whole rows of those schools
 * alone.  With a filter, every school's row (store_stats).
 */
int	store_stats_worst(const struct hazard_filter *f, size_t limit,
	    int (*cb)(const struct stats_row *, void *), void *arg);
/*
 * The statistics as they stood at at (f's today the local date of at):
 * every hazard of the scope reported by then, read (store_figures.c).
 */
int	store_stats_as_of(const char *by, const struct hazard_filter *f,
	    time_t at, int (*cb)(const struct stats_row *, void *), void *arg);
int	store_count_states(int64_t counts[KIND__MAX][STATE__MAX]);
/*
 * The instant of the audit trail's first event (the first report: no
 * event of a hazard comes before its report) in *t.  Returns STORE_OK,
 * STORE_NOTFOUND for a trail with no event, or STORE_ERROR.
 */
int	store_first_event(time_t *t);

/* The rate of each kind at an instant: a month of the trend. */
struct trend_row {
	time_t		 at;
	int64_t		 identified[KIND__MAX];
	int64_t		 rectified[KIND__MAX];
};
/*
 * The rate of the district (school_id 0) or of a school at each of n
 * instants, ascending, in rows[i].at: as store_rate at each, the
 * district's from one pass over each tally (of what was done, from
 * the first instant's day on) for all the instants.
 */
int	store_trend(int64_t school_id, struct trend_row *rows, size_t n);

/* The counts of the day of each kind, since its first instant. */
struct today_counts {
	int64_t		 reported[KIND__MAX];
	int64_t		 rectified[KIND__MAX];
	int64_t		 closed[KIND__MAX];
};
int	store_today(time_t since, struct today_counts *c);

/* Digests: the figures, and the lists (store_digest.c). */
int	store_digest_schools(const struct digest_scope *,
	    int (*cb)(const struct digest_row *, void *), void *arg);
int	store_digest_categories(const struct digest_scope *,
	    int (*cb)(const struct digest_row *, void *), void *arg);
enum digest_list {
	LIST_OVERDUE,		/* open at until, deadline before today */
	LIST_DUE_SOON,		/* open, deadline from today to due */
	LIST_MAJOR,		/* open major hazards */
	LIST_DISPATCH,		/* overdue or open since before cutoff, not
				   yet escalated for period */
	LIST_DISPATCHED,	/* escalated for period, since its start */
	LIST_AWAITING,		/* waiting for the office's verification at
				   until, days since the rectification (one
				   imported rectified: since its last change) */
	LIST_NEW,		/* reported in the window, major first */
	LIST_REJECTED,		/* rectifications the office rejected in the
				   window: note and at, days since */
	LIST__MAX
};
int	store_digest_list(enum digest_list, const struct digest_scope *,
	    int (*cb)(const struct digest_item *, void *), void *arg);
/* The SQL of list i, or NULL; of the i-th hot query of the figures. */
const char *store_digest_list_sql(size_t i);
const char *store_hot_query(size_t i);

/* The stored digests. */
struct digest_meta {
	int64_t		 id;
	const char	*kind;
	const char	*period;
	int		 revision;
	const char	*trigger;
	time_t		 made_at;
	int		 written;
};
/*
 * What the digests of kind hold of period: its latest revision (0:
 * none), the latest end of the windows its revisions cover, and that of
 * the periods before it, where its own window may begin (0: none).
 */
int	store_digest_coverage(const char *kind, const char *period,
	    int *latest, time_t *covered, time_t *before);
int	store_digest_insert(const struct digest_meta *m, time_t since,
	    time_t until, const char *language, const char *text,
	    const char *json, int64_t *id);
/*
 * Fills m (free with store_digest_meta_free), and the text and JSON
 * unless text is NULL (then json is not read either).
 */
int	store_digest_get(int64_t id, struct digest_meta *m, char **text,
	    char **json);
void	store_digest_meta_free(struct digest_meta *m);
int	store_digest_find(const char *kind, const char *period,
	    int (*cb)(const struct digest_meta *, void *), void *arg);
int	store_digest_unwritten(int (*cb)(const struct digest_meta *, void *),
	    void *arg);
int	store_digest_mark_written(int64_t id);
int	store_meta_get(const char *key, char **value);

/* Early warnings: one row per warning and school it goes to
 * (store_warning.c). */
struct warning_row {
	int64_t		 id;
	const char	*title;
	const char	*body;
	const char	*issuer;
	time_t		 issued_at;
	int		 all_schools;
	const char	*school;
	const char	*school_name;
	time_t		 acked_at;	/* 0: not acknowledged */
	const char	*acked_by;
};
int	store_warning_insert(const char *title, const char *body,
	    int64_t token_id, const char *issuer, time_t now, int all,
	    int64_t *id);
int	store_warning_target(int64_t warning_id, int64_t school_id);
int	store_warning_target_all(int64_t warning_id);
/* Rows of warning (0: all) for school (0: all), newest first. */
int	store_warning_rows(int64_t warning_id, int64_t school_id,
	    int (*cb)(const struct warning_row *, void *), void *arg);
/* Rows not acknowledged at until, issued before it. */
int	store_warning_unacked(time_t until,
	    int (*cb)(const struct warning_row *, void *), void *arg);
/*
 * Rows whose day to acknowledge (STORE_ACK_WITHIN after the issue) ended
 * from since to until, not acknowledged within it: acked_at is the late
 * acknowledgement, or 0.
 */
#define STORE_ACK_WITHIN	86400
int	store_warning_late(time_t since, time_t until,
	    int (*cb)(const struct warning_row *, void *), void *arg);
/*
 * Safety activities (store_activity.c): what a school or the office
 * recorded, and the early warnings hazardd issued, which count with
 * the warnings recorded.  Dates are local "YYYY-MM-DD".
 */
struct activity {
	int64_t		 id;
	int64_t		 school_id;
	const char	*school;	/* its code and name, when read */
	const char	*school_name;
	const char	*type;		/* a code of common/activity.c */
	const char	*subtype;	/* NULL: none */
	const char	*date;
	long		 count;		/* > 0 */
	const char	*note;		/* NULL: none */
	int64_t		 token_id;	/* 0: hazardd itself */
	const char	*recorded_by;
	time_t		 recorded_at;
	const char	*key;		/* an import's; NULL: none */
};

/* What to select activities by; 0 or NULL means any. */
struct activity_filter {
	int64_t		 school_id;
	const char	*type;
	const char	*subtype;
	const char	*from;		/* date >= from */
	const char	*to;		/* date <= to */
	/* Keyset pagination, newest first: before (cursor_date, cursor_id). */
	int		 has_cursor;
	char		 cursor_date[11];
	int64_t		 cursor_id;
};

/* The sum of a school's activities of a type and subtype. */
struct activity_sum {
	int64_t		 school_id;
	const char	*school;
	const char	*school_name;
	const char	*type;
	const char	*subtype;	/* NULL: none */
	long		 count;		/* the sum of their counts */
	long		 records;	/* how many were recorded */
};

/*
 * The school of code (or, if code is NULL, of id) into s, with copies of
 * its code and name in *codep and *namep (free them).
 */
int	store_activity_school(const char *code, int64_t id, struct school *s,
	    char **codep, char **namep);
/* Inserts a (its id to a->id).  The ledger's: ledger_activity(). */
int	store_activity_insert(struct activity *a);
/* The activity of school with key: its id in *id, or STORE_NOTFOUND. */
int	store_activity_find_key(int64_t school_id, const char *key,
	    int64_t *id);
/*
 * Up to limit activities of f with ids after after, in the order of
 * their ids, each with its key (an export's).
 */
int	store_activity_export(const struct activity_filter *f, int64_t after,
	    int limit, int (*cb)(const struct activity *, void *), void *arg);
/* The activities of f, newest first (date, then id). */
int	store_activity_list(const struct activity_filter *f,
	    int (*cb)(const struct activity *, void *), void *arg);
/*
 * The sums of f's activities per school, type and subtype, in the
 * order of the schools' codes (f's cursor is not read).
 */
int	store_activity_sums(const struct activity_filter *f,
	    int (*cb)(const struct activity_sum *, void *), void *arg);
/*
 * The early warnings hazardd issued from since to until (instants):
 * per school of f (f->school_id, or each school a warning went to; one
 * row each, type "warning", subtype NULL, records the warnings), and
 * how many were issued in all to *district (for the district a warning
 * to many schools is one).
 */
int	store_activity_warnings(const struct activity_filter *f,
	    time_t since, time_t until,
	    int (*cb)(const struct activity_sum *, void *), void *arg,
	    long *district);
/* The schools not retired with no drill of dates from to to. */
int	store_activity_no_drill(const char *from, const char *to,
	    int (*cb)(const struct school *, void *), void *arg);

/* Deliveries of digests and notices (store_delivery.c). */
struct delivery_row {
	int64_t		 id;
	int64_t		 digest_id;	/* 0 for a notice */
	int64_t		 notice_id;	/* 0 for a digest */
	const char	*channel;	/* command, webhook, school */
	const char	*state;		/* pending, done */
	int		 attempts;
	const char	*last_error;
	time_t		 next_try;
	time_t		 done_at;
	int		 parts_done;	/* a robot's messages sent */
	char		 parts_for[65];	/* to which robot ("": unknown) */
};
int	store_delivery_add(int64_t digest_id, const char *channel,
	    time_t now);
/* Pending deliveries due at now, oldest first, at most limit. */
int	store_delivery_due(time_t now, int limit,
	    int (*cb)(const struct delivery_row *, void *), void *arg);
/* The deliveries of a digest. */
int	store_delivery_list(int64_t digest_id,
	    int (*cb)(const struct delivery_row *, void *), void *arg);
/* The earliest next try of a pending delivery; 0 if none. */
int	store_delivery_next(time_t *next);
/* Holds a delivery while it is tried: not due again before until. */
int	store_delivery_lease(int64_t id, time_t until);
/*
 * Records that a robot, named by key (webhook_robot_key), has taken
 * parts_done parts of a delivery, as each is taken.
 */
int	store_delivery_progress(int64_t id, int parts_done, const char *key);
/* Records an attempt: done, or failed with its error and next try. */
int	store_delivery_result(int64_t id, int done, const char *error,
	    time_t now, time_t next_try, int parts_done);

/* STORE_NOTFOUND if the warning does not go to the school. */
int	store_warning_ack(int64_t warning_id, int64_t school_id, time_t now,
	    const char *by);
int	store_ping(void);

/*
 * Imports (store_import.c): begin prepares the insert, used for each row
 * in the caller's transaction; end finalizes it.  store_import_hazard
 * inserts h as it stands (state, closed_at, cancelled_at, updated_at).
 */
int	store_import_begin(void);
int	store_import_hazard(const struct hazard *h, const char *key,
	    int64_t token_id, int64_t *id);
void	store_import_end(void);

/*
 * Schools' robots and their notices (store_notice.c).  A school's robot
 * is set, or removed with url NULL (STORE_NOTFOUND: no such school).
 * store_notice_add() stores a notice and its delivery if the school has
 * a robot: STORE_OK, or STORE_EXISTS when that school has that notice
 * already or no robot (nothing is written).
 */
struct school_robot {
	char		*code;
	char		*name;
	char		*url;
	char		*secret;
	char		*format;	/* "" when told by the URL's host */
};
struct notice_row {
	int64_t		 id;
	int64_t		 school_id;
	char		*kind;		/* morning, warning, rejection */
	char		*about;
	char		*title;
	char		*body;		/* markdown */
};
int	store_school_robot_set(const char *code, const char *url,
	    const char *secret, const char *format);
int	store_school_robot_get(int64_t school_id, struct school_robot *r);
void	store_school_robot_free(struct school_robot *r);
/* Calls cb with the id of each school that has a robot. */
int	store_school_robots(int (*cb)(int64_t school_id, void *), void *arg);
int	store_notice_add(int64_t school_id, const char *kind,
	    const char *about, const char *title, const char *body,
	    time_t now);
int	store_notice_get(int64_t id, struct notice_row *n);
void	store_notice_free(struct notice_row *n);
/* Calls cb with each school of a warning that has a robot. */
int	store_notice_warning_schools(int64_t warning_id,
	    int (*cb)(int64_t school_id, void *), void *arg);
/*
 * What a school must act on, in this order: its open hazards overdue at
 * today (most days first), due by due, those whose rectification the
 * office rejected last (with its note), and the warnings issued before
 * until that it has not acknowledged.
 */
enum notice_what {
	NOTICE_OVERDUE = 1,
	NOTICE_DUE_SOON,
	NOTICE_REJECTED,
	NOTICE_WARNING
};
struct notice_item {
	int		 what;		/* enum notice_what */
	int64_t		 id;		/* hazard, or warning */
	const char	*title;
	const char	*deadline;	/* NULL for a warning */
	const char	*note;		/* a rejection's, or NULL */
	int64_t		 days;		/* overdue by, or left */
};
int	store_notice_items(int64_t school_id, const char *today,
	    const char *due, time_t until,
	    int (*cb)(const struct notice_item *, void *), void *arg);

/* What /metrics tells of the database (store_metrics.c). */
int	store_metrics_overdue(const char *today, int64_t counts[KIND__MAX]);
/* The latest made_at of a digest of kind (daily...); 0 if none. */
int	store_metrics_cycle_last(const char *kind, time_t *at);
/* Attempts of every delivery; pending ones whose last attempt failed. */
int	store_metrics_deliveries(int64_t *attempts, int64_t *failing);
/*
 * Two numbers of which one changes whenever the database does: what
 * other connections committed (PRAGMA data_version), the rows this one
 * changed.
 */
int	store_metrics_version(int64_t version[2]);

/* --- photos (store_photo.c) ---------------------------------------- */

/* Inserts p (all but its id and school_id); its id goes to p->id. */
int	store_photo_insert(struct photo *p);

/* Reads photo id with its hazard's school.  STORE_OK, STORE_NOTFOUND. */
int	store_photo_get(int64_t id, struct photo *p);

/*
 * Reads the photo of hazard hazard_id sent with idempotency key key.
 * STORE_OK, STORE_NOTFOUND.
 */
int	store_photo_find_key(int64_t hazard_id, const char *key,
	    struct photo *p);

/* Calls fn for each photo of hazard id, oldest first. */
int	store_photo_list(int64_t hazard_id,
	    int (*fn)(const struct photo *, void *), void *arg);

/*
 * The number of photos of hazard id, of stage (-1: any), added after
 * the event since (0: all); or STORE_ERROR.
 */
int	store_photo_count(int64_t hazard_id, int stage, int64_t since);

/* Whether a photo has the bytes of hash hex: 1, 0, or STORE_ERROR. */
int	store_photo_known(const char *hex);

#endif
