/*
 * test_calendar: events from hand-made convocations: exact times, zones,
 * the X-ray nudge, stable UIDs, reschedule/cancel sequences, DST gap and
 * overlap, injection through mail text, timeline events, combining.
 */
#include <time.h>

#include <libical/ical.h>

#include "testutil.h"

#include "calendar/calendar.h"
#include "config/config.h"
#include "store/state.h"

static struct xray_center centre = {
	(char *)"Cabinet de radiologie des Gratte-Ciel",
	(char *)"41 avenue Henri Barbusse, 69100 Villeurbanne", "69100",
	(char *)"Villeurbanne", (char *)"04 78 93 52 16"
};

/* Lyon, medical visit, 2022-03-08 09:30, centre to book. */
static void
lyon(struct convocation *c, const char *person)
{
	memset(c, 0, sizeof(*c));
	c->trust = TRUST_VERIFIED;
	c->kind = KIND_CONVOCATION;
	c->nappts = 1;
	c->appts[0].type = APPT_MEDICAL;
	c->appts[0].start = (struct walltime){ 2022, 3, 8, 9, 30 };
	c->appts[0].tzid = "Europe/Paris";
	c->appts[0].place = (char *)"OFII - Service médical, 12 rue Chevreul, "
	    "69007 Lyon";
	memcpy(c->appts[0].postal_code, "69007", 6);
	c->appts[0].city = (char *)"Lyon";
	c->appts[0].phone = (char *)"04 72 00 00 00";
	c->xray = &centre;
	c->items = (1u << ITEM_PASSPORT) | (1u << ITEM_GLASSES);
	c->person = (char *)person;
}

static const struct mail_source src = {
	"Convocation à la visite médicale - OFII Lyon",
	"Mon, 21 Feb 2022 09:00:00 +0100", 0
};

static struct mail_source
source_at(time_t t)
{
	struct mail_source s = src;

	s.received = t;
	return s;
}

/* The one VEVENT of a single-event calendar, parsed back by libical. */
static icalcomponent *
parse_one(const char *ics, icalcomponent **calp)
{
	icalcomponent *cal = icalparser_parse_string(ics), *ev;

	assert_non_null(cal);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), 1);
	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	*calp = cal;
	return ev;
}

static void
test_medical_and_nudge(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	struct mail_source s = source_at(testutil_utc(2022, 2, 21, 8, 0));
	icalcomponent *cal, *ev;
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame MENSAH");
	assert_int_equal(calendar_from_convocation(&c, &s, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &l, &err), 0);
	assert_int_equal(l.n, 2);

	assert_int_equal(l.v[0].type, EVENT_MEDICAL);
	assert_int_equal(strncmp(l.v[0].uid, "ofii-medical-", 13), 0);
	assert_int_equal(strlen(l.v[0].uid), 13 + 16);
	assert_string_equal(l.v[0].summary, "Visite médicale OFII / OFII "
	    "medical visit — Kwame MENSAH");
	assert_int_equal(l.v[0].start, testutil_utc(2022, 3, 8, 8, 30));
	assert_int_equal(l.v[0].sequence, 0);
	assert_true(l.v[0].changed);
	assert_non_null(strstr(l.v[0].ics,
	    "DTSTART;TZID=Europe/Paris:20220308T093000\r\n"));
	assert_non_null(strstr(l.v[0].ics,
	    "DTEND;TZID=Europe/Paris:20220308T113000\r\n"));
	assert_non_null(strstr(l.v[0].ics, "BEGIN:VTIMEZONE\r\n"
	    "TZID:Europe/Paris\r\n"));
	assert_non_null(strstr(l.v[0].ics, "DTSTAMP:20220222T100000Z\r\n"));
	assert_non_null(strstr(l.v[0].ics, "SEQUENCE:0\r\n"));
	assert_non_null(strstr(l.v[0].ics, "TRIGGER:-P1D\r\n"));
	assert_non_null(strstr(l.v[0].ics, "TRIGGER:-PT2H\r\n"));
	assert_non_null(strstr(l.v[0].ics, "PRODID:-//ofii-watch//"));
	assert_non_null(strstr(l.v[0].ics, "CALSCALE:GREGORIAN\r\n"));
	assert_null(strstr(l.v[0].ics, "METHOD"));
	assert_null(strstr(l.v[0].ics, "freeassociation"));
	ev = parse_one(l.v[0].ics, &cal);
	assert_string_equal(icalcomponent_get_location(ev),
	    "OFII - Service médical, 12 rue Chevreul, 69007 Lyon");
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Téléphone / Phone: 04 72 00 00 00\n"));
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "À apporter / What to bring:\n"
	    "- Passeport (avec le visa) / passport with the visa\n"
	    "- Lunettes ou lentilles / glasses or contact lenses\n\n"));
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Source : courriel / mail « Convocation à la visite médicale - "
	    "OFII Lyon » du / of Mon, 21 Feb 2022 09:00:00 +0100\n"));
	assert_int_equal(icalcomponent_count_components(ev,
	    ICAL_VALARM_COMPONENT), 2);
	icalcomponent_free(cal);

	/* The nudge: mail Monday 21 Feb, now Tuesday 22 -> Wednesday 09:00 */
	assert_int_equal(l.v[1].type, EVENT_XRAY_BOOKING);
	assert_int_equal(strncmp(l.v[1].uid, "ofii-xray-booking-", 18), 0);
	assert_int_equal(l.v[1].start, testutil_utc(2022, 2, 23, 8, 0));
	assert_string_equal(l.v[1].summary, "Prendre rendez-vous pour la radio "
	    "pulmonaire / Book your chest X-ray now — Kwame MENSAH");
	assert_non_null(strstr(l.v[1].ics,
	    "DTSTART;TZID=Europe/Paris:20220223T090000\r\n"));
	assert_non_null(strstr(l.v[1].ics, "TRIGGER:PT0S\r\n"));
	ev = parse_one(l.v[1].ics, &cal);
	assert_string_equal(icalcomponent_get_location(ev),
	    "Cabinet de radiologie des Gratte-Ciel, 41 avenue Henri Barbusse, "
	    "69100 Villeurbanne");
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Téléphone / Phone: 04 78 93 52 16\n"
	    "À faire au plus tard le / Deadline: lundi 7 mars 2022 / Monday 7 "
	    "March 2022 (la veille de la visite / the day before the visit)\n"));
	icalcomponent_free(cal);
	event_list_free(&l);

	/* Mail received later than "now": the mail's date counts. */
	s.received = testutil_utc(2022, 2, 25, 16, 0);		/* Friday */
	assert_int_equal(calendar_from_convocation(&c, &s, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &l, &err), 0);
	assert_int_equal(l.v[1].start, testutil_utc(2022, 2, 28, 8, 0));
	event_list_free(&l);

	/* No nudge when the X-ray is done on site. */
	c.xray_on_site = 1;
	assert_int_equal(calendar_from_convocation(&c, &s, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &l, &err), 0);
	assert_int_equal(l.n, 1);
	event_list_free(&l);
	config_clear(&cfg);
}

/* An X-ray appointment the letter fixed at a centre it names (the centre
   is kept in xray_center): two appointments, no "book your X-ray" nudge,
   and the visit says the X-ray is booked, with the centre to call. */
static void
test_fixed_xray_no_nudge(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	struct mail_source s = source_at(testutil_utc(2022, 2, 21, 8, 0));
	icalcomponent *cal, *ev;
	char *err = NULL;
	size_t i;

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame MENSAH");
	c.nappts = 2;
	c.appts[1] = c.appts[0];
	c.appts[0].type = APPT_XRAY;
	c.appts[0].start = (struct walltime){ 2022, 3, 1, 8, 0 };
	c.appts[0].place = (char *)"Cabinet de radiologie des Gratte-Ciel, "
	    "41 avenue Henri Barbusse, 69100 Villeurbanne";
	memcpy(c.appts[0].postal_code, "69100", 6);
	c.appts[0].city = (char *)"Villeurbanne";
	c.appts[0].phone = NULL;
	assert_int_equal(calendar_from_convocation(&c, &s, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &l, &err), 0);
	assert_int_equal(l.n, 2);
	for (i = 0; i < l.n; i++)
		assert_int_not_equal(l.v[i].type, EVENT_XRAY_BOOKING);
	assert_int_equal(l.v[1].type, EVENT_MEDICAL);
	ev = parse_one(l.v[1].ics, &cal);
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Radio pulmonaire AVANT la visite, rendez-vous déjà fixé / chest "
	    "X-ray BEFORE the visit, appointment already booked: Cabinet de "
	    "radiologie des Gratte-Ciel, 41 avenue Henri Barbusse, 69100 "
	    "Villeurbanne, tél. 04 78 93 52 16\n"));
	icalcomponent_free(cal);
	event_list_free(&l);
	config_clear(&cfg);
}

static void
test_nudge_visit_sooner(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	struct mail_source s = source_at(testutil_utc(2022, 3, 7, 8, 0));
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	lyon(&c, NULL);
	/* Mail on Monday 7, visit Tuesday 8: the nudge would be on the 8th. */
	assert_int_equal(calendar_from_convocation(&c, &s, &cfg, NULL,
	    testutil_utc(2022, 3, 7, 8, 0), &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1].start, testutil_utc(2022, 3, 8, 8, 0));
	assert_string_equal(l.v[1].summary, "Prendre rendez-vous pour la radio "
	    "pulmonaire / Book your chest X-ray now — la visite est avant ! / "
	    "your visit comes first!");
	assert_string_equal(l.v[0].summary,
	    "Visite médicale OFII / OFII medical visit");
	event_list_free(&l);
	config_clear(&cfg);
}

static void
test_uid_stability(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list a = { NULL, 0 }, b = { NULL, 0 };
	char *err = NULL, uid[64];
	const char *p;

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame MENSAH");
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &a, &err), 0);
	snprintf(uid, sizeof(uid), "%s", a.v[0].uid);
	for (p = uid; *p; p++)
		assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p));

	/* Same person written differently, another day and time: same UID */
	lyon(&c, "  kwame   Mensah ");
	c.appts[0].start = (struct walltime){ 2022, 4, 1, 14, 0 };
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2023, 1, 1, 0, 0), &b, &err), 0);
	assert_string_equal(b.v[0].uid, uid);
	assert_string_equal(b.v[1].uid, a.v[1].uid);
	event_list_free(&b);

	/* Another person, or another office: another UID */
	lyon(&c, "Ama MENSAH");
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &b, &err), 0);
	assert_string_not_equal(b.v[0].uid, uid);
	event_list_free(&b);
	lyon(&c, "Kwame MENSAH");
	memcpy(c.appts[0].postal_code, "69003", 6);
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &b, &err), 0);
	assert_string_not_equal(b.v[0].uid, uid);
	event_list_free(&b);

	/* Two medical visits in one mail (two people, no name): two UIDs */
	lyon(&c, NULL);
	c.nappts = 2;
	c.appts[1] = c.appts[0];
	c.appts[1].start.minute = 50;
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &b, &err), 0);
	assert_int_equal(b.n, 3);	/* two visits, one nudge */
	assert_string_not_equal(b.v[0].uid, b.v[2].uid);
	assert_int_equal(b.v[2].type, EVENT_MEDICAL);
	event_list_free(&b);
	event_list_free(&a);
	config_clear(&cfg);
}

/* Build, check, commit; returns the list (caller frees). */
static void
run_commit(const struct convocation *c, const struct config *cfg,
    struct state *st, time_t now, struct event_list *l)
{
	char *err = NULL;

	l->v = NULL;
	l->n = 0;
	assert_int_equal(calendar_from_convocation(c, &src, cfg, st, now, l,
	    &err), 0);
	assert_null(err);
	assert_int_equal(calendar_commit(st, l, &err), 0);
}

static void
test_reschedule_then_cancel(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l1, l2, l3, l4;
	struct state *st = state_new(NULL);
	icalcomponent *cal, *ev;

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame MENSAH");
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 22, 10, 0), &l1);
	assert_int_equal(st->nevents, 2);

	/* The same mail again, days later: nothing changes, same bytes. */
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 25, 10, 0), &l2);
	assert_int_equal(l2.n, 2);
	assert_false(l2.v[0].changed);
	assert_false(l2.v[1].changed);
	assert_string_equal(l2.v[0].ics, l1.v[0].ics);
	assert_string_equal(l2.v[1].ics, l1.v[1].ics);	/* nudge kept */
	event_list_free(&l2);

	/* Reschedule to 10 March 14:00: same UID, SEQUENCE 1, old time noted */
	c.kind = KIND_RESCHEDULE;
	c.appts[0].start = (struct walltime){ 2022, 3, 10, 14, 0 };
	c.previous_start = (struct walltime){ 2022, 3, 8, 9, 30 };
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 28, 10, 0), &l3);
	assert_string_equal(l3.v[0].uid, l1.v[0].uid);
	assert_true(l3.v[0].changed);
	assert_int_equal(l3.v[0].sequence, 1);
	assert_int_equal(l3.v[0].previous_start, testutil_utc(2022, 3, 8, 8, 30));
	assert_non_null(strstr(l3.v[0].ics,
	    "DTSTART;TZID=Europe/Paris:20220310T140000\r\n"));
	assert_non_null(strstr(l3.v[0].ics, "SEQUENCE:1\r\n"));
	ev = parse_one(l3.v[0].ics, &cal);
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Rendez-vous déplacé, il était prévu le / Rescheduled, it was on: "
	    "mardi 8 mars 2022 / Tuesday 8 March 2022, 09:30\n"));
	icalcomponent_free(cal);
	/* The nudge stays at its time; only its deadline text changes. */
	assert_string_equal(l3.v[1].uid, l1.v[1].uid);
	assert_int_equal(l3.v[1].start, l1.v[1].start);
	assert_int_equal(l3.v[1].sequence, 1);
	assert_int_equal(st->nevents, 2);
	assert_int_equal(st->events[0].event.sequence, 1);
	event_list_free(&l3);

	/* The same reschedule mail again: no change. */
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 1, 10, 0), &l3);
	assert_false(l3.v[0].changed);
	assert_int_equal(l3.v[0].sequence, 1);
	event_list_free(&l3);

	/* Cancellation naming no appointment: both events cancelled. */
	memset(&c, 0, sizeof(c));
	c.kind = KIND_CANCELLATION;
	c.person = (char *)"Kwame Mensah";
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 2, 10, 0), &l4);
	assert_int_equal(l4.n, 2);
	assert_string_equal(l4.v[0].uid, l1.v[0].uid);
	assert_true(l4.v[0].cancelled);
	assert_int_equal(l4.v[0].sequence, 2);
	assert_non_null(strstr(l4.v[0].ics, "STATUS:CANCELLED\r\n"));
	assert_null(strstr(l4.v[0].ics, "VALARM"));
	assert_non_null(strstr(l4.v[0].ics, "SEQUENCE:2\r\n"));
	assert_non_null(strstr(l4.v[0].ics,
	    "DTSTART;TZID=Europe/Paris:20220310T140000\r\n"));
	assert_int_equal(strncmp(l4.v[0].summary, "ANNULÉ / CANCELLED : "
	    "Visite médicale", 37), 0);
	assert_true(l4.v[1].cancelled);
	assert_int_equal(l4.v[1].sequence, 2);
	assert_int_equal(st->nevents, 2);
	assert_true(st->events[0].event.cancelled);
	event_list_free(&l4);

	/* Cancelling again changes nothing. */
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 3, 10, 0), &l4);
	assert_int_equal(l4.n, 0);
	event_list_free(&l4);

	event_list_free(&l1);
	state_free(st);
	config_clear(&cfg);
}

/*
 * The reschedule letter names the person differently ("Kwame" then "M.
 * Kwame MENSAH"): the only medical event at that office is the one moved,
 * not a second one.  A household (two live events there) stays apart.
 */
static void
test_reschedule_other_spelling(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l1, l2, l3;
	struct state *st = state_new(NULL);

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame");
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 22, 10, 0), &l1);
	lyon(&c, "Kwame MENSAH");
	c.kind = KIND_RESCHEDULE;
	c.appts[0].start = (struct walltime){ 2022, 3, 10, 14, 0 };
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 28, 10, 0), &l2);
	assert_string_equal(l2.v[0].uid, l1.v[0].uid);
	assert_int_equal(l2.v[0].sequence, 1);
	assert_int_equal(l2.v[0].previous_start, testutil_utc(2022, 3, 8, 8, 30));
	assert_int_equal(st->nevents, 2);	/* visit + nudge, no third */
	event_list_free(&l2);

	/* Two people convoked at the same office: ambiguous, not merged. */
	lyon(&c, "Ama MENSAH");
	c.appts[0].start = (struct walltime){ 2022, 3, 8, 10, 30 };
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 1, 10, 0), &l3);
	assert_string_not_equal(l3.v[0].uid, l1.v[0].uid);
	event_list_free(&l3);
	lyon(&c, "M. MENSAH");
	c.kind = KIND_RESCHEDULE;
	c.appts[0].start = (struct walltime){ 2022, 3, 11, 9, 0 };
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 2, 10, 0), &l3);
	assert_string_not_equal(l3.v[0].uid, l1.v[0].uid);
	assert_int_equal(l3.v[0].sequence, 0);
	event_list_free(&l3);
	event_list_free(&l1);

	/*
	 * The office is matched in the place the letter gave, not anywhere
	 * in the event: an office known only as "Paris" is not every event
	 * written in Europe/Paris (the Lyon ones above).
	 */
	lyon(&c, "Ama KOFI");
	c.appts[0].place = (char *)"OFII Paris, 48 rue de la Roquette";
	c.appts[0].postal_code[0] = '\0';
	c.appts[0].city = (char *)"Paris";
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 1, 10, 0), &l1);
	lyon(&c, "Mme Ama KOFI-MENSAH");
	c.appts[0].place = (char *)"OFII Paris, 48 rue de la Roquette";
	c.appts[0].postal_code[0] = '\0';
	c.appts[0].city = (char *)"Paris";
	c.kind = KIND_RESCHEDULE;
	c.appts[0].start = (struct walltime){ 2022, 3, 15, 9, 0 };
	run_commit(&c, &cfg, st, testutil_utc(2022, 3, 2, 10, 0), &l2);
	assert_string_equal(l2.v[0].uid, l1.v[0].uid);
	assert_int_equal(l2.v[0].sequence, 1);
	assert_string_equal(l2.v[1].uid, l1.v[1].uid);	/* its nudge too */
	event_list_free(&l2);
	event_list_free(&l1);
	state_free(st);
	config_clear(&cfg);
}

/* Like run_commit, with the letter's Date. */
static void
run_commit_dated(const struct convocation *c, const struct config *cfg,
    struct state *st, time_t sent, time_t now, struct event_list *l)
{
	struct mail_source s = source_at(sent);
	char *err = NULL;

	l->v = NULL;
	l->n = 0;
	assert_int_equal(calendar_from_convocation(c, &s, cfg, st, now, l,
	    &err), 0);
	assert_null(err);
	assert_int_equal(calendar_commit(st, l, &err), 0);
}

/*
 * Mail is not read in the order it was sent: the convocation in Junk is
 * read after the reschedule in INBOX, and a rebuilt state rescans
 * everything.  An older letter read later must not move the event back
 * (nor cancel what a newer letter set); a newer one still applies.
 */
static void
test_older_letter_does_not_undo(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l1, l2, l3;
	struct state *st = state_new(NULL);
	struct state_event *rec;

	(void)state;
	config_init(&cfg);
	/* The reschedule (sent 28 Feb) is read first. */
	lyon(&c, "Kwame MENSAH");
	c.kind = KIND_RESCHEDULE;
	c.appts[0].start = (struct walltime){ 2022, 3, 10, 14, 0 };
	c.previous_start = (struct walltime){ 2022, 3, 8, 9, 30 };
	run_commit_dated(&c, &cfg, st, testutil_utc(2022, 2, 28, 9, 0),
	    testutil_utc(2022, 3, 1, 10, 0), &l1);
	assert_int_equal(l1.n, 2);
	assert_int_equal(st->nevents, 2);
	rec = state_event_find(st, l1.v[0].uid);
	assert_non_null(rec);
	assert_int_equal(rec->event.mail_time, testutil_utc(2022, 2, 28, 9, 0));

	/* Then the convocation it replaced (sent 21 Feb): nothing changes. */
	lyon(&c, "Kwame MENSAH");
	run_commit_dated(&c, &cfg, st, testutil_utc(2022, 2, 21, 8, 0),
	    testutil_utc(2022, 3, 1, 10, 0), &l2);
	assert_int_equal(l2.n, 0);
	rec = state_event_find(st, l1.v[0].uid);
	assert_int_equal(rec->event.start, testutil_utc(2022, 3, 10, 13, 0));
	assert_int_equal(rec->event.sequence, 0);
	assert_string_equal(rec->event.ics, l1.v[0].ics);
	event_list_free(&l2);

	/* An old cancellation neither (by appointment, then by name). */
	c.kind = KIND_CANCELLATION;
	run_commit_dated(&c, &cfg, st, testutil_utc(2022, 2, 22, 8, 0),
	    testutil_utc(2022, 3, 1, 10, 0), &l2);
	assert_int_equal(l2.n, 0);
	event_list_free(&l2);
	memset(&c, 0, sizeof(c));
	c.kind = KIND_CANCELLATION;
	c.person = (char *)"Kwame MENSAH";
	run_commit_dated(&c, &cfg, st, testutil_utc(2022, 2, 22, 8, 0),
	    testutil_utc(2022, 3, 1, 10, 0), &l2);
	assert_int_equal(l2.n, 0);
	assert_false(st->events[0].event.cancelled);
	event_list_free(&l2);

	/* A newer cancellation applies, and records its own date. */
	run_commit_dated(&c, &cfg, st, testutil_utc(2022, 3, 2, 8, 0),
	    testutil_utc(2022, 3, 2, 10, 0), &l3);
	assert_int_equal(l3.n, 2);
	assert_true(l3.v[0].cancelled);
	assert_int_equal(l3.v[0].sequence, 1);
	rec = state_event_find(st, l1.v[0].uid);
	assert_true(rec->event.cancelled);
	assert_int_equal(rec->event.mail_time, testutil_utc(2022, 3, 2, 8, 0));
	event_list_free(&l3);
	event_list_free(&l1);
	state_free(st);
	config_clear(&cfg);
}

static void
test_cancellation_with_appointment(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l1, l2;
	struct state *st = state_new(NULL);

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame MENSAH");
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 22, 10, 0), &l1);
	c.kind = KIND_CANCELLATION;
	run_commit(&c, &cfg, st, testutil_utc(2022, 2, 23, 10, 0), &l2);
	assert_int_equal(l2.n, 2);
	assert_string_equal(l2.v[0].uid, l1.v[0].uid);
	assert_string_equal(l2.v[1].uid, l1.v[1].uid);
	assert_true(l2.v[0].cancelled && l2.v[1].cancelled);
	assert_int_equal(l2.v[0].sequence, 1);
	assert_int_equal(l2.v[1].sequence, 1);
	assert_null(strstr(l2.v[0].ics, "BEGIN:VALARM"));
	event_list_free(&l1);
	event_list_free(&l2);
	state_free(st);
	config_clear(&cfg);
}

static void
test_dst_gap(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	icalcomponent *cal, *ev;
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	lyon(&c, NULL);
	c.xray_on_site = 1;
	/* 2022-03-27 02:30 does not exist in Paris: 03:30 CEST = 01:30Z */
	c.appts[0].start = (struct walltime){ 2022, 3, 27, 2, 30 };
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 3, 1, 10, 0), &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].start, testutil_utc(2022, 3, 27, 1, 30));
	assert_non_null(strstr(l.v[0].ics,
	    "DTSTART;TZID=Europe/Paris:20220327T033000\r\n"));
	assert_non_null(strstr(l.v[0].ics,
	    "DTEND;TZID=Europe/Paris:20220327T053000\r\n"));
	ev = parse_one(l.v[0].ics, &cal);
	assert_non_null(strstr(icalcomponent_get_description(ev),
	    "Time adjusted: 02:30 does not exist that day"));
	/* libical itself reads the instant we meant */
	{
		struct icaltimetype dt = icalcomponent_get_dtstart(ev);

		assert_non_null(dt.zone);
		assert_int_equal(icaltime_as_timet_with_zone(dt, dt.zone),
		    testutil_utc(2022, 3, 27, 1, 30));
	}
	icalcomponent_free(cal);
	event_list_free(&l);
	config_clear(&cfg);
}

static void
test_dst_overlap(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	lyon(&c, NULL);
	c.xray_on_site = 1;
	/* 2022-10-30 02:30 happens twice: the first (CEST) is 00:30Z */
	c.appts[0].start = (struct walltime){ 2022, 10, 30, 2, 30 };
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 10, 1, 10, 0), &l, &err), 0);
	assert_int_equal(l.v[0].start, testutil_utc(2022, 10, 30, 0, 30));
	assert_non_null(strstr(l.v[0].ics, "DTSTART:20221030T003000Z\r\n"));
	/* 2 h later is 03:30 CET = 02:30Z: unambiguous, local time */
	assert_non_null(strstr(l.v[0].ics,
	    "DTEND;TZID=Europe/Paris:20221030T033000\r\n"));
	assert_non_null(strstr(l.v[0].ics, "this is the first one"));
	event_list_free(&l);

	/* An ordinary time on the same day is written with its TZID. */
	c.appts[0].start = (struct walltime){ 2022, 10, 30, 9, 0 };
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 10, 1, 10, 0), &l, &err), 0);
	assert_int_equal(l.v[0].start, testutil_utc(2022, 10, 30, 8, 0));
	assert_non_null(strstr(l.v[0].ics,
	    "DTSTART;TZID=Europe/Paris:20221030T090000\r\n"));
	event_list_free(&l);
	config_clear(&cfg);
}

static void
test_overseas(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	lyon(&c, NULL);
	c.appts[0].tzid = "America/Cayenne";
	memcpy(c.appts[0].postal_code, "97300", 6);
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 3, 1, 10, 0), &l, &err), 0);
	assert_int_equal(l.v[0].start, testutil_utc(2022, 3, 8, 12, 30));
	assert_non_null(strstr(l.v[0].ics,
	    "DTSTART;TZID=America/Cayenne:20220308T093000\r\n"));
	assert_non_null(strstr(l.v[0].ics, "TZID:America/Cayenne\r\n"));
	/* Nudge: Tuesday 1 March 07:00 Cayenne -> Wednesday 09:00 = 12:00Z */
	assert_int_equal(l.v[1].start, testutil_utc(2022, 3, 2, 12, 0));
	event_list_free(&l);

	c.appts[0].tzid = "Indian/Reunion";
	memcpy(c.appts[0].postal_code, "97400", 6);
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 3, 1, 10, 0), &l, &err), 0);
	assert_int_equal(l.v[0].start, testutil_utc(2022, 3, 8, 5, 30));
	event_list_free(&l);

	c.appts[0].tzid = "Mars/Olympus";
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 3, 1, 10, 0), &l, &err), -1);
	assert_string_equal(err, "unknown time zone 'Mars/Olympus'");
	free(err);
	event_list_free(&l);
	config_clear(&cfg);
}

#define EVIL	"x\r\nATTENDEE:mailto:evil@example.org\r\nEND:VEVENT\n" \
	"BEGIN:VEVENT;x"

static void
test_injection(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	struct mail_source s = { EVIL, EVIL, -1 };
	icalcomponent *cal, *ev;
	char *err = NULL, *all = NULL;
	size_t i;

	(void)state;
	config_init(&cfg);
	lyon(&c, EVIL);
	c.appts[0].place = (char *)EVIL;
	c.appts[0].phone = (char *)EVIL;
	assert_int_equal(calendar_from_convocation(&c, &s, &cfg, NULL,
	    testutil_utc(2022, 3, 1, 10, 0), &l, &err), 0);
	assert_int_equal(l.n, 2);
	for (i = 0; i < l.n; i++) {
		ev = parse_one(l.v[i].ics, &cal);
		assert_null(icalcomponent_get_first_property(ev,
		    ICAL_ATTENDEE_PROPERTY));
		assert_non_null(strstr(icalcomponent_get_summary(ev),
		    "x  ATTENDEE:mailto:evil@example.org  END:VEVENT "
		    "BEGIN:VEVENT;x"));
		assert_null(strstr(l.v[i].ics, "\nATTENDEE"));
		assert_null(strstr(l.v[i].ics, "\r\nBEGIN:VEVENT;"));
		icalcomponent_free(cal);
	}
	ev = parse_one(l.v[0].ics, &cal);
	assert_string_equal(icalcomponent_get_location(ev),
	    "x  ATTENDEE:mailto:evil@example.org  END:VEVENT BEGIN:VEVENT;x");
	icalcomponent_free(cal);
	assert_int_equal(event_list_combine(&l, &all, &err), 0);
	cal = icalparser_parse_string(all);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), 2);
	icalcomponent_free(cal);
	free(all);
	event_list_free(&l);
	config_clear(&cfg);
}

/*
 * Events recorded by an older ofii-watch, whose state kept only their text
 * (tests/fixtures/state/wave1-state.json), are cancelled from the fields
 * the loader read from it, and the cancelled versions are byte for byte
 * what that version wrote for the same letters at the same times
 * (tests/fixtures/state/wave1-cancelled-<UID>.ics): in their zone, in UTC
 * (a time that happens twice), and the X-ray nudges.
 */
static void
test_cancel_wave1_events(void **state)
{
	static const struct {
		const char	*person;
		int		 day, month;
	} letters[] = { { "kwame", 8, 3 }, { "Ama Kofi", 12, 10 } };
	struct config cfg;
	struct convocation c;
	struct event_list l;
	struct state *st = NULL;
	char *err = NULL, *want, *path;
	size_t i, k;

	(void)state;
	config_init(&cfg);
	assert_int_equal(state_load("tests/fixtures/state/wave1-state.json",
	    &st, &err), 0);
	for (k = 0; k < 2; k++) {
		memset(&c, 0, sizeof(c));
		c.trust = TRUST_VERIFIED;
		c.kind = KIND_CANCELLATION;
		c.person = (char *)letters[k].person;
		run_commit_dated(&c, &cfg, st, testutil_utc(2022,
		    letters[k].month, letters[k].day, 8, 0), testutil_utc(2022,
		    letters[k].month, letters[k].day, 10, 0), &l);
		assert_int_equal(l.n, 2);	/* the visit and its nudge */
		for (i = 0; i < l.n; i++) {
			assert_true(l.v[i].cancelled);
			assert_true(asprintf(&path, "tests/fixtures/state/"
			    "wave1-cancelled-%s.ics", l.v[i].uid) > 0);
			want = testutil_read(path, NULL);
			assert_string_equal(l.v[i].ics, want);
			free(want);
			free(path);
		}
		event_list_free(&l);
	}
	state_free(st);
	config_clear(&cfg);
}

static void
test_timeline(void **state)
{
	struct config cfg;
	struct event_list l, l2;
	struct state *st = state_new(NULL);
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	cfg.user = strdup("amina@example.org");
	cfg.validated_on = (struct config_date){ 2022, 3, 1 };
	cfg.valid_until = (struct config_date){ 2023, 6, 30 };
	l.v = NULL;
	l.n = 0;
	assert_int_equal(calendar_timeline(&cfg, st, 0, testutil_utc(2022, 3, 2, 0, 0),
	    &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].type, EVENT_RENEWAL_OPEN);
	assert_true(l.v[0].all_day);
	/* 30 June - 4 months = 28 February (clamped), - 2 months = 30 April */
	assert_non_null(strstr(l.v[0].ics,
	    "DTSTART;VALUE=DATE:20230228\r\n"));
	assert_non_null(strstr(l.v[0].ics, "DTEND;VALUE=DATE:20230301\r\n"));
	assert_non_null(strstr(l.v[0].ics, "TRIGGER:PT9H\r\n"));
	assert_int_equal(l.v[1].type, EVENT_RENEWAL_DEADLINE);
	assert_non_null(strstr(l.v[1].ics,
	    "DTSTART;VALUE=DATE:20230430\r\n"));
	assert_non_null(strstr(l.v[1].ics, "TRIGGER:-P6DT15H\r\n"));
	/* validated 1 March + 45 days = 15 April */
	assert_int_equal(l.v[2].type, EVENT_FOLLOW_UP);
	assert_non_null(strstr(l.v[2].ics,
	    "DTSTART;VALUE=DATE:20220415\r\n"));
	assert_string_equal(l.v[2].summary, "Pas de nouvelles de l'OFII : "
	    "leur écrire / No news from OFII: write to them");
	assert_int_equal(strncmp(l.v[2].uid, "ofii-follow-up-", 15), 0);
	assert_int_equal(calendar_commit(st, &l, &err), 0);

	/* A convocation was found: the follow-up is cancelled, once. */
	l2.v = NULL;
	l2.n = 0;
	assert_int_equal(calendar_timeline(&cfg, st, 1, testutil_utc(2022, 3, 20, 0, 0),
	    &l2, &err), 0);
	assert_int_equal(l2.n, 3);
	assert_false(l2.v[0].changed);
	assert_false(l2.v[1].changed);
	assert_true(l2.v[2].changed);
	assert_true(l2.v[2].cancelled);
	assert_int_equal(l2.v[2].sequence, 1);
	assert_non_null(strstr(l2.v[2].ics, "STATUS:CANCELLED\r\n"));
	assert_int_equal(calendar_commit(st, &l2, &err), 0);
	event_list_free(&l2);
	assert_int_equal(calendar_timeline(&cfg, st, 1, testutil_utc(2022, 3, 21, 0, 0),
	    &l2, &err), 0);
	assert_false(l2.v[2].changed);
	event_list_free(&l2);
	event_list_free(&l);

	/* Found before the follow-up was ever written: no follow-up at all */
	state_free(st);
	st = state_new(NULL);
	assert_int_equal(calendar_timeline(&cfg, st, 1, testutil_utc(2022, 3, 2, 0, 0),
	    &l2, &err), 0);
	assert_int_equal(l2.n, 2);
	event_list_free(&l2);
	state_free(st);
	config_clear(&cfg);
}

static void
test_combine(void **state)
{
	struct config cfg;
	struct convocation c;
	struct event_list l = { NULL, 0 };
	char *err = NULL, *all = NULL;
	icalcomponent *cal;

	(void)state;
	config_init(&cfg);
	lyon(&c, "Kwame MENSAH");
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &l, &err), 0);
	assert_int_equal(event_list_combine(&l, &all, &err), 0);
	assert_non_null(strstr(all, "METHOD:PUBLISH\r\n"));
	cal = icalparser_parse_string(all);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VEVENT_COMPONENT), 2);
	assert_int_equal(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 1);
	icalcomponent_free(cal);
	free(all);
	event_list_free(&l);

	/* Acknowledgements and other mail make no event. */
	c.kind = KIND_ACKNOWLEDGEMENT;
	assert_int_equal(calendar_from_convocation(&c, &src, &cfg, NULL,
	    testutil_utc(2022, 2, 22, 10, 0), &l, &err), 0);
	assert_int_equal(l.n, 0);
	config_clear(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_medical_and_nudge),
		cmocka_unit_test(test_nudge_visit_sooner),
		cmocka_unit_test(test_fixed_xray_no_nudge),
		cmocka_unit_test(test_uid_stability),
		cmocka_unit_test(test_reschedule_then_cancel),
		cmocka_unit_test(test_reschedule_other_spelling),
		cmocka_unit_test(test_cancellation_with_appointment),
		cmocka_unit_test(test_older_letter_does_not_undo),
		cmocka_unit_test(test_cancel_wave1_events),
		cmocka_unit_test(test_dst_gap),
		cmocka_unit_test(test_dst_overlap),
		cmocka_unit_test(test_overseas),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_combine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
