/*
 * The queries of schools' robots and the notices they are sent
 * (schema/015-school-robots.sql).  A notice is stored with its delivery
 * in the caller's transaction, once: a second of the same school, kind
 * and subject changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* A copy of a text column, or of "" when it is NULL. */
static char *
col_copy(sqlite3_stmt *st, int col)
{
	const char	*s = (const char *)sqlite3_column_text(st, col);

	return xstrdup(s != NULL ? s : "");
}

int
store_school_robot_set(const char *code, const char *url,
    const char *secret, const char *format)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("UPDATE schools SET robot_url = ?, "
	    "robot_secret = ?, robot_format = ? WHERE code = ?")) == NULL)
		return STORE_ERROR;
	if (url != NULL) {
		sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, secret != NULL ? secret : "", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, format != NULL ? format : "", -1,
		    SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
	if ((rc = store_done(st, "school robot")) != STORE_OK)
		return rc;
	return sqlite3_changes(db_handle()) == 0 ? STORE_NOTFOUND : STORE_OK;
}

int
store_school_robot_get(int64_t school_id, struct school_robot *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((st = store_prepare("SELECT code, name, robot_url, robot_secret, "
	    "robot_format FROM schools WHERE id = ? AND robot_url IS NOT "
	    "NULL")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->code = col_copy(st, 0);
		r->name = col_copy(st, 1);
		r->url = col_copy(st, 2);
		r->secret = col_copy(st, 3);
		r->format = col_copy(st, 4);
	} else if (rc != SQLITE_DONE)
		db_log_error("school robot get");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ?
	    STORE_NOTFOUND : STORE_ERROR;
}

void
store_school_robot_free(struct school_robot *r)
{
	free(r->code);
	free(r->name);
	free(r->url);
	free(r->secret);
	free(r->format);
	memset(r, 0, sizeof(*r));
}

int
store_school_robots(int (*cb)(int64_t school_id, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("SELECT id FROM schools WHERE robot_url IS "
	    "NOT NULL ORDER BY code")) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(st, 0), arg) == -1)
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_log_error("school robots");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_notice_add(int64_t school_id, const char *kind, const char *about,
    const char *title, const char *body, time_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("INSERT INTO notices (school_id, kind, about, "
	    "made_at, title, body) SELECT id, ?2, ?3, ?4, ?5, ?6 FROM schools "
	    "WHERE id = ?1 AND robot_url IS NOT NULL "
	    "ON CONFLICT DO NOTHING")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, about, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, body, -1, SQLITE_STATIC);
	if ((rc = store_done(st, "notice add")) != STORE_OK)
		return rc;
	if (sqlite3_changes(db_handle()) == 0)
		return STORE_EXISTS;
	if ((st = store_prepare("INSERT INTO deliveries (notice_id, channel, "
	    "state, next_try) VALUES (?, 'school', 'pending', ?)")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, sqlite3_last_insert_rowid(db_handle()));
	sqlite3_bind_int64(st, 2, now);
	return store_done(st, "notice delivery add");
}

int
store_notice_get(int64_t id, struct notice_row *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(n, 0, sizeof(*n));
	if ((st = store_prepare("SELECT school_id, kind, about, title, body "
	    "FROM notices WHERE id = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n->id = id;
		n->school_id = sqlite3_column_int64(st, 0);
		n->kind = col_copy(st, 1);
		n->about = col_copy(st, 2);
		n->title = col_copy(st, 3);
		n->body = col_copy(st, 4);
	} else if (rc != SQLITE_DONE)
		db_log_error("notice get");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ?
	    STORE_NOTFOUND : STORE_ERROR;
}

void
store_notice_free(struct notice_row *n)
{
	free(n->kind);
	free(n->about);
	free(n->title);
	free(n->body);
	memset(n, 0, sizeof(*n));
}

int
store_notice_warning_schools(int64_t warning_id,
    int (*cb)(int64_t school_id, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("SELECT t.school_id FROM warning_targets t "
	    "JOIN schools s ON s.id = t.school_id WHERE t.warning_id = ? AND "
	    "s.robot_url IS NOT NULL ORDER BY t.school_id")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(sqlite3_column_int64(st, 0), arg) == -1)
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_log_error("notice warning schools");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_notice_items(int64_t school_id, const char *today, const char *due,
    time_t until,
    int (*cb)(const struct notice_item *, void *), void *arg)
{
	struct notice_item	 it;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = store_prepare(
	    "SELECT 1, id, title, deadline, NULL, "
	    "CAST(julianday(?2) - julianday(deadline) AS INTEGER) "
	    "FROM hazards WHERE school_id = ?1 AND state = 'open' "
	    "AND deadline < ?2 "
	    "UNION ALL SELECT 2, id, title, deadline, NULL, "
	    "CAST(julianday(deadline) - julianday(?2) AS INTEGER) "
	    "FROM hazards WHERE school_id = ?1 AND state = 'open' "
	    "AND deadline >= ?2 AND deadline <= ?3 "
	    "UNION ALL SELECT 3, h.id, h.title, h.deadline, e.note, 0 "
	    "FROM hazards h JOIN events e ON e.id = (SELECT MAX(id) FROM "
	    "events WHERE hazard_id = h.id) "
	    "WHERE h.school_id = ?1 AND h.state = 'open' "
	    "AND e.action = 'reject' AND e.at < ?4 "
	    "UNION ALL SELECT 4, w.id, w.title, NULL, NULL, 0 "
	    "FROM warning_targets t JOIN warnings w ON w.id = t.warning_id "
	    "WHERE t.school_id = ?1 AND t.acked_at IS NULL "
	    "AND w.issued_at < ?4 "
	    "ORDER BY 1, 6 DESC, 2")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, due, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		it.what = sqlite3_column_int(st, 0);
		it.id = sqlite3_column_int64(st, 1);
		it.title = (const char *)sqlite3_column_text(st, 2);
		it.deadline = (const char *)sqlite3_column_text(st, 3);
		it.note = (const char *)sqlite3_column_text(st, 4);
		it.days = sqlite3_column_int64(st, 5);
		if (cb(&it, arg) == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_log_error("notice items");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}
