/*
 * The queries of early warnings and their acknowledgements.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"

#define ROW_COLUMNS \
	"w.id, w.title, w.body, w.issuer, w.issued_at, w.all_schools, " \
	"s.code, s.name, COALESCE(t.acked_at, 0), t.acked_by " \
	"FROM warnings w JOIN warning_targets t ON t.warning_id = w.id " \
	"JOIN schools s ON s.id = t.school_id "

int
store_warning_insert(const char *title, const char *body, int64_t token_id,
    const char *issuer, time_t now, int all, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("INSERT INTO warnings (title, body, token_id, "
	    "issuer, issued_at, all_schools) VALUES (?, ?, ?, ?, ?, ?)")) ==
	    NULL)
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

	if ((st = store_prepare("INSERT OR IGNORE INTO warning_targets "
	    "(warning_id, school_id) VALUES (?, ?)")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	sqlite3_bind_int64(st, 2, school_id);
	return store_done(st, "warning target");
}

int
store_warning_target_all(int64_t warning_id)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("INSERT INTO warning_targets (warning_id, "
	    "school_id) SELECT ?, id FROM schools")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, warning_id);
	return store_done(st, "warning targets");
}

/* Walks the rows of a statement of ROW_COLUMNS, and finalizes it. */
static int
rows(sqlite3_stmt *st, int (*cb)(const struct warning_row *, void *),
    void *arg)
{
	struct warning_row	w;
	int			rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
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
		if (cb(&w, arg) == -1)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_log_error("warning rows");
		sqlite3_finalize(st);
		return STORE_ERROR;
	}
	sqlite3_finalize(st);
	return STORE_OK;
}

int
store_warning_rows(int64_t warning_id, int64_t school_id,
    int (*cb)(const struct warning_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT " ROW_COLUMNS "WHERE (?1 = 0 OR w.id = ?1) "
	    "AND (?2 = 0 OR t.school_id = ?2) ORDER BY w.id DESC, s.code")) ==
	    NULL)
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

	if ((st = store_prepare("SELECT " ROW_COLUMNS "WHERE w.issued_at < ?1 AND "
	    "(t.acked_at IS NULL OR t.acked_at >= ?1) "
	    "ORDER BY s.code, w.id")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, until);
	return rows(st, cb, arg);
}

int
store_warning_ack(int64_t warning_id, int64_t school_id, time_t now,
    const char *by)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_prepare("UPDATE warning_targets SET acked_at = "
	    "COALESCE(acked_at, ?), acked_by = COALESCE(acked_by, ?) "
	    "WHERE warning_id = ? AND school_id = ?")) == NULL)
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
