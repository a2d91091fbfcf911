/*
 * The store's internals, for daemon/store*.c alone (and the tests that
 * check its queries): the table of statements, how a statement is
 * taken, stepped and given back, and the SQL fragments the queries
 * share.
 *
 * Every fixed statement of the store is a row of one table
 * (store_sql.c, which says why, with the figures), prepared once on
 * each thread's connection, at its first use there, and reset after
 * each use; only the filtered
 * lists, built from fixed fragments for each call, are prepared per
 * call.
 */
#ifndef HAZARDD_STORE_IMPL_H
#define HAZARDD_STORE_IMPL_H

#include <sqlite3.h>

#include "store.h"

enum stmt {
	STMT_TOKEN_FIND,
	STMT_TOKEN_INSERT,
	STMT_TOKEN_GET,
	STMT_TOKEN_LIST,
	STMT_TOKEN_REVOKE,
	STMT_SCHOOL_FIND,
	STMT_SCHOOL_INSERT,
	STMT_SCHOOL_LIST,
	STMT_SCHOOL_UPDATE,
	STMT_SCHOOL_RETIRED,
	STMT_SCHOOL_GET,
	STMT_HAZARD_GET,
	STMT_HAZARD_FIND_KEY,
	STMT_ACTION_KEY_FIND,
	STMT_ACTION_KEY_INSERT,
	STMT_ACTION_KEY_PRUNE,
	STMT_HAZARD_INSERT,
	STMT_HAZARD_UPDATE,
	STMT_EVENT_INSERT,
	STMT_EVENT_LIST,
	STMT_EVENT_HEAD,
	STMT_EVENT_CHAIN,
	STMT_HAZARD_STATE_AT,
	STMT_COUNT_STATES,
	STMT_PING,
	/* store_figures.c: the hot queries, in store_hot_query()'s order. */
	STMT_FIGURES_CATEGORIES,
	STMT_RATE_DISTRICT,
	STMT_RATE_SCHOOL,
	STMT_RATE_TALLY,
	STMT_RATE_TALLY_CATEGORY,
	STMT_RATE_CANCELLED_AFTER,
	STMT_RATE_CLOSED_AFTER,
	STMT_RATE_DONE_AFTER,
	STMT_RATE_DONE_SINCE,
	STMT_RATE_CLOSED_LATER_THAT_DAY,
	STMT_RATE_CANCELLED_LATER_THAT_DAY,
	STMT_STATS_SCHOOLS_TALLY,	/* [by category][by range] */
	STMT_STATS_SCHOOLS_RANGE,
	STMT_STATS_CATEGORIES_TALLY,
	STMT_STATS_CATEGORIES_RANGE,
	STMT_STATS_SCHOOLS_RATE,	/* the schools worst first */
	STMT_STATS_SCHOOL_ROW,
	STMT_TREND_TALLY,		/* the trend by month */
	STMT_TREND_DONE,
	STMT_TREND_SCHOOL,
	STMT_TODAY_REPORTED,		/* the counts of the day */
	STMT_TODAY_CLOSED,
	STMT_TODAY_RECTIFIED,
	STMT_FIGURES_NEW,		/* the parts of a digest's rows */
	STMT_FIGURES_CLOSED,
	STMT_FIGURES_OPEN,
	STMT_FIGURES_YEAR,
	STMT_FIGURES_RECTIFIED,
	STMT_LIST_OVERDUE,		/* STMT_LIST_OVERDUE + enum digest_list */
	STMT_LIST_DUE_SOON,
	STMT_LIST_MAJOR,
	STMT_LIST_DISPATCH,
	STMT_LIST_DISPATCHED,
	STMT_LIST_AWAITING,
	STMT_LIST_NEW,
	STMT_LIST_REJECTED,
	STMT_FIGURES_SCHOOLS,
	STMT_FIRST_REPORT,
	/* Every hazard reported by an instant, on the worker: not hot. */
	STMT_STATS_SCHOOLS_AS_OF,	/* [by category] */
	STMT_STATS_CATEGORIES_AS_OF,
	/* store_digest.c */
	STMT_DIGEST_COVERAGE,
	STMT_DIGEST_INSERT,
	STMT_DIGEST_GET_META,
	STMT_DIGEST_GET,
	STMT_DIGEST_FIND,
	STMT_DIGEST_UNWRITTEN,
	STMT_DIGEST_MARK_WRITTEN,
	STMT_META_GET,
	/* store_delivery.c */
	STMT_DELIVERY_ADD,
	STMT_DELIVERY_DUE,
	STMT_DELIVERY_LIST,
	STMT_DELIVERY_LEASE,
	STMT_DELIVERY_PROGRESS,
	STMT_DELIVERY_RESULT,
	STMT_DELIVERY_NEXT,
	/* store_import.c */
	STMT_IMPORT_HAZARD,
	/* store_metrics.c */
	STMT_METRICS_OVERDUE,
	STMT_METRICS_CYCLE_LAST,
	STMT_METRICS_DELIVERIES,
	STMT_METRICS_VERSION,
	/* store_warning.c */
	STMT_WARNING_INSERT,
	STMT_WARNING_TARGET,
	STMT_WARNING_TARGET_ALL,
	STMT_WARNING_ROWS,
	STMT_WARNING_UNACKED,
	STMT_WARNING_LATE,
	STMT_WARNING_ACK,
	STMT_ROBOT_SET,
	STMT_ROBOT_GET,
	STMT_ROBOTS,
	STMT_NOTICE_ADD,
	STMT_NOTICE_DELIVERY_ADD,
	STMT_NOTICE_GET,
	STMT_NOTICE_WARNING_SCHOOLS,
	STMT_NOTICE_ITEMS,
	/* store_photo.c */
	STMT_PHOTO_INSERT,
	STMT_PHOTO_GET,
	STMT_PHOTO_BY_KEY,
	STMT_PHOTO_LIST,
	STMT_PHOTO_COUNT,
	STMT_PHOTO_KNOWN,
	/* store_activity.c */
	STMT_ACTIVITY_SCHOOL,
	STMT_ACTIVITY_INSERT,
	STMT_ACTIVITY_LIST,
	STMT_ACTIVITY_FIND_KEY,
	STMT_ACTIVITY_EXPORT,
	STMT_ACTIVITY_SUMS,
	STMT_ACTIVITY_WARNINGS,
	STMT_ACTIVITY_WARNINGS_ALL,
	STMT_ACTIVITY_NO_DRILL,
	STMT__MAX
};

/*
 * This thread's statement id, prepared on its connection at its first
 * use and kept, reset and without bindings.  NULL
 * if it cannot be prepared (logged).  Give it back with sqlite3_reset()
 * or one of the steps below, which reset it.
 */
sqlite3_stmt *store_stmt(enum stmt id);

/*
 * Prepares sql for one call (a filtered list, or a test's query): NULL
 * on error, logged.  The caller finalizes it.
 */
sqlite3_stmt *store_prepare(const char *sql);

/*
 * Steps a statement that returns no row and resets it: STORE_OK,
 * STORE_EXISTS for a constraint, or STORE_ERROR logged with what.
 */
int	store_done(sqlite3_stmt *st, const char *what);

/*
 * Steps st for one row: STORE_OK with the row to read (then reset st),
 * STORE_NOTFOUND if there is none, or STORE_ERROR logged with what (st
 * reset in both cases).
 */
int	store_row(sqlite3_stmt *st, const char *what);

/*
 * The row loop: steps st, calling fn for each row, until fn returns 1
 * (stop) or -1 (failed, logged), or the rows end; then resets st.
 * Returns the number of rows read, or STORE_ERROR (a step's error
 * logged with what).
 */
int	store_each(sqlite3_stmt *st, int (*fn)(sqlite3_stmt *, void *),
	    void *arg, const char *what);

/* Steps a statement of the statistics' columns, calling cb; resets it. */
int	store_stats_rows(sqlite3_stmt *st,
	    int (*cb)(const struct stats_row *, void *), void *arg);

/*
 * Binds a digest's scope to the named parameters st has (:from, :since,
 * :until, :day, :today, :due, :cutoff, :period).  store_prepare_scoped
 * prepares sql for one call with them bound (NULL logged).
 */
void	store_bind_scope(sqlite3_stmt *st, const struct digest_scope *);

/* Binds text, NULL for NULL (SQLITE_STATIC: s outlives the step). */
void	store_bind_text(sqlite3_stmt *st, int col, const char *s);

/* Binds an id or a time, NULL for 0 (hazardd's own token, no time). */
void	store_bind_id(sqlite3_stmt *st, int col, int64_t v);
sqlite3_stmt *store_prepare_scoped(const char *sql,
	    const struct digest_scope *);

/*
 * Overdue, in SQL as hazard_overdue() has it in C: a hazard open (not
 * rectified: that one waits for the office, the school has met its
 * deadline) whose deadline, a local date, is before today.  Every query
 * that counts or lists the overdue ones says it with these two: the
 * states (or, where a query reads an index of the open ones or the
 * hazards open at an instant, that index's condition), and the
 * deadline.  A NULL deadline is never before today.
 */
#define STORE_OVERDUE_STATES(state)	state " = 'open'"
#define STORE_OVERDUE_DEADLINE(deadline, today)	deadline " < " today

/*
 * Whether hazard h (a table's name or alias) was waiting for the
 * office's verification at :until: its last rectification or rejection
 * before then is a rectification.  One imported as rectified has
 * neither: its state says it.
 */
#define STORE_WAITING_AT(h) \
	"COALESCE((SELECT e.action = 'rectify' FROM events e" \
	" INDEXED BY events_by_hazard WHERE e.hazard_id = " h ".id" \
	" AND e.action IN ('rectify', 'reject') AND e.at < :until" \
	" ORDER BY e.id DESC LIMIT 1), " h ".state = 'rectified'" \
	" AND NOT EXISTS (SELECT 1 FROM events e INDEXED BY events_by_hazard" \
	" WHERE e.hazard_id = " h ".id AND e.action = 'rectify'))"

/*
 * Whether the rectification e (an alias of events) was rejected after,
 * by a rejection r for which cond holds: the rectification the office
 * sent back, which no figure counts as rectified.
 */
#define STORE_REJECTED_AFTER(e, cond) \
	"EXISTS (SELECT 1 FROM events r INDEXED BY events_by_hazard" \
	" WHERE r.hazard_id = " e ".hazard_id AND r.id > " e ".id" \
	" AND r.action = 'reject' AND " cond ")"

/*
 * SQL selecting cols of the hazards open at :until: reported before,
 * neither closed nor cancelled by then.  Three disjoint parts, each read
 * from its own index (schema/006-figures.sql): still open now, closed
 * since, cancelled since.
 */
#define STORE_OPEN_AT(cols) \
	"SELECT " cols " FROM hazards INDEXED BY hazards_open" \
	" WHERE closed_at IS NULL AND cancelled_at IS NULL" \
	" AND reported_at < :until" \
	" UNION ALL SELECT " cols " FROM hazards INDEXED BY hazards_by_closed" \
	" WHERE closed_at >= :until AND reported_at < :until" \
	" AND (cancelled_at IS NULL OR cancelled_at >= :until)" \
	" UNION ALL SELECT " cols \
	" FROM hazards INDEXED BY hazards_by_cancelled" \
	" WHERE cancelled_at >= :until AND closed_at IS NULL" \
	" AND reported_at < :until"

#endif
