/*
 * reading: what the reader program (ofii-watch-reader) says of one mail,
 * as one line of JSON, written by the reader and read back by the daemon
 * and by `parse`.  It is the object `parse --json` prints (file,
 * message_id, from, sender_trust, kind, appointments, xray_center,
 * items_to_bring, previous_start; here without "file") plus what the
 * calendar needs and that output leaves out:
 * "subject", "date", "date_utc", "xray_on_site", "unreadable_pdfs",
 * "skipped_parts".
 *
 * Nothing in here parses mail: this is the daemon's side of the wall that
 * keeps libetpan, libxml2 and poppler out of the process holding the
 * password (see daemon/reader.h).
 */
#ifndef OFII_READING_H
#define OFII_READING_H

#include <stddef.h>
#include <time.h>

#include "model/convocation.h"

/* The few header facts the daemon needs about a mail (all UTF-8). */
struct mail_facts {
	char	*message_id;	/* as written, with <>, or "" */
	char	*from_addr;	/* From addr-spec, or "" */
	char	*subject;	/* decoded, or "" */
	char	*date;		/* Date field as written, or "" */
	time_t	 date_utc;	/* parsed Date, or (time_t)-1 */
	int	 unreadable_pdfs;	/* PDF attachments whose text could
					   not be read (damaged, too slow) */
	int	 skipped_parts;		/* parts not read for their size
					   (over max_attachment_size, or
					   cut with the mail at
					   max_message_size) */
};

struct json_object;		/* json-c's, for those who build the output */

/*
 * Add the reading's members to `o` in the contract's order.  `internal`
 * adds the members only the daemon reads.  0, or -1 (out of memory).
 */
int	reading_add_json(struct json_object *o, const struct mail_facts *,
	    const struct convocation *, int internal);

/*
 * Parse one reading (the reader's output line).  Values are checked, not
 * trusted: unknown names, impossible dates, unknown zones are errors.
 * 0 with *factsp and *convp (mail_facts_free, convocation_free), or -1 and
 * *errstr.
 */
int	reading_from_json(const char *text, size_t len,
	    struct mail_facts **factsp, struct convocation **convp,
	    char **errstr);

void	mail_facts_free(struct mail_facts *);

#endif
