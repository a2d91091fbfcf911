/*
 * systemd's watchdog: WATCHDOG=1 from a timer of the event loop, so that
 * a loop that hangs stops the pings and systemd restarts the daemon.
 */
#ifndef HAZARDD_WATCHDOG_H
#define HAZARDD_WATCHDOG_H

#include <event2/event.h>

/*
 * Starts pinging at half the interval systemd asks for (WatchdogSec=),
 * if it asks.  Returns 0 (also when there is no watchdog), or -1 with
 * the reason logged.
 */
int	watchdog_start(struct event_base *base);

/* Stops the pings and frees the timer. */
void	watchdog_stop(void);

#endif
