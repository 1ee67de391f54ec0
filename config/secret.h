/*
 * secret: passwords and tokens from where the config says they are:
 * password_command (through /bin/sh, first line of its stdout, bounded
 * time), password_file, a systemd credential ($CREDENTIALS_DIRECTORY/NAME,
 * from LoadCredential=) or inline.  A secret is never logged and never put
 * into an error message; only the source is named.
 */
#ifndef OFII_SECRET_H
#define OFII_SECRET_H

#include "config/config.h"

#define SECRET_MAX	4096		/* bytes of one secret line */

/*
 * Fetch the secret of `src`.  `what` names the setting in messages
 * ("password", "caldav_password").  0 and *secretp (free with
 * secret_free) or -1 and *errstr.
 */
int	secret_fetch(const struct secret_source *src, const char *what,
	    int timeout_sec, char **secretp, char **errstr);

/*
 * Run `cmd` through /bin/sh -c, stdin /dev/null, stderr inherited, and
 * return the first line of its stdout.  Killed (whole process group) after
 * timeout_sec.  `what` names it in errors, which carry the exit status but
 * never the output.
 */
int	secret_run_command(const char *cmd, const char *what, int timeout_sec,
	    char **linep, char **errstr);

/* Wipe and free. */
void	secret_free(char *);

/*
 * The process that holds secrets: no core dump (RLIMIT_CORE 0), and not
 * dumpable (PR_SET_DUMPABLE 0: no core even where a core_pattern pipe
 * ignores the limit, no ptrace or /proc/PID/mem by other processes of the
 * same user).  Children get a dumpable process back at exec.  0, or -1
 * and *errstr.
 */
int	secret_protect_process(char **errstr);

#endif
