/*
 * Photos: photo_strip (daemon/photo.c), the walk of a JPEG's, PNG's or
 * WebP's container that leaves its metadata out.  It reads no byte
 * outside the body and writes none past its length; what it keeps is
 * no longer than what came, of the type the signature says, and walked
 * again gives itself: nothing that the first walk left out remains, and
 * nothing is lost the second time.
 */
#include "photo.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint8_t	*in, *out, *again;
	size_t	 n = 0, m = 0;
	int	 type;

	/* A copy of its exact length: ASan sees a read past it. */
	in = malloc(len + 1);
	out = malloc(len + 1);
	if (in == NULL || out == NULL)
		abort();
	memcpy(in, data, len);
	type = photo_strip(in, len, out, &n);
	FUZZ_CHECK(type >= PHOTO_MALFORMED && type < PHOTO__MAX);
	if (type < 0) {
		FUZZ_CHECK(type != PHOTO_NOT_IMAGE ||
		    photo_sniff(in, len) == PHOTO_NOT_IMAGE);
		goto done;
	}
	FUZZ_CHECK(type == photo_sniff(in, len));
	FUZZ_CHECK(n <= len);
	if ((again = malloc(n + 1)) == NULL)
		abort();
	FUZZ_CHECK(photo_strip(out, n, again, &m) == type);
	FUZZ_CHECK(m == n && memcmp(again, out, n) == 0);
	free(again);
done:
	free(in);
	free(out);
	return 0;
}
