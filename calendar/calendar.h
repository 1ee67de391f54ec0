/*
 * calendar: turn a recognized convocation (and the [visa] dates) into
 * iCalendar events (model/event.h), with libical:
 *  - events.c: a convocation, reschedule or cancellation;
 *  - timeline.c: the [visa] timeline (renewal window, follow-up);
 *  - texts.c: the bilingual texts (summaries, descriptions, checklist);
 *  - ical.c: zones, wall-clock times, the VCALENDAR of one event, its
 *    SEQUENCE against the state, the combined calendar;
 *  - holidays.c: business days for the X-ray nudge.
 *
 * Every event is one VCALENDAR (PRODID, VERSION, CALSCALE, the VTIMEZONE of
 * its zone with the plain Olson TZID, one VEVENT, no METHOD): what the vdir
 * and CalDAV sinks store.  event_list_combine() makes the single-file
 * calendar (METHOD:PUBLISH).
 *
 * Identity: UID = ofii-<type>-<16 hex of SHA-256(person, type, office)>,
 * only [A-Za-z0-9._-], so a reschedule updates the same event.  SEQUENCE
 * and "did it change" come from the state's record of the UID: an event
 * whose content (everything but DTSTAMP and SEQUENCE) is unchanged keeps
 * its previous text byte for byte, so re-reading a mail changes nothing.
 *
 * Times that do not exist (spring-forward gap) are moved forward by the
 * length of the gap, i.e. read with the offset in force before it (RFC 5545
 * 3.3.5), and written as the resulting existing local time; times that
 * exist twice (fall-back overlap) mean the first occurrence and are written
 * in UTC, because libical, pytz/khal and ical.js would otherwise pick the
 * second one.  Both are logged and noted in the description.
 */
#ifndef OFII_CALENDAR_H
#define OFII_CALENDAR_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "model/convocation.h"
#include "model/event.h"
#include "store/state.h"

/* Where the convocation came from (named in every description). */
struct mail_source {
	const char	*subject;	/* decoded Subject, or NULL */
	const char	*date;		/* Date header as written, or NULL */
	time_t		 received;	/* Date as an instant, or -1 */
};

/*
 * Events for one convocation, reschedule or cancellation (other kinds give
 * none).  A letter dated before the one that made the recorded version of
 * an event gives nothing for that event: mail is not read in the order it
 * was sent (INBOX before Junk, a rescan), and the newer letter wins.  `st`
 * (may be NULL) supplies sequences, the time before a reschedule, the
 * nudge's existing time and, for a cancellation naming no appointment, the
 * events to cancel (made again from their recorded fields).  Appended to
 * *out.  The caller decides whether the sender is trusted.  0, or -1 and
 * *errstr.
 */
int	calendar_from_convocation(const struct convocation *,
	    const struct mail_source *, const struct config *,
	    const struct state *st, time_t now, struct event_list *out,
	    char **errstr);

/*
 * Timeline events from [visa]: renewal window opens, renewal deadline, and
 * the "no news from OFII" follow-up, cancelled once a convocation was found
 * (and not created at all when it was found first).
 */
int	calendar_timeline(const struct config *, const struct state *st,
	    int convocation_found, time_t now, struct event_list *out,
	    char **errstr);

/* Record the changed events of `l` in the state (sinks deliver them). */
int	calendar_commit(struct state *, const struct event_list *,
	    char **errstr);

/*
 * One VCALENDAR with METHOD:PUBLISH holding every event of the given
 * single-event calendars (VTIMEZONEs once per TZID): the single-file sink's
 * and `parse --ics`'s output, assembled from the texts the other sinks
 * deliver, so that all of them carry the very same events.
 */
int	calendar_combine(const char *const *ics, size_t n, char **out,
	    char **errstr);
int	event_list_combine(const struct event_list *, char **out,
	    char **errstr);

/*
 * The start of an event as its DTSTART writes it: the wall-clock time in
 * its zone (*zone = the TZID), or in UTC (*zone = "UTC") when that
 * wall-clock time happens twice; all-day: the date, *zone = "".
 */
void	calendar_written_start(const struct event *, struct walltime *,
	    const char **zone);

#endif
