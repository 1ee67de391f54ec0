/*
 * reader: have one raw mail read by the reader program, ofii-watch-reader
 * (daemon/reader_main.c), and get back what it understood.
 *
 * The daemon never parses mail itself: MIME, HTML and PDF are read in that
 * separate, short-lived program, so the process that holds the password
 * and runs for months neither links nor loads libetpan, libxml2 or poppler
 * (half of its memory before), and a parser bug costs one mail, not the
 * daemon.
 *
 * The program is found next to our own executable (the build tree), then
 * in ../libexec/ofii-watch/ beside it (an installed tree: PREFIX/bin and
 * PREFIX/libexec/ofii-watch); $OFII_WATCH_READER names it explicitly.
 */
#ifndef OFII_READER_H
#define OFII_READER_H

#include <stddef.h>

#include "config/config.h"
#include "model/convocation.h"
#include "model/reading.h"

/*
 * What a run of the reader gives: the errstr convention (0, or -1 and
 * *errstr), with a second failure that says whose fault it is.
 */
enum reader_result {
	READER_OK = 0,
	READER_MAIL_FAILED = -1,	/* this mail cannot be read: it would
					   fail again, skip it */
	READER_UNAVAILABLE = -2		/* the reader could not be run at all
					   (not installed, no memory, no
					   process): the mail is not at
					   fault, try again later */
};

/*
 * Read `raw` with the limits of `cfg`; `label` names the mail in the
 * reader's warnings; `cut`: raw is only the first max_message_size bytes
 * of a larger mail (the reader drops the part the cut goes through).  The
 * reader gets READER_SECONDS(cfg) of wall-clock time, then it is killed
 * with everything it started; one killed by a signal (a crash, the OOM
 * killer) is run once more before the mail is blamed.  READER_OK with *factsp and *convp (mail_facts_free,
 * convocation_free); READER_MAIL_FAILED or READER_UNAVAILABLE and
 * *errstr.
 */
enum reader_result reader_read(const char *raw, size_t len, int cut,
	    const struct config *cfg, const char *label,
	    struct mail_facts **factsp, struct convocation **convp,
	    char **errstr);

/* The same with the reader's time given, in milliseconds (tests). */
enum reader_result reader_read_within(const char *raw, size_t len,
	    int cut, const struct config *cfg, const char *label,
	    long timeout_ms,
	    struct mail_facts **factsp, struct convocation **convp,
	    char **errstr);

/*
 * Several mails in one run of the reader (the headers of a search
 * result: one exec instead of one per message).  READER_OK with
 * answers[i] for each mails[i] (rc READER_OK and facts and conv, or rc
 * READER_MAIL_FAILED and err: that one cannot be read); free them with
 * reader_answers_free().  READER_MAIL_FAILED or READER_UNAVAILABLE and
 * *errstr as reader_read(), for all of them.
 */
struct reader_mail {
	const char	*raw;
	size_t		 len;
	const char	*label;
};
struct reader_answer {
	enum reader_result	 rc;
	struct mail_facts	*facts;
	struct convocation	*conv;
	char			*err;
};
enum reader_result reader_read_batch(const struct reader_mail *,
	    size_t n, const struct config *, struct reader_answer *answers,
	    char **errstr);
void	reader_answers_free(struct reader_answer *, size_t n);

/*
 * Find the reader and have it read a two-line mail: 0 and *pathp (static)
 * when it works, -1 and *errstr.  For `check` and the daemon's start.
 */
int	reader_check(const struct config *, const char **pathp,
	    char **errstr);

/* The PDFs of a mail take at most 5/4 x pdf_timeout in all (reader/
   understand.c); the config keeps pdf_timeout within
   CONFIG_MAX_PDF_TIMEOUT, so one read lasts 4 minutes at most (the
   watchdog is fed meanwhile, and SIGTERM ends it). */
#define READER_SECONDS(cfg) \
	((cfg)->pdf_timeout > CONFIG_MAX_PDF_TIMEOUT ? \
	    60 + 2 * CONFIG_MAX_PDF_TIMEOUT : 60 + 2 * (cfg)->pdf_timeout)

#endif
