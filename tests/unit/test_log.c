/*
 * test_log: destinations, prefixes, levels and sanitizing of the log API;
 * and the OFII_WATCH_NOW clock override.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "testutil.h"

#include "lib/clock.h"
#include "lib/log.h"

/* Run fn with stderr redirected to a file; return what it wrote. */
static char *
capture(void (*fn)(void))
{
	char path[] = "/tmp/ofii-test-log.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	char *out;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	out = testutil_read(path, NULL);
	unlink(path);
	return out;
}

static void
emit_all_levels(void)
{
	log_init("/usr/bin/ofii-watch", LOG_INFO);
	log_debug("debug %d", 1);
	log_info("info %s", "two");
	log_warnx("warn three");
	errno = ENOENT;
	log_warn("open %s", "/x");
	log_errx("err five");
}

static void
test_prefixes_when_not_a_tty(void **state)
{
	char *out;

	(void)state;
	unsetenv("JOURNAL_STREAM");
	out = capture(emit_all_levels);
	assert_string_equal(out,
	    "<6>info two\n"
	    "<4>warn three\n"
	    "<4>open /x: No such file or directory\n"
	    "<3>err five\n");
	free(out);
}

static void
emit_debug_level(void)
{
	log_init("ofii-watch", LOG_DEBUG);
	log_debug("now visible");
	log_setlevel(LOG_WARNING);
	log_info("quiet: dropped");
	log_warnx("kept");
}

static void
test_levels(void **state)
{
	char *out;

	(void)state;
	out = capture(emit_debug_level);
	assert_string_equal(out, "<7>now visible\n<4>kept\n");
	free(out);
}

static void
emit_hostile(void)
{
	log_init("ofii-watch", LOG_INFO);
	/* A subject from a mail trying to forge a second log line. */
	log_info("subject: %s", "Convocation\r\n<3>fake error\x1b[31m\tend");
}

static void
test_control_chars_replaced(void **state)
{
	char *out;

	(void)state;
	out = capture(emit_hostile);
	assert_string_equal(out, "<6>subject: Convocation?" "?<3>fake error?[31m "
	    "end\n");
	free(out);
}

static void
emit_alert(void)
{
	log_init("ofii-watch", LOG_INFO);
	log_alert(LOG_WARNING, MSGID_NO_CONVOCATION, "late",
	    "no convocation %d days after validation", 46);
}

/*
 * JOURNAL_STREAM naming another file is not the journal: the alert must
 * still reach stderr, with its priority.
 */
static void
test_alert_without_journal(void **state)
{
	char *out;

	(void)state;
	setenv("JOURNAL_STREAM", "8:12345", 1);
	out = capture(emit_alert);
	assert_string_equal(out, "<4>no convocation 46 days after validation\n");
	free(out);
	unsetenv("JOURNAL_STREAM");
	assert_int_equal(strlen(MSGID_NO_CONVOCATION), 32);
}

static void
test_clock_override(void **state)
{
	char *err = NULL;
	time_t t;

	(void)state;
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	assert_int_equal(clock_parse("2022-03-08T09:30", &t), 0);
	assert_int_equal(t, 1646728200);		/* 08:30Z */
	assert_int_equal(clock_parse("2022-07-08T09:30:15", &t), 0);
	assert_int_equal(t, 1657265415);		/* 07:30:15Z, summer */
	assert_int_equal(clock_parse("2022-03-08T09:30Z", &t), 0);
	assert_int_equal(t, 1646731800);
	assert_int_equal(clock_parse("2022-02-30T09:30", &t), -1);
	assert_int_equal(clock_parse("2022-03-08", &t), -1);
	assert_int_equal(clock_parse("2022-03-08T09:30+01", &t), -1);
	assert_int_equal(clock_parse("yesterday", &t), -1);

	setenv("OFII_WATCH_NOW", "2023-10-03T14:07", 1);
	assert_int_equal(clock_init(&err), 0);
	assert_int_equal(clock_now(), 1696334820);
	setenv("OFII_WATCH_NOW", "3 Oct", 1);
	assert_int_equal(clock_init(&err), -1);
	assert_string_equal(err, "OFII_WATCH_NOW=3 Oct: expected "
	    "YYYY-MM-DDTHH:MM (local time) or YYYY-MM-DDTHH:MMZ (UTC)");
	free(err);
	unsetenv("OFII_WATCH_NOW");
	assert_int_equal(clock_init(&err), 0);
	assert_true(clock_now() - time(NULL) < 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes_when_not_a_tty),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_control_chars_replaced),
		cmocka_unit_test(test_alert_without_journal),
		cmocka_unit_test(test_clock_override),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
