/*
 * ical: the calendar's iCalendar side, shared by events.c and timeline.c
 * (not a public interface: see calendar.h).  Zones are named by their
 * Olson TZID; libical stays inside ical.c.
 */
#ifndef OFII_CALENDAR_ICAL_H
#define OFII_CALENDAR_ICAL_H

#include <stddef.h>
#include <time.h>

#include "calendar/calendar.h"

#define CANCELLED_PREFIX "ANNULÉ / CANCELLED : "

/* 0 when libical knows the zone, else -1 and *errstr. */
int	zone_check(const char *tzid, char **errstr);

enum wall_kind { WALL_OK, WALL_GAP, WALL_OVERLAP };

/*
 * The instant of a wall-clock time in the zone, the RFC 5545 way: in a
 * gap, with the offset in force before it; in an overlap, the first one.
 */
enum wall_kind wall_instant(const char *tzid, const struct walltime *,
	    time_t *);
/* The wall-clock time of an instant in the zone. */
void	wall_of(const char *tzid, time_t, struct walltime *);

/*
 * What is needed to make one VEVENT.  The texts are malloc'd and freed by
 * draft_clear(), unless a caller lends its own and does not call it.
 */
struct draft {
	enum event_type	 type;
	char		 uid[64];
	char		 group[17];
	const char	*tzid;		/* NULL: all-day */
	time_t		 start, end;	/* instants; all-day: 00:00Z */
	char		*summary;	/* malloc'd */
	char		*location;	/* malloc'd or NULL */
	char		*description;	/* malloc'd */
	char		*office;	/* malloc'd or NULL */
	char		*alarm_text;	/* malloc'd or NULL: the day-before
					   reminder, with the checklist */
	char		*alarm_short;	/* malloc'd or NULL: "time to go" */
	const long	*alarms;	/* seconds before start (< 0: after) */
	size_t		 nalarms;
	int		 cancelled;
	time_t		 previous_start;
	time_t		 mail_time;	/* Date of the letter, or 0 */
};

/* Free the texts. */
void	draft_clear(struct draft *);

/* UID and group: of the person (or account), the type, the office and the
   rank among same-type appointments of one letter (0: the first). */
void	draft_identify(struct draft *, const char *person,
	    const char *office, int nth);

/*
 * Make the event of a draft: its VCALENDAR (cancelled: STATUS:CANCELLED,
 * no alarm, the summary prefixed), its content hash, SEQUENCE and DTSTAMP
 * against the state's record of the UID (unchanged: the recorded text,
 * byte for byte).  Appended to *out.  0, or -1 and *errstr.
 */
int	draft_emit(struct draft *, const struct state *st, time_t now,
	    struct event_list *out, char **errstr);

#endif
