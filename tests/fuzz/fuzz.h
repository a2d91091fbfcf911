/*
 * What the libFuzzer targets share.  Each target feeds one parser of
 * outside input and checks invariants that are cheap to test (a value that
 * parses writes out and parses again to the same value), so that the
 * fuzzer finds logic bugs as well as crashes: a broken invariant
 * aborts, and libFuzzer keeps the input as a crash.
 */
#ifndef HAZARDD_FUZZ_H
#define HAZARDD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* Aborts, naming the invariant, if cond does not hold. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* The input as a C string: the bytes up to the first NUL, if any. */
static inline char *
fuzz_string(const uint8_t *data, size_t len)
{
	char	*s;

	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* Dates are local to the district, as hazardd runs them (tzdata). */
static inline void
fuzz_timezone(void)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
}

#endif
