/*
 * html_to_text(): block structure, table cells, entities, dropped
 * elements, white space, encoding, hostile nesting, silence on stderr.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "parsers/html.h"

/* html_to_text() of a C string, compared with the exact expected text. */
static void
check(const char *html, const char *want)
{
	char *got = html_to_text(html, strlen(html));

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void
test_empty(void **state)
{
	char *t;

	(void)state;
	t = html_to_text(NULL, 0);
	assert_non_null(t);
	assert_string_equal(t, "");
	free(t);
	t = html_to_text("<p>x</p>", 0);
	assert_string_equal(t, "");
	free(t);
	check("<html><body></body></html>", "");
	check("   \n\t ", "");
	check("<!-- rien -->", "");
}

static void
test_blocks(void **state)
{
	(void)state;
	check("<p>Bonjour</p><p>Au revoir</p>", "Bonjour\n\nAu revoir\n");
	check("<div>un</div><div>deux</div>trois", "un\ndeux\ntrois\n");
	check("<h1>Titre</h1>texte<h2>Sous-titre</h2>",
	    "Titre\n\ntexte\n\nSous-titre\n");
	check("<address>OFII<br>16 rue de Lyon<br>29200 Brest</address>",
	    "OFII\n16 rue de Lyon\n29200 Brest\n");
	check("<ul><li>un</li><li>deux</li></ul>fin", "- un\n- deux\n\nfin\n");
	/* an empty item leaves no mark; an item's blocks stay in it */
	check("<ol><li></li><li><p>trois</p></li></ol>", "- trois\n");
	check("avant<hr>apres", "avant\n\napres\n");
}

static void
test_br(void **state)
{
	(void)state;
	check("a<br>b<br><br>c", "a\nb\n\nc\n");
	/* A <br> closing a block adds nothing to the block's break. */
	check("<div>a<br></div><div>b</div>", "a\nb\n");
	check("<br><br>debut", "debut\n");
	check("fin<br><br><br>", "fin\n");
}

static void
test_blank_lines(void **state)
{
	(void)state;
	check("<p>a</p><p></p><p> </p><div><br><br><br><br></div><p>b</p>",
	    "a\n\nb\n");
	check("<p>a</p>\n\n\n<p>b</p>", "a\n\nb\n");
}

/*
 * A <p> the style sheets or its style attribute give no vertical margin
 * is a line (Word and Outlook letters), an empty one a blank line; Word's
 * <o:p> inside it is no paragraph.
 */
static void
test_margin_free_p(void **state)
{
	(void)state;
	/* Word / Outlook desktop */
	check("<html><head><style><!--\n/* Font Definitions */\n"
	    "@font-face\n\t{font-family:\"Cambria Math\";}\n"
	    "p.MsoNormal, li.MsoNormal, div.MsoNormal\n\t{margin:0cm;\n"
	    "\tfont-size:12.0pt;}\n@page WordSection1\n\t{size:612.0pt "
	    "792.0pt;\n\tmargin:70.85pt 70.85pt 70.85pt 70.85pt;}\n"
	    "--></style></head><body><div class=WordSection1>"
	    "<p class=MsoNormal>Madame X,<o:p></o:p></p>"
	    "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
	    "<p class=MsoNormal>le 9 octobre 2025 :<o:p></o:p></p>"
	    "<p class=MsoNormal>OFII - Service medical<o:p></o:p></p>"
	    "<p class=MsoNormal>14 avenue Thiers<o:p></o:p></p>"
	    "<p class=MsoNormal>77000 Melun<o:p></o:p></p>"
	    "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
	    "<p class=MsoNormal>Cordialement,<o:p></o:p></p></div></body>"
	    "</html>",
	    "Madame X,\n\nle 9 octobre 2025 :\nOFII - Service medical\n"
	    "14 avenue Thiers\n77000 Melun\n\nCordialement,\n");
	/* Outlook on the web: a rule on every <p>, <p><br></p> between */
	check("<style type=\"text/css\"> P {margin-top:0;margin-bottom:0;} "
	    "</style><p>Dear Mr X,</p><p><br></p><p>OFII office</p>"
	    "<p>10 rue de la Republique</p><p><br></p><p>Regards</p>",
	    "Dear Mr X,\n\nOFII office\n10 rue de la Republique\n\n"
	    "Regards\n");
	/* the style attribute, Word's ".0001pt" counting as none */
	check("<p style=\"margin:0cm;margin-bottom:.0001pt\">a</p>"
	    "<p style=\"margin: 0px 0px 0px 0px\">b</p><p>c</p>",
	    "a\nb\n\nc\n");
	/* some margin left: still paragraphs */
	check("<style>p.MsoNormal{margin:0cm}</style>"
	    "<p class=MsoNormal style=\"margin-bottom:12.0pt\">a</p>"
	    "<p class=\"x MsoNormal\">b</p><p class=other>c</p>"
	    "<p style=\"margin-top:0\">d</p>",
	    "a\n\nb\n\nc\n\nd\n");
	/* later rules win, a class over "p"; @media rules are read, other
	   at-rules and selectors on other elements are not */
	check("<style>p{margin:0} p{margin-bottom:1em} .l{margin:0 !important}"
	    "@media screen{p.m{margin:0}} @font-face{p{margin:0}} "
	    "div p{margin:0} pre{margin:0}</style>"
	    "<p>a</p><p class=l>b</p><p class=l>c</p><p class=m>d</p>"
	    "<p class=m>e</p>",
	    "a\n\nb\nc\nd\ne\n");
	/* no sheet, nothing changes */
	check("<p>a<o:p></o:p></p><p>b</p>", "a\n\nb\n");
}

/* The bounds of the style sheet reading: 32 rules kept, class names under
   64 bytes; the end of the sheet closes an open rule (as CSS does) and
   ends an open comment. */
static void
test_margin_rules_bounded(void **state)
{
	char html[4096], cls[80];
	size_t n = 0;
	int i;

	(void)state;
	n += (size_t)snprintf(html + n, sizeof(html) - n, "<style>");
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(html + n, sizeof(html) - n,
		    ".c%d{margin:0}", i);
	snprintf(html + n, sizeof(html) - n, "</style><p class=c0>a</p>"
	    "<p class=c31>b</p><p class=c32>c</p><p class=c39>d</p>");
	check(html, "a\nb\n\nc\n\nd\n");
	memset(cls, 'k', sizeof(cls) - 1);
	cls[sizeof(cls) - 1] = '\0';
	snprintf(html, sizeof(html), "<style>.%s{margin:0}</style>"
	    "<p class=%s>a</p><p class=%s>b</p>", cls, cls, cls);
	check(html, "a\n\nb\n");
	check("<style>p{margin:0</style><p>a</p><p>b</p>", "a\nb\n");
	check("<style>/* p{margin:0}</style><p>a</p><p>b</p>", "a\n\nb\n");
	check("<style>@media x{p{margin:0}</style><p>a</p><p>b</p>",
	    "a\nb\n");
}

static void
test_table(void **state)
{
	(void)state;
	check("<table><tr><th>Date</th><th>Heure</th><th>Lieu</th></tr>\n"
	    "<tr><td>08/03/2022</td>\n  <td>09h30</td><td>7 rue Quivogne, "
	    "69002 Lyon</td></tr></table>",
	    "Date\tHeure\tLieu\n08/03/2022\t09h30\t7 rue Quivogne, 69002 Lyon\n");
	/* Cells never glue, even without a row around them. */
	check("<td>08/03/2022</td><td>09h30</td>", "08/03/2022\t09h30\n");
	/* Empty cells add no TAB. */
	check("<table><tr><td>a</td><td></td><td>b</td></tr></table>",
	    "a\tb\n");
	/* The <p> or <div> around a cell's text keeps the row on one line
	   (Word); a second block or a <br> in the cell breaks within it. */
	check("<style>p.MsoNormal{margin:0}</style><table><tr>"
	    "<td><p class=MsoNormal>17/03/2026<o:p></o:p></p></td>\n"
	    "<td><p class=MsoNormal>08h15</p></td><td><div>Radio</div></td>"
	    "<td><p class=MsoNormal>Centre X<br>\n41 rue Y</p>"
	    "<p class=MsoNormal>62000 Arras</p></td></tr><tr>"
	    "<td><p class=MsoNormal><o:p>&nbsp;</o:p></p></td>"
	    "<td><p>b</p></td><td><p class=MsoNormal></p></td></tr>"
	    "<tr><td><p>c</p></td></tr></table>",
	    "17/03/2026\t08h15\tRadio\tCentre X\n41 rue Y\n62000 Arras\n"
	    "b\nc\n");
	/* A table inside a cell: its rows are lines of their own. */
	check("<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table>"
	    "</td><td>d</td></tr></table>", "a\n\nb\tc\n\nd\n");
}

static void
test_entities(void **state)
{
	(void)state;
	check("37000&nbsp;Tours &eacute;&#233;&#xE9; &amp; &lt;b&gt; "
	    "l&rsquo;OFII &laquo;&nbsp;oui&nbsp;&raquo;",
	    "37000 Tours \xc3\xa9\xc3\xa9\xc3\xa9 & <b> l\xe2\x80\x99OFII "
	    "\xc2\xab oui \xc2\xbb\n");
	/* Literal NBSP and NNBSP are spaces too, and collapse. */
	check("de\xc2\xa0\xc2\xa0" "8h30 \xe2\x80\xaf: ok", "de 8h30 : ok\n");
	/* Unknown or unterminated entities stay as written. */
	check("&bogus; &amp", "&bogus; &amp\n");
}

static void
test_dropped(void **state)
{
	(void)state;
	check("<html><head><title>Titre</title><style>p { color: red }"
	    "</style><meta charset=utf-8></head><body><script>var x = "
	    "'<p>non</p>';</script><p>oui</p><!-- commentaire --><template>"
	    "<p>non plus</p></template><noscript>sans js</noscript></body>"
	    "</html>", "oui\n\nsans js\n");
}

static void
test_spaces(void **state)
{
	(void)state;
	check("<p>  a \n\t b   </p>", "a b\n");
	check("<b>8h30</b> <i>Tours</i>", "8h30 Tours\n");
	check("<b>8h</b><i>30</i>", "8h30\n");
	check("<p>le <strong>mardi 14 novembre 2023</strong>, de&nbsp;8h30 "
	    "&agrave; 11h30</p>",
	    "le mardi 14 novembre 2023, de 8h30 \xc3\xa0 11h30\n");
}

static void
test_pre(void **state)
{
	(void)state;
	check("<pre>l1\nl2\n\n\n\nl3</pre>suite", "l1\nl2\n\nl3\n\nsuite\n");
}

/* The input is UTF-8 whatever a <meta> inside says. */
static void
test_encoding(void **state)
{
	(void)state;
	check("<html><head><meta charset=\"iso-8859-1\"></head><body><p>"
	    "d\xc3\xa9j\xc3\xa0 \xe2\x80\x99</p></body></html>",
	    "d\xc3\xa9j\xc3\xa0 \xe2\x80\x99\n");
	check("<meta http-equiv=\"Content-Type\" content=\"text/html; "
	    "charset=windows-1252\"><p>\xc5\x93uvre</p>", "\xc5\x93uvre\n");
	check("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><p>\xc3\xa9</p>",
	    "\xc3\xa9\n");
	/* Bytes that are no UTF-8 come out as U+FFFD, never raw. */
	check("\xff\xfe<p>x\xc3</p>",
	    "\xef\xbf\xbd\xef\xbf\xbd\n\nx\xef\xbf\xbd\n");
}

static void
test_nul_byte(void **state)
{
	const char in[] = "<p>a\0b</p>";
	char *t;

	(void)state;
	/* The NUL does not end the input; libxml2 makes it a blank. */
	t = html_to_text(in, sizeof(in) - 1);
	assert_non_null(t);
	assert_string_equal(t, "a b\n");
	free(t);
}

static double
elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1e3 + (b.tv_nsec - a->tv_nsec) / 1e6;
}

/* open * depth, then `mid`, then close * depth, between two paragraphs. */
static char *
nest(const char *open, const char *close, int depth, const char *mid)
{
	size_t lo = strlen(open), lc = strlen(close), n;
	char *s, *p;
	int i;

	n = 20 + (lo + lc) * (size_t)depth + strlen(mid) + 20;
	s = p = malloc(n);
	assert_non_null(s);
	p += sprintf(p, "<p>avant</p>");
	for (i = 0; i < depth; i++, p += lo)
		memcpy(p, open, lo);
	p += sprintf(p, "%s", mid);
	for (i = 0; i < depth; i++, p += lc)
		memcpy(p, close, lc);
	sprintf(p, "<p>apres</p>");
	return s;
}

/* 100000 levels: no stack growth (we walk iteratively), no text lost. */
static void
test_deep_nesting(void **state)
{
	struct timespec t0;
	char *html, *t;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	html = nest("<div>", "</div>", 100000, "fond");
	t = html_to_text(html, strlen(html));
	assert_non_null(t);
	assert_string_equal(t, "avant\n\nfond\n\napres\n");
	free(t);
	free(html);

	/* Never closed: "apres" is a paragraph inside the innermost div. */
	html = nest("<div>", "", 100000, "fond");
	t = html_to_text(html, strlen(html));
	assert_string_equal(t, "avant\n\nfond\n\napres\n");
	free(t);
	free(html);

	/* Inline and table nests. */
	html = nest("<b><i>", "</i></b>", 50000, "fond");
	t = html_to_text(html, strlen(html));
	assert_string_equal(t, "avant\n\nfond\n\napres\n");
	free(t);
	free(html);
	html = nest("<table><tr><td>", "</td></tr></table>", 20000, "fond");
	t = html_to_text(html, strlen(html));
	assert_string_equal(t, "avant\n\nfond\n\napres\n");
	free(t);
	free(html);
	/* Generous for ASan; takes about 0.1 s per case without. */
	assert_true(elapsed_ms(&t0) < 10000);
}

/* libxml2 must not print its complaints: the daemon's stderr is the log. */
static void
test_silent(void **state)
{
	const char *broken = "<p><b>non ferm\xc3\xa9 <td></table></foo><<>>"
	    "&bogus;<a href=\"x\"y=z>lien</p></div></body></html></html><x:y>";
	char path[] = "/tmp/test_html_stderrXXXXXX";
	int fd, saved;
	off_t size;
	char *t;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	t = html_to_text(broken, strlen(broken));
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	size = lseek(fd, 0, SEEK_END);
	close(fd);
	assert_non_null(t);
	/* The stray <td> closes the paragraph; </foo> is an end tag. */
	assert_string_equal(t, "non ferm\xc3\xa9\n\n<<>>&bogus;lien\n");
	free(t);
	assert_int_equal(size, 0);
}

/* The HTML part of shared sample 02 (Tours), as the MIME layer hands it. */
static void
test_sample02(void **state)
{
	(void)state;
	check("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<title>Visite m&eacute;dicale OFII</title>\n</head>\n"
	    "<body style=\"margin:0\">\n<div style=\"max-width:600px\">\n"
	    "<div style=\"padding:20px;\">\n<p>Bonjour Madame QUISPE,</p>\n"
	    "<p>Votre visa de long s&eacute;jour a &eacute;t&eacute; valid&eacute;. "
	    "Nous vous attendons</p>\n<div style=\"border-left:4px\">\n"
	    "<strong>le mardi 14 novembre 2023, de&nbsp;8h30 &agrave; 11h30</strong><br>\n"
	    "Espace sant&eacute; de l&#39;OFII<br>\n"
	    "28 rue &Eacute;douard Vaillant, 37000&nbsp;Tours<br>\n"
	    "<span style=\"color:#666666;\">(&agrave; 5&nbsp;minutes &agrave; pied de la gare de Tours)</span>\n"
	    "</div>\n<p><strong>Prenez avec vous&nbsp;:</strong></p>\n<ul>\n"
	    "<li>une photo d&#39;identit&eacute; r&eacute;cente&nbsp;;</li>\n"
	    "<li>votre passeport&nbsp;;</li>\n</ul>\n"
	    "<p>Une question&nbsp;? appelez le 02&nbsp;47&nbsp;31&nbsp;64&nbsp;08 "
	    "(du lundi au jeudi, de 14h &agrave; 16h).</p>\n</div>\n</div>\n"
	    "</body>\n</html>\n",
	    "Bonjour Madame QUISPE,\n\n"
	    "Votre visa de long s\xc3\xa9jour a \xc3\xa9t\xc3\xa9 valid\xc3\xa9. "
	    "Nous vous attendons\n\n"
	    "le mardi 14 novembre 2023, de 8h30 \xc3\xa0 11h30\n"
	    "Espace sant\xc3\xa9 de l'OFII\n"
	    "28 rue \xc3\x89" "douard Vaillant, 37000 Tours\n"
	    "(\xc3\xa0 5 minutes \xc3\xa0 pied de la gare de Tours)\n\n"
	    "Prenez avec vous :\n\n"
	    "- une photo d'identit\xc3\xa9 r\xc3\xa9" "cente ;\n"
	    "- votre passeport ;\n\n"
	    "Une question ? appelez le 02 47 31 64 08 "
	    "(du lundi au jeudi, de 14h \xc3\xa0 16h).\n");
}

/* Many calls: libxml2's global state is set up once and stays sane. */
static void
test_repeat(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		check("<p>x&eacute;</p><td>a</td><td>b</td>",
		    "x\xc3\xa9\n\na\tb\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_br),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_margin_free_p),
		cmocka_unit_test(test_margin_rules_bounded),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_spaces),
		cmocka_unit_test(test_pre),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_silent),
		cmocka_unit_test(test_sample02),
		cmocka_unit_test(test_repeat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
