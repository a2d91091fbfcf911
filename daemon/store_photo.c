/*
 * The queries of photos (schema/021-photos.sql).
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "photo.h"
#include "store_impl.h"

int
store_photo_insert(struct photo *p)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_PHOTO_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, p->hazard_id);
	sqlite3_bind_text(st, 2, photo_stage_name(p->stage), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, photo_type_name(p->type), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, p->size);
	sqlite3_bind_text(st, 5, p->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, p->at);
	if (p->token_id == 0)
		sqlite3_bind_null(st, 7);
	else
		sqlite3_bind_int64(st, 7, p->token_id);
	sqlite3_bind_int64(st, 8, p->event_id);
	if (p->key == NULL)
		sqlite3_bind_null(st, 9);
	else
		sqlite3_bind_text(st, 9, p->key, -1, SQLITE_STATIC);
	rc = store_done(st, "photo insert");
	if (rc == STORE_OK)
		p->id = sqlite3_last_insert_rowid(db_handle());
	return rc == STORE_EXISTS ? STORE_ERROR : rc;
}

/* Reads a photo's row (STMT_PHOTO_GET's columns) into p. */
static void
photo_from_row(sqlite3_stmt *st, struct photo *p)
{
	const unsigned char	*s;

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->hazard_id = sqlite3_column_int64(st, 1);
	p->school_id = sqlite3_column_int64(st, 2);
	p->stage = photo_stage_parse((const char *)sqlite3_column_text(st, 3));
	p->type = photo_type_parse((const char *)sqlite3_column_text(st, 4));
	p->size = sqlite3_column_int64(st, 5);
	if ((s = sqlite3_column_text(st, 6)) != NULL)
		snprintf(p->sha256, sizeof(p->sha256), "%s", s);
	p->at = sqlite3_column_int64(st, 7);
	p->token_id = sqlite3_column_int64(st, 8);
	p->event_id = sqlite3_column_int64(st, 9);
}

int
store_photo_get(int64_t id, struct photo *p)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_PHOTO_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_row(st, "photo get")) != STORE_OK)
		return rc;
	photo_from_row(st, p);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_photo_find_key(int64_t hazard_id, const char *key, struct photo *p)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_PHOTO_BY_KEY)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, hazard_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	if ((rc = store_row(st, "photo find key")) != STORE_OK)
		return rc;
	photo_from_row(st, p);
	sqlite3_reset(st);
	return STORE_OK;
}

/* What store_photo_list's rows go to. */
struct photo_rows {
	int	(*fn)(const struct photo *, void *);
	void	 *arg;
};

static int
photo_row(sqlite3_stmt *st, void *arg)
{
	struct photo_rows	*r = arg;
	struct photo		 p;

	photo_from_row(st, &p);
	return r->fn(&p, r->arg);
}

int
store_photo_list(int64_t hazard_id, int (*fn)(const struct photo *, void *),
    void *arg)
{
	struct photo_rows	 r = { fn, arg };
	sqlite3_stmt		*st;

	if ((st = store_stmt(STMT_PHOTO_LIST)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, hazard_id);
	return store_each(st, photo_row, &r, "photo list") < 0 ?
	    STORE_ERROR : STORE_OK;
}

int
store_photo_count(int64_t hazard_id, int stage, int64_t since)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_PHOTO_COUNT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, hazard_id);
	if (stage >= 0)
		sqlite3_bind_text(st, 2, photo_stage_name(stage), -1,
		    SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, since);
	if ((rc = store_row(st, "photo count")) != STORE_OK)
		return STORE_ERROR;
	rc = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc;
}

int
store_photo_known(const char *hex)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_PHOTO_KNOWN)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	switch ((rc = store_row(st, "photo known"))) {
	case STORE_OK:
		sqlite3_reset(st);
		return 1;
	case STORE_NOTFOUND:
		return 0;
	default:
		return STORE_ERROR;
	}
}
