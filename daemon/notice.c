/*
 * Notices to schools' robots.  Like the robot's digest (digest_robot.c)
 * each is markdown for a phone: a heading, then paragraphs and list
 * items that need no alignment, every text from the office or a school
 * escaped.  A notice says what to do next with the hazardctl command
 * that does it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "log.h"
#include "notice.h"
#include "safetext.h"
#include "store.h"
#include "xmalloc.h"

/* A notice being written: its text, and its language. */
struct note {
	FILE	*out;
	char	*buf;
	size_t	 len;
	int	 en;
};

static void
note_open(struct note *n, const char *language)
{
	memset(n, 0, sizeof(*n));
	n->en = language != NULL && strcmp(language, "en") == 0;
	if ((n->out = open_memstream(&n->buf, &n->len)) == NULL)
		fatal("open_memstream");
}

/* Ends the text; the caller frees n->buf. */
static void
note_close(struct note *n)
{
	if (fclose(n->out) != 0)
		fatal("writing a notice");
}

/* Writes s, which the office or a school wrote, escaped for markdown. */
static void
put_safe(struct note *n, const char *s)
{
	char	*safe = safetext_markdown(s != NULL ? s : "");

	fputs(safe, n->out);
	free(safe);
}

/* Writes text of many lines as paragraphs, each line escaped. */
static void
put_lines(struct note *n, const char *text)
{
	const char	*p = text, *nl;
	char		*line;
	size_t		 len;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		xasprintf(&line, "%.*s", (int)len, p);
		if (line[strspn(line, " \t\r")] != '\0') {
			put_safe(n, line);
			fputs("\n\n", n->out);
		}
		free(line);
		p += len + (nl != NULL);
	}
}

/* A title for the chat's list: plain, on one line. */
static char *
title_of(const char *fmt_zh, const char *fmt_en, int en, const char *s,
    int64_t id)
{
	char	*plain = safetext_plain(s), *t;

	if (id != 0)
		xasprintf(&t, en ? "%s #%" PRId64 " %s" : "%s#%" PRId64 " %s",
		    en ? fmt_en : fmt_zh, id, plain);
	else
		xasprintf(&t, "%s%s", en ? fmt_en : fmt_zh, plain);
	free(plain);
	return t;
}

int
notice_rejection(int64_t school_id, int64_t event_id, int64_t hazard_id,
    const char *title, const char *note, const char *language, time_t now)
{
	struct note	 n;
	char		 about[32], *t;
	int		 rc;

	note_open(&n, language);
	fprintf(n.out, "### %s\n\n**#%" PRId64 " ", n.en ? "Rectification "
	    "rejected" : "整改被退回", hazard_id);
	put_safe(&n, title);
	fputs(n.en ? "**\n\nThe office's note:\n\n" : "**\n\n区安全办意见：\n\n",
	    n.out);
	put_lines(&n, note != NULL && *note != '\0' ? note : "-");
	fprintf(n.out, n.en ? "Rectify it again, then report it: "
	    "hazardctl rectify %" PRId64 " --note ...\n" : "请重新整改后再次"
	    "上报：hazardctl rectify %" PRId64 " --note ...\n", hazard_id);
	note_close(&n);
	t = title_of("整改被退回：", "Rectification rejected:", n.en, title,
	    hazard_id);
	snprintf(about, sizeof(about), "%" PRId64, event_id);
	rc = store_notice_add(school_id, "rejection", about, t, n.buf, now);
	free(t);
	free(n.buf);
	return rc == STORE_ERROR ? -1 : 0;
}

/* What a warning's notices share. */
struct warning_notice {
	const char	*about;
	const char	*title;
	const char	*body;
	time_t		 now;
	int		 failed;
};

static int
warning_add(int64_t school_id, void *arg)
{
	struct warning_notice	*w = arg;

	if (store_notice_add(school_id, "warning", w->about, w->title, w->body,
	    w->now) == STORE_ERROR) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

int
notice_warning(int64_t warning_id, const char *title, const char *body,
    const char *language, time_t now)
{
	struct warning_notice	 w;
	struct note		 n;
	char			 about[32], *t;
	int			 rc;

	note_open(&n, language);
	fputs(n.en ? "### Early warning: " : "### 预警通知：", n.out);
	put_safe(&n, title);
	fputs("\n\n", n.out);
	put_lines(&n, body);
	fprintf(n.out, n.en ? "Acknowledge it: hazardctl ack %" PRId64 "\n" :
	    "请确认收到：hazardctl ack %" PRId64 "\n", warning_id);
	note_close(&n);
	t = title_of("预警通知：", "Early warning: ", n.en, title, 0);
	snprintf(about, sizeof(about), "%" PRId64, warning_id);
	memset(&w, 0, sizeof(w));
	w.about = about;
	w.title = t;
	w.body = n.buf;
	w.now = now;
	rc = store_notice_warning_schools(warning_id, warning_add, &w);
	free(t);
	free(n.buf);
	return rc != STORE_OK || w.failed ? -1 : 0;
}

/* One school's morning notice, as its items come. */
struct morning {
	struct note	 n;
	int		 section;	/* the last item's enum notice_what */
	int		 items;
};

static int
morning_add(const struct notice_item *it, void *arg)
{
	static const char *const headings[][2] = {
		{ "逾期未整改", "Overdue" },
		{ "即将到期", "Due soon" },
		{ "整改被退回", "Rectifications rejected" },
		{ "未确认的预警通知", "Warnings not acknowledged" },
	};
	struct morning	*m = arg;
	struct note	*n = &m->n;

	if (it->what < NOTICE_OVERDUE || it->what > NOTICE_WARNING)
		return 0;
	if (it->what != m->section)
		fprintf(n->out, "\n#### %s\n\n",
		    headings[it->what - 1][n->en]);
	m->section = it->what;
	m->items++;
	/* The title first: "- #1" would begin a heading. */
	fputs("- ", n->out);
	put_safe(n, it->title);
	fprintf(n->out, " #%" PRId64, it->id);
	switch (it->what) {
	case NOTICE_OVERDUE:
		fprintf(n->out, n->en ? " · deadline %s · **%" PRId64 " day%s "
		    "overdue**" : " · 期限 %s · **逾期%" PRId64 "天%s**",
		    it->deadline, it->days, n->en && it->days != 1 ? "s" : "");
		break;
	case NOTICE_DUE_SOON:
		if (it->days == 0)
			fprintf(n->out, n->en ? " · deadline %s · due today" :
			    " · 期限 %s · 今日到期", it->deadline);
		else
			fprintf(n->out, n->en ? " · deadline %s · %" PRId64
			    " day%s left" : " · 期限 %s · 剩%" PRId64 "天%s",
			    it->deadline, it->days, n->en && it->days != 1 ?
			    "s" : "");
		break;
	default:
		break;
	}
	/* Rejected, wherever its deadline put it: the note, once. */
	if (it->what == NOTICE_REJECTED || (it->note != NULL &&
	    it->what != NOTICE_WARNING)) {
		fputs(n->en ? " · the office's note: " : " · 区安全办意见：",
		    n->out);
		put_safe(n, it->note != NULL ? it->note : "-");
	}
	fputc('\n', n->out);
	return 0;
}

/* What every school's morning shares. */
struct mornings {
	const char	*period;
	const char	*today;
	char		 due[11];
	time_t		 now;
	const char	*language;
	int		 failed;
};

static int
morning_school(int64_t school_id, void *arg)
{
	struct mornings		*ms = arg;
	struct morning		 m;
	struct school_robot	 sr;
	char			*t;
	int			 rc;

	memset(&m, 0, sizeof(m));
	if (store_school_robot_get(school_id, &sr) != STORE_OK) {
		ms->failed = 1;
		return -1;
	}
	note_open(&m.n, ms->language);
	fprintf(m.n.out, m.n.en ? "### To do today, %s: " : "### %s 今日待办：",
	    ms->today);
	put_safe(&m.n, sr.name);
	fputc('\n', m.n.out);
	rc = store_notice_items(school_id, ms->today, ms->due, ms->now,
	    morning_add, &m);
	fprintf(m.n.out, m.n.en ? "\nSee them all: hazardctl list --state "
	    "open\n" : "\n查看全部：hazardctl list --state open\n");
	note_close(&m.n);
	if (rc != STORE_OK)
		ms->failed = 1;
	else if (m.items > 0) {
		xasprintf(&t, m.n.en ? "To do today: %d" : "今日待办 %d 项",
		    m.items);
		if (store_notice_add(school_id, "morning", ms->period, t,
		    m.n.buf, ms->now) == STORE_ERROR)
			ms->failed = 1;
		free(t);
	}
	free(m.n.buf);
	store_school_robot_free(&sr);
	return ms->failed ? -1 : 0;
}

int
notice_morning(const char *period, const char *today, int due_soon_days,
    const char *language, time_t now)
{
	struct mornings	ms;
	int		y, m, d;

	memset(&ms, 0, sizeof(ms));
	ms.period = period;
	ms.today = today;
	ms.now = now;
	ms.language = language;
	if (date_parse(today, &y, &m, &d) == -1)
		return -1;
	date_civil_from_days(date_days_from_civil(y, m, d) + due_soon_days,
	    &y, &m, &d);
	snprintf(ms.due, sizeof(ms.due), "%04d-%02d-%02d", y, m, d);
	if (store_school_robots(morning_school, &ms) != STORE_OK ||
	    ms.failed) {
		log_warnx("notices: the morning's of %s could not be made",
		    period);
		return -1;
	}
	return 0;
}
