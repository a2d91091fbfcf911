/*
 * Allocation that cannot fail: running out of memory is the end.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/*
 * The default when a program defines none of its own: hazardd's log.c
 * and hazardctl.c do, and theirs takes the place of this weak one.
 */
__attribute__((weak)) void
xmalloc_oom(const char *what)
{
	fprintf(stderr, "out of memory (%s)\n", what);
	exit(1);
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		xmalloc_oom("malloc");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		xmalloc_oom("calloc");
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (size != 0 && n > SIZE_MAX / size)
		xmalloc_oom("reallocarray overflow");
	if ((p = realloc(old, n * size == 0 ? 1 : n * size)) == NULL)
		xmalloc_oom("reallocarray");
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		xmalloc_oom("strdup");
	return p;
}

void *
xnonnull(void *p)
{
	if (p == NULL)
		xmalloc_oom("a library's allocation");
	return p;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vasprintf(ret, fmt, ap);
	va_end(ap);
	if (n == -1)
		xmalloc_oom("asprintf");
	return n;
}
