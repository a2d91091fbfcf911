/*
 * The queries of the activity ledger, and of the early warnings that
 * count with its warnings.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"
#include "xmalloc.h"

int
store_activity_school(const char *code, int64_t id, struct school *s,
    char **codep, char **namep)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_ACTIVITY_SCHOOL)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, code);
	sqlite3_bind_int64(st, 2, id);
	if ((rc = store_row(st, "activity school")) != STORE_OK)
		return rc;
	memset(s, 0, sizeof(*s));
	s->id = sqlite3_column_int64(st, 0);
	*codep = xstrdup((const char *)sqlite3_column_text(st, 1));
	*namep = xstrdup((const char *)sqlite3_column_text(st, 2));
	s->retired_at = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_activity_insert(struct activity *a)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_ACTIVITY_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, a->school_id);
	store_bind_text(st, 2, a->type);
	store_bind_text(st, 3, a->subtype);
	store_bind_text(st, 4, a->date);
	sqlite3_bind_int64(st, 5, a->count);
	store_bind_text(st, 6, a->note);
	store_bind_id(st, 7, a->token_id);
	store_bind_text(st, 8, a->recorded_by);
	sqlite3_bind_int64(st, 9, a->recorded_at);
	store_bind_text(st, 10, a->key);
	if ((rc = store_done(st, "activity insert")) == STORE_OK)
		a->id = sqlite3_last_insert_rowid(db_handle());
	return rc == STORE_EXISTS ? STORE_ERROR : rc;
}

/* Binds f's filters to ?1-?5. */
static void
bind_filter(sqlite3_stmt *st, const struct activity_filter *f)
{
	sqlite3_bind_int64(st, 1, f->school_id);
	store_bind_text(st, 2, f->type);
	store_bind_text(st, 3, f->subtype);
	store_bind_text(st, 4, f->from);
	store_bind_text(st, 5, f->to);
}

/* The caller's callback and its argument. */
struct rows {
	union {
		int	(*activity)(const struct activity *, void *);
		int	(*sum)(const struct activity_sum *, void *);
		int	(*school)(const struct school *, void *);
	} cb;
	void	*arg;
};

static const char *
col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* A row of STMT_ACTIVITY_LIST. */
static int
activity_row(sqlite3_stmt *st, void *arg)
{
	struct rows	*r = arg;
	struct activity	 a;

	a.id = sqlite3_column_int64(st, 0);
	a.school_id = sqlite3_column_int64(st, 1);
	a.school = col_text(st, 2);
	a.school_name = col_text(st, 3);
	a.type = col_text(st, 4);
	a.subtype = col_text(st, 5);
	a.date = col_text(st, 6);
	a.count = (long)sqlite3_column_int64(st, 7);
	a.note = col_text(st, 8);
	a.token_id = sqlite3_column_int64(st, 9);
	a.recorded_by = col_text(st, 10);
	a.recorded_at = sqlite3_column_int64(st, 11);
	a.key = col_text(st, 12);
	return r->cb.activity(&a, r->arg) == -1;
}

int
store_activity_list(const struct activity_filter *f,
    int (*cb)(const struct activity *, void *), void *arg)
{
	struct rows	 r = { .cb.activity = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ACTIVITY_LIST)) == NULL)
		return STORE_ERROR;
	bind_filter(st, f);
	if (f->has_cursor) {
		sqlite3_bind_text(st, 6, f->cursor_date, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, f->cursor_id);
	}
	if (store_each(st, activity_row, &r, "activity list") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_activity_find_key(int64_t school_id, const char *key, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_ACTIVITY_FIND_KEY)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if ((rc = store_row(st, "activity key")) != STORE_OK)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_activity_export(const struct activity_filter *f, int64_t after,
    int limit, int (*cb)(const struct activity *, void *), void *arg)
{
	struct rows	 r = { .cb.activity = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ACTIVITY_EXPORT)) == NULL)
		return STORE_ERROR;
	bind_filter(st, f);
	sqlite3_bind_int64(st, 6, after);
	sqlite3_bind_int(st, 7, limit);
	if (store_each(st, activity_row, &r, "activity export") ==
	    STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

/* A row of STMT_ACTIVITY_SUMS. */
static int
sum_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct activity_sum	 s;

	s.school_id = sqlite3_column_int64(st, 0);
	s.school = col_text(st, 1);
	s.school_name = col_text(st, 2);
	s.type = col_text(st, 3);
	s.subtype = col_text(st, 4);
	s.count = (long)sqlite3_column_int64(st, 5);
	s.records = (long)sqlite3_column_int64(st, 6);
	return r->cb.sum(&s, r->arg) == -1;
}

int
store_activity_sums(const struct activity_filter *f,
    int (*cb)(const struct activity_sum *, void *), void *arg)
{
	struct rows	 r = { .cb.sum = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ACTIVITY_SUMS)) == NULL)
		return STORE_ERROR;
	bind_filter(st, f);
	if (store_each(st, sum_row, &r, "activity sums") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

/* A row of STMT_ACTIVITY_WARNINGS, as a sum of warnings. */
static int
warning_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct activity_sum	 s;

	s.school_id = sqlite3_column_int64(st, 0);
	s.school = col_text(st, 1);
	s.school_name = col_text(st, 2);
	s.type = "warning";
	s.subtype = NULL;
	s.count = s.records = (long)sqlite3_column_int64(st, 3);
	return r->cb.sum(&s, r->arg) == -1;
}

int
store_activity_warnings(const struct activity_filter *f, time_t since,
    time_t until, int (*cb)(const struct activity_sum *, void *), void *arg,
    long *district)
{
	struct rows	 r = { .cb.sum = cb, .arg = arg };
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_ACTIVITY_WARNINGS)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, f->school_id);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, until);
	if (cb != NULL &&
	    store_each(st, warning_row, &r, "activity warnings") == STORE_ERROR)
		return STORE_ERROR;
	sqlite3_reset(st);
	if ((st = store_stmt(STMT_ACTIVITY_WARNINGS_ALL)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, f->school_id);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, until);
	if ((rc = store_row(st, "activity warnings")) != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_ERROR : rc;
	*district = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

/* A school of STMT_ACTIVITY_NO_DRILL. */
static int
school_row(sqlite3_stmt *st, void *arg)
{
	struct rows	*r = arg;
	struct school	 s;

	s.id = sqlite3_column_int64(st, 0);
	s.code = col_text(st, 1);
	s.name = col_text(st, 2);
	s.department = col_text(st, 3);
	s.retired_at = 0;
	return r->cb.school(&s, r->arg) == -1;
}

int
store_activity_no_drill(const char *from, const char *to,
    int (*cb)(const struct school *, void *), void *arg)
{
	struct rows	 r = { .cb.school = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ACTIVITY_NO_DRILL)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	if (store_each(st, school_row, &r, "no drill") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}
