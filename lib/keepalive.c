/*
 * keepalive: see keepalive.h.
 */
#include <stddef.h>

#include "lib/keepalive.h"
#include "lib/monotonic.h"

static int	(*hook)(void *);
static void	*hook_arg;
static long	 last_call;
static int	 stop;

void
keepalive_set(int (*fn)(void *), void *arg)
{
	hook = fn;
	hook_arg = arg;
	last_call = 0;
	stop = 0;
}

int
keepalive_poll(void)
{
	long now;

	if (hook == NULL || stop)
		return stop;
	/* libcurl calls its progress callback for every piece it reads:
	   the hook (a clock read, sigpending, a datagram) is rate-limited. */
	now = monotonic_ms();
	if (last_call != 0 && now - last_call < KEEPALIVE_EVERY_MS)
		return 0;
	last_call = now;
	if (hook(hook_arg) != 0)
		stop = 1;
	return stop;
}
