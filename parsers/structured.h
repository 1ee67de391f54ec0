/*
 * structured: the appointments a mail states for machines, next to the
 * letter written for the person: a calendar part (text/calendar,
 * application/ics, a *.ics file: Outlook, BlueMind, booking sites) and
 * schema.org Event / EventReservation in the HTML (JSON-LD, microdata).
 * They give the date, the time, the zone and the place exactly, so they
 * beat the words of the letter for those; the letter still gives the
 * rest (person, items, X-ray centre, the old date of a reschedule).
 *
 * Three files: icalpart.c reads calendar parts (libical), schemaorg.c the
 * HTML (json-c, libxml2), structured.c turns what they read into events
 * in the office's zone and merges them with the text's appointments.
 * Internal to the extractor (parsers/convocation.c and the unit tests).
 * Pure: no I/O, no exit(); the only global state is libical's and
 * libxml2's own (zone cache, parser init).
 */
#ifndef OFII_STRUCTURED_H
#define OFII_STRUCTURED_H

#include <stddef.h>
#include <time.h>

#include "model/convocation.h"
#include "parsers/address.h"
#include "parsers/message.h"

#define STRUCT_MAX_EVENTS	16	/* events kept from one mail */
#define STRUCT_MAX_CALENDAR	(256u * 1024)	/* calendar part read */
#define STRUCT_MAX_HTML		(2u * 1024 * 1024)	/* HTML part looked at */
#define STRUCT_MAX_JSON		(64u * 1024)	/* one JSON-LD script */

/* One event, in the wall clock of its office's zone. */
struct sevent {
	enum appt_type	 type;
	int		 typed;		/* its name says which visit */
	int		 named;		/* its name says it is an appointment */
	struct walltime	 start, end;	/* end year 0: none */
	const char	*tzid;		/* the office's zone: static string */
	char		*place;		/* one line, or NULL */
	char		 postal_code[6];
	char		*city;
	char		*name;		/* the place's name, or NULL */
	char		*address;	/* "street, CP city", or NULL */
	char		*phone;		/* the place's phone, or NULL */
	char		*uid;		/* UID / reservation number, or NULL */
	int		 cancelled;	/* METHOD:CANCEL, STATUS:CANCELLED,
					   EventCancelled, ... */
	int		 ofii;		/* claims to be OFII's: organizer's
					   address or name, event name or
					   place */
};

struct structured {
	struct sevent	 ev[STRUCT_MAX_EVENTS];
	size_t		 n;
};

/*
 * Every event of the mail's calendar parts and HTML parts, the same one
 * said twice (a calendar alternative and its .ics attachment) once.
 * tz_fallback: the zone of an event whose place has no postal code.
 * Hostile input is bounded (part sizes above, STRUCT_MAX_EVENTS, nesting)
 * and never fails; -1 only on out-of-memory (*s is then freed).
 */
int	structured_read(const struct message *, const char *tz_fallback,
	    struct structured *s);
void	structured_free(struct structured *);

/*
 * The hook of convocation_extract(), once the text's appointments are
 * assembled (c->appts sorted, c->kind decided) and before items and the
 * X-ray centre are looked for.  used[i] is the text address behind
 * c->appts[i] (or NULL); it is kept in step.
 *
 * From a trusted sender, each event replaces the text appointment of the
 * same visit (same start, else same type within a week) for start, end,
 * place and zone, and sets NOTE_STRUCTURED_SOURCE_DISAGREES when the text
 * said another date, time or street; a text appointment of that visit
 * with another time is dropped; an event the text does not give is
 * added.  A METHOD:CANCEL calendar is a cancellation.  From an untrusted
 * sender nothing is created: a third party's own event (one that does
 * not name OFII, in a mail that relays nothing) only takes the text's
 * appointment at its time away.  0, or -1 on out-of-memory.
 */
int	structured_apply(struct convocation *c, const struct message *m,
	    int forward, const char *tz_fallback, const struct address **used);

/* ------------------------------------------- between the three files */

/* A time as the source writes it. */
struct swhen {
	int		 set;		/* 0: none, or unreadable */
	int		 floating;	/* no zone: the office's wall clock */
	struct walltime	 w;		/* floating: as written */
	time_t		 u;		/* else: the instant */
};

/* One event as its source writes it (strings borrowed, may be NULL). */
struct sraw {
	struct swhen	 start, end;
	const char	*name;		/* SUMMARY, name */
	const char	*desc;		/* DESCRIPTION, description */
	const char	*location;	/* the place as one line of text */
	const char	*loc_name, *street, *postal_code, *locality;
	const char	*phone;
	const char	*uid;
	int		 cancelled, ofii;
};

/* Add one event (skipped without a start); 0, or -1 on out-of-memory. */
int	structured_add(struct structured *, const struct sraw *,
	    const char *tz_fallback);
/* ISO 8601 "2025-10-23T10:15[:00][Z|+02:00]"; 0, or -1 (a date alone
   has no time: -1). */
int	structured_iso_time(const char *, struct swhen *);
/* A mailbox or organizer name that is OFII's. */
int	structured_is_ofii(const char *);

int	icalpart_read(const char *data, size_t len, const char *tz_fallback,
	    struct structured *);
int	schemaorg_read(const char *html, size_t len, const char *tz_fallback,
	    struct structured *);

#endif
