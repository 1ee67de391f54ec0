/*
 * test_standing: what `status` and the daemon's STATUS= line say, at each
 * point of the timeline, from the configuration and a state.
 */
#include <time.h>

#include "testutil.h"

#include "config/config.h"
#include "lib/clock.h"
#include "daemon/standing.h"
#include "store/state.h"

static const char visit_ics[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:ofii-medical-0123456789abcdef\r\n"
    "DTSTAMP:20220310T090000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20220503T093000\r\n"
    "DTEND;TZID=Europe/Paris:20220503T113000\r\n"
    "SUMMARY:Visite médicale OFII / OFII medical visit\r\n"
    "LOCATION:OFII - Service médical\\, 12 rue Chevreul\\, 69007 Lyon\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

static const char nudge_ics[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:ofii-xray-booking-0123456789abcdef\r\n"
    "DTSTAMP:20220310T090000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20220421T090000\r\n"
    "SUMMARY:Réserver la radio pulmonaire / Book your chest X-ray\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

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

static void
add_event(struct state *st, const char *uid, const char *type,
    const char *ics, time_t start)
{
	struct state_event *ev = state_event_get(st, uid);

	assert_non_null(ev);
	ev->type = strdup(type);
	ev->ics = strdup(ics);
	ev->start = start;
	memset(ev->hash, 'a', STATE_HASH_LEN);	/* written, never delivered */
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
	add_event(st, "ofii-medical-0123456789abcdef", "medical", visit_ics,
	    at("2022-05-03T09:30"));
	add_event(st, "ofii-xray-booking-0123456789abcdef", "xray-booking",
	    nudge_ics, at("2022-04-21T09:00"));
	assert_int_equal(state_poll_set(st, at("2022-04-20T09:50"), 1, NULL), 0);
	standing_compute(&cfg, st, at("2022-04-20T10:00"), &s);
	assert_int_equal(s.found, 1);
	assert_int_equal(s.ndue, 0);		/* found: no late alert */
	assert_int_equal(s.nappts, 2);
	assert_string_equal(s.appts[0].type, "xray-booking");	/* by start */
	assert_int_equal(s.xray_booking, 0);
	assert_string_equal(s.appts[1].type, "medical");
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
	state_event_find(st, "ofii-medical-0123456789abcdef")->cancelled = 1;
	standing_compute(&cfg, st, at("2022-04-20T10:00"), &s);
	assert_int_equal(s.found, 0);
	assert_int_equal(s.ndue, 1);
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
	};

	return cmocka_run_group_tests_name("standing", tests, setup, NULL);
}
