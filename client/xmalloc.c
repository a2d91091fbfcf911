/*
 * Allocation that cannot fail: hazardctl gives up when memory runs out.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hazardctl.h"
#include "xmalloc.h"

/* Says that memory ran out and exits. */
static void __attribute__((noreturn))
oom(void)
{
	fputs("hazardctl: out of memory\n", stderr);
	exit(EXIT_REFUSED);
}

/* calloc(3) that does not return NULL. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		oom();
	return p;
}

/* reallocarray(3) that does not return NULL. */
void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size)
		oom();
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL)
		oom();
	return p;
}

/* strdup(3) that does not return NULL. */
char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		oom();
	return p;
}

/* Gives up if an allocation made by a library failed. */
void *
xnonnull(void *p)
{
	if (p == NULL)
		oom();
	return p;
}

/* asprintf(3) that does not fail, in standard C: vsnprintf twice. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	*ret = xcalloc(1, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(*ret, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return n;
}
