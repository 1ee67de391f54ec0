/*
 * log: see log.h.  Owns the process-wide logging state (destination and
 * level); everything else in ofii-watch only calls the functions below.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "lib/log.h"

enum log_dest {
	DEST_TERMINAL,		/* people: "prog: warning: text" */
	DEST_PREFIXED,		/* "<N>text", for journald or any supervisor */
	DEST_JOURNAL		/* "<N>text" on stderr + sd_journal_send alerts */
};

static const char	*log_progname = "ofii-watch";
static int		 log_level = LOG_INFO;
static enum log_dest	 log_dest = DEST_TERMINAL;

/*
 * systemd sets JOURNAL_STREAM=<dev>:<inode> when stdout/stderr are
 * connected to the journal; it only applies if that is still our stderr
 * (a child with redirected stderr inherits the variable).
 */
static int
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char end;

	if (js == NULL || sscanf(js, "%llu:%llu%c", &dev, &ino, &end) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(const char *progname, int level)
{
	if (progname != NULL) {
		const char *slash = strrchr(progname, '/');
		log_progname = slash ? slash + 1 : progname;
	}
	log_level = level;
	if (stderr_is_journal())
		log_dest = DEST_JOURNAL;
	else if (isatty(STDERR_FILENO))
		log_dest = DEST_TERMINAL;
	else
		log_dest = DEST_PREFIXED;
}

void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getlevel(void)
{
	return log_level;
}

/* Replace control characters (a mail's CR/LF, ESC) so one call = one line. */
static void
sanitize(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = (*s == '\t') ? ' ' : '?';
}

static const char *
priority_word(int priority)
{
	switch (priority) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
		return "fatal: ";
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	case LOG_DEBUG:
		return "debug: ";
	default:
		return "";
	}
}

static void
emit(int priority, const char *msg)
{
	int saved = errno;

	if (log_dest == DEST_TERMINAL)
		fprintf(stderr, "%s: %s%s\n", log_progname,
		    priority_word(priority), msg);
	else
		fprintf(stderr, "<%d>%s\n", priority, msg);
	fflush(stderr);
	errno = saved;
}

void
vlog(int priority, const char *fmt, va_list ap)
{
	char buf[2048];

	if (priority > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	sanitize(buf);
	emit(priority, buf);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_errx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

static void
vlog_errno(int priority, const char *fmt, va_list ap)
{
	char buf[2048], line[2200];
	int saved = errno;

	if (priority > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	snprintf(line, sizeof(line), "%s: %s", buf, strerror(saved));
	sanitize(line);
	emit(priority, line);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_alert(int priority, const char *msgid, const char *kind,
    const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (priority > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sanitize(buf);
	/*
	 * sd_journal_send() returns 0 even when no journal listens, so it is
	 * only used when systemd told us (JOURNAL_STREAM) that one does.
	 */
	if (log_dest == DEST_JOURNAL &&
	    sd_journal_send("MESSAGE=%s", buf, "PRIORITY=%d", priority,
	    "MESSAGE_ID=%s", msgid, "OFII_ALERT_KIND=%s", kind,
	    "SYSLOG_IDENTIFIER=%s", log_progname, NULL) >= 0)
		return;
	emit(priority, buf);
}
