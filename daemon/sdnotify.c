/* sdnotify.c - readiness, status and watchdog for systemd (sd_notify protocol). */
#include "config.h"

#include <systemd/sd-daemon.h>

#include "kithd.h"

/* sd_notify does nothing when NOTIFY_SOCKET is unset, so these are always safe. */

void
sdnotify_ready(void)
{
	sd_notify(0, "READY=1");
}

void
sdnotify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}

void
sdnotify_reloading(void)
{
	sd_notify(0, "RELOADING=1");
}

void
sdnotify_status(const char *status)
{
	sd_notifyf(0, "STATUS=%s", status);
}

void
sdnotify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

uint64_t
sdnotify_watchdog_usec(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec;
}
