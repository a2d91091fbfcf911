/*
 * The vocabulary of categories.  The default set is what a Chinese
 * school district's self-assessments and the Ministry of Education's
 * school safety checklists name; its first twelve codes are those that
 * bench/gen and the district's records already use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "category.h"
#include "i18n.h"
#include "utf8.h"
#include "xmalloc.h"

static const struct {
	const char	*code, *zh, *en, *department;
} defaults[] = {
	{ "fire",	  "消防安全",	"Fire safety",	"消防救援大队" },
	{ "buildings",	  "校舍建筑",	"School buildings",
	  "住房和城乡建设局" },
	{ "electrical",	  "用电安全",	"Electrical safety", "应急管理局" },
	{ "food",	  "食品安全",	"Food safety",	"市场监督管理局" },
	{ "surroundings", "周边环境",	"School surroundings", "公安分局" },
	{ "traffic",	  "交通安全",	"Traffic and school buses",
	  "交警大队" },
	{ "security",	  "治安防范",	"Guards, alarms and cameras",
	  "公安分局" },
	{ "lab",	  "实验室安全",	"Laboratory safety", "应急管理局" },
	{ "sports",	  "体育运动",	"Sports and PE", "教育局体卫艺科" },
	{ "health",	  "卫生防疫",	"Health and epidemics", "卫生健康局" },
	{ "dormitory",	  "宿舍安全",	"Dormitories",	"教育局安全科" },
	{ "water",	  "防溺水",	"Drowning prevention", "水务局" },
	{ "facilities",	  "设施设备",	"Facilities and equipment",
	  "教育局装备中心" },
	{ "chemicals",	  "危险化学品",	"Hazardous chemicals", "应急管理局" },
	{ "equipment",	  "特种设备",	"Lifts, boilers and gas",
	  "市场监督管理局" },
	{ "bullying",	  "校园欺凌",	"Bullying",	"教育局安全科" },
	{ "events",	  "大型活动",	"Large gatherings", "公安分局" },
	{ "disaster",	  "自然灾害",	"Floods, storms and landslides",
	  "应急管理局" },
};

static void
category_clear(struct category *c)
{
	free(c->code);
	free(c->zh);
	free(c->en);
	free(c->department);
	memset(c, 0, sizeof(*c));
}

void
category_defaults(struct categories *cs)
{
	struct category	c;
	size_t		i;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		c.code = xstrdup(defaults[i].code);
		c.zh = xstrdup(defaults[i].zh);
		c.en = xstrdup(defaults[i].en);
		c.department = xstrdup(defaults[i].department);
		(void)category_add(cs, &c);
	}
}

void
category_free(struct categories *cs)
{
	size_t	i;

	for (i = 0; i < cs->n; i++)
		category_clear(&cs->list[i]);
	free(cs->list);
	memset(cs, 0, sizeof(*cs));
}

void
category_copy(struct categories *to, const struct categories *from)
{
	const struct category	*f;
	size_t			 i;

	to->n = from->n;
	to->list = xreallocarray(NULL, from->n + 1, sizeof(*to->list));
	for (i = 0; i < from->n; i++) {
		f = &from->list[i];
		to->list[i].code = xstrdup(f->code);
		to->list[i].zh = xstrdup(f->zh);
		to->list[i].en = xstrdup(f->en);
		to->list[i].department = f->department == NULL ? NULL :
		    xstrdup(f->department);
	}
}

const struct category *
category_find(const struct categories *cs, const char *s)
{
	const struct category	*c;
	size_t			 i;

	for (i = 0; i < cs->n; i++) {
		c = &cs->list[i];
		if (strcasecmp(c->code, s) == 0 || strcmp(c->zh, s) == 0 ||
		    strcasecmp(c->en, s) == 0)
			return c;
	}
	return NULL;
}

const struct category *
category_get(const struct categories *cs, const char *code)
{
	size_t	i;

	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->list[i].code, code) == 0)
			return &cs->list[i];
	return NULL;
}

int
category_code_valid(const char *code)
{
	size_t	len = strlen(code);

	return len > 0 && len <= CATEGORY_CODE_MAX &&
	    strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-_") == len;
}

/* Copies s without the white space around it. */
static char *
trimmed(const char *s, size_t len)
{
	char	*out;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	out = xmalloc(len + 1);
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* Checks a name: 1-64 characters of valid UTF-8. */
static int
name_valid(const char *s)
{
	long	n = utf8_count(s, strlen(s));

	return n > 0 && n <= CATEGORY_NAME_MAX && !utf8_blank(s);
}

const char *
category_parse(const char *code, const char *value, struct category *c)
{
	const char	*p, *bar;
	char		*part[3] = { NULL, NULL, NULL };
	int		 n = 0;

	memset(c, 0, sizeof(*c));
	if (!category_code_valid(code))
		return N_("a code is 1-32 of a-z 0-9 - _");
	for (p = value;; p = bar + 1) {
		if (n == 3) {
			free(part[0]);
			free(part[1]);
			free(part[2]);
			return N_("expected 中文名 | English name | "
			    "department");
		}
		bar = strchr(p, '|');
		part[n++] = trimmed(p, bar == NULL ? strlen(p) :
		    (size_t)(bar - p));
		if (bar == NULL)
			break;
	}
	c->code = xstrdup(code);
	c->zh = part[0];
	c->en = part[1];
	c->department = part[2];
	if (c->en == NULL || !name_valid(c->zh) || !name_valid(c->en)) {
		category_clear(c);
		return N_("expected 中文名 | English name | department (the "
		    "names 1-64 characters, the department may be left out)");
	}
	if (c->department != NULL && *c->department == '\0') {
		free(c->department);
		c->department = NULL;
	}
	return NULL;
}

const char *
category_add(struct categories *cs, struct category *c)
{
	if (category_find(cs, c->code) != NULL ||
	    category_find(cs, c->zh) != NULL ||
	    category_find(cs, c->en) != NULL) {
		category_clear(c);
		return N_("a category has this code or name already");
	}
	cs->list = xreallocarray(cs->list, cs->n + 1, sizeof(*cs->list));
	cs->list[cs->n++] = *c;
	memset(c, 0, sizeof(*c));
	return NULL;
}

void
category_codes(const struct categories *cs, char *buf, size_t len)
{
	size_t	i, at = 0;
	int	n;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < cs->n; i++) {
		n = snprintf(buf + at, len - at, "%s%s", i == 0 ? "" : ", ",
		    cs->list[i].code);
		if (n < 0 || (size_t)n >= len - at) {
			if (len >= 4)
				memcpy(buf + len - 4, "...", 4);
			return;
		}
		at += n;
	}
}
