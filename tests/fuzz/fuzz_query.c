/*
 * What a URL brings: a path id (http_parse_id) and the query string of
 * GET /v1/hazards (evhttp_parse_query_str, then api_list_check, our own
 * checks of its values).  The input is "ID?QUERY"; without a '?' all of
 * it is tried as both.
 */
#include <inttypes.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api.h"
#include "date.h"
#include "xmalloc.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_timezone();
	return 0;
}

/* A path id: 1 to 2^53 in decimal, no sign, no leading zero. */
static void
fuzz_id(const char *s)
{
	int64_t		 id = http_parse_id(s);
	size_t		 n = strlen(s), i;
	int		 canonical = n >= 1 && n <= 16 && s[0] != '0';
	char		 buf[32];

	for (i = 0; canonical && i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			canonical = 0;
	if (canonical && strtoull(s, NULL, 10) > (UINT64_C(1) << 53))
		canonical = 0;
	FUZZ_CHECK((id != 0) == canonical);
	if (id != 0) {
		snprintf(buf, sizeof(buf), "%" PRId64, id);
		FUZZ_CHECK(strcmp(buf, s) == 0);
	}
}

/*
 * Appends "&name=VALUE" to the query being made, VALUE encoded (libevent
 * decodes values, not names).
 */
static void
add(char **q, const char *name, const char *value)
{
	char	*enc, *joined;

	if ((enc = evhttp_uriencode(value, -1, 0)) == NULL)
		abort();
	xasprintf(&joined, "%s%s%s=%s", *q, **q == '\0' ? "" : "&", name,
	    enc);
	free(enc);
	free(*q);
	*q = joined;
}

/* The pairs of a parsed query, encoded and parsed again, are the same. */
static void
check_query_roundtrip(const struct evkeyvalq *q)
{
	struct evkeyvalq	 q2;
	struct evkeyval		*kv, *kv2;
	char			*s = xstrdup("");

	TAILQ_FOREACH(kv, q, next)
		add(&s, kv->key, kv->value);
	TAILQ_INIT(&q2);
	FUZZ_CHECK(evhttp_parse_query_str(s, &q2) == 0);
	kv2 = TAILQ_FIRST(&q2);
	TAILQ_FOREACH(kv, q, next) {
		FUZZ_CHECK(kv2 != NULL);
		FUZZ_CHECK(strcmp(kv->key, kv2->key) == 0);
		FUZZ_CHECK(strcmp(kv->value, kv2->value) == 0);
		kv2 = TAILQ_NEXT(kv2, next);
	}
	FUZZ_CHECK(kv2 == NULL);
	evhttp_clear_headers(&q2);
	free(s);
}

/* The filter written as a query of its own. */
static char *
filter_query(const struct hazard_filter *f, long limit,
    const struct evkeyvalq *q)
{
	const char	*v;
	char		*s = xstrdup(""), buf[64];

	if (f->kind != -1)
		add(&s, "kind", hazard_kind_name(f->kind));
	if (f->state != -1)
		add(&s, "state", hazard_state_name(f->state));
	if (f->grade != -1)
		add(&s, "grade", hazard_grade_name(f->grade));
	if (f->overdue)
		add(&s, "overdue", "1");
	if (f->category != NULL)
		add(&s, "category", f->category);
	/* A date that parses is already written the one way. */
	if ((v = evhttp_find_header(q, "since")) != NULL)
		add(&s, "since", v);
	if ((v = evhttp_find_header(q, "until")) != NULL)
		add(&s, "until", v);
	if ((v = evhttp_find_header(q, "school")) != NULL)
		add(&s, "school", v);
	if (f->search != NULL)
		add(&s, "search", f->search);
	if (f->has_due) {
		snprintf(buf, sizeof(buf), "%d", f->due_days);
		add(&s, "due_within", buf);
	}
	if (f->sort == SORT_DEADLINE)
		add(&s, "sort", "deadline");
	snprintf(buf, sizeof(buf), "%ld", limit);
	add(&s, "limit", buf);
	if (f->has_cursor && f->sort == SORT_DEADLINE) {
		snprintf(buf, sizeof(buf), "d%s.%" PRId64,
		    f->cursor_deadline, f->cursor_id);
		add(&s, "cursor", buf);
	} else if (f->has_cursor) {
		snprintf(buf, sizeof(buf), "%lld.%" PRId64,
		    (long long)f->cursor_at, f->cursor_id);
		add(&s, "cursor", buf);
	}
	return s;
}

static void
fuzz_list(const char *query)
{
	struct evkeyvalq	 q, q2;
	struct hazard_filter	 f, f2;
	struct refusal		 why;
	long			 limit, limit2;
	char			*norm;

	if (api_list_check(query, &q, &f, &limit, &why) == -1) {
		FUZZ_CHECK(why.status == 400 || why.status == 422);
		FUZZ_CHECK(why.status == 400 || why.field != NULL);
		if (why.status != 400)
			check_query_roundtrip(&q);
		evhttp_clear_headers(&q);
		return;
	}
	check_query_roundtrip(&q);
	FUZZ_CHECK(f.kind == -1 || hazard_kind_name(f.kind) != NULL);
	FUZZ_CHECK(f.state == -1 || hazard_state_name(f.state) != NULL);
	FUZZ_CHECK(f.grade == -1 || hazard_grade_name(f.grade) != NULL);
	FUZZ_CHECK(limit >= 1 && limit <= 500);
	FUZZ_CHECK(!f.has_since || !f.has_until || f.since < f.until);
	FUZZ_CHECK(!f.has_cursor || (f.cursor_at >= 0 && f.cursor_id > 0));
	if (f.category != NULL)
		FUZZ_CHECK(hazard_field_check(FIELD_CATEGORY, f.category,
		    strlen(f.category)) == NULL);

	/* Its normal form is taken too, as the same filter. */
	norm = filter_query(&f, limit, &q);
	FUZZ_CHECK(api_list_check(norm, &q2, &f2, &limit2, &why) == 0);
	FUZZ_CHECK(f.kind == f2.kind && f.state == f2.state &&
	    f.grade == f2.grade && f.overdue == f2.overdue);
	FUZZ_CHECK((f.category == NULL) == (f2.category == NULL));
	FUZZ_CHECK(f.category == NULL ||
	    strcmp(f.category, f2.category) == 0);
	FUZZ_CHECK(f.has_since == f2.has_since && f.since == f2.since);
	FUZZ_CHECK(f.has_until == f2.has_until && f.until == f2.until);
	FUZZ_CHECK(f.has_cursor == f2.has_cursor &&
	    f.cursor_at == f2.cursor_at && f.cursor_id == f2.cursor_id &&
	    strcmp(f.cursor_deadline, f2.cursor_deadline) == 0);
	FUZZ_CHECK((f.search == NULL) == (f2.search == NULL));
	FUZZ_CHECK(f.search == NULL || strcmp(f.search, f2.search) == 0);
	FUZZ_CHECK(f.has_due == f2.has_due && f.due_days == f2.due_days);
	FUZZ_CHECK(f.sort == f2.sort);
	FUZZ_CHECK(limit == limit2);
	evhttp_clear_headers(&q2);
	evhttp_clear_headers(&q);
	free(norm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*s = fuzz_string(data, len), *mark;

	if ((mark = strchr(s, '?')) != NULL) {
		*mark = '\0';
		fuzz_id(s);
		fuzz_list(mark + 1);
	} else {
		fuzz_id(s);
		fuzz_list(s);
	}
	free(s);
	return 0;
}
