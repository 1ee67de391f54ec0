/*
 * caldav: put the events of the state into a CalDAV collection with
 * libcurl.  One resource per event, <collection>/<UID>.ics:
 *  - new: PUT with If-None-Match: *; update: PUT with If-Match: <ETag of
 *    our last PUT>; on 412 the current ETag is fetched (GET) and the PUT
 *    retried once (our event is the authority);
 *  - 401/403: an error naming the URL and the user (never the password);
 *  - TLS always verified, time limits from [account] timeout.
 * The password comes from [calendar] caldav_password_* (secret_fetch),
 * only when something is pending.
 */
#ifndef OFII_CALDAV_H
#define OFII_CALDAV_H

#include "config/config.h"
#include "store/state.h"

/* Deliver what is pending for SINK_CALDAV.  0, or -1 and *errstr. */
int	caldav_sync(const struct config *, struct state *, char **errstr);

#endif
