/*
 * ical: see ical.h.  Everything that speaks libical for the calendar: the
 * zones, wall-clock times, one event's VCALENDAR, the combined calendar.
 *
 * libical facts this relies on: Debian's libical builds zones from
 * /usr/share/zoneinfo with a prefixed TZID ("/freeassociation.sourceforge
 * .net/Europe/Paris"), so we clone the builtin VTIMEZONE, truncate it to
 * recent years and rename its TZID to the plain Olson name, which is the
 * only form python-icalendar and khal read; the serializer escapes text
 * (LF -> \n, CR dropped), so mail text can never add a property.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>
#include <nettle/sha2.h>

#include "calendar/ical.h"
#include "lib/civil.h"
#include "lib/errstr.h"
#include "lib/log.h"

#define PRODID		"-//ofii-watch//ofii-watch//FR"
#define TRUNCATE_FROM	2020		/* VTIMEZONE history kept from */

/* ------------------------------------------------------------ identity */

/*
 * A name as a key: lowercase ASCII, runs of blanks as one space, trimmed,
 * so "Kwame  MENSAH" and "Kwame Mensah" are the same person.
 */
static void
key_put(struct sha256_ctx *k, const char *s)
{
	int space = 0, any = 0;

	if (s != NULL)
		for (; *s != '\0'; s++) {
			unsigned char c = (unsigned char)*s;

			if (c <= ' ') {
				space = any;
				continue;
			}
			any = 1;
			if (space)
				sha256_update(k, 1, (const uint8_t *)" ");
			space = 0;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			sha256_update(k, 1, &c);
		}
	sha256_update(k, 1, (const uint8_t *)"");	/* field separator */
}

/* First 16 hex digits of SHA-256 over the fields, each key_put. */
static void
short_hash(char out[17], const char *a, const char *b, const char *c,
    const char *d)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_SIZE];
	struct sha256_ctx k;
	int i;

	sha256_init(&k);
	sha256_update(&k, sizeof("ofii-watch"), (const uint8_t *)"ofii-watch");
	key_put(&k, a);
	key_put(&k, b);
	key_put(&k, c);
	key_put(&k, d);
	sha256_digest(&k, sizeof(md), md);
	for (i = 0; i < 8; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[16] = '\0';
}

void
draft_identify(struct draft *d, const char *person, const char *office,
    int nth)
{
	const char *type = event_type_name(d->type);
	char h[17], n[16];

	snprintf(n, sizeof(n), "%d", nth);
	short_hash(h, person, type, office, nth ? n : "");
	snprintf(d->uid, sizeof(d->uid), "ofii-%s-%s", type, h);
	short_hash(d->group, person, NULL, NULL, NULL);
}

void
draft_clear(struct draft *d)
{
	free(d->summary);
	free(d->location);
	free(d->description);
	free(d->office);
	free(d->alarm_text);
	free(d->alarm_short);
}

/* ------------------------------------------------------------ time */

int
zone_check(const char *tzid, char **errstr)
{
	if (icaltimezone_get_builtin_timezone(tzid) == NULL)
		return errstr_set(errstr, "unknown time zone '%s'", tzid);
	return 0;
}

/* The builtin zone, UTC for a name libical does not know (zone_check()
   refused it before any time was computed). */
static icaltimezone *
builtin_zone(const char *tzid)
{
	icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);

	return z != NULL ? z : icaltimezone_get_utc_timezone();
}

/* The wall-clock time as if it were UTC, in seconds. */
static time_t
wall_seconds(const struct walltime *w)
{
	return (time_t)civil_days(w->year, w->month, w->day) * 86400 +
	    w->hour * 3600 + w->minute * 60;
}

/* UTC offset (seconds east) in force at instant u. */
static int
offset_at(icaltimezone *zone, time_t u)
{
	struct icaltimetype t;
	int dst;

	t = icaltime_from_timet_with_zone(u, 0, icaltimezone_get_utc_timezone());
	return icaltimezone_get_utc_offset_of_utc_time(zone, &t, &dst);
}

static void
local_of(icaltimezone *zone, time_t u, struct walltime *w)
{
	struct icaltimetype t = icaltime_from_timet_with_zone(u, 0, zone);

	w->year = t.year;
	w->month = t.month;
	w->day = t.day;
	w->hour = t.hour;
	w->minute = t.minute;
}

void
wall_of(const char *tzid, time_t u, struct walltime *w)
{
	local_of(builtin_zone(tzid), u, w);
}

/*
 * Assumes at most one offset change within 36 hours of the time (true of
 * every real zone).
 */
static enum wall_kind
resolve_wall(icaltimezone *zone, const struct walltime *w, time_t *u)
{
	time_t l = wall_seconds(w), ua, ub;
	int before = offset_at(zone, l - 36 * 3600);
	int after = offset_at(zone, l + 36 * 3600);
	int va, vb;

	ua = l - before;
	ub = l - after;
	va = offset_at(zone, ua) == before;
	vb = offset_at(zone, ub) == after;
	if (va && vb && ua != ub) {
		*u = ua < ub ? ua : ub;		/* the first occurrence */
		return WALL_OVERLAP;
	}
	if (va || vb) {
		*u = va ? ua : ub;
		return WALL_OK;
	}
	*u = ua;			/* the offset before the gap */
	return WALL_GAP;
}

enum wall_kind
wall_instant(const char *tzid, const struct walltime *w, time_t *u)
{
	return resolve_wall(builtin_zone(tzid), w, u);
}

/*
 * How an instant is written: local time when that local time names
 * exactly this instant in every reader (*w, 1), UTC otherwise (overlap: 0).
 */
static int
written_local(icaltimezone *builtin, time_t u, struct walltime *w)
{
	time_t back;

	local_of(builtin, u, w);
	return resolve_wall(builtin, w, &back) == WALL_OK && back == u;
}

void
calendar_written_start(const struct event *e, struct walltime *w,
    const char **zone)
{
	struct civil_date d;

	memset(w, 0, sizeof(*w));
	if (e->all_day || e->tzid == NULL) {
		d = civil_from_days((long)(e->start / 86400));
		w->year = d.year;
		w->month = d.month;
		w->day = d.day;
		*zone = "";
		return;
	}
	if (written_local(builtin_zone(e->tzid), e->start, w)) {
		*zone = e->tzid;
		return;
	}
	local_of(icaltimezone_get_utc_timezone(), e->start, w);
	*zone = "UTC";
}

/* ------------------------------------------------------------ zones */

/* The zone with the plain Olson TZID and a VTIMEZONE kept from `from`. */
static icaltimezone *
make_zone(const char *tzid, int from_year, char **errstr)
{
	icaltimezone *builtin, *z;
	icalcomponent *vtz;
	icalproperty *p;
	struct icaltimetype start;

	if ((builtin = icaltimezone_get_builtin_timezone(tzid)) == NULL) {
		errstr_set(errstr, "unknown time zone '%s'", tzid);
		return NULL;
	}
	vtz = icalcomponent_new_clone(icaltimezone_get_component(builtin));
	start = icaltime_null_time();
	start.year = from_year;
	start.month = 1;
	start.day = 1;
	start.zone = icaltimezone_get_utc_timezone();
	icaltimezone_truncate_vtimezone(vtz, start, icaltime_null_time(), 1);
	if ((p = icalcomponent_get_first_property(vtz,
	    ICAL_TZID_PROPERTY)) != NULL)
		icalproperty_set_tzid(p, tzid);
	z = icaltimezone_new();
	if (!icaltimezone_set_component(z, vtz)) {
		icalcomponent_free(vtz);
		icaltimezone_free(z, 1);
		errstr_set(errstr, "time zone '%s': cannot build it", tzid);
		return NULL;
	}
	return z;
}

/* An instant as DTSTART/DTEND: TZID local time, or UTC (overlap). */
static struct icaltimetype
ical_time(icaltimezone *builtin, icaltimezone *named, time_t u)
{
	struct icaltimetype t;
	struct walltime w;

	if (written_local(builtin, u, &w)) {
		t = icaltime_null_time();
		t.year = w.year;
		t.month = w.month;
		t.day = w.day;
		t.hour = w.hour;
		t.minute = w.minute;
		return icaltime_set_timezone(&t, named);
	}
	return icaltime_from_timet_with_zone(u, 0,
	    icaltimezone_get_utc_timezone());
}

/* ------------------------------------------------------------ one event */

static icalcomponent *
new_vcalendar(void)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);

	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	return cal;
}

static void
remove_all(icalcomponent *c, icalproperty_kind kind)
{
	icalproperty *p;

	while ((p = icalcomponent_get_first_property(c, kind)) != NULL) {
		icalcomponent_remove_property(c, p);
		icalproperty_free(p);
	}
}

/* A cancelled event: STATUS:CANCELLED, no alarm, the summary prefixed. */
static int
cancel_vevent(icalcomponent *ev, char **errstr)
{
	icalcomponent *c, *next;
	const char *summary;
	char *s;

	icalcomponent_set_status(ev, ICAL_STATUS_CANCELLED);
	for (c = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
	    c != NULL; c = next) {
		next = icalcomponent_get_next_component(ev,
		    ICAL_VALARM_COMPONENT);
		icalcomponent_remove_component(ev, c);
		icalcomponent_free(c);
	}
	summary = icalcomponent_get_summary(ev);
	if (summary == NULL || strncmp(summary, CANCELLED_PREFIX,
	    strlen(CANCELLED_PREFIX)) == 0)
		return 0;
	if (asprintf(&s, "%s%s", CANCELLED_PREFIX, summary) == -1)
		return errstr_set(errstr, "out of memory");
	icalcomponent_set_summary(ev, s);
	free(s);
	return 0;
}

/*
 * Finish the VCALENDAR of a draft, holding one VEVENT (takes `cal`):
 * cancellation, content hash, SEQUENCE and DTSTAMP against the state,
 * serialization; append to `out`.
 */
static int
finish(icalcomponent *cal, const struct draft *d, const struct state *st,
    time_t now, struct event_list *out, char **errstr)
{
	icalcomponent *ev, *bare;
	const struct state_event *rec;
	struct event *e, *nv, made;
	char *text;
	int r = -1;

	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	if (ev == NULL) {
		errstr_set(errstr, "calendar: no VEVENT");
		goto done;
	}
	if (d->cancelled && cancel_vevent(ev, errstr) == -1)
		goto done;

	if ((nv = reallocarray(out->v, out->n + 1, sizeof(*nv))) == NULL) {
		errstr_set(errstr, "out of memory");
		goto done;
	}
	out->v = nv;
	e = &nv[out->n];
	memset(e, 0, sizeof(*e));
	/* The fields, as the VEVENT says them (copied just below). */
	memset(&made, 0, sizeof(made));
	made.type = d->type;
	made.uid = (char *)icalcomponent_get_uid(ev);
	made.group = (char *)d->group;
	made.summary = (char *)(icalcomponent_get_summary(ev) ?
	    icalcomponent_get_summary(ev) : "");
	made.location = (char *)icalcomponent_get_location(ev);
	made.description = d->description;
	made.office = d->office;
	made.tzid = (char *)d->tzid;
	made.start = d->start;
	made.end = d->end;
	made.previous_start = d->previous_start;
	made.mail_time = d->mail_time;
	made.all_day = d->tzid == NULL;
	made.cancelled = d->cancelled;
	if (event_copy(e, &made) == -1)
		goto oom;

	/* The content: the VEVENT without DTSTAMP and SEQUENCE. */
	bare = icalcomponent_new_clone(ev);
	remove_all(bare, ICAL_DTSTAMP_PROPERTY);
	remove_all(bare, ICAL_SEQUENCE_PROPERTY);
	text = icalcomponent_as_ical_string_r(bare);
	icalcomponent_free(bare);
	if (text == NULL)
		goto oom;
	state_hash(text, strlen(text), e->hash);
	free(text);

	rec = st ? state_event_find(st, e->uid) : NULL;
	if (rec != NULL && rec->event.ics != NULL &&
	    strcmp(rec->event.hash, e->hash) == 0) {
		/* Unchanged: the very same text as before. */
		e->sequence = rec->event.sequence;
		e->changed = 0;
		e->ics = strdup(rec->event.ics);
	} else {
		e->sequence = rec ? rec->event.sequence + 1 : 0;
		e->changed = 1;
		remove_all(ev, ICAL_DTSTAMP_PROPERTY);
		remove_all(ev, ICAL_SEQUENCE_PROPERTY);
		icalcomponent_add_property(ev, icalproperty_new_dtstamp(
		    icaltime_from_timet_with_zone(now, 0,
		    icaltimezone_get_utc_timezone())));
		icalcomponent_add_property(ev,
		    icalproperty_new_sequence(e->sequence));
		e->ics = icalcomponent_as_ical_string_r(cal);
	}
	if (e->ics == NULL)
		goto oom;
	out->n++;
	r = 0;
	goto done;
oom:
	event_clear(e);
	errstr_set(errstr, "out of memory");
done:
	icalcomponent_free(cal);
	return r;
}

static void
add_alarm(icalcomponent *ev, long before, const char *text)
{
	struct icaltriggertype tr;

	memset(&tr, 0, sizeof(tr));
	tr.time = icaltime_null_time();
	tr.duration = icaldurationtype_from_int((int)-before);
	icalcomponent_add_component(ev, icalcomponent_vanew(
	    ICAL_VALARM_COMPONENT,
	    icalproperty_new_action(ICAL_ACTION_DISPLAY),
	    icalproperty_new_trigger(tr),
	    icalproperty_new_description(text), (void *)0));
}

int
draft_emit(struct draft *d, const struct state *st, time_t now,
    struct event_list *out, char **errstr)
{
	icaltimezone *builtin, *named = NULL;
	icalcomponent *cal, *ev;
	struct icaltimetype t;
	struct civil_date day;
	struct walltime w;
	size_t i;
	int r;

	cal = new_vcalendar();
	ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_set_uid(ev, d->uid);
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(
	    icaltime_from_timet_with_zone(now, 0,
	    icaltimezone_get_utc_timezone())));
	icalcomponent_add_property(ev, icalproperty_new_sequence(0));
	icalcomponent_set_summary(ev, d->summary);
	if (d->tzid != NULL) {
		if (zone_check(d->tzid, errstr) == -1)
			goto fail;
		builtin = builtin_zone(d->tzid);
		local_of(builtin, d->start, &w);
		named = make_zone(d->tzid, w.year - 1 < TRUNCATE_FROM ?
		    w.year - 1 : TRUNCATE_FROM, errstr);
		if (named == NULL)
			goto fail;
		icalcomponent_add_component(cal, icalcomponent_new_clone(
		    icaltimezone_get_component(named)));
		icalcomponent_set_dtstart(ev, ical_time(builtin, named,
		    d->start));
		icalcomponent_set_dtend(ev, ical_time(builtin, named, d->end));
		icalcomponent_add_property(ev,
		    icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	} else {
		day = civil_from_days((long)(d->start / 86400));
		t = icaltime_null_date();
		t.year = day.year;
		t.month = day.month;
		t.day = day.day;
		icalcomponent_set_dtstart(ev, t);
		icaltime_adjust(&t, 1, 0, 0, 0);
		icalcomponent_set_dtend(ev, t);
		icalcomponent_add_property(ev,
		    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	}
	if (d->location != NULL && d->location[0] != '\0')
		icalcomponent_set_location(ev, d->location);
	icalcomponent_set_description(ev, d->description);
	icalcomponent_set_status(ev, ICAL_STATUS_CONFIRMED);
	icalcomponent_add_property(ev, icalproperty_new_categories("OFII"));
	/* Long before: the checklist; shortly before: where to go. */
	for (i = 0; i < d->nalarms; i++)
		add_alarm(ev, d->alarms[i], d->alarms[i] >= 6 * 3600 &&
		    d->alarm_text ? d->alarm_text : d->alarm_short ?
		    d->alarm_short : d->summary);
	icalcomponent_add_component(cal, ev);
	r = finish(cal, d, st, now, out, errstr);
	if (named != NULL)
		icaltimezone_free(named, 1);
	return r;
fail:
	icalcomponent_free(cal);
	return -1;
}

/* ------------------------------------------------------------ state */

int
calendar_commit(struct state *st, const struct event_list *l,
    char **errstr)
{
	struct state_event *rec;
	const struct event *e;
	struct event copy;
	size_t i;

	for (i = 0; i < l->n; i++) {
		e = &l->v[i];
		if (!e->changed)
			continue;
		memset(&copy, 0, sizeof(copy));
		if ((rec = state_event_get(st, e->uid)) == NULL ||
		    event_copy(&copy, e) == -1)
			return errstr_set(errstr, "out of memory");
		/* The record keeps its UID string: it is the record's key. */
		free(copy.uid);
		copy.uid = rec->event.uid;
		rec->event.uid = NULL;
		event_clear(&rec->event);
		rec->event = copy;
		rec->event.changed = 0;
		log_info("calendar: %s %s (SEQUENCE %d)", e->cancelled ?
		    "cancelled" : "event", e->uid, e->sequence);
	}
	return 0;
}

/* ------------------------------------------------------------ combine */

/* The TZID of a VTIMEZONE. */
static const char *
vtimezone_tzid(icalcomponent *vtz)
{
	return icalproperty_get_tzid(icalcomponent_get_first_property(vtz,
	    ICAL_TZID_PROPERTY));
}

/*
 * The per-event texts are parsed here, and only to be copied into the one
 * calendar: they are the output the other sinks deliver byte for byte
 * (with the DTSTAMP and alarms each version was written with), so the
 * combined file carries exactly the same events.  Nothing is learnt from
 * them.
 */
int
calendar_combine(const char *const *ics, size_t n, char **out,
    char **errstr)
{
	icalcomponent *all, *cal, *c, *have;
	size_t i;

	*out = NULL;
	all = new_vcalendar();
	icalcomponent_add_property(all,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	/* VTIMEZONEs first (readers like them before use), then VEVENTs. */
	for (i = 0; i < n; i++) {
		if ((cal = icalparser_parse_string(ics[i])) == NULL) {
			icalcomponent_free(all);
			return errstr_set(errstr, "calendar: an event cannot "
			    "be read back");
		}
		for (c = icalcomponent_get_first_component(cal,
		    ICAL_VTIMEZONE_COMPONENT); c != NULL;
		    c = icalcomponent_get_next_component(cal,
		    ICAL_VTIMEZONE_COMPONENT)) {
			for (have = icalcomponent_get_first_component(all,
			    ICAL_VTIMEZONE_COMPONENT); have != NULL;
			    have = icalcomponent_get_next_component(all,
			    ICAL_VTIMEZONE_COMPONENT))
				if (strcmp(vtimezone_tzid(have),
				    vtimezone_tzid(c)) == 0)
					break;
			if (have == NULL)
				icalcomponent_add_component(all,
				    icalcomponent_new_clone(c));
		}
		icalcomponent_free(cal);
	}
	for (i = 0; i < n; i++) {
		cal = icalparser_parse_string(ics[i]);
		for (c = icalcomponent_get_first_component(cal,
		    ICAL_VEVENT_COMPONENT); c != NULL;
		    c = icalcomponent_get_next_component(cal,
		    ICAL_VEVENT_COMPONENT))
			icalcomponent_add_component(all,
			    icalcomponent_new_clone(c));
		icalcomponent_free(cal);
	}
	*out = icalcomponent_as_ical_string_r(all);
	icalcomponent_free(all);
	if (*out == NULL)
		return errstr_set(errstr, "out of memory");
	return 0;
}

int
event_list_combine(const struct event_list *l, char **out, char **errstr)
{
	const char **v;
	size_t i;
	int r;

	if ((v = calloc(l->n ? l->n : 1, sizeof(*v))) == NULL)
		return errstr_set(errstr, "out of memory");
	for (i = 0; i < l->n; i++)
		v[i] = l->v[i].ics;
	r = calendar_combine(v, l->n, out, errstr);
	free(v);
	return r;
}
