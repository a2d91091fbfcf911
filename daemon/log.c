/*
 * Logging through syslog, and to stderr in the foreground.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "i18n.h"
#include "log.h"
#include "safetext.h"
#include "xmalloc.h"

/* The longest message logged, before it is escaped. */
#define LOG_MAX		2048

static int	log_foreground = 1;
static int	log_debug_on;
static int	log_person;

void
log_init(int foreground, int debug)
{
	log_foreground = foreground;
	log_debug_on = debug;
	openlog("hazardd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_close(void)
{
	closelog();
}

void
log_set_debug(int debug)
{
	log_debug_on = debug;
}

/*
 * Whether a person runs a command (hazardd check, backup, token create,
 * verify, --check-config): the copy on stderr is then in their
 * language, through the catalog, for the messages marked N_().  Syslog
 * (the journal, which systemd shares) always gets English, and so does
 * the foreground server's stderr: operators grep them.  A person's
 * messages go to stderr even when the server's would not.
 */
void
log_set_person(int person)
{
	log_person = person;
}

/*
 * Sends one message to syslog and, in the foreground, to stderr, with
 * the description of errnum unless it is -1: raw in English, said in
 * the user's language for a person (log_set_person()).  The message is
 * escaped as vis(3) would (safetext_log()), so that nothing a school
 * wrote makes a second line or reaches a terminal as a control.
 * Syslog's description is English: strerrordesc_np() is not translated.
 */
static void
log_emit(int pri, const char *raw, const char *said, int errnum)
{
	char		 msg[4 * LOG_MAX];
	const char	*why = NULL;

	safetext_log(msg, sizeof(msg), raw);
	if (errnum != -1 && (why = strerrordesc_np(errnum)) == NULL)
		why = "unknown error";
	if (why != NULL)
		syslog(pri, "%s: %s", msg, why);
	else
		syslog(pri, "%s", msg);
	if (!log_foreground && !log_person)
		return;
	if (log_person) {
		safetext_log(msg, sizeof(msg), said);
		if (why != NULL)
			why = strerror(errnum);
	}
	if (why != NULL)
		fprintf(stderr, "hazardd: %s: %s\n", msg, why);
	else
		fprintf(stderr, "hazardd: %s\n", msg);
	fflush(stderr);
}

/* log_emit() of fmt, and for a person of its translation (N_()). */
static void __attribute__((format(printf, 2, 0)))
log_vwrite(int pri, const char *fmt, va_list ap, int errnum)
{
	char	raw[LOG_MAX], said[LOG_MAX];
	va_list	copy;

	va_copy(copy, ap);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	if (log_person)
		vsnprintf(said, sizeof(said), _(fmt), copy);
	va_end(copy);
	log_emit(pri, raw, log_person ? said : raw, errnum);
}

void
log_warnx_said(const char *english, const char *said)
{
	log_emit(LOG_WARNING, english, said, -1);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, -1);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, -1);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, -1);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, -1);
	va_end(ap);
	exit(1);
}

void
xmalloc_oom(const char *what)
{
	fatalx("out of memory (%s)", what);
}
