/*
 * The audit trail's hash chain: each event's hash is SHA-256 of the
 * hash before it and of the event in a canonical encoding, so that an
 * event changed, removed or put in after the fact breaks the chain from
 * it on.  docs/SECURITY.md says what it proves and what it does not.
 *
 * The canonical encoding of an event is its CHAIN_NFIELDS columns of
 * events in this order: id, hazard_id, at, token_id, actor, role,
 * action, from_state, to_state, note, changes, activity_id; each as
 * SQLite holds it:
 *
 *	NULL	the byte 0x00
 *	INTEGER	0x01, then the value in 8 bytes, two's complement,
 *		big-endian
 *	REAL	0x02, then the IEEE 754 double in 8 bytes, big-endian
 *	TEXT	0x03, then its length in bytes in 4 bytes, big-endian,
 *		then its UTF-8 bytes (no NUL)
 *	BLOB	0x04, then its length as for TEXT, then its bytes
 *
 * hash = SHA-256(previous hash (32 bytes) || encoding); the first
 * event's previous hash is 32 zero bytes.
 */
#ifndef HAZARDD_CHAIN_H
#define HAZARDD_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#define CHAIN_HASH_LEN	32
#define CHAIN_NFIELDS	12
/* The columns of events hashed, in the encoding's order. */
#define CHAIN_COLUMNS	"id, hazard_id, at, token_id, actor, role, " \
	"action, from_state, to_state, note, changes, activity_id"

/* One column's value: type is SQLite's (SQLITE_NULL, SQLITE_TEXT...). */
struct chain_field {
	int		 type;
	int64_t		 i;		/* SQLITE_INTEGER */
	double		 r;		/* SQLITE_FLOAT */
	const void	*p;		/* SQLITE_TEXT, SQLITE_BLOB */
	size_t		 len;
};

/* An integer field, a text field (NULL text: a NULL field). */
void	chain_int(struct chain_field *f, int64_t i);
void	chain_text(struct chain_field *f, const char *s);

/*
 * Fills f[] from CHAIN_NFIELDS columns of a stepped statement, from
 * column col on (pointers valid until its next step).
 */
void	chain_columns(sqlite3_stmt *st, int col,
	    struct chain_field f[CHAIN_NFIELDS]);

/*
 * Writes the canonical encoding of f[] to buf if it is large enough;
 * returns its length in bytes either way.
 */
size_t	chain_encode(const struct chain_field f[CHAIN_NFIELDS],
	    uint8_t *buf, size_t size);

/*
 * out = SHA-256(prev || the encoding of f[]); prev NULL is the zero
 * hash.  Returns 0, or -1 if libcrypto failed.
 */
int	chain_hash(const uint8_t prev[CHAIN_HASH_LEN],
	    const struct chain_field f[CHAIN_NFIELDS],
	    uint8_t out[CHAIN_HASH_LEN]);

/* Writes hash as 64 lower-case hex digits and a NUL. */
void	chain_hex(const uint8_t hash[CHAIN_HASH_LEN],
	    char out[2 * CHAIN_HASH_LEN + 1]);

/*
 * Reads "ID:HEX" (a head printed by a digest: an event's id and the
 * first hex digits of its hash, 4 to 64 of them).  Returns 0, or -1.
 */
int	chain_parse_head(const char *s, int64_t *id, char hex[65]);

#endif
