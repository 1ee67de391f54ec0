/*
 * test_caldav: the CalDAV sink against a real Radicale.  Skipped unless
 * tests/integration/t_caldav.sh started one and set:
 *   OFII_TEST_CALDAV_URL       collection URL (created by the script)
 *   OFII_TEST_CALDAV_USER      login
 *   OFII_TEST_CALDAV_PWFILE    file holding the password
 *   OFII_TEST_CALDAV_DIR       scratch directory (state, counter)
 *   OFII_TEST_CALDAV_PHASE     main | down | up (server stopped for "down")
 *                              | etag (OFII_TEST_ETAGDAV_URL: the stand-in
 *                              server tests/servers/etagdav.py)
 * The password command appends to a counter file, so "no request at all"
 * is observable: nothing pending means the password is not even fetched.
 */
#include <unistd.h>

#include <curl/curl.h>

#include "testutil.h"

#include "calendar/calendar.h"
#include "config/config.h"
#include "sinks/caldav.h"
#include "store/state.h"

#define ENV(n)	(getenv(n) ? getenv(n) : "")

static void
skip_unless(const char *phase)
{
	if (getenv("OFII_TEST_CALDAV_URL") == NULL ||
	    strcmp(ENV("OFII_TEST_CALDAV_PHASE"), phase) != 0)
		skip();
}

static void
make_config(struct config *cfg, const char *password_cmd)
{
	config_init(cfg);
	free(cfg->vdir);
	cfg->vdir = NULL;
	cfg->caldav_url = strdup(ENV("OFII_TEST_CALDAV_URL"));
	cfg->caldav_user = strdup(ENV("OFII_TEST_CALDAV_USER"));
	cfg->timeout = 10;
	if (password_cmd != NULL)
		cfg->caldav_password.command = strdup(password_cmd);
	else
		assert_true(asprintf(&cfg->caldav_password.command,
		    "echo x >> '%s/counter'; cat '%s'",
		    ENV("OFII_TEST_CALDAV_DIR"),
		    ENV("OFII_TEST_CALDAV_PWFILE")) > 0);
}

static int
fetches(void)
{
	char *p, *p2, *text;
	int n = 0;

	assert_true(asprintf(&p, "%s/counter", ENV("OFII_TEST_CALDAV_DIR")) > 0);
	if (access(p, F_OK) == 0) {
		text = testutil_read(p, NULL);
		for (p2 = text; *p2; p2++)
			n += *p2 == '\n';
		free(text);
	}
	free(p);
	return n;
}

static struct state *
load_state(void)
{
	struct state *st = NULL;
	char *p, *err = NULL;

	assert_true(asprintf(&p, "%s/state.json", ENV("OFII_TEST_CALDAV_DIR"))
	    > 0);
	assert_int_equal(state_load(p, &st, &err), 0);
	free(p);
	return st;
}

static size_t
collect(char *ptr, size_t size, size_t n, void *arg)
{
	FILE *f = arg;

	return fwrite(ptr, size, n, f);
}

/* GET a resource as someone else would see it; HTTP status, body. */
static long
server_get(const char *uid, const char *method, const char *body,
    char **bodyp)
{
	CURL *c = curl_easy_init();
	char *url, *pw, *userpwd, *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long status = 0;

	pw = testutil_read(ENV("OFII_TEST_CALDAV_PWFILE"), NULL);
	pw[strcspn(pw, "\n")] = '\0';
	assert_true(asprintf(&url, "%s%s.ics", ENV("OFII_TEST_CALDAV_URL"),
	    uid) > 0);
	assert_true(asprintf(&userpwd, "%s:%s", ENV("OFII_TEST_CALDAV_USER"),
	    pw) > 0);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	if (method != NULL) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	}
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	fclose(f);
	if (bodyp)
		*bodyp = buf;
	else
		free(buf);
	free(url);
	free(userpwd);
	free(pw);
	return status;
}

static struct convocation conv;

static void
lyon(enum conv_kind kind, int day, int hour)
{
	memset(&conv, 0, sizeof(conv));
	conv.trust = TRUST_VERIFIED;
	conv.kind = kind;
	conv.nappts = 1;
	conv.appts[0].type = APPT_MEDICAL;
	conv.appts[0].start = (struct walltime){ 2022, 3, day, hour, 30 };
	conv.appts[0].tzid = "Europe/Paris";
	conv.appts[0].place = (char *)"OFII, 12 rue Chevreul, 69007 Lyon";
	memcpy(conv.appts[0].postal_code, "69007", 6);
	conv.xray_on_site = 1;
	conv.person = (char *)"Kwame MENSAH";
}

static void
update(struct state *st, const struct config *cfg, time_t now)
{
	static const struct mail_source src = { "Convocation", "", -1 };
	struct event_list l = { NULL, 0 };
	char *err = NULL;

	assert_int_equal(calendar_from_convocation(&conv, &src, cfg, st, now,
	    &l, &err), 0);
	assert_int_equal(calendar_commit(st, &l, &err), 0);
	event_list_free(&l);
}

static void
test_main(void **state)
{
	struct config cfg, bad;
	struct state *st;
	struct state_event *ev;
	char *err = NULL, *body = NULL, *edited, *uid;
	int n0;

	(void)state;
	skip_unless("main");
	st = load_state();
	make_config(&cfg, NULL);
	n0 = fetches();

	/* create */
	lyon(KIND_CONVOCATION, 8, 9);
	update(st, &cfg, testutil_utc(2022, 2, 22, 10, 0));
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_null(err);
	ev = &st->events[0];
	uid = ev->event.uid;
	assert_false(state_event_pending(ev, SINK_CALDAV));
	assert_non_null(ev->etag);
	assert_int_equal(fetches(), n0 + 1);
	assert_int_equal(server_get(uid, NULL, NULL, &body), 200);
	assert_non_null(strstr(body, "UID:"));
	assert_non_null(strstr(body, uid));
	assert_non_null(strstr(body, "DTSTART;TZID=Europe/Paris:20220308T093000"));
	free(body);

	/* re-run, no change: no request at all (password not even fetched) */
	update(st, &cfg, testutil_utc(2022, 2, 23, 10, 0));
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_int_equal(fetches(), n0 + 1);

	/* update: reschedule */
	lyon(KIND_RESCHEDULE, 10, 14);
	update(st, &cfg, testutil_utc(2022, 2, 24, 10, 0));
	assert_true(state_event_pending(ev, SINK_CALDAV));
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_int_equal(fetches(), n0 + 2);
	assert_int_equal(server_get(uid, NULL, NULL, &body), 200);
	assert_non_null(strstr(body, "DTSTART;TZID=Europe/Paris:20220310T143000"));
	assert_non_null(strstr(body, "SEQUENCE:1"));
	free(body);

	/* someone edits it on the server: our ETag is stale -> 412 -> retry */
	edited = strdup(ev->event.ics);
	memcpy(strstr(edited, "TRANSP:OPAQUE"), "TRANSP:TRANSP", 13);
	assert_int_equal(server_get(uid, "PUT", edited, NULL), 201);
	free(edited);

	/* wrong password: clear error naming URL and user, never the password */
	lyon(KIND_CANCELLATION, 10, 14);
	update(st, &cfg, testutil_utc(2022, 2, 25, 10, 0));
	make_config(&bad, "echo Wrong-Pass-XYZ");
	assert_int_equal(caldav_sync(&bad, st, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, ENV("OFII_TEST_CALDAV_URL")));
	assert_non_null(strstr(err, "refused user 'ofii' (HTTP 401)"));
	assert_null(strstr(err, "Wrong-Pass"));
	free(err);
	err = NULL;
	assert_true(state_event_pending(ev, SINK_CALDAV));
	config_clear(&bad);

	/* cancel, through the 412 */
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_null(err);
	assert_false(state_event_pending(ev, SINK_CALDAV));
	assert_int_equal(server_get(uid, NULL, NULL, &body), 200);
	assert_non_null(strstr(body, "STATUS:CANCELLED"));
	assert_non_null(strstr(body, "SEQUENCE:2"));
	assert_non_null(strstr(body, "TRANSP:OPAQUE"));
	free(body);
	assert_int_equal(state_save(st, &err), 0);
	state_free(st);
	config_clear(&cfg);
}

/* Server stopped: the change stays queued in the saved state. */
static void
test_down(void **state)
{
	struct config cfg;
	struct state *st;
	char *err = NULL;

	(void)state;
	skip_unless("down");
	st = load_state();
	make_config(&cfg, NULL);
	lyon(KIND_CONVOCATION, 15, 10);
	conv.appts[0].type = APPT_CIR;
	update(st, &cfg, testutil_utc(2022, 2, 26, 10, 0));
	assert_int_equal(st->nevents, 2);
	assert_true(state_event_pending(&st->events[1], SINK_CALDAV));
	assert_int_equal(caldav_sync(&cfg, st, &err), -1);
	assert_non_null(strstr(err, "Couldn't connect to server"));
	free(err);
	assert_true(state_event_pending(&st->events[1], SINK_CALDAV));
	assert_int_equal(state_save(st, NULL), 0);
	printf("queued %s\n", st->events[1].event.uid);
	state_free(st);
	config_clear(&cfg);
}

/* Server back: the queued change is delivered, then nothing more. */
static void
test_up(void **state)
{
	struct config cfg;
	struct state *st;
	char *err = NULL, *body = NULL;
	int n0;

	(void)state;
	skip_unless("up");
	st = load_state();
	make_config(&cfg, NULL);
	assert_true(state_event_pending(&st->events[1], SINK_CALDAV));
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_false(state_event_pending(&st->events[1], SINK_CALDAV));
	assert_int_equal(server_get(st->events[1].event.uid, NULL, NULL, &body), 200);
	assert_non_null(strstr(body, "DTSTART;TZID=Europe/Paris:20220315T103000"));
	free(body);
	n0 = fetches();
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_int_equal(fetches(), n0);
	assert_int_equal(state_save(st, NULL), 0);
	state_free(st);
	config_clear(&cfg);
}

/* GET url with no credentials (the stand-in asks none): status, body. */
static long
plain_get(const char *url, char **bodyp)
{
	CURL *c = curl_easy_init();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long status = 0;

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	fclose(f);
	*bodyp = buf;
	return status;
}

/*
 * ETags: one above libcurl's cap on a header line is reported as what it
 * is, not as "Out of memory", and the event stays queued; one too long to
 * keep (4,000 bytes) still lets the event be created and then updated.
 */
static void
test_etag(void **state)
{
	const char *base = getenv("OFII_TEST_ETAGDAV_URL");
	struct config cfg;
	struct state *st;
	char *err = NULL, *url, *body = NULL, *p;

	(void)state;
	if (base == NULL || strcmp(ENV("OFII_TEST_CALDAV_PHASE"), "etag") != 0)
		skip();
	config_init(&cfg);
	free(cfg.vdir);
	cfg.vdir = NULL;
	cfg.timeout = 10;
	assert_true(asprintf(&cfg.caldav_url, "%shuge/", base) > 0);
	assert_true(asprintf(&p, "%s/etag-state.json",
	    ENV("OFII_TEST_CALDAV_DIR")) > 0);
	st = state_new(p);
	free(p);
	lyon(KIND_CONVOCATION, 8, 9);
	update(st, &cfg, testutil_utc(2022, 2, 22, 10, 0));
	assert_int_equal(caldav_sync(&cfg, st, &err), -1);
	assert_non_null(err);
	print_message("huge ETag: %s\n", err);
	assert_null(strstr(err, "Out of memory"));
	assert_non_null(strstr(err, "header line longer than libcurl reads"));
	free(err);
	err = NULL;
	assert_true(state_event_pending(&st->events[0], SINK_CALDAV));

	free(cfg.caldav_url);
	assert_true(asprintf(&cfg.caldav_url, "%slong/", base) > 0);
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_false(state_event_pending(&st->events[0], SINK_CALDAV));
	assert_null(st->events[0].etag);	/* too long to keep */
	lyon(KIND_RESCHEDULE, 15, 10);
	update(st, &cfg, testutil_utc(2022, 3, 1, 10, 0));
	assert_true(state_event_pending(&st->events[0], SINK_CALDAV));
	assert_int_equal(caldav_sync(&cfg, st, &err), 0);
	assert_false(state_event_pending(&st->events[0], SINK_CALDAV));
	assert_true(asprintf(&url, "%s%s.ics", cfg.caldav_url,
	    st->events[0].event.uid) > 0);
	assert_int_equal(plain_get(url, &body), 200);
	assert_non_null(strstr(body, "DTSTART;TZID=Europe/Paris:20220315T103000"));
	free(body);
	free(url);
	state_free(st);
	config_clear(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main),
		cmocka_unit_test(test_down),
		cmocka_unit_test(test_up),
		cmocka_unit_test(test_etag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
