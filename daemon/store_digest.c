/*
 * The queries of the digests and the stored digests themselves.  A
 * digest reads the hazards "as of" the end of its window: a hazard is
 * open then if it was reported before and neither closed nor cancelled
 * by then, so that a run made late (after downtime) counts the same as
 * one made on time.  The SQL of the lists is in store_sql.c.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"
#include "xmalloc.h"

/* A caller's callback and its argument, for store_each. */
struct rows {
	union {
		int	(*item)(const struct digest_item *, void *);
		int	(*meta)(const struct digest_meta *, void *);
	} cb;
	void	*arg;
};

/* A hazard of a digest's list. */
static int
item_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct digest_item	 it;

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
	/* A rejection's list says the office's note and when. */
	it.note = NULL;
	it.at = 0;
	if (sqlite3_column_count(st) > 15) {
		it.note = (const char *)sqlite3_column_text(st, 14);
		it.at = (time_t)sqlite3_column_int64(st, 15);
	}
	return r->cb.item(&it, r->arg) == -1;
}

int
store_digest_list(enum digest_list which, const struct digest_scope *sc,
    int (*cb)(const struct digest_item *, void *), void *arg)
{
	struct rows	 r = { .cb.item = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((unsigned)which >= LIST__MAX)
		return STORE_ERROR;
	if ((st = store_stmt(STMT_LIST_OVERDUE + which)) == NULL)
		return STORE_ERROR;
	store_bind_scope(st, sc);
	if (store_each(st, item_row, &r, "digest list") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

/* --- the stored digests -------------------------------------------- */

int
store_digest_coverage(const char *kind, const char *period, int *latest,
    time_t *covered, time_t *before)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_DIGEST_COVERAGE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
	/* An aggregate has its row. */
	if (store_row(st, "digest coverage") != STORE_OK)
		return STORE_ERROR;
	*latest = sqlite3_column_int(st, 0);
	*covered = (time_t)sqlite3_column_int64(st, 1);
	*before = (time_t)sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_digest_insert(const struct digest_meta *m, time_t since, time_t until,
    const char *language, const char *text, const char *json, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_DIGEST_INSERT)) == NULL)
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
	if ((rc = store_done(st, "digest insert")) == STORE_OK)
		*id = sqlite3_last_insert_rowid(db_handle());
	return rc;
}

/* Reads the columns of a digest's meta (store_sql.c, META_COLUMNS). */
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

static int
meta_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct digest_meta	 m;

	meta_from_row(st, &m);
	return r->cb.meta(&m, r->arg) == -1;
}

/* Walks the rows of a statement of the meta's columns. */
static int
meta_rows(sqlite3_stmt *st, int (*cb)(const struct digest_meta *, void *),
    void *arg)
{
	struct rows	r = { .cb.meta = cb, .arg = arg };

	if (store_each(st, meta_row, &r, "digest list") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_digest_get(int64_t id, struct digest_meta *m, char **text,
    char **json)
{
	sqlite3_stmt	*st;
	int		 rc;

	/* Without its text and JSON: megabytes, for a city. */
	if ((st = store_stmt(text == NULL ? STMT_DIGEST_GET_META :
	    STMT_DIGEST_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_row(st, "digest get")) != STORE_OK)
		return rc;
	meta_from_row(st, m);
	/* The strings of m live until the statement ends: copy. */
	m->kind = xstrdup(m->kind);
	m->period = xstrdup(m->period);
	m->trigger = xstrdup(m->trigger);
	if (text != NULL) {
		*text = xstrdup((const char *)sqlite3_column_text(st, 7));
		*json = xstrdup((const char *)sqlite3_column_text(st, 8));
	}
	sqlite3_reset(st);
	return STORE_OK;
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

	if ((st = store_stmt(STMT_DIGEST_FIND)) == NULL)
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

	if ((st = store_stmt(STMT_DIGEST_UNWRITTEN)) == NULL)
		return STORE_ERROR;
	return meta_rows(st, cb, arg);
}

int
store_digest_mark_written(int64_t id)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_DIGEST_MARK_WRITTEN)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return store_done(st, "digest written");
}

int
store_meta_get(const char *key, char **value)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_META_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if ((rc = store_row(st, "meta get")) != STORE_OK)
		return rc;
	*value = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return STORE_OK;
}
