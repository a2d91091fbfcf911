/*
 * The queries behind /metrics: overdue hazards, the latest run of each
 * cycle, and the deliveries' attempts and failures.  None reads the
 * hazards: /metrics is public and answered on the loop.
 */
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"

/* Counts a kind's overdue hazards. */
static int
overdue_row(sqlite3_stmt *st, void *arg)
{
	int64_t	*counts = arg;
	int	 k;

	if ((k = hazard_kind_parse((const char *)
	    sqlite3_column_text(st, 0))) >= 0)
		counts[k] = sqlite3_column_int64(st, 1);
	return 0;
}

int
store_metrics_overdue(const char *today, int64_t counts[KIND__MAX])
{
	sqlite3_stmt	*st;

	memset(counts, 0, sizeof(int64_t) * KIND__MAX);
	if ((st = store_stmt(STMT_METRICS_OVERDUE)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, today, -1, SQLITE_STATIC);
	if (store_each(st, overdue_row, counts, "metrics overdue") ==
	    STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

int
store_metrics_cycle_last(const char *kind, time_t *at)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_METRICS_CYCLE_LAST)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	/* An aggregate has its row. */
	if (store_row(st, "metrics cycle") != STORE_OK)
		return STORE_ERROR;
	*at = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_metrics_deliveries(int64_t *attempts, int64_t *failing)
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_METRICS_DELIVERIES)) == NULL)
		return STORE_ERROR;
	if (store_row(st, "metrics deliveries") != STORE_OK)
		return STORE_ERROR;
	*attempts = sqlite3_column_int64(st, 0);
	*failing = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return STORE_OK;
}

int
store_metrics_version(int64_t version[2])
{
	sqlite3_stmt	*st;

	if ((st = store_stmt(STMT_METRICS_VERSION)) == NULL)
		return STORE_ERROR;
	if (store_row(st, "metrics version") != STORE_OK)
		return STORE_ERROR;
	version[0] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	version[1] = sqlite3_total_changes64(db_handle());
	return STORE_OK;
}
