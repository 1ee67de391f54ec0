/*
 * test_imap_wire: the IMAP protocol text, pure parts (imap/wire.h): the
 * byte stream with literals and bounds, response parsing, command
 * building.  No server needed; the live tests are test_imap_session.
 */
#include "testutil.h"

#include "imap/wire.h"
#include "lib/log.h"

struct collected {
	char	*resp[16];
	size_t	 len[16];
	int	 n;
};

static int
collect_cb(void *arg, const char *resp, size_t len, char **errstr)
{
	struct collected *c = arg;

	(void)errstr;
	assert_true(c->n < 16);
	c->resp[c->n] = malloc(len + 1);
	memcpy(c->resp[c->n], resp, len);
	c->resp[c->n][len] = '\0';
	c->len[c->n++] = len;
	return 0;
}

static void
collected_free(struct collected *c)
{
	int i;

	for (i = 0; i < c->n; i++)
		free(c->resp[i]);
	c->n = 0;
}

static const char stream_text[] =
    "* 3 EXISTS\r\n"
    "* 1 FETCH (UID 7 BODY[] {14}\r\nline1\r\n* 2 X\r\n)\r\n"
    "* LIST () \".\" {4}\r\nJunk\r\n"
    "A004 OK done\r\n";

static void
test_stream_literals(void **state)
{
	struct imap_stream st;
	struct collected c = { .n = 0 };
	size_t i, step;

	(void)state;
	/* Whole, and in every chunk size down to one byte at a time. */
	for (step = sizeof(stream_text); step >= 1; step = step / 2) {
		imap_stream_init(&st, 4096, collect_cb, &c);
		for (i = 0; i < sizeof(stream_text) - 1; i += step) {
			size_t k = sizeof(stream_text) - 1 - i;

			assert_int_equal(imap_stream_feed(&st, stream_text + i,
			    k < step ? k : step), 0);
		}
		assert_int_equal(imap_stream_finish(&st), 0);
		assert_int_equal(c.n, 4);
		assert_string_equal(c.resp[0], "* 3 EXISTS\r\n");
		/* The literal holds a line that looks like a response. */
		assert_string_equal(c.resp[1], "* 1 FETCH (UID 7 BODY[] {14}"
		    "\r\nline1\r\n* 2 X\r\n)\r\n");
		assert_string_equal(c.resp[2], "* LIST () \".\" {4}\r\nJunk"
		    "\r\n");
		assert_string_equal(c.resp[3], "A004 OK done\r\n");
		collected_free(&c);
		imap_stream_clear(&st);
		if (step == 1)
			break;
	}
}

static int
feed_str(struct imap_stream *st, const char *s)
{
	return imap_stream_feed(st, s, strlen(s));
}

static void
test_stream_bounds(void **state)
{
	struct imap_stream st;
	struct collected c = { .n = 0 };
	char *big;

	(void)state;
	/* A 2 GiB literal is refused when announced, nothing allocated. */
	imap_stream_init(&st, 1 << 20, collect_cb, &c);
	assert_int_equal(feed_str(&st, "* 1 FETCH (UID 1 BODY[] "
	    "{2147483648}\r\nabc"), -1);
	assert_true(st.oversize);
	assert_non_null(strstr(st.err, "2147483648"));
	assert_true(st.cap < 8192);
	/* ...and stays failed. */
	assert_int_equal(feed_str(&st, "A1 OK\r\n"), -1);
	imap_stream_clear(&st);

	/* Absurd digit counts are malformed, not wrapped around. */
	imap_stream_init(&st, 1 << 20, collect_cb, &c);
	assert_int_equal(feed_str(&st,
	    "* 1 FETCH (BODY[] {99999999999999999999999}\r\n"), -1);
	imap_stream_clear(&st);

	/* A line longer than IMAP_MAX_LINE, even without its CRLF yet. */
	big = malloc(IMAP_MAX_LINE + 10);
	memset(big, 'A', IMAP_MAX_LINE + 10);
	imap_stream_init(&st, 1 << 24, collect_cb, &c);
	assert_int_equal(imap_stream_feed(&st, big, IMAP_MAX_LINE + 10), -1);
	assert_non_null(strstr(st.err, "longer than"));
	imap_stream_clear(&st);
	free(big);

	/* Cut short inside a literal: finish() says so. */
	imap_stream_init(&st, 4096, collect_cb, &c);
	assert_int_equal(feed_str(&st, "* 1 FETCH (BODY[] {100}\r\n"
	    "only this"), 0);
	assert_int_equal(imap_stream_finish(&st), -1);
	assert_non_null(strstr(st.err, "cut short"));
	imap_stream_clear(&st);
	/* ...and inside a line. */
	imap_stream_init(&st, 4096, collect_cb, &c);
	assert_int_equal(feed_str(&st, "* 3 EXI"), 0);
	assert_int_equal(imap_stream_finish(&st), -1);
	imap_stream_clear(&st);
	assert_int_equal(c.n, 0);
}

/* Feed a whole reply through the stream into r; returns the result. */
static int
parse_all(struct imap_reply *r, const char *text, char **err)
{
	struct imap_stream st;
	int ret;

	imap_stream_init(&st, 1 << 20, imap_reply_cb, r);
	ret = imap_stream_feed(&st, text, strlen(text));
	if (ret == 0)
		ret = imap_stream_finish(&st);
	if (ret == -1 && err != NULL)
		*err = st.err ? strdup(st.err) : NULL;
	imap_stream_clear(&st);
	return ret;
}

static void
test_parse_examine(void **state)
{
	struct imap_reply r;
	char *err = NULL;

	(void)state;
	imap_reply_init(&r, IMAP_CMD_EXAMINE);
	assert_int_equal(parse_all(&r,
	    "* OK [CAPABILITY IMAP4rev1 SASL-IR SPECIAL-USE] Dovecot ready.\r\n"
	    "A001 OK Pre-login capabilities listed\r\n"
	    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
	    "* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n"
	    "* 1000 EXISTS\r\n* 1000 RECENT\r\n"
	    "* OK [UNSEEN 1] First unseen.\r\n"
	    "* OK [UIDVALIDITY 1795752330] UIDs valid\r\n"
	    "* OK [UIDNEXT 1001] Predicted next UID\r\n"
	    "* 1001 EXISTS\r\n"
	    "A004 OK [READ-ONLY] Examine completed (0.001 + 0.000 secs).\r\n",
	    &err), 0);
	assert_int_equal(r.mailbox.uidvalidity, 1795752330u);
	assert_int_equal(r.mailbox.uidnext, 1001);
	assert_int_equal(r.mailbox.exists, 1001);
	assert_true(r.seen_uidvalidity);
	assert_int_equal(r.status, 'O');
	assert_string_equal(r.status_text,
	    "Examine completed (0.001 + 0.000 secs).");
	assert_string_equal(r.caps, "IMAP4rev1 SASL-IR SPECIAL-USE");
	imap_reply_clear(&r);

	/* Malformed numbers are errors, not zeros. */
	imap_reply_init(&r, IMAP_CMD_EXAMINE);
	assert_int_equal(parse_all(&r, "* OK [UIDVALIDITY x42] ok\r\n", &err),
	    -1);
	assert_non_null(strstr(err, "UIDVALIDITY"));
	free(err);
	imap_reply_clear(&r);
	imap_reply_init(&r, IMAP_CMD_EXAMINE);
	assert_int_equal(parse_all(&r, "* OK [UIDNEXT 4294967296] ok\r\n",
	    &err), -1);
	free(err);
	imap_reply_clear(&r);

	/* NO with control characters: sanitized, bounded. */
	imap_reply_init(&r, IMAP_CMD_EXAMINE);
	assert_int_equal(parse_all(&r, "* BYE going\x1b[31m away\r\n"
	    "A5 NO [NONEXISTENT] Mailbox doesn't exist: Foo\r\n", NULL), 0);
	assert_int_equal(r.status, 'N');
	assert_string_equal(r.status_text, "Mailbox doesn't exist: Foo");
	assert_string_equal(r.bye, "going?[31m away");
	imap_reply_clear(&r);
}

static void
test_parse_list(void **state)
{
	struct imap_reply r;
	char *err = NULL;

	(void)state;
	imap_reply_init(&r, IMAP_CMD_LIST);
	assert_int_equal(parse_all(&r,
	    "* LIST (\\HasNoChildren) \".\" INBOX\r\n"
	    "* LIST (\\HasNoChildren \\Junk) \".\" Junk\r\n"
	    "* LIST (\\HasNoChildren) \".\" \"Courrier ind&AOk-sirable\"\r\n"
	    "* LIST (\\HasChildren \\Noselect) \"/\" \"[Gmail]\"\r\n"
	    "* LIST (\\HasNoChildren) \"/\" \"[Gmail]/Spam\"\r\n"
	    "* LIST (\\Sent) NIL {8}\r\nSent \"q\"\r\n"
	    "* LIST () \".\" \"bad&AOk\"\r\n"
	    "* LIST (\\Trash) \".\" Trash (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n"
	    "A3 OK List completed\r\n", &err), 0);
	assert_int_equal(r.folders.n, 7);	/* "bad&AOk" skipped */
	assert_string_equal(r.folders.v[0].name, "INBOX");
	assert_true(r.folders.v[0].flags & IMAP_FOLDER_INBOX);
	assert_string_equal(r.folders.v[1].name, "Junk");
	assert_true(r.folders.v[1].flags & IMAP_FOLDER_JUNK);
	assert_string_equal(r.folders.v[2].name, "Courrier indésirable");
	assert_true(r.folders.v[2].flags & IMAP_FOLDER_JUNK_NAME);
	assert_false(r.folders.v[2].flags & IMAP_FOLDER_JUNK);
	assert_true(r.folders.v[3].flags & IMAP_FOLDER_NOSELECT);
	assert_string_equal(r.folders.v[4].name, "[Gmail]/Spam");
	assert_int_equal(r.folders.v[4].delim, '/');
	assert_true(r.folders.v[4].flags & IMAP_FOLDER_JUNK_NAME);
	assert_string_equal(r.folders.v[5].name, "Sent \"q\"");
	assert_int_equal(r.folders.v[5].delim, '\0');
	assert_true(r.folders.v[5].flags & IMAP_FOLDER_SENT);
	assert_string_equal(r.folders.v[6].name, "Trash");
	assert_true(r.folders.v[6].flags & IMAP_FOLDER_TRASH);
	/* \Junk wins over a usual name. */
	assert_string_equal(imap_junk_folder(&r.folders)->name, "Junk");
	r.folders.v[1].flags = 0;
	assert_string_equal(imap_junk_folder(&r.folders)->name,
	    "Courrier indésirable");
	imap_reply_clear(&r);

	imap_reply_init(&r, IMAP_CMD_LIST);
	assert_int_equal(parse_all(&r, "* LIST (\\Junk \".\" Junk\r\n", &err),
	    -1);
	free(err);
	imap_reply_clear(&r);

	/*
	 * No delimiter after the flags, right after a LIST whose quoted
	 * name was freed: nothing left over from it is freed again (found
	 * by fuzz_imap_wire).
	 */
	imap_reply_init(&r, IMAP_CMD_LIST);
	assert_int_equal(parse_all(&r, "* LIST () \"/\" \"a\"\r\n"
	    "* LIST ()\r\n", &err), -1);
	assert_non_null(strstr(err, "delimiter"));
	free(err);
	imap_reply_clear(&r);
}

static void
test_parse_search(void **state)
{
	struct imap_reply r;
	char *err = NULL;

	(void)state;
	imap_reply_init(&r, IMAP_CMD_SEARCH);
	r.uid_min = 1001;
	/* n:* returns the highest UID even when it is below n. */
	assert_int_equal(parse_all(&r, "* SEARCH 1000\r\nA1 OK\r\n", &err), 0);
	assert_int_equal(r.uids.n, 0);
	imap_reply_clear(&r);

	imap_reply_init(&r, IMAP_CMD_SEARCH);
	r.uid_min = 5;
	assert_int_equal(parse_all(&r, "* SEARCH\r\n* 9 EXISTS\r\n"
	    "* SEARCH 7 5 3 12\r\nA1 OK\r\n", &err), 0);
	assert_int_equal(r.uids.n, 3);
	assert_int_equal(r.uids.v[0], 7);
	assert_int_equal(r.uids.v[2], 12);
	imap_reply_clear(&r);

	imap_reply_init(&r, IMAP_CMD_SEARCH);
	assert_int_equal(parse_all(&r, "* SEARCH 1 2 x\r\n", &err), -1);
	free(err);
	imap_reply_clear(&r);
	imap_reply_init(&r, IMAP_CMD_SEARCH);
	assert_int_equal(parse_all(&r, "* SEARCH 1 0\r\n", &err), -1);
	free(err);
	imap_reply_clear(&r);
	imap_reply_init(&r, IMAP_CMD_SEARCH);
	assert_int_equal(parse_all(&r, "* SEARCH 99999999999\r\n", &err), -1);
	free(err);
	imap_reply_clear(&r);
}

static void
test_parse_fetch(void **state)
{
	static uint32_t want[] = { 4, 9 };
	struct imap_reply r;
	char *err = NULL;

	(void)state;
	imap_reply_init(&r, IMAP_CMD_FETCH);
	r.want_uids = malloc(sizeof(want));
	memcpy(r.want_uids, want, sizeof(want));
	r.nwant_uids = 2;
	assert_int_equal(parse_all(&r,
	    "* 3 FETCH (FLAGS (\\Seen))\r\n"
	    "* 4 FETCH (UID 4 RFC822.SIZE 2345 BODY[HEADER.FIELDS (FROM "
	    "SUBJECT MESSAGE-ID DATE)] {41}\r\n"
	    "From: a@ofii.fr\r\nSubject: Convocation\r\n\r\n)\r\n"
	    "* 5 FETCH (UID 5 RFC822.SIZE 1 BODY[HEADER.FIELDS (FROM)] \"\")\r\n"
	    "* 9 FETCH (MODSEQ (12) UID 9 RFC822.SIZE 77 "
	    "BODY[HEADER.FIELDS (FROM SUBJECT MESSAGE-ID DATE)] "
	    "\"From: \\\"x\\\" <b@c>\\\\r\")\r\n"
	    "A7 OK Fetch completed.\r\n", &err), 0);
	assert_null(err);
	assert_int_equal(r.infos.n, 2);		/* 5 was not asked for */
	assert_int_equal(r.infos.v[0].uid, 4);
	assert_int_equal(r.infos.v[0].size, 2345);
	assert_string_equal(r.infos.v[0].headers,
	    "From: a@ofii.fr\r\nSubject: Convocation\r\n\r\n");
	assert_int_equal(r.infos.v[1].uid, 9);
	assert_string_equal(r.infos.v[1].headers, "From: \"x\" <b@c>\\r");
	imap_reply_clear(&r);

	/* One body, literal with lines that look like IMAP. */
	imap_reply_init(&r, IMAP_CMD_FETCH);
	r.want_body = 1;
	r.body_uid = 7;
	assert_int_equal(parse_all(&r,
	    "* 2 FETCH (UID 7 BODY[] {21}\r\nA8 OK fake\r\n* BYE x\r\n)\r\n"
	    "A8 OK done\r\n", &err), 0);
	assert_true(r.body_seen);
	assert_int_equal(r.body_len, 21);
	assert_string_equal(r.body, "A8 OK fake\r\n* BYE x\r\n");
	assert_null(r.bye);
	imap_reply_clear(&r);

	imap_reply_init(&r, IMAP_CMD_FETCH);
	r.want_body = 1;
	r.body_uid = 1;
	assert_int_equal(parse_all(&r, "* 1 FETCH (UID one)\r\n", &err), -1);
	free(err);
	imap_reply_clear(&r);
	imap_reply_init(&r, IMAP_CMD_FETCH);
	r.want_body = 1;
	r.body_uid = 1;
	assert_int_equal(parse_all(&r, "* 1 FETCH (UID 1 BODY[] NIL)\r\n",
	    &err), -1);
	free(err);
	imap_reply_clear(&r);
	/* Unbalanced parentheses in an item we skip. */
	imap_reply_init(&r, IMAP_CMD_FETCH);
	assert_int_equal(parse_all(&r, "* 1 FETCH (X-GM-LABELS ((a) UID 1)\r\n",
	    &err), -1);
	free(err);
	imap_reply_clear(&r);
	/*
	 * Headers nobody asked for (no UID list: another command's reply)
	 * are passed over (found by fuzz_imap_wire).
	 */
	imap_reply_init(&r, IMAP_CMD_EXAMINE);
	assert_int_equal(parse_all(&r, "* 1 FETCH (UID 1 BODY[HEADER.FIELDS "
	    "(FROM)] \"From: a\")\r\nA1 OK\r\n", &err), 0);
	assert_int_equal(r.infos.n, 0);
	imap_reply_clear(&r);
}

static void
test_commands(void **state)
{
	static const char *const from[] = { "ofii.fr", "me@gmail.com" };
	static const char *const subj[] = { "convocation", "visite médicale",
	    "say \"hi\"\\" };
	struct imap_criteria cr = { 0 };
	char *cmd = NULL, *err = NULL;

	(void)state;
	cr.uid_min = 1001;
	assert_int_equal(imap_search_command(&cr, &cmd, &err), 0);
	assert_string_equal(cmd, "UID SEARCH UID 1001:*");
	free(cmd);
	cr.uid_max = 21000;		/* a bounded window */
	assert_int_equal(imap_search_command(&cr, &cmd, &err), 0);
	assert_string_equal(cmd, "UID SEARCH UID 1001:21000");
	free(cmd);
	cr.uid_max = 0;

	cr.from = from;
	cr.nfrom = 1;
	assert_int_equal(imap_search_command(&cr, &cmd, &err), 0);
	assert_string_equal(cmd, "UID SEARCH UID 1001:* FROM \"ofii.fr\"");
	free(cmd);

	cr.nfrom = 2;
	cr.subject = subj;
	cr.nsubject = 3;
	cr.since = 1700000000;		/* 14 or 15 Nov 2023, by zone */
	assert_int_equal(imap_search_command(&cr, &cmd, &err), 0);
	assert_non_null(strstr(cmd, "UID SEARCH CHARSET UTF-8 UID 1001:* "
	    "SINCE 1"));
	assert_non_null(strstr(cmd, "-Nov-2023 OR OR OR OR FROM \"ofii.fr\" "
	    "FROM \"me@gmail.com\" SUBJECT \"convocation\" SUBJECT \"visite "
	    "médicale\" SUBJECT \"say \\\"hi\\\"\\\\\""));
	free(cmd);

	{
		static const char *const evil[] = { "x\r\nA1 STORE 1 +FLAGS "
		    "(\\Deleted)" };

		cr.subject = evil;
		cr.nsubject = 1;
		assert_int_equal(imap_search_command(&cr, &cmd, &err), -1);
		assert_null(cmd);
		assert_non_null(strstr(err, "line break"));
		free(err);
	}

	assert_int_equal(imap_quote_mailbox("inbox", &cmd, &err), 0);
	assert_string_equal(cmd, "\"INBOX\"");
	free(cmd);
	assert_int_equal(imap_quote_mailbox("Courrier indésirable", &cmd,
	    &err), 0);
	assert_string_equal(cmd, "\"Courrier ind&AOk-sirable\"");
	free(cmd);
	assert_int_equal(imap_quote_mailbox("a\"b\\c", &cmd, &err), 0);
	assert_string_equal(cmd, "\"a\\\"b\\\\c\"");
	free(cmd);
	assert_int_equal(imap_quote_mailbox("caf\xe9", &cmd, &err), -1);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_literals),
		cmocka_unit_test(test_stream_bounds),
		cmocka_unit_test(test_parse_examine),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_search),
		cmocka_unit_test(test_parse_fetch),
		cmocka_unit_test(test_commands),
	};

	log_init("test_imap_wire", LOG_WARNING);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
