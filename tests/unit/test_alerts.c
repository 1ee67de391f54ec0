/*
 * test_alerts: the alert schedule across a whole visa timeline, and the
 * delivery through alert_command.
 */
#include <sys/stat.h>

#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "config/config.h"
#include "daemon/alerts.h"
#include "lib/clock.h"
#include "lib/log.h"

static time_t
at(const char *local)
{
	time_t t;

	if (clock_parse(local, &t) == -1)
		fail_msg("bad time %s", local);
	return t;
}

static void
timeline_config(struct config *cfg)
{
	config_init(cfg);
	cfg->arrival = (struct config_date){ 2022, 1, 26 };
	cfg->validated_on = (struct config_date){ 2022, 3, 1 };
	cfg->valid_until = (struct config_date){ 2023, 1, 25 };
}

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	log_init("test", LOG_ERR);	/* keep alert_send quiet */
	return 0;
}

/* Due alerts at `when`; the kinds as a string like "late,renewal-open". */
static const char *
due(const struct config *cfg, const char *when, int found,
    struct alert_memory *mem, struct alert *out, int mark)
{
	static char kinds[128];
	size_t n, i;

	n = alerts_due(cfg, at(when), found, mem, out);
	kinds[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(kinds, ",");
		strcat(kinds, alert_kind_name(out[i].kind));
		if (mark)
			mem->last[out[i].kind] = at(when);
	}
	return kinds;
}

static void
test_late_schedule(void **state)
{
	struct alert_memory mem = { { 0 } }, restarted;
	struct alert out[ALERT_SCHEDULED_COUNT];
	struct config cfg;

	(void)state;
	timeline_config(&cfg);
	/* validated 2022-03-01 + 45 days = 2022-04-15 at 09:00 */
	assert_int_equal(alerts_next(&cfg, at("2022-03-02T12:00"), 0, &mem),
	    at("2022-04-15T09:00"));
	assert_string_equal(due(&cfg, "2022-03-20T10:00", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-04-15T08:59", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-04-15T09:00", 0, &mem, out, 1),
	    "late");
	assert_int_equal(out[0].priority, LOG_WARNING);
	assert_string_equal(out[0].summary, "No OFII convocation yet, 45 days "
	    "after you validated your visa");
	assert_non_null(strstr(out[0].body, "\"Nous contacter\""));
	assert_non_null(strstr(out[0].body, "Junk/Spam"));
	assert_non_null(strstr(out[0].body, "ANEF"));
	assert_non_null(strstr(out[0].body, "every 7 days"));
	/* Not again the same week, however often we look. */
	assert_string_equal(due(&cfg, "2022-04-15T09:10", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-04-22T08:59", 0, &mem, out, 1), "");
	assert_int_equal(alerts_next(&cfg, at("2022-04-16T00:00"), 0, &mem),
	    at("2022-04-22T09:00"));
	/* A restart keeps the memory (the state file): no early repeat. */
	restarted = mem;
	assert_string_equal(due(&cfg, "2022-04-18T10:00", 0, &restarted, out,
	    1), "");
	assert_string_equal(due(&cfg, "2022-04-22T09:00", 0, &restarted, out,
	    1), "late");
	assert_string_equal(out[0].summary, "No OFII convocation yet, 52 days "
	    "after you validated your visa");
	/* The daemon was off for three weeks: one alert, not three. */
	assert_string_equal(due(&cfg, "2022-05-15T11:00", 0, &restarted, out,
	    1), "late");
	assert_string_equal(due(&cfg, "2022-05-16T11:00", 0, &restarted, out,
	    1), "");
	/* Convocation found: silence, now and later. */
	assert_string_equal(due(&cfg, "2022-05-30T11:00", 1, &restarted, out,
	    1), "");
	assert_int_equal(alerts_next(&cfg, at("2022-05-30T11:00"), 1,
	    &restarted), 0);
	config_clear(&cfg);
}

static void
test_configured_delays(void **state)
{
	struct alert_memory mem = { { 0 } };
	struct alert out[ALERT_SCHEDULED_COUNT];
	struct config cfg;

	(void)state;
	timeline_config(&cfg);
	cfg.alert_after = 30 * 86400;
	cfg.alert_every = 3 * 86400;
	assert_string_equal(due(&cfg, "2022-03-31T08:00", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-03-31T09:00", 0, &mem, out, 1),
	    "late");
	assert_non_null(strstr(out[0].body, "every 3 days"));
	assert_string_equal(due(&cfg, "2022-04-03T08:59", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-04-03T09:00", 0, &mem, out, 1),
	    "late");
	config_clear(&cfg);
}

static void
test_renewal_escalation(void **state)
{
	struct alert_memory mem = { { 0 } }, late_start;
	struct alert out[ALERT_SCHEDULED_COUNT];
	struct config cfg;

	(void)state;
	timeline_config(&cfg);
	mem.last[ALERT_LATE] = at("2022-09-24T09:00");
	late_start = mem;
	/* valid_until 2023-01-25: window opens 2022-09-25, last 2022-11-25 */
	assert_string_equal(due(&cfg, "2022-09-25T08:00", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-09-25T09:00", 0, &mem, out, 1),
	    "renewal-open");
	assert_int_equal(out[0].priority, LOG_ERR);
	assert_string_equal(out[0].summary, "Renewal window open (visa valid "
	    "until 2023-01-25) and still no OFII convocation");
	assert_non_null(strstr(out[0].body, "titre de séjour"));
	assert_string_equal(due(&cfg, "2022-10-01T09:00", 0, &mem, out, 1),
	    "late");
	assert_string_equal(due(&cfg, "2022-11-25T09:00", 0, &mem, out, 1),
	    "late,renewal-last");
	assert_string_equal(out[1].summary, "Two months before your visa "
	    "expires (2023-01-25): apply for the renewal now");
	assert_string_equal(due(&cfg, "2022-11-26T09:00", 0, &mem, out, 1), "");
	/* Started only after the last reminder's date: just that one. */
	assert_string_equal(due(&cfg, "2022-12-01T10:00", 0, &late_start, out,
	    1), "late,renewal-last");
	assert_string_equal(due(&cfg, "2022-12-09T10:00", 0, &late_start, out,
	    1), "late");
	/* With the convocation found, none of this. */
	memset(&mem, 0, sizeof(mem));
	assert_string_equal(due(&cfg, "2022-12-01T10:00", 1, &mem, out, 1), "");
	config_clear(&cfg);
}

static void
test_not_validated(void **state)
{
	struct alert_memory mem = { { 0 } };
	struct alert out[ALERT_SCHEDULED_COUNT];
	struct config cfg;

	(void)state;
	timeline_config(&cfg);
	cfg.validated_on.year = 0;
	/* arrival 2022-01-26: deadline 2022-04-26, warnings from 04-05 */
	assert_string_equal(due(&cfg, "2022-03-01T10:00", 0, &mem, out, 1), "");
	assert_int_equal(alerts_next(&cfg, at("2022-03-01T10:00"), 0, &mem),
	    at("2022-04-05T09:00"));
	assert_string_equal(due(&cfg, "2022-04-05T09:00", 0, &mem, out, 1),
	    "not-validated");
	assert_int_equal(out[0].priority, LOG_WARNING);
	assert_string_equal(out[0].summary, "Validate your visa before "
	    "2022-04-26 (3 months after arrival)");
	assert_non_null(strstr(out[0].body, "validated_on"));
	assert_string_equal(due(&cfg, "2022-04-08T09:00", 0, &mem, out, 1), "");
	assert_string_equal(due(&cfg, "2022-04-27T09:00", 0, &mem, out, 1),
	    "not-validated");
	assert_int_equal(out[0].priority, LOG_ERR);
	assert_string_equal(out[0].summary, "Visa validation deadline passed "
	    "on 2022-04-26 (3 months after arrival)");
	/* No dates at all: nothing is ever due. */
	config_clear(&cfg);
	config_init(&cfg);
	memset(&mem, 0, sizeof(mem));
	assert_string_equal(due(&cfg, "2022-04-27T09:00", 0, &mem, out, 1), "");
	assert_int_equal(alerts_next(&cfg, at("2022-04-27T09:00"), 0, &mem), 0);
	config_clear(&cfg);
}

static void
test_month_arithmetic(void **state)
{
	struct config_date d = { 2023, 5, 31 };

	(void)state;
	assert_int_equal(alerts_local_time(&d, -4, 0, 9), at("2023-01-31T09:00"));
	assert_int_equal(alerts_local_time(&d, -3, 0, 9), at("2023-02-28T09:00"));
	d = (struct config_date){ 2024, 3, 31 };
	assert_int_equal(alerts_local_time(&d, -1, 0, 9), at("2024-02-29T09:00"));
	d = (struct config_date){ 2023, 1, 25 };
	assert_int_equal(alerts_local_time(&d, -4, 0, 9), at("2022-09-25T09:00"));
	assert_int_equal(alerts_local_time(&d, 0, 45, 9), at("2023-03-11T09:00"));
	/* Across the March DST change: still 09:00 local. */
	d = (struct config_date){ 2022, 3, 1 };
	assert_int_equal(alerts_local_time(&d, 0, 45, 9), at("2022-04-15T09:00"));
}

/* A candidate that cannot be read is named, with what its headers said. */
static void
test_unread_names_the_mail(void **state)
{
	char id[] = "<x@ofii.fr>", from[] = "convocation@ofii.fr",
	    subject[] = "Convocation visite médicale", date[] = "";
	struct mail_facts hdr = { id, from, subject, date, (time_t)-1, 0, 0 };
	struct alert a;

	(void)state;
	alert_unread_make(&a, "INBOX/7", &hdr, "the reader was killed by "
	    "signal 11 (Segmentation fault)");
	assert_int_equal(a.kind, ALERT_UNREADABLE);
	assert_string_equal(alert_kind_name(a.kind), "unreadable");
	assert_int_equal(a.priority, LOG_ERR);
	assert_string_equal(a.summary, "A mail that may be from OFII could not "
	    "be read");
	assert_string_equal(a.body, "The mail INBOX/7, \"Convocation visite "
	    "médicale\" from convocation@ofii.fr, could not be read (the "
	    "reader was killed by signal 11 (Segmentation fault)): open it in "
	    "your mail client, or save it and run 'ofii-watch -v parse' on "
	    "it.");
	/* Headers the reader could not read either: the label alone. */
	alert_unread_make(&a, "Junk/3", NULL, "the reader took too long");
	assert_string_equal(a.body, "The mail Junk/3 could not be read (the "
	    "reader took too long): open it in your mail client, or save it "
	    "and run 'ofii-watch -v parse' on it.");
}

static void
test_alert_command(void **state)
{
	char dir[] = "/tmp/ofii-test-alert.XXXXXX", cmd[512], path[256];
	struct alert a;
	struct config cfg;
	struct timespec t0, t1;
	char *out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	config_init(&cfg);
	memset(&a, 0, sizeof(a));
	a.kind = ALERT_LATE;
	a.priority = LOG_WARNING;
	snprintf(a.summary, sizeof(a.summary), "No OFII convocation yet");
	snprintf(a.body, sizeof(a.body), "Write to them; it's \"urgent\" $HOME");
	snprintf(path, sizeof(path), "%s/env", dir);
	snprintf(cmd, sizeof(cmd), "printf '%%s|%%s|%%s' \"$OFII_ALERT_KIND\" "
	    "\"$OFII_ALERT_SUMMARY\" \"$OFII_ALERT_BODY\" > %s", path);
	cfg.alert_command = strdup(cmd);
	alert_send(&cfg, &a);
	out = testutil_read(path, NULL);
	assert_string_equal(out, "late|No OFII convocation yet|Write to them; "
	    "it's \"urgent\" $HOME");
	free(out);

	/* A hanging command is killed after `timeout`; the caller goes on. */
	free(cfg.alert_command);
	cfg.alert_command = strdup("sleep 30 | cat");
	cfg.timeout = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alert_send(&cfg, &a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	/* A failing one is only logged. */
	free(cfg.alert_command);
	cfg.alert_command = strdup("exit 4");
	alert_send(&cfg, &a);
	config_clear(&cfg);
	unlink(path);
	rmdir(dir);
}

/*
 * Desktop notifications over a real session bus: run by
 * tests/integration/t_alerts.sh, which starts dbus-daemon and a stand-in
 * notification daemon logging to $OFII_TEST_NOTIFY_LOG.
 */
static void
test_desktop_notification(void **state)
{
	const char *log = getenv("OFII_TEST_NOTIFY_LOG");
	struct config cfg;
	struct alert a;
	char *got;

	(void)state;
	if (log == NULL)
		skip();
	config_init(&cfg);
	cfg.notify = NOTIFY_DESKTOP;
	memset(&a, 0, sizeof(a));
	a.kind = ALERT_FOUND;
	a.priority = LOG_INFO;
	snprintf(a.summary, sizeof(a.summary), "OFII convocation found: "
	    "medical visit on 2022-03-08 at 09:30");
	snprintf(a.body, sizeof(a.body), "OFII - Service médical, 12 rue "
	    "Chevreul, 69007 Lyon");
	alert_send(&cfg, &a);
	got = testutil_read(log, NULL);
	assert_string_equal(got, "{\"app\": \"ofii-watch\", \"icon\": "
	    "\"dialog-information\", \"summary\": \"OFII convocation found: "
	    "medical visit on 2022-03-08 at 09:30\", \"body\": \"OFII - "
	    "Service médical, 12 rue Chevreul, 69007 Lyon\"}\n");
	free(got);
	config_clear(&cfg);
}

/*
 * A hostile subject reaches the body: with a server that reads the body
 * as markup (the stand-in says body-markup), links, images and '&' are
 * escaped, shown and never rendered.
 */
static void
test_desktop_notification_escaped(void **state)
{
	const char *log = getenv("OFII_TEST_NOTIFY_LOG");
	struct config cfg;
	struct alert a;
	char *got;
	FILE *f;

	(void)state;
	if (log == NULL)
		skip();
	assert_non_null(f = fopen(log, "w"));	/* this alert's line only */
	fclose(f);
	config_init(&cfg);
	cfg.notify = NOTIFY_DESKTOP;
	memset(&a, 0, sizeof(a));
	a.kind = ALERT_PHISHING;
	a.priority = LOG_WARNING;
	snprintf(a.summary, sizeof(a.summary), "Looks like phishing");
	snprintf(a.body, sizeof(a.body), "The mail \"<a href=\"http://0fii.fr/"
	    "pay\">Pay</a> <img src='http://0fii.fr/t.png'> R&D\" imitates "
	    "OFII");
	alert_send(&cfg, &a);
	got = testutil_read(log, NULL);
	assert_string_equal(got, "{\"app\": \"ofii-watch\", \"icon\": "
	    "\"dialog-warning\", \"summary\": \"Looks like phishing\", "
	    "\"body\": \"The mail &quot;&lt;a href=&quot;http://0fii.fr/pay"
	    "&quot;&gt;Pay&lt;/a&gt; &lt;img src=&apos;http://0fii.fr/t.png"
	    "&apos;&gt; R&amp;D&quot; imitates OFII\"}\n");
	free(got);
	config_clear(&cfg);
}

/* notify = desktop without any session bus: logged, nothing else. */
static void
test_desktop_without_bus(void **state)
{
	struct config cfg;
	struct alert a;
	char *saved = getenv("DBUS_SESSION_BUS_ADDRESS");

	(void)state;
	saved = saved ? strdup(saved) : NULL;
	setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", 1);
	config_init(&cfg);
	cfg.notify = NOTIFY_DESKTOP;
	memset(&a, 0, sizeof(a));
	a.kind = ALERT_LATE;
	a.priority = LOG_WARNING;
	alert_send(&cfg, &a);
	config_clear(&cfg);
	if (saved) {
		setenv("DBUS_SESSION_BUS_ADDRESS", saved, 1);
		free(saved);
	} else
		unsetenv("DBUS_SESSION_BUS_ADDRESS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_late_schedule),
		cmocka_unit_test(test_configured_delays),
		cmocka_unit_test(test_renewal_escalation),
		cmocka_unit_test(test_not_validated),
		cmocka_unit_test(test_month_arithmetic),
		cmocka_unit_test(test_unread_names_the_mail),
		cmocka_unit_test(test_alert_command),
		cmocka_unit_test(test_desktop_without_bus),
		cmocka_unit_test(test_desktop_notification),
		cmocka_unit_test(test_desktop_notification_escaped),
	};

	return cmocka_run_group_tests_name("alerts", tests, setup, NULL);
}
