/*
 * API tokens: made from the kernel's random bytes, kept only as hashes.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "token.h"

int
token_generate(char out[TOKEN_TEXT_LEN])
{
	static const char	 hex[] = "0123456789abcdef";
	uint8_t			 raw[TOKEN_RANDOM_BYTES];
	size_t			 got = 0, i;
	ssize_t			 n;
	char			*p;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += n;
	}
	p = out;
	memcpy(p, TOKEN_PREFIX, strlen(TOKEN_PREFIX));
	p += strlen(TOKEN_PREFIX);
	for (i = 0; i < sizeof(raw); i++) {
		*p++ = hex[raw[i] >> 4];
		*p++ = hex[raw[i] & 0xf];
	}
	*p = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

int
token_hash(const char *token, size_t len, uint8_t out[TOKEN_HASH_LEN])
{
	unsigned int	n = 0;

	if (EVP_Digest(token, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != TOKEN_HASH_LEN)
		return -1;
	return 0;
}

int
token_hash_equal(const uint8_t a[TOKEN_HASH_LEN],
    const uint8_t b[TOKEN_HASH_LEN])
{
	return CRYPTO_memcmp(a, b, TOKEN_HASH_LEN) == 0;
}
