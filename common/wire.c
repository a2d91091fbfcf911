/*
 * The words of the wire, each list in the order of the daemon's enum.
 */
#include <string.h>

#include "i18n.h"
#include "wire.h"

const char *const wire_kinds[] = {
	WIRE_KIND_HAZARD, WIRE_KIND_FINDING, NULL
};

const char *const wire_grades[] = {
	WIRE_GRADE_GENERAL, WIRE_GRADE_MAJOR, NULL
};

const char *const wire_states[] = {
	WIRE_STATE_OPEN, WIRE_STATE_RECTIFIED, WIRE_STATE_CLOSED,
	WIRE_STATE_CANCELLED, NULL
};

const char *const wire_actions[] = {
	WIRE_ACTION_REPORT, WIRE_ACTION_ASSESS, WIRE_ACTION_RECTIFY,
	WIRE_ACTION_VERIFY, WIRE_ACTION_REJECT, WIRE_ACTION_CANCEL,
	WIRE_ACTION_ESCALATE, WIRE_ACTION_PHOTO, NULL
};

const char *const wire_roles[] = {
	WIRE_ROLE_OFFICE, WIRE_ROLE_SCHOOL, NULL
};

const char *const wire_cycles[] = {
	WIRE_CYCLE_DAILY, WIRE_CYCLE_WEEKLY, WIRE_CYCLE_MONTHLY, NULL
};

const char *const wire_bys[] = {
	WIRE_BY_SCHOOL, WIRE_BY_CATEGORY, WIRE_BY_MONTH, NULL
};

const char *const wire_formats[] = {
	WIRE_FORMAT_CSV, WIRE_FORMAT_JSON, NULL
};

int
wire_find(const char *const *names, const char *name)
{
	int	i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

/*
 * The words of the wire in Chinese, as the digests name them
 * (daemon/digest_text.c): a user may type either.  One word may have
 * more than one name (已销号 and 已验收).
 */
static const struct {
	const char	*word;
	const char	*zh;
} synonyms[] = {
	{ WIRE_KIND_HAZARD, "隐患" },
	{ WIRE_KIND_FINDING, "问题" },
	{ WIRE_GRADE_GENERAL, "一般" },
	{ WIRE_GRADE_GENERAL, "一般隐患" },
	{ WIRE_GRADE_MAJOR, "重大" },
	{ WIRE_GRADE_MAJOR, "重大隐患" },
	{ WIRE_STATE_OPEN, "待整改" },
	{ WIRE_STATE_RECTIFIED, "待验收" },
	{ WIRE_STATE_CLOSED, "已销号" },
	{ WIRE_STATE_CLOSED, "已验收" },
	{ WIRE_STATE_CANCELLED, "已撤销" },
	{ WIRE_BY_SCHOOL, "学校" },
	{ WIRE_BY_CATEGORY, "类别" },
	{ WIRE_BY_MONTH, "月份" },
	{ WIRE_CYCLE_DAILY, "日报" },
	{ WIRE_CYCLE_WEEKLY, "周报" },
	{ WIRE_CYCLE_MONTHLY, "月报" },
};

const char *
wire_word(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
		if (strcmp(synonyms[i].zh, name) == 0)
			return synonyms[i].word;
	return name;
}

const char *
wire_zh(const char *word)
{
	size_t	i;

	for (i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]); i++)
		if (strcmp(synonyms[i].word, word) == 0)
			return synonyms[i].zh;
	return word;
}

/*
 * The names of the wire's words for people, in English, marked for
 * translation: hazardctl prints _(wire_label(word)).
 */
static const struct {
	const char	*word;
	const char	*label;
} labels[] = {
	{ WIRE_KIND_HAZARD, N_("hazard") },
	{ WIRE_KIND_FINDING, N_("finding") },
	{ WIRE_GRADE_GENERAL, N_("general") },
	{ WIRE_GRADE_MAJOR, N_("major") },
	{ WIRE_STATE_OPEN, N_("open") },
	{ WIRE_STATE_RECTIFIED, N_("rectified") },
	{ WIRE_STATE_CLOSED, N_("closed") },
	{ WIRE_STATE_CANCELLED, N_("cancelled") },
	{ WIRE_STATE_REJECTED, N_("rejected") },
	{ WIRE_ACTION_REPORT, N_("report") },
	{ WIRE_ACTION_ASSESS, N_("assess") },
	{ WIRE_ACTION_RECTIFY, N_("rectify") },
	{ WIRE_ACTION_VERIFY, N_("verify") },
	{ WIRE_ACTION_REJECT, N_("reject") },
	{ WIRE_ACTION_CANCEL, N_("cancel") },
	{ WIRE_ACTION_ESCALATE, N_("escalate") },
	{ WIRE_ACTION_PHOTO, N_("photo") },
	{ WIRE_ROLE_OFFICE, N_("office") },
	{ WIRE_ROLE_SCHOOL, N_("school") },
	{ WIRE_ROLE_SYSTEM, N_("system") },
	{ WIRE_CYCLE_DAILY, N_("daily") },
	{ WIRE_CYCLE_WEEKLY, N_("weekly") },
	{ WIRE_CYCLE_MONTHLY, N_("monthly") },
};

const char *
wire_label(const char *word)
{
	size_t	i;

	if (word == NULL)
		return NULL;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].word, word) == 0)
			return labels[i].label;
	return word;
}
