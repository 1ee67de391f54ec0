/*
 * fields: the From, Subject, Message-ID and Date members of struct message,
 * derived from its top-level header fields (parsers/message.h).
 */
#ifndef OFII_FIELDS_H
#define OFII_FIELDS_H

#include "parsers/message.h"

/* Fill msg->from, from_addr, subject, message_id, date and date_utc from
   msg->headers.  0, or -1 when memory ran out. */
int	message_derive_fields(struct message *msg);

#endif
