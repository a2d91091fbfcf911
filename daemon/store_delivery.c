/*
 * The queries of deliveries: one row per digest and channel, or per
 * notice (store_notice.c makes those).
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"

int
store_delivery_add(int64_t digest_id, const char *channel, time_t now)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_DELIVERY_ADD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, digest_id);
	sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return store_done(st, "delivery add");
}

/* The caller's callback and its argument, for delivery_row. */
struct rows {
	int	(*cb)(const struct delivery_row *, void *);
	void	*arg;
};

/* A row of the deliveries' columns (store_sql.c, DELIVERY_COLUMNS). */
static int
delivery_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct delivery_row	 d;

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
	return r->cb(&d, r->arg) == -1;
}

/* Walks the rows of a statement of the deliveries' columns. */
static int
rows(sqlite3_stmt *st, int (*cb)(const struct delivery_row *, void *),
    void *arg)
{
	struct rows	r = { cb, arg };

	if (store_each(st, delivery_row, &r, "delivery rows") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_delivery_due(time_t now, int limit,
    int (*cb)(const struct delivery_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_DELIVERY_DUE)) == NULL)
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

	if ((st = store_stmt(STMT_DELIVERY_LIST)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, digest_id);
	return rows(st, cb, arg);
}

int
store_delivery_lease(int64_t id, time_t until)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_DELIVERY_LEASE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, until);
	sqlite3_bind_int64(st, 2, id);
	return store_done(st, "delivery lease");
}

int
store_delivery_progress(int64_t id, int parts_done, const char *key)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_DELIVERY_PROGRESS)) == NULL)
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

	if ((st = store_stmt(STMT_DELIVERY_RESULT)) == NULL)
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

	if ((st = store_stmt(STMT_DELIVERY_NEXT)) == NULL)
		return STORE_ERROR;
	/* An aggregate has its row. */
	if (store_row(st, "delivery next") != STORE_OK)
		return STORE_ERROR;
	*next = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}
