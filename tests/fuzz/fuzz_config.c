/*
 * The configuration file, through config_load_stream (a file, here
 * fmemopen) and config_load_string: the two readers agree, and a file
 * that is taken, written out again key by key, reads as the same
 * configuration.
 */
#include <stdarg.h>

#include "config.h"
#include "xmalloc.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_timezone();
	return 0;
}

static int
same_string(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_when(const struct config_when *a, const struct config_when *b)
{
	return a->day == b->day && a->hour == b->hour &&
	    a->minute == b->minute;
}

/* Two configurations are the same (their errors aside). */
static void
check_same(const struct config *a, const struct config *b)
{
	size_t	i;

	FUZZ_CHECK(same_string(a->listen, b->listen));
	FUZZ_CHECK(same_string(a->listen_host, b->listen_host));
	FUZZ_CHECK(a->listen_port == b->listen_port);
	FUZZ_CHECK(a->max_body == b->max_body);
	FUZZ_CHECK(a->max_import == b->max_import);
	FUZZ_CHECK(a->timeout == b->timeout);
	FUZZ_CHECK(same_string(a->database, b->database));
	FUZZ_CHECK(same_string(a->timezone, b->timezone));
	FUZZ_CHECK(same_when(&a->daily, &b->daily));
	FUZZ_CHECK(same_when(&a->weekly, &b->weekly));
	FUZZ_CHECK(same_when(&a->monthly, &b->monthly));
	FUZZ_CHECK(a->due_soon_days == b->due_soon_days);
	FUZZ_CHECK(a->escalate_after_days == b->escalate_after_days);
	FUZZ_CHECK(same_string(a->outbox, b->outbox));
	FUZZ_CHECK(same_string(a->language, b->language));
	FUZZ_CHECK(same_string(a->command, b->command));
	FUZZ_CHECK(same_string(a->webhook, b->webhook));
	FUZZ_CHECK(same_string(a->webhook_format, b->webhook_format));
	FUZZ_CHECK(same_string(a->webhook_secret, b->webhook_secret));
	FUZZ_CHECK(a->retry_base == b->retry_base);
	FUZZ_CHECK(a->command_timeout == b->command_timeout);
	FUZZ_CHECK(a->debug == b->debug);
	FUZZ_CHECK(a->ndepartments == b->ndepartments);
	for (i = 0; i < a->ndepartments; i++) {
		FUZZ_CHECK(strcmp(a->departments[i].category,
		    b->departments[i].category) == 0);
		FUZZ_CHECK(strcmp(a->departments[i].name,
		    b->departments[i].name) == 0);
	}
}

/* Appends one line to the file being written. */
static void __attribute__((format(printf, 2, 3)))
put(char **text, const char *fmt, ...)
{
	va_list	 ap;
	char	*line, *joined;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) == -1)
		abort();
	va_end(ap);
	xasprintf(&joined, "%s%s\n", *text, line);
	free(line);
	free(*text);
	*text = joined;
}

/* The configuration as a file, every key written out. */
static char *
config_text(const struct config *c)
{
	static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	    "Sat", "Sun" };
	char	*t = xstrdup("");
	size_t	 i;

	put(&t, "[server]");
	put(&t, "listen=%s", c->listen);
	put(&t, "max_body=%ld", c->max_body);
	put(&t, "max_import=%ld", c->max_import);
	put(&t, "timeout=%d", c->timeout);
	put(&t, "[storage]");
	put(&t, "database=%s", c->database);
	put(&t, "[schedule]");
	put(&t, "timezone=%s", c->timezone);
	put(&t, "daily=%02d:%02d", c->daily.hour, c->daily.minute);
	put(&t, "weekly=%s %02d:%02d", days[c->weekly.day - 1],
	    c->weekly.hour, c->weekly.minute);
	put(&t, "monthly=%d %02d:%02d", c->monthly.day, c->monthly.hour,
	    c->monthly.minute);
	put(&t, "[policy]");
	put(&t, "due_soon_days=%d", c->due_soon_days);
	put(&t, "escalate_after_days=%d", c->escalate_after_days);
	put(&t, "[deliver]");
	put(&t, "outbox=%s", c->outbox);
	put(&t, "language=%s", c->language);
	put(&t, "command=%s", c->command);
	put(&t, "webhook=%s", c->webhook);
	put(&t, "webhook_format=%s", c->webhook_format);
	put(&t, "webhook_secret=%s", c->webhook_secret);
	put(&t, "retry_base=%d", c->retry_base);
	put(&t, "command_timeout=%d", c->command_timeout);
	put(&t, "[departments]");
	for (i = 0; i < c->ndepartments; i++)
		put(&t, "%s=%s", c->departments[i].category,
		    c->departments[i].name);
	put(&t, "[log]");
	put(&t, "debug=%s", c->debug ? "yes" : "no");
	return t;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct config	 a, b, c;
	FILE		*f;
	char		*s, *text;
	int		 rc_a, rc_b;

	/* fmemopen() of nothing fails: an empty file is the string's. */
	if (len == 0 || (f = fmemopen((void *)data, len, "r")) == NULL)
		return 0;
	config_defaults(&a);
	rc_a = config_load_stream(&a, "fuzz.conf", f);
	fclose(f);
	FUZZ_CHECK((rc_a == 0) == (a.errors == NULL));

	s = fuzz_string(data, len);
	config_defaults(&b);
	rc_b = config_load_string(&b, "fuzz.conf", s);
	free(s);
	/* Without a NUL in it, the string is the file: both read alike. */
	if (memchr(data, '\0', len) == NULL) {
		FUZZ_CHECK(rc_a == rc_b);
		FUZZ_CHECK(same_string(a.errors, b.errors));
		if (rc_a == 0)
			check_same(&a, &b);
	}
	if (rc_a == 0) {
		FUZZ_CHECK(a.listen_host != NULL && a.listen_port >= 0 &&
		    a.listen_port <= 65535);
		FUZZ_CHECK(a.weekly.day >= 1 && a.weekly.day <= 7);
		FUZZ_CHECK(a.monthly.day >= 1 && a.monthly.day <= 28);
		text = config_text(&a);
		config_defaults(&c);
		if (config_load_string(&c, "again.conf", text) != 0) {
			fprintf(stderr, "written out:\n%s\nrefused:\n%s\n",
			    text, c.errors);
			FUZZ_CHECK(!"a configuration taken, written out, "
			    "is taken again");
		}
		check_same(&a, &c);
		config_free(&c);
		free(text);
	}
	config_free(&a);
	config_free(&b);
	return 0;
}
