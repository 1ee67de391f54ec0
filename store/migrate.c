/*
 * migrate: see migrate.h.  The only place where ofii-watch reads an
 * iCalendar text it wrote: state files written before the events' fields
 * were kept (they held the text and type, group, start, sequence, status
 * and hash only).  Everything else reads the fields.
 *
 * The text is the calendar's own output, so its layout is known: DTSTART
 * with the event's TZID, or in UTC when that wall-clock time happens twice
 * (the zone is then the VTIMEZONE's), DTEND likewise, a DATE for all-day
 * events; and the X-ray nudge names the visit's place on the line
 * "Visite médicale / Medical visit: <date>, <HH:MM>, <place>" of its
 * DESCRIPTION.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "lib/civil.h"
#include "lib/errstr.h"
#include "store/migrate.h"

#define VISIT_LINE	"Visite médicale / Medical visit: "

/* The TZID parameter of a property, or NULL. */
static const char *
tzid_param(icalproperty *p)
{
	icalparameter *tz;

	if (p == NULL || (tz = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) == NULL)
		return NULL;
	return icalparameter_get_tzid(tz);
}

/* The instant of a DTSTART/DTEND value: UTC, or local time in tzid. */
static time_t
instant_of(struct icaltimetype t, const char *tzid)
{
	icaltimezone *zone = NULL;

	if (t.is_date)
		return (time_t)civil_days(t.year, t.month, t.day) * 86400;
	if (!icaltime_is_utc(t) && tzid != NULL)
		zone = icaltimezone_get_builtin_timezone(tzid);
	if (zone == NULL)
		zone = icaltimezone_get_utc_timezone();
	return icaltime_as_timet_with_zone(t, zone);
}

/* The visit's place on the nudge's "Medical visit" line, malloc'd. */
static char *
visit_place(const char *description)
{
	const char *p, *eol;

	if (description == NULL ||
	    (p = strstr(description, VISIT_LINE)) == NULL)
		return NULL;
	p += strlen(VISIT_LINE);
	eol = p + strcspn(p, "\n");
	/* "<date>, HH:MM": the date has no comma. */
	if ((p = strstr(p, ", ")) == NULL || p > eol || eol - p < 7)
		return NULL;
	p += 7;
	if (eol - p < 2 || strncmp(p, ", ", 2) != 0)
		return NULL;		/* the letter named no place */
	p += 2;
	return strndup(p, (size_t)(eol - p));
}

int
migrate_event_fields(struct event *e, char **errstr)
{
	icalcomponent *cal, *ev, *vtz;
	icalproperty *start, *end;
	struct icaltimetype t;
	struct event fields, copy;
	const char *tzid;
	char *office = NULL;
	int r = -1;

	if (e->ics == NULL || (cal = icalparser_parse_string(e->ics)) == NULL)
		return errstr_set(errstr, "event %s: the recorded text cannot "
		    "be read", e->uid);
	ev = icalcomponent_isa(cal) == ICAL_VEVENT_COMPONENT ? cal :
	    icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	start = ev ? icalcomponent_get_first_property(ev,
	    ICAL_DTSTART_PROPERTY) : NULL;
	end = ev ? icalcomponent_get_first_property(ev,
	    ICAL_DTEND_PROPERTY) : NULL;
	if (start == NULL) {
		errstr_set(errstr, "event %s: the recorded text has no start",
		    e->uid);
		goto done;
	}
	/* The recorded fields, and those read here (copied just below). */
	fields = *e;
	t = icalproperty_get_dtstart(start);
	fields.all_day = t.is_date;
	tzid = tzid_param(start);
	if (tzid == NULL)
		tzid = tzid_param(end);
	if (tzid == NULL && !t.is_date && (vtz =
	    icalcomponent_get_first_component(cal,
	    ICAL_VTIMEZONE_COMPONENT)) != NULL)
		tzid = icalproperty_get_tzid(icalcomponent_get_first_property(
		    vtz, ICAL_TZID_PROPERTY));
	if (fields.start == 0)
		fields.start = instant_of(t, tzid);
	fields.end = end != NULL ? instant_of(icalproperty_get_dtend(end),
	    tzid) : fields.start + (fields.all_day ? 86400 : 0);
	fields.tzid = (char *)(t.is_date ? NULL : tzid);
	fields.summary = (char *)icalcomponent_get_summary(ev);
	fields.location = (char *)icalcomponent_get_location(ev);
	fields.description = (char *)icalcomponent_get_description(ev);
	if (e->type == EVENT_XRAY_BOOKING)
		fields.office = office =
		    visit_place(icalcomponent_get_description(ev));
	else if (event_type_is_appointment(e->type))
		fields.office = fields.location;
	else
		fields.office = NULL;
	memset(&copy, 0, sizeof(copy));
	if (event_copy(&copy, &fields) == -1) {
		errstr_set(errstr, "out of memory");
		goto done;
	}
	event_clear(e);
	*e = copy;
	r = 0;
done:
	free(office);
	icalcomponent_free(cal);
	return r;
}
