/*
 * keepalive: the daemon's watchdog and stop request, reachable from
 * inside a long step.  One step of a pass (a body download from a slow
 * server, the reader on a heavy mail, a command, a CalDAV request) can
 * last longer than half the watchdog interval; what waits in such a step
 * calls keepalive_poll() from its loop (libcurl's progress callback, the
 * reader's poll loop, the wait for a child), so the watchdog is fed and
 * SIGTERM is seen within a second, mid-step.
 *
 * One hook per process: `run` installs it; `poll`, `parse` and the tests
 * have none, and keepalive_poll() then does nothing.
 */
#ifndef OFII_KEEPALIVE_H
#define OFII_KEEPALIVE_H

/*
 * fn(arg) feeds the watchdog when it is due and returns non-zero when the
 * process is asked to stop.  NULL removes the hook.
 */
void	keepalive_set(int (*fn)(void *), void *arg);

/*
 * Call the hook (at most every KEEPALIVE_EVERY_MS; in between its last
 * answer is returned).  1: stop what you are doing, the process is
 * asked to stop; 0: go on.  A stop request stays set.
 */
int	keepalive_poll(void);

#define KEEPALIVE_EVERY_MS	100

#endif
