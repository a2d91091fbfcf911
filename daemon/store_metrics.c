/*
 * The queries behind /metrics: overdue hazards, the latest run of each
 * cycle, and the deliveries' attempts and failures.  None reads the
 * hazards: /metrics is public and answered on the loop.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"

/* Steps st for one row; finalizes it.  Returns 0, or -1 logged. */
static int
one_row(sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) == SQLITE_ROW)
		return 0;
	db_log_error(what);
	sqlite3_finalize(st);
	return -1;
}

int
store_metrics_overdue(const char *today, int64_t counts[KIND__MAX])
{
	sqlite3_stmt	*st;
	int		 rc, k;

	memset(counts, 0, sizeof(int64_t) * KIND__MAX);
	/* A row per deadline still open (schema/013-tally-state.sql). */
	if ((st = store_prepare("SELECT kind, SUM(n) FROM tally_deadline "
	    "WHERE deadline < ? GROUP BY kind")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((k = hazard_kind_parse((const char *)
		    sqlite3_column_text(st, 0))) >= 0)
			counts[k] = sqlite3_column_int64(st, 1);
	if (rc != SQLITE_DONE)
		db_log_error("metrics overdue");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

int
store_metrics_cycle_last(const char *kind, time_t *at)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT COALESCE(MAX(made_at), 0) FROM "
	    "digests WHERE kind = ?")) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (one_row(st, "metrics cycle") == -1)
		return STORE_ERROR;
	*at = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return STORE_OK;
}

int
store_metrics_deliveries(int64_t *attempts, int64_t *failing)
{
	sqlite3_stmt	*st;

	if ((st = store_prepare("SELECT COALESCE(SUM(attempts), 0), "
	    "COALESCE(SUM(state = 'pending' AND last_error IS NOT NULL), 0) "
	    "FROM deliveries")) == NULL)
		return STORE_ERROR;
	if (one_row(st, "metrics deliveries") == -1)
		return STORE_ERROR;
	*attempts = sqlite3_column_int64(st, 0);
	*failing = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return STORE_OK;
}
