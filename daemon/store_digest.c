/*
 * The queries of the digests and the stored digests themselves.  A
 * digest reads the hazards "as of" the end of its window: a hazard is
 * open then if it was reported before and neither closed nor cancelled
 * by then, so that a run made late (after downtime) counts the same as
 * one made on time.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* Open at :until: reported before, not closed or cancelled by then. */
#define OPEN_AT_UNTIL "h.id IN (" STORE_OPEN_AT("id") ")"

#define ITEM_COLUMNS \
	"h.id, h.kind, s.code, s.name, h.title, h.category, h.grade, " \
	"h.state, h.deadline, h.department, " \
	"COALESCE(TRIM(h.plan), '') != '', " \
	"COALESCE(TRIM(h.assessment), '') != '', h.escalation, "
#define ITEM_FROM \
	" FROM hazards h JOIN schools s ON s.id = h.school_id WHERE "

static const char *const sql_lists[] = {
	[LIST_OVERDUE] = "SELECT " ITEM_COLUMNS
	    "CAST(julianday(:today) - julianday(h.deadline) AS INTEGER)"
	    ITEM_FROM OPEN_AT_UNTIL " AND h.deadline < :today"
	    " ORDER BY h.deadline, s.code, h.id",
	[LIST_DUE_SOON] = "SELECT " ITEM_COLUMNS
	    "CAST(julianday(h.deadline) - julianday(:today) AS INTEGER)"
	    ITEM_FROM OPEN_AT_UNTIL " AND h.deadline >= :today"
	    " AND h.deadline <= :due ORDER BY h.deadline, s.code, h.id",
	[LIST_MAJOR] = "SELECT " ITEM_COLUMNS
	    "CAST(julianday(:today) - julianday(date(h.reported_at,"
	    " 'unixepoch', 'localtime')) AS INTEGER)"
	    ITEM_FROM OPEN_AT_UNTIL " AND h.grade = 'major'"
	    " ORDER BY s.code, h.id",
	[LIST_DISPATCH] = "SELECT " ITEM_COLUMNS
	    "CAST(julianday(:today) - julianday(date(h.reported_at,"
	    " 'unixepoch', 'localtime')) AS INTEGER)"
	    ITEM_FROM OPEN_AT_UNTIL " AND h.state IN ('open', 'rectified')"
	    " AND (h.deadline < :today OR date(h.reported_at, 'unixepoch',"
	    " 'localtime') < :cutoff)"
	    " AND NOT EXISTS (SELECT 1 FROM events e WHERE"
	    " e.hazard_id = h.id AND e.action = 'escalate'"
	    " AND e.note = :period)"
	    " ORDER BY s.code, h.id",
	[LIST_DISPATCHED] = "SELECT " ITEM_COLUMNS "0" ITEM_FROM
	    "h.id IN (SELECT e.hazard_id FROM events e"
	    " WHERE e.action = 'escalate' AND e.at >= :since"
	    " AND e.note = :period)"
	    " ORDER BY s.code, h.id",
};

const char *
store_digest_list_sql(size_t i)
{
	return i <= LIST_DISPATCHED ? sql_lists[i] : NULL;
}

int
store_digest_list(enum digest_list which, const struct digest_scope *sc,
    int (*cb)(const struct digest_item *, void *), void *arg)
{
	struct digest_item	 it;
	sqlite3_stmt		*st;
	int			 rc;

	if ((unsigned)which > LIST_DISPATCHED)
		return STORE_ERROR;
	if ((st = store_prepare_scoped(sql_lists[which], sc)) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it.id = sqlite3_column_int64(st, 0);
		it.kind = (const char *)sqlite3_column_text(st, 1);
		it.school = (const char *)sqlite3_column_text(st, 2);
		it.school_name = (const char *)sqlite3_column_text(st, 3);
		it.title = (const char *)sqlite3_column_text(st, 4);
		it.category = (const char *)sqlite3_column_text(st, 5);
		it.grade = (const char *)sqlite3_column_text(st, 6);
		it.state = (const char *)sqlite3_column_text(st, 7);
		it.deadline = (const char *)sqlite3_column_text(st, 8);
		it.department = (const char *)sqlite3_column_text(st, 9);
		it.has_plan = sqlite3_column_int(st, 10);
		it.has_assessment = sqlite3_column_int(st, 11);
		it.escalation = sqlite3_column_int(st, 12);
		it.days = sqlite3_column_int64(st, 13);
		if (cb(&it, arg) == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_log_error("digest list");
		sqlite3_finalize(st);
		return STORE_ERROR;
	}
	sqlite3_finalize(st);
	return STORE_OK;
}

/* --- the stored digests -------------------------------------------- */

int
store_digest_coverage(const char *kind, const char *period, int *latest,
    time_t *covered, time_t *before)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("SELECT "
	    "COALESCE(MAX(revision) FILTER (WHERE period = ?2), 0), "
	    "COALESCE(MAX(until) FILTER (WHERE period = ?2), 0), "
	    "COALESCE(MAX(until) FILTER (WHERE period < ?2), 0) "
	    "FROM digests WHERE kind = ?1 AND period <= ?2")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*latest = sqlite3_column_int(st, 0);
		*covered = (time_t)sqlite3_column_int64(st, 1);
		*before = (time_t)sqlite3_column_int64(st, 2);
	} else
		db_log_error("digest coverage");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

int
store_digest_insert(const struct digest_meta *m, time_t since, time_t until,
    const char *language, const char *text, const char *json, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("INSERT INTO digests (kind, period, revision, "
	    "trigger, made_at, since, until, language, text, json) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, m->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, m->revision);
	sqlite3_bind_text(st, 4, m->trigger, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, m->made_at);
	sqlite3_bind_int64(st, 6, since);
	sqlite3_bind_int64(st, 7, until);
	sqlite3_bind_text(st, 8, language, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, json, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		*id = sqlite3_last_insert_rowid(db_handle());
	else
		db_log_error("digest insert");
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return STORE_OK;
	return (rc & 0xff) == SQLITE_CONSTRAINT ? STORE_EXISTS : STORE_ERROR;
}

#define META_COLUMNS "id, kind, period, revision, trigger, made_at, written"

/* Reads META_COLUMNS. */
static void
meta_from_row(sqlite3_stmt *st, struct digest_meta *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->kind = (const char *)sqlite3_column_text(st, 1);
	m->period = (const char *)sqlite3_column_text(st, 2);
	m->revision = sqlite3_column_int(st, 3);
	m->trigger = (const char *)sqlite3_column_text(st, 4);
	m->made_at = sqlite3_column_int64(st, 5);
	m->written = sqlite3_column_int(st, 6);
}

/* Walks the rows of a statement of META_COLUMNS. */
static int
meta_rows(sqlite3_stmt *st, int (*cb)(const struct digest_meta *, void *),
    void *arg)
{
	struct digest_meta	m;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		meta_from_row(st, &m);
		if (cb(&m, arg) == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_log_error("digest list");
		sqlite3_finalize(st);
		return STORE_ERROR;
	}
	sqlite3_finalize(st);
	return STORE_OK;
}

int
store_digest_get(int64_t id, struct digest_meta *m, char **text,
    char **json)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* Without its text and JSON: megabytes, for a city. */
	if ((st = store_prepare(text == NULL ? "SELECT " META_COLUMNS
	    " FROM digests WHERE id = ?" : "SELECT " META_COLUMNS ", text, "
	    "json FROM digests WHERE id = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		meta_from_row(st, m);
		/* The strings of m live until the statement ends: copy. */
		m->kind = xstrdup(m->kind);
		m->period = xstrdup(m->period);
		m->trigger = xstrdup(m->trigger);
		if (text != NULL) {
			*text = xstrdup((const char *)
			    sqlite3_column_text(st, 7));
			*json = xstrdup((const char *)
			    sqlite3_column_text(st, 8));
		}
	} else if (rc != SQLITE_DONE)
		db_log_error("digest get");
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}

void
store_digest_meta_free(struct digest_meta *m)
{
	free((char *)m->kind);
	free((char *)m->period);
	free((char *)m->trigger);
	m->kind = m->period = m->trigger = NULL;
}

int
store_digest_find(const char *kind, const char *period,
    int (*cb)(const struct digest_meta *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT " META_COLUMNS " FROM digests "
	    "WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR period = ?2) "
	    "ORDER BY made_at DESC, id DESC")) == NULL)
		return STORE_ERROR;
	if (kind != NULL)
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (period != NULL)
		sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
	return meta_rows(st, cb, arg);
}

int
store_digest_unwritten(int (*cb)(const struct digest_meta *, void *),
    void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT " META_COLUMNS " FROM digests "
	    "WHERE written = 0 ORDER BY id")) == NULL)
		return STORE_ERROR;
	return meta_rows(st, cb, arg);
}

int
store_digest_mark_written(int64_t id)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("UPDATE digests SET written = 1 "
	    "WHERE id = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return store_done(st, "digest written");
}

int
store_meta_get(const char *key, char **value)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("SELECT value FROM meta WHERE key = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*value = xstrdup((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_DONE)
		db_log_error("meta get");
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	return rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERROR;
}
