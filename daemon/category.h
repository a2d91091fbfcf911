/*
 * The vocabulary of categories: each a short code (what the database
 * stores), a Chinese name, an English name and the department its
 * hazards are dispatched to.  Pure: no I/O.
 */
#ifndef HAZARDD_CATEGORY_H
#define HAZARDD_CATEGORY_H

#include <stddef.h>

/* Longest code, in bytes; longest name, in characters. */
#define CATEGORY_CODE_MAX	32
#define CATEGORY_NAME_MAX	64

struct category {
	char	*code;
	char	*zh;
	char	*en;
	char	*department;	/* NULL: none */
};

struct categories {
	struct category	*list;
	size_t		 n;
};

/* Fills cs with the default set of a Chinese school district. */
void	category_defaults(struct categories *cs);

/* Frees what cs holds, not cs itself. */
void	category_free(struct categories *cs);

/* Copies from into to, which it overwrites. */
void	category_copy(struct categories *to, const struct categories *from);

/*
 * The category that s names: its code, or its Chinese or English name
 * (code and English name without regard to ASCII case); NULL if none.
 */
const struct category *category_find(const struct categories *cs,
	    const char *s);

/* The category whose code is code exactly, or NULL. */
const struct category *category_get(const struct categories *cs,
	    const char *code);

/* Checks a code: 1-32 of a-z 0-9 - _.  Returns 1 if good. */
int	category_code_valid(const char *code);

/*
 * Parses "中文名 | English name | department" (the department may be
 * left out) into c for code.  Returns NULL, or what is wrong.
 */
const char *category_parse(const char *code, const char *value,
	    struct category *c);

/*
 * Adds c to cs, taking what it holds.  Returns NULL, or what is wrong
 * (its code or a name is another category's already), c then freed.
 */
const char *category_add(struct categories *cs, struct category *c);

/* Writes "fire, food, ..." into buf of size len, cut with "..." if long. */
void	category_codes(const struct categories *cs, char *buf, size_t len);

#endif
