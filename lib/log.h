/*
 * log: the one logging API of ofii-watch (after OpenBSD's log.c).
 *
 * Destination is chosen once, in log_init():
 *  - under systemd, when $JOURNAL_STREAM names our stderr: plain lines on
 *    stderr with "<N>" priority prefixes (journald parses them), and
 *    alert-class messages (log_alert) through sd_journal_send() with
 *    PRIORITY, MESSAGE_ID and OFII_ALERT_KIND fields;
 *  - stderr not a terminal (a pipe, a file, another supervisor): "<N>" prefixes;
 *  - a terminal: "ofii-watch: warning: ..." for people.
 * Messages below the level (log_setlevel, -v/-q) are dropped.  Control
 * characters in a message are replaced, so text from a mail can never forge
 * log lines.  Nothing here ever prints a secret: callers never pass one.
 */
#ifndef OFII_LOG_H
#define OFII_LOG_H

#include <stdarg.h>
#include <syslog.h>		/* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */

/* Stable journal MESSAGE_IDs (journalctl MESSAGE_ID=...).  Never change one. */
#define MSGID_CONVOCATION_FOUND	"847a8c918b1c4805a69d5ef04cab4521"
#define MSGID_NO_CONVOCATION	"f7563c06b96d419f8588d5c3bc01275d"
#define MSGID_RENEWAL		"ff8eab78a8a64ea38f033e50bde08486"
#define MSGID_NOT_VALIDATED	"a7892faf17a04e59b1a39aa294afacb0"
#define MSGID_UNTRUSTED_SENDER	"6e71da1e345c4f56a140cb131af4a255"
#define MSGID_MAILBOX_FAILURE	"4e919e6cd5a14f2db884418d4a193328"
#define MSGID_CALENDAR_FAILURE	"06b0a2ae5d304a0eb59251ec6037fcb0"
#define MSGID_STARTUP		"6ffe95f614104fbf807c9e4e1b563ac6"

#define LOG_PRINTF(f, a)	__attribute__((format(printf, f, a)))

/* progname for terminal output; level: LOG_ERR .. LOG_DEBUG. */
void	log_init(const char *progname, int level);
void	log_setlevel(int level);
int	log_getlevel(void);

void	log_debug(const char *, ...) LOG_PRINTF(1, 2);
void	log_info(const char *, ...) LOG_PRINTF(1, 2);
void	log_warnx(const char *, ...) LOG_PRINTF(1, 2);
/* log_warnx + ": " + strerror(errno) */
void	log_warn(const char *, ...) LOG_PRINTF(1, 2);
void	log_errx(const char *, ...) LOG_PRINTF(1, 2);

/*
 * An alert for the person (no convocation yet, phishing, found, ...):
 * `kind` is a short word (also OFII_ALERT_KIND in the journal), msgid one
 * of the MSGID_* above.
 */
void	log_alert(int priority, const char *msgid, const char *kind,
	    const char *, ...) LOG_PRINTF(4, 5);

void	vlog(int priority, const char *, va_list) LOG_PRINTF(2, 0);

#endif
