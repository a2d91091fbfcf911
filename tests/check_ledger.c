/*
 * Unit tests of the ledger against a database made by the real schema:
 * each kind of change writes its rows and exactly the audit events it
 * should, a refused action writes nothing, and everything the ledger
 * writes is undone with the caller's transaction.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "ledger.h"
#include "photo.h"
#include "store.h"
#include "tempdb.h"
#include "xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* An instant of December 2026, and a day after. */
#define AT	1796000000
#define DAY	86400

static char		dbpath[64];
static int64_t		school_id, office_token, school_token;
static struct actor	office, school;

/* The trail of a hazard, as store_event_list reads it. */
struct trail {
	int	n;
	char	line[8][512];
};

/* Writes one event as a line: at actor role action from>to note changes. */
static int
trail_add(const struct hazard_event *e, void *arg)
{
	struct trail	*t = arg;

	ck_assert_int_lt(t->n, (int)NELEM(t->line));
	snprintf(t->line[t->n++], sizeof(t->line[0]), "%lld %s#%lld %s %s "
	    "%s>%s %s %s", (long long)(e->at - AT), e->actor,
	    (long long)e->token_id, e->role, hazard_action_name(e->action),
	    e->from_state < 0 ? "-" : hazard_state_name(e->from_state),
	    hazard_state_name(e->to_state), e->note ? e->note : "-",
	    e->changes ? e->changes : "-");
	return 0;
}

static void
trail_read(int64_t id, struct trail *t)
{
	memset(t, 0, sizeof(*t));
	ck_assert_int_eq(store_event_list(id, trail_add, t), STORE_OK);
}

/* The number of rows of a table. */
static int64_t
count(const char *table)
{
	sqlite3_stmt	*st;
	char		 sql[64];
	int64_t		 n;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	ck_assert_int_eq(sqlite3_prepare_v2(db_handle(), sql, -1, &st, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A report's fields as a client gives them; its strings are copies. */
static void
report_fill(struct hazard *h, enum hazard_grade grade)
{
	memset(h, 0, sizeof(*h));
	h->kind = KIND_HAZARD;
	h->school_id = school_id;
	h->grade = grade;
	h->text[FIELD_CATEGORY] = xstrdup("fire");
	h->text[FIELD_TITLE] = xstrdup("Blocked exit");
}

/* Reports a hazard as the school at AT.  Returns its id. */
static int64_t
report(enum hazard_grade grade)
{
	struct hazard	h;
	int64_t		id;

	report_fill(&h, grade);
	ck_assert_int_eq(ledger_report(&school, AT, &h, NULL, &id), STORE_OK);
	hazard_clear(&h);
	return id;
}

/* Loads hazard id, or fails. */
static void
load(int64_t id, struct hazard *h)
{
	ck_assert_int_eq(store_hazard_get(id, h), STORE_OK);
}

static void
setup(void)
{
	char	secret[TOKEN_TEXT_LEN];

	tempdb_open(dbpath, sizeof(dbpath), "check_ledger");
	ck_assert_int_eq(store_school_insert("S001", "第一中学", AT,
	    &school_id), STORE_OK);
	ck_assert_int_eq(ledger_token_issue("Ms Office", ROLE_OFFICE, 0, AT,
	    secret, &office_token), STORE_OK);
	ck_assert_int_eq(ledger_token_issue("Mr School", ROLE_SCHOOL,
	    school_id, AT, secret, &school_token), STORE_OK);
	office = (struct actor){ office_token, "Ms Office", ROLE_OFFICE };
	school = (struct actor){ school_token, "Mr School", ROLE_SCHOOL };
}

static void
teardown(void)
{
	tempdb_remove(dbpath);
}

START_TEST(test_report)
{
	struct hazard	h;
	struct trail	t;
	int64_t		id, again;

	report_fill(&h, GRADE_GENERAL);
	ck_assert_int_eq(ledger_report(&school, AT, &h, "k-1", &id),
	    STORE_OK);
	ck_assert_int_eq(h.id, id);
	hazard_clear(&h);
	load(id, &h);
	ck_assert_int_eq(h.state, STATE_OPEN);
	ck_assert_int_eq(h.reported_at, AT);
	ck_assert_int_eq(h.updated_at, AT);
	ck_assert_int_eq(h.escalation, 0);
	ck_assert_str_eq(h.school, "S001");
	hazard_clear(&h);
	ck_assert_int_eq(store_hazard_find_key(school_id, "k-1", &again),
	    STORE_OK);
	ck_assert_int_eq(again, id);
	trail_read(id, &t);
	ck_assert_int_eq(t.n, 1);
	ck_assert_str_eq(t.line[0], "0 Mr School#2 school report ->open "
	    "- -");
}
END_TEST

START_TEST(test_act)
{
	struct hazard	 h;
	struct trail	 t;
	const char	*missing = NULL;
	json_t		*changes;
	int64_t		 id = report(GRADE_MAJOR);

	/* A school may not verify: refused, nothing written. */
	load(id, &h);
	ck_assert_int_eq(ledger_act(&school, AT + DAY, &h, ACTION_VERIFY,
	    NULL, NULL, &missing, NULL), VERDICT_FORBIDDEN);
	ck_assert_int_eq(h.state, STATE_OPEN);
	hazard_clear(&h);
	ck_assert_int_eq(count("events"), 1);

	/* Rectified by the school, with its note. */
	load(id, &h);
	ck_assert_int_eq(ledger_act(&school, AT + DAY, &h, ACTION_RECTIFY,
	    "fixed", NULL, &missing, NULL), VERDICT_OK);
	hazard_clear(&h);
	load(id, &h);
	ck_assert_int_eq(h.state, STATE_RECTIFIED);
	ck_assert_int_eq(h.updated_at, AT + DAY);
	ck_assert_int_eq(h.closed_at, 0);

	/* Rectified again: a conflict of hazard.c's table. */
	ck_assert_int_eq(ledger_act(&school, AT + DAY, &h, ACTION_RECTIFY,
	    "again", NULL, &missing, NULL), VERDICT_CONFLICT);

	/* A major hazard is not closed without its plan. */
	ck_assert_int_eq(ledger_act(&office, AT + 2 * DAY, &h, ACTION_VERIFY,
	    NULL, NULL, &missing, NULL), VERDICT_INCOMPLETE);
	ck_assert_str_eq(missing, "plan");
	hazard_clear(&h);
	ck_assert_int_eq(count("events"), 2);

	/* An assessment as the handler applies it, then the close. */
	load(id, &h);
	changes = json_pack("{s:[n,s], s:[n,s]}", "plan", "new door",
	    "assessment", "low");
	h.text[FIELD_PLAN] = xstrdup("new door");
	h.text[FIELD_ASSESSMENT] = xstrdup("low");
	ck_assert_int_eq(ledger_act(&office, AT + 2 * DAY, &h, ACTION_ASSESS,
	    NULL, changes, &missing, NULL), VERDICT_OK);
	json_decref(changes);
	ck_assert_int_eq(h.state, STATE_RECTIFIED);
	/* An empty object of changes is none. */
	changes = json_object();
	ck_assert_int_eq(ledger_act(&office, AT + 3 * DAY, &h, ACTION_VERIFY,
	    "checked", changes, &missing, NULL), VERDICT_OK);
	json_decref(changes);
	hazard_clear(&h);
	load(id, &h);
	ck_assert_int_eq(h.state, STATE_CLOSED);
	ck_assert_int_eq(h.closed_at, AT + 3 * DAY);
	ck_assert_int_eq(h.cancelled_at, 0);
	ck_assert_str_eq(h.text[FIELD_PLAN], "new door");
	hazard_clear(&h);

	trail_read(id, &t);
	ck_assert_int_eq(t.n, 4);
	ck_assert_str_eq(t.line[0], "0 Mr School#2 school report ->open "
	    "- -");
	ck_assert_str_eq(t.line[1], "86400 Mr School#2 school rectify "
	    "open>rectified fixed -");
	ck_assert_str_eq(t.line[2], "172800 Ms Office#1 office assess "
	    "rectified>rectified - "
	    "{\"plan\":[null,\"new door\"],\"assessment\":[null,\"low\"]}");
	ck_assert_str_eq(t.line[3], "259200 Ms Office#1 office verify "
	    "rectified>closed checked -");
}
END_TEST

START_TEST(test_cancel)
{
	struct hazard	 h;
	const char	*missing = NULL;
	int64_t		 id = report(GRADE_GENERAL);

	load(id, &h);
	ck_assert_int_eq(ledger_act(&office, AT + DAY, &h, ACTION_CANCEL,
	    "duplicate", NULL, &missing, NULL), VERDICT_OK);
	hazard_clear(&h);
	load(id, &h);
	ck_assert_int_eq(h.state, STATE_CANCELLED);
	ck_assert_int_eq(h.cancelled_at, AT + DAY);
	ck_assert_int_eq(h.closed_at, 0);
	hazard_clear(&h);
}
END_TEST

START_TEST(test_escalate)
{
	struct hazard	h;
	struct trail	t;
	int64_t		id = report(GRADE_GENERAL);

	load(id, &h);
	ck_assert_int_eq(ledger_escalate(&ledger_hazardd, AT + DAY, &h,
	    "Works", "2026-12"), STORE_OK);
	hazard_clear(&h);
	load(id, &h);
	ck_assert_int_eq(h.escalation, 1);
	ck_assert_int_eq(h.updated_at, AT + DAY);
	ck_assert_int_eq(h.state, STATE_OPEN);
	ck_assert_str_eq(h.text[FIELD_DEPARTMENT], "Works");
	/* A department once given stays. */
	ck_assert_int_eq(ledger_escalate(&ledger_hazardd, AT + 2 * DAY, &h,
	    "Other", "2027-01"), STORE_OK);
	hazard_clear(&h);
	load(id, &h);
	ck_assert_int_eq(h.escalation, 2);
	ck_assert_str_eq(h.text[FIELD_DEPARTMENT], "Works");
	hazard_clear(&h);

	trail_read(id, &t);
	ck_assert_int_eq(t.n, 3);
	ck_assert_str_eq(t.line[1], "86400 hazardd#0 system escalate "
	    "open>open 2026-12 "
	    "{\"escalation\":[0,1],\"department\":[null,\"Works\"]}");
	ck_assert_str_eq(t.line[2], "172800 hazardd#0 system escalate "
	    "open>open 2027-01 {\"escalation\":[1,2]}");
}
END_TEST

/* Each state an imported row may have, and the trail it is given. */
static const struct {
	enum hazard_state	 state;
	int			 n;
	const char		*line[3];
} import_cases[] = {
	{ STATE_OPEN, 1, { "0 Ms Office#1 office report ->open "
	    "imported -" } },
	{ STATE_RECTIFIED, 2, { "0 Ms Office#1 office report ->open "
	    "imported -", "0 Ms Office#1 office rectify open>rectified "
	    "imported -" } },
	{ STATE_CLOSED, 3, { "0 Ms Office#1 office report ->open "
	    "imported -", "86400 Ms Office#1 office rectify "
	    "open>rectified imported -", "86400 Ms Office#1 office verify "
	    "rectified>closed imported -" } },
	{ STATE_CANCELLED, 2, { "0 Ms Office#1 office report ->open "
	    "imported -", "172800 Ms Office#1 office cancel "
	    "open>cancelled imported -" } },
};

START_TEST(test_import)
{
	struct hazard	h;
	struct trail	t;
	char		key[16];
	int64_t		id;
	int		i;

	ck_assert_int_eq(db_begin(), 0);
	ck_assert_int_eq(store_import_begin(), STORE_OK);
	for (i = 0; i < (int)NELEM(import_cases); i++) {
		report_fill(&h, GRADE_GENERAL);
		h.state = import_cases[i].state;
		h.reported_at = AT;
		h.updated_at = AT + DAY;
		if (h.state == STATE_CLOSED)
			h.closed_at = AT + DAY;
		if (h.state == STATE_CANCELLED)
			h.cancelled_at = AT + 2 * DAY;
		snprintf(key, sizeof(key), "row-%d", i);
		ck_assert_int_eq(ledger_import(&office, &h, NULL, key, &id),
		    STORE_OK);
		hazard_clear(&h);
		load(id, &h);
		ck_assert_int_eq(h.state, import_cases[i].state);
		hazard_clear(&h);
		trail_read(id, &t);
		ck_assert_int_eq(t.n, import_cases[i].n);
		while (t.n-- > 0)
			ck_assert_str_eq(t.line[t.n],
			    import_cases[i].line[t.n]);
	}
	store_import_end();
	ck_assert_int_eq(db_commit(), 0);
	ck_assert_int_eq(count("hazards"), NELEM(import_cases));
}
END_TEST

/* What the ledger writes goes with the caller's transaction. */
/* What photo_seen collects of a hazard's photos. */
struct photos {
	int		n;
	struct photo	p[4];
};

static int
photo_seen(const struct photo *p, void *arg)
{
	struct photos	*ps = arg;

	ck_assert_int_lt(ps->n, (int)NELEM(ps->p));
	ps->p[ps->n++] = *p;
	return 0;
}

/*
 * A photo: its event "photo" in the hazard's state, by its actor,
 * noted with its stage, and its row pointing at that event; the
 * hazard itself unchanged; undone with the caller's transaction.
 */
START_TEST(test_photo)
{
	struct hazard	 h;
	struct trail	 t;
	struct photos	 ps;
	struct photo	 p;
	int64_t		 id = report(GRADE_GENERAL);

	load(id, &h);
	memset(&p, 0, sizeof(p));
	p.stage = PHOTO_AFTER;
	p.type = PHOTO_WEBP;
	p.size = 1234;
	memset(p.sha256, 'a', 64);
	ck_assert_int_eq(ledger_photo(&school, AT + DAY, &h, &p), STORE_OK);
	ck_assert_int_gt(p.id, 0);
	hazard_clear(&h);
	trail_read(id, &t);
	ck_assert_int_eq(t.n, 2);
	ck_assert_str_eq(t.line[1], "86400 Mr School#2 school photo "
	    "open>open after -");
	memset(&ps, 0, sizeof(ps));
	ck_assert_int_eq(store_photo_list(id, photo_seen, &ps), STORE_OK);
	ck_assert_int_eq(ps.n, 1);
	ck_assert_int_eq(ps.p[0].id, p.id);
	ck_assert_int_eq(ps.p[0].school_id, school_id);
	ck_assert_int_eq(ps.p[0].stage, PHOTO_AFTER);
	ck_assert_int_eq(ps.p[0].type, PHOTO_WEBP);
	ck_assert_int_eq(ps.p[0].size, 1234);
	ck_assert_int_eq(ps.p[0].at, AT + DAY);
	ck_assert_int_eq(ps.p[0].token_id, school_token);
	ck_assert_int_eq(ps.p[0].event_id, p.event_id);
	ck_assert_int_eq(store_photo_count(id, PHOTO_AFTER, 0), 1);
	ck_assert_int_eq(store_photo_count(id, PHOTO_BEFORE, 0), 0);
	ck_assert_int_eq(store_photo_count(id, PHOTO_AFTER, p.event_id), 0);
	ck_assert_int_eq(store_photo_known(p.sha256), 1);
	load(id, &h);
	ck_assert_int_eq(h.state, STATE_OPEN);
	ck_assert_int_eq(h.updated_at, AT);

	/* The caller's rollback takes both away. */
	ck_assert_int_eq(db_begin(), 0);
	ck_assert_int_eq(ledger_photo(&school, AT + DAY, &h, &p), STORE_OK);
	ck_assert_int_eq(count("photos"), 2);
	db_rollback();
	ck_assert_int_eq(count("photos"), 1);
	ck_assert_int_eq(count("events"), 2);
	hazard_clear(&h);
}
END_TEST

START_TEST(test_caller_transaction)
{
	struct hazard	 h;
	const char	*missing = NULL;
	int64_t		 id = report(GRADE_GENERAL);

	ck_assert_int_eq(db_begin(), 0);
	report(GRADE_GENERAL);
	load(id, &h);
	ck_assert_int_eq(ledger_act(&school, AT + DAY, &h, ACTION_RECTIFY,
	    "fixed", NULL, &missing, NULL), VERDICT_OK);
	ck_assert_int_eq(ledger_escalate(&ledger_hazardd, AT + DAY, &h,
	    "Works", "2026-12"), STORE_OK);
	hazard_clear(&h);
	ck_assert_int_eq(count("hazards"), 2);
	ck_assert_int_eq(count("events"), 4);
	db_rollback();
	ck_assert_int_eq(count("hazards"), 1);
	ck_assert_int_eq(count("events"), 1);
	load(id, &h);
	ck_assert_int_eq(h.state, STATE_OPEN);
	ck_assert_int_eq(h.escalation, 0);
	hazard_clear(&h);
}
END_TEST

START_TEST(test_tokens)
{
	struct principal	p;
	uint8_t			hash[TOKEN_HASH_LEN];
	char			secret[TOKEN_TEXT_LEN];
	int64_t			id;

	ck_assert_int_eq(ledger_token_issue("Mrs Head", ROLE_SCHOOL,
	    school_id, AT, secret, &id), STORE_OK);
	ck_assert_int_eq(id, 3);
	ck_assert_int_eq(token_hash(secret, strlen(secret), hash), 0);
	ck_assert_int_eq(store_token_find(hash, &p), STORE_OK);
	ck_assert_int_eq(p.token_id, id);
	ck_assert_int_eq(p.role, ROLE_SCHOOL);
	ck_assert_int_eq(p.school_id, school_id);
	ck_assert_str_eq(p.name, "Mrs Head");
	ck_assert_int_eq(ledger_token_revoke(id, AT + DAY), STORE_OK);
	ck_assert_int_eq(store_token_find(hash, &p), STORE_NOTFOUND);
	/* Revoked already, or never issued. */
	ck_assert_int_eq(ledger_token_revoke(id, AT + 2 * DAY),
	    STORE_NOTFOUND);
	ck_assert_int_eq(ledger_token_revoke(99, AT), STORE_NOTFOUND);
	/* No audit event: a token's row is its record. */
	ck_assert_int_eq(count("events"), 0);
}
END_TEST

START_TEST(test_role_names)
{
	ck_assert_str_eq(ledger_role_name(&office), "office");
	ck_assert_str_eq(ledger_role_name(&school), "school");
	ck_assert_str_eq(ledger_role_name(&ledger_hazardd), "system");
}
END_TEST

static Suite *
ledger_suite(void)
{
	Suite	*s = suite_create("ledger");
	TCase	*tc = tcase_create("changes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_act);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_escalate);
	tcase_add_test(tc, test_import);
	tcase_add_test(tc, test_photo);
	tcase_add_test(tc, test_caller_transaction);
	tcase_add_test(tc, test_tokens);
	tcase_add_test(tc, test_role_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(ledger_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
