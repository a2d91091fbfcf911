/*
 * Request bodies: a report (POST /v1/hazards) and each action (POST
 * /v1/hazards/ID/ACTION) on the same bytes, through the daemon's own
 * checks (api_report_check, api_action_check).
 */
#include <jansson.h>

#include "api.h"
#include "utf8.h"
#include "xmalloc.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_timezone();
	return 0;
}

/* A refusal is one SPEC names: 400 malformed or 422 with a message. */
static void
check_refusal(const struct refusal *why)
{
	FUZZ_CHECK(why->status == 400 || why->status == 422);
	FUZZ_CHECK(why->message[0] != '\0');
}

/* A text value taken is whole (no NUL inside) and good for its field. */
static void
check_text(json_t *body, const char *name, int f, const char *s)
{
	json_t	*v = json_object_get(body, name);

	FUZZ_CHECK(v != NULL && json_is_string(v));
	FUZZ_CHECK(json_string_length(v) == strlen(s));
	if (f >= 0)
		FUZZ_CHECK(hazard_field_check(f, s, strlen(s)) == NULL);
	else
		FUZZ_CHECK(utf8_count(s, strlen(s)) >= 0);
}

/* The report as a client would send it again: every member it took. */
static json_t *
report_json(const struct hazard *h, const char *school, const char *key)
{
	json_t	*o = json_object();
	int	 f;

	json_object_set_new(o, "kind", json_string(hazard_kind_name(h->kind)));
	json_object_set_new(o, "grade",
	    json_string(hazard_grade_name(h->grade)));
	for (f = 0; f < FIELD__MAX; f++)
		if (h->text[f] != NULL)
			json_object_set_new(o, hazard_field_name(f),
			    json_string(h->text[f]));
	if (school != NULL)
		json_object_set_new(o, "school", json_string(school));
	if (key != NULL)
		json_object_set_new(o, "key", json_string(key));
	return o;
}

/* Two reports are the same report. */
static void
check_same(const struct hazard *a, const char *sa, const char *ka,
    const struct hazard *b, const char *sb, const char *kb)
{
	int	f;

	FUZZ_CHECK(a->kind == b->kind && a->grade == b->grade);
	for (f = 0; f < FIELD__MAX; f++) {
		FUZZ_CHECK((a->text[f] == NULL) == (b->text[f] == NULL));
		if (a->text[f] != NULL)
			FUZZ_CHECK(strcmp(a->text[f], b->text[f]) == 0);
	}
	FUZZ_CHECK((sa == NULL) == (sb == NULL));
	FUZZ_CHECK(sa == NULL || strcmp(sa, sb) == 0);
	FUZZ_CHECK((ka == NULL) == (kb == NULL));
	FUZZ_CHECK(ka == NULL || strcmp(ka, kb) == 0);
}

static void
fuzz_report(const char *data, size_t len)
{
	struct hazard	 h, h2;
	struct refusal	 why;
	const char	*school, *key, *school2, *key2;
	json_t		*body, *again, *body2;
	char		*text;
	int		 f, flags;

	if ((body = api_report_check(data, len, &h, &school, &key,
	    &why)) == NULL) {
		check_refusal(&why);
		/* Every member a report refuses is named. */
		FUZZ_CHECK(why.status == 400 || why.field != NULL);
		return;
	}
	FUZZ_CHECK(hazard_kind_name(h.kind) != NULL);
	FUZZ_CHECK(hazard_grade_name(h.grade) != NULL);
	FUZZ_CHECK(h.text[FIELD_TITLE] != NULL);
	FUZZ_CHECK(h.text[FIELD_CATEGORY] != NULL);
	for (f = 0; f < FIELD__MAX; f++)
		if (h.text[f] != NULL)
			check_text(body, hazard_field_name(f), f, h.text[f]);
	if (school != NULL)
		check_text(body, "school", -1, school);
	if (key != NULL)
		FUZZ_CHECK(hazard_key_valid(key));

	/* Written out again (escaped to ASCII or not), it is the same. */
	again = report_json(&h, school, key);
	for (flags = 0; flags < 2; flags++) {
		text = json_dumps(again, JSON_COMPACT |
		    (flags ? JSON_ENSURE_ASCII : 0));
		FUZZ_CHECK(text != NULL);
		body2 = api_report_check(text, strlen(text), &h2, &school2,
		    &key2, &why);
		FUZZ_CHECK(body2 != NULL);
		check_same(&h, school, key, &h2, school2, key2);
		json_decref(body2);
		free(text);
	}
	json_decref(again);
	json_decref(body);
}

static void
fuzz_action(enum hazard_action a, const char *data, size_t len)
{
	struct hazard	 h;
	struct refusal	 why;
	json_t		*changes;
	int		 f;

	memset(&h, 0, sizeof(h));
	h.grade = GRADE_GENERAL;
	changes = json_object();
	if (api_action_check(a, data, len, &h, changes, &why) == -1) {
		check_refusal(&why);
		json_decref(changes);
		hazard_clear(&h);
		return;
	}
	FUZZ_CHECK(hazard_grade_name(h.grade) != NULL);
	for (f = 0; f < FIELD__MAX; f++)
		if (h.text[f] != NULL)
			FUZZ_CHECK(hazard_field_check(f, h.text[f],
			    strlen(h.text[f])) == NULL);
	if (a != ACTION_ASSESS)
		FUZZ_CHECK(json_object_size(changes) == 0);
	/* The same assessment again changes nothing. */
	json_object_clear(changes);
	FUZZ_CHECK(api_action_check(a, data, len, &h, changes, &why) == 0);
	FUZZ_CHECK(json_object_size(changes) == 0);
	json_decref(changes);
	hazard_clear(&h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int	a;

	fuzz_report((const char *)data, len);
	for (a = ACTION_ASSESS; a <= ACTION_CANCEL; a++)
		fuzz_action(a, (const char *)data, len);
	return 0;
}
