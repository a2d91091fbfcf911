/*
 * The vocabulary of safety activities.  The types are those of the
 * safety paragraph of a district's self-assessment (签订安全责任书,
 * 发出预警提示, 开展应急演练, 开展安全教育), with the inspections and
 * trainings schools also record; the drills' subtypes those the
 * Ministry of Education's drill guidance names.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "activity.h"

const struct activity_kind activity_types[] = {
	{ "agreement",	"安全责任书",	"Responsibility agreements", "份",
	  "agreements", "agreement" },
	{ "warning",	"预警提示",	"Early warnings",	"次", "times",
	  "time" },
	{ "drill",	"应急演练",	"Emergency drills",	"次", "times",
	  "time" },
	{ "lesson",	"安全教育",	"Safety lessons",	"课时",
	  "class hours", "class hour" },
	{ "inspection",	"安全检查",	"Safety inspections",	"次", "times",
	  "time" },
	{ "training",	"安全培训",	"Safety trainings",	"次", "times",
	  "time" },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

const struct activity_kind activity_drill_subtypes[] = {
	{ "fire",	"消防疏散",	"Fire evacuation",	"次", "times",
	  "time" },
	{ "earthquake",	"防震",		"Earthquake",		"次", "times",
	  "time" },
	{ "antiterror",	"反恐防暴",	"Anti-terrorism and violence", "次",
	  "times", "time" },
	{ "drowning",	"防溺水",	"Drowning prevention",	"次", "times",
	  "time" },
	{ "flood",	"防汛",		"Floods and storms",	"次", "times",
	  "time" },
	{ "traffic",	"交通安全",	"Traffic safety",	"次", "times",
	  "time" },
	{ "stampede",	"防踩踏",	"Crowd crush prevention", "次", "times",
	  "time" },
	{ "other",	"其他",		"Other",		"次", "times",
	  "time" },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

/* The entry of list that s names, or NULL. */
static const struct activity_kind *
find(const struct activity_kind *list, const char *s)
{
	for (; list->code != NULL; list++)
		if (strcasecmp(list->code, s) == 0 ||
		    strcmp(list->zh, s) == 0 || strcasecmp(list->en, s) == 0)
			return list;
	return NULL;
}

/* The index of code in list, or -1. */
static int
index_of(const struct activity_kind *list, const char *code)
{
	int	i;

	for (i = 0; list[i].code != NULL; i++)
		if (strcmp(list[i].code, code) == 0)
			return i;
	return -1;
}

const char *
activity_unit(const struct activity_kind *k, long long n, int en)
{
	if (!en)
		return k->unit_zh;
	return n == 1 ? k->unit_en1 : k->unit_en;
}

const struct activity_kind *
activity_type_find(const char *s)
{
	return find(activity_types, s);
}

const struct activity_kind *
activity_subtype_find(const char *type, const char *s)
{
	if (strcmp(type, ACTIVITY_DRILL) != 0)
		return NULL;
	return find(activity_drill_subtypes, s);
}

int
activity_type_index(const char *code)
{
	return index_of(activity_types, code);
}

int
activity_subtype_index(const char *code)
{
	return index_of(activity_drill_subtypes, code);
}

void
activity_codes(const struct activity_kind *list, char *buf,
    size_t len)
{
	size_t	at = 0;
	int	n;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (; list->code != NULL; list++) {
		n = snprintf(buf + at, len - at, "%s%s", at == 0 ? "" : ", ",
		    list->code);
		if (n < 0 || (size_t)n >= len - at)
			return;
		at += n;
	}
}
