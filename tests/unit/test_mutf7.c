/*
 * test_mutf7: modified UTF-7 mailbox names (RFC 3501 5.1.3) both ways,
 * with the names real servers use, and rejection of what is invalid.
 */
#include "testutil.h"

#include "imap/mutf7.h"

static void
roundtrip(const char *utf8, const char *wire)
{
	char *out = NULL, *err = NULL;

	if (mutf7_encode(utf8, &out, &err) == -1)
		fail_msg("encode \"%s\": %s", utf8, err);
	assert_null(err);
	assert_string_equal(out, wire);
	free(out);
	if (mutf7_decode(wire, &out, &err) == -1)
		fail_msg("decode \"%s\": %s", wire, err);
	assert_string_equal(out, utf8);
	free(out);
}

static void
test_known_names(void **state)
{
	(void)state;
	roundtrip("INBOX", "INBOX");
	roundtrip("", "");
	roundtrip("Courrier indésirable", "Courrier ind&AOk-sirable");
	roundtrip("Réunions", "R&AOk-unions");
	roundtrip("Réunions.Été 2024", "R&AOk-unions.&AMk-t&AOk- 2024");
	roundtrip("Éléments supprimés", "&AMk-l&AOk-ments supprim&AOk-s");
	roundtrip("[Gmail]/Spam", "[Gmail]/Spam");
	roundtrip("[Gmail]/Messages envoyés",
	    "[Gmail]/Messages envoy&AOk-s");
	/* RFC 3501's own examples. */
	roundtrip("~peter/mail/台北/日本語",
	    "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
	roundtrip("&", "&-");
	roundtrip("Tom & Jerry", "Tom &- Jerry");
	roundtrip("&&é&", "&-&-&AOk-&-");
	/* Outside the BMP: a surrogate pair. */
	roundtrip("mail 📬", "mail &2D3c7A-");
	/* Control characters are never sent raw. */
	roundtrip("a\tb", "a&AAk-b");
	roundtrip("\x7f", "&AH8-");
	/* Runs of one, two and three UTF-16 units (all padding cases). */
	roundtrip("é", "&AOk-");
	roundtrip("éé", "&AOkA6Q-");
	roundtrip("ééé", "&AOkA6QDp-");
}

static void
expect_decode_fails(const char *wire)
{
	char *out = NULL, *err = NULL;

	if (mutf7_decode(wire, &out, &err) != -1)
		fail_msg("\"%s\" decoded to \"%s\"", wire, out);
	assert_null(out);
	assert_non_null(err);
	assert_non_null(strstr(err, "mailbox name: "));
	free(err);
}

static void
test_invalid_mutf7(void **state)
{
	(void)state;
	expect_decode_fails("Courrier indésirable");	/* raw 8-bit */
	expect_decode_fails("a&AOk");			/* no closing '-' */
	expect_decode_fails("&");
	expect_decode_fails("&AOk/-");			/* '/' is not ours */
	expect_decode_fails("&AO=-");
	expect_decode_fails("&A-");			/* 6 bits, no unit */
	expect_decode_fails("&AOkA-");			/* 24 bits: 8 left */
	expect_decode_fails("&AOl-");			/* bits left != 0 */
	expect_decode_fails("&AGE-");			/* 'a' encoded */
	expect_decode_fails("&AAA-");			/* NUL encoded */
	expect_decode_fails("&2D0-");			/* lone high surrogate */
	expect_decode_fails("&3MQ-");			/* lone low surrogate */
	expect_decode_fails("&2D0A6Q-");		/* high + non-low */
	expect_decode_fails("tab\there");		/* raw control */
}

static void
expect_encode_fails(const char *utf8)
{
	char *out = NULL, *err = NULL;

	if (mutf7_encode(utf8, &out, &err) != -1)
		fail_msg("invalid UTF-8 encoded to \"%s\"", out);
	assert_null(out);
	assert_non_null(strstr(err, "invalid UTF-8"));
	free(err);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	expect_encode_fails("caf\xe9");			/* Latin-1 */
	expect_encode_fails("\xc3");			/* truncated */
	expect_encode_fails("\xc0\xaf");		/* overlong '/' */
	expect_encode_fails("\xe0\x80\xaf");		/* overlong */
	expect_encode_fails("\xed\xa0\x80");		/* surrogate */
	expect_encode_fails("\xf4\x90\x80\x80");	/* > U+10FFFF */
	expect_encode_fails("\xff");
	expect_encode_fails("ok\x80");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_names),
		cmocka_unit_test(test_invalid_mutf7),
		cmocka_unit_test(test_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
