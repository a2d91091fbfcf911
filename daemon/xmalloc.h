/*
 * Allocation that cannot fail: running out of memory is fatal.
 */
#ifndef HAZARDD_XMALLOC_H
#define HAZARDD_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
