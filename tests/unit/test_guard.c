/*
 * test_guard: the linear scan that bounds what libetpan parses
 * (parsers/guard.c), called directly: where it cuts, what it rewrites in
 * place, what it says.  Its effect on whole mails is in test_message.
 */
#include "testutil.h"

#include "parsers/guard.h"
#include "parsers/message.h"

static void
limits(struct message_limits *lim, int depth, int parts)
{
	message_limits_default(lim);
	lim->max_depth = depth;
	lim->max_parts = parts;
}

/* Within every limit: all of it may be parsed, nothing is touched. */
static void
test_within_limits(void **state)
{
	char raw[] = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
	char copy[sizeof(raw)];
	struct message_limits lim;
	struct guard g;

	(void)state;
	memcpy(copy, raw, sizeof(raw));
	limits(&lim, 64, 256);
	assert_int_equal(guard_mime(&g, raw, sizeof(raw) - 1, &lim), 0);
	assert_int_equal(g.cut, sizeof(raw) - 1);
	assert_int_equal(g.limited, 0);
	assert_memory_equal(raw, copy, sizeof(raw));
}

/* A container one level too deep becomes a leaf of GUARD_CUT_TYPE, at the
   same length; its sibling after it is still parsed. */
static void
test_too_deep(void **state)
{
	char raw[] = "Content-Type: multipart/mixed; boundary=a\r\n\r\n"
	    "--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\n\r\ndeep\r\n--b--\r\n"
	    "--a\r\n\r\nshallow\r\n--a--\r\n";
	const char *inner = strstr(raw, "Content-Type: multipart/mixed; "
	    "boundary=b");
	struct message_limits lim;
	struct guard g;

	(void)state;
	limits(&lim, 1, 256);
	assert_int_equal(guard_mime(&g, raw, sizeof(raw) - 1, &lim), 0);
	assert_int_equal(g.cut, sizeof(raw) - 1);
	assert_int_equal(g.limited, 1);
	assert_string_equal(g.why, "MIME structure cut short: more than 1 "
	    "nested MIME containers (multipart or message)");
	assert_memory_equal(inner, "Content-Type:" GUARD_CUT_TYPE,
	    strlen("Content-Type:" GUARD_CUT_TYPE));
	assert_non_null(strstr(raw, "--a\r\n\r\nshallow"));
	assert_int_equal(strlen(raw), sizeof(raw) - 1);
}

/* More delimiters than GUARD_PARTS_FACTOR x max_parts: cut at the first
   one over, and the first reason is the one told. */
static void
test_too_many_parts(void **state)
{
	char raw[512];
	struct message_limits lim;
	struct guard g;
	size_t n, over = 0;
	int i;

	(void)state;
	n = (size_t)snprintf(raw, sizeof(raw), "Content-Type: multipart/mixed;"
	    " boundary=b\r\n\r\n");
	for (i = 0; i < GUARD_PARTS_FACTOR + 2; i++) {
		if (i == GUARD_PARTS_FACTOR)
			over = n;
		n += (size_t)snprintf(raw + n, sizeof(raw) - n,
		    "--b\r\n\r\npart\r\n");
	}
	limits(&lim, 64, 1);
	assert_int_equal(guard_mime(&g, raw, n, &lim), 0);
	assert_int_equal(g.limited, 1);
	assert_int_equal(g.cut, over);
	assert_string_equal(g.why, "MIME structure cut short: more than 4 "
	    "MIME parts");
}

static void
test_field_name(void **state)
{
	size_t namelen = 0;

	(void)state;
	assert_int_equal(guard_field_name("Subject: x", 10, &namelen), 1);
	assert_int_equal(namelen, 7);
	assert_int_equal(guard_field_name("Subject \t: x", 12, &namelen), 1);
	assert_int_equal(namelen, 7);
	assert_int_equal(guard_field_name(" Subject: x", 11, &namelen), 0);
	assert_int_equal(guard_field_name("Subject x", 9, &namelen), 0);
	assert_int_equal(guard_field_name(": x", 3, &namelen), 0);
	/* The colon must be within the line given. */
	assert_int_equal(guard_field_name("Subject: x", 7, &namelen), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within_limits),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_too_many_parts),
		cmocka_unit_test(test_field_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
