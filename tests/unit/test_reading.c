/*
 * test_reading: the reader program's JSON both ways (daemon/reading.c),
 * and running the reader (daemon/reader.c): the real one on real mails,
 * and stand-ins for each way it can fail.
 *
 * The real reader is the one next to the tests' build
 * (build/asan/ofii-watch-reader, named by OFII_WATCH_READER).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "testutil.h"

#include "config/config.h"
#include "daemon/reader.h"
#include "lib/log.h"
#include "model/reading.h"
#include "reader/understand.h"

#define REAL_READER	"build/asan/ofii-watch-reader"

static char tmpdir[] = "/tmp/test_reading.XXXXXX";

/* The reading of `c` as the reader writes it. */
static char *
to_json(const struct mail_facts *f, const struct convocation *c)
{
	struct json_object *o = json_object_new_object();
	char *s;

	assert_non_null(o);
	assert_int_equal(reading_add_json(o, f, c, 1), 0);
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

static void
facts_of(const struct message *m, struct mail_facts *f)
{
	f->message_id = m->message_id;
	f->from_addr = m->from_addr;
	f->subject = m->subject;
	f->date = m->date;
	f->date_utc = m->date_utc;
	f->unreadable_pdfs = 0;
	f->skipped_parts = (int)m->skipped_parts;
}

/*
 * (m, c) read in this process and (f2, c2) read back give the same JSON.
 * Frees all four.
 */
static void
assert_same_reading(const char *path, struct message *m,
    struct convocation *c, struct mail_facts *f2, struct convocation *c2)
{
	struct mail_facts f;
	char *a, *b;

	facts_of(m, &f);
	a = to_json(&f, c);
	b = to_json(f2, c2);
	if (strcmp(a, b) != 0)
		fail_msg("%s:\n%s\n%s", path, a, b);
	assert_int_equal(c2->xray_on_site, c->xray_on_site);
	assert_true(f2->date_utc == f.date_utc);
	free(a);
	free(b);
	mail_facts_free(f2);
	convocation_free(c2);
	convocation_free(c);
	message_free(m);
}

/*
 * Every fixture mail, read in this process, written as JSON, read back
 * and written again: the same text, so nothing the daemon uses is lost
 * on the way (places, zones, the X-ray centre, items, person, dates).
 */
static void
test_round_trip_fixtures(void **state)
{
	static const char *const dirs[] = { "tests/fixtures/samples",
	    "tests/fixtures/mail/formats", "tests/fixtures/mail/distractors" };
	struct config cfg;
	size_t d, mails = 0, appts = 0;

	(void)state;
	config_init(&cfg);
	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *e;

		assert_non_null(dir);
		while ((e = readdir(dir)) != NULL) {
			struct message *m = NULL;
			struct convocation *c = NULL, *c2 = NULL;
			struct mail_facts f, *f2 = NULL;
			char path[512], *raw, *a, *err = NULL;
			size_t len;

			if (strstr(e->d_name, ".eml") == NULL)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[d],
			    e->d_name);
			raw = testutil_read(path, &len);
			if (understand_mail(raw, len, 0, &cfg, path, &m, &c,
			    &err) == -1) {
				free(err);
				free(raw);
				continue;
			}
			facts_of(m, &f);
			a = to_json(&f, c);
			if (reading_from_json(a, strlen(a), &f2, &c2,
			    &err) == -1)
				fail_msg("%s: %s\n%s", path, err, a);
			mails++;
			appts += c->nappts;
			free(a);
			assert_same_reading(path, m, c, f2, c2);
			free(raw);
		}
		closedir(dir);
	}
	/* The corpus holds convocations, not only "other". */
	assert_true(mails >= 70);
	assert_true(appts >= 50);
	config_clear(&cfg);
}

/* Values are checked, never trusted. */
static void
test_rejects_bad_readings(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[]",
		"{\"kind\":\"convocation\"}",
		"{\"sender_trust\":\"verified\",\"kind\":\"summons\","
		    "\"appointments\":[],\"items_to_bring\":[]}",
		"{\"sender_trust\":\"trusted\",\"kind\":\"other\","
		    "\"appointments\":[],\"items_to_bring\":[]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"other\","
		    "\"appointments\":{},\"items_to_bring\":[]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"other\","
		    "\"appointments\":[],\"items_to_bring\":[\"cash\"]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"convocation\","
		    "\"appointments\":[{\"type\":\"medical\",\"start\":"
		    "\"2023-13-01T09:00\",\"tzid\":\"Europe/Paris\"}],"
		    "\"items_to_bring\":[]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"convocation\","
		    "\"appointments\":[{\"type\":\"medical\",\"start\":"
		    "\"2023-03-01T09:00\",\"tzid\":\"Mars/Olympus\"}],"
		    "\"items_to_bring\":[]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"convocation\","
		    "\"appointments\":[{\"type\":\"medical\",\"start\":"
		    "\"2023-03-01T09:00\",\"postal_code\":\"7501X\"}],"
		    "\"items_to_bring\":[]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"convocation\","
		    "\"appointments\":[{\"type\":\"medical\"}],"
		    "\"items_to_bring\":[]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"other\","
		    "\"appointments\":[],\"items_to_bring\":[],\"from\":7}",
		"{\"sender_trust\":\"domain\",\"kind\":\"other\","
		    "\"appointments\":[],\"items_to_bring\":[],"
		    "\"date_utc\":\"yesterday\"}",
		/* more appointments than a convocation can hold */
		"{\"sender_trust\":\"domain\",\"kind\":\"convocation\","
		    "\"appointments\":[1,2,3,4,5,6,7,8,9],\"items_to_bring\":[]}",
		/* a note nobody writes */
		"{\"sender_trust\":\"domain\",\"kind\":\"other\","
		    "\"appointments\":[],\"items_to_bring\":[],"
		    "\"notes\":[\"trust_me\"]}",
		"{\"sender_trust\":\"domain\",\"kind\":\"other\","
		    "\"appointments\":[],\"items_to_bring\":[],"
		    "\"notes\":\"structured_source_disagrees\"}",
		/* a slot's person that is not a string */
		"{\"sender_trust\":\"domain\",\"kind\":\"convocation\","
		    "\"appointments\":[{\"type\":\"medical\",\"start\":"
		    "\"2023-03-01T09:00\",\"person\":[\"Ana\"]}],"
		    "\"items_to_bring\":[]}",
		/* deeper than a reading ever is */
		"{\"sender_trust\":\"domain\",\"kind\":\"other\",\"x\":"
		    "[[[[[[[[[[[[1]]]]]]]]]]]],\"appointments\":[],"
		    "\"items_to_bring\":[]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mail_facts *f = NULL;
		struct convocation *c = NULL;
		char *err = NULL;

		if (reading_from_json(bad[i], strlen(bad[i]), &f, &c,
		    &err) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(err);
		assert_null(f);
		assert_null(c);
		free(err);
	}
}

/* The smallest reading: absent members are empty, not missing. */
static void
test_minimal_reading(void **state)
{
	static const char ok[] = "{\"sender_trust\":\"untrusted\","
	    "\"kind\":\"other\",\"appointments\":[],\"items_to_bring\":[]}";
	struct mail_facts *f = NULL;
	struct convocation *c = NULL;
	char *err = NULL;

	(void)state;
	assert_int_equal(reading_from_json(ok, strlen(ok), &f, &c, &err), 0);
	assert_string_equal(f->message_id, "");
	assert_string_equal(f->from_addr, "");
	assert_string_equal(f->subject, "");
	assert_true(f->date_utc == (time_t)-1);
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->trust, TRUST_UNTRUSTED);
	assert_null(c->xray);
	assert_null(c->person);
	mail_facts_free(f);
	convocation_free(c);
}

/* A family letter's slots keep their person, and the notes come back. */
static void
test_slot_person_and_notes(void **state)
{
	static const char in[] = "{\"sender_trust\":\"verified\","
	    "\"kind\":\"convocation\",\"appointments\":["
	    "{\"type\":\"medical\",\"start\":\"2026-03-05T09:00\","
	    "\"tzid\":\"Europe/Paris\",\"person\":\"Ana SOUZA\"},"
	    "{\"type\":\"medical\",\"start\":\"2026-03-05T09:30\","
	    "\"tzid\":\"Europe/Paris\",\"person\":null}],"
	    "\"items_to_bring\":[],\"notes\":[\"structured_source_disagrees\"],"
	    "\"person\":\"Tom SOUZA\"}";
	struct mail_facts *f = NULL;
	struct convocation *c = NULL;
	char *err = NULL, *out;

	(void)state;
	assert_int_equal(reading_from_json(in, strlen(in), &f, &c, &err), 0);
	assert_int_equal(c->nappts, 2);
	assert_string_equal(c->appts[0].person, "Ana SOUZA");
	assert_null(c->appts[1].person);
	assert_string_equal(c->person, "Tom SOUZA");
	assert_int_equal(c->notes, 1u << NOTE_STRUCTURED_SOURCE_DISAGREES);
	out = to_json(f, c);
	assert_non_null(strstr(out, "\"city\":null,\"person\":\"Ana SOUZA\"}"));
	assert_non_null(strstr(out, "\"previous_start\":null,"
	    "\"notes\":[\"structured_source_disagrees\"],\"person\":"));
	free(out);
	mail_facts_free(f);
	convocation_free(c);
}

/* The real reader program gives what this process reads itself. */
static void
test_real_reader(void **state)
{
	static const char path[] =
	    "tests/fixtures/samples/01_angers_pdf_only_xray_centre.eml";
	struct config cfg;
	struct message *m = NULL;
	struct convocation *c = NULL, *c2 = NULL;
	struct mail_facts *f2 = NULL;
	char *raw, *err = NULL;
	size_t len;
	int i;

	(void)state;
	config_init(&cfg);
	raw = testutil_read(path, &len);
	assert_int_equal(understand_mail(raw, len, 0, &cfg, path, &m, &c, &err),
	    0);
	if (reader_read(raw, len, 0, &cfg, path, &f2, &c2, &err) != READER_OK)
		fail_msg("reader: %s", err);
	assert_int_equal(c2->kind, KIND_CONVOCATION);
	assert_non_null(c2->xray);
	assert_same_reading(path, m, c, f2, c2);

	/* An empty mail: nothing to write, and no wait for a deadline. */
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(reader_read_within("", 0, 0, &cfg, "empty", 20000,
		    &f2, &c2, &err), READER_OK);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		assert_true(t1.tv_sec - t0.tv_sec < 10);
		assert_int_equal(c2->kind, KIND_OTHER);
		mail_facts_free(f2);
		convocation_free(c2);
	}

	/* A damaged PDF is counted, so the daemon can say so. */
	{
		char *raw2 = testutil_read(
		    "tests/fixtures/poll/ofii_pdf_unreadable.eml", &len);

		assert_int_equal(reader_read(raw2, len, 0, &cfg, "damaged", &f2,
		    &c2, &err), READER_OK);
		assert_int_equal(f2->unreadable_pdfs, 1);
		assert_int_equal(c2->nappts, 0);
		mail_facts_free(f2);
		convocation_free(c2);
		free(raw2);
	}

	/*
	 * Over its size limit: still read, from its first max_message_size
	 * bytes, whether the reader gets more (and cuts it itself) or only
	 * those, said to be cut.  The PDF the cut goes through is dropped
	 * and counted: no appointment, but the daemon knows why.
	 */
	len = strlen(raw);
	cfg.max_message_size = len - 1000;
	for (i = 0; i < 2; i++) {
		assert_int_equal(reader_read(raw, i == 0 ? len : len - 1000,
		    i, &cfg, path, &f2, &c2, &err), READER_OK);
		assert_string_equal(f2->message_id, "<baeeefec-cdbd-4e97-a4f2-"
		    "4e8bb35ee855@edq-convoc02.ofii.fr>");
		assert_int_equal(c2->nappts, 0);
		assert_int_equal(f2->unreadable_pdfs, 0);
		assert_int_equal(f2->skipped_parts, 1);
		mail_facts_free(f2);
		convocation_free(c2);
	}
	free(raw);
	config_clear(&cfg);
}

/* Header blocks of a search result, in one run of the real reader: one
   answer each, in order, a bad one not spoiling the others. */
static void
test_batch(void **state)
{
	static const char a[] = "From: OFII <no-reply@ofii.fr>\r\n"
	    "Subject: =?UTF-8?Q?Convocation_=C3=A0_la_visite_m=C3=A9dicale?="
	    "\r\nMessage-ID: <a1@ofii.fr>\r\n\r\n";
	static const char b[] = "";
	static const char c[] = "From: Newsletter <news@example.com>\r\n"
	    "Subject: Weekly news\r\nMessage-ID: <n7@example.com>\r\n\r\n";
	struct reader_mail m[3] = {
		{ a, sizeof(a) - 1, "INBOX/1" }, { b, 0, "INBOX/2\nforged" },
		{ c, sizeof(c) - 1, "INBOX/3" }
	};
	struct reader_answer ans[3];
	struct config cfg;
	char *err = NULL;

	(void)state;
	config_init(&cfg);
	assert_int_equal(reader_read_batch(m, 3, &cfg, ans, &err), READER_OK);
	assert_int_equal(ans[0].rc, READER_OK);
	assert_string_equal(ans[0].facts->message_id, "<a1@ofii.fr>");
	assert_string_equal(ans[0].facts->from_addr, "no-reply@ofii.fr");
	assert_string_equal(ans[0].facts->subject,
	    "Convocation \xc3\xa0 la visite m\xc3\xa9" "dicale");
	assert_int_equal(ans[1].rc, READER_OK);
	assert_string_equal(ans[1].facts->message_id, "");
	assert_int_equal(ans[2].rc, READER_OK);
	assert_string_equal(ans[2].facts->from_addr, "news@example.com");
	reader_answers_free(ans, 3);

	/* Over the size limit: that one is read from its first bytes (a
	   whole From line, half a Subject), the others as before. */
	cfg.max_message_size = 60;
	assert_int_equal(reader_read_batch(m, 3, &cfg, ans, &err), READER_OK);
	assert_int_equal(ans[0].rc, READER_OK);
	assert_string_equal(ans[0].facts->from_addr, "no-reply@ofii.fr");
	assert_string_equal(ans[0].facts->message_id, "");
	assert_int_equal(ans[2].rc, READER_OK);
	assert_string_equal(ans[2].facts->from_addr, "news@example.com");
	reader_answers_free(ans, 3);

	/* More than one run holds (a server that ignores the search
	   criteria): every block is answered, in order. */
	{
		enum { MANY = 450 };
		struct reader_mail *many = calloc(MANY, sizeof(*many));
		struct reader_answer *mans = calloc(MANY, sizeof(*mans));
		char (*blocks)[96] = calloc(MANY, 96);
		size_t i;

		assert_non_null(many);
		assert_non_null(mans);
		assert_non_null(blocks);
		for (i = 0; i < MANY; i++) {
			snprintf(blocks[i], 96, "From: n%zu@example.com\r\n"
			    "Message-ID: <m%zu@example.com>\r\n\r\n", i, i);
			many[i].raw = blocks[i];
			many[i].len = strlen(blocks[i]);
			many[i].label = "INBOX/x";
		}
		assert_int_equal(reader_read_batch(many, MANY, &cfg, mans,
		    &err), READER_OK);
		for (i = 0; i < MANY; i++) {
			char want[64];

			snprintf(want, sizeof(want), "<m%zu@example.com>", i);
			assert_int_equal(mans[i].rc, READER_OK);
			assert_string_equal(mans[i].facts->message_id, want);
		}
		reader_answers_free(mans, MANY);
		free(mans);
		free(many);
		free(blocks);
	}

	/* A reader that answers for fewer mails than it was given. */
	setenv("OFII_WATCH_READER", "/bin/echo", 1);
	assert_int_equal(reader_read_batch(m, 3, &cfg, ans, &err),
	    READER_MAIL_FAILED);
	assert_non_null(strstr(err, "answered 1 of 3"));
	assert_null(ans[0].facts);
	free(err);
	setenv("OFII_WATCH_READER", REAL_READER, 1);
	config_clear(&cfg);
}

/* A stand-in reader: a shell script in the temporary directory. */
static void
use_script(const char *name, const char *body)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
	setenv("OFII_WATCH_READER", path, 1);
}

static enum reader_result
try_reader(long timeout_ms, size_t len, char **errp)
{
	struct config cfg;
	struct mail_facts *f = NULL;
	struct convocation *c = NULL;
	char *raw = calloc(1, len + 1);
	enum reader_result rc;

	assert_non_null(raw);
	memset(raw, 'x', len);
	config_init(&cfg);
	rc = reader_read_within(raw, len, 0, &cfg, "test", timeout_ms, &f, &c,
	    errp);
	if (rc == READER_OK) {
		mail_facts_free(f);
		convocation_free(c);
	}
	config_clear(&cfg);
	free(raw);
	return rc;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Alive: not gone, and not a zombie waiting for whoever adopted it (the
   container's init may be slow to reap). */
static int
running(pid_t pid)
{
	char path[64], line[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	if (p == NULL || (p = strrchr(line, ')')) == NULL)
		return 0;
	return p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/*
 * Each failure is classed: the mail's fault (READER_MAIL_FAILED: skip it,
 * it would fail again) or the reader's (READER_UNAVAILABLE: try again
 * later, the mail is not marked read).  Nothing hangs, nothing is left
 * running, and a reader that stops reading its input does not kill us
 * with SIGPIPE.
 */
static void
test_reader_failures(void **state)
{
	char *err = NULL, pidfile[300], buf[32];
	double t0;
	FILE *f;
	pid_t pid;

	(void)state;
	/* Not installed. */
	setenv("OFII_WATCH_READER", "/nonexistent/ofii-watch-reader", 1);
	assert_int_equal(try_reader(5000, 10, &err), READER_UNAVAILABLE);
	assert_non_null(strstr(err, "/nonexistent"));
	free(err);

	/* Says why, without reading its input (4 MiB: more than a pipe
	   holds, so the write fails with EPIPE). */
	use_script("error", "echo '{\"error\": \"larger than "
	    "max_message_size\"}'; exit 1");
	assert_int_equal(try_reader(5000, 4 << 20, &err), READER_MAIL_FAILED);
	assert_string_equal(err, "larger than max_message_size");
	free(err);

	/* Out of memory is not the mail's fault. */
	use_script("oom", "cat >/dev/null; echo '{\"error\": \"out of "
	    "memory\"}'; exit 1");
	assert_int_equal(try_reader(5000, 10, &err), READER_UNAVAILABLE);
	free(err);

	/* Fails without a word (a broken install). */
	use_script("mute", "exit 3");
	assert_int_equal(try_reader(5000, 10, &err), READER_UNAVAILABLE);
	assert_non_null(strstr(err, "exit status 3"));
	free(err);

	/* Writes something that is not a reading. */
	use_script("garbage", "cat >/dev/null; echo 'Segmentation fault?'");
	assert_int_equal(try_reader(5000, 10, &err), READER_MAIL_FAILED);
	assert_non_null(strstr(err, "reading"));
	free(err);

	/* Crashes, twice (it is run once more first). */
	snprintf(pidfile, sizeof(pidfile), "%s/runs", tmpdir);
	{
		char body[600];

		snprintf(body, sizeof(body), "cat >/dev/null; echo x >>%s; "
		    "kill -SEGV $$", pidfile);
		use_script("crash", body);
	}
	assert_int_equal(try_reader(5000, 10, &err), READER_MAIL_FAILED);
	assert_non_null(strstr(err, "signal 11"));
	free(err);
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_null(fgets(buf, sizeof(buf), f));
	fclose(f);

	/* Hangs, with a child of its own: both are killed at the deadline. */
	snprintf(pidfile, sizeof(pidfile), "%s/pid", tmpdir);
	{
		char body[600];

		snprintf(body, sizeof(body), "sleep 60 & echo $! >%s; wait",
		    pidfile);
		use_script("hang", body);
	}
	t0 = now_s();
	assert_int_equal(try_reader(300, 10, &err), READER_MAIL_FAILED);
	assert_true(now_s() - t0 < 5);
	assert_non_null(strstr(err, "too long"));
	free(err);
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	pid = (pid_t)atoi(buf);
	assert_true(pid > 1);
	usleep(100000);
	assert_false(running(pid));

	/* Floods its output. */
	use_script("flood", "cat >/dev/null; yes '{}'");
	assert_int_equal(try_reader(20000, 10, &err), READER_MAIL_FAILED);
	assert_non_null(strstr(err, "too much"));
	free(err);

	setenv("OFII_WATCH_READER", REAL_READER, 1);
}

static int
setup(void **state)
{
	(void)state;
	log_init("test_reading", LOG_ERR);
	setenv("TZ", "Europe/Paris", 1);
	setenv("OFII_WATCH_READER", REAL_READER, 1);
	if (access(REAL_READER, X_OK) == -1) {
		fprintf(stderr, "%s: not built (make %s)\n", REAL_READER,
		    REAL_READER);
		return -1;
	}
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_fixtures),
		cmocka_unit_test(test_rejects_bad_readings),
		cmocka_unit_test(test_minimal_reading),
		cmocka_unit_test(test_slot_person_and_notes),
		cmocka_unit_test(test_real_reader),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_reader_failures),
	};

	return cmocka_run_group_tests_name("reading", tests, setup, teardown);
}
