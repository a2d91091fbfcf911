/*
 * The JSON shapes that more than one part gives out: the handlers of
 * the API and the digests include this, not each other.
 */
#ifndef HAZARDD_SHAPE_H
#define HAZARDD_SHAPE_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "category.h"
#include "hazard.h"

/* The JSON object of a hazard, as SPEC names its fields. */
json_t	*shape_hazard(const struct hazard *h, const char *today);

/* The JSON rate object {"rectified", "identified", "rate", "text"}. */
json_t	*shape_rate(int64_t rectified, int64_t identified);

/* An instant as RFC 3339, or null for 0. */
json_t	*shape_time(time_t t);

/*
 * A string, or null for NULL.  The string is not checked as UTF-8: it
 * must have been (hazard_field_check), or be ours.
 */
json_t	*shape_text(const char *s);

/*
 * The names of the categories by code, {"fire": {"zh", "en"}, ...}: a
 * copy, which outlives a reload that frees the configuration.
 */
json_t	*shape_category_names(const struct categories *cs);

#endif
