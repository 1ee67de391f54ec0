/*
 * test_standing: what `status` and the daemon's STATUS= line say, at each
 * point of the timeline, from the configuration and a state.
 */
#include <time.h>

#include "testutil.h"

#include "config/config.h"
#include "daemon/standing.h"
#include "lib/clock.h"
#include "store/state.h"

static time_t
at(const char *local)
{
	time_t t;

	assert_int_equal(clock_parse(local, &t), 0);
	return t;
}

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	setenv("HOME", "/home/test", 1);
	return 0;
}

static void
timeline_config(struct config *cfg)
{
	config_init(cfg);
	cfg->arrival = (struct config_date){ 2022, 1, 26 };
	cfg->validated_on = (struct config_date){ 2022, 3, 1 };
	cfg->valid_until = (struct config_date){ 2023, 1, 25 };
}

/*
 * A recorded event: its fields.  Its iCalendar text is only the output
 * for the sinks, which standing never reads: an empty calendar here.
 */
static struct state_event *
add_event(struct state *st, const char *uid, enum event_type type,
    const char *summary, const char *location, time_t start)
{
	struct state_event *ev = state_event_get(st, uid);

	assert_non_null(ev);
	ev->event.type = type;
	ev->event.summary = strdup(summary);
	ev->event.location = location ? strdup(location) : NULL;
	ev->event.tzid = strdup("Europe/Paris");
	ev->event.start = start;
	ev->event.end = start + 2 * 3600;
	ev->event.ics = strdup("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	memset(ev->event.hash, 'a', STATE_HASH_LEN);	/* written, never
							   delivered */
	return ev;
}

static void
test_waiting(void **state)
{
	struct config cfg;
	struct standing s;
	char line[256];

	(void)state;
	timeline_config(&cfg);
	/* No state yet: never polled, waiting, the late alert due. */
	standing_compute(&cfg, NULL, at("2022-04-20T10:00"), &s);
	assert_int_equal(s.days_waited, 50);
	assert_int_equal(s.found, 0);
	assert_int_equal(s.nappts, 0);
	assert_int_equal(s.xray_booking, -1);
	assert_int_equal(s.ndue, 1);
	assert_string_equal(s.due[0].summary, "No OFII convocation yet, 50 days "
	    "after you validated your visa");
	assert_int_equal(s.next_alert, at("2022-04-27T10:00"));
	assert_int_equal(s.renewal_opens, at("2022-09-25T12:00"));
	assert_int_equal(s.renewal_deadline, at("2022-11-25T12:00"));
	standing_oneline(&s, line, sizeof(line));
	assert_string_equal(line, "Waiting for OFII, day 50 since validation; "
	    "never polled yet");
	/* Before the threshold: nothing due, next alert on day 45. */
	standing_compute(&cfg, NULL, at("2022-03-20T10:00"), &s);
	assert_int_equal(s.ndue, 0);
	assert_int_equal(s.next_alert, at("2022-04-15T09:00"));
	config_clear(&cfg);
}

static void
test_alert_sent_and_polled(void **state)
{
	struct config cfg;
	struct standing s;
	struct state *st = state_new("/nonexistent/state.json");
	char line[256];

	(void)state;
	timeline_config(&cfg);
	assert_int_equal(state_alert_set(st, "late", at("2022-04-15T09:00")), 0);
	assert_int_equal(state_poll_set(st, at("2022-04-20T09:50"), 0,
	    "login refused"), 0);
	standing_compute(&cfg, st, at("2022-04-20T10:00"), &s);
	assert_int_equal(s.ndue, 0);
	assert_int_equal(s.next_alert, at("2022-04-22T09:00"));
	assert_int_equal(s.last_poll_ok, 0);
	assert_string_equal(s.last_poll_error, "login refused");
	standing_oneline(&s, line, sizeof(line));
	assert_string_equal(line, "Waiting for OFII, day 50 since validation; "
	    "last poll 2022-04-20 09:50 failed");
	state_free(st);
	config_clear(&cfg);
}

static void
test_found(void **state)
{
	struct config cfg;
	struct standing s;
	struct state *st = state_new("/nonexistent/state.json");
	char line[256];

	(void)state;
	timeline_config(&cfg);
	add_event(st, "ofii-medical-0123456789abcdef", EVENT_MEDICAL,
	    "Visite médicale OFII / OFII medical visit",
	    "OFII - Service médical, 12 rue Chevreul, 69007 Lyon",
	    at("2022-05-03T09:30"));
	add_event(st, "ofii-xray-booking-0123456789abcdef", EVENT_XRAY_BOOKING,
	    "Réserver la radio pulmonaire / Book your chest X-ray", NULL,
	    at("2022-04-21T09:00"));
	assert_int_equal(state_poll_set(st, at("2022-04-20T09:50"), 1, NULL), 0);
	standing_compute(&cfg, st, at("2022-04-20T10:00"), &s);
	assert_int_equal(s.found, 1);
	assert_int_equal(s.ndue, 0);		/* found: no late alert */
	assert_int_equal(s.nappts, 2);
	assert_int_equal(s.appts[0].type, EVENT_XRAY_BOOKING);	/* by start */
	assert_int_equal(s.xray_booking, 0);
	assert_int_equal(s.appts[1].type, EVENT_MEDICAL);
	assert_string_equal(s.appts[1].start_local, "2022-05-03 09:30");
	assert_string_equal(s.appts[1].tzid, "Europe/Paris");
	assert_string_equal(s.appts[1].location, "OFII - Service médical, 12 "
	    "rue Chevreul, 69007 Lyon");
	assert_string_equal(s.appts[1].summary, "Visite médicale OFII / OFII "
	    "medical visit");
	standing_oneline(&s, line, sizeof(line));
	assert_string_equal(line, "Convocation found: medical on 2022-05-03 "
	    "09:30; last poll 2022-04-20 09:50 ok");
	/* Delivery bookkeeping: the vdir sink (default on) still owes both. */
	assert_int_equal(s.pending[SINK_VDIR], 2);
	assert_int_equal(s.pending[SINK_CALDAV], 0);	/* not configured */

	/* Cancelled: no longer found, alerts come back. */
	state_event_find(st, "ofii-medical-0123456789abcdef")->event.cancelled =
	    1;
	standing_compute(&cfg, st, at("2022-04-20T10:00"), &s);
	assert_int_equal(s.found, 0);
	assert_int_equal(s.ndue, 1);
	state_free(st);
	config_clear(&cfg);
}

/*
 * An appointment at a wall-clock time that happens twice is written in UTC
 * in its DTSTART (calendar.h), and status says it as the calendar does.
 */
static void
test_overlap_time(void **state)
{
	struct config cfg;
	struct standing s;
	struct state *st = state_new("/nonexistent/state.json");
	char line[256];

	(void)state;
	timeline_config(&cfg);
	/* 2022-10-30 02:30 CEST, the first of the two, is 00:30Z */
	add_event(st, "ofii-cir-0123456789abcdef", EVENT_CIR, "CIR", NULL,
	    testutil_utc(2022, 10, 30, 0, 30));
	standing_compute(&cfg, st, at("2022-10-01T10:00"), &s);
	assert_int_equal(s.nappts, 1);
	assert_string_equal(s.appts[0].start_local, "2022-10-30 00:30");
	assert_string_equal(s.appts[0].tzid, "UTC");
	assert_string_equal(s.appts[0].location, "");
	standing_oneline(&s, line, sizeof(line));
	assert_string_equal(line, "Convocation found: cir on 2022-10-30 00:30; "
	    "never polled yet");
	/* the second 02:30 (CET) is ambiguous too; 03:30 CET is not */
	state_event_find(st, "ofii-cir-0123456789abcdef")->event.start =
	    testutil_utc(2022, 10, 30, 1, 30);
	standing_compute(&cfg, st, at("2022-10-01T10:00"), &s);
	assert_string_equal(s.appts[0].start_local, "2022-10-30 01:30");
	assert_string_equal(s.appts[0].tzid, "UTC");
	state_event_find(st, "ofii-cir-0123456789abcdef")->event.start =
	    testutil_utc(2022, 10, 30, 2, 30);
	standing_compute(&cfg, st, at("2022-10-01T10:00"), &s);
	assert_string_equal(s.appts[0].start_local, "2022-10-30 03:30");
	assert_string_equal(s.appts[0].tzid, "Europe/Paris");
	state_free(st);
	config_clear(&cfg);
}

/*
 * A state written before the events' fields were kept (its events are
 * iCalendar texts, read once by the loader): status says what it said.
 */
static void
test_wave1_state(void **state)
{
	struct config cfg;
	struct standing s;
	struct state *st = NULL;
	char *err = NULL, line[256];

	(void)state;
	config_init(&cfg);
	cfg.arrival = (struct config_date){ 2022, 1, 5 };
	cfg.validated_on = (struct config_date){ 2022, 1, 20 };
	cfg.valid_until = (struct config_date){ 2023, 5, 31 };
	assert_int_equal(state_load("tests/fixtures/state/wave1-state.json",
	    &st, &err), 0);
	standing_compute(&cfg, st, at("2022-03-07T10:00"), &s);
	assert_int_equal(s.found, 1);
	assert_int_equal(s.nappts, 6);
	assert_int_equal(s.appts[0].type, EVENT_XRAY_BOOKING);
	assert_string_equal(s.appts[0].start_local, "2022-02-23 09:00");
	assert_int_equal(s.appts[1].type, EVENT_MEDICAL);
	assert_string_equal(s.appts[1].start_local, "2022-03-10 14:00");
	assert_string_equal(s.appts[1].tzid, "Europe/Paris");
	assert_string_equal(s.appts[1].summary, "Visite médicale OFII / OFII "
	    "medical visit — M. Kwame MENSAH");
	assert_string_equal(s.appts[1].location, "OFII - Service médical, 12 "
	    "rue Chevreul, 69007 Lyon");
	assert_string_equal(s.appts[2].start_local, "2022-03-27 03:30");
	assert_string_equal(s.appts[2].location, "");
	assert_int_equal(s.appts[3].type, EVENT_CIR);
	assert_true(s.appts[3].cancelled);
	assert_string_equal(s.appts[3].start_local, "2022-04-12 08:00");
	assert_string_equal(s.appts[3].tzid, "America/Cayenne");
	assert_string_equal(s.appts[5].start_local, "2022-10-30 00:30");
	assert_string_equal(s.appts[5].tzid, "UTC");
	assert_int_equal(s.xray_booking, 4);	/* the last live nudge */
	standing_oneline(&s, line, sizeof(line));
	assert_string_equal(line, "Convocation found: medical on 2022-03-10 "
	    "14:00; last poll 2022-03-06 11:00 ok");
	state_free(st);
	config_clear(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waiting),
		cmocka_unit_test(test_alert_sent_and_polled),
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_overlap_time),
		cmocka_unit_test(test_wave1_state),
	};

	return cmocka_run_group_tests_name("standing", tests, setup, NULL);
}
