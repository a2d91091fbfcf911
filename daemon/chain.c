/*
 * The audit trail's hash chain: the canonical encoding of an event and
 * its hash.  See chain.h.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "chain.h"
#include "xmalloc.h"

void
chain_int(struct chain_field *f, int64_t i)
{
	memset(f, 0, sizeof(*f));
	f->type = SQLITE_INTEGER;
	f->i = i;
}

void
chain_text(struct chain_field *f, const char *s)
{
	memset(f, 0, sizeof(*f));
	f->type = s == NULL ? SQLITE_NULL : SQLITE_TEXT;
	f->p = s;
	f->len = s == NULL ? 0 : strlen(s);
}

void
chain_columns(sqlite3_stmt *st, int col, struct chain_field f[CHAIN_NFIELDS])
{
	int	i, c;

	for (i = 0; i < CHAIN_NFIELDS; i++) {
		c = col + i;
		memset(&f[i], 0, sizeof(f[i]));
		f[i].type = sqlite3_column_type(st, c);
		switch (f[i].type) {
		case SQLITE_INTEGER:
			f[i].i = sqlite3_column_int64(st, c);
			break;
		case SQLITE_FLOAT:
			f[i].r = sqlite3_column_double(st, c);
			break;
		case SQLITE_TEXT:
			f[i].p = sqlite3_column_text(st, c);
			f[i].len = (size_t)sqlite3_column_bytes(st, c);
			break;
		case SQLITE_BLOB:
			f[i].p = sqlite3_column_blob(st, c);
			f[i].len = (size_t)sqlite3_column_bytes(st, c);
			break;
		}
	}
}

/* Puts n bytes of v, big-endian, at buf + at if they fit. */
static void
put_be(uint8_t *buf, size_t size, size_t at, uint64_t v, int n)
{
	int	i;

	if (at + (size_t)n > size)
		return;
	for (i = n - 1; i >= 0; i--) {
		buf[at + (size_t)i] = v & 0xff;
		v >>= 8;
	}
}

size_t
chain_encode(const struct chain_field f[CHAIN_NFIELDS], uint8_t *buf,
    size_t size)
{
	size_t		len = 0;
	uint64_t	u;
	int		i;

	for (i = 0; i < CHAIN_NFIELDS; i++) {
		if (len < size)
			buf[len] = 0;
		switch (f[i].type) {
		case SQLITE_INTEGER:
			if (len < size)
				buf[len] = 0x01;
			put_be(buf, size, len + 1, (uint64_t)f[i].i, 8);
			len += 9;
			break;
		case SQLITE_FLOAT:
			if (len < size)
				buf[len] = 0x02;
			memcpy(&u, &f[i].r, sizeof(u));
			put_be(buf, size, len + 1, u, 8);
			len += 9;
			break;
		case SQLITE_TEXT:
		case SQLITE_BLOB:
			if (len < size)
				buf[len] = f[i].type == SQLITE_TEXT ? 0x03 : 0x04;
			put_be(buf, size, len + 1, f[i].len, 4);
			if (len + 5 + f[i].len <= size && f[i].len > 0)
				memcpy(buf + len + 5, f[i].p, f[i].len);
			len += 5 + f[i].len;
			break;
		default:
			len++;
			break;
		}
	}
	return len;
}

int
chain_hash(const uint8_t prev[CHAIN_HASH_LEN],
    const struct chain_field f[CHAIN_NFIELDS], uint8_t out[CHAIN_HASH_LEN])
{
	uint8_t		 stack[1024], *buf = stack;
	size_t		 len;
	unsigned int	 n;
	int		 rc;

	len = CHAIN_HASH_LEN + chain_encode(f, NULL, 0);
	if (len > sizeof(stack))
		buf = xmalloc(len);
	if (prev != NULL)
		memcpy(buf, prev, CHAIN_HASH_LEN);
	else
		memset(buf, 0, CHAIN_HASH_LEN);
	chain_encode(f, buf + CHAIN_HASH_LEN, len - CHAIN_HASH_LEN);
	rc = EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL) == 1 &&
	    n == CHAIN_HASH_LEN ? 0 : -1;
	if (buf != stack)
		free(buf);
	return rc;
}

void
chain_hex(const uint8_t hash[CHAIN_HASH_LEN], char out[2 * CHAIN_HASH_LEN + 1])
{
	static const char	digits[] = "0123456789abcdef";
	int			i;

	for (i = 0; i < CHAIN_HASH_LEN; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 0xf];
	}
	out[2 * CHAIN_HASH_LEN] = '\0';
}

int
chain_parse_head(const char *s, int64_t *id, char hex[65])
{
	const char	*colon;
	char		*end;
	long long	 v;
	size_t		 n, i;

	if ((colon = strchr(s, ':')) == NULL || colon == s ||
	    s[0] < '0' || s[0] > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (end != colon || v <= 0)
		return -1;
	n = strlen(colon + 1);
	if (n < 4 || n > 64)
		return -1;
	for (i = 0; i < n; i++) {
		hex[i] = colon[1 + i];
		if (hex[i] >= 'A' && hex[i] <= 'F')
			hex[i] += 'a' - 'A';
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	}
	hex[n] = '\0';
	*id = v;
	return 0;
}
