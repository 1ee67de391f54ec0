/*
 * sinks: deliver the calendar events recorded in the state to where the
 * person reads them, each optional ([calendar]):
 *  - vdir: one <UID>.ics per event (khal, vdirsyncer), dir 0700, files 0600,
 *    written tmp -> fsync -> rename, unchanged content never rewritten;
 *  - file: one combined .ics (METHOD:PUBLISH), written atomically;
 *  - CalDAV (caldav.h).
 * What a sink has not accepted yet stays pending in the state (the event's
 * hash differs from the sink's delivered mark) and is retried on the next
 * call: nothing is lost, nothing is delivered twice.  Nothing pending: no
 * I/O at all.
 */
#ifndef OFII_SINKS_H
#define OFII_SINKS_H

#include "config/config.h"
#include "store/state.h"

/*
 * Every configured sink; the state is saved after each one (when it has a
 * path).  0 when all succeeded, else -1 and *errstr naming the first
 * failure (the others are logged); the other sinks still ran.
 */
int	sinks_sync(const struct config *, struct state *, char **errstr);

/* One sink: deliver what is pending for it.  0, or -1 and *errstr. */
int	sink_vdir_sync(const char *dir, struct state *, char **errstr);
int	sink_file_sync(const char *path, struct state *, char **errstr);

#endif
