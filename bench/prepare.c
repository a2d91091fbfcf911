/*
 * bench/prepare: what preparing a statement per call costs beside
 * keeping it prepared, for the store's statements on the hot paths (a
 * show, a list page, a report, the statistics), on a copy of a database
 * made by bench/gen.
 *
 *   cc -O2 -o prepare bench/prepare.c -lsqlite3
 *   ./prepare COPY.db [iterations [SQL-FILE]]
 *
 * For each statement it times, over the same rows: prepare, bind, step
 * to the end and finalize (per call); reset, bind and step (cached);
 * and prepare and finalize alone.  The report's inserts run in one
 * transaction rolled back at the end.  The SQL is that of daemon/store*.c
 * when this was written.  With SQL-FILE (one statement a line: the
 * figures' and digests' queries, store_hot_query()), it also times
 * preparing and finalizing each of those.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#define HAZARD_COLUMNS \
	"h.id, h.kind, h.school_id, s.code, s.name, h.grade, " \
	"h.category, h.title, h.description, h.location, h.responsible, " \
	"h.department, h.deadline, h.plan, h.assessment, h.funds, " \
	"h.contingency, h.state, h.escalation, h.reported_at, " \
	"h.updated_at, h.closed_at, h.cancelled_at " \
	"FROM hazards h JOIN schools s ON s.id = h.school_id"

static const struct {
	const char	*name;
	const char	*sql;
} stmts[] = {
	{ "hazard get (show, each row of a list page)",
	  "SELECT " HAZARD_COLUMNS " WHERE h.id = ?" },
	{ "event list (show)",
	  "SELECT id, hazard_id, at, COALESCE(token_id, 0), actor, role, "
	  "action, from_state, to_state, note, changes FROM events "
	  "WHERE hazard_id = ? ORDER BY id" },
	{ "token find (a request the cache misses)",
	  "SELECT id, role, COALESCE(school_id, 0), name, hash FROM tokens "
	  "WHERE hash = ? AND revoked_at IS NULL" },
	{ "list page keys (built per call)",
	  "SELECT h.reported_at, h.id, CASE WHEN 1 AND h.kind = ? THEN 1 "
	  "ELSE 0 END FROM hazards h INDEXED BY hazards_by_time WHERE 1 "
	  "AND (h.reported_at, h.id) < (?, 9223372036854775807) "
	  "ORDER BY h.reported_at DESC, h.id DESC LIMIT 50" },
	{ "hazard insert (report)",
	  "INSERT INTO hazards (kind, school_id, grade, category, title, "
	  "description, location, responsible, department, deadline, plan, "
	  "assessment, funds, contingency, state, escalation, idem_key, "
	  "reported_by, reported_at, updated_at) VALUES (?, 1, 'general', "
	  "'fire', 'bench', NULL, NULL, NULL, NULL, '2026-12-31', NULL, NULL, "
	  "NULL, NULL, 'open', 0, NULL, NULL, 1796400000, 1796400000)" },
	{ "event insert (report, action)",
	  "INSERT INTO events (hazard_id, at, token_id, actor, role, action, "
	  "from_state, to_state, note, changes) "
	  "VALUES (?, 1796400000, NULL, 'bench', 'office', 'report', NULL, "
	  "'open', NULL, NULL)" },
};

static double
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Binds parameter 1 for iteration i and steps st to its end. */
static void
run(sqlite3_stmt *st, int i, int64_t max)
{
	if (sqlite3_bind_parameter_count(st) >= 1) {
		if (sqlite3_bind_parameter_index(st, "?1") == 0 &&
		    sqlite3_column_count(st) == 5)
			sqlite3_bind_blob(st, 1, &i, sizeof(i), SQLITE_STATIC);
		else if (sqlite3_column_count(st) == 3)
			sqlite3_bind_text(st, 1, "hazard", -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, 1, 1 + (i * 7919LL) % max);
	}
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, 1796400000 - i);
	while (sqlite3_step(st) == SQLITE_ROW)
		;
}

int
main(int argc, char *argv[])
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	size_t		 s;
	double		 t0, percall, cached, prep;
	int		 i, n = argc > 2 ? atoi(argv[2]) : 20000;
	int64_t		 max = 1000;
	FILE		*fp;
	char		 line[8192];

	if (argc < 2 || sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "usage: prepare COPY.db [iterations]\n");
		return 2;
	}
	if (sqlite3_prepare_v2(db, "SELECT MAX(id) FROM hazards", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	printf("%-44s %9s %9s %9s\n", "statement (us per call)", "per-call",
	    "cached", "prepare");
	for (s = 0; s < sizeof(stmts) / sizeof(stmts[0]); s++) {
		/* Warm the page cache. */
		for (i = 0; i < n / 10; i++) {
			sqlite3_prepare_v2(db, stmts[s].sql, -1, &st, NULL);
			run(st, i, max);
			sqlite3_finalize(st);
		}
		t0 = now_us();
		for (i = 0; i < n; i++) {
			if (sqlite3_prepare_v2(db, stmts[s].sql, -1, &st,
			    NULL) != SQLITE_OK) {
				fprintf(stderr, "%s\n", sqlite3_errmsg(db));
				return 1;
			}
			run(st, i, max);
			sqlite3_finalize(st);
		}
		percall = (now_us() - t0) / n;
		sqlite3_prepare_v3(db, stmts[s].sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &st, NULL);
		t0 = now_us();
		for (i = 0; i < n; i++) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			run(st, i, max);
		}
		cached = (now_us() - t0) / n;
		sqlite3_finalize(st);
		t0 = now_us();
		for (i = 0; i < n; i++) {
			sqlite3_prepare_v2(db, stmts[s].sql, -1, &st, NULL);
			sqlite3_finalize(st);
		}
		prep = (now_us() - t0) / n;
		printf("%-44s %9.2f %9.2f %9.2f\n", stmts[s].name, percall,
		    cached, prep);
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (argc > 3 && (fp = fopen(argv[3], "r")) != NULL) {
		for (s = 0; fgets(line, sizeof(line), fp) != NULL; s++) {
			t0 = now_us();
			for (i = 0; i < n; i++) {
				if (sqlite3_prepare_v2(db, line, -1, &st,
				    NULL) != SQLITE_OK) {
					fprintf(stderr, "%s\n",
					    sqlite3_errmsg(db));
					return 1;
				}
				sqlite3_finalize(st);
			}
			printf("hot query %2zu (%4zu bytes): prepare %7.2f us\n",
			    s, strlen(line), (now_us() - t0) / n);
		}
		fclose(fp);
	}
	sqlite3_close(db);
	return 0;
}
