/*
 * systemd's watchdog.  sd_watchdog_enabled() reads WATCHDOG_USEC (and
 * WATCHDOG_PID, which must be us); the timer pings at half of it, as
 * sd_watchdog_enabled(3) advises.
 */
#include <stdint.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "watchdog.h"

static struct event	*watchdog_timer;

/* The timer's callback: one ping. */
static void
watchdog_ping(evutil_socket_t fd, short events, void *arg)
{
	sd_notify(0, "WATCHDOG=1");
}

int
watchdog_start(struct event_base *base)
{
	struct timeval	tv;
	uint64_t	usec;
	int		r;

	if ((r = sd_watchdog_enabled(0, &usec)) < 0) {
		log_warnx("watchdog: bad WATCHDOG_USEC or WATCHDOG_PID");
		return -1;
	}
	if (r == 0 || usec == 0)
		return 0;
	usec /= 2;
	tv.tv_sec = usec / 1000000;
	tv.tv_usec = usec % 1000000;
	watchdog_timer = event_new(base, -1, EV_PERSIST, watchdog_ping, NULL);
	if (watchdog_timer == NULL || event_add(watchdog_timer, &tv) == -1) {
		log_warnx("watchdog: cannot start the timer");
		watchdog_stop();
		return -1;
	}
	sd_notify(0, "WATCHDOG=1");
	log_info("watchdog: a ping every %llu ms",
	    (unsigned long long)usec / 1000);
	return 0;
}

void
watchdog_stop(void)
{
	if (watchdog_timer != NULL)
		event_free(watchdog_timer);
	watchdog_timer = NULL;
}
