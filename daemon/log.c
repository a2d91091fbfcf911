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
 * the description of errnum unless it is -1.  The message is escaped as
 * vis(3) would (safetext_log()), so that nothing a school wrote makes a
 * second line or reaches a terminal as a control.  Syslog's copy is
 * English (strerrordesc_np() is not translated); a person's stderr gets
 * the catalog's (log_set_person()).
 */
static void __attribute__((format(printf, 2, 0)))
log_vwrite(int pri, const char *fmt, va_list ap, int errnum)
{
	char		 raw[2048], msg[4 * sizeof(raw)];
	const char	*why;
	va_list		 copy;

	va_copy(copy, ap);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	safetext_log(msg, sizeof(msg), raw);
	if (errnum != -1 && (why = strerrordesc_np(errnum)) == NULL)
		why = "unknown error";
	if (errnum != -1)
		syslog(pri, "%s: %s", msg, why);
	else
		syslog(pri, "%s", msg);
	if (log_foreground || log_person) {
		if (log_person) {
			vsnprintf(raw, sizeof(raw), _(fmt), copy);
			safetext_log(msg, sizeof(msg), raw);
			if (errnum != -1)
				why = strerror(errnum);
		}
		if (errnum != -1)
			fprintf(stderr, "hazardd: %s: %s\n", msg, why);
		else
			fprintf(stderr, "hazardd: %s\n", msg);
		fflush(stderr);
	}
	va_end(copy);
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
