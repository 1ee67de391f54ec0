/*
 * test_sinks: the vdir and single-file sinks: private modes, one <UID>.ics
 * per event, unchanged content never rewritten, a failing sink keeps its
 * changes queued and delivers them once it works again.
 *
 * With OFII_TEST_VDIR set, test_khal_vdir also writes a vdir there (Lyon,
 * Cayenne, Réunion, a DST-gap and a DST-overlap appointment) for
 * tests/integration/t_calendar.sh to read with khal.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <unistd.h>

#include "testutil.h"

#include "calendar/calendar.h"
#include "config/config.h"
#include "sinks/sinks.h"
#include "store/state.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ofii-test-sinks.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void
convocation(struct convocation *c, const char *tzid, const char *pc,
    struct walltime start, const char *person)
{
	memset(c, 0, sizeof(*c));
	c->trust = TRUST_VERIFIED;
	c->kind = KIND_CONVOCATION;
	c->nappts = 1;
	c->appts[0].type = APPT_MEDICAL;
	c->appts[0].start = start;
	c->appts[0].tzid = tzid;
	c->appts[0].place = (char *)"OFII, 1 rue de la Paix, 75002 Paris";
	memcpy(c->appts[0].postal_code, pc, 6);
	c->xray_on_site = 1;
	c->person = (char *)person;
}

static const struct mail_source src = { "Convocation", "Mon, 21 Feb 2022 "
    "09:00:00 +0100", -1 };

static void
add(struct state *st, const struct convocation *c, time_t now)
{
	struct config cfg;
	struct event_list l = { NULL, 0 };
	char *err = NULL;

	config_init(&cfg);
	assert_int_equal(calendar_from_convocation(c, &src, &cfg, st, now, &l,
	    &err), 0);
	assert_int_equal(calendar_commit(st, &l, &err), 0);
	event_list_free(&l);
	config_clear(&cfg);
}

static char *
file_of(const char *d, const struct state_event *ev)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s.ics", d, ev->event.uid) > 0);
	return p;
}

static void
test_vdir(void **state)
{
	struct state *st = state_new(NULL);
	struct convocation c;
	struct stat sb, sb2;
	char *vdir, *f, *err = NULL, *text;

	(void)state;
	assert_true(asprintf(&vdir, "%s/cal/ofii", dir) > 0);
	convocation(&c, "Europe/Paris", "75002", (struct walltime){ 2022, 3,
	    8, 9, 30 }, "A");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	assert_int_equal(sink_vdir_sync(vdir, st, &err), 0);
	assert_null(err);
	assert_int_equal(stat(vdir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	f = file_of(vdir, &st->events[0]);
	assert_int_equal(stat(f, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	text = testutil_read(f, NULL);
	assert_string_equal(text, st->events[0].event.ics);
	free(text);
	assert_false(state_event_pending(&st->events[0], SINK_VDIR));

	/* Same mail again, sync again: the file is not touched. */
	add(st, &c, testutil_utc(2022, 2, 23, 10, 0));
	assert_int_equal(sink_vdir_sync(vdir, st, &err), 0);
	assert_int_equal(stat(f, &sb2), 0);
	assert_int_equal(sb2.st_ino, sb.st_ino);
	/* Even when forced, identical content is not rewritten. */
	st->events[0].delivered[SINK_VDIR][0] = '\0';
	assert_int_equal(sink_vdir_sync(vdir, st, &err), 0);
	assert_int_equal(stat(f, &sb2), 0);
	assert_int_equal(sb2.st_ino, sb.st_ino);

	/* A reschedule replaces the file (new inode: written by rename). */
	c.appts[0].start.day = 9;
	add(st, &c, testutil_utc(2022, 2, 24, 10, 0));
	assert_true(state_event_pending(&st->events[0], SINK_VDIR));
	assert_int_equal(sink_vdir_sync(vdir, st, &err), 0);
	assert_int_equal(stat(f, &sb2), 0);
	assert_int_not_equal(sb2.st_ino, sb.st_ino);
	text = testutil_read(f, NULL);
	assert_non_null(strstr(text, "SEQUENCE:1\r\n"));
	assert_non_null(strstr(text, "20220309T093000"));
	free(text);

	/* A sink that fails keeps the change queued, then delivers it. */
	c.appts[0].start.day = 10;
	add(st, &c, testutil_utc(2022, 2, 25, 10, 0));
	assert_int_equal(chmod(vdir, 0500), 0);
	if (geteuid() != 0) {		/* root writes anyway */
		assert_int_equal(sink_vdir_sync(vdir, st, &err), -1);
		assert_non_null(strstr(err, "cannot write"));
		free(err);
		err = NULL;
		assert_true(state_event_pending(&st->events[0], SINK_VDIR));
	}
	assert_int_equal(chmod(vdir, 0700), 0);
	assert_int_equal(sink_vdir_sync(vdir, st, &err), 0);
	assert_false(state_event_pending(&st->events[0], SINK_VDIR));
	text = testutil_read(f, NULL);
	assert_non_null(strstr(text, "SEQUENCE:2\r\n"));
	free(text);
	free(f);
	free(vdir);
	state_free(st);
}

static void
test_vdir_blocked_then_free(void **state)
{
	struct state *st = state_new(NULL);
	struct convocation c;
	char *vdir, *err = NULL;
	FILE *fp;

	(void)state;
	/* The vdir path is a plain file: fails (also as root), stays queued */
	assert_true(asprintf(&vdir, "%s/blocked", dir) > 0);
	fp = fopen(vdir, "w");
	assert_non_null(fp);
	fclose(fp);
	convocation(&c, "Europe/Paris", "75002", (struct walltime){ 2022, 3,
	    8, 9, 30 }, "B");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	assert_int_equal(sink_vdir_sync(vdir, st, &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	assert_true(state_event_pending(&st->events[0], SINK_VDIR));
	assert_int_equal(unlink(vdir), 0);
	assert_int_equal(sink_vdir_sync(vdir, st, &err), 0);
	assert_false(state_event_pending(&st->events[0], SINK_VDIR));
	free(vdir);
	state_free(st);
}

/* An event UID that would leave the folder is never used in a path. */
static void
test_vdir_refuses_bad_uid(void **state)
{
	struct state *st = state_new(NULL);
	struct convocation c;
	char *vdir, *outside, *err = NULL;

	(void)state;
	assert_true(asprintf(&vdir, "%s/cal", dir) > 0);
	assert_true(asprintf(&outside, "%s/evil.ics", dir) > 0);
	convocation(&c, "Europe/Paris", "75002", (struct walltime){ 2022, 3,
	    8, 9, 30 }, "C");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	free(st->events[0].event.uid);
	assert_non_null(st->events[0].event.uid = strdup("../evil"));
	assert_int_equal(sink_vdir_sync(vdir, st, &err), -1);
	assert_non_null(strstr(err, "an event whose UID cannot be a file name"));
	free(err);
	assert_int_equal(access(outside, F_OK), -1);
	assert_true(state_event_pending(&st->events[0], SINK_VDIR));
	free(outside);
	free(vdir);
	state_free(st);
}

static void
test_file_sink(void **state)
{
	struct state *st = state_new(NULL);
	struct convocation c;
	struct stat sb, sb2;
	char *path, *err = NULL, *text;

	(void)state;
	assert_true(asprintf(&path, "%s/share/ofii.ics", dir) > 0);
	convocation(&c, "Europe/Paris", "75002", (struct walltime){ 2022, 3,
	    8, 9, 30 }, "A");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	convocation(&c, "America/Cayenne", "97300", (struct walltime){ 2022,
	    3, 9, 9, 30 }, "B");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	assert_int_equal(sink_file_sync(path, st, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	text = testutil_read(path, NULL);
	assert_non_null(strstr(text, "METHOD:PUBLISH\r\n"));
	assert_non_null(strstr(text, "TZID:Europe/Paris\r\n"));
	assert_non_null(strstr(text, "TZID:America/Cayenne\r\n"));
	assert_non_null(strstr(text,
	    "DTSTART;TZID=America/Cayenne:20220309T093000\r\n"));
	free(text);
	/* Nothing pending: not even opened. */
	assert_int_equal(sink_file_sync(path, st, &err), 0);
	assert_int_equal(stat(path, &sb2), 0);
	assert_int_equal(sb2.st_ino, sb.st_ino);
	free(path);
	state_free(st);
}

/* A vdir for khal (t_calendar.sh); skipped unless OFII_TEST_VDIR is set. */
static void
test_khal_vdir(void **state)
{
	const char *out = getenv("OFII_TEST_VDIR");
	struct state *st;
	struct convocation c;
	char *err = NULL;

	(void)state;
	if (out == NULL || *out == '\0')
		skip();
	st = state_new(NULL);
	convocation(&c, "Europe/Paris", "69007", (struct walltime){ 2022, 3,
	    8, 9, 30 }, "Lyon Person");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	convocation(&c, "America/Cayenne", "97300", (struct walltime){ 2022,
	    3, 8, 9, 30 }, "Cayenne Person");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	convocation(&c, "Indian/Reunion", "97400", (struct walltime){ 2022,
	    3, 8, 9, 30 }, "Reunion Person");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	convocation(&c, "Europe/Paris", "75002", (struct walltime){ 2022, 3,
	    27, 2, 30 }, "Gap Person");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	convocation(&c, "Europe/Paris", "75002", (struct walltime){ 2022, 10,
	    30, 2, 30 }, "Overlap Person");
	add(st, &c, testutil_utc(2022, 2, 22, 10, 0));
	assert_int_equal(sink_vdir_sync(out, st, &err), 0);
	state_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vdir_blocked_then_free,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_vdir_refuses_bad_uid,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_sink, setup,
		    teardown),
		cmocka_unit_test(test_khal_vdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
