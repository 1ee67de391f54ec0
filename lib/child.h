/*
 * child: waiting for a child process that runs in its own process group
 * (the reader, alert_command), with a deadline.
 */
#ifndef OFII_CHILD_H
#define OFII_CHILD_H

#include <sys/types.h>

/*
 * Wait for `pid` until `deadline` (monotonic_ms()); then kill its whole
 * process group and reap it.  0: it exited (*statusp); 1: it was killed
 * at the deadline; -1: waitpid failed (errno).
 */
int	child_wait(pid_t pid, long deadline, int *statusp);

/*
 * In a child between fork() and exec(): close every descriptor above
 * stderr, so that a command (alert_command, password_command) gets
 * nothing of ours, whatever a library opened without O_CLOEXEC (libcurl's
 * socketpair, the IMAP socket).  Async-signal-safe (close_range, else
 * closefrom).
 */
void	child_close_fds(void);

#endif
