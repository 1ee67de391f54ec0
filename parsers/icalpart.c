/*
 * icalpart: the VEVENTs of one calendar part (see structured.h), read with
 * libical.
 *
 * Times: DTSTART/DTEND in UTC ("Z") are instants; with a TZID, the zone
 * is looked up by name: a Windows name (Exchange, Outlook: "Romance
 * Standard Time") through the table below, an Olson name ("Europe/Paris",
 * also behind a prefix like "/mozilla.org/20050126_1/") in the system's
 * zones; only a name known to neither is read from the calendar's own
 * VTIMEZONE, and only when its rules are plain (yearly, a few of them):
 * a hostile VTIMEZONE must not make libical expand millions of changes.
 * A zone that cannot be read leaves the time floating: the office's wall
 * clock.  A DATE (all-day) start is no appointment.
 *
 * Bounds: the part is read up to STRUCT_MAX_CALENDAR bytes, with at most
 * MAX_NEST levels of BEGIN: (libical frees its tree recursively) and
 * MAX_COMPONENTS components; STRUCT_MAX_EVENTS events are kept.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "lib/civil.h"
#include "parsers/structured.h"

#define MAX_NEST	6
#define MAX_COMPONENTS	200
#define MAX_TZID	96

/*
 * Windows zone names -> Olson names: the zones of France, its overseas
 * departments and collectivities, and of the neighbours an agent's
 * computer may be set to (after CLDR's windowsZones.xml; where a Windows
 * name covers several Olson zones with the same offsets, the French one).
 * The Olson name only gives the offsets here: an appointment's tzid
 * comes from its office's postal code.
 */
static const struct {
	const char	*windows;
	const char	*olson;
} win_zones[] = {
	{ "Romance Standard Time", "Europe/Paris" },
	{ "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris" },
	{ "W. Europe Standard Time", "Europe/Berlin" },
	{ "Central Europe Standard Time", "Europe/Budapest" },
	{ "Central European Standard Time", "Europe/Warsaw" },
	{ "GMT Standard Time", "Europe/London" },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik" },
	{ "SA Western Standard Time", "America/Guadeloupe" },
	{ "SA Eastern Standard Time", "America/Cayenne" },
	{ "Arabian Standard Time", "Indian/Reunion" },
	{ "Mauritius Standard Time", "Indian/Reunion" },
	{ "E. Africa Standard Time", "Indian/Mayotte" },
	{ "Saint Pierre Standard Time", "America/Miquelon" },
	{ "Central Pacific Standard Time", "Pacific/Noumea" },
	{ "Hawaiian Standard Time", "Pacific/Tahiti" },
	{ "Marquesas Standard Time", "Pacific/Marquesas" },
	{ "UTC+12", "Pacific/Wallis" },
};

/* A name the system's zone files may be asked for: letters, digits and
   "/_+-", no "..", not absolute (libical opens it under its zone
   directory). */
static int
olson_like(const char *s)
{
	size_t i;

	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL ||
	    strlen(s) > 64)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("/_+-", s[i])))
			return 0;
	return 1;
}

static icaltimezone *
builtin(const char *name)
{
	if (strcasecmp(name, "UTC") == 0 || strcasecmp(name, "GMT") == 0 ||
	    strcasecmp(name, "Etc/UTC") == 0)
		return icaltimezone_get_utc_timezone();
	if (!olson_like(name))
		return NULL;
	return icaltimezone_get_builtin_timezone(name);
}

/* The zone a TZID names, or NULL. */
static icaltimezone *
named_zone(const char *tzid)
{
	char name[MAX_TZID];
	icaltimezone *z;
	size_t i, n;
	const char *p;
	int tries;

	n = strlen(tzid);
	if (n == 0 || n >= sizeof(name))
		return NULL;
	/* quotes and spaces around: TZID="Romance Standard Time" */
	while (n > 0 && (*tzid == '"' || *tzid == ' ')) {
		tzid++;
		n--;
	}
	while (n > 0 && (tzid[n - 1] == '"' || tzid[n - 1] == ' '))
		n--;
	memcpy(name, tzid, n);
	name[n] = '\0';
	for (i = 0; i < sizeof(win_zones) / sizeof(win_zones[0]); i++)
		if (strcasecmp(name, win_zones[i].windows) == 0)
			return builtin(win_zones[i].olson);
	/* "Europe/Paris", "/freeassociation.sourceforge.net/Europe/Paris" */
	for (p = name, tries = 0; p != NULL && tries < 8; tries++) {
		while (*p == '/')
			p++;
		if ((z = builtin(p)) != NULL)
			return z;
		p = strchr(p, '/');
	}
	return NULL;
}

/* The property's value, when it is of that kind (a property libical could
   not read has none, or one of another kind: its getters would read the
   wrong member of a union). */
static icalvalue *
value_of(icalproperty *p, icalvalue_kind kind)
{
	icalvalue *v;

	if (p == NULL || (v = icalproperty_get_value(p)) == NULL ||
	    icalvalue_isa(v) != kind)
		return NULL;
	return v;
}

/* A VTIMEZONE libical can expand cheaply: a few observances, each from
   a DTSTART after 1600 with at most one plain yearly rule. */
static int
vtimezone_plain(icalcomponent *vtz)
{
	icalcomponent *o;
	icalproperty *p;
	struct icaltimetype t;
	struct icalrecurrencetype r;
	icalvalue *v;
	int nobs = 0, nrule, nrdate;

	for (o = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	    o != NULL;
	    o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		if (++nobs > 4)
			return 0;
		if ((v = value_of(icalcomponent_get_first_property(o,
		    ICAL_DTSTART_PROPERTY), ICAL_DATETIME_VALUE)) == NULL)
			return 0;
		t = icalvalue_get_datetime(v);
		if (t.year < 1600 || t.year > 2200)
			return 0;
		nrule = nrdate = 0;
		for (p = icalcomponent_get_first_property(o, ICAL_ANY_PROPERTY);
		    p != NULL;
		    p = icalcomponent_get_next_property(o, ICAL_ANY_PROPERTY)) {
			if (icalproperty_isa(p) == ICAL_RDATE_PROPERTY &&
			    ++nrdate > 4)
				return 0;
			if (icalproperty_isa(p) == ICAL_EXRULE_PROPERTY)
				return 0;
			if (icalproperty_isa(p) != ICAL_RRULE_PROPERTY)
				continue;
			if (++nrule > 1 ||
			    (v = value_of(p, ICAL_RECUR_VALUE)) == NULL)
				return 0;
			r = icalvalue_get_recur(v);
			if (r.freq != ICAL_YEARLY_RECURRENCE ||
			    r.interval != 1 ||
			    r.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_month[0] == ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_month[1] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_day[1] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_month_day[1] != ICAL_RECURRENCE_ARRAY_MAX ||
			    r.by_set_pos[1] != ICAL_RECURRENCE_ARRAY_MAX)
				return 0;
		}
	}
	return nobs > 0;
}

/* The calendar's own VTIMEZONE of that TZID, if plain. */
static icaltimezone *
own_zone(icalcomponent *cal, const char *tzid)
{
	icalcompiter it;
	icalcomponent *vtz;
	icalvalue *v;
	const char *id;
	int n = 0;

	/* an iterator of our own: the caller walks cal's VEVENTs with
	   libical's built-in one */
	for (it = icalcomponent_begin_component(cal, ICAL_VTIMEZONE_COMPONENT);
	    (vtz = icalcompiter_deref(&it)) != NULL && n < 8;
	    icalcompiter_next(&it), n++) {
		if ((v = value_of(icalcomponent_get_first_property(vtz,
		    ICAL_TZID_PROPERTY), ICAL_TEXT_VALUE)) == NULL ||
		    (id = icalvalue_get_text(v)) == NULL ||
		    strcmp(id, tzid) != 0)
			continue;
		if (!vtimezone_plain(vtz))
			return NULL;
		return icalcomponent_get_timezone(cal, tzid);
	}
	return NULL;
}

/* DTSTART or DTEND as written. */
static void
prop_when(icalcomponent *cal, icalproperty *p, struct swhen *w)
{
	struct icaltimetype t;
	icalparameter *par;
	icalvalue *v;
	icaltimezone *z = NULL;
	const char *tzid;

	memset(w, 0, sizeof(*w));
	if ((v = value_of(p, ICAL_DATETIME_VALUE)) == NULL)
		return;		/* a DATE (all day), or unreadable */
	t = icalvalue_get_datetime(v);
	if (t.is_date || t.year < 1900 || t.year > 2200 ||
	    !civil_valid(t.year, t.month, t.day) || t.hour < 0 ||
	    t.hour > 23 || t.minute < 0 || t.minute > 59)
		return;
	w->w.year = t.year;
	w->w.month = t.month;
	w->w.day = t.day;
	w->w.hour = t.hour;
	w->w.minute = t.minute;
	w->set = 1;
	if (icaltime_is_utc(t)) {
		w->u = (time_t)civil_days(t.year, t.month, t.day) * 86400 +
		    t.hour * 3600 + t.minute * 60;
		return;
	}
	if ((par = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) != NULL &&
	    (tzid = icalparameter_get_tzid(par)) != NULL &&
	    ((z = named_zone(tzid)) != NULL ||
	    (z = own_zone(cal, tzid)) != NULL)) {
		t.second = 0;
		t.zone = NULL;
		w->u = icaltime_as_timet_with_zone(t, z);
		return;
	}
	w->floating = 1;
}

static const char *
text_of(icalcomponent *ev, icalproperty_kind kind)
{
	icalvalue *v = value_of(icalcomponent_get_first_property(ev, kind),
	    ICAL_TEXT_VALUE);

	return v != NULL ? icalvalue_get_text(v) : NULL;
}

/* ORGANIZER's address or CN is OFII's. */
static int
organized_by_ofii(icalcomponent *ev)
{
	icalproperty *p;
	icalparameter *cn;
	icalvalue *v;
	const char *s;

	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY)) == NULL)
		return 0;
	if ((v = value_of(p, ICAL_CALADDRESS_VALUE)) != NULL &&
	    (s = icalvalue_get_caladdress(v)) != NULL &&
	    structured_is_ofii(s))
		return 1;
	return (cn = icalproperty_get_first_parameter(p,
	    ICAL_CN_PARAMETER)) != NULL &&
	    (s = icalparameter_get_cn(cn)) != NULL && structured_is_ofii(s);
}

static int
read_event(icalcomponent *cal, icalcomponent *ev, int cancel,
    const char *tz_fallback, struct structured *s)
{
	struct sraw r;
	struct icaldurationtype d;
	icalvalue *v;
	long secs;

	memset(&r, 0, sizeof(r));
	prop_when(cal, icalcomponent_get_first_property(ev,
	    ICAL_DTSTART_PROPERTY), &r.start);
	prop_when(cal, icalcomponent_get_first_property(ev,
	    ICAL_DTEND_PROPERTY), &r.end);
	if (r.start.set && !r.end.set && (v = value_of(
	    icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY),
	    ICAL_DURATION_VALUE)) != NULL) {
		d = icalvalue_get_duration(v);
		secs = (long)icaldurationtype_as_int(d);
		if (secs > 0 && secs <= 86400) {
			r.end = r.start;
			if (r.end.floating) {
				/* same day only: wall-clock arithmetic */
				secs += r.end.w.hour * 3600L +
				    r.end.w.minute * 60L;
				if (secs >= 86400)
					r.end.set = 0;
				r.end.w.hour = (int)(secs / 3600);
				r.end.w.minute = (int)(secs % 3600 / 60);
			} else
				r.end.u += secs;
		}
	}
	r.name = text_of(ev, ICAL_SUMMARY_PROPERTY);
	r.desc = text_of(ev, ICAL_DESCRIPTION_PROPERTY);
	r.location = text_of(ev, ICAL_LOCATION_PROPERTY);
	r.uid = text_of(ev, ICAL_UID_PROPERTY);
	r.cancelled = cancel ||
	    ((v = value_of(icalcomponent_get_first_property(ev,
	    ICAL_STATUS_PROPERTY), ICAL_STATUS_VALUE)) != NULL &&
	    icalvalue_get_status(v) == ICAL_STATUS_CANCELLED);
	r.ofii = organized_by_ofii(ev);
	return structured_add(s, &r, tz_fallback);
}

/* Nesting and number of components, on the raw lines: what libical's
   parser would build, before it builds it. */
static int
shape_ok(const char *data, size_t len)
{
	size_t i = 0;
	int depth = 0, ncomp = 0;

	while (i < len) {
		if (len - i >= 6 && strncasecmp(data + i, "BEGIN:", 6) == 0) {
			if (++depth > MAX_NEST || ++ncomp > MAX_COMPONENTS)
				return 0;
		} else if (len - i >= 4 && strncasecmp(data + i, "END:", 4) == 0)
			depth = depth > 0 ? depth - 1 : 0;
		while (i < len && data[i] != '\n')
			i++;
		i++;
	}
	return 1;
}

int
icalpart_read(const char *data, size_t len, const char *tz_fallback,
    struct structured *s)
{
	icalcomponent *root, *cal, *ev;
	icalcompiter ci, ei;
	icalvalue *v;
	int cancel, ncal = 0, nev = 0, r = 0;

	if (data == NULL || len == 0 || len > STRUCT_MAX_CALENDAR ||
	    strlen(data) != len || !shape_ok(data, len))
		return 0;
	if ((root = icalparser_parse_string(data)) == NULL)
		return 0;
	/* one VCALENDAR, or several under an XROOT; iterators of our own,
	   libical's built-in one is per component and shared */
	ci = icalcomponent_begin_component(root, ICAL_VCALENDAR_COMPONENT);
	cal = icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT ? root :
	    icalcompiter_deref(&ci);
	while (cal != NULL && ncal++ < 4 && r == 0) {
		cancel = (v = value_of(icalcomponent_get_first_property(cal,
		    ICAL_METHOD_PROPERTY), ICAL_METHOD_VALUE)) != NULL &&
		    icalvalue_get_method(v) == ICAL_METHOD_CANCEL;
		for (ei = icalcomponent_begin_component(cal,
		    ICAL_VEVENT_COMPONENT); (ev = icalcompiter_deref(&ei)) !=
		    NULL && r == 0 && nev < 2 * STRUCT_MAX_EVENTS;
		    icalcompiter_next(&ei), nev++)
			r = read_event(cal, ev, cancel, tz_fallback, s);
		cal = cal == root ? NULL : icalcompiter_next(&ci);
	}
	icalcomponent_free(root);
	return r;
}
