/*
 * The year's safety paragraph.  See yearbook.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate.h"
#include "xmalloc.h"
#include "yearbook.h"

#define YEARBOOK_MAX	1024

/* Appends a formatted clause to buf, after sep if buf has one already. */
static void
clause(char *buf, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
clause(char *buf, const char *sep, const char *fmt, ...)
{
	va_list	ap;
	size_t	n = strlen(buf);

	if (n > 0 && sep != NULL) {
		snprintf(buf + n, YEARBOOK_MAX - n, "%s", sep);
		n = strlen(buf);
	}
	va_start(ap, fmt);
	vsnprintf(buf + n, YEARBOOK_MAX - n, fmt, ap);
	va_end(ap);
}

/* The activities, joined by commas, into buf (empty if none). */
static void
activities(char *buf, const struct yearbook *y)
{
	char	a[32], b[32];

	buf[0] = '\0';
	if (y->agreements > 0)
		clause(buf, "，", "签订安全责任书%s份", rate_about(a,
		    sizeof(a), (uint64_t)y->agreements));
	if (y->warnings > 0)
		clause(buf, "，", "发出预警提示%s次", rate_about(a,
		    sizeof(a), (uint64_t)y->warnings));
	if (y->drills > 0 && y->drills_terror > 0)
		clause(buf, "，", "开展应急演练%s次（其中反恐防暴演练%s次）",
		    rate_about(a, sizeof(a), (uint64_t)y->drills),
		    rate_about(b, sizeof(b), (uint64_t)y->drills_terror));
	else if (y->drills > 0)
		clause(buf, "，", "开展应急演练%s次", rate_about(a,
		    sizeof(a), (uint64_t)y->drills));
	if (y->lessons > 0)
		clause(buf, "，", "开展安全教育%s课时", rate_about(a,
		    sizeof(a), (uint64_t)y->lessons));
}

char *
yearbook_text(int year, const struct yearbook *y)
{
	char		 body[YEARBOOK_MAX], acts[YEARBOOK_MAX];
	char		 pct[16];
	const char	*who = y->school ? "本校" : "全区";
	char		*text;

	body[0] = '\0';
	if (y->hazards > 0)
		clause(body, "；", "共梳理排查安全隐患点%" PRId64 "条，"
		    "已完成整改%" PRId64 "条，整改率%s%%", y->hazards,
		    y->hazards_rectified, rate_format_percent(pct, sizeof(pct),
		    rate_tenths((uint64_t)y->hazards_rectified,
		    (uint64_t)y->hazards)));
	if (y->findings > 0 && y->findings_rectified == y->findings)
		clause(body, "；", "发现问题%" PRId64 "个，全部整改到位",
		    y->findings);
	else if (y->findings > 0)
		clause(body, "；", "发现问题%" PRId64 "个，已整改%" PRId64 "个",
		    y->findings, y->findings_rectified);
	activities(acts, y);
	if (acts[0] != '\0')
		clause(body, "；", "%s", acts);
	if (body[0] == '\0')
		xasprintf(&text, "%d年%s没有安全隐患排查与安全工作的记录。", year,
		    who);
	else
		xasprintf(&text, "%s%s。", who, body);
	return text;
}
