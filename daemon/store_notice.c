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
#include "store_impl.h"
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

	if ((st = store_stmt(STMT_ROBOT_SET)) == NULL)
		return STORE_ERROR;
	if (url != NULL) {
		sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, secret != NULL ? secret : "", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, format != NULL ? format : "", -1,
		    SQLITE_STATIC);
	}
	sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
	rc = store_done(st, "school robot");
	sqlite3_clear_bindings(st);
	if (rc != STORE_OK)
		return rc;
	return sqlite3_changes(db_handle()) == 0 ? STORE_NOTFOUND : STORE_OK;
}

int
store_school_robot_get(int64_t school_id, struct school_robot *r)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((st = store_stmt(STMT_ROBOT_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	if ((rc = store_row(st, "school robot get")) == STORE_OK) {
		r->code = col_copy(st, 0);
		r->name = col_copy(st, 1);
		r->url = col_copy(st, 2);
		r->secret = col_copy(st, 3);
		r->format = col_copy(st, 4);
		sqlite3_reset(st);
	}
	return rc;
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

/* The callback of a list of ids, and its argument. */
struct ids {
	int	(*cb)(int64_t, void *);
	void	*arg;
};

static int
id_row(sqlite3_stmt *st, void *arg)
{
	struct ids	*ids = arg;

	return ids->cb(sqlite3_column_int64(st, 0), ids->arg) == -1;
}

int
store_school_robots(int (*cb)(int64_t school_id, void *), void *arg)
{
	struct ids	 ids = { cb, arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ROBOTS)) == NULL)
		return STORE_ERROR;
	return store_each(st, id_row, &ids, "school robots") == STORE_ERROR ?
	    STORE_ERROR : STORE_OK;
}

int
store_notice_add(int64_t school_id, const char *kind, const char *about,
    const char *title, const char *body, time_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_NOTICE_ADD)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, about, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_text(st, 5, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, body, -1, SQLITE_STATIC);
	rc = store_done(st, "notice add");
	sqlite3_clear_bindings(st);
	if (rc != STORE_OK)
		return rc;
	if (sqlite3_changes(db_handle()) == 0)
		return STORE_EXISTS;
	if ((st = store_stmt(STMT_NOTICE_DELIVERY_ADD)) == NULL)
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
	if ((st = store_stmt(STMT_NOTICE_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_row(st, "notice get")) == STORE_OK) {
		n->id = id;
		n->school_id = sqlite3_column_int64(st, 0);
		n->kind = col_copy(st, 1);
		n->about = col_copy(st, 2);
		n->title = col_copy(st, 3);
		n->body = col_copy(st, 4);
		sqlite3_reset(st);
	}
	return rc;
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
	struct ids	 ids = { cb, arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_NOTICE_WARNING_SCHOOLS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	return store_each(st, id_row, &ids, "notice warning schools") ==
	    STORE_ERROR ? STORE_ERROR : STORE_OK;
}

/* The caller's callback of notice items, and its argument. */
struct items {
	int	(*cb)(const struct notice_item *, void *);
	void	*arg;
};

static int
item_row(sqlite3_stmt *st, void *arg)
{
	struct items		*is = arg;
	struct notice_item	 it;

	it.what = sqlite3_column_int(st, 0);
	it.id = sqlite3_column_int64(st, 1);
	it.title = (const char *)sqlite3_column_text(st, 2);
	it.deadline = (const char *)sqlite3_column_text(st, 3);
	it.note = (const char *)sqlite3_column_text(st, 4);
	it.days = sqlite3_column_int64(st, 5);
	return is->cb(&it, is->arg) == -1;
}

int
store_notice_items(int64_t school_id, const char *today, const char *due,
    time_t until, int (*cb)(const struct notice_item *, void *), void *arg)
{
	struct items	 is = { cb, arg };
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_NOTICE_ITEMS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	sqlite3_bind_text(st, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, due, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, until);
	rc = store_each(st, item_row, &is, "notice items");
	sqlite3_clear_bindings(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}
