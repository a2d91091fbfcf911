/*
 * The walk of the audit trail's hash chain (chain.h): every event read
 * in id order, its hash computed again from the one before it.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store_impl.h"

/* Keeps what names the event of row st, the first that does not match. */
static void
chain_bad(sqlite3_stmt *st, struct chain_verdict *v, int nohash)
{
	const unsigned char	*s;

	v->broken = 1;
	v->bad_nohash = nohash;
	v->bad_id = sqlite3_column_int64(st, 0);
	v->bad_hazard = sqlite3_column_int64(st, 1);
	v->bad_at = (time_t)sqlite3_column_int64(st, 2);
	s = sqlite3_column_text(st, 6);
	snprintf(v->bad_action, sizeof(v->bad_action), "%s",
	    s != NULL ? (const char *)s : "");
	s = sqlite3_column_text(st, 4);
	snprintf(v->bad_actor, sizeof(v->bad_actor), "%s",
	    s != NULL ? (const char *)s : "");
}

int
store_chain_verify(struct chain_verdict *v)
{
	struct chain_field	 f[CHAIN_NFIELDS];
	sqlite3_stmt		*st;
	uint8_t			 hash[CHAIN_HASH_LEN];
	char			 hex[2 * CHAIN_HASH_LEN + 1];
	const void		*stored;
	size_t			 n;
	int			 rc;

	v->events = v->head_id = 0;
	memset(v->head, 0, sizeof(v->head));
	v->broken = v->want_found = v->want_ok = 0;
	if ((st = store_stmt(STMT_EVENT_CHAIN)) == NULL)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		chain_columns(st, 0, f);
		if (chain_hash(v->head, f, hash) == -1) {
			log_warnx("chain verify: SHA-256 failed");
			sqlite3_reset(st);
			return STORE_ERROR;
		}
		stored = sqlite3_column_blob(st, CHAIN_NFIELDS);
		if (stored == NULL ||
		    sqlite3_column_bytes(st, CHAIN_NFIELDS) != CHAIN_HASH_LEN ||
		    memcmp(stored, hash, CHAIN_HASH_LEN) != 0) {
			chain_bad(st, v, stored == NULL);
			break;
		}
		v->events++;
		v->head_id = sqlite3_column_int64(st, 0);
		memcpy(v->head, hash, CHAIN_HASH_LEN);
		if (v->want_id != 0 && v->head_id == v->want_id) {
			v->want_found = 1;
			chain_hex(hash, hex);
			n = strlen(v->want_hex);
			v->want_ok = strncmp(hex, v->want_hex, n) == 0;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_warnx("chain verify: %s", sqlite3_errmsg(db_handle()));
		sqlite3_reset(st);
		return STORE_ERROR;
	}
	sqlite3_reset(st);
	return STORE_OK;
}
