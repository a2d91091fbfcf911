/*
 * The queries of deliveries: one row per digest and channel, or per
 * notice (store_notice.c makes those).
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"

#define COLUMNS "id, COALESCE(digest_id, 0), channel, state, attempts, " \
	"last_error, next_try, COALESCE(done_at, 0), parts_done, " \
	"COALESCE(parts_for, ''), COALESCE(notice_id, 0) FROM deliveries "

int
store_delivery_add(int64_t digest_id, const char *channel, time_t now)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("INSERT INTO deliveries (digest_id, channel, "
	    "state, next_try) VALUES (?, ?, 'pending', ?)")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, digest_id);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return store_done(st, "delivery add");
}

/* Walks the rows of a statement of COLUMNS, and finalizes it. */
static int
rows(sqlite3_stmt *st, int (*cb)(const struct delivery_row *, void *),
    void *arg)
{
	struct delivery_row	d;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		d.id = sqlite3_column_int64(st, 0);
		d.digest_id = sqlite3_column_int64(st, 1);
		d.channel = (const char *)sqlite3_column_text(st, 2);
		d.state = (const char *)sqlite3_column_text(st, 3);
		d.attempts = sqlite3_column_int(st, 4);
		d.last_error = (const char *)sqlite3_column_text(st, 5);
		d.next_try = sqlite3_column_int64(st, 6);
		d.done_at = sqlite3_column_int64(st, 7);
		d.parts_done = sqlite3_column_int(st, 8);
		snprintf(d.parts_for, sizeof(d.parts_for), "%s",
		    (const char *)sqlite3_column_text(st, 9));
		d.notice_id = sqlite3_column_int64(st, 10);
		if (cb(&d, arg) == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_log_error("delivery rows");
		sqlite3_finalize(st);
		return STORE_ERROR;
	}
	sqlite3_finalize(st);
	return STORE_OK;
}

int
store_delivery_due(time_t now, int limit,
    int (*cb)(const struct delivery_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT " COLUMNS "WHERE state = 'pending' AND "
	    "next_try <= ? ORDER BY next_try, id LIMIT ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	return rows(st, cb, arg);
}

int
store_delivery_list(int64_t digest_id,
    int (*cb)(const struct delivery_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT " COLUMNS "WHERE digest_id = ? "
	    "ORDER BY id")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, digest_id);
	return rows(st, cb, arg);
}

int
store_delivery_lease(int64_t id, time_t until)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("UPDATE deliveries SET next_try = ? "
	    "WHERE id = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, until);
	sqlite3_bind_int64(st, 2, id);
	return store_done(st, "delivery lease");
}

int
store_delivery_progress(int64_t id, int parts_done, const char *key)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("UPDATE deliveries SET parts_done = ?, "
	    "parts_for = ? WHERE id = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(st, 1, parts_done);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	return store_done(st, "delivery progress");
}

int
store_delivery_result(int64_t id, int ok, const char *error, time_t now,
    time_t next_try, int parts_done)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("UPDATE deliveries SET attempts = attempts + 1, "
	    "state = CASE WHEN ?1 THEN 'done' ELSE state END, "
	    "done_at = CASE WHEN ?1 THEN ?2 ELSE done_at END, "
	    "last_error = ?3, next_try = ?4, parts_done = ?6 "
	    "WHERE id = ?5")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(st, 6, parts_done);
	sqlite3_bind_int(st, 1, ok != 0);
	sqlite3_bind_int64(st, 2, now);
	if (error == NULL)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, next_try);
	sqlite3_bind_int64(st, 5, id);
	return store_done(st, "delivery result");
}

int
store_delivery_next(time_t *next)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("SELECT COALESCE(MIN(next_try), 0) FROM deliveries "
	    "WHERE state = 'pending'")) == NULL)
		return STORE_ERROR;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*next = sqlite3_column_int64(st, 0);
	else
		db_log_error("delivery next");
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}
