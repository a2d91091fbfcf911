/*
 * The queries of early warnings and their acknowledgements.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"

int
store_warning_insert(const char *title, const char *body, int64_t token_id,
    const char *issuer, time_t now, int all, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_WARNING_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, body, -1, SQLITE_STATIC);
	if (token_id == 0)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int64(st, 3, token_id);
	sqlite3_bind_text(st, 4, issuer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int(st, 6, all != 0);
	if ((rc = store_done(st, "warning insert")) == STORE_OK)
		*id = sqlite3_last_insert_rowid(db_handle());
	return rc;
}

int
store_warning_target(int64_t warning_id, int64_t school_id)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_WARNING_TARGET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	sqlite3_bind_int64(st, 2, school_id);
	return store_done(st, "warning target");
}

int
store_warning_target_all(int64_t warning_id)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_WARNING_TARGET_ALL)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	return store_done(st, "warning targets");
}

/* The caller's callback and its argument, for warning_row. */
struct rows {
	int	(*cb)(const struct warning_row *, void *);
	void	*arg;
};

/* A row of the warnings' columns (store_sql.c, WARNING_COLUMNS). */
static int
warning_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct warning_row	 w;

	w.id = sqlite3_column_int64(st, 0);
	w.title = (const char *)sqlite3_column_text(st, 1);
	w.body = (const char *)sqlite3_column_text(st, 2);
	w.issuer = (const char *)sqlite3_column_text(st, 3);
	w.issued_at = sqlite3_column_int64(st, 4);
	w.all_schools = sqlite3_column_int(st, 5);
	w.school = (const char *)sqlite3_column_text(st, 6);
	w.school_name = (const char *)sqlite3_column_text(st, 7);
	w.acked_at = sqlite3_column_int64(st, 8);
	w.acked_by = (const char *)sqlite3_column_text(st, 9);
	return r->cb(&w, r->arg) == -1;
}

/* Walks the rows of a statement of the warnings' columns. */
static int
rows(sqlite3_stmt *st, int (*cb)(const struct warning_row *, void *),
    void *arg)
{
	struct rows	r = { cb, arg };

	if (store_each(st, warning_row, &r, "warning rows") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_warning_rows(int64_t warning_id, int64_t school_id,
    int (*cb)(const struct warning_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_WARNING_ROWS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	sqlite3_bind_int64(st, 2, school_id);
	return rows(st, cb, arg);
}

int
store_warning_unacked(time_t until,
    int (*cb)(const struct warning_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_WARNING_UNACKED)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, until);
	return rows(st, cb, arg);
}

int
store_warning_late(time_t since, time_t until,
    int (*cb)(const struct warning_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_WARNING_LATE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, until);
	sqlite3_bind_int64(st, 3, STORE_ACK_WITHIN);
	return rows(st, cb, arg);
}

int
store_warning_ack(int64_t warning_id, int64_t school_id, time_t now,
    const char *by)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_WARNING_ACK)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, warning_id);
	sqlite3_bind_int64(st, 4, school_id);
	if ((rc = store_done(st, "warning ack")) == STORE_OK &&
	    sqlite3_changes(db_handle()) == 0)
		return STORE_NOTFOUND;
	return rc;
}
