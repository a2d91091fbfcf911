/*
 * Logging through syslog, and to stderr in the foreground.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
#include "safetext.h"
#include "xmalloc.h"

static int	log_foreground = 1;
static int	log_debug_on;

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
 * Sends one message to syslog and, in the foreground, to stderr.  The
 * message is escaped as vis(3) would (safetext_log()), so that nothing
 * a school wrote makes a second line or reaches a terminal as a control.
 */
static void __attribute__((format(printf, 2, 0)))
log_vwrite(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char	raw[2048], msg[4 * sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	safetext_log(msg, sizeof(msg), raw);
	if (suffix != NULL)
		syslog(pri, "%s: %s", msg, suffix);
	else
		syslog(pri, "%s", msg);
	if (log_foreground) {
		if (suffix != NULL)
			fprintf(stderr, "hazardd: %s: %s\n", msg, suffix);
		else
			fprintf(stderr, "hazardd: %s\n", msg);
		fflush(stderr);
	}
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void
xmalloc_oom(const char *what)
{
	fatalx("out of memory (%s)", what);
}
