/*
 * test_lib: the shared helpers of lib/: the UTF-8 decoder and its repair
 * (lib/utf8.c), the bounded buffer (lib/buf.c), the byte classes
 * (lib/ascii.h).
 */
#include "testutil.h"

#include "lib/ascii.h"
#include "lib/buf.h"
#include "lib/utf8.h"

#define FFFD	"\xEF\xBF\xBD"

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("plain ascii", 11));
	assert_true(utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
	    14));
	assert_true(utf8_valid("a\0b", 3));		/* NUL is UTF-8 */
	assert_true(utf8_valid("\xF4\x8F\xBF\xBF", 4));	/* U+10FFFF */
	assert_false(utf8_valid("\xC0\x80", 2));		/* overlong */
	assert_false(utf8_valid("\xE0\x80\x80", 3));	/* overlong */
	assert_false(utf8_valid("\xED\xA0\x80", 3));	/* surrogate */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4));	/* > 10FFFF */
	assert_false(utf8_valid("\xE2\x82", 2));		/* truncated */
	assert_false(utf8_valid("\x80", 1));
	assert_false(utf8_valid("caf\xE9", 4));		/* latin1 */
	assert_false(utf8_valid("\xFF", 1));
}

static void
test_utf8_sanitize(void **state)
{
	char	*s;
	size_t	 n;

	(void)state;
	s = utf8_sanitize("a\xFF" "b", 3, &n, NULL);
	assert_string_equal(s, "a" FFFD "b");
	assert_int_equal(n, 5);
	free(s);
	s = utf8_sanitize("a\0b\0", 4, &n, NULL);
	assert_string_equal(s, "ab");
	assert_int_equal(n, 2);
	free(s);
	/* One U+FFFD per maximal ill-formed subpart. */
	s = utf8_sanitize("\xE2\x82" "x", 3, &n, NULL);
	assert_string_equal(s, FFFD "x");
	free(s);
	s = utf8_sanitize("\xF0\x80\x80", 3, NULL, NULL);
	assert_string_equal(s, FFFD FFFD FFFD);
	free(s);
	s = utf8_sanitize("\xED\xA0\x80" "z", 4, NULL, NULL);
	assert_string_equal(s, FFFD FFFD FFFD "z");
	free(s);
	s = utf8_sanitize("\xE2\x82", 2, NULL, NULL);	/* truncated at end */
	assert_string_equal(s, FFFD);
	free(s);
	s = utf8_sanitize("", 0, &n, NULL);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
}

static void
test_utf8_decode(void **state)
{
	uint32_t	cp;
	size_t		n;

	(void)state;
	assert_int_equal(utf8_decode("A", 1, &cp, &n), 0);
	assert_int_equal(cp, 'A');
	assert_int_equal(n, 1);
	assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp, &n), 0);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(n, 2);
	assert_int_equal(utf8_decode("\xE2\x82\xAC", 3, &cp, &n), 0);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp, &n), 0);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(n, 4);
	/* The maximal ill-formed subpart, at least 1. */
	assert_int_equal(utf8_decode("\xE2\x82x", 3, &cp, &n), -1);
	assert_int_equal(n, 2);
	assert_int_equal(utf8_decode("\xE2\x82", 2, &cp, &n), -1);
	assert_int_equal(n, 2);
	assert_int_equal(utf8_decode("\xC0\x80", 2, &cp, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(utf8_decode("\xE0\x80\x80", 3, &cp, &n), -1);
	assert_int_equal(n, 1);
	/* A NUL ends a sequence: nothing past it is read. */
	assert_int_equal(utf8_decode("\xE2\0\x82", 4, &cp, &n), -1);
	assert_int_equal(n, 1);
}

static void
test_utf8_encode(void **state)
{
	static const uint32_t cps[] = { 0x41, 0xE9, 0x7FF, 0x800, 0x20AC,
	    0xFFFF, 0x10000, 0x10FFFF };
	char		out[4];
	uint32_t	cp;
	size_t		i, n, m;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], out);
		assert_int_equal(utf8_decode(out, n, &cp, &m), 0);
		assert_int_equal(cp, cps[i]);
		assert_int_equal(m, n);
	}
}

static void
test_utf8_boundary(void **state)
{
	const char *s = "ab\xC3\xA9\xE2\x82\xAC";

	(void)state;
	assert_int_equal(utf8_boundary(s, 2), 2);
	assert_int_equal(utf8_boundary(s, 3), 2);	/* inside é */
	assert_int_equal(utf8_boundary(s, 4), 4);
	assert_int_equal(utf8_boundary(s, 6), 4);	/* inside € */
	assert_int_equal(utf8_boundary(s, 7), 7);
}

static void
test_buf_grows(void **state)
{
	struct buf	 b = { 0 };
	char		*s;
	size_t		 n, i;

	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_addstr(&b, "0123456789"), 0);
	assert_int_equal(buf_printf(&b, "<%d %s>", 42, "x"), 0);
	assert_int_equal(buf_add_cp(&b, 0x20AC), 0);
	assert_int_equal(buf_addc(&b, '!'), 0);
	s = buf_finish(&b, &n);
	assert_non_null(s);
	assert_int_equal(n, 10000 + 6 + 3 + 1);
	assert_string_equal(s + 10000, "<42 x>\xE2\x82\xAC!");
	assert_null(b.p);
	free(s);
}

static void
test_buf_empty(void **state)
{
	struct buf	 b = { 0 };
	char		*s;
	size_t		 n = 99;

	(void)state;
	s = buf_finish(&b, &n);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
}

static void
test_buf_bounded(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_addstr(&b, "12345678"), 0);
	assert_string_equal(b.p, "12345678");
	/* Over the bound: failed, and it stays failed. */
	assert_int_equal(buf_addc(&b, '9'), -1);
	assert_true(b.failed);
	assert_int_equal(buf_printf(&b, "%s", ""), -1);
	assert_null(buf_finish(&b, NULL));
	assert_null(b.p);

	buf_init(&b, 4);
	assert_int_equal(buf_printf(&b, "%d", 123456), -1);
	buf_free(&b);
}

static void
test_ascii(void **state)
{
	(void)state;
	assert_true(ascii_is_word('a'));
	assert_true(ascii_is_word('Z'));
	assert_true(ascii_is_word(0xC3));
	assert_false(ascii_is_word('1'));
	assert_false(ascii_is_word('-'));
	assert_true(ascii_is_wordnum('7'));
	assert_true(ascii_is_digit('0'));
	assert_false(ascii_is_digit('a'));
	assert_int_equal(ascii_hexval('f'), 15);
	assert_int_equal(ascii_hexval('A'), 10);
	assert_int_equal(ascii_hexval('9'), 9);
	assert_int_equal(ascii_hexval('g'), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_sanitize),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_encode),
		cmocka_unit_test(test_utf8_boundary),
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_buf_empty),
		cmocka_unit_test(test_buf_bounded),
		cmocka_unit_test(test_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
