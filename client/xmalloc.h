/*
 * Allocation that cannot fail: hazardctl gives up when memory runs out.
 */
#ifndef HAZARDCTL_XMALLOC_H
#define HAZARDCTL_XMALLOC_H

#include <stddef.h>

void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
/* Returns p, an allocation made elsewhere, unless it failed (NULL). */
void	*xnonnull(void *p);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
