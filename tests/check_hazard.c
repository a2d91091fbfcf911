/*
 * Unit tests of daemon/hazard.c (the closed loop, validation, names,
 * overdue) and of what it stands on: common/utf8.c and common/date.c.
 */
#include <check.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "hazard.h"
#include "period.h"
#include "utf8.h"
#include "wire.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Sets the process's time zone, as the daemon does from its config. */
static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Returns unit repeated n times, NUL-terminated; the caller frees it. */
static char *
repeat(const char *unit, size_t n)
{
	size_t	 len = strlen(unit), i;
	char	*s;

	s = malloc(len * n + 1);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

/* A name for messages, "?" for out of range. */
static const char *
nm(const char *name)
{
	return name != NULL ? name : "?";
}

/* ------------------------------------------------------------------ */
/* The closed loop: every state x action x role.                       */

/*
 * docs/API.md's action table: assess (office; open, rectified -> same),
 * rectify (office or school; open -> rectified), verify (office;
 * rectified -> closed), reject (office; rectified -> open), cancel
 * (office; open, rectified -> cancelled).  A school taking an office
 * action is forbidden whatever the state; any other state is a
 * conflict; report is never a transition.
 */
static const struct transition_case {
	enum hazard_state	from;
	enum hazard_action	action;
	enum hazard_role	role;
	enum hazard_verdict	verdict;
	enum hazard_state	to;	/* on VERDICT_OK */
} transition_cases[] = {
#define O	ROLE_OFFICE
#define S	ROLE_SCHOOL
#define OK	VERDICT_OK
#define FORB	VERDICT_FORBIDDEN
#define CONF	VERDICT_CONFLICT
#define NONE	STATE__MAX
	/* report: never a transition. */
	{ STATE_OPEN,		ACTION_REPORT,	O, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_REPORT,	O, CONF, NONE },
	{ STATE_CLOSED,		ACTION_REPORT,	O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_REPORT,	O, CONF, NONE },
	{ STATE_OPEN,		ACTION_REPORT,	S, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_REPORT,	S, CONF, NONE },
	{ STATE_CLOSED,		ACTION_REPORT,	S, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_REPORT,	S, CONF, NONE },
	/* assess: office; open, rectified -> the same state. */
	{ STATE_OPEN,		ACTION_ASSESS,	O, OK,   STATE_OPEN },
	{ STATE_RECTIFIED,	ACTION_ASSESS,	O, OK,   STATE_RECTIFIED },
	{ STATE_CLOSED,		ACTION_ASSESS,	O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_ASSESS,	O, CONF, NONE },
	{ STATE_OPEN,		ACTION_ASSESS,	S, FORB, NONE },
	{ STATE_RECTIFIED,	ACTION_ASSESS,	S, FORB, NONE },
	{ STATE_CLOSED,		ACTION_ASSESS,	S, FORB, NONE },
	{ STATE_CANCELLED,	ACTION_ASSESS,	S, FORB, NONE },
	/* rectify: office or school; open -> rectified. */
	{ STATE_OPEN,		ACTION_RECTIFY,	O, OK,   STATE_RECTIFIED },
	{ STATE_RECTIFIED,	ACTION_RECTIFY,	O, CONF, NONE },
	{ STATE_CLOSED,		ACTION_RECTIFY,	O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_RECTIFY,	O, CONF, NONE },
	{ STATE_OPEN,		ACTION_RECTIFY,	S, OK,   STATE_RECTIFIED },
	{ STATE_RECTIFIED,	ACTION_RECTIFY,	S, CONF, NONE },
	{ STATE_CLOSED,		ACTION_RECTIFY,	S, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_RECTIFY,	S, CONF, NONE },
	/* verify: office; rectified -> closed. */
	{ STATE_OPEN,		ACTION_VERIFY,	O, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_VERIFY,	O, OK,   STATE_CLOSED },
	{ STATE_CLOSED,		ACTION_VERIFY,	O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_VERIFY,	O, CONF, NONE },
	{ STATE_OPEN,		ACTION_VERIFY,	S, FORB, NONE },
	{ STATE_RECTIFIED,	ACTION_VERIFY,	S, FORB, NONE },
	{ STATE_CLOSED,		ACTION_VERIFY,	S, FORB, NONE },
	{ STATE_CANCELLED,	ACTION_VERIFY,	S, FORB, NONE },
	/* reject: office; rectified -> open. */
	{ STATE_OPEN,		ACTION_REJECT,	O, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_REJECT,	O, OK,   STATE_OPEN },
	{ STATE_CLOSED,		ACTION_REJECT,	O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_REJECT,	O, CONF, NONE },
	{ STATE_OPEN,		ACTION_REJECT,	S, FORB, NONE },
	{ STATE_RECTIFIED,	ACTION_REJECT,	S, FORB, NONE },
	{ STATE_CLOSED,		ACTION_REJECT,	S, FORB, NONE },
	{ STATE_CANCELLED,	ACTION_REJECT,	S, FORB, NONE },
	/* cancel: office; open, rectified -> cancelled. */
	{ STATE_OPEN,		ACTION_CANCEL,	O, OK,   STATE_CANCELLED },
	{ STATE_RECTIFIED,	ACTION_CANCEL,	O, OK,   STATE_CANCELLED },
	{ STATE_CLOSED,		ACTION_CANCEL,	O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_CANCEL,	O, CONF, NONE },
	{ STATE_OPEN,		ACTION_CANCEL,	S, FORB, NONE },
	{ STATE_RECTIFIED,	ACTION_CANCEL,	S, FORB, NONE },
	{ STATE_CLOSED,		ACTION_CANCEL,	S, FORB, NONE },
	{ STATE_CANCELLED,	ACTION_CANCEL,	S, FORB, NONE },
	/* escalate: the daemon's monthly dispatch, never a transition. */
	{ STATE_OPEN,		ACTION_ESCALATE, O, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_ESCALATE, O, CONF, NONE },
	{ STATE_CLOSED,		ACTION_ESCALATE, O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_ESCALATE, O, CONF, NONE },
	{ STATE_OPEN,		ACTION_ESCALATE, S, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_ESCALATE, S, CONF, NONE },
	{ STATE_CLOSED,		ACTION_ESCALATE, S, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_ESCALATE, S, CONF, NONE },
	/* A photo is no transition: it has its own route. */
	{ STATE_OPEN,		ACTION_PHOTO, O, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_PHOTO, O, CONF, NONE },
	{ STATE_CLOSED,		ACTION_PHOTO, O, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_PHOTO, O, CONF, NONE },
	{ STATE_OPEN,		ACTION_PHOTO, S, CONF, NONE },
	{ STATE_RECTIFIED,	ACTION_PHOTO, S, CONF, NONE },
	{ STATE_CLOSED,		ACTION_PHOTO, S, CONF, NONE },
	{ STATE_CANCELLED,	ACTION_PHOTO, S, CONF, NONE },
};

/* Runs one row against a hazard of the given grade, plan, assessment. */
static void
check_transition(const struct transition_case *c, enum hazard_grade grade,
    const char *plan, const char *assessment)
{
	struct hazard		 h;
	enum hazard_verdict	 v;
	enum hazard_state	 to = STATE__MAX;
	const char		*missing = NULL;

	memset(&h, 0, sizeof(h));
	h.state = c->from;
	h.grade = grade;
	h.text[FIELD_PLAN] = (char *)plan;
	h.text[FIELD_ASSESSMENT] = (char *)assessment;
	v = hazard_transition(&h, c->action, c->role, &to, &missing);
	ck_assert_msg(v == c->verdict,
	    "%s by %s from %s (%s): verdict %d, expected %d",
	    nm(hazard_action_name(c->action)),
	    c->role == ROLE_OFFICE ? "office" : "school",
	    nm(hazard_state_name(c->from)), nm(hazard_grade_name(grade)),
	    v, c->verdict);
	if (c->verdict == VERDICT_OK)
		ck_assert_msg(to == c->to, "%s by %s from %s: to %s, "
		    "expected %s", nm(hazard_action_name(c->action)),
		    c->role == ROLE_OFFICE ? "office" : "school",
		    nm(hazard_state_name(c->from)), nm(hazard_state_name(to)),
		    nm(hazard_state_name(c->to)));
	/* The hazard itself is never changed. */
	ck_assert_int_eq(h.state, c->from);
}

START_TEST(test_transition_general)
{
	check_transition(&transition_cases[_i], GRADE_GENERAL, NULL, NULL);
}
END_TEST

/* A major hazard with plan and assessment follows the same table. */
START_TEST(test_transition_major_complete)
{
	check_transition(&transition_cases[_i], GRADE_MAJOR,
	    "一案一策：疏通出口", "风险评估：较大");
}
END_TEST

/* The table covers every state, action and role exactly once. */
START_TEST(test_transition_table_complete)
{
	int	seen[STATE__MAX][ACTION__MAX][2];
	size_t	i;
	int	s, a, r;

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < NELEM(transition_cases); i++)
		seen[transition_cases[i].from][transition_cases[i].action]
		    [transition_cases[i].role == ROLE_OFFICE ? 0 : 1]++;
	for (s = 0; s < STATE__MAX; s++)
		for (a = 0; a < ACTION__MAX; a++)
			for (r = 0; r < 2; r++)
				ck_assert_int_eq(seen[s][a][r], 1);
}
END_TEST

/*
 * Who may act at all, asked before an action's body is read, agrees
 * with the table: a school may only rectify.
 */
START_TEST(test_action_permitted)
{
	size_t	i;
	int	a;

	for (a = 0; a < ACTION__MAX; a++)
		ck_assert_int_eq(hazard_action_permitted(a, ROLE_OFFICE), 1);
	ck_assert_int_eq(hazard_action_permitted(ACTION_RECTIFY, ROLE_SCHOOL),
	    1);
	ck_assert_int_eq(hazard_action_permitted(ACTION_ASSESS, ROLE_SCHOOL),
	    0);
	ck_assert_int_eq(hazard_action_permitted(ACTION_VERIFY, ROLE_SCHOOL),
	    0);
	ck_assert_int_eq(hazard_action_permitted(ACTION_REJECT, ROLE_SCHOOL),
	    0);
	ck_assert_int_eq(hazard_action_permitted(ACTION_CANCEL, ROLE_SCHOOL),
	    0);
	ck_assert_int_eq(hazard_action_permitted(ACTION__MAX, ROLE_OFFICE),
	    0);
	for (i = 0; i < NELEM(transition_cases); i++) {
		if (transition_cases[i].action == ACTION_REPORT)
			continue;
		ck_assert_int_eq(transition_cases[i].verdict ==
		    VERDICT_FORBIDDEN, !hazard_action_permitted(
		    transition_cases[i].action, transition_cases[i].role));
	}
}
END_TEST

/* Out-of-range actions are conflicts, never a crash or an OK. */
START_TEST(test_transition_out_of_range)
{
	struct hazard		 h;
	enum hazard_state	 to = STATE__MAX;
	const char		*missing = NULL;

	memset(&h, 0, sizeof(h));
	h.state = STATE_OPEN;
	ck_assert_int_eq(hazard_transition(&h, ACTION__MAX, ROLE_OFFICE, &to,
	    &missing), VERDICT_CONFLICT);
	ck_assert_int_eq(hazard_transition(&h, (enum hazard_action)-1,
	    ROLE_OFFICE, &to, &missing), VERDICT_CONFLICT);
	h.state = STATE__MAX;
	ck_assert_int_eq(hazard_transition(&h, ACTION_RECTIFY, ROLE_OFFICE,
	    &to, &missing), VERDICT_CONFLICT);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The major-hazard rule: no closing without plan and assessment.      */

static const struct major_case {
	enum hazard_grade	 grade;
	enum hazard_state	 from;
	enum hazard_action	 action;
	enum hazard_role	 role;
	const char		*plan;
	const char		*assessment;
	enum hazard_verdict	 verdict;
	enum hazard_state	 to;
	const char		*missing;	/* on VERDICT_INCOMPLETE */
} major_cases[] = {
#define INC	VERDICT_INCOMPLETE
#define RECT	STATE_RECTIFIED
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, NULL, NULL, INC, NONE, "plan" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, NULL, "评估", INC, NONE, "plan" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "", "评估", INC, NONE, "plan" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, " ", "评估", INC, NONE, "plan" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, " \t\r\n\v\f ", "评估", INC,
	    NONE, "plan" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "方案", NULL, INC, NONE,
	    "assessment" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "方案", "", INC, NONE,
	    "assessment" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "方案", "\t \n", INC, NONE,
	    "assessment" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "\u3000", "评估", INC, NONE,
	    "plan" },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "  方案  ", "评估", OK,
	    STATE_CLOSED, NULL },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "plan", "assessment", OK,
	    STATE_CLOSED, NULL },
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, O, "x", "y", OK, STATE_CLOSED,
	    NULL },
	/* A general hazard closes without either. */
	{ GRADE_GENERAL, RECT, ACTION_VERIFY, O, NULL, NULL, OK,
	    STATE_CLOSED, NULL },
	{ GRADE_GENERAL, RECT, ACTION_VERIFY, O, " ", "", OK, STATE_CLOSED,
	    NULL },
	/* The rule only stops closing; the rest of the loop goes on. */
	{ GRADE_MAJOR, RECT, ACTION_REJECT, O, NULL, NULL, OK, STATE_OPEN,
	    NULL },
	{ GRADE_MAJOR, RECT, ACTION_CANCEL, O, NULL, NULL, OK,
	    STATE_CANCELLED, NULL },
	{ GRADE_MAJOR, RECT, ACTION_ASSESS, O, NULL, NULL, OK, RECT, NULL },
	{ GRADE_MAJOR, STATE_OPEN, ACTION_RECTIFY, S, NULL, NULL, OK, RECT,
	    NULL },
	{ GRADE_MAJOR, STATE_OPEN, ACTION_ASSESS, O, NULL, NULL, OK,
	    STATE_OPEN, NULL },
	/* Role and state are decided before completeness. */
	{ GRADE_MAJOR, RECT, ACTION_VERIFY, S, NULL, NULL, FORB, NONE, NULL },
	{ GRADE_MAJOR, STATE_OPEN, ACTION_VERIFY, O, NULL, NULL, CONF, NONE,
	    NULL },
	{ GRADE_MAJOR, STATE_CLOSED, ACTION_VERIFY, O, NULL, NULL, CONF, NONE,
	    NULL },
	{ GRADE_MAJOR, STATE_CANCELLED, ACTION_VERIFY, O, NULL, NULL, CONF,
	    NONE, NULL },
#undef RECT
#undef INC
#undef NONE
#undef CONF
#undef FORB
#undef OK
#undef S
#undef O
};

START_TEST(test_transition_major)
{
	const struct major_case	*c = &major_cases[_i];
	struct hazard		 h;
	enum hazard_verdict	 v;
	enum hazard_state	 to = STATE__MAX;
	const char		*missing = NULL;

	memset(&h, 0, sizeof(h));
	h.grade = c->grade;
	h.state = c->from;
	h.text[FIELD_PLAN] = (char *)c->plan;
	h.text[FIELD_ASSESSMENT] = (char *)c->assessment;
	v = hazard_transition(&h, c->action, c->role, &to, &missing);
	ck_assert_msg(v == c->verdict, "case %d: %s of a %s %s hazard, plan "
	    "\"%s\", assessment \"%s\": verdict %d, expected %d", _i,
	    nm(hazard_action_name(c->action)), nm(hazard_grade_name(c->grade)),
	    nm(hazard_state_name(c->from)), nm(c->plan), nm(c->assessment),
	    v, c->verdict);
	if (c->verdict == VERDICT_OK)
		ck_assert_int_eq(to, c->to);
	if (c->verdict == VERDICT_INCOMPLETE) {
		ck_assert_ptr_nonnull(missing);
		ck_assert_str_eq(missing, c->missing);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Validation of field values.                                         */

#define BYTES(s)	(s), sizeof(s) - 1	/* a literal with its NULs */

static const struct field_case {
	enum hazard_field	 field;
	const char		*value;
	size_t			 len;
	const char		*error;	/* a word of the message; NULL: ok */
} field_cases[] = {
	/* Deadlines are real calendar dates. */
	{ FIELD_DEADLINE, BYTES("2024-02-29"), NULL },
	{ FIELD_DEADLINE, BYTES("2000-02-29"), NULL },
	{ FIELD_DEADLINE, BYTES("2026-11-25"), NULL },
	{ FIELD_DEADLINE, BYTES("2026-12-31"), NULL },
	{ FIELD_DEADLINE, BYTES("2026-04-30"), NULL },
	{ FIELD_DEADLINE, BYTES("2026-02-29"), "date" },
	{ FIELD_DEADLINE, BYTES("1900-02-29"), "date" },
	{ FIELD_DEADLINE, BYTES("2100-02-29"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-13-01"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-00-10"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-04-31"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-01-00"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-01-32"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-4-1"), "date" },
	{ FIELD_DEADLINE, BYTES(" 2026-01-01"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-01-01 "), "date" },
	{ FIELD_DEADLINE, BYTES("2026-01-01x"), "date" },
	{ FIELD_DEADLINE, BYTES("2026/01/01"), "date" },
	{ FIELD_DEADLINE, BYTES("20260101"), "date" },
	{ FIELD_DEADLINE, BYTES(""), "date" },
	{ FIELD_DEADLINE, BYTES("tomorrow"), "date" },
	{ FIELD_DEADLINE, BYTES("２０２６-01-01"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-01-01T00:00:00+08:00"), "date" },
	{ FIELD_DEADLINE, BYTES("2026-01-01\0"), "UTF-8" },
	/* Title and category are required and not blank. */
	{ FIELD_TITLE, BYTES("东楼安全出口堵塞"), NULL },
	{ FIELD_TITLE, BYTES("x"), NULL },
	{ FIELD_TITLE, BYTES(""), "empty" },
	{ FIELD_TITLE, BYTES(" "), "empty" },
	{ FIELD_TITLE, BYTES(" \t\r\n "), "empty" },
	/* White space is Unicode's, not only ASCII's. */
	{ FIELD_TITLE, BYTES("\u3000\u00a0"), "empty" },
	{ FIELD_TITLE, BYTES("\u2003\u2028\u205f\u1680\xc2\x85"), "empty" },
	{ FIELD_TITLE, BYTES(" \u200b\ufeff\u202f"), "empty" },
	{ FIELD_TITLE, BYTES("\u3000x\u3000"), NULL },
	{ FIELD_TITLE, BYTES("\u3000\u3001"), NULL },	/* a comma */
	{ FIELD_CATEGORY, BYTES("\u00a0"), "empty" },
	{ FIELD_CATEGORY, BYTES("fire"), NULL },
	{ FIELD_CATEGORY, BYTES("消防"), NULL },
	{ FIELD_CATEGORY, BYTES(""), "empty" },
	{ FIELD_CATEGORY, BYTES("\t"), "empty" },
	/* The other text may be empty. */
	{ FIELD_DESCRIPTION, BYTES(""), NULL },
	{ FIELD_DESCRIPTION, BYTES("  "), NULL },
	{ FIELD_LOCATION, BYTES("东楼一层"), NULL },
	{ FIELD_RESPONSIBLE, BYTES("王老师"), NULL },
	{ FIELD_DEPARTMENT, BYTES("消防救援大队"), NULL },
	{ FIELD_PLAN, BYTES("一案一策\n第二行"), NULL },
	{ FIELD_ASSESSMENT, BYTES("较大风险 😀"), NULL },
	{ FIELD_FUNDS, BYTES("￥12,000"), NULL },
	{ FIELD_CONTINGENCY, BYTES(""), NULL },
	/* Invalid UTF-8 is refused in every field. */
	{ FIELD_TITLE, BYTES("a\x80"), "UTF-8" },		/* lone continuation */
	{ FIELD_TITLE, BYTES("\xc0\xaf"), "UTF-8" },		/* overlong '/' */
	{ FIELD_TITLE, BYTES("\xe0\x80\xaf"), "UTF-8" },	/* overlong, 3 bytes */
	{ FIELD_TITLE, BYTES("\xed\xa0\x80"), "UTF-8" },	/* surrogate */
	{ FIELD_TITLE, BYTES("\xf4\x90\x80\x80"), "UTF-8" },	/* > U+10FFFF */
	{ FIELD_TITLE, BYTES("\xe4\xb8"), "UTF-8" },		/* truncated */
	{ FIELD_TITLE, BYTES("\xe4\xb8x"), "UTF-8" },		/* cut short */
	{ FIELD_TITLE, BYTES("\xff"), "UTF-8" },
	{ FIELD_TITLE, BYTES("ab\0cd"), "UTF-8" },		/* embedded NUL */
	{ FIELD_TITLE, BYTES("ab\0"), "UTF-8" },		/* trailing NUL */
	{ FIELD_CATEGORY, BYTES("\xc0\xaf"), "UTF-8" },
	{ FIELD_DESCRIPTION, BYTES("\xed\xa0\x80"), "UTF-8" },
	{ FIELD_DESCRIPTION, BYTES("text\0more"), "UTF-8" },
	{ FIELD_LOCATION, BYTES("\x80"), "UTF-8" },
	{ FIELD_RESPONSIBLE, BYTES("\xf4\x90\x80\x80"), "UTF-8" },
	{ FIELD_DEPARTMENT, BYTES("\xe4\xb8"), "UTF-8" },
	{ FIELD_PLAN, BYTES("\xc0\xaf"), "UTF-8" },
	{ FIELD_ASSESSMENT, BYTES("\xed\xbf\xbf"), "UTF-8" },
	{ FIELD_FUNDS, BYTES("\xf8\x88\x80\x80\x80"), "UTF-8" },
	{ FIELD_CONTINGENCY, BYTES("\xfe"), "UTF-8" },
	/* No such field. */
	{ FIELD__MAX, BYTES("x"), "field" },
	{ (enum hazard_field)-1, BYTES("x"), "field" },
};

START_TEST(test_field_check)
{
	const struct field_case	*c = &field_cases[_i];
	const char		*why;

	why = hazard_field_check(c->field, c->value, c->len);
	if (c->error == NULL)
		ck_assert_msg(why == NULL, "case %d: %s \"%s\" refused: %s",
		    _i, nm(hazard_field_name(c->field)), c->value, why);
	else {
		ck_assert_msg(why != NULL, "case %d: %s \"%s\" (%zu bytes) "
		    "accepted", _i, nm(hazard_field_name(c->field)), c->value,
		    c->len);
		ck_assert_msg(strstr(why, c->error) != NULL,
		    "case %d: message \"%s\" lacks \"%s\"", _i, why, c->error);
	}
}
END_TEST

/* Lengths are counted in characters, not bytes. */
static const struct length_case {
	enum hazard_field	 field;
	const char		*unit;
	size_t			 count;
	int			 ok;
} length_cases[] = {
	{ FIELD_TITLE, "危", 200, 1 },		/* 600 bytes */
	{ FIELD_TITLE, "危", 201, 0 },
	{ FIELD_TITLE, "a", 200, 1 },
	{ FIELD_TITLE, "a", 201, 0 },
	{ FIELD_TITLE, "😀", 200, 1 },		/* 800 bytes */
	{ FIELD_TITLE, "😀", 201, 0 },
	{ FIELD_TITLE, "é", 200, 1 },
	{ FIELD_CATEGORY, "类", 64, 1 },
	{ FIELD_CATEGORY, "类", 65, 0 },
	{ FIELD_CATEGORY, "c", 64, 1 },
	{ FIELD_CATEGORY, "c", 65, 0 },
	{ FIELD_DESCRIPTION, "述", 4000, 1 },	/* 12000 bytes */
	{ FIELD_DESCRIPTION, "述", 4001, 0 },
	{ FIELD_DESCRIPTION, "d", 4000, 1 },
	{ FIELD_DESCRIPTION, "d", 4001, 0 },
	{ FIELD_LOCATION, "地", 4000, 1 },
	{ FIELD_LOCATION, "地", 4001, 0 },
	{ FIELD_RESPONSIBLE, "r", 4000, 1 },
	{ FIELD_RESPONSIBLE, "r", 4001, 0 },
	{ FIELD_DEPARTMENT, "部", 4000, 1 },
	{ FIELD_DEPARTMENT, "部", 4001, 0 },
	{ FIELD_PLAN, "策", 4000, 1 },
	{ FIELD_PLAN, "策", 4001, 0 },
	{ FIELD_ASSESSMENT, "评", 4000, 1 },
	{ FIELD_ASSESSMENT, "评", 4001, 0 },
	{ FIELD_FUNDS, "f", 4000, 1 },
	{ FIELD_FUNDS, "f", 4001, 0 },
	{ FIELD_CONTINGENCY, "应", 4000, 1 },
	{ FIELD_CONTINGENCY, "应", 4001, 0 },
};

START_TEST(test_field_length)
{
	const struct length_case	*c = &length_cases[_i];
	const char			*why;
	char				*s;

	s = repeat(c->unit, c->count);
	why = hazard_field_check(c->field, s, strlen(s));
	free(s);	/* before any assertion, so that none leaks it */
	if (c->ok)
		ck_assert_msg(why == NULL, "%s of %zu \"%s\" refused: %s",
		    nm(hazard_field_name(c->field)), c->count, c->unit, why);
	else
		ck_assert_msg(why != NULL && strstr(why, "longer") != NULL,
		    "%s of %zu \"%s\": got \"%s\"",
		    nm(hazard_field_name(c->field)), c->count, c->unit,
		    nm(why));
}
END_TEST

/* Only len bytes are looked at for the UTF-8 check. */
START_TEST(test_field_check_len)
{
	const char	*s = "第一中学";

	ck_assert_ptr_null(hazard_field_check(FIELD_LOCATION, s, 3));
	ck_assert_ptr_nonnull(hazard_field_check(FIELD_LOCATION, s, 4));
	ck_assert_ptr_nonnull(hazard_field_check(FIELD_LOCATION, s, 11));
	ck_assert_ptr_null(hazard_field_check(FIELD_LOCATION, s, 12));
}
END_TEST

/* ------------------------------------------------------------------ */
/* UTF-8.                                                              */

static const struct count_case {
	const char	*s;
	size_t		 len;
	long		 count;
} count_cases[] = {
	{ BYTES(""), 0 },
	{ BYTES("abc"), 3 },
	{ BYTES("第一中学"), 4 },
	{ BYTES("a第b"), 3 },
	{ BYTES("\xc2\x80"), 1 },		/* U+0080 */
	{ BYTES("\xdf\xbf"), 1 },		/* U+07FF */
	{ BYTES("\xe0\xa0\x80"), 1 },		/* U+0800 */
	{ BYTES("\xed\x9f\xbf"), 1 },		/* U+D7FF */
	{ BYTES("\xee\x80\x80"), 1 },		/* U+E000 */
	{ BYTES("\xef\xbf\xbf"), 1 },		/* U+FFFF */
	{ BYTES("\xf0\x90\x80\x80"), 1 },	/* U+10000 */
	{ BYTES("\xf4\x8f\xbf\xbf"), 1 },	/* U+10FFFF */
	{ BYTES("😀"), 1 },
	{ BYTES("\x7f"), 1 },
	{ BYTES("\x80"), -1 },			/* lone continuation */
	{ BYTES("a\xbf" "b"), -1 },
	{ BYTES("\xc0\xaf"), -1 },		/* overlong */
	{ BYTES("\xc1\xbf"), -1 },		/* overlong */
	{ BYTES("\xe0\x9f\xbf"), -1 },		/* overlong */
	{ BYTES("\xf0\x8f\xbf\xbf"), -1 },	/* overlong */
	{ BYTES("\xed\xa0\x80"), -1 },		/* surrogate D800 */
	{ BYTES("\xed\xbf\xbf"), -1 },		/* surrogate DFFF */
	{ BYTES("\xf4\x90\x80\x80"), -1 },	/* U+110000 */
	{ BYTES("\xf5\x80\x80\x80"), -1 },
	{ BYTES("\xf8\x88\x80\x80\x80"), -1 },	/* five bytes */
	{ BYTES("\xfe"), -1 },
	{ BYTES("\xff"), -1 },
	{ BYTES("\xc2"), -1 },			/* truncated */
	{ BYTES("\xe4\xb8"), -1 },		/* truncated */
	{ BYTES("\xf0\x9f\x98"), -1 },		/* truncated */
	{ BYTES("\xe4\xb8" "a"), -1 },		/* cut by ASCII */
	{ BYTES("\0"), -1 },			/* NUL */
	{ BYTES("a\0b"), -1 },
	{ "第一中学", 3, 1 },			/* len ends on a boundary */
	{ "第一中学", 4, -1 },			/* len cuts a character */
	{ "第一中学", 5, -1 },
	{ "abc", 0, 0 },
};

START_TEST(test_utf8_count)
{
	const struct count_case	*c = &count_cases[_i];
	long			 got;

	got = utf8_count(c->s, c->len);
	ck_assert_msg(got == c->count, "case %d: utf8_count(%zu bytes) = %ld, "
	    "expected %ld", _i, c->len, got, c->count);
}
END_TEST

static const struct width_case {
	const char	*s;
	size_t		 width;
} width_cases[] = {
	{ "", 0 },
	{ "abc", 3 },
	{ "第一中学", 8 },
	{ "第1中", 5 },
	{ "S001 第一中学", 13 },
	{ "ＡＢ", 4 },			/* full-width Latin */
	{ "\xe3\x80\x80", 2 },		/* ideographic space */
	{ "한국", 4 },			/* Hangul */
	{ "ｱ", 1 },			/* half-width katakana */
	{ "é", 1 },			/* precomposed */
	{ "e\xcc\x81", 1 },		/* e + combining acute */
	{ "第\xcc\x81", 2 },
	{ "\t", 0 },
	{ "a\nb", 2 },
	{ "\x1b", 0 },
	{ "\x7f", 0 },
	{ "\xff", 1 },			/* invalid: one column a byte */
	{ "\xe4\xb8", 2 },
	{ "a\x80" "b", 3 },
};

START_TEST(test_utf8_width)
{
	size_t	got;

	got = utf8_width(width_cases[_i].s);
	ck_assert_msg(got == width_cases[_i].width,
	    "utf8_width(\"%s\") = %zu, expected %zu", width_cases[_i].s, got,
	    width_cases[_i].width);
}
END_TEST

/*
 * utf8.h: "none for combining marks and controls".  The C1 controls
 * U+0080-U+009F are controls too.
 */
START_TEST(test_utf8_width_c1_controls)
{
	ck_assert_uint_eq(utf8_width("\xc2\x80"), 0);	/* U+0080 */
	ck_assert_uint_eq(utf8_width("\xc2\x85"), 0);	/* NEL */
	ck_assert_uint_eq(utf8_width("\xc2\x9b"), 0);	/* CSI */
	ck_assert_uint_eq(utf8_width("a\xc2\x9f" "b"), 2);
}
END_TEST

static const struct prefix_case {
	const char	*s;
	size_t		 cols;
	size_t		 bytes;
} prefix_cases[] = {
	{ "第一中学", 8, 12 },
	{ "第一中学", 100, 12 },
	{ "第一中学", 7, 9 },		/* never half a wide character */
	{ "第一中学", 6, 9 },
	{ "第一中学", 3, 3 },
	{ "第一中学", 2, 3 },
	{ "第一中学", 1, 0 },
	{ "第一中学", 0, 0 },
	{ "abc", 0, 0 },
	{ "abc", 2, 2 },
	{ "abc", 3, 3 },
	{ "abc", 10, 3 },
	{ "a第b", 1, 1 },
	{ "a第b", 2, 1 },
	{ "a第b", 3, 4 },
	{ "a第b", 4, 5 },
	{ "e\xcc\x81x", 1, 3 },		/* the mark stays with its base */
	{ "é第", 2, 2 },
	{ "", 5, 0 },
	{ "\xff\xff", 1, 1 },
};

START_TEST(test_utf8_prefix)
{
	const struct prefix_case	*c = &prefix_cases[_i];
	size_t				 got;

	got = utf8_prefix(c->s, c->cols);
	ck_assert_msg(got == c->bytes, "utf8_prefix(\"%s\", %zu) = %zu, "
	    "expected %zu", c->s, c->cols, got, c->bytes);
}
END_TEST

/* Every prefix of a mixed string is whole characters within cols. */
START_TEST(test_utf8_prefix_whole)
{
	const char	*s = "S001 第一中学（东校区）e\xcc\x81 ok";
	char		 buf[128];
	size_t		 cols, n;

	for (cols = 0; cols <= utf8_width(s) + 1; cols++) {
		n = utf8_prefix(s, cols);
		ck_assert_uint_lt(n, sizeof(buf));
		memcpy(buf, s, n);
		buf[n] = '\0';
		ck_assert_msg(utf8_count(buf, n) >= 0,
		    "prefix of %zu columns cuts a character", cols);
		ck_assert_uint_le(utf8_width(buf), cols);
	}
	ck_assert_uint_eq(utf8_prefix(s, utf8_width(s)), strlen(s));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Keys and school codes.                                              */

START_TEST(test_key_valid)
{
	char	*s;
	int	 rc;

	ck_assert_int_eq(hazard_key_valid("a"), 1);
	ck_assert_int_eq(hazard_key_valid("S001-2026-11-25-0001"), 1);
	ck_assert_int_eq(hazard_key_valid(
	    "3f2504e0-4f89-11d3-9a0c-0305e82c3301"), 1);
	ck_assert_int_eq(hazard_key_valid("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
	    1);
	ck_assert_int_eq(hazard_key_valid(""), 0);
	ck_assert_int_eq(hazard_key_valid(" "), 0);
	ck_assert_int_eq(hazard_key_valid("a b"), 0);
	ck_assert_int_eq(hazard_key_valid("a\tb"), 0);
	ck_assert_int_eq(hazard_key_valid("ab\n"), 0);
	ck_assert_int_eq(hazard_key_valid("a\x7f"), 0);
	ck_assert_int_eq(hazard_key_valid("键"), 0);
	ck_assert_int_eq(hazard_key_valid("k\xff"), 0);
	s = repeat("k", 200);
	rc = hazard_key_valid(s);
	free(s);
	ck_assert_int_eq(rc, 1);
	s = repeat("k", 201);
	rc = hazard_key_valid(s);
	free(s);
	ck_assert_int_eq(rc, 0);
}
END_TEST

START_TEST(test_school_code_valid)
{
	char	*s;
	int	 rc;

	ck_assert_int_eq(hazard_school_code_valid("S001"), 1);
	ck_assert_int_eq(hazard_school_code_valid("s-01_A"), 1);
	ck_assert_int_eq(hazard_school_code_valid("0"), 1);
	ck_assert_int_eq(hazard_school_code_valid("-"), 1);
	ck_assert_int_eq(hazard_school_code_valid(""), 0);
	ck_assert_int_eq(hazard_school_code_valid("S 001"), 0);
	ck_assert_int_eq(hazard_school_code_valid("S.001"), 0);
	ck_assert_int_eq(hazard_school_code_valid("S/001"), 0);
	ck_assert_int_eq(hazard_school_code_valid("S001\n"), 0);
	ck_assert_int_eq(hazard_school_code_valid("第一中学"), 0);
	ck_assert_int_eq(hazard_school_code_valid("S\xe9"), 0);
	s = repeat("A", 32);
	rc = hazard_school_code_valid(s);
	free(s);
	ck_assert_int_eq(rc, 1);
	s = repeat("A", 33);
	rc = hazard_school_code_valid(s);
	free(s);
	ck_assert_int_eq(rc, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Names on the wire.                                                  */

START_TEST(test_names_exact)
{
	static const char *kinds[] = { "hazard", "finding" };
	static const char *grades[] = { "general", "major" };
	static const char *states[] = { "open", "rectified", "closed",
	    "cancelled" };
	static const char *actions[] = { "report", "assess", "rectify",
	    "verify", "reject", "cancel", "escalate", "photo" };
	static const char *fields[] = { "category", "title", "description",
	    "location", "responsible", "department", "deadline", "plan",
	    "assessment", "funds", "contingency" };
	int	i;

	ck_assert_int_eq(NELEM(kinds), KIND__MAX);
	ck_assert_int_eq(NELEM(grades), GRADE__MAX);
	ck_assert_int_eq(NELEM(states), STATE__MAX);
	ck_assert_int_eq(NELEM(actions), ACTION__MAX);
	ck_assert_int_eq(NELEM(fields), FIELD__MAX);
	for (i = 0; i < KIND__MAX; i++)
		ck_assert_str_eq(nm(hazard_kind_name(i)), kinds[i]);
	for (i = 0; i < GRADE__MAX; i++)
		ck_assert_str_eq(nm(hazard_grade_name(i)), grades[i]);
	for (i = 0; i < STATE__MAX; i++)
		ck_assert_str_eq(nm(hazard_state_name(i)), states[i]);
	for (i = 0; i < ACTION__MAX; i++)
		ck_assert_str_eq(nm(hazard_action_name(i)), actions[i]);
	for (i = 0; i < FIELD__MAX; i++)
		ck_assert_str_eq(nm(hazard_field_name(i)), fields[i]);
}
END_TEST

START_TEST(test_names_round_trip)
{
	int	i;

	for (i = 0; i < KIND__MAX; i++)
		ck_assert_int_eq(hazard_kind_parse(hazard_kind_name(i)), i);
	for (i = 0; i < GRADE__MAX; i++)
		ck_assert_int_eq(hazard_grade_parse(hazard_grade_name(i)), i);
	for (i = 0; i < STATE__MAX; i++)
		ck_assert_int_eq(hazard_state_parse(hazard_state_name(i)), i);
	for (i = 0; i < ACTION__MAX; i++)
		ck_assert_int_eq(hazard_action_parse(hazard_action_name(i)), i);
	for (i = 0; i < FIELD__MAX; i++)
		ck_assert_int_eq(hazard_field_parse(hazard_field_name(i)), i);
}
END_TEST

/* The words of list joined by '|', as hazardctl shows a choice. */
static const char *
joined(const char *const *list, char *buf, size_t len)
{
	int	i;

	buf[0] = '\0';
	for (i = 0; list[i] != NULL; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i > 0 ? "|" : "", list[i]);
	return buf;
}

/* The number of names before the NULL that ends list. */
static int
count(const char *const *list)
{
	int	i;

	for (i = 0; list[i] != NULL; i++)
		continue;
	return i;
}

/*
 * common/wire.h: each list has a name for each value of its enum, and
 * the joined form hazardctl checks against is the same words.
 */
START_TEST(test_names_wire)
{
	char	buf[256];
	int	i;

	ck_assert_int_eq(count(wire_kinds), KIND__MAX);
	ck_assert_int_eq(count(wire_grades), GRADE__MAX);
	ck_assert_int_eq(count(wire_states), STATE__MAX);
	ck_assert_int_eq(count(wire_actions), ACTION__MAX);
	ck_assert_int_eq(count(wire_roles), ROLE__MAX);
	ck_assert_int_eq(count(wire_cycles), CYCLE__MAX);
	ck_assert_str_eq(joined(wire_kinds, buf, sizeof(buf)), WIRE_KINDS);
	ck_assert_str_eq(joined(wire_grades, buf, sizeof(buf)), WIRE_GRADES);
	ck_assert_str_eq(joined(wire_states, buf, sizeof(buf)), WIRE_STATES);
	ck_assert_str_eq(joined(wire_states, buf, sizeof(buf)),
	    "open|rectified|closed|cancelled");
	ck_assert_str_eq(nm(hazard_role_name(ROLE_OFFICE)), "office");
	ck_assert_str_eq(nm(hazard_role_name(ROLE_SCHOOL)), "school");
	ck_assert_ptr_null(hazard_role_name(ROLE__MAX));
	ck_assert_int_eq(hazard_role_parse("school"), ROLE_SCHOOL);
	ck_assert_int_eq(hazard_role_parse("system"), -1);
	for (i = 0; i < CYCLE__MAX; i++)
		ck_assert_int_eq(cycle_kind_parse(cycle_kind_name(i)), i);
	ck_assert_str_eq(nm(cycle_kind_name(CYCLE_WEEKLY)), "weekly");
	ck_assert_int_eq(wire_find(wire_cycles, "yearly"), -1);
}
END_TEST

START_TEST(test_names_out_of_range)
{
	ck_assert_ptr_null(hazard_kind_name(KIND__MAX));
	ck_assert_ptr_null(hazard_kind_name((enum hazard_kind)-1));
	ck_assert_ptr_null(hazard_grade_name(GRADE__MAX));
	ck_assert_ptr_null(hazard_grade_name((enum hazard_grade)-1));
	ck_assert_ptr_null(hazard_state_name(STATE__MAX));
	ck_assert_ptr_null(hazard_state_name((enum hazard_state)-1));
	ck_assert_ptr_null(hazard_action_name(ACTION__MAX));
	ck_assert_ptr_null(hazard_action_name((enum hazard_action)-1));
	ck_assert_ptr_null(hazard_field_name(FIELD__MAX));
	ck_assert_ptr_null(hazard_field_name((enum hazard_field)-1));

	ck_assert_int_eq(hazard_kind_parse("bogus"), -1);
	ck_assert_int_eq(hazard_kind_parse(""), -1);
	ck_assert_int_eq(hazard_kind_parse("hazards"), -1);
	ck_assert_int_eq(hazard_grade_parse("minor"), -1);
	ck_assert_int_eq(hazard_grade_parse(""), -1);
	ck_assert_int_eq(hazard_state_parse("overdue"), -1);
	ck_assert_int_eq(hazard_state_parse("open "), -1);
	ck_assert_int_eq(hazard_state_parse(""), -1);
	ck_assert_int_eq(hazard_action_parse("delete"), -1);
	ck_assert_int_eq(hazard_action_parse(""), -1);
	ck_assert_int_eq(hazard_field_parse("school"), -1);
	ck_assert_int_eq(hazard_field_parse("state"), -1);
	ck_assert_int_eq(hazard_field_parse(""), -1);
}
END_TEST

START_TEST(test_field_max)
{
	ck_assert_uint_eq(hazard_field_max(FIELD_TITLE), 200);
	ck_assert_uint_eq(hazard_field_max(FIELD_CATEGORY), 64);
	ck_assert_uint_eq(hazard_field_max(FIELD_DEADLINE), 10);
	ck_assert_uint_eq(hazard_field_max(FIELD_DESCRIPTION), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_LOCATION), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_RESPONSIBLE), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_DEPARTMENT), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_PLAN), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_ASSESSMENT), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_FUNDS), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD_CONTINGENCY), 4000);
	ck_assert_uint_eq(hazard_field_max(FIELD__MAX), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Overdue: derived, not a state.                                      */

static const struct overdue_case {
	enum hazard_state	 state;
	const char		*deadline;
	const char		*today;
	int			 overdue;
} overdue_cases[] = {
	{ STATE_OPEN, "2026-11-24", "2026-11-25", 1 },
	{ STATE_OPEN, "2026-11-25", "2026-11-25", 0 },
	{ STATE_OPEN, "2026-11-26", "2026-11-25", 0 },
	{ STATE_OPEN, "2025-12-31", "2026-01-01", 1 },
	{ STATE_OPEN, "2026-01-01", "2025-12-31", 0 },
	{ STATE_OPEN, "2026-09-30", "2026-10-01", 1 },
	{ STATE_OPEN, NULL, "2026-11-25", 0 },
	/* Waiting for the office: the school met its deadline. */
	{ STATE_RECTIFIED, "2026-11-24", "2026-11-25", 0 },
	{ STATE_RECTIFIED, "2026-11-25", "2026-11-25", 0 },
	{ STATE_RECTIFIED, NULL, "2026-11-25", 0 },
	{ STATE_CLOSED, "2026-11-24", "2026-11-25", 0 },
	{ STATE_CLOSED, "2000-01-01", "2026-11-25", 0 },
	{ STATE_CANCELLED, "2026-11-24", "2026-11-25", 0 },
	{ STATE_CANCELLED, NULL, "2026-11-25", 0 },
};

START_TEST(test_overdue)
{
	const struct overdue_case	*c = &overdue_cases[_i];
	struct hazard			 h;

	memset(&h, 0, sizeof(h));
	h.state = c->state;
	h.text[FIELD_DEADLINE] = (char *)c->deadline;
	ck_assert_msg(hazard_overdue(&h, c->today) == c->overdue,
	    "%s hazard due %s, today %s: expected overdue %d",
	    nm(hazard_state_name(c->state)), nm(c->deadline), c->today,
	    c->overdue);
}
END_TEST

/* hazard_clear frees everything and leaves the struct empty. */
START_TEST(test_clear)
{
	struct hazard	h;
	int		i;

	memset(&h, 0, sizeof(h));
	h.id = 17;
	h.state = STATE_CLOSED;
	h.school = strdup("S001");
	h.school_name = strdup("第一中学");
	for (i = 0; i < FIELD__MAX; i++)
		h.text[i] = strdup("值");
	hazard_clear(&h);
	ck_assert_int_eq(h.id, 0);
	ck_assert_ptr_null(h.school);
	ck_assert_ptr_null(h.school_name);
	for (i = 0; i < FIELD__MAX; i++)
		ck_assert_ptr_null(h.text[i]);
	hazard_clear(&h);	/* twice is harmless */
}
END_TEST

/* ------------------------------------------------------------------ */
/* Dates.                                                              */

static const struct date_case {
	const char	*s;
	int		 ok;
	int		 y, m, d;
} date_cases[] = {
	{ "2024-02-29", 1, 2024, 2, 29 },
	{ "2000-02-29", 1, 2000, 2, 29 },
	{ "2026-11-25", 1, 2026, 11, 25 },
	{ "2026-01-31", 1, 2026, 1, 31 },
	{ "2026-04-30", 1, 2026, 4, 30 },
	{ "2026-12-31", 1, 2026, 12, 31 },
	{ "1900-01-01", 1, 1900, 1, 1 },
	{ "9999-12-31", 1, 9999, 12, 31 },
	{ "2026-02-29", 0, 0, 0, 0 },
	{ "1900-02-29", 0, 0, 0, 0 },
	{ "2100-02-29", 0, 0, 0, 0 },
	{ "2026-13-01", 0, 0, 0, 0 },
	{ "2026-00-10", 0, 0, 0, 0 },
	{ "2026-04-31", 0, 0, 0, 0 },
	{ "2026-06-31", 0, 0, 0, 0 },
	{ "2026-01-00", 0, 0, 0, 0 },
	{ "2026-01-32", 0, 0, 0, 0 },
	{ "1899-12-31", 0, 0, 0, 0 },
	{ "0000-01-01", 0, 0, 0, 0 },
	{ "2026-4-1", 0, 0, 0, 0 },
	{ "2026-4-01", 0, 0, 0, 0 },
	{ " 2026-01-01", 0, 0, 0, 0 },
	{ "2026-01-01 ", 0, 0, 0, 0 },
	{ "2026-01-01x", 0, 0, 0, 0 },
	{ "2026-01-01\n", 0, 0, 0, 0 },
	{ "2026/01/01", 0, 0, 0, 0 },
	{ "2026-01/01", 0, 0, 0, 0 },
	{ "20260101", 0, 0, 0, 0 },
	{ "26-01-01", 0, 0, 0, 0 },
	{ "+026-01-01", 0, 0, 0, 0 },
	{ "2026-+1-01", 0, 0, 0, 0 },
	{ "2026-01- 1", 0, 0, 0, 0 },
	{ "abcd-ef-gh", 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0 },
};

START_TEST(test_date_parse)
{
	const struct date_case	*c = &date_cases[_i];
	int			 y = -1, m = -1, d = -1, rc;

	rc = date_parse(c->s, &y, &m, &d);
	ck_assert_msg(rc == (c->ok ? 0 : -1), "date_parse(\"%s\") = %d", c->s,
	    rc);
	if (c->ok) {
		ck_assert_int_eq(y, c->y);
		ck_assert_int_eq(m, c->m);
		ck_assert_int_eq(d, c->d);
		ck_assert_int_eq(date_parse(c->s, NULL, NULL, NULL), 0);
	}
}
END_TEST

/* Dates as people write them, and what each becomes. */
static const struct {
	const char	*s;
	const char	*want;		/* NULL: refused */
} normal_cases[] = {
	{ "2026-12-01", "2026-12-01" },
	{ "2026/12/1", "2026-12-01" },
	{ "2026-12-1", "2026-12-01" },
	{ "2026/12/01", "2026-12-01" },
	{ "2026/1/5", "2026-01-05" },
	{ "2026-4-01", "2026-04-01" },
	{ "2024/2/29", "2024-02-29" },
	{ "2026/2/29", NULL },
	{ "2026/4/31", NULL },
	{ "2026/13/1", NULL },
	{ "2026/0/1", NULL },
	{ "2026/1/0", NULL },
	{ "2026-12/1", NULL },
	{ "2026/12-1", NULL },
	{ "2026/012/1", NULL },
	{ "2026/12/001", NULL },
	{ "2026/12/1 ", NULL },
	{ " 2026/12/1", NULL },
	{ "2026.12.1", NULL },
	{ "26/12/1", NULL },
	{ "1899/12/31", NULL },
	{ "2026/12/", NULL },
	{ "2026//1", NULL },
	{ "2026年12月1日", NULL },
	{ "", NULL },
};

START_TEST(test_date_normalise)
{
	char	out[DATE_LEN] = "unchanged";
	int	rc;

	rc = date_normalise(normal_cases[_i].s, out);
	if (normal_cases[_i].want == NULL)
		ck_assert_msg(rc == -1, "date_normalise(\"%s\") took it as %s",
		    normal_cases[_i].s, out);
	else {
		ck_assert_msg(rc == 0, "date_normalise(\"%s\") refused it",
		    normal_cases[_i].s);
		ck_assert_str_eq(out, normal_cases[_i].want);
	}
}
END_TEST

START_TEST(test_date_calendar)
{
	ck_assert_int_eq(date_is_leap(2024), 1);
	ck_assert_int_eq(date_is_leap(2000), 1);
	ck_assert_int_eq(date_is_leap(2400), 1);
	ck_assert_int_eq(date_is_leap(2026), 0);
	ck_assert_int_eq(date_is_leap(1900), 0);
	ck_assert_int_eq(date_is_leap(2100), 0);
	ck_assert_int_eq(date_days_in_month(2024, 2), 29);
	ck_assert_int_eq(date_days_in_month(2026, 2), 28);
	ck_assert_int_eq(date_days_in_month(1900, 2), 28);
	ck_assert_int_eq(date_days_in_month(2000, 2), 29);
	ck_assert_int_eq(date_days_in_month(2026, 1), 31);
	ck_assert_int_eq(date_days_in_month(2026, 4), 30);
	ck_assert_int_eq(date_days_in_month(2026, 6), 30);
	ck_assert_int_eq(date_days_in_month(2026, 9), 30);
	ck_assert_int_eq(date_days_in_month(2026, 11), 30);
	ck_assert_int_eq(date_days_in_month(2026, 12), 31);
	ck_assert_int_eq(date_days_in_month(2026, 0), 0);
	ck_assert_int_eq(date_days_in_month(2026, 13), 0);
}
END_TEST

static const struct civil_case {
	int	y, m, d;
	long	days;
} civil_cases[] = {
	{ 1970, 1, 1, 0 },
	{ 1970, 1, 2, 1 },
	{ 1969, 12, 31, -1 },
	{ 2000, 2, 29, 11016 },
	{ 2000, 3, 1, 11017 },
	{ 2024, 3, 1, 19783 },
	{ 2026, 11, 25, 20782 },
	{ 1900, 1, 1, -25567 },
	{ 9999, 12, 31, 2932896 },
};

START_TEST(test_date_days_from_civil)
{
	const struct civil_case	*c = &civil_cases[_i];

	ck_assert_msg(date_days_from_civil(c->y, c->m, c->d) == c->days,
	    "%04d-%02d-%02d: %ld, expected %ld", c->y, c->m, c->d,
	    date_days_from_civil(c->y, c->m, c->d), c->days);
}
END_TEST

/* Consecutive days are consecutive numbers, across every month end. */
START_TEST(test_date_days_consecutive)
{
	int	y, m, d;
	long	prev;

	prev = date_days_from_civil(1899, 12, 31);
	for (y = 1900; y <= 2100; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= date_days_in_month(y, m); d++) {
				ck_assert_int_eq(date_days_from_civil(y, m, d),
				    prev + 1);
				prev++;
			}
}
END_TEST

static const struct rfc3339_case {
	const char	*s;
	int		 ok;
	time_t		 t;
} rfc3339_cases[] = {
	{ "2026-11-25T09:30:00+08:00", 1, 1795570200 },
	{ "2026-11-25T01:30:00Z", 1, 1795570200 },
	{ "2026-11-25T01:30:00z", 1, 1795570200 },
	{ "2026-11-25t01:30:00Z", 1, 1795570200 },
	{ "2026-11-25T01:30:00+00:00", 1, 1795570200 },
	{ "2026-11-25T01:30:00-00:00", 1, 1795570200 },
	{ "2026-11-24T21:00:00-04:30", 1, 1795570200 },
	{ "2026-11-25T09:30:00.123+08:00", 1, 1795570200 },
	{ "2026-11-25T01:30:00.999999999Z", 1, 1795570200 },
	{ "2026-11-25T01:30:00.0Z", 1, 1795570200 },
	{ "1970-01-01T00:00:00Z", 1, 0 },
	{ "1970-01-01T08:00:00+08:00", 1, 0 },
	{ "2024-02-29T23:59:59-05:00", 1, 1709269199 },
	{ "2016-12-31T23:59:60Z", 1, 1483228800 },	/* leap second */
	{ "1900-01-01T00:00:00Z", 1, -2208988800LL },
	{ "9999-12-31T23:59:59Z", 1, 253402300799LL },
	{ "", 0, 0 },
	{ "2026-11-25", 0, 0 },
	{ "2026-11-25T09:30:00", 0, 0 },
	{ "2026-11-25T09:30+08:00", 0, 0 },
	{ "2026-11-25T9:30:00+08:00", 0, 0 },
	{ "2026-11-25T24:00:00Z", 0, 0 },
	{ "2026-11-25T09:60:00Z", 0, 0 },
	{ "2026-11-25T09:30:61Z", 0, 0 },
	{ "2026-02-30T09:30:00Z", 0, 0 },
	{ "2026-13-01T09:30:00Z", 0, 0 },
	{ "2026-11-25X09:30:00Z", 0, 0 },
	{ "2026-11-25T09:30:00+0800", 0, 0 },
	{ "2026-11-25T09:30:00+08", 0, 0 },
	{ "2026-11-25T09:30:00+24:00", 0, 0 },
	{ "2026-11-25T09:30:00+08:60", 0, 0 },
	{ "2026-11-25T09:30:00.Z", 0, 0 },
	{ "2026-11-25T09:30:00.+08:00", 0, 0 },
	{ "2026-11-25T09:30:00ZZ", 0, 0 },
	{ "2026-11-25T09:30:00Z ", 0, 0 },
	{ "2026-11-25T09:30:00+08:00 ", 0, 0 },
	{ " 2026-11-25T09:30:00Z", 0, 0 },
	{ "2026-11-25T09:30:00 +08:00", 0, 0 },
	{ "2026-11-25T09:30:00UTC", 0, 0 },
};

START_TEST(test_date_parse_rfc3339)
{
	const struct rfc3339_case	*c = &rfc3339_cases[_i];
	time_t				 t = 42;
	int				 rc;

	rc = date_parse_rfc3339(c->s, &t);
	ck_assert_msg(rc == (c->ok ? 0 : -1), "date_parse_rfc3339(\"%s\") = "
	    "%d", c->s, rc);
	if (c->ok)
		ck_assert_msg(t == c->t, "\"%s\": %lld, expected %lld", c->s,
		    (long long)t, (long long)c->t);
}
END_TEST

static const struct format_case {
	const char	*tz;
	time_t		 t;
	const char	*text;
} format_cases[] = {
	{ "Asia/Shanghai", 0, "1970-01-01T08:00:00+08:00" },
	{ "Asia/Shanghai", 1795570200, "2026-11-25T09:30:00+08:00" },
	{ "Asia/Shanghai", 1795535999, "2026-11-24T23:59:59+08:00" },
	{ "Asia/Shanghai", 1781524800, "2026-06-15T20:00:00+08:00" },
	{ "UTC", 1795570200, "2026-11-25T01:30:00+00:00" },
	{ "America/New_York", 1768478400, "2026-01-15T07:00:00-05:00" },
	{ "America/New_York", 1781524800, "2026-06-15T08:00:00-04:00" },
	{ "Asia/Kolkata", 1795570200, "2026-11-25T07:00:00+05:30" },
	/* Local mean time (+08:05:43): the offset rounded up, same instant. */
	{ "Asia/Shanghai", -2208988800, "1900-01-01T08:06:00+08:06" },
	{ "Asia/Shanghai", -2209017943, "1900-01-01T00:00:17+08:06" },
	{ "Africa/Monrovia", 0, "1969-12-31T23:16:00-00:44" },	/* -00:44:30 */
	{ "Asia/Shanghai", -2177481600, "1901-01-01T00:00:00+08:00" },
};

START_TEST(test_date_rfc3339)
{
	const struct format_case	*c = &format_cases[_i];
	char				 buf[RFC3339_LEN];
	char				*ret;
	time_t				 back;

	set_tz(c->tz);
	ret = date_rfc3339(buf, sizeof(buf), c->t);
	ck_assert_ptr_eq(ret, buf);
	ck_assert_msg(strcmp(buf, c->text) == 0, "TZ=%s %lld: \"%s\", "
	    "expected \"%s\"", c->tz, (long long)c->t, buf, c->text);
	ck_assert_uint_eq(strlen(buf), RFC3339_LEN - 1);
	/* What is written reads back as the same instant. */
	ck_assert_int_eq(date_parse_rfc3339(buf, &back), 0);
	ck_assert_int_eq(back, c->t);
	set_tz("Asia/Shanghai");
}
END_TEST

START_TEST(test_date_local)
{
	char	buf[DATE_LEN];
	time_t	t = 0;

	set_tz("Asia/Shanghai");
	ck_assert_str_eq(date_local(buf, sizeof(buf), 0), "1970-01-01");
	ck_assert_str_eq(date_local(buf, sizeof(buf), 1795536000),
	    "2026-11-25");
	ck_assert_str_eq(date_local(buf, sizeof(buf), 1795535999),
	    "2026-11-24");

	ck_assert_int_eq(date_local_start("2026-11-25", 0, &t), 0);
	ck_assert_int_eq(t, 1795536000);
	ck_assert_int_eq(date_local_start("2026-11-25", 1, &t), 0);
	ck_assert_int_eq(t, 1795536000 + 86400);
	ck_assert_int_eq(date_local_start("2026-11-25", 6, &t), 0);
	ck_assert_int_eq(t, 1795536000 + 6 * 86400);	/* into December */
	ck_assert_int_eq(date_local_start("2026-11-25", 37, &t), 0);
	ck_assert_int_eq(t, 1795536000 + 37 * 86400);	/* into 2027 */
	ck_assert_int_eq(date_local_start("2026-11-25", -25, &t), 0);
	ck_assert_int_eq(t, 1795536000 - 25 * 86400);	/* back to October */
	ck_assert_str_eq(date_local(buf, sizeof(buf), t), "2026-10-31");
	t = 42;
	ck_assert_int_eq(date_local_start("2026-02-29", 0, &t), -1);
	ck_assert_int_eq(date_local_start("tomorrow", 0, &t), -1);
	ck_assert_int_eq(t, 42);

	set_tz("UTC");
	ck_assert_int_eq(date_local_start("2026-11-25", 0, &t), 0);
	ck_assert_int_eq(t, 1795536000 + 8 * 3600);
	ck_assert_str_eq(date_local(buf, sizeof(buf), 1795536000),
	    "2026-11-24");
	set_tz("Asia/Shanghai");
}
END_TEST

static Suite *
hazard_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("hazard");

	tc = tcase_create("transition");
	tcase_add_loop_test(tc, test_transition_general, 0,
	    NELEM(transition_cases));
	tcase_add_loop_test(tc, test_transition_major_complete, 0,
	    NELEM(transition_cases));
	tcase_add_test(tc, test_transition_table_complete);
	tcase_add_test(tc, test_transition_out_of_range);
	tcase_add_test(tc, test_action_permitted);
	tcase_add_loop_test(tc, test_transition_major, 0, NELEM(major_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("validation");
	tcase_add_loop_test(tc, test_field_check, 0, NELEM(field_cases));
	tcase_add_loop_test(tc, test_field_length, 0, NELEM(length_cases));
	tcase_add_test(tc, test_field_check_len);
	tcase_add_test(tc, test_key_valid);
	tcase_add_test(tc, test_school_code_valid);
	suite_add_tcase(s, tc);

	tc = tcase_create("utf8");
	tcase_add_loop_test(tc, test_utf8_count, 0, NELEM(count_cases));
	tcase_add_loop_test(tc, test_utf8_width, 0, NELEM(width_cases));
	tcase_add_test(tc, test_utf8_width_c1_controls);
	tcase_add_loop_test(tc, test_utf8_prefix, 0, NELEM(prefix_cases));
	tcase_add_test(tc, test_utf8_prefix_whole);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_names_exact);
	tcase_add_test(tc, test_names_round_trip);
	tcase_add_test(tc, test_names_wire);
	tcase_add_test(tc, test_names_out_of_range);
	tcase_add_test(tc, test_field_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("overdue");
	tcase_add_loop_test(tc, test_overdue, 0, NELEM(overdue_cases));
	tcase_add_test(tc, test_clear);
	suite_add_tcase(s, tc);

	tc = tcase_create("date");
	tcase_add_loop_test(tc, test_date_parse, 0, NELEM(date_cases));
	tcase_add_loop_test(tc, test_date_normalise, 0, NELEM(normal_cases));
	tcase_add_test(tc, test_date_calendar);
	tcase_add_loop_test(tc, test_date_days_from_civil, 0,
	    NELEM(civil_cases));
	tcase_add_test(tc, test_date_days_consecutive);
	tcase_add_loop_test(tc, test_date_parse_rfc3339, 0,
	    NELEM(rfc3339_cases));
	tcase_add_loop_test(tc, test_date_rfc3339, 0, NELEM(format_cases));
	tcase_add_test(tc, test_date_local);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	/* wcwidth() needs a UTF-8 locale; dates need the office's zone. */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		fprintf(stderr, "check_hazard: no C.UTF-8 locale\n");
	set_tz("Asia/Shanghai");

	sr = srunner_create(hazard_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
