/*
 * child: see child.h.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/keepalive.h"
#include "lib/monotonic.h"

int
child_wait(pid_t pid, long deadline, int *statusp)
{
	for (;;) {
		pid_t r = waitpid(pid, statusp, WNOHANG);

		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		if (monotonic_ms() >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, statusp, 0) == -1 && errno == EINTR)
				;
			return 1;
		}
		/* Fed, never stopped: the child's deadline bounds it. */
		(void)keepalive_poll();
		usleep(2000);
	}
}

void
child_close_fds(void)
{
	if (close_range(STDERR_FILENO + 1, ~0U, 0) == -1)
		closefrom(STDERR_FILENO + 1);
}
