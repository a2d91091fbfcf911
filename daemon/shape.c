/*
 * The JSON shapes that more than one part gives out: a hazard, a rate,
 * an instant, a text, the categories' names.  The API's handlers and the digests both take
 * them from here, so that neither reaches into the other.
 */
#include <stdint.h>

#include "date.h"
#include "rate.h"
#include "shape.h"

/*
 * What the database holds was checked as UTF-8 text when it came in
 * (hazard_field_check): jansson need not check it again on every answer.
 */
json_t *
shape_text(const char *s)
{
	return s == NULL ? json_null() : json_string_nocheck(s);
}

json_t *
shape_time(time_t t)
{
	char	buf[RFC3339_LEN + 8];

	if (t == 0)
		return json_null();
	return json_string_nocheck(date_rfc3339(buf, sizeof(buf), t));
}

json_t *
shape_category_names(const struct categories *cs)
{
	json_t	*o = json_object();
	size_t	 i;

	for (i = 0; i < cs->n; i++)
		json_object_set_new(o, cs->list[i].code, json_pack("{s:s, s:s}",
		    "zh", cs->list[i].zh, "en", cs->list[i].en));
	return o;
}

/* The keys are ours, plain ASCII. */
#define set(o, k, v)	json_object_set_new_nocheck((o), (k), (v))

json_t *
shape_hazard(const struct hazard *h, const char *today)
{
	json_t	*o;
	int	 i;

	o = json_object();
	set(o, "id", json_integer(h->id));
	set(o, "kind", json_string_nocheck(hazard_kind_name(h->kind)));
	set(o, "school", shape_text(h->school));
	set(o, "school_name", shape_text(h->school_name));
	set(o, "grade", json_string_nocheck(hazard_grade_name(h->grade)));
	for (i = 0; i < FIELD__MAX; i++)
		set(o, hazard_field_name(i), shape_text(h->text[i]));
	set(o, "state", json_string_nocheck(hazard_state_name(h->state)));
	set(o, "overdue", json_boolean(hazard_overdue(h, today)));
	set(o, "escalation", json_integer(h->escalation));
	set(o, "reported_at", shape_time(h->reported_at));
	set(o, "updated_at", shape_time(h->updated_at));
	set(o, "closed_at", shape_time(h->closed_at));
	set(o, "rejected", h->rejected_at == 0 ? json_null() :
	    json_pack("{s:o, s:o, s:o}", "at", shape_time(h->rejected_at),
	    "by", shape_text(h->rejected_by), "note",
	    shape_text(h->reject_note)));
	return o;
}

#undef set


json_t *
shape_rate(int64_t rectified, int64_t identified)
{
	char	 text[RATE_TEXT_MAX];
	int64_t	 tenths;
	json_t	*o;

	tenths = rate_tenths((uint64_t)rectified, (uint64_t)identified);
	rate_format(text, sizeof(text), (uint64_t)rectified,
	    (uint64_t)identified);
	o = json_object();
	json_object_set_new(o, "rectified", json_integer(rectified));
	json_object_set_new(o, "identified", json_integer(identified));
	json_object_set_new(o, "rate", tenths < 0 ? json_null() :
	    tenths % 10 == 0 ? json_integer(tenths / 10) :
	    json_real((double)tenths / 10));
	json_object_set_new(o, "text", json_string(text));
	return o;
}
