/*
 * Every query of hazardd about tokens, schools, hazards and their
 * events.  Fixed statements are rows of the store's table (store_sql.c,
 * prepared once on each thread); filtered lists are built from the
 * fixed fragments below with every value bound, never from input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "date.h"
#include "db.h"
#include "log.h"
#include "store_impl.h"
#include "xmalloc.h"

#define HAZARD_FIELDS \
	"h.id, h.kind, h.school_id, s.code, s.name, h.grade, " \
	"h.category, h.title, h.description, h.location, h.responsible, " \
	"h.department, h.deadline, h.plan, h.assessment, h.funds, " \
	"h.contingency, h.state, h.escalation, h.reported_at, " \
	"h.updated_at, h.closed_at, h.cancelled_at, h.rejected_event, " \
	"r.at, r.actor, r.note "
#define HAZARD_FROM "FROM hazards h JOIN schools s ON s.id = h.school_id " \
	"LEFT JOIN events r ON r.id = h.rejected_event"
/* The same, the hazards walked by their ids in the table itself. */
#define HAZARD_FROM_ROWID "FROM hazards h NOT INDEXED " \
	"JOIN schools s ON s.id = h.school_id " \
	"LEFT JOIN events r ON r.id = h.rejected_event"

/* A column's text, or NULL. */
static const char *
col_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* A column's text copied, or NULL. */
static char *
col_strdup(sqlite3_stmt *st, int col)
{
	const char	*s = col_text(st, col);

	return s == NULL ? NULL : xstrdup(s);
}

int
store_ping(void)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_PING)) == NULL)
		return STORE_ERROR;
	if ((rc = store_row(st, "ping")) == STORE_OK)
		sqlite3_reset(st);
	return rc == STORE_OK ? STORE_OK : STORE_ERROR;
}

/* --- tokens --------------------------------------------------------- */

int
store_token_find(const uint8_t hash[TOKEN_HASH_LEN], struct principal *p)
{
	sqlite3_stmt	*st;
	const void	*stored;
	int		 rc;

	if ((st = store_stmt(STMT_TOKEN_FIND)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(st, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	if ((rc = store_row(st, "token find")) != STORE_OK)
		return rc;
	stored = sqlite3_column_blob(st, 4);
	if (stored == NULL || sqlite3_column_bytes(st, 4) != TOKEN_HASH_LEN ||
	    !token_hash_equal(stored, hash)) {
		sqlite3_reset(st);
		return STORE_NOTFOUND;
	}
	p->token_id = sqlite3_column_int64(st, 0);
	p->role = strcmp(col_text(st, 1), "office") == 0 ? ROLE_OFFICE :
	    ROLE_SCHOOL;
	p->school_id = sqlite3_column_int64(st, 2);
	snprintf(p->name, sizeof(p->name), "%s", col_text(st, 3));
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_token_insert(const char *name, enum hazard_role role,
    int64_t school_id, const uint8_t hash[TOKEN_HASH_LEN], time_t now,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_TOKEN_INSERT)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, name);
	store_bind_text(st, 2, role == ROLE_OFFICE ? "office" : "school");
	if (role == ROLE_OFFICE)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int64(st, 3, school_id);
	sqlite3_bind_blob(st, 4, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = store_done(st, "token insert")) == STORE_OK)
		*id = sqlite3_last_insert_rowid(db_handle());
	return rc;
}

/* A caller's callback and its argument, for store_each. */
struct rows {
	union {
		int	(*token)(const struct token_row *, void *);
		int	(*school)(const struct school *, void *);
		int	(*event)(const struct hazard_event *, void *);
		int	(*stats)(const struct stats_row *, void *);
	} cb;
	void	*arg;
};

/* A row of a token statement. */
static int
token_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct token_row	 t;

	t.id = sqlite3_column_int64(st, 0);
	t.name = col_text(st, 1);
	t.role = col_text(st, 2);
	t.school = col_text(st, 3);
	t.created_at = sqlite3_column_int64(st, 4);
	t.revoked_at = sqlite3_column_int64(st, 5);
	return r->cb.token(&t, r->arg) == -1;
}

/* Walks the rows of a token statement: STORE_NOTFOUND if none. */
static int
token_rows(sqlite3_stmt *st, int (*cb)(const struct token_row *, void *),
    void *arg)
{
	struct rows	r = { .cb.token = cb, .arg = arg };
	int		n;

	if (st == NULL || (n = store_each(st, token_row, &r,
	    "token list")) == STORE_ERROR)
		return STORE_ERROR;
	return n == 0 ? STORE_NOTFOUND : STORE_OK;
}

int
store_token_get(int64_t id, int (*cb)(const struct token_row *, void *),
    void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_TOKEN_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	return token_rows(st, cb, arg);
}

int
store_token_list(int (*cb)(const struct token_row *, void *), void *arg)
{
	int	rc = token_rows(store_stmt(STMT_TOKEN_LIST), cb, arg);

	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int
store_token_revoke(int64_t id, time_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_TOKEN_REVOKE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	rc = store_done(st, "token revoke");
	if (rc == STORE_OK && sqlite3_changes(db_handle()) == 0)
		return STORE_NOTFOUND;
	return rc;
}

/* --- schools -------------------------------------------------------- */

int
store_school_find(const char *code, struct school *s, char **name)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_SCHOOL_FIND)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, code);
	if ((rc = store_row(st, "school find")) != STORE_OK)
		return rc;
	s->id = sqlite3_column_int64(st, 0);
	s->code = NULL;
	s->name = NULL;
	s->department = NULL;
	s->retired_at = sqlite3_column_int64(st, 4);
	if (name != NULL)
		*name = col_strdup(st, 2);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_school_insert(const char *code, const char *name, time_t now,
    int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_SCHOOL_INSERT)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, code);
	store_bind_text(st, 2, name);
	sqlite3_bind_int64(st, 3, now);
	if ((rc = store_done(st, "school insert")) == STORE_OK)
		*id = sqlite3_last_insert_rowid(db_handle());
	return rc;
}

/* A row of the schools. */
static int
school_row(sqlite3_stmt *st, void *arg)
{
	struct rows	*r = arg;
	struct school	 s;

	s.id = sqlite3_column_int64(st, 0);
	s.code = col_text(st, 1);
	s.name = col_text(st, 2);
	s.department = col_text(st, 3);
	s.retired_at = sqlite3_column_int64(st, 4);
	return r->cb.school(&s, r->arg) == -1;
}

int
store_school_list(int (*cb)(const struct school *, void *), void *arg)
{
	struct rows	 r = { .cb.school = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_SCHOOL_LIST)) == NULL ||
	    store_each(st, school_row, &r, "school list") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_school_update(const char *code, const char *name,
    const char *department, int retire, time_t now)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_SCHOOL_UPDATE)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, code);
	if (name != NULL)
		store_bind_text(st, 2, name);
	if (department != NULL)
		store_bind_text(st, 3, department);
	if (retire != -1)
		sqlite3_bind_int(st, 4, retire);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = store_done(st, "school update")) == STORE_OK &&
	    sqlite3_changes(db_handle()) == 0)
		rc = STORE_NOTFOUND;
	return rc;
}

int
store_school_retired(int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_SCHOOL_RETIRED)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_row(st, "school retired")) == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return STORE_ERROR;
	rc = sqlite3_column_int64(st, 0) != 0;
	sqlite3_reset(st);
	return rc;
}

int
store_school_get(int64_t id, char **code, char **name)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_SCHOOL_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_row(st, "school get")) != STORE_OK)
		return rc;
	*code = col_strdup(st, 0);
	*name = col_strdup(st, 1);
	sqlite3_reset(st);
	return STORE_OK;
}

/* --- hazards -------------------------------------------------------- */

/* Reads a row of HAZARD_COLUMNS into h (which it owns afterwards). */
static void
hazard_from_row(sqlite3_stmt *st, struct hazard *h)
{
	int	i;

	memset(h, 0, sizeof(*h));
	h->id = sqlite3_column_int64(st, 0);
	h->kind = hazard_kind_parse(col_text(st, 1));
	h->school_id = sqlite3_column_int64(st, 2);
	h->school = col_strdup(st, 3);
	h->school_name = col_strdup(st, 4);
	h->grade = hazard_grade_parse(col_text(st, 5));
	for (i = 0; i < FIELD__MAX; i++)
		h->text[i] = col_strdup(st, 6 + i);
	h->state = hazard_state_parse(col_text(st, 6 + FIELD__MAX));
	h->escalation = sqlite3_column_int(st, 7 + FIELD__MAX);
	h->reported_at = sqlite3_column_int64(st, 8 + FIELD__MAX);
	h->updated_at = sqlite3_column_int64(st, 9 + FIELD__MAX);
	h->closed_at = sqlite3_column_int64(st, 10 + FIELD__MAX);
	h->cancelled_at = sqlite3_column_int64(st, 11 + FIELD__MAX);
	h->rejected = sqlite3_column_int64(st, 12 + FIELD__MAX);
	h->rejected_at = sqlite3_column_int64(st, 13 + FIELD__MAX);
	h->rejected_by = col_strdup(st, 14 + FIELD__MAX);
	h->reject_note = col_strdup(st, 15 + FIELD__MAX);
}

int
store_hazard_get(int64_t id, struct hazard *h)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_HAZARD_GET)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = store_row(st, "hazard get")) != STORE_OK)
		return rc;
	hazard_from_row(st, h);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_hazard_find_key(int64_t school_id, const char *key, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_HAZARD_FIND_KEY)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	store_bind_text(st, 2, key);
	if ((rc = store_row(st, "hazard find key")) != STORE_OK)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_action_key_find(int64_t token_id, const char *key,
    struct action_key *k)
{
	sqlite3_stmt	*st;
	const char	*answer;
	int		 rc;

	if ((st = store_stmt(STMT_ACTION_KEY_FIND)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, token_id);
	store_bind_text(st, 2, key);
	if ((rc = store_row(st, "action key find")) != STORE_OK)
		return rc;
	k->hazard_id = sqlite3_column_int64(st, 0);
	snprintf(k->action, sizeof(k->action), "%s",
	    (const char *)sqlite3_column_text(st, 1));
	k->status = sqlite3_column_int(st, 2);
	answer = (const char *)sqlite3_column_text(st, 3);
	k->answer = xstrdup(answer != NULL ? answer : "{}");
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_action_key_insert(int64_t token_id, const char *key,
    const struct action_key *k, time_t at)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ACTION_KEY_INSERT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, token_id);
	store_bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, k->hazard_id);
	store_bind_text(st, 4, k->action);
	sqlite3_bind_int(st, 5, k->status);
	store_bind_text(st, 6, k->answer);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)at);
	return store_done(st, "action key insert");
}

int
store_action_key_prune(time_t before)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_ACTION_KEY_PRUNE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)before);
	return store_done(st, "action key prune");
}

int
store_hazard_insert(const struct hazard *h, const char *key,
    int64_t token_id, int64_t *id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_HAZARD_INSERT)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, hazard_kind_name(h->kind));
	sqlite3_bind_int64(st, 2, h->school_id);
	store_bind_text(st, 3, hazard_grade_name(h->grade));
	store_bind_text(st, 4, h->text[FIELD_CATEGORY]);
	store_bind_text(st, 5, h->text[FIELD_TITLE]);
	store_bind_text(st, 6, h->text[FIELD_DESCRIPTION]);
	store_bind_text(st, 7, h->text[FIELD_LOCATION]);
	store_bind_text(st, 8, h->text[FIELD_RESPONSIBLE]);
	store_bind_text(st, 9, h->text[FIELD_DEPARTMENT]);
	store_bind_text(st, 10, h->text[FIELD_DEADLINE]);
	store_bind_text(st, 11, h->text[FIELD_PLAN]);
	store_bind_text(st, 12, h->text[FIELD_ASSESSMENT]);
	store_bind_text(st, 13, h->text[FIELD_FUNDS]);
	store_bind_text(st, 14, h->text[FIELD_CONTINGENCY]);
	store_bind_text(st, 15, hazard_state_name(h->state));
	sqlite3_bind_int(st, 16, h->escalation);
	store_bind_text(st, 17, key);
	if (token_id == 0)
		sqlite3_bind_null(st, 18);
	else
		sqlite3_bind_int64(st, 18, token_id);
	sqlite3_bind_int64(st, 19, h->reported_at);
	sqlite3_bind_int64(st, 20, h->updated_at);
	if ((rc = store_done(st, "hazard insert")) == STORE_OK)
		*id = sqlite3_last_insert_rowid(db_handle());
	return rc;
}

int
store_hazard_update(const struct hazard *h)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_HAZARD_UPDATE)) == NULL)
		return STORE_ERROR;
	store_bind_text(st, 1, hazard_grade_name(h->grade));
	store_bind_text(st, 2, h->text[FIELD_CATEGORY]);
	store_bind_text(st, 3, h->text[FIELD_TITLE]);
	store_bind_text(st, 4, h->text[FIELD_DESCRIPTION]);
	store_bind_text(st, 5, h->text[FIELD_LOCATION]);
	store_bind_text(st, 6, h->text[FIELD_RESPONSIBLE]);
	store_bind_text(st, 7, h->text[FIELD_DEPARTMENT]);
	store_bind_text(st, 8, h->text[FIELD_DEADLINE]);
	store_bind_text(st, 9, h->text[FIELD_PLAN]);
	store_bind_text(st, 10, h->text[FIELD_ASSESSMENT]);
	store_bind_text(st, 11, h->text[FIELD_FUNDS]);
	store_bind_text(st, 12, h->text[FIELD_CONTINGENCY]);
	store_bind_text(st, 13, hazard_state_name(h->state));
	sqlite3_bind_int(st, 14, h->escalation);
	sqlite3_bind_int64(st, 15, h->updated_at);
	store_bind_id(st, 16, (int64_t)h->closed_at);
	store_bind_id(st, 17, (int64_t)h->cancelled_at);
	if (h->rejected == 0)
		sqlite3_bind_null(st, 18);
	else
		sqlite3_bind_int64(st, 18, h->rejected);
	sqlite3_bind_int64(st, 19, h->id);
	rc = store_done(st, "hazard update");
	return rc == STORE_EXISTS ? STORE_ERROR : rc;
}

/* A query built from fixed fragments, with its values to bind. */
struct query {
	char	sql[2048];
	size_t	len;
	int	nbinds;
	struct {
		int		 is_text;
		int64_t		 i;
		const char	*s;
	} binds[24];
};

/* Appends a fixed fragment. */
static void
q_add(struct query *q, const char *fragment)
{
	size_t	n = strlen(fragment);

	if (q->len + n >= sizeof(q->sql))
		fatalx("query too long");
	memcpy(q->sql + q->len, fragment, n + 1);
	q->len += n;
}

/* Appends a fragment with one placeholder for an integer. */
static void
q_int(struct query *q, const char *fragment, int64_t v)
{
	if (q->nbinds == (int)(sizeof(q->binds) / sizeof(q->binds[0])))
		fatalx("query has too many values");
	q_add(q, fragment);
	q->binds[q->nbinds].is_text = 0;
	q->binds[q->nbinds++].i = v;
}

/* Appends a fragment with one placeholder for text. */
static void
q_text(struct query *q, const char *fragment, const char *s)
{
	if (q->nbinds == (int)(sizeof(q->binds) / sizeof(q->binds[0])))
		fatalx("query has too many values");
	q_add(q, fragment);
	q->binds[q->nbinds].is_text = 1;
	q->binds[q->nbinds++].s = s;
}

/* Prepares q and binds its values.  Returns NULL on error (logged). */
static sqlite3_stmt *
q_prepare(struct query *q)
{
	sqlite3_stmt	*st;
	int		 i;

	if (sqlite3_prepare_v2(db_handle(), q->sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		db_log_error("query");
		return NULL;
	}
	for (i = 0; i < q->nbinds; i++) {
		if (q->binds[i].is_text)
			store_bind_text(st, i + 1, q->binds[i].s);
		else
			sqlite3_bind_int64(st, i + 1, q->binds[i].i);
	}
	return st;
}

/* Appends the conditions of f; the statement already has a WHERE. */
static void
q_filter(struct query *q, const struct hazard_filter *f)
{
	if (f->kind >= 0)
		q_text(q, " AND h.kind = ?", hazard_kind_name(f->kind));
	if (f->state >= 0)
		q_text(q, " AND h.state = ?", hazard_state_name(f->state));
	if (f->grade >= 0)
		q_text(q, " AND h.grade = ?", hazard_grade_name(f->grade));
	if (f->school_id != 0)
		q_int(q, " AND h.school_id = ?", f->school_id);
	if (f->category != NULL)
		q_text(q, " AND h.category = ?", f->category);
	if (f->overdue)
		q_text(q, " AND " STORE_OVERDUE_STATES("h.state") " AND "
		    STORE_OVERDUE_DEADLINE("h.deadline", "?"), f->today);
	if (f->has_since)
		q_int(q, " AND h.reported_at >= ?", f->since);
	if (f->has_until)
		q_int(q, " AND h.reported_at < ?", f->until);
}

/*
 * How a list page finds what its search asks for.  The index of the
 * words (schema/018-search.sql) gives the matches of three characters
 * or more in the order of their ids, newest first, each hazard's row
 * read by its id: so the office's search of the whole district.  A
 * school's hazards are few, a sort by deadline has its own order, and
 * shorter text cannot be found in an index of trigrams: those walk the
 * list's own index as a list without search does and test each hazard's
 * words with LIKE, the walk bounded by f->scan all the same.
 */
enum list_search {
	SEARCH_NONE,
	SEARCH_INDEX,		/* the index of the words drives the walk */
	SEARCH_LIKE		/* each hazard met is tested */
};

/* A search walks a fifth of list_scan (store_hazard_list). */
#define SEARCH_SCAN_SHARE	5

/* What a list page binds besides its filter. */
struct list_how {
	enum list_search mode;
	char		*match;		/* an FTS5 string, or a LIKE pattern */
	int		 nulls;		/* past every deadline: none */
	char		 due_by[DATE_LEN];	/* f's last day due */
};

/* Decides how to search and makes the text bound for it. */
static void
list_how_init(const struct hazard_filter *f, struct list_how *how)
{
	const unsigned char	*p;
	char			*o;
	size_t			 chars = 0;

	memset(how, 0, sizeof(*how));
	if (f->has_due && f->today != NULL)
		date_add_days(f->today, f->due_days, how->due_by);
	if (f->search == NULL)
		return;
	for (p = (const unsigned char *)f->search; *p != '\0'; p++)
		chars += (*p & 0xc0) != 0x80;
	how->mode = chars >= 3 && f->school_id == 0 &&
	    f->sort == SORT_REPORTED ? SEARCH_INDEX : SEARCH_LIKE;
	/*
	 * Never FTS5 syntax: one string in double quotes, each of its
	 * own doubled; or a LIKE pattern, its %, _ and backslash escaped.
	 */
	o = how->match = xmalloc(2 * strlen(f->search) + 3);
	*o++ = how->mode == SEARCH_INDEX ? '"' : '%';
	for (p = (const unsigned char *)f->search; *p != '\0'; p++) {
		if (how->mode == SEARCH_INDEX ? *p == '"' :
		    (*p == '%' || *p == '_' || *p == '\\'))
			*o++ = how->mode == SEARCH_INDEX ? '"' : '\\';
		*o++ = (char)*p;
	}
	*o++ = how->mode == SEARCH_INDEX ? '"' : '%';
	*o = '\0';
}

/* Appends the test of the words of a search by LIKE. */
static void
q_like(struct query *q, const char *pattern)
{
	static const char *const cols[] = { "title", "description",
	    "location", "notes" };
	char	 frag[64];
	size_t	 i;

	q_add(q, " AND EXISTS (SELECT 1 FROM hazards_search s"
	    " WHERE s.rowid = h.id AND (0");
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		snprintf(frag, sizeof(frag), " OR s.%s LIKE ? ESCAPE '\\'",
		    cols[i]);
		q_text(q, frag, pattern);
	}
	q_add(q, "))");
}

/*
 * Returns 1 if f selects only hazards open or rectified: their own index
 * of deadlines, a fraction of all, is walked.
 */
static int
list_open(const struct hazard_filter *f)
{
	return f->overdue || f->has_due || f->state == STATE_OPEN ||
	    f->state == STATE_RECTIFIED;
}

/* Appends where a walk in the order of deadlines goes. */
static void
q_deadlines(struct query *q, const struct hazard_filter *f,
    const struct list_how *how)
{
	if (how->nulls) {
		q_add(q, " AND h.deadline IS NULL");
		if (f->has_cursor && f->cursor_deadline[0] == '\0')
			q_int(q, " AND h.id > ?", f->cursor_id);
		q_add(q, " ORDER BY h.deadline, h.id");
		return;
	}
	q_add(q, " AND h.deadline IS NOT NULL");
	if (f->overdue)
		q_text(q, " AND " STORE_OVERDUE_DEADLINE("h.deadline", "?"),
		    f->today);
	if (f->has_due) {
		q_text(q, " AND h.deadline >= ?", f->today);
		q_text(q, " AND h.deadline <= ?", how->due_by);
	}
	if (f->has_cursor) {
		q_text(q, " AND (h.deadline, h.id) > (?", f->cursor_deadline);
		q_int(q, ", ?)", f->cursor_id);
	}
	q_add(q, " ORDER BY h.deadline, h.id");
}

/*
 * The query of a list page of f: the keys of the hazards in the order
 * of f->sort, each with whether f selects it.  The index walked and the
 * cursor bound the walk; the other filters are tested on each hazard
 * met, in the index where it can (schema/010-list-filters.sql and
 * 018-search.sql), so that the page knows how far it went.
 */
static void
q_list(struct query *q, const struct hazard_filter *f,
    const struct list_how *how)
{
	struct hazard_filter	test = *f, overdue;
	int			by_time;

	/*
	 * What bounds the walk is in its WHERE: the school always (each
	 * order has an index that leads with it), the dates only where the
	 * walk goes by them.  What does not is tested in the CASE, so that
	 * the hazards it passes over count against f->scan.
	 */
	by_time = f->sort == SORT_REPORTED && how->mode != SEARCH_INDEX;
	test.school_id = 0;
	test.overdue = 0;
	if (by_time)
		test.has_since = test.has_until = 0;
	/* The deadline is read from the hazard's row only if need be. */
	memset(&overdue, 0, sizeof(overdue));
	overdue.kind = overdue.state = overdue.grade = -1;
	overdue.overdue = f->overdue;
	overdue.today = f->today;
	/* A cursor's columns: those of the walk's index. */
	q_add(q, f->sort == SORT_DEADLINE ?
	    "SELECT 0, h.id, h.deadline, CASE WHEN 1" :
	    "SELECT h.reported_at, h.id, NULL, CASE WHEN 1");
	q_filter(q, &test);
	if (how->mode == SEARCH_LIKE)
		q_like(q, how->match);
	q_add(q, " THEN 1");
	q_filter(q, &overdue);
	if (f->has_due) {
		q_add(q, " AND " STORE_OVERDUE_STATES("h.state"));
		q_text(q, " AND h.deadline >= ?", f->today);
		q_text(q, " AND h.deadline <= ?", how->due_by);
	}
	q_add(q, " ELSE 0 END");
	if (how->mode == SEARCH_INDEX)
		q_text(q, " FROM hazards_search s JOIN hazards h"
		    " ON h.id = s.rowid WHERE hazards_search MATCH ?",
		    how->match);
	else if (f->sort == SORT_DEADLINE && f->school_id != 0)
		q_add(q, " FROM hazards h INDEXED BY hazards_school_deadline"
		    " WHERE 1");
	else if (f->sort == SORT_DEADLINE && list_open(f))
		q_add(q, " FROM hazards h INDEXED BY hazards_open_deadline"
		    " WHERE h.state IN ('open', 'rectified')");
	else if (f->sort == SORT_DEADLINE)
		q_add(q, " FROM hazards h INDEXED BY hazards_by_deadline"
		    " WHERE 1");
	else
		q_add(q, f->school_id != 0 ? " FROM hazards h WHERE 1" :
		    " FROM hazards h INDEXED BY hazards_by_time WHERE 1");
	if (f->school_id != 0)
		q_int(q, " AND h.school_id = ?", f->school_id);
	if (by_time && f->has_since)
		q_int(q, " AND h.reported_at >= ?", f->since);
	if (by_time && f->has_until)
		q_int(q, " AND h.reported_at < ?", f->until);
	if (f->sort == SORT_DEADLINE) {
		q_deadlines(q, f, how);
		return;
	}
	if (how->mode == SEARCH_INDEX) {
		/* The index of the words gives its rows by id. */
		if (f->has_cursor)
			q_int(q, " AND s.rowid < ?", f->cursor_id);
		q_add(q, " ORDER BY s.rowid DESC");
		return;
	}
	/*
	 * A row value: SQLite seeks to the cursor in the index, where the
	 * same test written with OR walked every newer hazard to it.
	 */
	if (f->has_cursor) {
		q_int(q, " AND (h.reported_at, h.id) < (?", f->cursor_at);
		q_int(q, ", ?)", f->cursor_id);
	}
	q_add(q, " ORDER BY h.reported_at DESC, h.id DESC");
}

int
store_hazard_list_sql(const struct hazard_filter *f, char *buf, size_t len)
{
	struct query	q = { .len = 0 };
	struct list_how	how;
	int		rc;

	list_how_init(f, &how);
	q_list(&q, f, &how);
	rc = (size_t)snprintf(buf, len, "%s", q.sql) < len ? 0 : -1;
	free(how.match);
	return rc;
}

/* Where a list page is, for list_row. */
struct list_walk {
	const struct hazard_filter *f;
	int		(*cb)(const struct hazard *, void *);
	void		*arg;
	struct list_stop *stop;
	int		 scan;		/* examined at most; 0: no bound */
	int		 seen;
	int		 done;
};

/* A key of a list page: the hazard read and given to the callback. */
static int
list_row(sqlite3_stmt *st, void *arg)
{
	struct list_walk	*w = arg;
	struct hazard		 h;
	const char		*deadline;

	w->stop->at = sqlite3_column_int64(st, 0);
	w->stop->id = sqlite3_column_int64(st, 1);
	deadline = col_text(st, 2);
	snprintf(w->stop->deadline, sizeof(w->stop->deadline), "%s",
	    deadline != NULL ? deadline : "");
	if (sqlite3_column_int(st, 3)) {
		/* The read logged why it failed. */
		if (store_hazard_get(w->stop->id, &h) != STORE_OK)
			return -1;
		w->done = w->cb(&h, w->arg) == -1;
		hazard_clear(&h);
	}
	if (!w->done && w->scan > 0 && ++w->seen == w->scan)
		w->done = w->stop->cut = 1;
	return w->done;
}

/* Walks one query of a list page.  Returns STORE_OK or STORE_ERROR. */
static int
list_walk(const struct hazard_filter *f, const struct list_how *how,
    struct list_walk *w)
{
	struct query	 q = { .len = 0 };
	sqlite3_stmt	*st;
	int		 rc;

	q_list(&q, f, how);
	if ((st = q_prepare(&q)) == NULL)
		return STORE_ERROR;
	rc = store_each(st, list_row, w, "hazard list");
	sqlite3_finalize(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int
store_hazard_list(const struct hazard_filter *f,
    int (*cb)(const struct hazard *, void *), void *arg,
    struct list_stop *stop)
{
	struct list_walk w = { f, cb, arg, stop, f->scan, 0, 0 };
	struct list_how	 how;
	int		 rc, nulls;

	memset(stop, 0, sizeof(*stop));
	list_how_init(f, &how);
	/*
	 * A search reads the row (or the words) of each hazard it meets,
	 * where a list without one tests its filters in an index: its walk
	 * is shorter (50 ms at most on the 1M set, docs/BENCHMARKS.md).
	 */
	if (how.mode != SEARCH_NONE && f->scan > 0)
		w.scan = f->scan / SEARCH_SCAN_SHARE > 0 ?
		    f->scan / SEARCH_SCAN_SHARE : 1;
	/*
	 * In the order of deadlines, those without one come last, in a
	 * walk of their own (unless the filter wants a deadline); a cursor
	 * among them starts there.
	 */
	nulls = f->sort == SORT_DEADLINE && !f->overdue && !f->has_due;
	if (nulls && f->has_cursor && f->cursor_deadline[0] == '\0')
		how.nulls = 1;
	rc = list_walk(f, &how, &w);
	if (rc == STORE_OK && !w.done && nulls && !how.nulls) {
		how.nulls = 1;
		rc = list_walk(f, &how, &w);
	}
	free(how.match);
	return rc;
}

/* The callback of an export and its argument, for export_row. */
struct export_walk {
	int		(*cb)(const struct hazard *,
			    const struct export_extra *, void *);
	void		*arg;
};

/*
 * The last rectify of the hazard h.id, joined as x: its instant and its
 * note; an open hazard never rejected has none (it would have been
 * rejected to be open again), and is not looked up.  One probe of a hazard's events for both (two scalar subqueries
 * made a page of the 1M set 25 % slower again); all the same, 100,000
 * rows take 2.6 s where they took 0.3 without (docs/BENCHMARKS.md).
 */
#define EXPORT_RECTIFY \
	" LEFT JOIN events x ON x.id = CASE WHEN h.state != 'open' OR " \
	"h.rejected_event IS NOT NULL THEN (SELECT MAX(e.id) FROM events e " \
	"INDEXED BY events_by_hazard WHERE e.hazard_id = h.id AND " \
	"e.action = 'rectify') END"

/* A hazard of an export, with its idempotency key and rectification. */
static int
export_row(sqlite3_stmt *st, void *arg)
{
	struct export_walk	*w = arg;
	struct export_extra	 x;
	struct hazard		 h;
	int			 stop;

	hazard_from_row(st, &h);
	x.key = col_text(st, 16 + FIELD__MAX);
	x.rectified_at = sqlite3_column_int64(st, 17 + FIELD__MAX);
	x.rectify_note = col_text(st, 18 + FIELD__MAX);
	stop = w->cb(&h, &x, w->arg) == -1;
	hazard_clear(&h);
	return stop;
}

/* The id of the row, or 0 for NULL, for export_next_id. */
static int
export_id_row(sqlite3_stmt *st, void *arg)
{
	*(int64_t *)arg = sqlite3_column_int64(st, 0);
	return 0;
}

/* The first id above after into id; 0 if none.  STORE_OK, STORE_ERROR. */
static int
export_next_id(int64_t after, int64_t *id)
{
	struct query	 q = { .len = 0 };
	sqlite3_stmt	*st;
	int		 rc;

	*id = 0;
	q_int(&q, "SELECT min(id) FROM hazards WHERE id > ?", after);
	if ((st = q_prepare(&q)) == NULL)
		return STORE_ERROR;
	rc = store_each(st, export_id_row, id, "hazard export");
	sqlite3_finalize(st);
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

/*
 * Whether the school has more than scan hazards into many: a walk of
 * its index that stops past scan.  STORE_OK or STORE_ERROR.
 */
static int
export_school_many(int64_t school_id, int scan, int *many)
{
	struct query	 q = { .len = 0 };
	sqlite3_stmt	*st;
	int64_t		 n = 0;
	int		 rc;

	q_int(&q, "SELECT count(*) FROM (SELECT 1 FROM hazards"
	    " INDEXED BY hazards_by_school WHERE school_id = ?", school_id);
	q_int(&q, " LIMIT ?)", (int64_t)scan + 1);
	if ((st = q_prepare(&q)) == NULL)
		return STORE_ERROR;
	rc = store_each(st, export_id_row, &n, "hazard export");
	sqlite3_finalize(st);
	*many = n > scan;
	return rc == STORE_ERROR ? STORE_ERROR : STORE_OK;
}

int
store_hazard_export(const struct hazard_filter *f, int64_t after, int limit,
    int scan, int64_t *upto,
    int (*cb)(const struct hazard *, const struct export_extra *, void *),
    void *arg)
{
	struct query		 q = { .len = 0 };
	struct export_walk	 w = { cb, arg };
	sqlite3_stmt		*st;
	int64_t			 end = 0, next;
	int			 rc, many = 1;

	/*
	 * The walk goes by id through the table, each hazard's row tested
	 * against f: one that matches nothing would walk them all for a
	 * page.  It ends after the ids of scan hazards, where the next
	 * page goes on (past a gap in the ids at once).  A school of scan
	 * hazards or fewer walks them all in its index, its ids sorted;
	 * one of more walks the table by id as the office's does, in the
	 * table itself (NOT INDEXED), where the planner would walk them all
	 * in the school's index.
	 */
	*upto = 0;
	if (scan > 0 && f->school_id != 0 &&
	    export_school_many(f->school_id, scan, &many) != STORE_OK)
		return STORE_ERROR;
	if (scan > 0 && many)
		end = after + scan;
	q_add(&q, "SELECT " HAZARD_FIELDS ", h.idem_key, x.at, x.note ");
	q_add(&q, f->school_id != 0 && end != 0 ? HAZARD_FROM_ROWID :
	    HAZARD_FROM);
	q_add(&q, EXPORT_RECTIFY " WHERE 1");
	q_filter(&q, f);
	q_int(&q, " AND h.id > ?", after);
	if (end != 0)
		q_int(&q, " AND h.id <= ?", end);
	q_int(&q, " ORDER BY h.id LIMIT ?", limit);
	if ((st = q_prepare(&q)) == NULL)
		return STORE_ERROR;
	rc = store_each(st, export_row, &w, "hazard export");
	sqlite3_finalize(st);
	if (rc == STORE_ERROR)
		return STORE_ERROR;
	if (end != 0) {
		if (export_next_id(end, &next) != STORE_OK)
			return STORE_ERROR;
		*upto = next != 0 ? next - 1 : 0;
	}
	return STORE_OK;
}

/* --- events --------------------------------------------------------- */

/*
 * The head of the chain: its last event's id and hash (0 and the zero
 * hash if there is none).  Read in the writer's transaction, it is the
 * head the next event follows.
 */
int
store_chain_head(int64_t *id, uint8_t hash[CHAIN_HASH_LEN])
{
	sqlite3_stmt	*st;
	const void	*h;
	int		 rc;

	*id = 0;
	memset(hash, 0, CHAIN_HASH_LEN);
	if ((st = store_stmt(STMT_EVENT_HEAD)) == NULL)
		return STORE_ERROR;
	if ((rc = store_row(st, "chain head")) == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	*id = sqlite3_column_int64(st, 0);
	h = sqlite3_column_blob(st, 1);
	if (h != NULL && sqlite3_column_bytes(st, 1) == CHAIN_HASH_LEN)
		memcpy(hash, h, CHAIN_HASH_LEN);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_event_insert(struct hazard_event *e)
{
	struct chain_field	 f[CHAIN_NFIELDS];
	sqlite3_stmt		*st;
	uint8_t			 hash[CHAIN_HASH_LEN];
	const char		*from, *action, *to;
	int64_t			 id;
	int			 rc;

	/* In the caller's write transaction: no other writer comes between. */
	if (store_chain_head(&id, hash) != STORE_OK)
		return STORE_ERROR;
	id++;
	/* An activity's event has no hazard and no state. */
	if (e->activity_id != 0) {
		action = "activity";
		from = to = NULL;
	} else {
		action = hazard_action_name(e->action);
		from = e->from_state < 0 ? NULL :
		    hazard_state_name(e->from_state);
		to = hazard_state_name(e->to_state);
	}
	chain_int(&f[0], id);
	if (e->activity_id != 0)
		chain_text(&f[1], NULL);
	else
		chain_int(&f[1], e->hazard_id);
	chain_int(&f[2], e->at);
	if (e->token_id == 0)
		chain_text(&f[3], NULL);	/* hazardd itself: NULL */
	else
		chain_int(&f[3], e->token_id);
	chain_text(&f[4], e->actor);
	chain_text(&f[5], e->role);
	chain_text(&f[6], action);
	chain_text(&f[7], from);
	chain_text(&f[8], to);
	chain_text(&f[9], e->note);
	chain_text(&f[10], e->changes);
	if (e->activity_id != 0)
		chain_int(&f[11], e->activity_id);
	else
		chain_text(&f[11], NULL);
	if (chain_hash(hash, f, hash) == -1) {
		log_warnx("event insert: SHA-256 failed");
		return STORE_ERROR;
	}
	if ((st = store_stmt(STMT_EVENT_INSERT)) == NULL)
		return STORE_ERROR;
	if (e->activity_id != 0) {
		sqlite3_bind_null(st, 1);
		sqlite3_bind_int64(st, 11, e->activity_id);
	} else
		sqlite3_bind_int64(st, 1, e->hazard_id);
	sqlite3_bind_int64(st, 2, e->at);
	store_bind_id(st, 3, e->token_id);
	store_bind_text(st, 4, e->actor);
	store_bind_text(st, 5, e->role);
	store_bind_text(st, 6, action);
	store_bind_text(st, 7, from);
	store_bind_text(st, 8, to);
	store_bind_text(st, 9, e->note);
	store_bind_text(st, 10, e->changes);
	sqlite3_bind_int64(st, 12, id);
	sqlite3_bind_blob(st, 13, hash, CHAIN_HASH_LEN, SQLITE_STATIC);
	rc = store_done(st, "event insert");
	if (rc == STORE_OK)
		e->id = id;
	return rc == STORE_EXISTS ? STORE_ERROR : rc;
}

/* A row of the audit trail. */
static int
event_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*r = arg;
	struct hazard_event	 e;
	const char		*from;

	e.id = sqlite3_column_int64(st, 0);
	e.hazard_id = sqlite3_column_int64(st, 1);
	e.at = sqlite3_column_int64(st, 2);
	e.token_id = sqlite3_column_int64(st, 3);
	e.actor = col_text(st, 4);
	e.role = col_text(st, 5);
	e.action = hazard_action_parse(col_text(st, 6));
	from = col_text(st, 7);
	e.from_state = from == NULL ? -1 : hazard_state_parse(from);
	e.to_state = hazard_state_parse(col_text(st, 8));
	e.note = col_text(st, 9);
	e.changes = col_text(st, 10);
	return r->cb.event(&e, r->arg) == -1;
}

int
store_hazard_state_at(int64_t id, time_t at, int *state)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = store_stmt(STMT_HAZARD_STATE_AT)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = store_row(st, "hazard state at")) == STORE_OK &&
	    (*state = hazard_state_parse((const char *)
	    sqlite3_column_text(st, 0))) < 0)
		rc = STORE_ERROR;
	sqlite3_reset(st);
	return rc;
}

int
store_event_list(int64_t hazard_id,
    int (*cb)(const struct hazard_event *, void *), void *arg)
{
	struct rows	 r = { .cb.event = cb, .arg = arg };
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_EVENT_LIST)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(st, 1, hazard_id);
	if (store_each(st, event_row, &r, "event list") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

/* --- rates and statistics ------------------------------------------- */

int
store_rate_scan(const struct hazard_filter *f, time_t at,
    int64_t *rectified, int64_t *identified)
{
	struct query	 q = { .len = 0 };
	sqlite3_stmt	*st;
	int		 rc;

	q_int(&q, "SELECT COALESCE(SUM(h.closed_at IS NOT NULL AND "
	    "h.closed_at <= ?1), 0), COUNT(*) FROM hazards h "
	    "WHERE h.reported_at <= ?1", at);
	q_add(&q, " AND (h.cancelled_at IS NULL OR h.cancelled_at > ?1)");
	q_filter(&q, f);
	if ((st = q_prepare(&q)) == NULL)
		return STORE_ERROR;
	if ((rc = store_row(st, "rate")) == STORE_OK) {
		*rectified = sqlite3_column_int64(st, 0);
		*identified = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	/* An aggregate has its row. */
	return rc == STORE_OK ? STORE_OK : STORE_ERROR;
}

int
store_stats_scan(const char *by, const struct hazard_filter *f,
    int (*cb)(const struct stats_row *, void *), void *arg)
{
	struct query	 q = { .len = 0 };
	sqlite3_stmt	*st;
	int		 rc, by_school = strcmp(by, "school") == 0;

	q_add(&q, "SELECT ");
	q_add(&q, by_school ? "s.code, s.name, " : "h.category, NULL, ");
	q_add(&q,
	    "COALESCE(SUM(h.kind = 'hazard' AND h.state != 'cancelled'), 0), "
	    "COALESCE(SUM(h.kind = 'hazard' AND h.state = 'closed'), 0), "
	    "COALESCE(SUM(h.kind = 'finding' AND h.state != 'cancelled'), 0), "
	    "COALESCE(SUM(h.kind = 'finding' AND h.state = 'closed'), 0), "
	    "COALESCE(SUM(h.state IN ('open', 'rectified')), 0), ");
	q_text(&q, "COALESCE(SUM(" STORE_OVERDUE_STATES("h.state") " AND "
	    STORE_OVERDUE_DEADLINE("h.deadline", "?") "), 0) ", f->today);
	if (by_school) {
		/* Every school appears, those without hazards too. */
		q_add(&q, "FROM schools s LEFT JOIN hazards h ON "
		    "h.school_id = s.id");
		q_filter(&q, f);
		if (f->school_id != 0)
			q_int(&q, " WHERE s.id = ?", f->school_id);
		q_add(&q, " GROUP BY s.id ORDER BY s.code");
	} else {
		q_add(&q, "FROM hazards h WHERE 1");
		q_filter(&q, f);
		q_add(&q, " GROUP BY h.category ORDER BY h.category");
	}
	if ((st = q_prepare(&q)) == NULL)
		return STORE_ERROR;
	rc = store_stats_rows(st, cb, arg);
	sqlite3_finalize(st);
	return rc;
}

/* A row of the statistics' columns. */
static int
stats_row(sqlite3_stmt *st, void *arg)
{
	struct rows		*rr = arg;
	struct stats_row	 r;

	r.key = col_text(st, 0);
	r.name = col_text(st, 1);
	r.identified[KIND_HAZARD] = sqlite3_column_int64(st, 2);
	r.rectified[KIND_HAZARD] = sqlite3_column_int64(st, 3);
	r.identified[KIND_FINDING] = sqlite3_column_int64(st, 4);
	r.rectified[KIND_FINDING] = sqlite3_column_int64(st, 5);
	r.open = sqlite3_column_int64(st, 6);
	r.overdue = sqlite3_column_int64(st, 7);
	return rr->cb.stats(&r, rr->arg) == -1;
}

int
store_stats_rows(sqlite3_stmt *st,
    int (*cb)(const struct stats_row *, void *), void *arg)
{
	struct rows	r = { .cb.stats = cb, .arg = arg };

	if (store_each(st, stats_row, &r, "stats") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

/* Counts a row of the tally of states. */
static int
count_state(sqlite3_stmt *st, void *arg)
{
	int64_t	(*counts)[STATE__MAX] = arg;
	int	 k, s;

	k = hazard_kind_parse(col_text(st, 0));
	s = hazard_state_parse(col_text(st, 1));
	if (k >= 0 && s >= 0)
		counts[k][s] = sqlite3_column_int64(st, 2);
	return 0;
}

int
store_count_states(int64_t counts[KIND__MAX][STATE__MAX])
{
	sqlite3_stmt	*st;

	memset(counts, 0, sizeof(int64_t) * KIND__MAX * STATE__MAX);
	if ((st = store_stmt(STMT_COUNT_STATES)) == NULL ||
	    store_each(st, count_state, counts, "count states") == STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}
