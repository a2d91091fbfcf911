/*
 * The migration's step in C: the events made before the hash chain
 * (schema/023-audit-chain.sql) chained in their id order.
 */
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "db.h"
#include "log.h"
#include "xmalloc.h"

/* Events hashed, then written, at a time. */
#define CHAIN_SLICE	4096

/* The trigger that forbids UPDATE on events, dropped and put back. */
#define CHAIN_TRIGGER	"events_append_only_update"

/* Finalizes st; returns -1 with SQLite's reason logged if rc is bad. */
static int
chain_fail(sqlite3_stmt *st, const char *what)
{
	log_warnx("migration audit chain: %s: %s", what,
	    sqlite3_errmsg(db_handle()));
	sqlite3_finalize(st);
	return -1;
}

/* Writes n hashes of ids[] with upd; returns 0, or -1 logged. */
static int
chain_write(sqlite3_stmt *upd, const int64_t *ids,
    uint8_t (*hashes)[CHAIN_HASH_LEN], size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		sqlite3_bind_blob(upd, 1, hashes[i], CHAIN_HASH_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_int64(upd, 2, ids[i]);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			log_warnx("migration audit chain: update: %s",
			    sqlite3_errmsg(db_handle()));
			sqlite3_reset(upd);
			return -1;
		}
		sqlite3_reset(upd);
	}
	return 0;
}

/*
 * Chains every event in id order: reads a slice, hashes it, then writes
 * it (never updating the table under a reading statement).
 */
static int
chain_all(void)
{
	struct chain_field	 f[CHAIN_NFIELDS];
	sqlite3_stmt		*sel = NULL, *upd = NULL;
	uint8_t			 prev[CHAIN_HASH_LEN];
	uint8_t			(*hashes)[CHAIN_HASH_LEN];
	int64_t			*ids, after = 0, total = 0;
	size_t			 n;
	int			 rc = -1, step;

	ids = xcalloc(CHAIN_SLICE, sizeof(*ids));
	hashes = xcalloc(CHAIN_SLICE, sizeof(*hashes));
	memset(prev, 0, sizeof(prev));
	if (sqlite3_prepare_v2(db_handle(), "SELECT " CHAIN_COLUMNS
	    " FROM events WHERE id > ? ORDER BY id LIMIT ?", -1, &sel,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db_handle(), "UPDATE events SET hash = ? "
	    "WHERE id = ?", -1, &upd, NULL) != SQLITE_OK) {
		log_warnx("migration audit chain: prepare: %s",
		    sqlite3_errmsg(db_handle()));
		goto done;
	}
	do {
		n = 0;
		sqlite3_bind_int64(sel, 1, after);
		sqlite3_bind_int(sel, 2, CHAIN_SLICE);
		while ((step = sqlite3_step(sel)) == SQLITE_ROW &&
		    n < CHAIN_SLICE) {
			chain_columns(sel, 0, f);
			ids[n] = sqlite3_column_int64(sel, 0);
			if (chain_hash(prev, f, hashes[n]) == -1) {
				log_warnx("migration audit chain: SHA-256 "
				    "failed");
				goto done;
			}
			memcpy(prev, hashes[n], CHAIN_HASH_LEN);
			n++;
		}
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			log_warnx("migration audit chain: read: %s",
			    sqlite3_errmsg(db_handle()));
			goto done;
		}
		sqlite3_reset(sel);
		if (chain_write(upd, ids, hashes, n) == -1)
			goto done;
		if (n > 0)
			after = ids[n - 1];
		total += (int64_t)n;
	} while (n == CHAIN_SLICE);
	log_info("database: %lld events chained", (long long)total);
	rc = 0;
done:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	free(ids);
	free(hashes);
	return rc;
}

int
db_chain_events(void)
{
	sqlite3_stmt	*st = NULL;
	char		*trigger = NULL;
	int		 rc = -1;

	if (sqlite3_prepare_v2(db_handle(), "SELECT sql FROM sqlite_schema "
	    "WHERE type = 'trigger' AND name = '" CHAIN_TRIGGER "'", -1, &st,
	    NULL) != SQLITE_OK)
		return chain_fail(st, "reading the trigger");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		trigger = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (trigger != NULL && sqlite3_exec(db_handle(), "DROP TRIGGER "
	    CHAIN_TRIGGER, NULL, NULL, NULL) != SQLITE_OK) {
		log_warnx("migration audit chain: dropping the trigger: %s",
		    sqlite3_errmsg(db_handle()));
		goto done;
	}
	if (chain_all() == -1)
		goto done;
	if (trigger != NULL && sqlite3_exec(db_handle(), trigger, NULL, NULL,
	    NULL) != SQLITE_OK) {
		log_warnx("migration audit chain: the trigger again: %s",
		    sqlite3_errmsg(db_handle()));
		goto done;
	}
	rc = 0;
done:
	free(trigger);
	return rc;
}
