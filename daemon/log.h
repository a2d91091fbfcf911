/*
 * Logging through syslog, and to stderr in the foreground.
 */
#ifndef HAZARDD_LOG_H
#define HAZARDD_LOG_H

#include <stdarg.h>

/* Opens syslog (daemon facility); also copies to stderr if foreground. */
void	log_init(int foreground, int debug);

/* Closes syslog. */
void	log_close(void);

/* Changes whether debug messages are logged. */
void	log_set_debug(int debug);

/*
 * Whether stderr's copy is for a person running a command: in their
 * language, for the messages marked N_().  Syslog's stays English.
 */
void	log_set_person(int person);

/* log_warn appends strerror(errno); log_warnx does not. */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * log_warnx() of a message made beforehand in both languages: english
 * to syslog, said to a person's stderr (a configuration's errors).
 */
void	log_warnx_said(const char *english, const char *said);

/* Logs at LOG_CRIT and exits 1; only at start-up or for the impossible. */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
