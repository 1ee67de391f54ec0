/*
 * reader: see reader.h.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "daemon/reader.h"
#include "lib/child.h"
#include "lib/errstr.h"
#include "lib/keepalive.h"
#include "lib/log.h"
#include "lib/monotonic.h"

#define READER_NAME	"ofii-watch-reader"
#define READER_MAX_OUT	(4u * 1024 * 1024)	/* a reading is < 10 KiB */
#define BATCH_MAX	200	/* header blocks per run of the reader */

/* Where the reader program is; NULL when nowhere (errstr says where we
   looked).  Found once: the executable does not move. */
static const char *
reader_path(char **errstr)
{
	static char path[PATH_MAX];
	static int found;
	const char *env = getenv("OFII_WATCH_READER");
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (env != NULL && *env != '\0') {
		if (access(env, X_OK) == 0)
			return env;
		errstr_set(errstr, "OFII_WATCH_READER=%s: %s", env,
		    strerror(errno));
		return NULL;
	}
	if (found)
		return path;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1) {
		errstr_set(errstr, "cannot find our own executable: %s",
		    strerror(errno));
		return NULL;
	}
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) != NULL)
		*slash = '\0';
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", self, READER_NAME) <
	    sizeof(path) && access(path, X_OK) == 0)
		return found = 1, path;
	if ((size_t)snprintf(path, sizeof(path), "%s/../libexec/ofii-watch/%s",
	    self, READER_NAME) < sizeof(path) && access(path, X_OK) == 0)
		return found = 1, path;
	errstr_set(errstr, "the reader program %s is neither in %s nor in "
	    "%s/../libexec/ofii-watch (reinstall ofii-watch)", READER_NAME,
	    self, self);
	return NULL;
}


static char *
number_arg(const char *name, unsigned long long v)
{
	char *s;

	if (asprintf(&s, "--%s=%llu", name, v) == -1)
		return NULL;
	return s;
}

/* The child: pipes on 0 and 1, its own process group (killed as one),
   nothing else inherited. */
static void __attribute__((noreturn))
child(const char *path, char **argv, int in, int out)
{
	sigset_t none;

	/* The daemon blocks its signals outside ppoll(): an exec keeps
	   that mask, and an ignored SIGPIPE. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	if (dup2(in, STDIN_FILENO) == -1 || dup2(out, STDOUT_FILENO) == -1)
		_exit(127);
	child_close_fds();
	execv(path, argv);
	dprintf(STDERR_FILENO, "<3>%s: %s\n", path, strerror(errno));
	_exit(127);
}

/*
 * Feed `raw` to the child's stdin and collect its stdout until both are
 * done or the deadline passes.  READER_OK, or READER_MAIL_FAILED and
 * *errstr, or READER_UNAVAILABLE and *errstr when we ran out of memory
 * or were asked to stop (keepalive_poll()): not the mail's fault.
 */
static enum reader_result
exchange(int to, int from, const char *raw, size_t len, long deadline,
    size_t max_out, char **outp, size_t *outlenp, char **errstr)
{
	enum reader_result rc = READER_MAIL_FAILED;
	size_t off = 0, olen = 0, ocap = 0;
	char *out = NULL, *nout;
	struct pollfd pfd[2];

	if (len == 0) {		/* nothing to write: EOF at once */
		close(to);
		to = -1;
	}
	while (from != -1) {
		long left = deadline - monotonic_ms();
		int n, k = 0;

		if (left <= 0) {
			errstr_set(errstr, "the reader took too long");
			goto fail;
		}
		/* The watchdog is fed while the reader works, and a stop
		   request ends the read (not the mail's fault). */
		if (keepalive_poll()) {
			errstr_set(errstr, "the reader was stopped (asked to "
			    "stop)");
			rc = READER_UNAVAILABLE;
			goto fail;
		}
		if (to != -1) {
			pfd[k].fd = to;
			pfd[k++].events = POLLOUT;
		}
		pfd[k].fd = from;
		pfd[k++].events = POLLIN;
		if ((n = poll(pfd, (nfds_t)k, (int)(left > 250 ? 250 :
		    left))) == -1) {
			if (errno == EINTR)
				continue;
			errstr_set(errstr, "the reader poll failed");
			goto fail;
		}
		if (n == 0)
			continue;
		if (to != -1 && pfd[0].revents != 0) {
			ssize_t w = write(to, raw + off, len - off > 65536 ?
			    65536 : len - off);

			if (w == -1 && errno != EAGAIN && errno != EINTR) {
				/* EPIPE: it stopped reading (it says why on
				   stdout); keep reading that. */
				close(to);
				to = -1;
			} else if (w > 0 && (off += (size_t)w) == len) {
				close(to);
				to = -1;
			}
		}
		if (pfd[k - 1].revents != 0) {
			ssize_t r;

			if (ocap - olen < 4096) {
				ocap = ocap ? ocap * 2 : 16384;
				if ((nout = realloc(out, ocap + 1)) == NULL) {
					errstr_set(errstr,
					    "the reader out of memory");
					rc = READER_UNAVAILABLE;
					goto fail;
				}
				out = nout;
			}
			r = read(from, out + olen, ocap - olen);
			if (r == -1 && errno != EAGAIN && errno != EINTR) {
				errstr_set(errstr,
				    "the reader cannot read its output");
				goto fail;
			}
			if (r == 0) {
				close(from);
				from = -1;
			} else if (r > 0 && (olen += (size_t)r) > max_out) {
				errstr_set(errstr, "the reader wrote too much");
				goto fail;
			}
		}
	}
	if (to != -1)
		close(to);
	if (out == NULL && (out = malloc(1)) == NULL) {
		errstr_set(errstr, "the reader out of memory");
		return READER_UNAVAILABLE;
	}
	out[olen] = '\0';
	*outp = out;
	*outlenp = olen;
	return READER_OK;
fail:
	if (to != -1)
		close(to);
	if (from != -1)
		close(from);
	free(out);
	return rc;
}

/*
 * exchange() with SIGPIPE held back: a reader that stops reading early
 * (a mail over its size limit) must give us EPIPE, not kill `parse` or
 * `poll`, which do not ignore SIGPIPE as `run` does.  A SIGPIPE raised
 * meanwhile is consumed.
 */
static enum reader_result
exchange_quietly(int to, int from, const char *raw, size_t len,
    long deadline, size_t max_out, char **outp, size_t *outlenp,
    char **errstr)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old;
	enum reader_result rc;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	rc = exchange(to, from, raw, len, deadline, max_out, outp, outlenp,
	    errstr);
	if (!sigismember(&old, SIGPIPE)) {
		while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
			;
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	return rc;
}

/*
 * One run of the reader on `in`, with --label=LABEL (and --cut when `cut`),
 * or --batch when `label` is NULL.  READER_OK and its whole output (*outp,
 * NUL-terminated), or a failure and *errstr as reader_read() says.
 * *crashed: it was killed by a signal.
 */
static enum reader_result
run_reader(const char *in_buf, size_t in_len, int cut,
    const struct config *cfg, const char *label, long timeout_ms,
    size_t max_out, char **outp, int *crashed, char **errstr)
{
	enum reader_result rc = READER_UNAVAILABLE;
	const char *path;
	char *argv[16], *out = NULL;
	int in[2] = { -1, -1 }, outfd[2] = { -1, -1 }, status = 0;
	size_t n = 0, outlen = 0, i;
	long deadline;
	pid_t pid;

	*outp = NULL;
	if ((path = reader_path(errstr)) == NULL)
		return READER_UNAVAILABLE;
	memset(argv, 0, sizeof(argv));
	argv[n++] = (char *)READER_NAME;
	if (label == NULL)
		argv[n++] = strdup("--batch");
	else if (asprintf(&argv[n++], "--label=%s", label) == -1)
		argv[n - 1] = NULL;
	if (cut)
		argv[n++] = strdup("--cut");
	argv[n++] = number_arg("log-level", (unsigned)log_getlevel());
	argv[n++] = number_arg("max-message-size", cfg->max_message_size);
	argv[n++] = number_arg("max-header-line", cfg->max_header_line);
	argv[n++] = number_arg("max-mime-depth", (unsigned)cfg->max_mime_depth);
	argv[n++] = number_arg("max-mime-parts", (unsigned)cfg->max_mime_parts);
	argv[n++] = number_arg("max-attachment-size",
	    cfg->max_attachment_size);
	argv[n++] = number_arg("max-pdf-pages", (unsigned)cfg->max_pdf_pages);
	argv[n++] = number_arg("pdf-timeout", (unsigned long)cfg->pdf_timeout);
	argv[n++] = number_arg("pdf-memory", cfg->pdf_memory);
	if (cfg->authserv_id != NULL && asprintf(&argv[n++],
	    "--authserv-id=%s", cfg->authserv_id) == -1)
		argv[n - 1] = NULL;
	for (i = 1; i < n; i++)
		if (argv[i] == NULL) {
			errstr_set(errstr, "out of memory");
			goto done;
		}

	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(outfd, O_CLOEXEC) == -1) {
		errstr_set(errstr, "pipe: %s", strerror(errno));
		goto done;
	}
	fflush(NULL);
	deadline = monotonic_ms() + timeout_ms;
	if ((pid = fork()) == -1) {
		errstr_set(errstr, "fork: %s", strerror(errno));
		goto done;
	}
	if (pid == 0)
		child(path, argv, in[0], outfd[1]);
	setpgid(pid, pid);	/* also here: no race with kill(-pid) */
	close(in[0]);
	close(outfd[1]);
	in[0] = outfd[1] = -1;
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(outfd[0], F_SETFL, O_NONBLOCK);
	if ((rc = exchange_quietly(in[1], outfd[0], in_buf, in_len, deadline,
	    max_out, &out, &outlen, errstr)) != READER_OK) {
		in[1] = outfd[0] = -1;	/* closed by exchange() */
		kill(-pid, SIGKILL);
		child_wait(pid, deadline, &status);
		goto done;
	}
	rc = READER_UNAVAILABLE;
	in[1] = outfd[0] = -1;
	/* Its output is complete: it is exiting.  Its PDF children are
	   gone already (it waited for them). */
	if (child_wait(pid, monotonic_ms() + 5000, &status) != 0) {
		errstr_set(errstr, "the reader did not exit");
		goto done;
	}
	if (WIFSIGNALED(status)) {
		errstr_set(errstr, "the reader was killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
		*crashed = 1;
		rc = READER_MAIL_FAILED;
		goto done;
	}
	if (WEXITSTATUS(status) != 0) {
		struct json_object *o = json_tokener_parse(out);
		struct json_object *e;

		if (o != NULL && json_object_object_get_ex(o, "error", &e) &&
		    json_object_is_type(e, json_type_string)) {
			errstr_set(errstr, "%s", json_object_get_string(e));
			if (strcmp(json_object_get_string(e),
			    "out of memory") != 0)
				rc = READER_MAIL_FAILED;
		} else if (WEXITSTATUS(status) == 127)
			errstr_set(errstr, "cannot run %s", path);
		else
			errstr_set(errstr, "the reader failed (exit status "
			    "%d)", WEXITSTATUS(status));
		json_object_put(o);
		goto done;
	}
	*outp = out;
	out = NULL;
	rc = READER_OK;
done:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (outfd[i] != -1)
			close(outfd[i]);
	}
	for (i = 1; i < n; i++)
		free(argv[i]);
	free(out);
	return rc;
}

/* run_reader(), once more when it crashed. */
static enum reader_result
run_reader_twice(const char *in, size_t len, int cut,
    const struct config *cfg, const char *label, long timeout_ms,
    size_t max_out, char **outp, char **errstr)
{
	enum reader_result rc;
	char *err = NULL;
	int crashed = 0;

	rc = run_reader(in, len, cut, cfg, label, timeout_ms, max_out, outp,
	    &crashed, &err);
	if (rc == READER_OK || !crashed) {
		if (rc != READER_OK && errstr != NULL)
			*errstr = err;
		else
			free(err);
		return rc;
	}
	log_warnx("%s: %s; reading it once more", label ? label : "headers",
	    err);
	free(err);
	crashed = 0;
	return run_reader(in, len, cut, cfg, label, timeout_ms, max_out, outp,
	    &crashed, errstr);
}

enum reader_result
reader_read_within(const char *raw, size_t len, int cut,
    const struct config *cfg, const char *label, long timeout_ms,
    struct mail_facts **factsp, struct convocation **convp, char **errstr)
{
	enum reader_result rc;
	char *out;

	*factsp = NULL;
	*convp = NULL;
	if ((rc = run_reader_twice(raw, len, cut, cfg, label, timeout_ms,
	    READER_MAX_OUT, &out, errstr)) != READER_OK)
		return rc;
	/* A reading that does not parse is the reader's fault, and would
	   be the same next time. */
	rc = reading_from_json(out, strlen(out), factsp, convp, errstr) == 0 ?
	    READER_OK : READER_MAIL_FAILED;
	free(out);
	return rc;
}

enum reader_result
reader_read(const char *raw, size_t len, int cut, const struct config *cfg,
    const char *label, struct mail_facts **factsp, struct convocation **convp,
    char **errstr)
{
	return reader_read_within(raw, len, cut, cfg, label,
	    READER_SECONDS(cfg) * 1000L, factsp, convp, errstr);
}

/* One run of the reader for mails[0..n), n <= BATCH_MAX. */
static enum reader_result
read_chunk(const struct reader_mail *mails, size_t n,
    const struct config *cfg, struct reader_answer *answers, char **errstr)
{
	enum reader_result rc;
	char *in = NULL, *out = NULL, *line, *next;
	size_t len = 0, i;
	FILE *f;

	if ((f = open_memstream(&in, &len)) == NULL) {
		errstr_set(errstr, "out of memory");
		return READER_MAIL_FAILED;
	}
	for (i = 0; i < n; i++) {
		const char *p;

		/* The label ends at the line's end: no line break in it,
		   and the reader reads a frame line of 300 bytes at most. */
		fprintf(f, "%zu ", mails[i].len);
		for (p = mails[i].label; *p != '\0' && p - mails[i].label <
		    200; p++)
			fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
		fputc('\n', f);
		fwrite(mails[i].raw, 1, mails[i].len, f);
	}
	if (fclose(f) != 0) {
		free(in);
		errstr_set(errstr, "out of memory");
		return READER_MAIL_FAILED;
	}
	/* A reading holds at most two header lines (From, Subject) and
	   small fields. */
	rc = run_reader_twice(in, len, 0, cfg, NULL, READER_SECONDS(cfg) * 1000L,
	    READER_MAX_OUT + n * (2 * cfg->max_header_line + 4096), &out,
	    errstr);
	free(in);
	if (rc != READER_OK)
		return rc;
	for (i = 0, line = out; i < n; i++, line = next) {
		struct json_object *o, *e;
		char *err = NULL;

		if ((next = strchr(line, '\n')) == NULL) {
			free(out);
			reader_answers_free(answers, n);
			errstr_set(errstr, "the reader answered %zu of %zu "
			    "mails", i, n);
			return READER_MAIL_FAILED;
		}
		*next++ = '\0';
		o = json_tokener_parse(line);
		if (o != NULL && json_object_object_get_ex(o, "error", &e)) {
			answers[i].rc = READER_MAIL_FAILED;
			answers[i].err = strdup(json_object_is_type(e,
			    json_type_string) ? json_object_get_string(e) : "?");
		} else if (reading_from_json(line, strlen(line),
		    &answers[i].facts, &answers[i].conv, &err) == -1) {
			answers[i].rc = READER_MAIL_FAILED;
			answers[i].err = err;
		}
		json_object_put(o);
	}
	free(out);
	return READER_OK;
}

/*
 * In runs of BATCH_MAX: a server that ignores the search criteria can
 * hand us 20,000 header blocks, and each run's input, output and time
 * stay bounded.  A run that fails leaves its answers empty (the caller
 * reads those mails whole) and the others stand; the first failure is
 * returned, READER_UNAVAILABLE at once.
 */
enum reader_result
reader_read_batch(const struct reader_mail *mails, size_t n,
    const struct config *cfg, struct reader_answer *answers, char **errstr)
{
	enum reader_result rc, first = READER_OK;
	size_t off, k;

	memset(answers, 0, n * sizeof(*answers));
	for (off = 0; off < n; off += k) {
		char *err = NULL;

		k = n - off < BATCH_MAX ? n - off : BATCH_MAX;
		rc = read_chunk(mails + off, k, cfg, answers + off, &err);
		if (rc == READER_UNAVAILABLE) {
			reader_answers_free(answers, n);
			if (errstr != NULL)
				*errstr = err;
			else
				free(err);
			return rc;
		}
		if (rc == READER_MAIL_FAILED && first == READER_OK) {
			first = READER_MAIL_FAILED;
			if (errstr != NULL)
				*errstr = err;
			else
				free(err);
		} else
			free(err);
	}
	return first;
}

void
reader_answers_free(struct reader_answer *answers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		mail_facts_free(answers[i].facts);
		convocation_free(answers[i].conv);
		free(answers[i].err);
		memset(&answers[i], 0, sizeof(answers[i]));
	}
}

int
reader_check(const struct config *cfg, const char **pathp, char **errstr)
{
	static const char mail[] = "From: check@ofii-watch.invalid\r\n"
	    "Subject: check\r\n\r\n";
	struct mail_facts *f = NULL;
	struct convocation *c = NULL;

	if ((*pathp = reader_path(errstr)) == NULL)
		return -1;
	if (reader_read_within(mail, sizeof(mail) - 1, 0, cfg, "check", 30000,
	    &f, &c, errstr) != READER_OK)
		return -1;
	mail_facts_free(f);
	convocation_free(c);
	return 0;
}
