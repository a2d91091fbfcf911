/*
 * Allocation that cannot fail: running out of memory ends the program
 * through xmalloc_oom(), which each program defines (hazardd logs it,
 * hazardctl says it on stderr).
 */
#ifndef HAZARD_XMALLOC_H
#define HAZARD_XMALLOC_H

#include <stddef.h>

/* Reports that memory ran out, and exits; a program may define its own. */
void	 xmalloc_oom(const char *what) __attribute__((noreturn));

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
/* Returns p, an allocation made by a library, unless it failed. */
void	*xnonnull(void *p);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
