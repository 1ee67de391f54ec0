/*
 * understand: see understand.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/monotonic.h"
#include "parsers/pdf.h"
#include "reader/understand.h"

/* Wall-clock time allowed to a mail's PDFs: 5/4 of their CPU time. */
#define WALL_PER_CPU_NUM	5
#define WALL_PER_CPU_DEN	4

int
understand_mail(const char *raw, size_t len, int cut,
    const struct config *cfg, const char *label, struct message **msgp,
    struct convocation **convp, char **errstr)
{
	struct message_limits ml;
	struct pdf_limits pl;
	struct convocation_config cc;
	struct message *msg = NULL;
	long cpu_left, deadline;
	size_t i;

	*msgp = NULL;
	*convp = NULL;
	message_limits_default(&ml);
	ml.max_message = cfg->max_message_size;
	ml.max_header_line = cfg->max_header_line;
	ml.max_depth = cfg->max_mime_depth;
	ml.max_parts = cfg->max_mime_parts;
	ml.max_attachment = cfg->max_attachment_size;
	if ((cut ? message_parse_cut : message_parse)(raw, len, &ml, &msg,
	    errstr) == -1)
		return -1;
	if (msg->warning != NULL)
		log_warnx("%s: %s", label, msg->warning);

	/*
	 * The PDFs of one mail share one budget: pdf_timeout of CPU time in
	 * all, and 5/4 of that in wall-clock time (for a child that makes
	 * no progress: stopped, starved).  A letter costs ~30 ms of CPU, the
	 * default budget (1 s) some thirty times that; a bomb, or a hundred
	 * PDFs, cost the mail at most the budget, and its other parts are
	 * still read.  CPU time is what a busy machine does not change, so
	 * a timeout is not tried again: it would time out again.  A PDF the
	 * budget does not reach is unreadable, as a damaged one.
	 */
	cpu_left = cfg->pdf_timeout * 1000;
	deadline = monotonic_ms() + cpu_left * WALL_PER_CPU_NUM /
	    WALL_PER_CPU_DEN;
	pdf_limits_default(&pl);
	pl.max_pages = cfg->max_pdf_pages;
	pl.max_memory = cfg->pdf_memory;
	for (i = 0; i < msg->nparts; i++) {
		struct message_part *p = &msg->parts[i];
		long wall_left = deadline - monotonic_ms(), cpu0;
		char *err = NULL;

		if (p->kind != PART_PDF || p->text != NULL)
			continue;
		if (cpu_left <= 0 || wall_left <= 0) {
			log_warnx("%s: attachment %s: not read: the time for "
			    "the PDFs of this mail (pdf_timeout) is spent",
			    label, p->filename ? p->filename :
			    "(unnamed PDF)");
			continue;
		}
		pl.cpu_ms = (unsigned)cpu_left;
		pl.wall_ms = (unsigned)wall_left;
		cpu0 = children_cpu_ms();
		if (pdf_to_text(p->data, p->len, &pl, &p->text, &err) == -1) {
			log_warnx("%s: attachment %s: %s", label,
			    p->filename ? p->filename : "(unnamed PDF)",
			    err ? err : "cannot read it");
			free(err);
		}
		cpu_left -= children_cpu_ms() - cpu0;
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
