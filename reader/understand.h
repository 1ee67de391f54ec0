/*
 * understand: the whole reading of one raw mail in the reader program
 * (for `parse` and for the daemon's poll alike): MIME (message_parse), the text of each PDF in a confined
 * child (pdf_to_text), then recognition and extraction
 * (convocation_extract), all with the limits of the configuration.
 */
#ifndef OFII_UNDERSTAND_H
#define OFII_UNDERSTAND_H

#include <stddef.h>

#include "config/config.h"
#include "parsers/convocation.h"
#include "parsers/message.h"

/*
 * `label` names the mail in warnings (file name, folder/UID).  `cut`: raw
 * is only the first max_message_size bytes of a larger mail (see
 * message_parse_cut()).  A PDF that cannot be read costs a warning, not
 * the mail.  0 with *msgp and *convp (free both), or -1 and *errstr.
 */
int	understand_mail(const char *raw, size_t len, int cut,
	    const struct config *, const char *label, struct message **msgp,
	    struct convocation **convp, char **errstr);

#endif
