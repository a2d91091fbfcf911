/*
 * Every fixed statement of the store, in one table indexed by enum stmt
 * (store_impl.h), as kcaldav's db.c has them; each thread prepares one
 * on its own connection when it first uses it, keeps it, and resets it
 * after each use.  The
 * filtered lists (store.c) are built for each call from fixed fragments,
 * with every value bound, never from input.
 *
 * Why prepared once: on the 1M set (bench/prepare.c), preparing a
 * hazard's read for each call made it 32 us instead of 6 (a show, and
 * each of the 50 rows of a list page), a report's insert 44 us instead
 * of 1.3, an event's 27 instead of 18; the statistics' and digests'
 * queries take 5 to 77 us to prepare.  Figures and reasons:
 * docs/BENCHMARKS.md, "One store idiom".
 */
#include <stddef.h>

#include "chain.h"
#include "db.h"
#include "log.h"
#include "store_impl.h"

#define DAY	86400

/*
 * A hazard's row, with the office's rejection while it is open after it
 * (kept by the ledger: schema/017-rejected.sql).  store.c's export has
 * the same.
 */
#define HAZARD_COLUMNS \
	"h.id, h.kind, h.school_id, s.code, s.name, h.grade, " \
	"h.category, h.title, h.description, h.location, h.responsible, " \
	"h.department, h.deadline, h.plan, h.assessment, h.funds, " \
	"h.contingency, h.state, h.escalation, h.reported_at, " \
	"h.updated_at, h.closed_at, h.cancelled_at, h.rejected_event, " \
	"r.at, r.actor, r.note " \
	"FROM hazards h JOIN schools s ON s.id = h.school_id " \
	"LEFT JOIN events r ON r.id = h.rejected_event"

#define TOKEN_COLUMNS \
	"t.id, t.name, t.role, s.code, t.created_at, t.revoked_at " \
	"FROM tokens t LEFT JOIN schools s ON s.id = t.school_id"

/* Open at :until: reported before, not closed or cancelled by then. */
#define OPEN_AT_UNTIL "h.id IN (" STORE_OPEN_AT("id") ")"

#define ITEM_COLUMNS \
	"h.id, h.kind, s.code, s.name, h.title, h.category, h.grade, " \
	"h.state, h.deadline, h.department, " \
	"COALESCE(TRIM(h.plan), '') != '', " \
	"COALESCE(TRIM(h.assessment), '') != '', h.escalation, "
#define ITEM_FROM \
	" FROM hazards h JOIN schools s ON s.id = h.school_id" \
	" WHERE s.retired_at IS NULL AND "

/*
 * The rate's queries: parameters ?1 at, ?2 lo, ?3 hi, ?4 kind, ?5
 * category, ?6 school, as each has them (store_figures.c, rate_query).
 */
#define RATE_SCOPE " AND (?5 IS NULL OR category = ?5)"

/*
 * The statistics.  Parameters: ?1 kind or NULL, ?2 category or NULL, ?3
 * today, ?4 and ?5 the range of reports, ?6 the school or 0.  The counts
 * of a group come from the tally of the schools (every report) or from
 * the covering index (a range), the open ones from their own index.
 */
#define STATS_SUMS(identified, closed) \
	"SUM(CASE WHEN kind = 'hazard' THEN " identified " ELSE 0 END) hi," \
	" SUM(CASE WHEN kind = 'hazard' THEN " closed " ELSE 0 END) hc," \
	" SUM(CASE WHEN kind = 'finding' THEN " identified " ELSE 0 END) fi," \
	" SUM(CASE WHEN kind = 'finding' THEN " closed " ELSE 0 END) fc"
#define STATS_SCOPE \
	" AND (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR category = ?2)"
#define STATS_TALLY(key) \
	"SELECT " key ", " STATS_SUMS("identified", "closed") \
	", SUM(reported) n FROM tally_school" \
	" WHERE (?6 = 0 OR school_id = ?6)" STATS_SCOPE " GROUP BY " key
#define STATS_RANGE(key) \
	"SELECT " key ", " STATS_SUMS("(cancelled_at IS NULL)", \
	"(closed_at IS NOT NULL)") ", COUNT(*) n" \
	" FROM hazards INDEXED BY hazards_figures" \
	" WHERE reported_at >= ?4 AND reported_at < ?5" \
	" AND (?6 = 0 OR school_id = ?6)" STATS_SCOPE " GROUP BY " key
#define STATS_OPEN(key) \
	"SELECT " key ", COUNT(*) open, SUM(" \
	STORE_OVERDUE_STATES("state") " AND " \
	STORE_OVERDUE_DEADLINE("deadline", "?3") ") overdue" \
	" FROM hazards INDEXED BY hazards_open" \
	" WHERE closed_at IS NULL AND cancelled_at IS NULL" \
	" AND reported_at >= ?4 AND reported_at < ?5" \
	" AND (?6 = 0 OR school_id = ?6)" STATS_SCOPE " GROUP BY " key
#define STATS_SCHOOLS(counts) \
	"SELECT s.code, s.name, COALESCE(t.hi, 0), COALESCE(t.hc, 0)," \
	" COALESCE(t.fi, 0), COALESCE(t.fc, 0), COALESCE(o.open, 0)," \
	" COALESCE(o.overdue, 0) FROM schools s" \
	" LEFT JOIN (" counts ") t ON t.school_id = s.id" \
	" LEFT JOIN (" STATS_OPEN("school_id") ") o ON o.school_id = s.id" \
	" WHERE ?6 = 0 OR s.id = ?6 ORDER BY s.code"
/* A column of a school's row of a kind in the tally, 0 if none. */
#define SCHOOL_KIND(column, kind) \
	"COALESCE((SELECT " column " FROM tally_school_kind" \
	" WHERE kind = '" kind "' AND school_id = s.id), 0)"
#define STATS_CATEGORIES(counts) \
	"SELECT category, NULL, SUM(hi), SUM(hc), SUM(fi), SUM(fc)," \
	" SUM(open), SUM(overdue) FROM (" \
	" SELECT category, hi, hc, fi, fc, 0 open, 0 overdue, n" \
	" FROM (" counts ") UNION ALL" \
	" SELECT category, 0, 0, 0, 0, open, overdue, 0" \
	" FROM (" STATS_OPEN("category") "))" \
	" GROUP BY category HAVING SUM(n) > 0 ORDER BY category"

/*
 * The statistics as of an instant (:until, its next second), from the
 * hazards reported by then, each closed, cancelled or open as its
 * times say, overdue if open at the end of the day :today and not
 * waiting for the office's verification then (asked of those alone, in
 * a CASE, through a row of their own: the rest is read from the
 * covering index hazards_figures); :kind, :category,
 * :today, [:since, :before) the range of reports, :school as ?1-?6 above.
 */
#define STATS_BY(h) \
	"COALESCE(" h ".closed_at < :until, 0)"
#define STATS_CANCELLED_BY(h) \
	"COALESCE(" h ".cancelled_at < :until, 0)"
#define STATS_OPEN_BY(h) \
	"(NOT " STATS_BY(h) " AND NOT " STATS_CANCELLED_BY(h) ")"
#define STATS_AS_OF_SUMS \
	"COALESCE(SUM(h.kind = 'hazard' AND NOT " STATS_CANCELLED_BY("h") \
	"), 0) hi, COALESCE(SUM(h.kind = 'hazard' AND " STATS_BY("h") \
	"), 0) hc, COALESCE(SUM(h.kind = 'finding' AND NOT " \
	STATS_CANCELLED_BY("h") "), 0) fi, COALESCE(SUM(h.kind = 'finding'" \
	" AND " STATS_BY("h") "), 0) fc, COALESCE(SUM(" STATS_OPEN_BY("h") \
	"), 0) open, COALESCE(SUM(CASE WHEN " STATS_OPEN_BY("h") " AND " \
	STORE_OVERDUE_DEADLINE("h.deadline", ":today") " THEN (SELECT NOT " \
	STORE_WAITING_AT("w") " FROM hazards w WHERE w.id = h.id)" \
	" ELSE 0 END), 0) overdue"
#define STATS_AS_OF_SCOPE \
	" AND h.reported_at < :until AND h.reported_at >= :since" \
	" AND h.reported_at < :before AND (:kind IS NULL OR h.kind = :kind)" \
	" AND (:category IS NULL OR h.category = :category)"

#define META_COLUMNS "id, kind, period, revision, trigger, made_at, written"
#define DELIVERY_COLUMNS \
	"id, COALESCE(digest_id, 0), channel, state, attempts, last_error, " \
	"next_try, COALESCE(done_at, 0), parts_done, " \
	"COALESCE(parts_for, ''), COALESCE(notice_id, 0) FROM deliveries "
#define WARNING_COLUMNS \
	"w.id, w.title, w.body, w.issuer, w.issued_at, w.all_schools, " \
	"s.code, s.name, COALESCE(t.acked_at, 0), t.acked_by " \
	"FROM warnings w JOIN warning_targets t ON t.warning_id = w.id " \
	"JOIN schools s ON s.id = t.school_id "

static const char *const stmt_sql[STMT__MAX] = {
	[STMT_TOKEN_FIND] =
	"SELECT id, role, COALESCE(school_id, 0), name, hash FROM tokens "
	"WHERE hash = ? AND revoked_at IS NULL",
	[STMT_TOKEN_INSERT] =
	"INSERT INTO tokens (name, role, school_id, hash, created_at) "
	"VALUES (?, ?, ?, ?, ?)",
	[STMT_TOKEN_GET] = "SELECT " TOKEN_COLUMNS " WHERE t.id = ?",
	[STMT_TOKEN_LIST] = "SELECT " TOKEN_COLUMNS " ORDER BY t.id",
	[STMT_TOKEN_REVOKE] =
	"UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
	[STMT_SCHOOL_FIND] = "SELECT id, code, name, department, "
	"COALESCE(retired_at, 0) FROM schools WHERE code = ?",
	[STMT_SCHOOL_INSERT] =
	"INSERT INTO schools (code, name, created_at) VALUES (?, ?, ?)",
	[STMT_SCHOOL_LIST] = "SELECT id, code, name, department, "
	"COALESCE(retired_at, 0) FROM schools ORDER BY code",
	/* NULL leaves a value as it is; a department of '' removes it. */
	[STMT_SCHOOL_UPDATE] = "UPDATE schools SET name = COALESCE(?2, name), "
	"department = CASE WHEN ?3 IS NULL THEN department "
	"WHEN ?3 = '' THEN NULL ELSE ?3 END, "
	"retired_at = CASE ?4 WHEN 1 THEN COALESCE(retired_at, ?5) "
	"WHEN 0 THEN NULL ELSE retired_at END WHERE code = ?1",
	[STMT_SCHOOL_RETIRED] = "SELECT COALESCE(retired_at, 0) FROM schools "
	"WHERE id = ?",
	[STMT_SCHOOL_GET] = "SELECT code, name FROM schools WHERE id = ?",
	[STMT_HAZARD_GET] = "SELECT " HAZARD_COLUMNS " WHERE h.id = ?",
	[STMT_HAZARD_FIND_KEY] =
	"SELECT id FROM hazards WHERE school_id = ? AND idem_key = ?",
	[STMT_ACTION_KEY_FIND] = "SELECT hazard_id, action, status, answer "
	"FROM action_keys WHERE token_id = ? AND key = ?",
	[STMT_ACTION_KEY_INSERT] = "INSERT INTO action_keys (token_id, key, "
	"hazard_id, action, status, answer, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_ACTION_KEY_PRUNE] = "DELETE FROM action_keys WHERE at < ?",
	[STMT_HAZARD_INSERT] =
	"INSERT INTO hazards (kind, school_id, grade, category, title, "
	"description, location, responsible, department, deadline, plan, "
	"assessment, funds, contingency, state, escalation, idem_key, "
	"reported_by, reported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_HAZARD_UPDATE] =
	"UPDATE hazards SET grade = ?, category = ?, title = ?, "
	"description = ?, location = ?, responsible = ?, department = ?, "
	"deadline = ?, plan = ?, assessment = ?, funds = ?, contingency = ?, "
	"state = ?, escalation = ?, updated_at = ?, closed_at = ?, "
	"cancelled_at = ?, rejected_event = ? WHERE id = ?",
	/* The id and hash of an event follow the head's (chain.h). */
	[STMT_EVENT_INSERT] =
	"INSERT INTO events (hazard_id, at, token_id, actor, role, action, "
	"from_state, to_state, note, changes, activity_id, id, hash) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_EVENT_HEAD] =
	"SELECT id, hash FROM events ORDER BY id DESC LIMIT 1",
	[STMT_EVENT_CHAIN] =
	"SELECT " CHAIN_COLUMNS ", hash FROM events ORDER BY id",
	[STMT_EVENT_LIST] =
	"SELECT id, hazard_id, at, COALESCE(token_id, 0), actor, role, "
	"action, from_state, to_state, note, changes FROM events "
	"WHERE hazard_id = ? ORDER BY id",
	/* A hazard's state at ?2: that of its last event by then. */
	[STMT_HAZARD_STATE_AT] = "SELECT to_state FROM events"
	" INDEXED BY events_by_hazard WHERE hazard_id = ?1 AND at <= ?2"
	" ORDER BY id DESC LIMIT 1",
	[STMT_COUNT_STATES] = "SELECT kind, state, n FROM tally_state",
	[STMT_PING] = "SELECT COUNT(*) FROM schools",

	/*
	 * The categories of the hazards reported before until: those of the
	 * whole days before from the tally, those of until's own day from
	 * the hazards.
	 */
	[STMT_FIGURES_CATEGORIES] =
	"SELECT category FROM tally WHERE day < :day AND reported > 0"
	" UNION SELECT category FROM hazards INDEXED BY hazards_figures"
	" WHERE reported_at >= :day * 86400 AND reported_at < :until"
	" ORDER BY 1",
	[STMT_RATE_DISTRICT] =
	"SELECT COALESCE(SUM(closed_at <= ?1), 0), COUNT(*)"
	" FROM hazards INDEXED BY hazards_figures"
	" WHERE reported_at >= ?2 AND reported_at < ?3 AND kind = ?4"
	RATE_SCOPE " AND (cancelled_at IS NULL OR cancelled_at > ?1)",
	[STMT_RATE_SCHOOL] =
	"SELECT COALESCE(SUM(closed_at <= ?1), 0), COUNT(*)"
	" FROM hazards INDEXED BY hazards_by_school"
	" WHERE school_id = ?6 AND reported_at >= ?2 AND reported_at < ?3"
	" AND kind = ?4" RATE_SCOPE
	" AND (cancelled_at IS NULL OR cancelled_at > ?1)",
	[STMT_RATE_TALLY] =
	"SELECT COALESCE(SUM(closed), 0), COALESCE(SUM(identified), 0)"
	" FROM tally_kind WHERE kind = ?4 AND day >= ?2 / 86400"
	" AND day < ?3 / 86400",
	[STMT_RATE_TALLY_CATEGORY] =
	"SELECT COALESCE(SUM(closed), 0), COALESCE(SUM(identified), 0)"
	" FROM tally WHERE kind = ?4 AND category = ?5"
	" AND day >= ?2 / 86400 AND day < ?3 / 86400",
	[STMT_RATE_CANCELLED_AFTER] =
	"SELECT COUNT(*) FROM hazards INDEXED BY hazards_by_cancelled"
	" WHERE cancelled_at > ?1 AND reported_at >= ?2"
	" AND reported_at < ?3 AND kind = ?4" RATE_SCOPE,
	[STMT_RATE_CLOSED_AFTER] =
	"SELECT COUNT(*) FROM hazards INDEXED BY hazards_by_closed"
	" WHERE closed_at > ?1 AND reported_at >= ?2"
	" AND reported_at < ?3 AND kind = ?4" RATE_SCOPE,
	/*
	 * What was closed and cancelled after at's UTC day, from the tally
	 * of transitions (schema/024-as-of.sql): the days of the range
	 * read, or (DONE_SINCE) the days done since at's, whichever are
	 * fewer; and later in that day.
	 */
	[STMT_RATE_DONE_AFTER] =
	"SELECT COALESCE(SUM(closed), 0), COALESCE(SUM(cancelled), 0)"
	" FROM tally_done WHERE kind = ?4 AND day >= ?2 / 86400"
	" AND day < ?3 / 86400 AND done_day > ?1 / 86400",
	[STMT_RATE_DONE_SINCE] =
	"SELECT COALESCE(SUM(closed), 0), COALESCE(SUM(cancelled), 0)"
	" FROM tally_done INDEXED BY tally_done_by_done"
	" WHERE kind = ?4 AND done_day > ?1 / 86400"
	" AND day >= ?2 / 86400 AND day < ?3 / 86400",
	[STMT_RATE_CLOSED_LATER_THAT_DAY] =
	"SELECT COUNT(*) FROM hazards INDEXED BY hazards_by_closed"
	" WHERE closed_at > ?1 AND closed_at < (?1 / 86400 + 1) * 86400"
	" AND reported_at >= ?2 AND reported_at < ?3 AND kind = ?4",
	[STMT_RATE_CANCELLED_LATER_THAT_DAY] =
	"SELECT COUNT(*) FROM hazards INDEXED BY hazards_by_cancelled"
	" WHERE cancelled_at > ?1 AND cancelled_at < (?1 / 86400 + 1) * 86400"
	" AND reported_at >= ?2 AND reported_at < ?3 AND kind = ?4",
	[STMT_STATS_SCHOOLS_AS_OF] = "SELECT s.code, s.name, COALESCE(t.hi, 0),"
	" COALESCE(t.hc, 0), COALESCE(t.fi, 0), COALESCE(t.fc, 0),"
	" COALESCE(t.open, 0), COALESCE(t.overdue, 0) FROM schools s"
	" LEFT JOIN (SELECT h.school_id, " STATS_AS_OF_SUMS
	" FROM hazards h INDEXED BY hazards_figures"
	" WHERE (:school = 0 OR h.school_id = :school)" STATS_AS_OF_SCOPE
	" GROUP BY h.school_id) t ON t.school_id = s.id"
	" WHERE :school = 0 OR s.id = :school ORDER BY s.code",
	[STMT_STATS_CATEGORIES_AS_OF] = "SELECT h.category, NULL, "
	STATS_AS_OF_SUMS " FROM hazards h INDEXED BY hazards_figures"
	" WHERE (:school = 0 OR h.school_id = :school)" STATS_AS_OF_SCOPE
	" GROUP BY h.category ORDER BY h.category",
	[STMT_STATS_SCHOOLS_TALLY] = STATS_SCHOOLS(STATS_TALLY("school_id")),
	[STMT_STATS_SCHOOLS_RANGE] = STATS_SCHOOLS(STATS_RANGE("school_id")),
	[STMT_STATS_CATEGORIES_TALLY] =
	    STATS_CATEGORIES(STATS_TALLY("category")),
	[STMT_STATS_CATEGORIES_RANGE] =
	    STATS_CATEGORIES(STATS_RANGE("category")),
	/*
	 * The schools worst first (store_stats_worst): the rate of hazards
	 * of every school, then a school's whole row (?3 today, ?6 the
	 * school) from its two rows of the tally and its open hazards.
	 */
	[STMT_STATS_SCHOOLS_RATE] = "SELECT s.id, COALESCE(t.closed, 0),"
	" COALESCE(t.identified, 0) FROM schools s"
	" LEFT JOIN tally_school_kind t"
	" ON t.kind = 'hazard' AND t.school_id = s.id",
	[STMT_STATS_SCHOOL_ROW] = "SELECT s.code, s.name,"
	" " SCHOOL_KIND("identified", "hazard") ","
	" " SCHOOL_KIND("closed", "hazard") ","
	" " SCHOOL_KIND("identified", "finding") ","
	" " SCHOOL_KIND("closed", "finding") ","
	" (SELECT COUNT(*) FROM hazards INDEXED BY hazards_open_school"
	" WHERE school_id = s.id AND closed_at IS NULL"
	" AND cancelled_at IS NULL),"
	" (SELECT COUNT(*) FROM hazards INDEXED BY hazards_open_school"
	" WHERE school_id = s.id AND closed_at IS NULL"
	" AND cancelled_at IS NULL AND " STORE_OVERDUE_STATES("state")
	" AND " STORE_OVERDUE_DEADLINE("deadline", "?3") ")"
	" FROM schools s WHERE s.id = ?6",

	/*
	 * The trend (store_trend): the days of the tally, the transitions
	 * of kind ?4 done after the day of ?1, the first instant (as
	 * STMT_RATE_DONE_AFTER reads them for one), and a school's hazards
	 * one by one.
	 */
	[STMT_TREND_TALLY] = "SELECT kind, day, identified, closed"
	" FROM tally_kind",
	[STMT_TREND_DONE] = "SELECT day, done_day, closed, cancelled"
	" FROM tally_done INDEXED BY tally_done_by_done"
	" WHERE kind = ?4 AND done_day > ?1 / 86400",
	[STMT_TREND_SCHOOL] =
	"SELECT kind, reported_at, closed_at, cancelled_at"
	" FROM hazards INDEXED BY hazards_by_school"
	" WHERE school_id = ?1 AND reported_at <= ?2",
	/* The counts of the day from ?1, its first instant. */
	[STMT_TODAY_REPORTED] =
	"SELECT COALESCE(SUM(kind = 'hazard'), 0), COUNT(*)"
	" FROM hazards INDEXED BY hazards_figures WHERE reported_at >= ?1",
	[STMT_TODAY_CLOSED] =
	"SELECT COALESCE(SUM(kind = 'hazard'), 0), COUNT(*)"
	" FROM hazards INDEXED BY hazards_by_closed WHERE closed_at >= ?1",
	/* A rectification the office rejected since counts for none. */
	[STMT_TODAY_RECTIFIED] =
	"SELECT COALESCE(SUM(h.kind = 'hazard'), 0), COUNT(*)"
	" FROM events e INDEXED BY events_by_action"
	" JOIN hazards h INDEXED BY hazards_kinds ON h.id = e.hazard_id"
	" WHERE e.action = 'rectify' AND e.at >= ?1"
	" AND NOT " STORE_REJECTED_AFTER("e", "1"),

	/* The parts of a digest's rows (store_figures.c, parts[]). */
	[STMT_FIGURES_NEW] =
	"SELECT school_id, category FROM hazards"
	" INDEXED BY hazards_figures"
	" WHERE reported_at >= :since AND reported_at < :until",
	[STMT_FIGURES_CLOSED] =
	"SELECT school_id, category FROM hazards"
	" INDEXED BY hazards_by_closed"
	" WHERE closed_at >= :since AND closed_at < :until",
	[STMT_FIGURES_OPEN] = STORE_OPEN_AT("school_id, category, deadline, "
	    STORE_WAITING_AT("hazards")),
	[STMT_FIGURES_YEAR] =
	"SELECT school_id, category, kind, closed_at, cancelled_at,"
	" deadline FROM hazards INDEXED BY hazards_figures"
	" WHERE reported_at >= :from AND reported_at < :until",
	/*
	 * Rectified in the period: a rectification the office had not
	 * rejected by its end (the hazard may have been rectified again).
	 */
	[STMT_FIGURES_RECTIFIED] =
	"SELECT DISTINCT h.school_id, h.category, h.id FROM events e"
	" JOIN hazards h ON h.id = e.hazard_id"
	" WHERE e.action = 'rectify' AND e.at >= :since AND e.at < :until"
	" AND NOT " STORE_REJECTED_AFTER("e", "r.at < :until"),

	/* The lists of a digest (store_digest.c). */
	[STMT_LIST_OVERDUE] = "SELECT " ITEM_COLUMNS
	"CAST(julianday(:today) - julianday(h.deadline) AS INTEGER)"
	ITEM_FROM OPEN_AT_UNTIL " AND "
	STORE_OVERDUE_DEADLINE("h.deadline", ":today")
	" AND NOT " STORE_WAITING_AT("h")
	" ORDER BY h.deadline, s.code, h.id",
	[STMT_LIST_DUE_SOON] = "SELECT " ITEM_COLUMNS
	"CAST(julianday(h.deadline) - julianday(:today) AS INTEGER)"
	ITEM_FROM OPEN_AT_UNTIL " AND h.deadline >= :today"
	" AND h.deadline <= :due AND NOT " STORE_WAITING_AT("h")
	" ORDER BY h.deadline, s.code, h.id",
	[STMT_LIST_MAJOR] = "SELECT " ITEM_COLUMNS
	"CAST(julianday(:today) - julianday(date(h.reported_at,"
	" 'unixepoch', 'localtime')) AS INTEGER)"
	ITEM_FROM OPEN_AT_UNTIL " AND h.grade = 'major'"
	" ORDER BY s.code, h.id",
	[STMT_LIST_DISPATCH] = "SELECT " ITEM_COLUMNS
	"CAST(julianday(:today) - julianday(date(h.reported_at,"
	" 'unixepoch', 'localtime')) AS INTEGER)"
	ITEM_FROM OPEN_AT_UNTIL " AND " STORE_OVERDUE_STATES("h.state")
	" AND (" STORE_OVERDUE_DEADLINE("h.deadline", ":today")
	" OR date(h.reported_at, 'unixepoch',"
	" 'localtime') < :cutoff)"
	" AND NOT EXISTS (SELECT 1 FROM events e INDEXED BY events_by_hazard"
	" WHERE e.hazard_id = h.id AND e.action = 'escalate'"
	" AND e.note = :period)"
	" ORDER BY s.code, h.id",
	[STMT_LIST_DISPATCHED] = "SELECT " ITEM_COLUMNS "0" ITEM_FROM
	"h.id IN (SELECT e.hazard_id FROM events e"
	" WHERE e.action = 'escalate' AND e.at >= :since"
	" AND e.note = :period)"
	" ORDER BY s.code, h.id",
	/* The office's backlog: the longest waiting first. */
	[STMT_LIST_AWAITING] = "SELECT " ITEM_COLUMNS
	"CAST(julianday(:today) - julianday(date(COALESCE((SELECT MAX(e.at)"
	" FROM events e INDEXED BY events_by_hazard WHERE e.hazard_id = h.id"
	" AND e.action = 'rectify' AND e.at < :until), h.updated_at),"
	" 'unixepoch', 'localtime')) AS INTEGER)"
	ITEM_FROM OPEN_AT_UNTIL " AND " STORE_WAITING_AT("h")
	" ORDER BY 14 DESC, s.code, h.id",
	/* The window's reports, the major ones first. */
	[STMT_LIST_NEW] = "SELECT " ITEM_COLUMNS "0 FROM hazards h"
	" INDEXED BY hazards_figures JOIN schools s ON s.id = h.school_id"
	" WHERE h.reported_at >= :since AND h.reported_at < :until"
	" ORDER BY h.grade != 'major', s.code, h.id",
	/* The window's rejections, each with the office's note. */
	[STMT_LIST_REJECTED] = "SELECT " ITEM_COLUMNS
	"CAST(julianday(:today) - julianday(date(e.at, 'unixepoch',"
	" 'localtime')) AS INTEGER), COALESCE(e.note, ''), e.at"
	" FROM events e INDEXED BY events_by_action"
	" JOIN hazards h ON h.id = e.hazard_id"
	" JOIN schools s ON s.id = h.school_id"
	" WHERE e.action = 'reject' AND e.at >= :since AND e.at < :until"
	" ORDER BY s.code, e.at, e.id",
	[STMT_FIGURES_SCHOOLS] = "SELECT id, code, name FROM schools "
	"WHERE retired_at IS NULL ORDER BY code",
	[STMT_FIRST_REPORT] = "SELECT MIN(reported_at) FROM hazards"
	" WHERE reported_at >= ?",

	[STMT_DIGEST_COVERAGE] = "SELECT "
	"COALESCE(MAX(revision) FILTER (WHERE period = ?2), 0), "
	"COALESCE(MAX(until) FILTER (WHERE period = ?2), 0), "
	"COALESCE(MAX(until) FILTER (WHERE period < ?2), 0) "
	"FROM digests WHERE kind = ?1 AND period <= ?2",
	[STMT_DIGEST_INSERT] = "INSERT INTO digests (kind, period, revision, "
	"trigger, made_at, since, until, language, text, json) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* Without its text and JSON: megabytes, for a city. */
	[STMT_DIGEST_GET_META] = "SELECT " META_COLUMNS
	" FROM digests WHERE id = ?",
	[STMT_DIGEST_GET] = "SELECT " META_COLUMNS ", text, "
	"json FROM digests WHERE id = ?",
	[STMT_DIGEST_FIND] = "SELECT " META_COLUMNS " FROM digests "
	"WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR period = ?2) "
	"ORDER BY made_at DESC, id DESC",
	[STMT_DIGEST_UNWRITTEN] = "SELECT " META_COLUMNS " FROM digests "
	"WHERE written = 0 ORDER BY id",
	[STMT_DIGEST_MARK_WRITTEN] = "UPDATE digests SET written = 1 "
	"WHERE id = ?",
	[STMT_META_GET] = "SELECT value FROM meta WHERE key = ?",

	[STMT_DELIVERY_ADD] = "INSERT INTO deliveries (digest_id, channel, "
	"state, next_try) VALUES (?, ?, 'pending', ?)",
	[STMT_DELIVERY_DUE] = "SELECT " DELIVERY_COLUMNS "WHERE state = "
	"'pending' AND next_try <= ? ORDER BY next_try, id LIMIT ?",
	[STMT_DELIVERY_LIST] = "SELECT " DELIVERY_COLUMNS "WHERE digest_id = ? "
	"ORDER BY id",
	[STMT_DELIVERY_LEASE] = "UPDATE deliveries SET next_try = ? "
	"WHERE id = ?",
	[STMT_DELIVERY_PROGRESS] = "UPDATE deliveries SET parts_done = ?, "
	"parts_for = ? WHERE id = ?",
	[STMT_DELIVERY_RESULT] = "UPDATE deliveries SET attempts = "
	"attempts + 1, "
	"state = CASE WHEN ?1 THEN 'done' ELSE state END, "
	"done_at = CASE WHEN ?1 THEN ?2 ELSE done_at END, "
	"last_error = ?3, next_try = ?4, parts_done = ?6 "
	"WHERE id = ?5",
	[STMT_DELIVERY_NEXT] = "SELECT COALESCE(MIN(next_try), 0) FROM "
	"deliveries WHERE state = 'pending'",

	[STMT_ROBOT_SET] = "UPDATE schools SET robot_url = ?, "
	"robot_secret = ?, robot_format = ? WHERE code = ?",
	[STMT_ROBOT_GET] = "SELECT code, name, robot_url, robot_secret, "
	"robot_format FROM schools WHERE id = ? AND robot_url IS NOT NULL",
	[STMT_ROBOTS] = "SELECT id FROM schools WHERE robot_url IS NOT NULL "
	"AND retired_at IS NULL "
	"ORDER BY code",
	[STMT_NOTICE_ADD] = "INSERT INTO notices (school_id, kind, about, "
	"made_at, title, body) SELECT id, ?2, ?3, ?4, ?5, ?6 FROM schools "
	"WHERE id = ?1 AND robot_url IS NOT NULL AND retired_at IS NULL "
	"ON CONFLICT DO NOTHING",
	[STMT_NOTICE_DELIVERY_ADD] = "INSERT INTO deliveries (notice_id, "
	"channel, state, next_try) VALUES (?, 'school', 'pending', ?)",
	[STMT_NOTICE_GET] = "SELECT school_id, kind, about, title, body "
	"FROM notices WHERE id = ?",
	[STMT_NOTICE_WARNING_SCHOOLS] = "SELECT t.school_id FROM "
	"warning_targets t JOIN schools s ON s.id = t.school_id "
	"WHERE t.warning_id = ? AND s.robot_url IS NOT NULL "
	"ORDER BY t.school_id",
	/*
	 * What a school must act on: overdue (1), due soon (2), rejected
	 * last (3), warnings not acknowledged (4).  A hazard is one item,
	 * in the first of its sections, with the note of its rejection if
	 * the office rejected it (hazards.rejected_event).
	 */
	[STMT_NOTICE_ITEMS] =
	"SELECT 1, h.id, h.title, h.deadline, r.note, "
	"CAST(julianday(?2) - julianday(h.deadline) AS INTEGER) "
	"FROM hazards h LEFT JOIN events r ON r.id = h.rejected_event "
	"AND r.at < ?4 WHERE h.school_id = ?1 AND "
	STORE_OVERDUE_STATES("h.state") " AND "
	STORE_OVERDUE_DEADLINE("h.deadline", "?2") " "
	"UNION ALL SELECT 2, h.id, h.title, h.deadline, r.note, "
	"CAST(julianday(h.deadline) - julianday(?2) AS INTEGER) "
	"FROM hazards h LEFT JOIN events r ON r.id = h.rejected_event "
	"AND r.at < ?4 WHERE h.school_id = ?1 AND h.state = 'open' "
	"AND h.deadline >= ?2 AND h.deadline <= ?3 "
	"UNION ALL SELECT 3, h.id, h.title, h.deadline, e.note, 0 "
	"FROM hazards h JOIN events e ON e.id = h.rejected_event "
	"WHERE h.school_id = ?1 AND h.state = 'open' "
	"AND e.at < ?4 AND (h.deadline IS NULL OR h.deadline > ?3) "
	"UNION ALL SELECT 4, w.id, w.title, NULL, NULL, 0 "
	"FROM warning_targets t JOIN warnings w ON w.id = t.warning_id "
	"WHERE t.school_id = ?1 AND t.acked_at IS NULL "
	"AND w.issued_at < ?4 "
	"ORDER BY 1, 6 DESC, 2",

	/* store_photo.c: a hazard's photos (schema/021-photos.sql). */
	[STMT_PHOTO_INSERT] =
	"INSERT INTO photos (hazard_id, stage, type, size, sha256, at, "
	"token_id, event_id, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_PHOTO_GET] =
	"SELECT p.id, p.hazard_id, h.school_id, p.stage, p.type, p.size, "
	"p.sha256, p.at, COALESCE(p.token_id, 0), p.event_id "
	"FROM photos p JOIN hazards h ON h.id = p.hazard_id WHERE p.id = ?",
	[STMT_PHOTO_BY_KEY] =
	"SELECT p.id, p.hazard_id, h.school_id, p.stage, p.type, p.size, "
	"p.sha256, p.at, COALESCE(p.token_id, 0), p.event_id "
	"FROM photos p JOIN hazards h ON h.id = p.hazard_id "
	"WHERE p.hazard_id = ? AND p.idem_key = ?",
	[STMT_PHOTO_LIST] =
	"SELECT p.id, p.hazard_id, h.school_id, p.stage, p.type, p.size, "
	"p.sha256, p.at, COALESCE(p.token_id, 0), p.event_id "
	"FROM photos p JOIN hazards h ON h.id = p.hazard_id "
	"WHERE p.hazard_id = ? ORDER BY p.id",
	[STMT_PHOTO_COUNT] =
	"SELECT COUNT(*) FROM photos WHERE hazard_id = ?1 "
	"AND (?2 IS NULL OR stage = ?2) AND event_id > ?3",
	[STMT_PHOTO_KNOWN] = "SELECT 1 FROM photos WHERE sha256 = ? LIMIT 1",

	[STMT_IMPORT_HAZARD] = "INSERT INTO hazards (kind, school_id, grade, "
	"category, title, description, location, responsible, "
	"department, deadline, plan, assessment, funds, contingency, "
	"state, escalation, idem_key, reported_by, reported_at, "
	"updated_at, closed_at, cancelled_at) VALUES (?, ?, ?, ?, ?, ?, "
	"?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",

	/*
	 * A row per deadline still open or rectified, kept by triggers
	 * (schema/013-tally-state.sql): /metrics reads no hazard.
	 */
	[STMT_METRICS_OVERDUE] = "SELECT kind, SUM(n) FROM tally_deadline "
	"WHERE " STORE_OVERDUE_DEADLINE("deadline", "?") " GROUP BY kind",
	[STMT_METRICS_CYCLE_LAST] = "SELECT COALESCE(MAX(made_at), 0) FROM "
	"digests WHERE kind = ?",
	[STMT_METRICS_DELIVERIES] = "SELECT COALESCE(SUM(attempts), 0), "
	"COALESCE(SUM(state = 'pending' AND last_error IS NOT NULL), 0) "
	"FROM deliveries",
	[STMT_METRICS_VERSION] = "PRAGMA data_version",

	[STMT_WARNING_INSERT] = "INSERT INTO warnings (title, body, token_id, "
	"issuer, issued_at, all_schools) VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_WARNING_TARGET] = "INSERT OR IGNORE INTO warning_targets "
	"(warning_id, school_id) VALUES (?, ?)",
	[STMT_WARNING_TARGET_ALL] = "INSERT INTO warning_targets (warning_id, "
	"school_id) SELECT ?, id FROM schools WHERE retired_at IS NULL",
	[STMT_WARNING_ROWS] = "SELECT " WARNING_COLUMNS "WHERE (?1 = 0 OR "
	"w.id = ?1) AND (?2 = 0 OR t.school_id = ?2) "
	"ORDER BY w.id DESC, s.code",
	[STMT_WARNING_UNACKED] = "SELECT " WARNING_COLUMNS "WHERE "
	"s.retired_at IS NULL AND w.issued_at < ?1 AND (t.acked_at IS NULL OR t.acked_at >= ?1) "
	"ORDER BY s.code, w.id",
	/* Not acknowledged within a day, that day over in [?1, ?2). */
	[STMT_WARNING_LATE] = "SELECT " WARNING_COLUMNS "WHERE "
	"w.issued_at + ?3 >= ?1 AND w.issued_at + ?3 < ?2 "
	"AND (t.acked_at IS NULL OR t.acked_at > w.issued_at + ?3) "
	"ORDER BY s.code, w.id",
	[STMT_WARNING_ACK] = "UPDATE warning_targets SET acked_at = "
	"COALESCE(acked_at, ?), acked_by = COALESCE(acked_by, ?) "
	"WHERE warning_id = ? AND school_id = ?",

	/*
	 * The activity ledger (schema/022-activities.sql).  The filters are
	 * fixed, each bound or NULL: an activity's table is small (tens of
	 * thousands of rows a year for a district) and read by its indexes
	 * of date and of school.
	 */
	[STMT_ACTIVITY_SCHOOL] = "SELECT id, code, name, "
	"COALESCE(retired_at, 0) FROM schools WHERE "
	"CASE WHEN ?1 IS NULL THEN id = ?2 ELSE code = ?1 END",
	[STMT_ACTIVITY_INSERT] = "INSERT INTO activities (school_id, type, "
	"subtype, date, count, note, token_id, recorded_by, recorded_at, "
	"idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[STMT_ACTIVITY_FIND_KEY] = "SELECT id FROM activities "
	"WHERE school_id = ? AND idem_key = ?",
	[STMT_ACTIVITY_LIST] = "SELECT a.id, a.school_id, s.code, s.name, "
	"a.type, a.subtype, a.date, a.count, a.note, "
	"COALESCE(a.token_id, 0), a.recorded_by, a.recorded_at, a.idem_key "
	"FROM activities a JOIN schools s ON s.id = a.school_id "
	"WHERE (?1 = 0 OR a.school_id = ?1) AND (?2 IS NULL OR a.type = ?2) "
	"AND (?3 IS NULL OR a.subtype = ?3) "
	"AND a.date >= COALESCE(?4, '') AND a.date <= COALESCE(?5, '9') "
	"AND (?6 IS NULL OR a.date < ?6 OR (a.date = ?6 AND a.id < ?7)) "
	"ORDER BY a.date DESC, a.id DESC",
	[STMT_ACTIVITY_EXPORT] = "SELECT a.id, a.school_id, s.code, s.name, "
	"a.type, a.subtype, a.date, a.count, a.note, "
	"COALESCE(a.token_id, 0), a.recorded_by, a.recorded_at, a.idem_key "
	"FROM activities a JOIN schools s ON s.id = a.school_id "
	"WHERE (?1 = 0 OR a.school_id = ?1) AND (?2 IS NULL OR a.type = ?2) "
	"AND (?3 IS NULL OR a.subtype = ?3) "
	"AND a.date >= COALESCE(?4, '') AND a.date <= COALESCE(?5, '9') "
	"AND a.id > ?6 ORDER BY a.id LIMIT ?7",
	[STMT_ACTIVITY_SUMS] = "SELECT a.school_id, s.code, s.name, a.type, "
	"a.subtype, SUM(a.count), COUNT(*) "
	"FROM activities a JOIN schools s ON s.id = a.school_id "
	"WHERE (?1 = 0 OR a.school_id = ?1) AND (?2 IS NULL OR a.type = ?2) "
	"AND (?3 IS NULL OR a.subtype = ?3) "
	"AND a.date >= COALESCE(?4, '') AND a.date <= COALESCE(?5, '9') "
	"GROUP BY a.school_id, a.type, a.subtype ORDER BY s.code, a.type, "
	"a.subtype",
	/* The warnings hazardd issued, per school they went to. */
	[STMT_ACTIVITY_WARNINGS] = "SELECT t.school_id, s.code, s.name, "
	"COUNT(*) FROM warnings w JOIN warning_targets t "
	"ON t.warning_id = w.id JOIN schools s ON s.id = t.school_id "
	"WHERE w.issued_at >= ?2 AND w.issued_at < ?3 "
	"AND (?1 = 0 OR t.school_id = ?1) GROUP BY t.school_id "
	"ORDER BY s.code",
	[STMT_ACTIVITY_WARNINGS_ALL] = "SELECT COUNT(*) FROM warnings w "
	"WHERE w.issued_at >= ?2 AND w.issued_at < ?3 AND (?1 = 0 OR "
	"EXISTS (SELECT 1 FROM warning_targets t WHERE t.warning_id = w.id "
	"AND t.school_id = ?1))",
	[STMT_ACTIVITY_NO_DRILL] = "SELECT id, code, name, department, 0 "
	"FROM schools s WHERE retired_at IS NULL AND NOT EXISTS (SELECT 1 "
	"FROM activities a INDEXED BY activities_by_school "
	"WHERE a.school_id = s.id AND a.type = 'drill' AND a.date >= ?1 "
	"AND a.date <= ?2) ORDER BY code",
};

/* Each thread its own, on its own connection. */
static __thread sqlite3_stmt *stmts[STMT__MAX];

/* Prepares statement id on this thread's connection.  0, or -1 logged. */
static int
prepare(enum stmt id)
{
	if (sqlite3_prepare_v3(db_handle(), stmt_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &stmts[id], NULL) == SQLITE_OK)
		return 0;
	log_warnx("database: preparing statement %d: %s", id,
	    sqlite3_errmsg(db_handle()));
	stmts[id] = NULL;
	return -1;
}

/*
 * Each statement is prepared and let go again: kept, the 63 of them
 * held 0.3 MB more of the loop's memory at rest (7.6 MB, not 7.9), for
 * statements most of which only threads use.
 */
int
store_open(void)
{
	sqlite3_stmt	*st;
	int		 i;

	for (i = 0; i < STMT__MAX; i++) {
		if (sqlite3_prepare_v2(db_handle(), stmt_sql[i], -1, &st,
		    NULL) != SQLITE_OK) {
			log_warnx("database: preparing statement %d: %s", i,
			    sqlite3_errmsg(db_handle()));
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

void
store_close(void)
{
	int	i;

	for (i = 0; i < STMT__MAX; i++) {
		sqlite3_finalize(stmts[i]);
		stmts[i] = NULL;
	}
}

sqlite3_stmt *
store_stmt(enum stmt id)
{
	if (stmts[id] == NULL && prepare(id) == -1)
		return NULL;
	sqlite3_reset(stmts[id]);
	sqlite3_clear_bindings(stmts[id]);
	return stmts[id];
}

sqlite3_stmt *
store_prepare(const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		db_log_error("prepare");
		return NULL;
	}
	return st;
}

int
store_done(sqlite3_stmt *st, const char *what)
{
	int	rc = sqlite3_step(st);

	if (rc != SQLITE_DONE)
		db_log_error(what);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	return (rc & 0xff) == SQLITE_CONSTRAINT ? STORE_EXISTS : STORE_ERROR;
}

int
store_row(sqlite3_stmt *st, const char *what)
{
	int	rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc != SQLITE_DONE)
		db_log_error(what);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}

int
store_each(sqlite3_stmt *st, int (*fn)(sqlite3_stmt *, void *), void *arg,
    const char *what)
{
	int	rc, stop = 0, n = 0;

	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		stop = fn(st, arg);
	}
	if (stop == 0 && rc != SQLITE_DONE)
		db_log_error(what);
	sqlite3_reset(st);
	if (stop == -1 || (stop == 0 && rc != SQLITE_DONE))
		return STORE_ERROR;
	return n;
}

/* --- binding ---------------------------------------------------------- */

void
store_bind_text(sqlite3_stmt *st, int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

void
store_bind_id(sqlite3_stmt *st, int col, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, v);
}

/* --- a digest's scope ------------------------------------------------ */

static void
bind_named_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int	i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static void
bind_named_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int	i = sqlite3_bind_parameter_index(st, name);

	if (i > 0)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

void
store_bind_scope(sqlite3_stmt *st, const struct digest_scope *sc)
{
	bind_named_int(st, ":from", sc->from);
	bind_named_int(st, ":since", sc->since);
	bind_named_int(st, ":until", sc->until);
	bind_named_int(st, ":day", sc->until / DAY);
	bind_named_text(st, ":today", sc->today);
	bind_named_text(st, ":due", sc->due);
	bind_named_text(st, ":cutoff", sc->cutoff);
	bind_named_text(st, ":period", sc->period);
}

sqlite3_stmt *
store_prepare_scoped(const char *sql, const struct digest_scope *sc)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare(sql)) != NULL)
		store_bind_scope(st, sc);
	return st;
}

/* --- the queries' plans -------------------------------------------- */

const char *
store_digest_list_sql(size_t i)
{
	return i < LIST__MAX ? stmt_sql[STMT_LIST_OVERDUE + i] : NULL;
}

const char *
store_hot_query(size_t i)
{
	if (i > STMT_LIST_REJECTED - STMT_FIGURES_CATEGORIES)
		return NULL;
	return stmt_sql[STMT_FIGURES_CATEGORIES + i];
}
