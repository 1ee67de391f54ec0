/*
 * understand: see understand.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "parsers/pdf.h"
#include "reader/understand.h"

int
understand_mail(const char *raw, size_t len, const struct config *cfg,
    const char *label, struct message **msgp, struct convocation **convp,
    char **errstr)
{
	struct message_limits ml;
	struct pdf_limits pl;
	struct convocation_config cc;
	struct message *msg = NULL;
	size_t i;

	*msgp = NULL;
	*convp = NULL;
	message_limits_default(&ml);
	ml.max_message = cfg->max_message_size;
	ml.max_header_line = cfg->max_header_line;
	ml.max_depth = cfg->max_mime_depth;
	ml.max_parts = cfg->max_mime_parts;
	ml.max_attachment = cfg->max_attachment_size;
	if (message_parse(raw, len, &ml, &msg, errstr) == -1)
		return -1;
	if (msg->warning != NULL)
		log_warnx("%s: %s", label, msg->warning);

	pdf_limits_default(&pl);
	pl.max_pages = cfg->max_pdf_pages;
	pl.wall_ms = (unsigned)cfg->pdf_timeout * 1000;
	pl.max_memory = cfg->pdf_memory;
	for (i = 0; i < msg->nparts; i++) {
		struct message_part *p = &msg->parts[i];
		char *err = NULL;

		if (p->kind != PART_PDF || p->text != NULL)
			continue;
		if (pdf_to_text(p->data, p->len, &pl, &p->text, &err) == -1 &&
		    err != NULL && strstr(err, "timed out") != NULL) {
			/*
			 * A normal letter takes ~10 ms; a timeout is either a
			 * hostile PDF or a machine under heavy load.  One more
			 * try with three times the time tells them apart
			 * before a convocation is read as "other" for good.
			 */
			struct pdf_limits slow = pl;

			log_warnx("%s: attachment %s: %s; trying once more with "
			    "more time", label, p->filename ? p->filename :
			    "(unnamed PDF)", err);
			free(err);
			err = NULL;
			slow.wall_ms *= 3;
			slow.cpu_seconds = (pl.cpu_seconds ? pl.cpu_seconds : 5) * 3;
			if (pdf_to_text(p->data, p->len, &slow, &p->text,
			    &err) == 0)
				continue;
		}
		if (p->text == NULL) {
			log_warnx("%s: attachment %s: %s", label,
			    p->filename ? p->filename : "(unnamed PDF)",
			    err ? err : "cannot read it");
			free(err);
		}
	}

	memset(&cc, 0, sizeof(cc));
	cc.authserv_id = cfg->authserv_id;
	if (convocation_extract(msg, &cc, convp, errstr) == -1) {
		message_free(msg);
		return -1;
	}
	*msgp = msg;
	return 0;
}
