/*
 * secret: see secret.h.  Buffers that held a secret are wiped before they
 * are freed.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/perms.h"
#include "config/secret.h"
#include "lib/child.h"
#include "lib/errstr.h"
#include "lib/keepalive.h"
#include "lib/monotonic.h"



void
secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}


int
secret_protect_process(char **errstr)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) == -1)
		return errstr_set(errstr, "setrlimit(RLIMIT_CORE): %s",
		    strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return errstr_set(errstr, "prctl(PR_SET_DUMPABLE): %s",
		    strerror(errno));
	return 0;
}

/* Keep the first line of buf[0..len) as a malloc'd string; wipe buf. */
static char *
first_line(char *buf, size_t len)
{
	char *nl = memchr(buf, '\n', len), *s;

	if (nl != NULL)
		len = (size_t)(nl - buf);
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	s = strndup(buf, len);
	return s;
}

int
secret_run_command(const char *cmd, const char *what, int timeout_sec,
    char **linep, char **errstr)
{
	char buf[SECRET_MAX + 1];
	size_t len = 0;
	int fds[2], status = 0, exited = 0, eof = 0, devnull;
	long deadline = monotonic_ms() + (long)timeout_sec * 1000, exited_at = 0;
	pid_t pid;

	*linep = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return errstr_set(errstr, "%s: pipe: %s", what, strerror(errno));
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return errstr_set(errstr, "%s: fork: %s", what, strerror(errno));
	}
	if (pid == 0) {
		/* Own process group, so a timeout kills the whole pipeline. */
		setpgid(0, 0);
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull == -1 || dup2(devnull, STDIN_FILENO) == -1 ||
		    dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(127);
		child_close_fds();
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides: no race with the kill below */
	close(fds[1]);

	/*
	 * Read until EOF, or until the command has exited and we have its
	 * line: a daemon it spawned (gpg-agent) may keep the pipe open.
	 */
	while (!eof || !exited) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		long left = deadline - monotonic_ms();
		int r;

		(void)keepalive_poll();	/* the watchdog, meanwhile */
		if (!exited) {
			pid_t w = waitpid(pid, &status, WNOHANG);

			if (w == pid) {
				exited = 1;
				exited_at = monotonic_ms();
			}
		}
		/* Exited: its line is complete, or a grandchild holds the
		   pipe and will not add to it (grace of half a second). */
		if (exited && (eof || memchr(buf, '\n', len) != NULL ||
		    monotonic_ms() - exited_at > 500))
			break;
		if (left <= 0) {
			kill(-pid, SIGKILL);
			if (!exited)
				waitpid(pid, &status, 0);
			close(fds[0]);
			explicit_bzero(buf, sizeof(buf));
			return errstr_set(errstr, "%s: the command did not finish "
			    "within %d s and was killed", what, timeout_sec);
		}
		if (eof) {
			/* Output done; wait for the exit in small steps. */
			struct timespec ts = { 0, 10 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			continue;
		}
		r = poll(&pfd, 1, left < 50 ? (int)left : 50);
		if (r == -1 && errno != EINTR)
			break;
		if (r > 0) {
			char sink[1024];
			ssize_t n;

			if (len < SECRET_MAX)
				n = read(fds[0], buf + len, SECRET_MAX - len);
			else
				n = read(fds[0], sink, sizeof(sink));
			if (n == 0)
				eof = 1;
			else if (n > 0 && len < SECRET_MAX)
				len += (size_t)n;
			else if (n > 0)
				explicit_bzero(sink, sizeof(sink));
			else if (errno != EINTR && errno != EAGAIN)
				eof = 1;
		}
	}
	close(fds[0]);
	buf[len] = '\0';
	if (WIFSIGNALED(status)) {
		explicit_bzero(buf, sizeof(buf));
		return errstr_set(errstr, "%s: the command was killed by signal %d",
		    what, WTERMSIG(status));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		explicit_bzero(buf, sizeof(buf));
		if (WEXITSTATUS(status) == 127)
			return errstr_set(errstr, "%s: the command failed (exit "
			    "status 127: command not found?)", what);
		return errstr_set(errstr, "%s: the command failed (exit status %d)",
		    what, WEXITSTATUS(status));
	}
	*linep = first_line(buf, len);
	explicit_bzero(buf, sizeof(buf));
	if (*linep == NULL)
		return errstr_set(errstr, "%s: out of memory", what);
	if (**linep == '\0') {
		free(*linep);
		*linep = NULL;
		return errstr_set(errstr, "%s: the command printed nothing on its "
		    "first line", what);
	}
	return 0;
}

/* First line of a file; `private`: refuse one that others can read. */
static int
read_secret_file(const char *path, const char *what, int private,
    char **secretp, char **errstr)
{
	char buf[SECRET_MAX + 1], *err = NULL;
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return errstr_set(errstr, "%s: cannot open %s: %s", what, path,
		    strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return errstr_set(errstr, "%s: %s is not a regular file", what,
		    path);
	}
	if (private && (st.st_mode & 077) != 0) {
		close(fd);
		return errstr_set(errstr, "%s: %s is readable by others (mode "
		    "%04o): refusing it; run 'chmod 600 %s'", what, path,
		    (unsigned)(st.st_mode & 07777), path);
	}
	/* Nobody else may write it, or the folders above it. */
	if (private && perms_check(path, fd, &err) == -1) {
		close(fd);
		errstr_set(errstr, "%s: %s", what, err ? err :
		    "out of memory");
		free(err);
		return -1;
	}
	while (len < SECRET_MAX &&
	    (n = read(fd, buf + len, SECRET_MAX - len)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return errstr_set(errstr, "%s: reading %s: %s", what, path,
			    strerror(errno));
		}
		len += (size_t)n;
	}
	close(fd);
	*secretp = first_line(buf, len);
	explicit_bzero(buf, sizeof(buf));
	if (*secretp == NULL)
		return errstr_set(errstr, "%s: out of memory", what);
	if (**secretp == '\0') {
		free(*secretp);
		*secretp = NULL;
		return errstr_set(errstr, "%s: %s is empty", what, path);
	}
	return 0;
}

int
secret_fetch(const struct secret_source *src, const char *what,
    int timeout_sec, char **secretp, char **errstr)
{
	*secretp = NULL;
	if (src->command != NULL) {
		char label[96];

		snprintf(label, sizeof(label), "%s_command", what);
		return secret_run_command(src->command, label, timeout_sec,
		    secretp, errstr);
	}
	if (src->file != NULL) {
		char label[96];

		snprintf(label, sizeof(label), "%s_file", what);
		return read_secret_file(src->file, label, 1, secretp, errstr);
	}
	if (src->credential != NULL) {
		const char *dir = getenv("CREDENTIALS_DIRECTORY");
		char label[96], *path;
		int r;

		snprintf(label, sizeof(label), "%s_credential", what);
		if (dir == NULL || *dir == '\0')
			return errstr_set(errstr, "%s = %s, but $CREDENTIALS_DIRECTORY"
			    " is not set: run under systemd with "
			    "LoadCredential=%s:/path/to/file", label,
			    src->credential, src->credential);
		if (asprintf(&path, "%s/%s", dir, src->credential) == -1)
			return errstr_set(errstr, "%s: out of memory", label);
		/* systemd owns the mode of credential files (0400). */
		r = read_secret_file(path, label, 0, secretp, errstr);
		free(path);
		return r;
	}
	if (src->value != NULL) {
		if ((*secretp = strdup(src->value)) == NULL)
			return errstr_set(errstr, "%s: out of memory", what);
		return 0;
	}
	return errstr_set(errstr, "no %s configured", what);
}
