/*
 * The figures on a large database: the rate of any scope, and the rows
 * of a digest school by school and category by category.
 *
 * Nothing here reads every hazard.  A digest is made of a few range
 * reads, each on an index that holds just its rows (the window of new
 * reports, what was closed or cancelled after an instant, what is still
 * open, a year of reports from the covering index hazards_figures), and
 * the rows are added up here rather than by GROUP BY over the whole
 * table.  The rate of the district comes from the tally table kept by
 * triggers (schema/006-figures.sql), with its partial days and anything
 * that changed after the instant asked for read from the indexes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "log.h"
#include "rate.h"
#include "store_impl.h"
#include "xmalloc.h"

#define DAY	86400

/* --- the rows of a digest -------------------------------------------- */

/* A deadline and the instant its day ends, remembered. */
struct day_end {
	char	date[11];
	time_t	end;
};
#define DAY_ENDS	256

struct figures {
	const struct digest_scope *sc;
	struct digest_row *schools;	/* in the order of their codes */
	size_t		 nschools;
	int		*by_id;		/* school id -> index, or -1 */
	int64_t		 ids;		/* size of by_id */
	struct digest_row *categories;
	size_t		 ncategories;
	size_t		 last;		/* the category found last */
	struct day_end	 ends[DAY_ENDS];
	/* The part being read: what a row of it counts. */
	void		(*count)(struct figures *, sqlite3_stmt *,
			    struct digest_row *);
};

static void
figures_free(struct figures *fs)
{
	size_t	i;

	for (i = 0; i < fs->nschools; i++) {
		free((char *)fs->schools[i].key);
		free((char *)fs->schools[i].name);
	}
	for (i = 0; i < fs->ncategories; i++)
		free((char *)fs->categories[i].key);
	free(fs->schools);
	free(fs->categories);
	free(fs->by_id);
}

/* Runs statement id for the scope, calling fn for each row. */
static int
figures_each(struct figures *fs, enum stmt id, const char *what,
    int (*fn)(sqlite3_stmt *, void *))
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(id)) == NULL)
		return -1;
	store_bind_scope(st, fs->sc);
	return store_each(st, fn, fs, what) == STORE_ERROR ? -1 : 0;
}

/* Appends a row of no figures, named key (and name), to rows. */
static void
row_append(struct digest_row **rows, size_t *n, const unsigned char *key,
    const unsigned char *name)
{
	struct digest_row	*r;

	*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
	r = &(*rows)[(*n)++];
	memset(r, 0, sizeof(*r));
	r->key = xstrdup((const char *)key);
	r->name = name != NULL ? xstrdup((const char *)name) : NULL;
}

/* A school's row, found by its id (ids are small integers) from then. */
static int
add_school(sqlite3_stmt *st, void *arg)
{
	struct figures	*fs = arg;
	int64_t		 id = sqlite3_column_int64(st, 0), i;

	if (id < 0)
		return 0;
	if (id >= fs->ids) {
		fs->by_id = xreallocarray(fs->by_id, id + 1,
		    sizeof(*fs->by_id));
		for (i = fs->ids; i <= id; i++)
			fs->by_id[i] = -1;
		fs->ids = id + 1;
	}
	fs->by_id[id] = (int)fs->nschools;
	row_append(&fs->schools, &fs->nschools, sqlite3_column_text(st, 1),
	    sqlite3_column_text(st, 2));
	return 0;
}

static int
add_category(sqlite3_stmt *st, void *arg)
{
	struct figures	*fs = arg;

	row_append(&fs->categories, &fs->ncategories,
	    sqlite3_column_text(st, 0), NULL);
	return 0;
}

/* Adds the figures of d to r. */
static void
row_add(struct digest_row *r, const struct digest_row *d)
{
	int	k;

	r->new += d->new;
	r->rectified += d->rectified;
	r->closed += d->closed;
	r->open += d->open;
	r->overdue += d->overdue;
	r->due_soon += d->due_soon;
	for (k = 0; k < KIND__MAX; k++) {
		r->identified[k] += d->identified[k];
		r->closed_total[k] += d->closed_total[k];
		r->on_time[k] += d->on_time[k];
	}
}

/* The row of a category, or NULL. */
static struct digest_row *
category_row(struct figures *fs, const char *c)
{
	size_t	i;

	if (c == NULL)
		return NULL;
	if (fs->last < fs->ncategories &&
	    strcmp(fs->categories[fs->last].key, c) == 0)
		return &fs->categories[fs->last];
	for (i = 0; i < fs->ncategories; i++)
		if (strcmp(fs->categories[i].key, c) == 0)
			return &fs->categories[fs->last = i];
	return NULL;
}

/*
 * Counts one result row of a part (column 0 the school's id, 1 the
 * category) in its school's row and its category's.
 */
static int
count_row(sqlite3_stmt *st, void *arg)
{
	struct figures		*fs = arg;
	struct digest_row	 d, *r;
	int64_t			 id = sqlite3_column_int64(st, 0);

	/* A retired school's hazards are in no row of a digest. */
	if (id < 0 || id >= fs->ids || fs->by_id[id] < 0)
		return 0;
	memset(&d, 0, sizeof(d));
	fs->count(fs, st, &d);
	row_add(&fs->schools[fs->by_id[id]], &d);
	if ((r = category_row(fs,
	    (const char *)sqlite3_column_text(st, 1))) != NULL)
		row_add(r, &d);
	return 0;
}

static void
count_new(struct figures *fs, sqlite3_stmt *st, struct digest_row *d)
{
	(void)fs, (void)st;
	d->new = 1;
}

static void
count_closed(struct figures *fs, sqlite3_stmt *st, struct digest_row *d)
{
	(void)fs, (void)st;
	d->closed = 1;
}

static void
count_rectified(struct figures *fs, sqlite3_stmt *st, struct digest_row *d)
{
	(void)fs, (void)st;
	d->rectified = 1;
}

/*
 * Open at until; overdue or due soon by the deadline in column 2, unless
 * it was waiting for the office's verification then (column 3).
 */
static void
count_open(struct figures *fs, sqlite3_stmt *st, struct digest_row *d)
{
	const char	*deadline = (const char *)sqlite3_column_text(st, 2);

	d->open = 1;
	if (deadline == NULL || sqlite3_column_int(st, 3))
		return;
	if (hazard_deadline_passed(deadline, fs->sc->today))
		d->overdue = 1;
	else if (strcmp(deadline, fs->sc->due) <= 0)
		d->due_soon = 1;
}

/*
 * Whether a hazard closed at t was closed on or before its deadline,
 * a local date: t before the end of that day.  The ends of the days are
 * remembered, as a year of hazards has few deadlines.
 */
static int
closed_on_time(struct figures *fs, time_t t, const char *deadline)
{
	struct day_end	*e;
	unsigned	 h = 0;
	const char	*p;
	char		 closed[16];

	for (p = deadline; *p != '\0'; p++)
		h = h * 31 + (unsigned char)*p;
	e = &fs->ends[h % DAY_ENDS];
	if (strcmp(e->date, deadline) != 0) {
		if (strlen(deadline) >= sizeof(e->date) ||
		    date_local_start(deadline, 1, &e->end) == -1) {
			/* Not a date: compare as SQLite would, as text. */
			date_local(closed, sizeof(closed), t);
			return strcmp(closed, deadline) <= 0;
		}
		snprintf(e->date, sizeof(e->date), "%s", deadline);
	}
	return t < e->end;
}

/* Column 2 kind, 3 closed_at, 4 cancelled_at, 5 deadline. */
static void
count_year(struct figures *fs, sqlite3_stmt *st, struct digest_row *d)
{
	const char	*kind = (const char *)sqlite3_column_text(st, 2);
	const char	*deadline = (const char *)sqlite3_column_text(st, 5);
	time_t		 closed_at = sqlite3_column_int64(st, 3);
	int		 k;

	if (kind == NULL || (k = hazard_kind_parse(kind)) < 0)
		return;
	d->identified[k] = sqlite3_column_type(st, 4) == SQLITE_NULL ||
	    sqlite3_column_int64(st, 4) >= fs->sc->until;
	if (sqlite3_column_type(st, 3) == SQLITE_NULL ||
	    closed_at >= fs->sc->until)
		return;
	d->closed_total[k] = 1;
	d->on_time[k] = deadline == NULL ||
	    closed_on_time(fs, closed_at, deadline);
}

static const struct part {
	const char	*what;
	enum stmt	 stmt;
	void		(*count)(struct figures *, sqlite3_stmt *,
			    struct digest_row *);
} parts[] = {
	{ "figures: new", STMT_FIGURES_NEW, count_new },
	{ "figures: closed", STMT_FIGURES_CLOSED, count_closed },
	{ "figures: open", STMT_FIGURES_OPEN, count_open },
	{ "figures: year", STMT_FIGURES_YEAR, count_year },
	{ "figures: rectified", STMT_FIGURES_RECTIFIED, count_rectified },
};

/* Reads every figure of the scope.  0, or -1 logged. */
static int
figures_read(struct figures *fs, const struct digest_scope *sc)
{
	size_t	i;

	memset(fs, 0, sizeof(*fs));
	fs->sc = sc;
	if (figures_each(fs, STMT_FIGURES_SCHOOLS, "figures: schools",
	    add_school) == -1 ||
	    figures_each(fs, STMT_FIGURES_CATEGORIES, "figures: categories",
	    add_category) == -1)
		return -1;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		fs->count = parts[i].count;
		if (figures_each(fs, parts[i].stmt, parts[i].what,
		    count_row) == -1)
			return -1;
	}
	return 0;
}

static int
figures_emit(const struct digest_scope *sc, int categories,
    int (*cb)(const struct digest_row *, void *), void *arg)
{
	struct figures		 fs;
	struct digest_row	*rows;
	size_t			 i, n;

	if (figures_read(&fs, sc) == -1) {
		figures_free(&fs);
		return STORE_ERROR;
	}
	rows = categories ? fs.categories : fs.schools;
	n = categories ? fs.ncategories : fs.nschools;
	for (i = 0; i < n; i++)
		if (cb(&rows[i], arg) == -1)
			break;
	figures_free(&fs);
	return STORE_OK;
}

int
store_digest_schools(const struct digest_scope *sc,
    int (*cb)(const struct digest_row *, void *), void *arg)
{
	return figures_emit(sc, 0, cb, arg);
}

int
store_digest_categories(const struct digest_scope *sc,
    int (*cb)(const struct digest_row *, void *), void *arg)
{
	return figures_emit(sc, 1, cb, arg);
}

/* --- the rate ---------------------------------------------------------- */

/*
 * The rate of a scope at an instant counts the hazards reported in
 * [lo, hi) (hi no later than at + 1): identified if not cancelled by at,
 * rectified if closed by at.
 */
struct rate_scope {
	const char	*kind;
	const char	*category;	/* NULL: any */
	int64_t		 school_id;	/* 0: any */
	time_t		 at;
};

/*
 * Runs one query of the rate on [lo, hi) (parameters ?1 at, ?2 lo, ?3 hi,
 * ?4 kind, ?5 category, ?6 school, as it has them) and adds sign times
 * its first column to *a, and its second, if any, to *b.
 */
static int
rate_query(enum stmt id, const struct rate_scope *rs, time_t lo,
    time_t hi, int sign, int64_t *a, int64_t *b)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(id)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, rs->at);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	sqlite3_bind_text(st, 4, rs->kind, -1, SQLITE_STATIC);
	if (rs->category != NULL)
		sqlite3_bind_text(st, 5, rs->category, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 6)
		sqlite3_bind_int64(st, 6, rs->school_id);
	/* An aggregate has its row. */
	if (store_row(st, "rate") != STORE_OK)
		return -1;
	*a += sign * sqlite3_column_int64(st, 0);
	if (b != NULL)
		*b += sign * sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

/* Counts [lo, hi) from the hazards themselves. */
static int
rate_direct(const struct rate_scope *rs, time_t lo, time_t hi,
    int64_t *rectified, int64_t *identified)
{
	return rate_query(rs->school_id != 0 ? STMT_RATE_SCHOOL :
	    STMT_RATE_DISTRICT, rs, lo, hi, 1, rectified, identified);
}

/*
 * Whole days [lo, hi) of the district from the tally, which holds the
 * present: then what was cancelled or closed after at is put back as
 * it was at at.  Of a whole kind, what was done after at's day comes
 * from the tally of transitions and only the rest of that day from the
 * hazards; of a category, from the hazards done after at.
 */
static int
rate_tally(const struct rate_scope *rs, time_t lo, time_t hi,
    int64_t *rectified, int64_t *identified)
{
	int64_t	closed = 0, cancelled = 0;
	int	since;

	if (rs->category == NULL) {
		/* The days since at, if fewer than the range's. */
		since = time(NULL) - rs->at < hi - lo;
		if (rate_query(STMT_RATE_TALLY, rs, lo, hi, 1, rectified,
		    identified) == -1 ||
		    rate_query(since ? STMT_RATE_DONE_SINCE :
		    STMT_RATE_DONE_AFTER, rs, lo, hi, 1, &closed,
		    &cancelled) == -1 ||
		    rate_query(STMT_RATE_CLOSED_LATER_THAT_DAY, rs, lo, hi, 1,
		    &closed, NULL) == -1 ||
		    rate_query(STMT_RATE_CANCELLED_LATER_THAT_DAY, rs, lo, hi,
		    1, &cancelled, NULL) == -1)
			return -1;
		*rectified -= closed;
		*identified += cancelled;
		return 0;
	}
	if (rate_query(STMT_RATE_TALLY_CATEGORY, rs, lo, hi, 1, rectified,
	    identified) == -1 ||
	    rate_query(STMT_RATE_CANCELLED_AFTER, rs, lo, hi, 1, identified,
	    NULL) == -1 ||
	    rate_query(STMT_RATE_CLOSED_AFTER, rs, lo, hi, -1, rectified,
	    NULL) == -1)
		return -1;
	return 0;
}

/*
 * The first report at or after lo, in *t.  Returns 1, 0 if there is
 * none (*t is lo), or -1 on error (*t is lo).
 */
static int
first_report(time_t lo, time_t *t)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	*t = lo;
	if ((st = store_stmt(STMT_FIRST_REPORT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = sqlite3_column_type(st, 0) != SQLITE_NULL;
		if (rc == 1)
			*t = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc;
}

/*
 * The start of the UTC day of *hi, the end of a range, in *dhi: the
 * tally holds the whole days before it.  If nothing is reported in the
 * rest of that day, its tally row holds what [*dhi, *hi) does, and both
 * become the next day's start: the rate now reads today's row, not
 * today's reports one by one (after a burst, tens of thousands).
 */
static void
whole_days(time_t *hi, time_t *dhi)
{
	time_t	first;
	int	found;

	*dhi = *hi / DAY * DAY;
	if (*hi > *dhi && (found = first_report(*hi, &first)) != -1 &&
	    (found == 0 || first >= *dhi + DAY))
		*hi = *dhi += DAY;
}

int
store_first_event(time_t *t)
{
	switch (first_report(INT64_MIN, t)) {
	case 1:
		return STORE_OK;
	case 0:
		return STORE_NOTFOUND;
	default:
		return STORE_ERROR;
	}
}

int
store_rate(const struct hazard_filter *f, time_t at, int64_t *rectified,
    int64_t *identified)
{
	struct rate_scope	 rs;
	time_t			 lo, hi, dlo, dhi, first;
	int			 direct;

	*rectified = *identified = 0;
	if (f->kind < 0 || f->state >= 0 || f->grade >= 0 || f->overdue)
		return store_rate_scan(f, at, rectified, identified);
	rs.kind = hazard_kind_name(f->kind);
	rs.category = f->category;
	rs.school_id = f->school_id;
	rs.at = at;
	lo = f->has_since && f->since > 0 ? f->since : 0;
	hi = at + 1;
	if (f->has_until && f->until < hi)
		hi = f->until;
	if (lo >= hi)
		return STORE_OK;
	/*
	 * A school has few hazards: read them.  So has a short range.  The
	 * tally holds the present, and going back from it to at reads what
	 * changed since: of a category, when at is further from now than
	 * from lo, reading [lo, at] itself is shorter.
	 */
	dlo = (lo + DAY - 1) / DAY * DAY;
	whole_days(&hi, &dhi);
	direct = rs.school_id != 0 || dlo >= dhi;
	/* A whole kind goes back to at through the tally of transitions. */
	if (!direct && rs.category != NULL) {
		(void)first_report(lo, &first);
		direct = time(NULL) - at > at - first;
	}
	if (direct)
		return rate_direct(&rs, lo, hi, rectified, identified) == 0 ?
		    STORE_OK : STORE_ERROR;
	if (rate_direct(&rs, lo, dlo, rectified, identified) == -1 ||
	    rate_tally(&rs, dlo, dhi, rectified, identified) == -1 ||
	    rate_direct(&rs, dhi, hi, rectified, identified) == -1)
		return STORE_ERROR;
	return STORE_OK;
}

/* --- the trend -------------------------------------------------------- */

/*
 * Runs a count of the two kinds (its columns: the hazards, all) with ?1
 * a and ?2 b, and adds sign times each to v.
 */
static int
trend_count(enum stmt id, time_t a, time_t b, int sign,
    int64_t v[KIND__MAX])
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(id)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	/* An aggregate has its row. */
	if (store_row(st, "trend") != STORE_OK)
		return -1;
	v[KIND_HAZARD] += sign * sqlite3_column_int64(st, 0);
	v[KIND_FINDING] += sign * (sqlite3_column_int64(st, 1) -
	    sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return 0;
}

/* A school's hazards, each counted at each instant it was reported by. */
static int
trend_school(int64_t school_id, struct trend_row *rows, size_t n)
{
	sqlite3_stmt	*st;
	const char	*kind;
	time_t		 rep, closed, cancelled;
	size_t		 i;
	int		 k, rc;

	if ((st = store_stmt(STMT_TREND_SCHOOL)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, school_id);
	sqlite3_bind_int64(st, 2, rows[n - 1].at);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(st, 0);
		if (kind == NULL || (k = hazard_kind_parse(kind)) < 0)
			continue;
		rep = sqlite3_column_int64(st, 1);
		closed = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 :
		    sqlite3_column_int64(st, 2);
		cancelled = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 :
		    sqlite3_column_int64(st, 3);
		for (i = 0; i < n; i++) {
			if (rep > rows[i].at ||
			    (cancelled != 0 && cancelled <= rows[i].at))
				continue;
			rows[i].identified[k]++;
			if (closed != 0 && closed <= rows[i].at)
				rows[i].rectified[k]++;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_warnx("trend: %s", sqlite3_errmsg(db_handle()));
		return -1;
	}
	return 0;
}

/* The instants of the district's trend, each as the rate splits it. */
struct trend_at {
	struct trend_row *row;
	time_t		 hi;		/* at + 1, or the end of its day */
	int64_t		 days;		/* the tally's: the days before */
};

/* The instants, and the kind being read. */
struct trend {
	struct trend_at	*v;
	size_t		 n;
	int		 k;
};

/* A row of tally_kind (kind, day, identified, closed) at each instant. */
static int
trend_tally(sqlite3_stmt *st, void *arg)
{
	struct trend		*t = arg;
	const char		*kind = (const char *)sqlite3_column_text(st, 0);
	int64_t			 day = sqlite3_column_int64(st, 1);
	int64_t			 identified = sqlite3_column_int64(st, 2);
	int64_t			 closed = sqlite3_column_int64(st, 3);
	size_t			 i;
	int			 k;

	if (kind == NULL || (k = hazard_kind_parse(kind)) < 0)
		return 0;
	for (i = 0; i < t->n; i++)
		if (day < t->v[i].days) {
			t->v[i].row->identified[k] += identified;
			t->v[i].row->rectified[k] += closed;
		}
	return 0;
}

/*
 * A row of tally_done of kind t->k (day, done_day, closed, cancelled)
 * put back at each instant whose day it was done after.
 */
static int
trend_done(sqlite3_stmt *st, void *arg)
{
	struct trend		*t = arg;
	int64_t			 day = sqlite3_column_int64(st, 0);
	int64_t			 done_day = sqlite3_column_int64(st, 1);
	int64_t			 closed = sqlite3_column_int64(st, 2);
	int64_t			 cancelled = sqlite3_column_int64(st, 3);
	size_t			 i;

	for (i = 0; i < t->n; i++)
		if (day < t->v[i].days && done_day > t->v[i].row->at / DAY) {
			t->v[i].row->rectified[t->k] -= closed;
			t->v[i].row->identified[t->k] += cancelled;
		}
	return 0;
}

/*
 * The district at each instant, as store_rate() reads a whole kind at
 * one: the days before the instant's from the tally, what tally_done
 * says was closed or cancelled after its day put back, and what was so
 * later in that day, and its own day by then, from the hazards.  The
 * two tallies are read once for all the instants.
 */
static int
trend_district(struct trend_row *rows, size_t n)
{
	struct trend		 t;
	struct rate_scope	 rs;
	sqlite3_stmt		*st;
	time_t			 dhi;
	size_t			 i;
	int			 k, rc = -1;

	t.v = xcalloc(n, sizeof(*t.v));
	t.n = n;
	for (i = 0; i < n; i++) {
		t.v[i].row = &rows[i];
		t.v[i].hi = rows[i].at + 1;
		whole_days(&t.v[i].hi, &dhi);
		t.v[i].days = dhi / DAY;
	}
	if ((st = store_stmt(STMT_TREND_TALLY)) == NULL ||
	    store_each(st, trend_tally, &t, "trend: tally") == STORE_ERROR)
		goto out;
	for (t.k = 0; t.k < KIND__MAX; t.k++) {
		if ((st = store_stmt(STMT_TREND_DONE)) == NULL)
			goto out;
		sqlite3_bind_int64(st, 1, rows[0].at);
		sqlite3_bind_text(st, 4, hazard_kind_name(t.k), -1,
		    SQLITE_STATIC);
		if (store_each(st, trend_done, &t, "trend: done") ==
		    STORE_ERROR)
			goto out;
	}
	memset(&rs, 0, sizeof(rs));
	for (i = 0; i < n; i++) {
		rs.at = rows[i].at;
		dhi = t.v[i].days * DAY;
		for (k = 0; k < KIND__MAX; k++) {
			rs.kind = hazard_kind_name(k);
			if (rate_query(STMT_RATE_CLOSED_LATER_THAT_DAY, &rs, 0,
			    dhi, -1, &rows[i].rectified[k], NULL) == -1 ||
			    rate_query(STMT_RATE_CANCELLED_LATER_THAT_DAY, &rs,
			    0, dhi, 1, &rows[i].identified[k], NULL) == -1 ||
			    rate_direct(&rs, dhi, t.v[i].hi,
			    &rows[i].rectified[k], &rows[i].identified[k]) ==
			    -1)
				goto out;
		}
	}
	rc = 0;
out:
	free(t.v);
	return rc;
}

int
store_trend(int64_t school_id, struct trend_row *rows, size_t n)
{
	size_t	i;
	int	k;

	for (i = 0; i < n; i++)
		for (k = 0; k < KIND__MAX; k++)
			rows[i].identified[k] = rows[i].rectified[k] = 0;
	if (n == 0)
		return STORE_OK;
	if ((school_id != 0 ? trend_school(school_id, rows, n) :
	    trend_district(rows, n)) == -1)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_today(time_t since, struct today_counts *c)
{
	memset(c, 0, sizeof(*c));
	if (trend_count(STMT_TODAY_REPORTED, since, 0, 1, c->reported) == -1 ||
	    trend_count(STMT_TODAY_CLOSED, since, 0, 1, c->closed) == -1 ||
	    trend_count(STMT_TODAY_RECTIFIED, since, 0, 1, c->rectified) == -1)
		return STORE_ERROR;
	return STORE_OK;
}

/* --- the statistics ---------------------------------------------------- */

int
store_stats(const char *by, const struct hazard_filter *f,
    int (*cb)(const struct stats_row *, void *), void *arg)
{
	sqlite3_stmt	*st;
	int		 range = f->has_since || f->has_until;
	int		 categories = strcmp(by, "category") == 0;

	if (f->state >= 0 || f->grade >= 0 || f->overdue || f->has_cursor)
		return store_stats_scan(by, f, cb, arg);
	/* The statistics' statements, [by category][by range]. */
	if ((st = store_stmt(STMT_STATS_SCHOOLS_TALLY + 2 * categories +
	    range)) == NULL)
		return STORE_ERROR;
	if (f->kind >= 0)
		sqlite3_bind_text(st, 1, hazard_kind_name(f->kind), -1,
		    SQLITE_STATIC);
	if (f->category != NULL)
		sqlite3_bind_text(st, 2, f->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, f->has_since ? f->since : INT64_MIN);
	sqlite3_bind_int64(st, 5, f->has_until ? f->until : INT64_MAX);
	sqlite3_bind_int64(st, 6, f->school_id);
	return store_stats_rows(st, cb, arg);
}

/* A school's rate of hazards, to find the worst. */
struct school_rate {
	int64_t		id;
	int64_t		rectified;
	int64_t		identified;
};

/* The schools' rates, as read. */
struct school_rates {
	struct school_rate *v;
	size_t		 n;
};

static int
add_school_rate(sqlite3_stmt *st, void *arg)
{
	struct school_rates	*sr = arg;
	struct school_rate	*r;

	sr->v = xreallocarray(sr->v, sr->n + 1, sizeof(*sr->v));
	r = &sr->v[sr->n++];
	r->id = sqlite3_column_int64(st, 0);
	r->rectified = sqlite3_column_int64(st, 1);
	r->identified = sqlite3_column_int64(st, 2);
	return 0;
}

static int
lower_rate(const void *a, const void *b)
{
	const struct school_rate *x = a, *y = b;

	return rate_cmp(x->rectified, x->identified, y->rectified,
	    y->identified);
}

/* At most this many whole rows read one by one, else all at once. */
#define WORST_ROWS	256

int
store_stats_worst(const struct hazard_filter *f, size_t limit,
    int (*cb)(const struct stats_row *, void *), void *arg)
{
	struct school_rates	 sr = { NULL, 0 };
	struct school_rate	 nth;
	sqlite3_stmt		*st;
	size_t			 i, rows;
	int			 rc = STORE_OK;

	if (f->kind >= 0 || f->category != NULL || f->school_id != 0 ||
	    f->has_since || f->has_until || f->state >= 0 || f->grade >= 0 ||
	    f->overdue || f->has_cursor || limit == 0)
		return store_stats("school", f, cb, arg);
	if ((st = store_stmt(STMT_STATS_SCHOOLS_RATE)) == NULL ||
	    store_each(st, add_school_rate, &sr, "stats: rates") ==
	    STORE_ERROR) {
		free(sr.v);
		return STORE_ERROR;
	}
	if (sr.n > 0)
		qsort(sr.v, sr.n, sizeof(*sr.v), lower_rate);
	/* The rows whose rate is no higher than the limit-th's. */
	rows = sr.n;
	if (limit < sr.n) {
		nth = sr.v[limit - 1];
		for (rows = limit; rows < sr.n; rows++)
			if (lower_rate(&sr.v[rows], &nth) > 0)
				break;
	}
	if (rows > WORST_ROWS) {
		free(sr.v);
		return store_stats("school", f, cb, arg);
	}
	if ((st = store_stmt(STMT_STATS_SCHOOL_ROW)) == NULL)
		rc = STORE_ERROR;
	else
		sqlite3_bind_text(st, 3, f->today, -1, SQLITE_STATIC);
	for (i = 0; i < rows && rc == STORE_OK; i++) {
		sqlite3_bind_int64(st, 6, sr.v[i].id);
		rc = store_stats_rows(st, cb, arg);
	}
	free(sr.v);
	return rc;
}

int
store_stats_as_of(const char *by, const struct hazard_filter *f, time_t at,
    int (*cb)(const struct stats_row *, void *), void *arg)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(strcmp(by, "category") == 0 ?
	    STMT_STATS_CATEGORIES_AS_OF : STMT_STATS_SCHOOLS_AS_OF)) == NULL)
		return STORE_ERROR;
#define NAMED(st, name)	sqlite3_bind_parameter_index(st, name)
	if (f->kind >= 0)
		sqlite3_bind_text(st, NAMED(st, ":kind"),
		    hazard_kind_name(f->kind), -1, SQLITE_STATIC);
	if (f->category != NULL)
		sqlite3_bind_text(st, NAMED(st, ":category"), f->category, -1,
		    SQLITE_STATIC);
	sqlite3_bind_text(st, NAMED(st, ":today"), f->today, -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(st, NAMED(st, ":since"),
	    f->has_since ? f->since : INT64_MIN);
	sqlite3_bind_int64(st, NAMED(st, ":before"),
	    f->has_until ? f->until : INT64_MAX);
	sqlite3_bind_int64(st, NAMED(st, ":school"), f->school_id);
	sqlite3_bind_int64(st, NAMED(st, ":until"), at + 1);
#undef NAMED
	return store_stats_rows(st, cb, arg);
}
