/*
 * The queries of an import: a hazard inserted with its whole history
 * (state, closed_at, cancelled_at), by one statement of the store's
 * table, used for each of its rows on the import's thread.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"

/* The import's statement, between begin and end. */
static __thread sqlite3_stmt *insert;

int
store_import_begin(void)
{
	insert = store_stmt(STMT_IMPORT_HAZARD);
	return insert == NULL ? STORE_ERROR : STORE_OK;
}

void
store_import_end(void)
{
	if (insert != NULL)
		sqlite3_reset(insert);
	insert = NULL;
}

/* Binds text or NULL. */
static void
bind_text(int col, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(insert, col);
	else
		sqlite3_bind_text(insert, col, s, -1, SQLITE_STATIC);
}

/* Binds a time, 0 meaning NULL. */
static void
bind_time(int col, time_t t)
{
	if (t == 0)
		sqlite3_bind_null(insert, col);
	else
		sqlite3_bind_int64(insert, col, (sqlite3_int64)t);
}

int
store_import_hazard(const struct hazard *h, const char *key,
    int64_t token_id, int64_t *id)
{
	int	f, rc;

	sqlite3_reset(insert);
	bind_text(1, hazard_kind_name(h->kind));
	sqlite3_bind_int64(insert, 2, h->school_id);
	bind_text(3, hazard_grade_name(h->grade));
	/* category ... contingency: the text fields in column order. */
	for (f = 0; f < FIELD__MAX; f++)
		bind_text(4 + f, h->text[f]);
	bind_text(4 + FIELD__MAX, hazard_state_name(h->state));
	bind_text(5 + FIELD__MAX, key);
	if (token_id == 0)
		sqlite3_bind_null(insert, 6 + FIELD__MAX);
	else
		sqlite3_bind_int64(insert, 6 + FIELD__MAX, token_id);
	sqlite3_bind_int64(insert, 7 + FIELD__MAX, h->reported_at);
	sqlite3_bind_int64(insert, 8 + FIELD__MAX, h->updated_at);
	bind_time(9 + FIELD__MAX, h->closed_at);
	bind_time(10 + FIELD__MAX, h->cancelled_at);
	if ((rc = store_done(insert, "import hazard")) == STORE_OK)
		*id = sqlite3_last_insert_rowid(db_handle());
	return rc;
}
