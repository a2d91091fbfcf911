/*
 * The vocabulary of safety activities: the types the district's
 * self-assessment counts (drills, safety lessons, responsibility
 * agreements, inspections, trainings, early warnings) and the subtypes
 * of a drill, each a code (what the database stores and the wire
 * carries), a Chinese name and an English name.  Both programs need it:
 * the daemon checks what it is given, hazardctl says the names.  Pure.
 */
#ifndef HAZARD_ACTIVITY_H
#define HAZARD_ACTIVITY_H

#include <stddef.h>

struct activity_kind {
	const char	*code;
	const char	*zh;
	const char	*en;
	const char	*unit_zh;	/* what its count counts */
	const char	*unit_en;
	const char	*unit_en1;	/* the same, of a count of 1 */
};

/* The types, in the order the self-assessment names them; NULL ends. */
extern const struct activity_kind activity_types[];

/* The subtypes of a drill; NULL ends. */
extern const struct activity_kind activity_drill_subtypes[];

/* The code of the type a drill is, and of an early warning. */
#define ACTIVITY_DRILL		"drill"
#define ACTIVITY_WARNING	"warning"

/* How many types and drill subtypes there are. */
#define ACTIVITY_TYPES		6
#define ACTIVITY_SUBTYPES	8

/* The unit of n of k, in English (en) or Chinese: "1 time", "2 times". */
const char *activity_unit(const struct activity_kind *k, long long n,
    int en);

/*
 * The type that s names: its code, or its Chinese or English name (code
 * and English name without regard to ASCII case); NULL if none.
 */
const struct activity_kind *activity_type_find(const char *s);

/* The same for a subtype of type (only a drill has any); NULL if none. */
const struct activity_kind *activity_subtype_find(const char *type,
	    const char *s);

/* The index of a type's code in activity_types[], or -1. */
int	activity_type_index(const char *code);

/* The index of a drill subtype's code, or -1. */
int	activity_subtype_index(const char *code);

/* Writes "code, code, ..." of list into buf of size len. */
void	activity_codes(const struct activity_kind *list, char *buf,
	    size_t len);

#endif
