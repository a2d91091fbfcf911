/*
 * API tokens: made from the kernel's random bytes, kept only as hashes.
 */
#ifndef HAZARDD_TOKEN_H
#define HAZARDD_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "hazard.h"

#define TOKEN_RANDOM_BYTES	32
#define TOKEN_PREFIX		"hzd_"
/* "hzd_" and 64 hex digits, and the NUL. */
#define TOKEN_TEXT_LEN		(4 + 2 * TOKEN_RANDOM_BYTES + 1)
#define TOKEN_HASH_LEN		32

/* Who makes a request: from the token it carries. */
struct principal {
	int64_t			 token_id;	/* 0: the daemon itself */
	enum hazard_role	 role;
	int64_t			 school_id;	/* 0 for the office */
	char			 name[256];
};

/* Makes a new secret token.  Returns 0, or -1 if getrandom failed. */
int	token_generate(char out[TOKEN_TEXT_LEN]);

/* SHA-256 of the token's text.  Returns 0, or -1. */
int	token_hash(const char *token, size_t len,
	    uint8_t out[TOKEN_HASH_LEN]);

/* Compares two hashes in constant time.  Returns 1 if equal. */
int	token_hash_equal(const uint8_t a[TOKEN_HASH_LEN],
	    const uint8_t b[TOKEN_HASH_LEN]);

#endif
