/*
 * The tokens that authenticated lately, so that a request does not read
 * the tokens table each time.
 */
#ifndef HAZARDD_TOKCACHE_H
#define HAZARDD_TOKCACHE_H

#include <stdint.h>
#include <time.h>

#include "token.h"

/*
 * Fills p for a token of this hash found within TOKCACHE_TTL seconds
 * of now.  Returns 0, or -1 if the store must be asked.
 */
int	tokcache_find(const uint8_t hash[TOKEN_HASH_LEN], time_t now,
	    struct principal *p);

/* Remembers a token the store found valid at now. */
void	tokcache_put(const uint8_t hash[TOKEN_HASH_LEN], time_t now,
	    const struct principal *p);

/* Forgets every token: one was revoked, or the database may differ. */
void	tokcache_clear(void);

#endif
