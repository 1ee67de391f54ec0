/*
 * events: a convocation, reschedule or cancellation -> events (see
 * calendar.h): one per appointment, and the "book your chest X-ray now"
 * nudge before a medical visit whose letter asks for an X-ray.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar.h"
#include "calendar/holidays.h"
#include "calendar/ical.h"
#include "calendar/texts.h"
#include "lib/buf.h"
#include "lib/civil.h"
#include "lib/errstr.h"
#include "lib/log.h"

#define DEFAULT_TZID	"Europe/Paris"	/* a letter naming no zone */
#define DEFAULT_LENGTH	(2 * 3600)	/* no end in the letter */
#define BOOKING_LENGTH	(30 * 60)

static enum event_type
event_type_of(enum appt_type t)
{
	switch (t) {
	case APPT_CIR:
		return EVENT_CIR;
	case APPT_XRAY:
		return EVENT_XRAY;
	default:
		return EVENT_MEDICAL;
	}
}

/* What names the office in UIDs and matches it: postal code, city, place. */
static const char *
office_of(const struct appointment *a)
{
	if (a->postal_code[0] != '\0')
		return a->postal_code;
	if (a->city != NULL)
		return a->city;
	return a->place;
}

/*
 * A reschedule or cancellation may name the person differently from the
 * convocation ("Tesfaye" then "M. Tesfaye GEBRE"), which changes the UID.
 * When no event has the computed UID but exactly one live event of this
 * type is recorded at an office whose place has this postal code (or
 * city), that is the one being moved.
 */
static const struct state_event *
sole_event_at(const struct state *st, enum event_type type,
    const char *office)
{
	const struct state_event *found = NULL;
	size_t i;

	if (st == NULL || office == NULL || *office == '\0')
		return NULL;
	for (i = 0; i < st->nevents; i++) {
		const struct event *ev = &st->events[i].event;

		if (ev->cancelled || ev->type != type || ev->office == NULL ||
		    strstr(ev->office, office) == NULL)
			continue;
		if (found != NULL)
			return NULL;	/* ambiguous: a household */
		found = &st->events[i];
	}
	return found;
}

/*
 * The recorded event with the draft's UID, else (reschedule, cancellation)
 * the only one of its type at that office, whose UID and group the draft
 * then takes (said in the log when `say`).
 */
static const struct state_event *
recorded(const struct state *st, struct draft *d, int moving,
    const char *office, int say)
{
	const struct state_event *rec;

	if (st == NULL)
		return NULL;
	if ((rec = state_event_find(st, d->uid)) != NULL || !moving ||
	    (rec = sole_event_at(st, d->type, office)) == NULL)
		return rec;
	if (say)
		log_info("%s: the letter names the person differently; "
		    "updating the only %s event at %s", rec->event.uid,
		    event_type_name(d->type), office);
	snprintf(d->uid, sizeof(d->uid), "%s", rec->event.uid);
	if (rec->event.group != NULL)
		snprintf(d->group, sizeof(d->group), "%s", rec->event.group);
	return rec;
}

/*
 * previous_start of an event: the letter's own "instead of", else what the
 * state held before this change, else what it already noted.
 */
static time_t
previous_for(const struct state_event *rec, time_t start, time_t letter)
{
	time_t prev = 0;

	if (letter != 0)
		prev = letter;
	else if (rec != NULL && rec->event.start != 0 &&
	    rec->event.start != start && !rec->event.cancelled)
		prev = rec->event.start;
	else if (rec != NULL && rec->event.start == start)
		prev = rec->event.previous_start;
	return prev == start ? 0 : prev;
}

/*
 * The letter (dated `src`) is older than the one that made the recorded
 * version of the event: applying it would undo a newer reschedule or
 * cancellation.  Unknown dates on either side: apply, as before.
 */
static int
older_letter(const struct state_event *rec, const struct mail_source *src)
{
	if (rec == NULL || rec->event.mail_time <= 0 || src == NULL ||
	    src->received == (time_t)-1 || src->received <= 0)
		return 0;
	if (src->received >= rec->event.mail_time)
		return 0;
	log_info("%s: this letter is older than the one already applied; "
	    "the newer one stands", rec->event.uid);
	return 1;
}

static time_t
mail_time_of(const struct mail_source *src)
{
	return src != NULL && src->received != (time_t)-1 && src->received > 0 ?
	    src->received : 0;
}

/* Cancel a recorded event: the same event, made again from its fields. */
static int
cancel_recorded(const struct state_event *rec, const struct state *st,
    const struct mail_source *src, time_t now, struct event_list *out,
    char **errstr)
{
	const struct event *e = &rec->event;
	struct draft d;

	if (e->summary == NULL || e->description == NULL ||
	    e->type == EVENT_TYPE_COUNT)
		return errstr_set(errstr, "event %s: the recorded event "
		    "cannot be read", e->uid);
	memset(&d, 0, sizeof(d));
	d.type = e->type;
	snprintf(d.uid, sizeof(d.uid), "%s", e->uid);
	snprintf(d.group, sizeof(d.group), "%s", e->group ? e->group : "");
	d.tzid = e->all_day ? NULL : e->tzid;
	d.start = e->start;
	d.end = e->end;
	d.previous_start = e->previous_start;
	d.mail_time = mail_time_of(src);
	d.cancelled = 1;
	/* Borrowed from the record, not draft_clear()ed: no alarm text. */
	d.summary = e->summary;
	d.location = e->location;
	d.description = e->description;
	d.office = e->office;
	return draft_emit(&d, st, now, out, errstr);
}

static void
log_adjusted(const struct draft *d, const struct appointment *a,
    const char *tzid, enum wall_kind kind)
{
	log_warnx("%s appointment on %04d-%02d-%02d at %02d:%02d %s: %s; "
	    "using %s (RFC 5545)", event_type_name(d->type), a->start.year,
	    a->start.month, a->start.day, a->start.hour, a->start.minute,
	    tzid, kind == WALL_GAP ?
	    "this time does not exist (clocks go forward)" :
	    "this time happens twice (clocks go back)",
	    kind == WALL_GAP ? "the time after the change" : "the first one");
}

/* The description of an appointment's event. */
static char *
appointment_description(const struct convocation *c,
    const struct appointment *a, const struct draft *d,
    const struct mail_source *src, enum wall_kind kind, enum wall_kind ekind)
{
	struct buf b = { 0 };
	struct walltime w;

	buf_printf(&b, "%s\n", text_type_summary(d->type));
	if (c->person != NULL) {
		buf_printf(&b, "Pour / For: ");
		text_mail(&b, c->person);
		buf_printf(&b, "\n");
	}
	buf_printf(&b, "Quand / When: ");
	text_when(&b, d->tzid, d->start, d->end);
	buf_printf(&b, "\n");
	if (kind == WALL_GAP)
		buf_printf(&b, "Heure ajustée : %02d:%02d n'existe pas ce "
		    "jour-là (changement d'heure) / Time adjusted: %02d:%02d "
		    "does not exist that day (clocks go forward)\n",
		    a->start.hour, a->start.minute, a->start.hour,
		    a->start.minute);
	else if (kind == WALL_OVERLAP)
		buf_printf(&b, "Attention : %02d:%02d existe deux fois ce "
		    "jour-là (changement d'heure), c'est la première (heure "
		    "d'été) / Note: %02d:%02d happens twice that day (clocks "
		    "go back); this is the first one (summer time)\n",
		    a->start.hour, a->start.minute, a->start.hour,
		    a->start.minute);
	if (ekind != WALL_OK)
		buf_printf(&b, "(heure de fin ajustée / end time adjusted)\n");
	if (a->end.year != 0 && d->end > d->start)
		buf_printf(&b, "Présentez-vous pendant ce créneau / "
		    "come during this time window\n");
	if (a->place != NULL) {
		buf_printf(&b, "Lieu / Place: ");
		text_mail(&b, a->place);
		buf_printf(&b, "\n");
	}
	if (a->phone != NULL) {
		buf_printf(&b, "Téléphone / Phone: ");
		text_mail(&b, a->phone);
		buf_printf(&b, "\n");
	}
	if (d->previous_start != 0) {
		wall_of(d->tzid, d->previous_start, &w);
		buf_printf(&b, "Rendez-vous déplacé, il était prévu le / "
		    "Rescheduled, it was on: ");
		text_date(&b, &w);
		buf_printf(&b, ", %02d:%02d\n", w.hour, w.minute);
	}
	buf_printf(&b, "\n");
	text_checklist(&b, c->items, a->type);
	if (a->type == APPT_MEDICAL && c->xray != NULL && !c->xray_on_site) {
		size_t i;

		/* a centre the letter booked: nothing to book, the centre
		   to call if the slot does not suit */
		for (i = 0; i < c->nappts; i++)
			if (c->appts[i].type == APPT_XRAY)
				break;
		if (i < c->nappts)
			buf_printf(&b, "\nRadio pulmonaire AVANT la visite, "
			    "rendez-vous déjà fixé / chest X-ray BEFORE the "
			    "visit, appointment already booked: ");
		else
			buf_printf(&b, "\nRadio pulmonaire à faire AVANT la "
			    "visite / chest X-ray to be done BEFORE the "
			    "visit: ");
		text_mail(&b, c->xray->name);
		if (c->xray->address) {
			buf_printf(&b, ", ");
			text_mail(&b, c->xray->address);
		}
		if (c->xray->phone) {
			buf_printf(&b, ", tél. ");
			text_mail(&b, c->xray->phone);
		}
		buf_printf(&b, "\n");
	} else if (a->type == APPT_MEDICAL && c->xray_on_site)
		buf_printf(&b, "\nRadio pulmonaire faite sur place / "
		    "chest X-ray done on site\n");
	text_source(&b, src);
	return buf_finish(&b, NULL);
}

/* The two reminders: shortly before (where to go), long before (and what
   to bring). */
static int
appointment_alarms(const struct convocation *c, const struct appointment *a,
    struct draft *d)
{
	struct buf b = { 0 };

	buf_printf(&b, "%s, ", d->summary);
	text_when(&b, d->tzid, d->start, d->end);
	buf_printf(&b, "\n");
	if (a->place != NULL) {
		text_mail(&b, a->place);
		buf_printf(&b, "\n");
	}
	if ((d->alarm_short = buf_finish(&b, NULL)) == NULL)
		return -1;
	buf_printf(&b, "%s\n", d->alarm_short);
	text_checklist(&b, c->items, a->type);
	if ((d->alarm_text = buf_finish(&b, NULL)) == NULL)
		return -1;
	return 0;
}

static int
appointment_event(const struct convocation *c, size_t idx,
    const struct mail_source *src, const struct config *cfg,
    const struct state *st, time_t now, int cancel, struct event_list *out,
    time_t *startp, char **errstr)
{
	const struct appointment *a = &c->appts[idx];
	const struct state_event *rec;
	struct draft d;
	time_t letter_prev = 0, end;
	enum wall_kind kind, ekind = WALL_OK;
	size_t i;
	int nth = 0, r;
	const char *tzid = a->tzid ? a->tzid : DEFAULT_TZID;

	memset(&d, 0, sizeof(d));
	d.type = event_type_of(a->type);
	d.tzid = tzid;
	for (i = 0; i < idx; i++)
		if (c->appts[i].type == a->type)
			nth++;
	draft_identify(&d, c->person, office_of(a), nth);
	if (zone_check(tzid, errstr) == -1)
		return -1;
	if (a->start.year == 0)
		return errstr_set(errstr, "appointment without a date");
	kind = wall_instant(tzid, &a->start, &d.start);
	if (kind != WALL_OK)
		log_adjusted(&d, a, tzid, kind);
	d.end = d.start + DEFAULT_LENGTH;
	if (a->end.year != 0) {
		ekind = wall_instant(tzid, &a->end, &end);
		if (end > d.start)
			d.end = end;
	}
	*startp = d.start;
	if (idx == 0 && c->previous_start.year != 0)
		wall_instant(tzid, &c->previous_start, &letter_prev);
	rec = recorded(st, &d, c->kind == KIND_RESCHEDULE || cancel,
	    office_of(a), 1);
	if (older_letter(rec, src)) {
		*startp = rec->event.start;
		return 0;
	}
	d.previous_start = previous_for(rec, d.start, letter_prev);
	d.cancelled = cancel;
	d.mail_time = mail_time_of(src);
	d.summary = text_summary(d.type, NULL, c->person);
	d.location = text_clean(a->place);
	d.office = text_clean(a->place);
	if ((d.description = appointment_description(c, a, &d, src, kind,
	    ekind)) == NULL || appointment_alarms(c, a, &d) == -1) {
		draft_clear(&d);
		return errstr_set(errstr, "out of memory");
	}
	d.alarms = cfg->alarms;
	d.nalarms = cfg->nalarms;
	r = draft_emit(&d, st, now, out, errstr);
	draft_clear(&d);
	return r;
}

/* "<day before the visit>" and the visit, in the nudge's description. */
static void
booking_deadline(struct buf *b, const struct walltime *vw,
    const struct appointment *visit)
{
	struct civil_date day = civil_add_days((struct civil_date){ vw->year,
	    vw->month, vw->day }, -1);
	struct walltime dl = *vw;

	dl.year = day.year;
	dl.month = day.month;
	dl.day = day.day;
	buf_printf(b, "À faire au plus tard le / Deadline: ");
	text_date(b, &dl);
	buf_printf(b, " (la veille de la visite / the day before the visit)\n");
	buf_printf(b, "Visite médicale / Medical visit: ");
	text_date(b, vw);
	buf_printf(b, ", %02d:%02d", vw->hour, vw->minute);
	if (visit->place) {
		buf_printf(b, ", ");
		text_mail(b, visit->place);
	}
	buf_printf(b, "\n");
}

static char *
booking_description(const struct convocation *c,
    const struct appointment *visit, const struct walltime *vw, int sooner,
    const struct mail_source *src)
{
	struct buf b = { 0 };

	buf_printf(&b, "Appelez le centre de radiologie pour prendre "
	    "rendez-vous pour la radio pulmonaire : les délais sont souvent "
	    "longs.\nCall the radiology centre to book the chest X-ray: they "
	    "are often booked for weeks.\n\n");
	if (c->xray != NULL) {
		buf_printf(&b, "Centre : ");
		text_mail(&b, c->xray->name);
		buf_printf(&b, "\n");
		if (c->xray->address) {
			buf_printf(&b, "Adresse / Address: ");
			text_mail(&b, c->xray->address);
			buf_printf(&b, "\n");
		}
		if (c->xray->phone) {
			buf_printf(&b, "Téléphone / Phone: ");
			text_mail(&b, c->xray->phone);
			buf_printf(&b, "\n");
		}
	} else
		buf_printf(&b, "La lettre ne nomme pas de centre : choisissez "
		    "un cabinet de radiologie près de chez vous / the letter "
		    "names no centre: pick a radiology practice near you.\n");
	booking_deadline(&b, vw, visit);
	if (sooner)
		buf_printf(&b, "La visite a lieu avant ce rappel : appelez tout "
		    "de suite, et dites-le au centre / the visit comes before "
		    "this reminder: call at once and tell the centre.\n");
	text_source(&b, src);
	return buf_finish(&b, NULL);
}

/*
 * The nudge to call the radiology centre: next business day at 09:00
 * after the mail (or now, when later); kept where it is once written, so
 * re-reading or a reschedule does not move it.
 */
static int
booking_event(const struct convocation *c, const struct appointment *visit,
    time_t visit_start, const struct mail_source *src,
    const struct state *st, time_t now, int cancel, struct event_list *out,
    char **errstr)
{
	static const long at_start[] = { 0 };
	const struct state_event *rec;
	const char *tzid = visit->tzid ? visit->tzid : DEFAULT_TZID;
	const char *pc;
	struct walltime w, vw;
	struct draft d;
	time_t after;
	int sooner, r;

	memset(&d, 0, sizeof(d));
	d.type = EVENT_XRAY_BOOKING;
	d.tzid = tzid;
	draft_identify(&d, c->person, office_of(visit), 0);
	rec = recorded(st, &d, c->kind == KIND_RESCHEDULE || cancel,
	    office_of(visit), 0);
	if (older_letter(rec, src))
		return 0;
	d.mail_time = mail_time_of(src);
	if (cancel) {
		if (rec == NULL || rec->event.ics == NULL ||
		    rec->event.cancelled)
			return 0;
		return cancel_recorded(rec, st, src, now, out, errstr);
	}
	if (zone_check(tzid, errstr) == -1)
		return -1;
	if (rec != NULL && rec->event.start != 0 && !rec->event.cancelled)
		d.start = rec->event.start;
	else {
		after = src && src->received != (time_t)-1 &&
		    src->received > now ? src->received : now;
		pc = c->xray && c->xray->postal_code[0] ?
		    c->xray->postal_code : visit->postal_code;
		memset(&w, 0, sizeof(w));
		if (next_business_day(after, tzid, pc, &w.year, &w.month,
		    &w.day, errstr) == -1)
			return -1;
		w.hour = 9;
		wall_instant(tzid, &w, &d.start);
	}
	d.end = d.start + BOOKING_LENGTH;
	wall_of(tzid, d.start, &w);
	wall_of(tzid, visit_start, &vw);
	sooner = civil_days(vw.year, vw.month, vw.day) <=
	    civil_days(w.year, w.month, w.day);

	d.summary = text_summary(d.type, sooner ? " — la visite est avant ! / "
	    "your visit comes first!" : NULL, c->person);
	d.office = text_clean(visit->place);
	if (c->xray != NULL) {
		struct buf lb = { 0 };

		text_mail(&lb, c->xray->name);
		if (c->xray->address) {
			buf_printf(&lb, ", ");
			text_mail(&lb, c->xray->address);
		}
		if ((d.location = buf_finish(&lb, NULL)) == NULL)
			goto oom;
	}
	if ((d.description = booking_description(c, visit, &vw, sooner,
	    src)) == NULL)
		goto oom;
	d.alarms = at_start;
	d.nalarms = 1;
	r = draft_emit(&d, st, now, out, errstr);
	draft_clear(&d);
	return r;
oom:
	draft_clear(&d);
	return errstr_set(errstr, "out of memory");
}

/* Is a recorded event one of this person's appointments (or nudge)? */
static int
is_appointment_of(const struct state_event *rec, const char *group)
{
	const struct event *e = &rec->event;

	if (e->ics == NULL || e->cancelled)
		return 0;
	if (group != NULL && (e->group == NULL || strcmp(e->group, group) != 0))
		return 0;
	return event_type_is_appointment(e->type) ||
	    e->type == EVENT_XRAY_BOOKING;
}

int
calendar_from_convocation(const struct convocation *c,
    const struct mail_source *src, const struct config *cfg,
    const struct state *st, time_t now, struct event_list *out,
    char **errstr)
{
	int cancel = c->kind == KIND_CANCELLATION;
	int has_xray = 0, nudged = 0;
	size_t i;
	time_t start = 0;

	if (c->kind != KIND_CONVOCATION && c->kind != KIND_RESCHEDULE &&
	    !cancel)
		return 0;
	if (cancel && c->nappts == 0) {
		/* "Your appointment is cancelled": whose, by the name. */
		struct draft who;

		if (st == NULL)
			return 0;
		memset(&who, 0, sizeof(who));
		draft_identify(&who, c->person, NULL, 0);
		for (i = 0; i < st->nevents; i++)
			if (is_appointment_of(&st->events[i],
			    c->person ? who.group : NULL) &&
			    !older_letter(&st->events[i], src) &&
			    cancel_recorded(&st->events[i], st, src, now, out,
			    errstr) == -1)
				return -1;
		return 0;
	}
	for (i = 0; i < c->nappts; i++)
		if (c->appts[i].type == APPT_XRAY)
			has_xray = 1;
	for (i = 0; i < c->nappts; i++) {
		if (appointment_event(c, i, src, cfg, st, now, cancel, out,
		    &start, errstr) == -1)
			return -1;
		if (c->appts[i].type != APPT_MEDICAL || nudged ||
		    has_xray || c->xray_on_site)
			continue;
		nudged = 1;
		if (booking_event(c, &c->appts[i], start, src, st, now,
		    cancel, out, errstr) == -1)
			return -1;
	}
	return 0;
}
