/*
 * test_text: charset conversion, control characters and
 * RFC 2047 header decoding (parsers/text.c).
 */
#include "testutil.h"

#include "lib/utf8.h"
#include "parsers/text.h"

#define FFFD	"\xEF\xBF\xBD"

static void
check_conv(const char *charset, const char *in, size_t inlen,
    const char *want, unsigned want_notes)
{
	unsigned	 notes = 0;
	size_t		 n = 12345;
	char		*out;

	out = text_to_utf8(charset, in, inlen, &n, &notes);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	assert_int_equal(notes, want_notes);
	assert_true(utf8_valid(out, n));
	free(out);
}

static void
check_header(const char *in, const char *want)
{
	char	*out = text_decode_header(in, strlen(in));

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
test_to_utf8_native(void **state)
{
	(void)state;
	check_conv("ISO-8859-1", "caf\xE9", 4, "caf\xC3\xA9", 0);
	check_conv("latin1", "\xA4", 1, "\xC2\xA4", 0);		/* ¤ */
	check_conv("ISO_8859-1", "\xC0", 1, "\xC3\x80", 0);
	/* latin1 0x80-0x9F are read as windows-1252, as clients do */
	check_conv("iso-8859-1", "\x80" "5", 2, "\xE2\x82\xAC" "5", 0);
	check_conv("ISO-8859-15", "\xA4\xBD\xA6", 3,
	    "\xE2\x82\xAC\xC5\x93\xC5\xA0", 0);			/* €œŠ */
	check_conv("windows-1252", "\x93hi\x94 \x85", 6,
	    "\xE2\x80\x9Chi\xE2\x80\x9D \xE2\x80\xA6", 0);	/* “hi” … */
	check_conv("CP1252", "\x9C\x8C", 2, "\xC5\x93\xC5\x92", 0);
	check_conv("windows-1252", "a\x81" "b", 3, "a" FFFD "b",
	    TEXT_REPLACED);
	check_conv("utf-8", "caf\xC3\xA9", 5, "caf\xC3\xA9", 0);
	check_conv("UTF8", "bad\xFF", 4, "bad" FFFD, TEXT_REPLACED);
	check_conv("utf-8", "\xEF\xBB\xBF" "BOM", 6, "BOM", 0);
	check_conv("utf-8", "N\0U\0L", 5, "NUL", 0);
	check_conv("iso-8859-1", "N\0U", 3, "NU", 0);
}

static void
test_to_utf8_guess(void **state)
{
	(void)state;
	/* No charset or US-ASCII: UTF-8 if valid, else windows-1252. */
	check_conv(NULL, "caf\xC3\xA9", 5, "caf\xC3\xA9", 0);
	check_conv(NULL, "caf\xE9 \x80", 6, "caf\xC3\xA9 \xE2\x82\xAC", 0);
	check_conv("us-ascii", "caf\xC3\xA9", 5, "caf\xC3\xA9", 0);
	check_conv("US-ASCII", "caf\xE9", 4, "caf\xC3\xA9", 0);
	/* Unknown charsets: the same guess, and a note. */
	check_conv("x-no-such-charset", "caf\xC3\xA9", 5, "caf\xC3\xA9",
	    TEXT_UNKNOWN_CHARSET);
	check_conv("unknown-8bit", "caf\xE9", 4, "caf\xC3\xA9",
	    TEXT_UNKNOWN_CHARSET);
	/* iconv suffixes are not passed through */
	check_conv("utf-8//TRANSLIT", "caf\xE9", 4, "caf\xC3\xA9",
	    TEXT_UNKNOWN_CHARSET);
	check_conv("", "x", 1, "x", TEXT_UNKNOWN_CHARSET);
}

static void
test_to_utf8_iconv(void **state)
{
	(void)state;
	check_conv("ISO-8859-2", "\xB1\xE6", 2, "\xC4\x85\xC4\x87", 0);	/* ąć */
	check_conv("KOI8-R", "\xC4\xC1", 2, "\xD0\xB4\xD0\xB0", 0);	/* да */
	check_conv("UTF-16LE", "h\0i\0", 4, "hi", 0);
	/* invalid byte in a multibyte charset: replaced, the rest kept */
	check_conv("Shift_JIS", "a\x82\xA0" "b\x81", 5,
	    "a\xE3\x81\x82" "b" FFFD, TEXT_REPLACED);
}

static void
test_clean_controls(void **state)
{
	char	s[64];
	size_t	n;

	(void)state;
	strcpy(s, "a\r\nb\rc\x01\x7F\xC2\x85" "d\te\n");
	n = text_clean_controls(s, strlen(s), 0);
	assert_string_equal(s, "a\nb\ncd\te\n");
	assert_int_equal(n, strlen(s));
	strcpy(s, "a\r\n\tb\nc\xC3\xA9\x1B[31m");
	n = text_clean_controls(s, strlen(s), TEXT_ONE_LINE);
	assert_string_equal(s, "a  b c\xC3\xA9[31m");
	assert_int_equal(n, 12);
	/* RLO ... PDF, LRM, isolates: gone; other U+20xx kept */
	strcpy(s, "\xE2\x80\xAE" "fdp.exe\xE2\x80\xAC\xE2\x80\x8E"
	    "\xE2\x81\xA6x\xE2\x81\xA9 \xE2\x80\x99\xE2\x82\xAC");
	n = text_clean_controls(s, strlen(s), 0);
	assert_string_equal(s, "fdp.exex \xE2\x80\x99\xE2\x82\xAC");
	assert_int_equal(n, strlen(s));
}

static void
test_decode_header(void **state)
{
	(void)state;
	check_header("=?UTF-8?Q?Convocation_-_examen_m=C3=A9dical_OFII?=",
	    "Convocation - examen m\xC3\xA9" "dical OFII");
	/* sample 05: two ISO-8859-1 Q words, folded, split inside a word */
	check_header("=?ISO-8859-1?Q?Votre_rendez-vous_=E0_la_visite_m=E9"
	    "dicale_=28OFII_Guadeloup?=\r\n =?ISO-8859-1?Q?e=29?=",
	    "Votre rendez-vous \xC3\xA0 la visite m\xC3\xA9" "dicale "
	    "(OFII Guadeloupe)");
	/* sample 07: two B words */
	check_header("=?UTF-8?B?VVJHRU5UIDogdm90cmUgY29udm9jYXRpb24gT0ZJSSAtIGN"
	    "vbmZpcm1hdGlv?= =?UTF-8?B?biBvYmxpZ2F0b2lyZQ==?=",
	    "URGENT : votre convocation OFII - confirmation obligatoire");
	/* a UTF-8 character split over two words, B and Q */
	check_header("=?utf-8?b?ww==?= =?utf-8?b?qQ==?=", "\xC3\xA9");
	check_header("=?utf-8?q?caf=C3?=\r\n\t=?UTF-8?Q?=A9?= !",
	    "caf\xC3\xA9 !");
	/* adjacent words in different charsets */
	check_header("=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A8?=",
	    "\xC3\xA9\xC3\xA8");
	/* plain text around words keeps its spaces */
	check_header("Re: =?utf-8?q?caf=C3=A9?= ok", "Re: caf\xC3\xA9 ok");
	check_header("a =?utf-8?q?b?=  c", "a b  c");
	/* RFC 2231 language suffix, lowercase encoding letters */
	check_header("=?UTF-8*fr?q?caf=C3=A9?=", "caf\xC3\xA9");
	/* not encoded words: left as they are */
	check_header("=?utf-8?x?abc?=", "=?utf-8?x?abc?=");
	check_header("=?utf-8?q?a b?=", "=?utf-8?q?a b?=");
	check_header("=?utf-8?q?unterminated", "=?utf-8?q?unterminated");
	check_header("=??q?x?=", "=??q?x?=");
	/* bad Q escape kept literally */
	check_header("=?utf-8?q?100=ZZ?=", "100=ZZ");
	/* unknown charset: bytes guessed */
	check_header("=?x-unknown?q?caf=E9?=", "caf\xC3\xA9");
	/* encoded controls and NUL removed, line breaks become spaces */
	check_header("=?utf-8?q?a=0Ab=00c=09d=1B?=", "a bc d");
	/* raw 8-bit header bytes */
	check_header("caf\xE9", "caf\xC3\xA9");
	check_header("caf\xC3\xA9", "caf\xC3\xA9");
	check_header("", "");
	/* invalid UTF-8 inside a UTF-8 word */
	check_header("=?utf-8?q?x=FFy?=", "x" FFFD "y");
}

static void
test_decode_header_hostile(void **state)
{
	char	*in, *out;
	size_t	 i, n = 200000;

	(void)state;
	/* many words and "=?" starts: linear, no crash */
	in = malloc(n + 1);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = "=?a?q?"[i % 6];
	in[n] = '\0';
	out = text_decode_header(in, n);
	assert_non_null(out);
	assert_true(utf8_valid(out, strlen(out)));
	free(out);
	for (i = 0; i + 14 <= n; i += 14)
		memcpy(in + i, "=?utf-8?q?=C3?", 14);
	out = text_decode_header(in, n);
	assert_non_null(out);
	assert_true(utf8_valid(out, strlen(out)));
	free(out);
	free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_utf8_native),
		cmocka_unit_test(test_to_utf8_guess),
		cmocka_unit_test(test_to_utf8_iconv),
		cmocka_unit_test(test_clean_controls),
		cmocka_unit_test(test_decode_header),
		cmocka_unit_test(test_decode_header_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
