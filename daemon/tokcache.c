/*
 * The tokens that authenticated lately.  Every request carries a token,
 * and looking it up took a read transaction of its own (two file locks)
 * and a search of the tokens table: a sixth of a GET's time.  A school
 * sends its requests with one token, and the office with a few, so a
 * small table of the latest ones, by hash, answers nearly all of them.
 *
 * Only tokens found valid are kept, so a new token works at once.  A
 * revocation through the API clears the table at once; one made behind
 * hazardd's back (the database edited or restored in place) is seen
 * within TOKCACHE_TTL seconds, when the entry has to be read again.
 */
#include <string.h>

#include "tokcache.h"

#define TOKCACHE_SIZE	64	/* entries, a power of two */
#define TOKCACHE_TTL	30	/* seconds an entry is trusted */

static struct entry {
	uint8_t			hash[TOKEN_HASH_LEN];
	time_t			found;		/* 0: empty */
	struct principal	who;
} cache[TOKCACHE_SIZE];

/* The slot of a hash: its first bytes are as random as any. */
static struct entry *
slot(const uint8_t hash[TOKEN_HASH_LEN])
{
	return &cache[(hash[0] | (unsigned)hash[1] << 8) &
	    (TOKCACHE_SIZE - 1)];
}

int
tokcache_find(const uint8_t hash[TOKEN_HASH_LEN], time_t now,
    struct principal *p)
{
	struct entry	*e = slot(hash);

	if (e->found == 0 || now < e->found || now - e->found >= TOKCACHE_TTL ||
	    !token_hash_equal(e->hash, hash))
		return -1;
	*p = e->who;
	return 0;
}

void
tokcache_put(const uint8_t hash[TOKEN_HASH_LEN], time_t now,
    const struct principal *p)
{
	struct entry	*e = slot(hash);

	memcpy(e->hash, hash, TOKEN_HASH_LEN);
	e->found = now;
	e->who = *p;
}

void
tokcache_clear(void)
{
	memset(cache, 0, sizeof(cache));
}
