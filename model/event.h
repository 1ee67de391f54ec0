/*
 * event: one calendar event of ofii-watch — what the calendar makes of a
 * convocation or of the [visa] dates (calendar/calendar.h) and what the
 * state remembers of it between runs (store/state.h).
 *
 * The fields are what ofii-watch knows of the event.  The iCalendar text
 * (`ics`) is only the output the sinks deliver, byte for byte: nothing is
 * ever learnt by reading it back.
 */
#ifndef OFII_MODEL_EVENT_H
#define OFII_MODEL_EVENT_H

#include <stddef.h>
#include <time.h>

#define EVENT_HASH_LEN	64		/* hex SHA-256 */

enum event_type {
	EVENT_MEDICAL = 0,	/* the medical visit */
	EVENT_CIR,		/* the CIR day (contrat d'intégration) */
	EVENT_XRAY,		/* an X-ray appointment fixed by the letter */
	EVENT_XRAY_BOOKING,	/* "book your chest X-ray now" */
	EVENT_RENEWAL_OPEN,	/* valid_until - 4 months */
	EVENT_RENEWAL_DEADLINE,	/* valid_until - 2 months */
	EVENT_FOLLOW_UP,	/* validated_on + follow_up_after */
	EVENT_TYPE_COUNT	/* also: a type this version does not know,
				   in a state file written by another one */
};

struct event {
	enum event_type	 type;
	char		*uid;
	char		*group;		/* whose: hash of the person (or of
					   the account for timeline events) */
	char		*summary;	/* as in the SUMMARY */
	char		*location;	/* as in the LOCATION, or NULL */
	char		*description;	/* as in the DESCRIPTION */
	char		*office;	/* the OFII office's place as the
					   letter wrote it (the visit's for
					   the X-ray nudge), or NULL */
	char		*tzid;		/* zone of the times; NULL: all-day */
	time_t		 start;		/* UTC instant; all-day: 00:00Z */
	time_t		 end;		/* UTC instant; all-day: next day */
	time_t		 previous_start;	/* before a reschedule, or 0 */
	time_t		 mail_time;	/* Date of the letter that made this
					   version, or 0 unknown */
	int		 all_day;
	int		 cancelled;
	int		 sequence;
	int		 changed;	/* the calendar's answer (not kept in
					   the state): new, or differs from
					   the recorded version */
	char		 hash[EVENT_HASH_LEN + 1];	/* the content, without
					   DTSTAMP and SEQUENCE */
	char		*ics;		/* one VCALENDAR, no METHOD: the output */
};

struct event_list {
	struct event	*v;
	size_t		 n;
};

/* "medical", "cir", "xray", "xray-booking", "renewal-open",
   "renewal-deadline", "follow-up": in UIDs and in the state file.  NULL
   for EVENT_TYPE_COUNT. */
const char *event_type_name(enum event_type);
/* The type of a name, EVENT_TYPE_COUNT when it is none of them. */
enum event_type event_type_from_name(const char *);

/*
 * An event UID may name a file (<uid>.ics in a vdir) and a URL (CalDAV):
 * 1 to EVENT_UID_MAX ASCII letters, digits, '-', '_', '.' and '@', not
 * starting with '.'.  Ours are "ofii-<type>-<hex>"; one read back from a
 * state file is checked before it goes into a path.
 */
#define EVENT_UID_MAX	200
int	event_uid_valid(const char *);

/* An appointment of the person (medical, cir, xray), not a reminder. */
int	event_type_is_appointment(enum event_type);

/* Deep copy into *dst (whose previous strings are freed).  0, or -1 on
   ENOMEM with *dst unchanged. */
int	event_copy(struct event *dst, const struct event *src);
/* Free the strings and zero the event. */
void	event_clear(struct event *);
void	event_list_free(struct event_list *);

#endif
