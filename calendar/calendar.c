/*
 * calendar: see calendar.h.  Owned by the calendar engineer.
 *
 * libical facts this relies on (measured, /work/shared/notes §1): Debian's
 * libical builds zones from /usr/share/zoneinfo with a prefixed TZID, so we
 * clone the builtin VTIMEZONE, truncate it to recent years and rename its
 * TZID to the plain Olson name, which is the only form python-icalendar and
 * khal read; the serializer escapes text (LF -> \n, CR dropped), so mail
 * text can never add a property.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>
#include <nettle/sha2.h>

#include "calendar/calendar.h"
#include "calendar/holidays.h"
#include "lib/log.h"
#include "lib/errstr.h"
#include "lib/utf8.h"
#include "lib/civil.h"
#include "model/timeline.h"

#define PRODID		"-//ofii-watch//ofii-watch//FR"
#define DEFAULT_LENGTH	(2 * 3600)	/* no end in the letter */
#define BOOKING_LENGTH	(30 * 60)
#define TRUNCATE_FROM	2020		/* VTIMEZONE history kept from */
#define CANCELLED_PREFIX "ANNULÉ / CANCELLED : "

static const char *const type_names[EVENT_TYPE_COUNT] = {
	"medical", "cir", "xray", "xray-booking", "renewal-open",
	"renewal-deadline", "follow-up"
};

const char *
event_type_name(enum event_type t)
{
	return type_names[t];
}



/* ------------------------------------------------------------ text */

/*
 * Text from a mail, made safe for one calendar value: valid UTF-8, no
 * control character (CR/LF/TAB/...) — a line break in a SUMMARY would be
 * escaped by libical anyway, but a one-line field must stay one line.
 */
static char *
clean(const char *s)
{
	char *copy, *p;

	if (s == NULL)
		return NULL;
	if ((copy = utf8_sanitize(s, strlen(s), NULL, NULL)) == NULL)
		return NULL;
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return copy;
}

/* Growing string (open_memstream). */
struct buf {
	FILE	*f;
	char	*s;
	size_t	 len;
};

static int
buf_open(struct buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->f = open_memstream(&b->s, &b->len);
	return b->f ? 0 : -1;
}

static void bprintf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(b->f, fmt, ap);
	va_end(ap);
}

/* Mail text into the buffer, cleaned. */
static void
bput_mail(struct buf *b, const char *s)
{
	char *c = clean(s);

	if (c != NULL)
		fputs(c, b->f);
	free(c);
}

static char *
buf_close(struct buf *b)
{
	if (fclose(b->f) != 0) {
		free(b->s);
		return NULL;
	}
	return b->s;
}

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

/* ------------------------------------------------------------ time */

static const char *const fr_days[] = { "dimanche", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi" };
static const char *const en_days[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const fr_months[] = { "janvier", "février", "mars",
    "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre" };
static const char *const en_months[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };

static time_t
wall_seconds(const struct walltime *w)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = w->year - 1900;
	tm.tm_mon = w->month - 1;
	tm.tm_mday = w->day;
	tm.tm_hour = w->hour;
	tm.tm_min = w->minute;
	return timegm(&tm);
}

static int
wall_weekday(const struct walltime *w)
{
	struct walltime d = *w;

	d.hour = 12;
	d.minute = 0;
	return (int)(((wall_seconds(&d) / 86400) + 4) % 7);
}

/* "mardi 8 mars 2022 / Tuesday 8 March 2022" */
static void
bput_date(struct buf *b, const struct walltime *w)
{
	int wd = wall_weekday(w);

	bprintf(b, "%s %d %s %d / %s %d %s %d", fr_days[wd], w->day,
	    fr_months[w->month - 1], w->year, en_days[wd], w->day,
	    en_months[w->month - 1], w->year);
}

static icaltimezone *
builtin_zone(const char *tzid, char **errstr)
{
	icaltimezone *z = icaltimezone_get_builtin_timezone(tzid);

	if (z == NULL)
		errstr_set(errstr, "unknown time zone '%s'", tzid);
	return z;
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

/* Wall-clock time of instant u in the zone. */
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

enum wall_kind { WALL_OK, WALL_GAP, WALL_OVERLAP };

/*
 * The instant of a wall-clock time, the RFC 5545 way.  Assumes at most one
 * offset change within 36 hours of it (true of every real zone).
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

/* ------------------------------------------------------------ zones */

/* The zone with the plain Olson TZID and a VTIMEZONE kept from `from`. */
static icaltimezone *
make_zone(const char *tzid, int from_year, char **errstr)
{
	icaltimezone *builtin, *z;
	icalcomponent *vtz;
	icalproperty *p;
	struct icaltimetype start;

	if ((builtin = builtin_zone(tzid, errstr)) == NULL)
		return NULL;
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

/*
 * How an instant is written: TZID local time when that local time names
 * exactly this instant in every reader, UTC otherwise (overlap).
 */
static struct icaltimetype
ical_time(icaltimezone *builtin, icaltimezone *named, time_t u)
{
	struct icaltimetype t;
	struct walltime w;
	time_t back;

	local_of(builtin, u, &w);
	if (resolve_wall(builtin, &w, &back) == WALL_OK && back == u) {
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

/* ------------------------------------------------------------ events */

/* What is needed to make one VEVENT. */
struct draft {
	enum event_type	 type;
	char		 uid[64];
	char		 group[17];
	const char	*tzid;		/* NULL: all-day */
	time_t		 start, end;	/* instants; all-day: 00:00Z */
	int		 all_day_y, all_day_m, all_day_d;
	char		*summary;	/* malloc'd */
	char		*location;	/* malloc'd or NULL */
	char		*description;	/* malloc'd */
	char		*alarm_text;	/* malloc'd or NULL: the day-before
					   reminder, with the checklist */
	char		*alarm_short;	/* malloc'd or NULL: "time to go" */
	const long	*alarms;	/* seconds before start (< 0: after) */
	size_t		 nalarms;
	int		 cancelled;
	time_t		 previous_start;
	time_t		 mail_time;	/* Date of the letter, or 0 */
};

static void
draft_clear(struct draft *d)
{
	free(d->summary);
	free(d->location);
	free(d->description);
	free(d->alarm_text);
	free(d->alarm_short);
}

static void
make_uid(struct draft *d, const char *person, const char *office, int nth)
{
	char h[17], n[16];

	snprintf(n, sizeof(n), "%d", nth);
	short_hash(h, person, type_names[d->type], office, nth ? n : "");
	snprintf(d->uid, sizeof(d->uid), "ofii-%s-%s", type_names[d->type], h);
	short_hash(d->group, person, NULL, NULL, NULL);
}

static void
event_clear(struct event *e)
{
	free(e->uid);
	free(e->group);
	free(e->summary);
	free(e->ics);
}

void
event_list_free(struct event_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		event_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

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

/*
 * Finish a VCALENDAR holding one VEVENT (takes `cal`): cancellation,
 * content hash, SEQUENCE and DTSTAMP against the state, serialization;
 * append to `out`.
 */
static int
finish(icalcomponent *cal, enum event_type type, const char *group,
    time_t start, time_t previous_start, time_t mail_time, int all_day,
    int cancelled, const struct state *st, time_t now,
    struct event_list *out, char **errstr)
{
	icalcomponent *ev, *c, *next, *bare;
	const struct state_event *rec;
	struct event *e, *nv;
	const char *summary;
	char *text;
	int r = -1;

	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	if (ev == NULL) {
		errstr_set(errstr, "calendar: no VEVENT");
		goto done;
	}
	summary = icalcomponent_get_summary(ev);
	if (cancelled) {
		icalcomponent_set_status(ev, ICAL_STATUS_CANCELLED);
		for (c = icalcomponent_get_first_component(ev,
		    ICAL_VALARM_COMPONENT); c != NULL; c = next) {
			next = icalcomponent_get_next_component(ev,
			    ICAL_VALARM_COMPONENT);
			icalcomponent_remove_component(ev, c);
			icalcomponent_free(c);
		}
		if (summary != NULL && strncmp(summary, CANCELLED_PREFIX,
		    strlen(CANCELLED_PREFIX)) != 0) {
			char *s;

			if (asprintf(&s, "%s%s", CANCELLED_PREFIX,
			    summary) == -1) {
				errstr_set(errstr, "out of memory");
				goto done;
			}
			icalcomponent_set_summary(ev, s);
			free(s);
		}
		summary = icalcomponent_get_summary(ev);
	}

	if ((nv = reallocarray(out->v, out->n + 1, sizeof(*nv))) == NULL) {
		errstr_set(errstr, "out of memory");
		goto done;
	}
	out->v = nv;
	e = &nv[out->n];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->start = start;
	e->previous_start = previous_start;
	e->mail_time = mail_time;
	e->all_day = all_day;
	e->cancelled = cancelled;
	e->uid = strdup(icalcomponent_get_uid(ev));
	e->group = strdup(group);
	e->summary = strdup(summary ? summary : "");
	if (e->uid == NULL || e->group == NULL || e->summary == NULL) {
		event_clear(e);
		errstr_set(errstr, "out of memory");
		goto done;
	}

	/* The content: the VEVENT without DTSTAMP and SEQUENCE. */
	bare = icalcomponent_new_clone(ev);
	remove_all(bare, ICAL_DTSTAMP_PROPERTY);
	remove_all(bare, ICAL_SEQUENCE_PROPERTY);
	text = icalcomponent_as_ical_string_r(bare);
	icalcomponent_free(bare);
	state_hash(text, strlen(text), e->hash);
	free(text);

	rec = st ? state_event_find(st, e->uid) : NULL;
	if (rec != NULL && rec->ics != NULL &&
	    strcmp(rec->hash, e->hash) == 0) {
		/* Unchanged: the very same text as before. */
		e->sequence = rec->sequence;
		e->changed = 0;
		e->ics = strdup(rec->ics);
	} else {
		e->sequence = rec ? rec->sequence + 1 : 0;
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
	if (e->ics == NULL) {
		event_clear(e);
		errstr_set(errstr, "out of memory");
		goto done;
	}
	out->n++;
	r = 0;
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

/* Build the VCALENDAR of a draft and finish it. */
static int
emit(struct draft *d, const struct state *st, time_t now,
    struct event_list *out, char **errstr)
{
	icaltimezone *builtin = NULL, *named = NULL;
	icalcomponent *cal, *ev;
	struct icaltimetype t;
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
		if ((builtin = builtin_zone(d->tzid, errstr)) == NULL)
			goto fail;
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
		t = icaltime_null_date();
		t.year = d->all_day_y;
		t.month = d->all_day_m;
		t.day = d->all_day_d;
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
	r = finish(cal, d->type, d->group, d->start, d->previous_start,
	    d->mail_time, d->tzid == NULL, d->cancelled, st, now, out, errstr);
	if (named != NULL)
		icaltimezone_free(named, 1);
	return r;
fail:
	icalcomponent_free(cal);
	return -1;
}

/*
 * The letter (dated `src`) is older than the one that made the recorded
 * version of the event: applying it would undo a newer reschedule or
 * cancellation.  Unknown dates on either side: apply, as before.
 */
static int
older_letter(const struct state_event *rec, const struct mail_source *src)
{
	if (rec == NULL || rec->mail_time <= 0 || src == NULL ||
	    src->received == (time_t)-1 || src->received <= 0)
		return 0;
	if (src->received >= rec->mail_time)
		return 0;
	log_info("%s: this letter is older than the one already applied; "
	    "the newer one stands", rec->uid);
	return 1;
}

static time_t
mail_time_of(const struct mail_source *src)
{
	return src != NULL && src->received != (time_t)-1 && src->received > 0 ?
	    src->received : 0;
}

/* Cancel an event from the text the state holds. */
static int
cancel_recorded(const struct state_event *rec, const struct state *st,
    const struct mail_source *src, time_t now, struct event_list *out,
    char **errstr)
{
	icalcomponent *cal;
	enum event_type t;

	if ((cal = icalparser_parse_string(rec->ics)) == NULL) {
		errstr_set(errstr, "event %s: the recorded text cannot be read",
		    rec->uid);
		return -1;
	}
	for (t = 0; t < EVENT_TYPE_COUNT; t++)
		if (rec->type != NULL && strcmp(rec->type, type_names[t]) == 0)
			break;
	if (t == EVENT_TYPE_COUNT)
		t = EVENT_MEDICAL;
	return finish(cal, t, rec->group ? rec->group : "", rec->start,
	    rec->previous_start, mail_time_of(src), 0, 1, st, now, out,
	    errstr);
}

/* ------------------------------------------------------------ texts */

static const char *const item_text[ITEM_COUNT] = {
	"Passeport (avec le visa) / passport with the visa",
	"La convocation imprimée / this convocation, printed",
	"La radio pulmonaire et son compte rendu / "
	    "the chest X-ray and its report",
	"Carnet de vaccination / vaccination records",
	"Comptes rendus d'hospitalisation, ordonnances / "
	    "hospital reports, prescriptions",
	"Lunettes ou lentilles / glasses or contact lenses",
	"Carnet de maternité (si enceinte) / "
	    "maternity booklet, if pregnant",
	"Photo d'identité / ID photo",
	"Justificatif de domicile / proof of address",
	"Timbre fiscal / tax stamp",
};

#define USUAL_MEDICAL	((1u << ITEM_PASSPORT) | (1u << ITEM_CONVOCATION) | \
	(1u << ITEM_CHEST_XRAY) | (1u << ITEM_VACCINATION_RECORDS) | \
	(1u << ITEM_HOSPITAL_REPORTS) | (1u << ITEM_GLASSES) | \
	(1u << ITEM_MATERNITY_RECORD))
#define USUAL_OTHER	((1u << ITEM_PASSPORT) | (1u << ITEM_CONVOCATION))

static void
bput_checklist(struct buf *b, unsigned items, enum appt_type type)
{
	unsigned i, set = items;

	bprintf(b, "À apporter / What to bring:\n");
	if (set == 0)
		set = type == APPT_MEDICAL ? USUAL_MEDICAL : USUAL_OTHER;
	for (i = 0; i < ITEM_COUNT; i++)
		if (set & (1u << i))
			bprintf(b, "- %s\n", item_text[i]);
	if (items == 0)
		bprintf(b, "(liste habituelle : la lettre n'en donne pas / "
		    "the usual list: the letter gives none)\n");
}

static void
bput_source(struct buf *b, const struct mail_source *src)
{
	bprintf(b, "\nSource : courriel / mail « ");
	bput_mail(b, src && src->subject && src->subject[0] ? src->subject :
	    "(sans objet / no subject)");
	bprintf(b, " »");
	if (src && src->date && src->date[0]) {
		bprintf(b, " du / of ");
		bput_mail(b, src->date);
	}
	bprintf(b, "\n");
}

static void
bput_when(struct buf *b, icaltimezone *zone, const char *tzid, time_t start,
    time_t end)
{
	struct walltime ws, we;

	local_of(zone, start, &ws);
	local_of(zone, end, &we);
	bput_date(b, &ws);
	bprintf(b, ", %02d:%02d–%02d:%02d (%s)", ws.hour, ws.minute, we.hour,
	    we.minute, tzid);
}

static const char *
type_summary(enum event_type t)
{
	switch (t) {
	case EVENT_MEDICAL:
		return "Visite médicale OFII / OFII medical visit";
	case EVENT_CIR:
		return "OFII : rendez-vous CIR (contrat d'intégration "
		    "républicaine) / OFII: CIR integration appointment";
	case EVENT_XRAY:
		return "Radio pulmonaire (OFII) / Chest X-ray (OFII)";
	case EVENT_XRAY_BOOKING:
		return "Prendre rendez-vous pour la radio pulmonaire / "
		    "Book your chest X-ray now";
	case EVENT_RENEWAL_OPEN:
		return "Renouvellement du titre de séjour : demande ouverte / "
		    "Residence permit renewal: you can apply now";
	case EVENT_RENEWAL_DEADLINE:
		return "Renouvellement du titre de séjour : dernier délai / "
		    "Residence permit renewal: deadline";
	case EVENT_FOLLOW_UP:
		return "Pas de nouvelles de l'OFII : leur écrire / "
		    "No news from OFII: write to them";
	default:
		return "OFII";
	}
}

/* "<what> — <person>" */
static char *
summary_for(enum event_type t, const char *extra, const char *person)
{
	struct buf b;

	if (buf_open(&b) == -1)
		return NULL;
	bprintf(&b, "%s%s", type_summary(t), extra ? extra : "");
	if (person != NULL && person[0] != '\0') {
		bprintf(&b, " — ");
		bput_mail(&b, person);
	}
	return buf_close(&b);
}

/* ------------------------------------------------------------ convocation */

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
 * type is recorded at the same office, that is the one being moved.
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
		const struct state_event *ev = &st->events[i];

		if (ev->cancelled || ev->type == NULL || ev->ics == NULL ||
		    strcmp(ev->type, type_names[type]) != 0 ||
		    strstr(ev->ics, office) == NULL)
			continue;
		if (found != NULL)
			return NULL;	/* ambiguous: a household */
		found = ev;
	}
	return found;
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
	else if (rec != NULL && rec->start != 0 && rec->start != start &&
	    !rec->cancelled)
		prev = rec->start;
	else if (rec != NULL && rec->start == start)
		prev = rec->previous_start;
	return prev == start ? 0 : prev;
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
	struct buf b;
	icaltimezone *zone;
	struct walltime w;
	time_t letter_prev = 0, end;
	enum wall_kind kind, ekind = WALL_OK;
	size_t i;
	int nth = 0, r;
	const char *tzid = a->tzid ? a->tzid : "Europe/Paris";

	memset(&d, 0, sizeof(d));
	d.type = event_type_of(a->type);
	d.tzid = tzid;
	for (i = 0; i < idx; i++)
		if (c->appts[i].type == a->type)
			nth++;
	make_uid(&d, c->person, office_of(a), nth);
	if ((zone = builtin_zone(tzid, errstr)) == NULL)
		return -1;
	if (a->start.year == 0) {
		errstr_set(errstr, "appointment without a date");
		return -1;
	}
	kind = resolve_wall(zone, &a->start, &d.start);
	if (kind != WALL_OK)
		log_warnx("%s appointment on %04d-%02d-%02d at %02d:%02d %s: "
		    "%s; using %s (RFC 5545)", type_names[d.type],
		    a->start.year, a->start.month, a->start.day, a->start.hour,
		    a->start.minute, tzid, kind == WALL_GAP ?
		    "this time does not exist (clocks go forward)" :
		    "this time happens twice (clocks go back)",
		    kind == WALL_GAP ? "the time after the change" :
		    "the first one");
	d.end = d.start + DEFAULT_LENGTH;
	if (a->end.year != 0) {
		ekind = resolve_wall(zone, &a->end, &end);
		if (end > d.start)
			d.end = end;
	}
	*startp = d.start;
	if (idx == 0 && c->previous_start.year != 0)
		resolve_wall(zone, &c->previous_start, &letter_prev);
	rec = st ? state_event_find(st, d.uid) : NULL;
	if (rec == NULL && (c->kind == KIND_RESCHEDULE || cancel) &&
	    (rec = sole_event_at(st, d.type, office_of(a))) != NULL) {
		log_info("%s: the letter names the person differently; "
		    "updating the only %s event at %s", rec->uid,
		    type_names[d.type], office_of(a));
		snprintf(d.uid, sizeof(d.uid), "%s", rec->uid);
		if (rec->group != NULL)
			snprintf(d.group, sizeof(d.group), "%s", rec->group);
	}
	if (older_letter(rec, src)) {
		*startp = rec->start;
		return 0;
	}
	d.previous_start = previous_for(rec, d.start, letter_prev);
	d.cancelled = cancel;
	d.mail_time = mail_time_of(src);

	d.summary = summary_for(d.type, NULL, c->person);
	d.location = clean(a->place);

	if (buf_open(&b) == -1)
		goto oom;
	bprintf(&b, "%s\n", type_summary(d.type));
	if (c->person != NULL) {
		bprintf(&b, "Pour / For: ");
		bput_mail(&b, c->person);
		bprintf(&b, "\n");
	}
	bprintf(&b, "Quand / When: ");
	bput_when(&b, zone, tzid, d.start, d.end);
	bprintf(&b, "\n");
	if (kind == WALL_GAP)
		bprintf(&b, "Heure ajustée : %02d:%02d n'existe pas ce jour-là "
		    "(changement d'heure) / Time adjusted: %02d:%02d does not "
		    "exist that day (clocks go forward)\n", a->start.hour,
		    a->start.minute, a->start.hour, a->start.minute);
	else if (kind == WALL_OVERLAP)
		bprintf(&b, "Attention : %02d:%02d existe deux fois ce jour-là "
		    "(changement d'heure), c'est la première (heure d'été) / "
		    "Note: %02d:%02d happens twice that day (clocks go back); "
		    "this is the first one (summer time)\n", a->start.hour,
		    a->start.minute, a->start.hour, a->start.minute);
	if (ekind != WALL_OK)
		bprintf(&b, "(heure de fin ajustée / end time adjusted)\n");
	if (a->end.year != 0 && d.end > d.start)
		bprintf(&b, "Présentez-vous pendant ce créneau / "
		    "come during this time window\n");
	if (a->place != NULL) {
		bprintf(&b, "Lieu / Place: ");
		bput_mail(&b, a->place);
		bprintf(&b, "\n");
	}
	if (a->phone != NULL) {
		bprintf(&b, "Téléphone / Phone: ");
		bput_mail(&b, a->phone);
		bprintf(&b, "\n");
	}
	if (d.previous_start != 0) {
		local_of(zone, d.previous_start, &w);
		bprintf(&b, "Rendez-vous déplacé, il était prévu le / "
		    "Rescheduled, it was on: ");
		bput_date(&b, &w);
		bprintf(&b, ", %02d:%02d\n", w.hour, w.minute);
	}
	bprintf(&b, "\n");
	bput_checklist(&b, c->items, a->type);
	if (a->type == APPT_MEDICAL && c->xray != NULL && !c->xray_on_site) {
		bprintf(&b, "\nRadio pulmonaire à faire AVANT la visite / "
		    "chest X-ray to be done BEFORE the visit: ");
		bput_mail(&b, c->xray->name);
		if (c->xray->address) {
			bprintf(&b, ", ");
			bput_mail(&b, c->xray->address);
		}
		if (c->xray->phone) {
			bprintf(&b, ", tél. ");
			bput_mail(&b, c->xray->phone);
		}
		bprintf(&b, "\n");
	} else if (a->type == APPT_MEDICAL && c->xray_on_site)
		bprintf(&b, "\nRadio pulmonaire faite sur place / "
		    "chest X-ray done on site\n");
	bput_source(&b, src);
	if ((d.description = buf_close(&b)) == NULL)
		goto oom;

	if (buf_open(&b) == -1)
		goto oom;
	bprintf(&b, "%s, ", d.summary);
	bput_when(&b, zone, tzid, d.start, d.end);
	bprintf(&b, "\n");
	if (a->place != NULL) {
		bput_mail(&b, a->place);
		bprintf(&b, "\n");
	}
	if ((d.alarm_short = buf_close(&b)) == NULL)
		goto oom;
	if (asprintf(&d.alarm_text, "%s\n", d.alarm_short) == -1) {
		d.alarm_text = NULL;
		goto oom;
	}
	if (buf_open(&b) == -1)
		goto oom;
	bprintf(&b, "%s\n", d.alarm_short);
	bput_checklist(&b, c->items, a->type);
	free(d.alarm_text);
	if ((d.alarm_text = buf_close(&b)) == NULL)
		goto oom;
	d.alarms = cfg->alarms;
	d.nalarms = cfg->nalarms;
	r = emit(&d, st, now, out, errstr);
	draft_clear(&d);
	return r;
oom:
	draft_clear(&d);
	errstr_set(errstr, "out of memory");
	return -1;
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
	const char *tzid = visit->tzid ? visit->tzid : "Europe/Paris";
	const char *pc;
	struct walltime w, vw;
	struct draft d;
	struct buf b;
	icaltimezone *zone;
	time_t after;
	int sooner, r;

	memset(&d, 0, sizeof(d));
	d.type = EVENT_XRAY_BOOKING;
	d.tzid = tzid;
	make_uid(&d, c->person, office_of(visit), 0);
	rec = st ? state_event_find(st, d.uid) : NULL;
	if (rec == NULL && (c->kind == KIND_RESCHEDULE || cancel) &&
	    (rec = sole_event_at(st, d.type, office_of(visit))) != NULL) {
		snprintf(d.uid, sizeof(d.uid), "%s", rec->uid);
		if (rec->group != NULL)
			snprintf(d.group, sizeof(d.group), "%s", rec->group);
	}
	if (older_letter(rec, src))
		return 0;
	d.mail_time = mail_time_of(src);
	if (cancel) {
		if (rec == NULL || rec->ics == NULL || rec->cancelled)
			return 0;
		return cancel_recorded(rec, st, src, now, out, errstr);
	}
	if ((zone = builtin_zone(tzid, errstr)) == NULL)
		return -1;
	if (rec != NULL && rec->start != 0 && !rec->cancelled)
		d.start = rec->start;
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
		resolve_wall(zone, &w, &d.start);
	}
	d.end = d.start + BOOKING_LENGTH;
	local_of(zone, d.start, &w);
	local_of(zone, visit_start, &vw);
	sooner = wall_seconds(&vw) / 86400 <= wall_seconds(&w) / 86400;

	d.summary = summary_for(d.type, sooner ? " — la visite est avant ! / "
	    "your visit comes first!" : NULL, c->person);
	if (c->xray != NULL) {
		struct buf lb;

		if (buf_open(&lb) == -1)
			goto oom;
		bput_mail(&lb, c->xray->name);
		if (c->xray->address) {
			bprintf(&lb, ", ");
			bput_mail(&lb, c->xray->address);
		}
		if ((d.location = buf_close(&lb)) == NULL)
			goto oom;
	}
	if (buf_open(&b) == -1)
		goto oom;
	bprintf(&b, "Appelez le centre de radiologie pour prendre rendez-vous "
	    "pour la radio pulmonaire : les délais sont souvent longs.\n"
	    "Call the radiology centre to book the chest X-ray: they are "
	    "often booked for weeks.\n\n");
	if (c->xray != NULL) {
		bprintf(&b, "Centre : ");
		bput_mail(&b, c->xray->name);
		bprintf(&b, "\n");
		if (c->xray->address) {
			bprintf(&b, "Adresse / Address: ");
			bput_mail(&b, c->xray->address);
			bprintf(&b, "\n");
		}
		if (c->xray->phone) {
			bprintf(&b, "Téléphone / Phone: ");
			bput_mail(&b, c->xray->phone);
			bprintf(&b, "\n");
		}
	} else
		bprintf(&b, "La lettre ne nomme pas de centre : choisissez un "
		    "cabinet de radiologie près de chez vous / the letter "
		    "names no centre: pick a radiology practice near you.\n");
	{
		struct walltime dl = vw;
		time_t t = wall_seconds(&vw) - 86400;
		struct tm tm;

		gmtime_r(&t, &tm);
		dl.year = tm.tm_year + 1900;
		dl.month = tm.tm_mon + 1;
		dl.day = tm.tm_mday;
		bprintf(&b, "À faire au plus tard le / Deadline: ");
		bput_date(&b, &dl);
		bprintf(&b, " (la veille de la visite / the day before the "
		    "visit)\n");
	}
	bprintf(&b, "Visite médicale / Medical visit: ");
	bput_date(&b, &vw);
	bprintf(&b, ", %02d:%02d", vw.hour, vw.minute);
	if (visit->place) {
		bprintf(&b, ", ");
		bput_mail(&b, visit->place);
	}
	bprintf(&b, "\n");
	if (sooner)
		bprintf(&b, "La visite a lieu avant ce rappel : appelez tout "
		    "de suite, et dites-le au centre / the visit comes before "
		    "this reminder: call at once and tell the centre.\n");
	bput_source(&b, src);
	if ((d.description = buf_close(&b)) == NULL)
		goto oom;
	d.alarms = at_start;
	d.nalarms = 1;
	r = emit(&d, st, now, out, errstr);
	draft_clear(&d);
	return r;
oom:
	draft_clear(&d);
	errstr_set(errstr, "out of memory");
	return -1;
}

/* Is a recorded event one of this person's appointments? */
static int
is_appointment_of(const struct state_event *rec, const char *group)
{
	static const char *const types[] = { "medical", "cir", "xray",
	    "xray-booking" };
	size_t i;

	if (rec->type == NULL || rec->ics == NULL || rec->cancelled)
		return 0;
	if (group != NULL && (rec->group == NULL ||
	    strcmp(rec->group, group) != 0))
		return 0;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(rec->type, types[i]) == 0)
			return 1;
	return 0;
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
	time_t start;

	if (c->kind != KIND_CONVOCATION && c->kind != KIND_RESCHEDULE &&
	    !cancel)
		return 0;
	if (cancel && c->nappts == 0) {
		/* "Your appointment is cancelled": whose, by the name. */
		struct draft who;

		if (st == NULL)
			return 0;
		memset(&who, 0, sizeof(who));
		make_uid(&who, c->person, NULL, 0);
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

/* ------------------------------------------------------------ timeline */

static int
timeline_event(enum event_type type, struct civil_date day,
    const char *account, const char *description, const long *alarms,
    size_t nalarms, int cancel, const struct state *st, time_t now,
    struct event_list *out, char **errstr)
{
	struct draft d;
	int r;

	memset(&d, 0, sizeof(d));
	d.type = type;
	make_uid(&d, account, NULL, 0);
	d.all_day_y = day.year;
	d.all_day_m = day.month;
	d.all_day_d = day.day;
	d.start = civil_days(day.year, day.month, day.day) * 86400;
	d.end = d.start + 86400;
	d.cancelled = cancel;
	d.alarms = alarms;
	d.nalarms = nalarms;
	if ((d.summary = strdup(type_summary(type))) == NULL ||
	    (d.description = strdup(description)) == NULL) {
		draft_clear(&d);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	r = emit(&d, st, now, out, errstr);
	draft_clear(&d);
	return r;
}

int
calendar_timeline(const struct config *cfg, const struct state *st,
    int convocation_found, time_t now, struct event_list *out,
    char **errstr)
{
	/* All-day events: alarms relative to 00:00 of the day. */
	static const long morning[] = { -9 * 3600 };
	static const long deadline[] = { 7 * 86400 - 9 * 3600, -9 * 3600 };
	const char *account = cfg->user ? cfg->user : "";
	char *text = NULL;
	struct civil_date day;
	int r;

	if (cfg->valid_until.year != 0) {
		day = timeline_renewal_opens(&cfg->valid_until);
		if (asprintf(&text, "Vous pouvez demander le renouvellement de "
		    "votre droit au séjour sur le site de l'ANEF "
		    "(administration-etrangers-en-france.interieur.gouv.fr), "
		    "entre 4 et 2 mois avant la fin de votre visa "
		    "(%04d-%02d-%02d).\nYou can apply for the renewal of your "
		    "residence right on the ANEF website, between 4 and 2 "
		    "months before your visa ends (%04d-%02d-%02d).\nGardez "
		    "le certificat de la visite médicale OFII / keep the OFII "
		    "medical certificate.\n", cfg->valid_until.year,
		    cfg->valid_until.month, cfg->valid_until.day,
		    cfg->valid_until.year, cfg->valid_until.month,
		    cfg->valid_until.day) == -1)
			goto oom;
		r = timeline_event(EVENT_RENEWAL_OPEN, day, account, text,
		    morning, 1, 0, st, now, out, errstr);
		free(text);
		text = NULL;
		if (r == -1)
			return -1;
		day = timeline_renewal_deadline(&cfg->valid_until);
		if (asprintf(&text, "Dernier jour conseillé pour demander le "
		    "renouvellement sur le site de l'ANEF : votre visa finit "
		    "le %04d-%02d-%02d.\nLast recommended day to apply for "
		    "the renewal on the ANEF website: your visa ends on "
		    "%04d-%02d-%02d.\n", cfg->valid_until.year,
		    cfg->valid_until.month, cfg->valid_until.day,
		    cfg->valid_until.year, cfg->valid_until.month,
		    cfg->valid_until.day) == -1)
			goto oom;
		r = timeline_event(EVENT_RENEWAL_DEADLINE, day, account,
		    text, deadline, 2, 0, st, now, out, errstr);
		free(text);
		text = NULL;
		if (r == -1)
			return -1;
	}
	if (cfg->validated_on.year != 0) {
		struct draft who;

		memset(&who, 0, sizeof(who));
		who.type = EVENT_FOLLOW_UP;
		make_uid(&who, account, NULL, 0);
		/* Found before the follow-up was ever written: none at all. */
		if (convocation_found && (st == NULL ||
		    state_event_find(st, who.uid) == NULL))
			return 0;
		if (asprintf(&text, "Votre visa a été validé le %04d-%02d-%02d "
		    "et l'OFII ne vous a pas encore convoqué(e). Regardez "
		    "aussi dans les courriers indésirables, puis écrivez à la "
		    "direction territoriale de l'OFII de votre département "
		    "(adresse sur ofii.fr) avec votre numéro de visa.\nYour "
		    "visa was validated on %04d-%02d-%02d and OFII has not "
		    "summoned you yet. Check your Junk folder too, then write "
		    "to the OFII office of your département (address on "
		    "ofii.fr) with your visa number.\n",
		    cfg->validated_on.year, cfg->validated_on.month,
		    cfg->validated_on.day, cfg->validated_on.year,
		    cfg->validated_on.month, cfg->validated_on.day) == -1)
			goto oom;
		day = timeline_after_validation(&cfg->validated_on,
		    cfg->follow_up_after);
		r = timeline_event(EVENT_FOLLOW_UP, day, account, text, morning, 1,
		    convocation_found, st, now, out, errstr);
		free(text);
		if (r == -1)
			return -1;
	}
	return 0;
oom:
	errstr_set(errstr, "out of memory");
	return -1;
}

/* ------------------------------------------------------------ state */

int
calendar_commit(struct state *st, const struct event_list *l,
    char **errstr)
{
	struct state_event *rec;
	const struct event *e;
	size_t i;

	for (i = 0; i < l->n; i++) {
		char *ics, *type, *group;

		e = &l->v[i];
		if (!e->changed)
			continue;
		if ((rec = state_event_get(st, e->uid)) == NULL)
			goto oom;
		ics = strdup(e->ics);
		type = strdup(type_names[e->type]);
		group = strdup(e->group);
		if (ics == NULL || type == NULL || group == NULL) {
			free(ics);
			free(type);
			free(group);
			goto oom;
		}
		free(rec->ics);
		free(rec->type);
		free(rec->group);
		rec->ics = ics;
		rec->type = type;
		rec->group = group;
		rec->sequence = e->sequence;
		rec->cancelled = e->cancelled;
		rec->start = e->start;
		rec->previous_start = e->previous_start;
		rec->mail_time = e->mail_time;
		memcpy(rec->hash, e->hash, sizeof(rec->hash));
		log_info("calendar: %s %s (SEQUENCE %d)", e->cancelled ?
		    "cancelled" : "event", e->uid, e->sequence);
	}
	return 0;
oom:
	errstr_set(errstr, "out of memory");
	return -1;
}

/* ------------------------------------------------------------ combine */

int
calendar_combine(const char *const *ics, size_t n, char **out,
    char **errstr)
{
	icalcomponent *all, *cal, *c, *have;
	const char *tzid;
	size_t i;

	*out = NULL;
	all = new_vcalendar();
	icalcomponent_add_property(all,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	/* VTIMEZONEs first (readers like them before use), then VEVENTs. */
	for (i = 0; i < n; i++) {
		if ((cal = icalparser_parse_string(ics[i])) == NULL) {
			icalcomponent_free(all);
			errstr_set(errstr, "calendar: an event cannot be read back");
			return -1;
		}
		for (c = icalcomponent_get_first_component(cal,
		    ICAL_VTIMEZONE_COMPONENT); c != NULL;
		    c = icalcomponent_get_next_component(cal,
		    ICAL_VTIMEZONE_COMPONENT)) {
			tzid = icalproperty_get_tzid(
			    icalcomponent_get_first_property(c,
			    ICAL_TZID_PROPERTY));
			for (have = icalcomponent_get_first_component(all,
			    ICAL_VTIMEZONE_COMPONENT); have != NULL;
			    have = icalcomponent_get_next_component(all,
			    ICAL_VTIMEZONE_COMPONENT))
				if (strcmp(icalproperty_get_tzid(
				    icalcomponent_get_first_property(have,
				    ICAL_TZID_PROPERTY)), tzid) == 0)
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
	if (*out == NULL) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	return 0;
}

int
event_list_combine(const struct event_list *l, char **out, char **errstr)
{
	const char **v;
	size_t i;
	int r;

	if ((v = calloc(l->n ? l->n : 1, sizeof(*v))) == NULL) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	for (i = 0; i < l->n; i++)
		v[i] = l->v[i].ics;
	r = calendar_combine(v, l->n, out, errstr);
	free(v);
	return r;
}
