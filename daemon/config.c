/*
 * The INI configuration file, parsed with inih into struct config.
 * Every problem is reported, not just the first.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"
#include "db.h"
#include "i18n.h"
#include "xmalloc.h"

/*
 * What the line reader and the handler share: inih calls the reader for
 * each line and then the handler for it, so `line` is the handler's line.
 */
struct parse {
	struct config	*cfg;
	const char	*name;
	FILE		*file;		/* reading a file, or */
	const char	*text;		/* reading a string */
	int		 line;
	char		*buf;
	size_t		 bufsize;
};

/* Appends one line to *lines. */
static void __attribute__((format(printf, 2, 0)))
config_append(char **lines, const char *fmt, va_list ap)
{
	char	*line, *joined;

	if (vasprintf(&line, fmt, ap) == -1)
		return;
	if (*lines == NULL)
		*lines = line;
	else {
		xasprintf(&joined, "%s\n%s", *lines, line);
		free(*lines);
		free(line);
		*lines = joined;
	}
}

/* Appends the line fmt makes to *lines. */
static void __attribute__((format(printf, 2, 3)))
config_line(char **lines, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	config_append(lines, fmt, ap);
	va_end(ap);
}

/*
 * Appends one line to cfg->errors, and the same in the user's language
 * (fmt marked N_()) to cfg->errors_said.
 */
static void __attribute__((format(printf, 2, 3)))
config_error(struct config *cfg, const char *fmt, ...)
{
	va_list	 ap, said;

	va_start(ap, fmt);
	va_copy(said, ap);
	config_append(&cfg->errors, fmt, ap);
	config_append(&cfg->errors_said, _(fmt), said);
	va_end(said);
	va_end(ap);
}

/* Appends one line to cfg->warnings, and to cfg->warnings_said. */
static void __attribute__((format(printf, 2, 3)))
config_warning(struct config *cfg, const char *fmt, ...)
{
	va_list	 ap, said;

	va_start(ap, fmt);
	va_copy(said, ap);
	config_append(&cfg->warnings, fmt, ap);
	config_append(&cfg->warnings_said, _(fmt), said);
	va_end(said);
	va_end(ap);
}

/*
 * Appends "FILE:LINE: [SECTION] KEY = VALUE: WHY" to cfg->errors, and
 * with WHY (marked N_()) in the user's language to cfg->errors_said.
 */
static void
config_bad(struct parse *p, const char *section, const char *key,
    const char *value, const char *why)
{
	config_line(&p->cfg->errors, "%s:%d: [%s] %s = %s: %s", p->name,
	    p->line, section, key, value, why);
	config_line(&p->cfg->errors_said, "%s:%d: [%s] %s = %s: %s", p->name,
	    p->line, section, key, value, _(why));
}

static void
set_string(char **dst, const char *value)
{
	free(*dst);
	*dst = xstrdup(value);
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen = xstrdup("127.0.0.1:8470");
	cfg->max_body = 65536;
	cfg->max_import = 67108864;
	cfg->max_photo = 10485760;
	cfg->max_photos_per_hazard = 9;
	cfg->max_output = 16777216;
	cfg->timeout = 30;
	cfg->metrics_token = xstrdup("");
	cfg->metrics_listen = xstrdup("");
	cfg->database = xstrdup(LOCALSTATEDIR "/lib/hazardd/hazardd.db");
	cfg->check_at_start = DB_CHECK_AUTO;
	cfg->list_scan = 10000;
	cfg->timezone = xstrdup("Asia/Shanghai");
	cfg->daily = (struct config_when){ 0, 8, 0 };
	cfg->weekly = (struct config_when){ 1, 8, 30 };
	cfg->monthly = (struct config_when){ 1, 9, 0 };
	cfg->due_soon_days = 3;
	cfg->escalate_after_days = 30;
	cfg->outbox = xstrdup(LOCALSTATEDIR "/lib/hazardd/outbox");
	cfg->language = xstrdup("zh");
	cfg->command = xstrdup("");
	cfg->webhook = xstrdup("");
	cfg->webhook_format = xstrdup("");
	cfg->webhook_secret = xstrdup("");
	cfg->retry_base = 30;
	cfg->robot_rows = 10;
	cfg->command_timeout = 60;
	category_defaults(&cfg->categories);
}

void
config_free(struct config *cfg)
{
	size_t	i;

	free(cfg->listen);
	free(cfg->listen_host);
	free(cfg->metrics_token);
	free(cfg->metrics_listen);
	free(cfg->metrics_host);
	free(cfg->database);
	free(cfg->timezone);
	free(cfg->outbox);
	free(cfg->language);
	free(cfg->command);
	free(cfg->webhook);
	free(cfg->webhook_format);
	free(cfg->webhook_secret);
	for (i = 0; i < cfg->ndepartments; i++) {
		free(cfg->departments[i].category);
		free(cfg->departments[i].name);
	}
	free(cfg->departments);
	category_free(&cfg->categories);
	free(cfg->errors);
	free(cfg->errors_said);
	free(cfg->warnings);
	free(cfg->warnings_said);
	memset(cfg, 0, sizeof(*cfg));
}

/* Parses yes, true or 1 (1) and no, false or 0 (0).  Returns 0 or -1. */
static int
parse_yesno(const char *value, int *out)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "1") == 0 ||
	    strcmp(value, "true") == 0)
		*out = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "0") == 0 ||
	    strcmp(value, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Parses a whole decimal number in [min, max].  Returns 0 or -1. */
static int
parse_long(const char *value, long min, long max, long *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || errno != 0 || v < min ||
	    v > max)
		return -1;
	*out = v;
	return 0;
}

/* Parses "HH:MM".  Returns 0 or -1. */
static int
parse_hhmm(const char *s, struct config_when *w)
{
	if (strlen(s) != 5 || s[2] != ':' ||
	    sscanf(s, "%2d:%2d", &w->hour, &w->minute) != 2 ||
	    w->hour < 0 || w->hour > 23 || w->minute < 0 || w->minute > 59)
		return -1;
	return 0;
}

/* Parses "Mon 08:30" (English day names, three letters or whole). */
static int
parse_weekly(const char *s, struct config_when *w)
{
	static const char *days[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	static const char *long_days[] = { "monday", "tuesday", "wednesday",
	    "thursday", "friday", "saturday", "sunday" };
	const char	*sp;
	size_t		 n;
	int		 i;

	if ((sp = strchr(s, ' ')) == NULL)
		return -1;
	n = sp - s;
	for (i = 0; i < 7; i++) {
		if ((n == 3 && strncasecmp(s, days[i], 3) == 0) ||
		    (n == strlen(long_days[i]) &&
		    strncasecmp(s, long_days[i], n) == 0))
			break;
	}
	if (i == 7)
		return -1;
	w->day = i + 1;
	while (*sp == ' ')
		sp++;
	return parse_hhmm(sp, w);
}

/* Parses "1 09:00": a day of the month (1-28, so every month has it). */
static int
parse_monthly(const char *s, struct config_when *w)
{
	char	 day[8];
	long	 d;
	const char *sp;

	if ((sp = strchr(s, ' ')) == NULL || (size_t)(sp - s) >= sizeof(day))
		return -1;
	memcpy(day, s, sp - s);
	day[sp - s] = '\0';
	if (parse_long(day, 1, 28, &d) == -1)
		return -1;
	w->day = (int)d;
	while (*sp == ' ')
		sp++;
	return parse_hhmm(sp, w);
}

/*
 * Splits "host:port", "[v6]:port" into *hostp (allocated, the old one
 * freed) and *portp.  Returns 0 or -1.
 */
static int
parse_hostport(const char *value, char **hostp, int *portp)
{
	const char	*colon, *host, *end;
	size_t		 hostlen;
	long		 port;

	if (value[0] == '[') {
		if ((end = strchr(value, ']')) == NULL || end[1] != ':')
			return -1;
		host = value + 1;
		hostlen = end - host;
		colon = end + 1;
	} else {
		if ((colon = strrchr(value, ':')) == NULL ||
		    memchr(value, ':', colon - value) != NULL)
			return -1;
		host = value;
		hostlen = colon - value;
	}
	if (hostlen == 0 || parse_long(colon + 1, 0, 65535, &port) == -1)
		return -1;
	free(*hostp);
	*hostp = xmalloc(hostlen + 1);
	memcpy(*hostp, host, hostlen);
	(*hostp)[hostlen] = '\0';
	*portp = (int)port;
	return 0;
}

/* The address of listen.  Returns 0 or -1. */
static int
parse_listen(struct config *cfg, const char *value)
{
	return parse_hostport(value, &cfg->listen_host, &cfg->listen_port);
}

/* Accepts an IANA zone name that the system's zoneinfo holds. */
static int
valid_timezone(const char *tz)
{
	const char	*dir;
	char		 path[PATH_MAX], magic[4];
	FILE		*f;
	int		 ok;

	if (*tz == '\0' || *tz == '/' || strstr(tz, "..") != NULL)
		return 0;
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (snprintf(path, sizeof(path), "%s/%s", dir, tz) >=
	    (int)sizeof(path))
		return 0;
	/* A zone is a file in the TZif format, not a directory or table. */
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	    memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

/* The line of the deprecated [departments] that maps category, or NULL. */
static const struct config_department *
department_line(const struct config *cfg, const char *category)
{
	size_t	i;

	for (i = 0; i < cfg->ndepartments; i++)
		if (strcmp(cfg->departments[i].category, category) == 0)
			return &cfg->departments[i];
	return NULL;
}

/*
 * A line of [categories]: code = 中文名 | English name | department.  The
 * first one replaces the default set.
 */
static void
config_category(struct parse *p, const char *key, const char *value)
{
	struct config	*cfg = p->cfg;
	struct category	 c;
	const char	*why;

	if (!cfg->has_categories) {
		category_free(&cfg->categories);
		cfg->has_categories = 1;
	}
	if ((why = category_parse(key, value, &c)) == NULL)
		why = category_add(&cfg->categories, &c);
	if (why != NULL)
		config_bad(p, "categories", key, value, why);
}

/*
 * The deprecated [departments] of an older configuration, applied to
 * the categories: a known code takes the department, an unknown one
 * becomes a category named by its code, so that its reports go on.
 */
static void
config_departments(struct parse *p)
{
	struct config		*cfg = p->cfg;
	struct config_department *d;
	struct category		*c, add;
	size_t			 i;

	for (i = 0; i < cfg->ndepartments; i++) {
		d = &cfg->departments[i];
		if ((c = (struct category *)category_get(&cfg->categories,
		    d->category)) != NULL) {
			free(c->department);
			c->department = xstrdup(d->name);
		} else if (category_find(&cfg->categories, d->category) !=
		    NULL || !category_code_valid(d->category))
			config_error(cfg, N_("%s:%d: [departments] %s: not the "
			    "code of a category (a code is 1-32 of a-z 0-9 - "
			    "_, and no category's name)"), p->name, d->line,
			    d->category);
		else {
			add.code = xstrdup(d->category);
			add.zh = xstrdup(d->category);
			add.en = xstrdup(d->category);
			add.department = xstrdup(d->name);
			(void)category_add(&cfg->categories, &add);
		}
	}
	if (cfg->ndepartments > 0)
		config_warning(cfg, N_("%s: [departments] is deprecated: give "
		    "each category its department in [categories] (code = "
		    "中文名 | English name | department)"), p->name);
}

/* A value for one key; checks it and stores it, or records why not. */
static void
config_set(struct parse *p, const char *section, const char *key,
    const char *value)
{
	struct config	*cfg = p->cfg;
	long		 n;

#define IS(s, k) (strcmp(section, (s)) == 0 && strcmp(key, (k)) == 0)
#define BAD(what) config_bad(p, section, key, value, (what))
	if (IS("server", "listen")) {
		if (parse_listen(cfg, value) == -1)
			BAD(N_("expected host:port or [v6]:port"));
		else
			set_string(&cfg->listen, value);
	} else if (IS("server", "max_body")) {
		if (parse_long(value, 1024, 64L * 1024 * 1024, &n) == -1)
			BAD(N_("expected bytes between 1024 and 67108864"));
		else
			cfg->max_body = n;
	} else if (IS("server", "max_import")) {
		if (parse_long(value, 1024, 1024L * 1024 * 1024, &n) == -1)
			BAD(N_("expected bytes between 1024 and 1073741824"));
		else
			cfg->max_import = n;
	} else if (IS("server", "max_photo")) {
		if (parse_long(value, 1024, 256L * 1024 * 1024, &n) == -1)
			BAD(N_("expected bytes between 1024 and 268435456"));
		else
			cfg->max_photo = n;
	} else if (IS("server", "max_photos_per_hazard")) {
		if (parse_long(value, 0, 1000, &n) == -1)
			BAD(N_("expected a number of photos between 0 and "
			    "1000"));
		else
			cfg->max_photos_per_hazard = (int)n;
	} else if (IS("server", "max_output")) {
		/* A few pieces of an export (320 KiB each) at least. */
		if (parse_long(value, 1024L * 1024, 1024L * 1024 * 1024,
		    &n) == -1)
			BAD(N_("expected bytes between 1048576 and "
			    "1073741824"));
		else
			cfg->max_output = n;
	} else if (IS("server", "timeout")) {
		if (parse_long(value, 1, 3600, &n) == -1)
			BAD(N_("expected seconds between 1 and 3600"));
		else
			cfg->timeout = (int)n;
	} else if (IS("server", "metrics_listen")) {
		if (*value != '\0' && parse_hostport(value,
		    &cfg->metrics_host, &cfg->metrics_port) == -1)
			BAD(N_("expected host:port or [v6]:port"));
		else
			set_string(&cfg->metrics_listen, value);
	} else if (IS("server", "metrics_token")) {
		/* A secret: the error does not repeat it. */
		if (*value != '\0' && (strlen(value) < 16 ||
		    strlen(value) > 256))
			config_error(cfg, N_("%s:%d: [server] metrics_token: "
			    "expected 16 to 256 characters"), p->name, p->line);
		else
			set_string(&cfg->metrics_token, value);
	} else if (IS("storage", "database")) {
		if (*value == '\0')
			BAD(N_("a path is required"));
		else
			set_string(&cfg->database, value);
	} else if (IS("storage", "check_at_start")) {
		if (strcmp(value, "auto") == 0)
			cfg->check_at_start = DB_CHECK_AUTO;
		else if (strcmp(value, "quick") == 0)
			cfg->check_at_start = DB_CHECK_QUICK;
		else if (strcmp(value, "full") == 0)
			cfg->check_at_start = DB_CHECK_FULL;
		else if (strcmp(value, "off") == 0)
			cfg->check_at_start = DB_CHECK_OFF;
		else
			BAD(N_("expected auto, quick, full or off"));
	} else if (IS("storage", "list_scan")) {
		if (parse_long(value, 1, 100000000, &n) == -1)
			BAD(N_("expected a number of hazards between 1 and "
			    "100000000"));
		else
			cfg->list_scan = (int)n;
	} else if (IS("schedule", "timezone")) {
		if (!valid_timezone(value))
			BAD(N_("not a time zone of the system (e.g. "
			    "Asia/Shanghai)"));
		else
			set_string(&cfg->timezone, value);
	} else if (IS("schedule", "daily")) {
		if (parse_hhmm(value, &cfg->daily) == -1)
			BAD(N_("expected HH:MM"));
	} else if (IS("schedule", "weekly")) {
		if (parse_weekly(value, &cfg->weekly) == -1)
			BAD(N_("expected a day and HH:MM, e.g. Mon 08:30"));
	} else if (IS("schedule", "monthly")) {
		if (parse_monthly(value, &cfg->monthly) == -1)
			BAD(N_("expected a day 1-28 and HH:MM, e.g. 1 09:00"));
	} else if (IS("policy", "due_soon_days")) {
		if (parse_long(value, 0, 365, &n) == -1)
			BAD(N_("expected days between 0 and 365"));
		else
			cfg->due_soon_days = (int)n;
	} else if (IS("policy", "default_deadline_days")) {
		if (parse_long(value, 0, 3650, &n) == -1)
			BAD(N_("expected days between 0 and 3650"));
		else
			cfg->default_deadline_days = (int)n;
	} else if (IS("policy", "rectify_needs_photo")) {
		if (parse_yesno(value, &cfg->rectify_needs_photo) == -1)
			BAD(N_("expected yes or no"));
	} else if (IS("policy", "escalate_after_days")) {
		if (parse_long(value, 1, 3650, &n) == -1)
			BAD(N_("expected days between 1 and 3650"));
		else
			cfg->escalate_after_days = (int)n;
	} else if (IS("deliver", "outbox")) {
		set_string(&cfg->outbox, value);
	} else if (IS("deliver", "language")) {
		if (strcmp(value, "zh") != 0 && strcmp(value, "en") != 0)
			BAD(N_("expected zh or en"));
		else
			set_string(&cfg->language, value);
	} else if (IS("deliver", "command")) {
		set_string(&cfg->command, value);
	} else if (IS("deliver", "webhook")) {
		if (*value != '\0' && strncmp(value, "https://", 8) != 0 &&
		    strncmp(value, "http://", 7) != 0)
			BAD(N_("expected an http:// or https:// URL"));
		else
			set_string(&cfg->webhook, value);
	} else if (IS("deliver", "webhook_format")) {
		if (*value != '\0' && strcmp(value, "dingtalk") != 0 &&
		    strcmp(value, "wecom") != 0)
			BAD(N_("expected dingtalk or wecom"));
		else
			set_string(&cfg->webhook_format, value);
	} else if (IS("deliver", "webhook_secret")) {
		set_string(&cfg->webhook_secret, value);
	} else if (IS("deliver", "retry_base")) {
		if (parse_long(value, 1, 3600, &n) == -1)
			BAD(N_("expected seconds between 1 and 3600"));
		else
			cfg->retry_base = (int)n;
	} else if (IS("deliver", "robot_rows")) {
		if (parse_long(value, 1, 500, &n) == -1)
			BAD(N_("expected a number of rows between 1 and 500"));
		else
			cfg->robot_rows = (int)n;
	} else if (IS("deliver", "command_timeout")) {
		if (parse_long(value, 1, 3600, &n) == -1)
			BAD(N_("expected seconds between 1 and 3600"));
		else
			cfg->command_timeout = (int)n;
	} else if (IS("log", "debug")) {
		if (parse_yesno(value, &cfg->debug) == -1)
			BAD(N_("expected yes or no"));
	} else if (strcmp(section, "categories") == 0) {
		config_category(p, key, value);
	} else if (strcmp(section, "departments") == 0) {
		if (*value == '\0')
			BAD(N_("a department name is required"));
		else if (department_line(cfg, key) != NULL)
			BAD(N_("this category is mapped twice"));
		else {
			cfg->departments = xreallocarray(cfg->departments,
			    cfg->ndepartments + 1, sizeof(*cfg->departments));
			cfg->departments[cfg->ndepartments].category =
			    xstrdup(key);
			cfg->departments[cfg->ndepartments].name =
			    xstrdup(value);
			cfg->departments[cfg->ndepartments].line = p->line;
			cfg->ndepartments++;
		}
	} else
		config_error(cfg, N_("%s:%d: [%s] %s: unknown key"), p->name,
		    p->line, section, key);
#undef BAD
#undef IS
}

/* inih's callback: always goes on, so that every problem is seen. */
static int
config_handler(void *arg, const char *section, const char *key,
    const char *value)
{
	config_set(arg, section, key, value);
	return 1;
}

/*
 * inih's line reader.  Reads a whole line, counts it, and hands inih a
 * line it cannot misread: leading white space is dropped (inih would
 * take an indented line for the continuation of the previous value),
 * and a line that is too long or is neither a section, a comment nor
 * key = value is reported here with its number and replaced by a blank.
 */
static char *
config_read_line(char *str, int num, void *arg)
{
	struct parse	*p = arg;
	const char	*nl, *s;
	ssize_t		 len;

	if (p->file != NULL) {
		if ((len = getline(&p->buf, &p->bufsize, p->file)) == -1)
			return NULL;
	} else {
		if (*p->text == '\0')
			return NULL;
		nl = strchr(p->text, '\n');
		len = nl == NULL ? (ssize_t)strlen(p->text) : nl - p->text + 1;
		if ((size_t)len + 1 > p->bufsize) {
			p->bufsize = len + 1;
			p->buf = xreallocarray(p->buf, 1, p->bufsize);
		}
		memcpy(p->buf, p->text, len);
		p->buf[len] = '\0';
		p->text += len;
	}
	p->line++;
	for (s = p->buf; *s == ' ' || *s == '\t'; s++)
		;
	len = strcspn(s, "\r\n");
	if (len >= num - 1) {
		config_error(p->cfg, N_("%s:%d: the line is longer than %d "
		    "bytes"), p->name, p->line, num - 2);
		s = "";
	} else if (len > 0 && *s != ';' && *s != '#' && *s != '[' &&
	    memchr(s, '=', len) == NULL && memchr(s, ':', len) == NULL) {
		config_error(p->cfg, N_("%s:%d: syntax error (expected "
		    "[section] or key = value)"), p->name, p->line);
		s = "";
	}
	snprintf(str, num, "%.*s\n", (int)len, s);
	return str;
}

/* Parses with inih through config_read_line, then the final checks. */
static int
config_parse(struct parse *p)
{
	struct config	*cfg = p->cfg;
	int		 rc;

	rc = ini_parse_stream(config_read_line, p, config_handler, p);
	free(p->buf);
	if (rc == -2)
		config_error(cfg, N_("%s: out of memory"), p->name);
	else if (rc > 0)
		config_error(cfg, N_("%s:%d: syntax error (expected [section] "
		    "or key = value)"), p->name, rc);
	config_departments(p);
	if (cfg->listen_host == NULL && parse_listen(cfg, cfg->listen) == -1)
		config_error(cfg, N_("%s: bad listen address"), p->name);
	return cfg->errors == NULL ? 0 : -1;
}

int
config_load(struct config *cfg, const char *path)
{
	FILE	*f;
	int	 rc, saved;

	if ((f = fopen(path, "r")) == NULL) {
		saved = errno;
		config_line(&cfg->errors, "%s: cannot open: %s", path,
		    strerrordesc_np(saved));
		config_line(&cfg->errors_said, _("%s: cannot open: %s"), path,
		    strerror(saved));
		return -1;
	}
	rc = config_load_stream(cfg, path, f);
	fclose(f);
	return rc;
}

int
config_load_stream(struct config *cfg, const char *name, FILE *f)
{
	struct parse	p = { .cfg = cfg, .name = name, .file = f };

	return config_parse(&p);
}

int
config_load_string(struct config *cfg, const char *name, const char *text)
{
	struct parse	p = { .cfg = cfg, .name = name, .text = text };

	return config_parse(&p);
}

const char *
config_department(const struct config *cfg, const char *category)
{
	const struct category	*c;

	if ((c = category_get(&cfg->categories, category)) == NULL)
		return NULL;
	return c->department;
}
