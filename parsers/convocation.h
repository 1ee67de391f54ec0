/*
 * convocation: recognize an OFII mail and extract what the person must do.
 * Input is a parsed message (parsers/message.h) whose PDF parts already carry
 * their text; output is struct convocation (model/convocation.h), which
 * `parse --json` prints.
 * Pure: no I/O, no global mutable state (a keyword table is built once,
 * then only read), no exit().
 */
#ifndef OFII_CONVOCATION_H
#define OFII_CONVOCATION_H

#include "model/convocation.h"
#include "parsers/message.h"

struct convocation_config {
	const char	*authserv_id;	/* A-R header to believe besides the
					   topmost one, or NULL */
};

/* Every string is valid UTF-8 without control characters. */
int	convocation_extract(const struct message *,
	    const struct convocation_config *, struct convocation **out,
	    char **errstr);

/* sender_trust alone (parsers/trust.c). */
enum sender_trust trust_evaluate(const struct message *,
	    const char *authserv_id);

#endif
