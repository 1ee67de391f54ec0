/*
 * test_state: the one state file: round trip of every field, atomic write
 * with private modes, bounded Message-ID list, corrupt file set aside and
 * rebuilt empty, pending/delivered marks per sink.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <unistd.h>

#include "testutil.h"

#include <json-c/json.h>

#include "store/atomic.h"
#include "store/state.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ofii-test-state.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static char *
path_in(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static int
count_entries(const char *d, const char *prefix)
{
	DIR *dp = opendir(d);
	struct dirent *de;
	int n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(dp);
	return n;
}

static void
test_missing_is_empty(void **state)
{
	struct state *st = NULL;
	char *p = path_in("none/state.json"), *err = NULL;

	(void)state;
	assert_int_equal(state_load(p, &st, &err), 0);
	assert_non_null(st);
	assert_int_equal(st->nevents, 0);
	assert_int_equal(st->nfolders, 0);
	assert_int_equal(st->last_poll, 0);
	assert_string_equal(st->path, p);
	state_free(st);
	free(p);
}

/* Consecutive download failures per folder: counted, reset by another
   message, cleared, and kept across a save and a load. */
static void
test_failures(void **state)
{
	struct state *st, *back = NULL;
	char *p = path_in("f/state.json"), *err = NULL;

	(void)state;
	st = state_new(p);
	assert_int_equal(state_failure_count(st, "INBOX", 7), 1);
	assert_int_equal(state_failure_count(st, "INBOX", 7), 2);
	assert_int_equal(state_failure_count(st, "Junk", 3), 1);
	assert_int_equal(state_failure_count(st, "INBOX", 8), 1);
	assert_int_equal(state_failure_count(st, "INBOX", 8), 2);
	assert_int_equal(state_save(st, &err), 0);
	assert_int_equal(state_load(p, &back, &err), 0);
	assert_int_equal(state_failure_count(back, "INBOX", 8), 3);
	assert_int_equal(state_failure_count(back, "Junk", 3), 2);
	state_failure_clear(back, "INBOX");
	state_failure_clear(back, "Nowhere");
	assert_int_equal(state_failure_count(back, "INBOX", 8), 1);
	state_failure_clear(back, "INBOX");
	state_failure_clear(back, "Junk");
	assert_int_equal(back->nfailures, 0);
	assert_int_equal(state_save(back, &err), 0);
	state_free(back);
	back = NULL;
	assert_int_equal(state_load(p, &back, &err), 0);
	assert_int_equal(back->nfailures, 0);
	state_free(back);
	state_free(st);
	free(p);
}

static void
test_round_trip(void **state)
{
	struct state *st, *back = NULL;
	struct state_event *ev;
	struct stat sb;
	uint32_t v = 0, u = 0;
	char *p = path_in("sub/ofii-watch/state.json"), *d, *err = NULL;

	(void)state;
	st = state_new(p);
	assert_int_equal(state_folder_set(st, "INBOX", 1234, 56), 0);
	assert_int_equal(state_folder_set(st, "Junk", 99, 7), 0);
	assert_int_equal(state_folder_set(st, "INBOX", 1234, 57), 0);
	assert_int_equal(state_message_add(st, "<a@ofii.fr>"), 0);
	assert_int_equal(state_message_add(st, "<b@ofii.fr>"), 0);
	assert_int_equal(state_message_add(st, "<a@ofii.fr>"), 0);
	assert_int_equal(state_poll_set(st, 1700000000, 0, "login failed"), 0);
	assert_int_equal(state_alert_set(st, "no_convocation", 1690000000), 0);
	/* (a new target resets the sink's marks: set it first) */
	assert_int_equal(state_sink_target(st, SINK_CALDAV,
	    "https://cal.example/ofii/"), 0);
	ev = state_event_get(st, "ofii-medical-0123456789abcdef");
	assert_non_null(ev);
	ev->event.type = EVENT_MEDICAL;
	ev->event.group = strdup("fedcba9876543210");
	ev->event.sequence = 3;
	ev->event.cancelled = 1;
	ev->event.start = 1646728200;
	ev->event.end = 1646735400;
	ev->event.previous_start = 1646555400;
	ev->event.mail_time = 1645430400;
	ev->event.tzid = strdup("Europe/Paris");
	ev->event.office = strdup("OFII, 12 rue Chevreul, 69007 Lyon");
	ev->event.summary = strdup("Visite médicale \"OFII\"");
	ev->event.location = strdup("12 rue Chevreul, 69007 Lyon");
	ev->event.description = strdup("Lieu / Place:\n\\ 12 rue\n");
	memset(ev->event.hash, 'a', STATE_HASH_LEN);
	ev->event.ics = strdup("BEGIN:VCALENDAR\r\nX:é\"\\\r\nEND:VCALENDAR\r\n");
	ev->etag = strdup("\"etag-1\"");
	state_event_delivered(ev, SINK_VDIR);
	assert_int_equal(state_save(st, &err), 0);
	assert_null(err);

	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	d = path_in("sub/ofii-watch");
	assert_int_equal(stat(d, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(count_entries(d, "state.json.new"), 0);

	assert_int_equal(state_load(p, &back, &err), 0);
	assert_int_equal(state_folder_get(back, "INBOX", &v, &u), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(u, 57);
	assert_int_equal(state_folder_get(back, "Junk", &v, &u), 0);
	assert_int_equal(v, 99);
	assert_int_equal(u, 7);
	assert_int_equal(state_folder_get(back, "Sent", &v, &u), -1);
	assert_int_equal(back->nmessage_ids, 2);
	assert_true(state_message_seen(back, "<b@ofii.fr>"));
	assert_false(state_message_seen(back, "<c@ofii.fr>"));
	assert_int_equal(back->last_poll, 1700000000);
	assert_int_equal(back->last_poll_ok, 0);
	assert_string_equal(back->last_poll_error, "login failed");
	assert_int_equal(state_alert_last(back, "no_convocation"), 1690000000);
	assert_int_equal(state_alert_last(back, "renewal"), 0);
	assert_string_equal(back->sink_target[SINK_CALDAV],
	    "https://cal.example/ofii/");
	assert_int_equal(back->nevents, 1);
	ev = state_event_find(back, "ofii-medical-0123456789abcdef");
	assert_non_null(ev);
	assert_int_equal(ev->event.type, EVENT_MEDICAL);
	assert_string_equal(ev->event.group, "fedcba9876543210");
	assert_int_equal(ev->event.sequence, 3);
	assert_int_equal(ev->event.cancelled, 1);
	assert_int_equal(ev->event.start, 1646728200);
	assert_int_equal(ev->event.end, 1646735400);
	assert_false(ev->event.all_day);
	assert_int_equal(ev->event.previous_start, 1646555400);
	assert_int_equal(ev->event.mail_time, 1645430400);
	assert_string_equal(ev->event.tzid, "Europe/Paris");
	assert_string_equal(ev->event.office,
	    "OFII, 12 rue Chevreul, 69007 Lyon");
	assert_string_equal(ev->event.summary, "Visite médicale \"OFII\"");
	assert_string_equal(ev->event.location, "12 rue Chevreul, 69007 Lyon");
	assert_string_equal(ev->event.description,
	    "Lieu / Place:\n\\ 12 rue\n");
	assert_string_equal(ev->event.hash, st->events[0].event.hash);
	assert_string_equal(ev->event.ics, st->events[0].event.ics);
	assert_string_equal(ev->etag, "\"etag-1\"");
	assert_false(state_event_pending(ev, SINK_VDIR));
	assert_true(state_event_pending(ev, SINK_FILE));
	assert_true(state_event_pending(ev, SINK_CALDAV));

	/* Another CalDAV URL: everything goes there again, ETags forgotten */
	assert_int_equal(state_sink_target(back, SINK_CALDAV,
	    "https://other.example/cal/"), 0);
	assert_null(ev->etag);
	assert_int_equal(state_sink_target(back, SINK_VDIR, "/x/vdir"), 0);
	assert_true(state_event_pending(ev, SINK_VDIR));

	state_free(back);
	state_free(st);
	free(d);
	free(p);
}

static void
test_message_ids_bounded(void **state)
{
	struct state *st = state_new(NULL);
	char id[32];
	int i;

	(void)state;
	for (i = 0; i < STATE_MAX_MESSAGE_IDS + 5; i++) {
		snprintf(id, sizeof(id), "<%d@x>", i);
		assert_int_equal(state_message_add(st, id), 0);
	}
	assert_int_equal(st->nmessage_ids, STATE_MAX_MESSAGE_IDS);
	assert_false(state_message_seen(st, "<4@x>"));
	assert_true(state_message_seen(st, "<5@x>"));
	assert_string_equal(st->message_ids[0], "<5@x>");
	state_free(st);
}

static void
corrupt_case(const char *content)
{
	struct state *st = NULL;
	char *p = path_in("state.json"), *err = NULL;
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	assert_int_equal(state_load(p, &st, &err), 0);
	assert_null(err);
	assert_int_equal(st->nevents, 0);
	assert_int_equal(st->nfolders, 0);
	assert_int_equal(access(p, F_OK), -1);		/* moved aside */
	assert_int_equal(count_entries(dir, "state.json.corrupt-"), 1);
	/* and the empty state can be saved over it */
	assert_int_equal(state_folder_set(st, "INBOX", 1, 2), 0);
	assert_int_equal(state_save(st, &err), 0);
	state_free(st);
	st = NULL;
	assert_int_equal(state_load(p, &st, &err), 0);
	assert_int_equal(st->nfolders, 1);
	state_free(st);
	assert_int_equal(system("rm -f /tmp/ofii-test-state.*/state.json*"), 0);
	free(p);
}

static void
test_corrupt_recovered(void **state)
{
	(void)state;
	corrupt_case("{\"version\": 1, \"folders\": {\"INBOX\": ");	/* cut */
	corrupt_case("\x01\x02garbage");
	corrupt_case("[1, 2, 3]");
	corrupt_case("{\"version\": 99}");
	corrupt_case("{\"version\": 1} trailing");
	corrupt_case("");
}

/*
 * Valid JSON, wrong types or values: each bad record is set aside (in
 * state.json.rejected-*, with a warning), the good ones are kept, and no
 * event UID that could climb out of a folder or a URL is ever used.
 */
static void
test_wrong_types_set_aside(void **state)
{
	static const char text[] =
	    "{\"version\": 1,\n"
	    " \"folders\": {\"INBOX\": {\"uidvalidity\": 5, \"last_uid\": 9},\n"
	    "   \"Junk\": {\"uidvalidity\": \"5\", \"last_uid\": 9},\n"
	    "   \"Old\": {\"uidvalidity\": 5, \"last_uid\": 99999999999},\n"
	    "   \"Odd\": 7},\n"
	    " \"failures\": {\"INBOX\": {\"uid\": 3, \"passes\": [1]}},\n"
	    " \"message_ids\": [\"<a@x>\", 42, {\"x\": 1}, \"<b@x>\"],\n"
	    " \"last_poll\": {\"time\": \"yesterday\", \"ok\": 1},\n"
	    " \"alerts\": {\"late\": 1646553600, \"renewal-open\": \"soon\"},\n"
	    " \"sink_targets\": {\"vdir\": 12, \"file\": \"/tmp/x.ics\"},\n"
	    " \"events\": {\n"
	    "   \"ofii-medical-0123456789abcdef\": {\"type\": \"medical\",\n"
	    "     \"start\": 1700000000, \"end\": 1700003600, \"sequence\": 2,\n"
	    "     \"summary\": \"Visite\", \"ics\": \"BEGIN:VCALENDAR\",\n"
	    "     \"delivered\": {\"vdir\": \"\"}},\n"
	    "   \"../../../../tmp/evil\": {\"type\": \"medical\", \"end\": 1,\n"
	    "     \"ics\": \"x\"},\n"
	    "   \"ofii-cir-0123456789abcdef\": {\"type\": \"cir\", \"start\": [],\n"
	    "     \"end\": 1},\n"
	    "   \"ofii-xray-0123456789abcdef\": {\"type\": \"xray\", \"end\": 1,\n"
	    "     \"hash\": \"not-a-hash\"},\n"
	    "   \"ofii-follow-up-0123456789abcdef\": \"oops\"}}\n";
	struct json_object *rej, *o;
	struct state *st = NULL;
	char *p = path_in("state.json"), *err = NULL, *side, cmd[160];
	uint32_t v = 0, u = 0;
	FILE *f = fopen(p, "w");

	(void)state;
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(state_load(p, &st, &err), 0);
	assert_null(err);
	/* The good records are kept: the file is not corrupt. */
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(count_entries(dir, "state.json.corrupt-"), 0);
	assert_int_equal(st->nfolders, 1);
	assert_int_equal(state_folder_get(st, "INBOX", &v, &u), 0);
	assert_int_equal(u, 9);
	assert_int_equal(st->nfailures, 0);
	assert_int_equal(st->nmessage_ids, 2);
	assert_int_equal(st->last_poll, 0);
	assert_int_equal(state_alert_last(st, "late"), 1646553600);
	assert_int_equal(state_alert_last(st, "renewal-open"), 0);
	assert_null(st->sink_target[SINK_VDIR]);
	assert_string_equal(st->sink_target[SINK_FILE], "/tmp/x.ics");
	assert_int_equal(st->nevents, 1);
	assert_string_equal(st->events[0].event.uid,
	    "ofii-medical-0123456789abcdef");
	assert_int_equal(st->events[0].event.sequence, 2);
	assert_string_equal(st->events[0].event.summary, "Visite");
	assert_null(state_event_find(st, "../../../../tmp/evil"));
	state_free(st);

	/* The others wait in one side file, as they were. */
	assert_int_equal(count_entries(dir, "state.json.rejected-"), 1);
	snprintf(cmd, sizeof(cmd), "ls %s/state.json.rejected-*", dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	side = calloc(1, 256);
	assert_non_null(fgets(side, 256, f));
	pclose(f);
	side[strcspn(side, "\n")] = '\0';
	assert_non_null(rej = json_object_from_file(side));
	assert_true(json_object_object_get_ex(rej, "folders", &o));
	assert_int_equal(json_object_object_length(o), 3);
	assert_true(json_object_object_get_ex(rej, "events", &o));
	assert_int_equal(json_object_object_length(o), 4);
	assert_true(json_object_object_get_ex(o, "../../../../tmp/evil", NULL));
	assert_true(json_object_object_get_ex(rej, "message_ids", &o));
	assert_int_equal(json_object_object_length(o), 2);
	assert_true(json_object_object_get_ex(rej, "failures", NULL));
	assert_true(json_object_object_get_ex(rej, "last_poll", NULL));
	assert_true(json_object_object_get_ex(rej, "alerts", NULL));
	assert_true(json_object_object_get_ex(rej, "sink_targets", NULL));
	json_object_put(rej);
	free(side);
	free(p);
}

/* The UID charset: what may become a file name and a URL. */
static void
test_event_uid_charset(void **state)
{
	char longest[EVENT_UID_MAX + 2];

	(void)state;
	assert_true(event_uid_valid("ofii-medical-0123456789abcdef"));
	assert_true(event_uid_valid("A_b.c@d-1"));
	assert_false(event_uid_valid(""));
	assert_false(event_uid_valid(NULL));
	assert_false(event_uid_valid(".."));
	assert_false(event_uid_valid(".hidden"));
	assert_false(event_uid_valid("a/b"));
	assert_false(event_uid_valid("../x"));
	assert_false(event_uid_valid("a b"));
	assert_false(event_uid_valid("a%2fb"));
	assert_false(event_uid_valid("a?b"));
	assert_false(event_uid_valid("caf\xc3\xa9"));
	memset(longest, 'a', sizeof(longest));
	longest[EVENT_UID_MAX] = '\0';
	assert_true(event_uid_valid(longest));
	longest[EVENT_UID_MAX] = 'a';
	longest[EVENT_UID_MAX + 1] = '\0';
	assert_false(event_uid_valid(longest));
}

/*
 * A good state with a final newline (saved by an editor, or `jq . >`) is
 * not corrupt: setting it aside would forget every event and ETag.
 */
static void
test_trailing_newline_kept(void **state)
{
	struct state *st = NULL;
	char *p = path_in("state.json"), *err = NULL;
	uint32_t v = 0, u = 0;
	FILE *f = fopen(p, "w");

	(void)state;
	assert_non_null(f);
	fputs("{\"version\": 1, \"folders\": {\"INBOX\": {\"uidvalidity\": 5, "
	    "\"last_uid\": 9}}}\n\n", f);
	fclose(f);
	assert_int_equal(state_load(p, &st, &err), 0);
	assert_int_equal(state_folder_get(st, "INBOX", &v, &u), 0);
	assert_int_equal(u, 9);
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(count_entries(dir, "state.json.corrupt-"), 0);
	state_free(st);
	free(p);
}

/* A state that cannot be read (here: a directory) is kept, not replaced. */
static void
test_unreadable_not_set_aside(void **state)
{
	struct state *st = NULL;
	char *p = path_in("state.json"), *err = NULL;

	(void)state;
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(state_load(p, &st, &err), -1);
	assert_null(st);
	assert_non_null(err);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(count_entries(dir, "state.json.corrupt-"), 0);
	free(err);
	free(p);
}

/* Two ofii-watch on one state: the second is refused, with the way out. */
static void
test_lock(void **state)
{
	char *p = path_in("new/dir/state.json"), *err = NULL;
	int fd1 = -1, fd2 = -1, status;
	pid_t pid;

	(void)state;
	assert_int_equal(state_lock(p, &fd1, &err), 0);
	assert_true(fd1 >= 0);
	/* flock() is per open file: a second open conflicts, as another
	   process would (checked in a child too). */
	assert_int_equal(state_lock(p, &fd2, &err), -1);
	assert_int_equal(fd2, -1);
	assert_non_null(strstr(err, "in use by another ofii-watch"));
	assert_non_null(strstr(err, "SIGUSR1"));
	free(err);
	err = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = -1;

		_exit(state_lock(p, &fd, NULL) == -1 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Released by close (or by the death of the holder). */
	close(fd1);
	assert_int_equal(state_lock(p, &fd2, &err), 0);
	close(fd2);
	free(p);
}

#define WAVE1	"tests/fixtures/state/wave1-state.json"

/* A copy of the wave-1 state in the test directory (loading never writes,
   but saving does: the fixture stays as it was made). */
static char *
wave1_copy(void)
{
	char *p = path_in("wave1/state.json"), *text, *err = NULL;
	size_t len;

	text = testutil_read(WAVE1, &len);
	assert_int_equal(atomic_write_file(p, text, len, &err), 0);
	free(text);
	return p;
}

/* The "ics" text of an event in the fixture, as written. */
static char *
fixture_ics(const char *uid)
{
	struct json_object *root, *events, *ev, *ics;
	char *copy;

	root = json_object_from_file(WAVE1);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "events", &events));
	assert_true(json_object_object_get_ex(events, uid, &ev));
	assert_true(json_object_object_get_ex(ev, "ics", &ics));
	copy = strdup(json_object_get_string(ics));
	json_object_put(root);
	return copy;
}

static void
assert_str_or_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_same_event(const struct state_event *a, const struct state_event *b)
{
	int s;

	assert_string_equal(a->event.uid, b->event.uid);
	assert_int_equal(a->event.type, b->event.type);
	assert_str_or_null(a->event.group, b->event.group);
	assert_str_or_null(a->event.summary, b->event.summary);
	assert_str_or_null(a->event.location, b->event.location);
	assert_str_or_null(a->event.description, b->event.description);
	assert_str_or_null(a->event.office, b->event.office);
	assert_str_or_null(a->event.tzid, b->event.tzid);
	assert_int_equal(a->event.start, b->event.start);
	assert_int_equal(a->event.end, b->event.end);
	assert_int_equal(a->event.previous_start, b->event.previous_start);
	assert_int_equal(a->event.mail_time, b->event.mail_time);
	assert_int_equal(a->event.all_day, b->event.all_day);
	assert_int_equal(a->event.cancelled, b->event.cancelled);
	assert_int_equal(a->event.sequence, b->event.sequence);
	assert_string_equal(a->event.hash, b->event.hash);
	assert_string_equal(a->event.ics, b->event.ics);
	assert_str_or_null(a->etag, b->etag);
	for (s = 0; s < SINK_COUNT; s++)
		assert_string_equal(a->delivered[s], b->delivered[s]);
}

/*
 * A state written before the events' fields were kept (tests/fixtures/
 * state/wave1-state.json, made by that version's calendar, vdir sink and
 * state_save: each event is its iCalendar text and type, group, start,
 * sequence, status, hash): it loads with every field filled in from the
 * text, keeps the text byte for byte, and a save and a load keep it all.
 */
static void
test_wave1_state(void **state)
{
	struct state *st = NULL, *back = NULL;
	const struct state_event *ev;
	const struct event *e;
	char *p = wave1_copy(), *err = NULL, *ics, *text;
	uint32_t v = 0, u = 0;
	size_t i;

	(void)state;
	assert_int_equal(state_load(p, &st, &err), 0);
	assert_null(err);
	assert_int_equal(st->nevents, 9);
	assert_int_equal(state_folder_get(st, "INBOX", &v, &u), 0);
	assert_int_equal(u, 243);
	assert_true(state_message_seen(st, "<resched-2@ofii.fr>"));
	assert_string_equal(st->sink_target[SINK_VDIR],
	    "/home/kwame/.local/share/ofii-watch/calendar");
	for (i = 0; i < st->nevents; i++) {
		ev = &st->events[i];
		/* the output, as it was written and delivered */
		ics = fixture_ics(ev->event.uid);
		assert_string_equal(ev->event.ics, ics);
		free(ics);
		assert_false(state_event_pending(ev, SINK_VDIR));
		assert_true(state_event_pending(ev, SINK_FILE));
		assert_non_null(ev->event.summary);
		assert_non_null(ev->event.description);
		assert_true(ev->event.end > ev->event.start);
	}

	/* A rescheduled medical visit, in its zone. */
	ev = state_event_find(st, "ofii-medical-1dd91a6e6fe4ac2d");
	assert_non_null(ev);
	e = &ev->event;
	assert_int_equal(e->type, EVENT_MEDICAL);
	assert_string_equal(e->group, "f04acb649800ef26");
	assert_int_equal(e->sequence, 1);
	assert_false(e->cancelled);
	assert_false(e->all_day);
	assert_string_equal(e->tzid, "Europe/Paris");
	assert_int_equal(e->start, testutil_utc(2022, 3, 10, 13, 0));
	assert_int_equal(e->end, testutil_utc(2022, 3, 10, 15, 0));
	assert_int_equal(e->previous_start, testutil_utc(2022, 3, 8, 8, 30));
	assert_int_equal(e->mail_time, testutil_utc(2022, 2, 28, 8, 0));
	assert_string_equal(e->summary, "Visite médicale OFII / OFII medical "
	    "visit — M. Kwame MENSAH");
	assert_string_equal(e->location, "OFII - Service médical, 12 rue "
	    "Chevreul, 69007 Lyon");
	assert_string_equal(e->office, e->location);
	assert_non_null(strstr(e->description, "Rendez-vous déplacé, il était "
	    "prévu le / Rescheduled, it was on: mardi 8 mars 2022 / Tuesday 8 "
	    "March 2022, 09:30\n"));
	assert_string_equal(e->hash, "fb9d8884bff381312889f344fe72eaf0"
	    "989a6a4a7f28517bdd034b9e9f6db3f5");

	/* Its X-ray nudge: the office is the visit's, read from the text. */
	e = &state_event_find(st, "ofii-xray-booking-e81ba0532cf0083e")->event;
	assert_int_equal(e->type, EVENT_XRAY_BOOKING);
	assert_int_equal(e->start, testutil_utc(2022, 2, 23, 8, 0));
	assert_int_equal(e->end, testutil_utc(2022, 2, 23, 8, 30));
	assert_string_equal(e->office, "OFII - Service médical, 12 rue "
	    "Chevreul, 69007 Lyon");
	assert_string_equal(e->location, "Cabinet de radiologie des "
	    "Gratte-Ciel, 41 avenue Henri Barbusse, 69100 Villeurbanne");

	/* Written in UTC (02:30 happens twice): the zone is the VTIMEZONE's. */
	e = &state_event_find(st, "ofii-medical-94485dbab445db54")->event;
	assert_non_null(strstr(e->ics, "DTSTART:20221030T003000Z\r\n"));
	assert_string_equal(e->tzid, "Europe/Paris");
	assert_int_equal(e->start, testutil_utc(2022, 10, 30, 0, 30));
	assert_int_equal(e->end, testutil_utc(2022, 10, 30, 2, 30));

	/* Overseas, cancelled: the summary as the calendar shows it. */
	e = &state_event_find(st, "ofii-cir-b5933563ef42ea3e")->event;
	assert_int_equal(e->type, EVENT_CIR);
	assert_true(e->cancelled);
	assert_string_equal(e->tzid, "America/Cayenne");
	assert_int_equal(e->start, testutil_utc(2022, 4, 12, 11, 0));
	assert_int_equal(strncmp(e->summary, "ANNULÉ / CANCELLED : OFII : "
	    "rendez-vous CIR", 43), 0);

	/* A letter naming no place: no location, no office. */
	e = &state_event_find(st, "ofii-medical-d76da3e15b95fa15")->event;
	assert_null(e->location);
	assert_null(e->office);

	/* Timeline: all-day, no zone, no office. */
	e = &state_event_find(st, "ofii-renewal-open-50ee298fee75f73c")->event;
	assert_int_equal(e->type, EVENT_RENEWAL_OPEN);
	assert_true(e->all_day);
	assert_null(e->tzid);
	assert_null(e->office);
	assert_null(e->location);
	assert_int_equal(e->start, testutil_utc(2023, 1, 31, 0, 0));
	assert_int_equal(e->end, testutil_utc(2023, 2, 1, 0, 0));
	assert_string_equal(e->summary, "Renouvellement du titre de séjour : "
	    "demande ouverte / Residence permit renewal: you can apply now");
	e = &state_event_find(st, "ofii-follow-up-949002e53f0aa302")->event;
	assert_true(e->cancelled);
	assert_int_equal(e->sequence, 1);
	assert_int_equal(e->start, testutil_utc(2022, 3, 6, 0, 0));

	/* Saved (now with the fields) and loaded again: nothing changes. */
	assert_int_equal(state_save(st, &err), 0);
	text = testutil_read(p, NULL);
	assert_non_null(strstr(text, "\"office\":\"OFII Paris, 48 rue de la "
	    "Roquette, 75011 Paris\""));
	assert_non_null(strstr(text, "\"tzid\":\"America/Cayenne\""));
	free(text);
	assert_int_equal(state_load(p, &back, &err), 0);
	assert_int_equal(back->nevents, st->nevents);
	for (i = 0; i < st->nevents; i++)
		assert_same_event(&st->events[i], &back->events[i]);
	assert_int_equal(back->nmessage_ids, st->nmessage_ids);
	assert_int_equal(back->last_poll, st->last_poll);
	assert_int_equal(state_alert_last(back, "late"),
	    state_alert_last(st, "late"));
	assert_string_equal(back->sink_target[SINK_VDIR],
	    st->sink_target[SINK_VDIR]);
	state_free(back);
	state_free(st);
	free(p);
}

static void
test_default_path(void **state)
{
	char *p = NULL, *err = NULL;

	(void)state;
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	assert_int_equal(state_default_path(&p, &err), 0);
	assert_string_equal(p, "/srv/state/ofii-watch/state.json");
	free(p);
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/amina", 1);
	assert_int_equal(state_default_path(&p, &err), 0);
	assert_string_equal(p,
	    "/home/amina/.local/state/ofii-watch/state.json");
	free(p);
	unsetenv("HOME");
	assert_int_equal(state_default_path(&p, &err), -1);
	assert_null(p);
	assert_string_equal(err, "neither XDG_STATE_HOME nor HOME is set: "
	    "nowhere to keep the state");
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_is_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test(test_message_ids_bounded),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_recovered, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types_set_aside,
		    setup, teardown),
		cmocka_unit_test(test_event_uid_charset),
		cmocka_unit_test_setup_teardown(test_trailing_newline_kept,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_not_set_aside,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wave1_state, setup,
		    teardown),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
