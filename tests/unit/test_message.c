/*
 * test_message: MIME parsing of raw mails (parsers/message.c): headers,
 * every transfer encoding, charsets, multipart/alternative, related,
 * forwarded messages, RFC 2047/2231, PDF detection, broken structure,
 * limits and hostile input.  Fixtures: tests/fixtures/mime/ (small mails
 * written for these tests) and tests/fixtures/samples/ (the shared
 * samples).  Each fixture is parsed with LF and with CRLF line ends.
 */
#include <time.h>

#include "testutil.h"

#include "lib/utf8.h"
#include "parsers/message.h"
#include "parsers/text.h"

#define FFFD	"\xEF\xBF\xBD"

enum eol {
	EOL_LF,
	EOL_CRLF
};

/* The PDF bytes the fixture mails carry (base64). */
static const char fixture_pdf[] =
    "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
    "endobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n"
    "<< /Root 1 0 R >>\n%%EOF\n";

static double
now_seconds(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The file with every line ending turned into LF or CRLF. */
static char *
read_eol(const char *path, enum eol eol, size_t *lenp)
{
	size_t	 len, i, n = 0;
	char	*raw = testutil_read(path, &len), *out;

	out = malloc(len * 2 + 1);
	assert_non_null(out);
	for (i = 0; i < len; i++) {
		if (raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')
			continue;
		if (raw[i] == '\n' && eol == EOL_CRLF)
			out[n++] = '\r';
		out[n++] = raw[i];
	}
	out[n] = '\0';
	free(raw);
	*lenp = n;
	return out;
}

static struct message *
parse_buf(const char *raw, size_t len, const struct message_limits *lim)
{
	struct message	*m = NULL;
	char		*err = NULL;
	size_t		 i;

	if (message_parse(raw, len, lim, &m, &err) != 0)
		fail_msg("message_parse: %s", err ? err : "(no message)");
	assert_null(err);
	assert_non_null(m);
	/* Invariants of every parse. */
	assert_non_null(m->from);
	assert_non_null(m->from_addr);
	assert_non_null(m->subject);
	assert_non_null(m->message_id);
	assert_non_null(m->date);
	assert_true(utf8_valid(m->subject, strlen(m->subject)));
	assert_true(utf8_valid(m->from, strlen(m->from)));
	for (i = 0; i < m->nheaders; i++) {
		const char *v = m->headers[i].value;

		assert_true(utf8_valid(v, strlen(v)));
		for (; *v; v++)
			assert_true((unsigned char)*v >= ' ' && *v != 0x7F);
	}
	for (i = 0; i < m->nparts; i++) {
		struct message_part *p = &m->parts[i];

		assert_non_null(p->content_type);
		assert_non_null(p->data);
		assert_int_equal(p->data[p->len], '\0');
		assert_true(p->depth >= 0);
		if (p->kind == PART_CALENDAR)
			assert_true(utf8_valid(p->data, p->len));
		if (p->kind == PART_TEXT || p->kind == PART_HTML) {
			assert_int_equal(strlen(p->data), p->len);
			assert_true(utf8_valid(p->data, p->len));
			assert_non_null(p->text);
			assert_true(utf8_valid(p->text,
			    strlen(p->text)));
			assert_null(strchr(p->text, '\r'));
		} else
			assert_null(p->text);
		if (p->filename != NULL)
			assert_true(utf8_valid(p->filename,
			    strlen(p->filename)));
	}
	return m;
}

static struct message *
load(const char *name, enum eol eol, const struct message_limits *lim)
{
	char		 path[256];
	char		*raw;
	size_t		 len;
	struct message	*m;

	snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	raw = read_eol(path, eol, &len);
	m = parse_buf(raw, len, lim);
	free(raw);
	return m;
}

static void
assert_pdf_part(const struct message_part *p, const char *filename)
{
	assert_int_equal(p->kind, PART_PDF);
	assert_int_equal(p->len, sizeof(fixture_pdf) - 1);
	assert_memory_equal(p->data, fixture_pdf, p->len);
	if (filename == NULL)
		assert_null(p->filename);
	else
		assert_string_equal(p->filename, filename);
}

static void
test_plain_7bit(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/plain_7bit.eml", eol, NULL);
		assert_int_equal(m->nheaders, 10);
		assert_string_equal(m->headers[0].name, "Return-Path");
		assert_string_equal(m->headers[0].value,
		    "<ne-pas-repondre@ofii.fr>");
		assert_string_equal(m->headers[1].name, "Received");
		assert_string_equal(m->headers[1].value, "from mta.ofii.fr "
		    "(mta.ofii.fr [192.0.2.10]) by mx.example.org with ESMTPS "
		    "id 4AbC for <user@example.org>; Tue, 5 Sep 2023 10:00:02 "
		    "+0200");
		assert_string_equal(m->headers[9].name,
		    "Content-Transfer-Encoding");
		assert_string_equal(message_header(m, "SUBJECT"),
		    "Convocation");
		assert_string_equal(message_header(m, "content-type"),
		    "text/plain; charset=us-ascii");
		assert_null(message_header(m, "X-Absent"));
		assert_string_equal(m->from, "OFII Lyon");
		assert_string_equal(m->from_addr, "ne-pas-repondre@ofii.fr");
		assert_string_equal(m->subject, "Convocation");
		assert_string_equal(m->message_id, "<plain-7bit-0001@ofii.fr>");
		assert_string_equal(m->date, "Tue, 5 Sep 2023 10:00:00 +0200");
		assert_int_equal(m->date_utc, 1693900800);
		assert_int_equal(m->truncated, 0);
		assert_null(m->warning);
		assert_int_equal(m->nparts, 1);
		assert_int_equal(m->parts[0].kind, PART_TEXT);
		assert_string_equal(m->parts[0].content_type, "text/plain");
		assert_null(m->parts[0].filename);
		assert_int_equal(m->parts[0].depth, 0);
		assert_int_equal(m->parts[0].forwarded, 0);
		assert_int_equal(m->parts[0].attachment, 0);
		assert_string_equal(m->parts[0].text, "Bonjour,\n\nVous etes "
		    "convoque le 12/09/2023 a 9h30.\n");
		assert_string_equal(m->parts[0].data, eol == EOL_LF ?
		    "Bonjour,\n\nVous etes convoque le 12/09/2023 a 9h30.\n" :
		    "Bonjour,\r\n\r\nVous etes convoque le 12/09/2023 a "
		    "9h30.\r\n");
		message_free(m);
	}
}

static void
test_qp_latin1(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/qp_latin1.eml", eol, NULL);
		assert_string_equal(m->subject,
		    "Votre convocation \xC3\xA0 l'OFII");
		assert_string_equal(m->from, "OFII Rennes");
		assert_int_equal(m->nparts, 1);
		assert_int_equal(m->parts[0].kind, PART_TEXT);
		/* soft line break joined, =E9 etc. from latin1, =80 as the
		   euro sign (windows-1252), =3D an equals sign */
		assert_string_equal(m->parts[0].text, "Madame,\n\nVotre visite "
		    "m\xC3\xA9" "dicale aura lieu le lundi 2 octobre 2023 "
		    "\xC3\xA0 14h30, au si\xC3\xA8ge de l'OFII. Co\xC3\xBBt : "
		    "0 \xE2\x82\xAC (1+1=2).\n");
		assert_null(m->warning);
		message_free(m);
	}
}

static void
test_base64_utf8(void **state)
{
	static const char want[] = "Rendez-vous confirm\xC3\xA9 : jeudi 9 "
	    "novembre 2023 \xC3\xA0 8 h 45.\n\xC5\x92uvre \xE2\x80\x94 "
	    "\xE2\x80\x9C" "citation\xE2\x80\x9D \xE2\x9C\x93\n";
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/base64_utf8.eml", eol, NULL);
		assert_string_equal(m->from, "rdv@ofii.fr");
		assert_string_equal(m->from_addr, "rdv@ofii.fr");
		assert_string_equal(m->subject, "Rendez-vous confirm\xC3\xA9");
		assert_int_equal(m->date_utc, 1694623200);
		/* folded Content-Type parameter */
		assert_string_equal(message_header(m, "Content-Type"),
		    "text/plain; charset=\"utf-8\"");
		assert_int_equal(m->nparts, 1);
		/* base64 content is the same whatever the mail's line ends */
		assert_string_equal(m->parts[0].data, want);
		assert_string_equal(m->parts[0].text, want);
		assert_int_equal(m->parts[0].len, sizeof(want) - 1);
		message_free(m);
	}
}

static void
test_8bit_latin9(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/8bit_latin9.eml", eol, NULL);
		assert_int_equal(m->nparts, 1);
		assert_string_equal(m->parts[0].text, "Timbre fiscal : 200 "
		    "\xE2\x82\xAC\nC\xC5\x93ur de ville\n");
		assert_null(m->warning);
		message_free(m);
	}
}

static void
test_cp1252_html(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/cp1252_html.eml", eol, NULL);
		assert_int_equal(m->nparts, 1);
		assert_int_equal(m->parts[0].kind, PART_HTML);
		assert_string_equal(m->parts[0].content_type, "text/html");
		/* data: the HTML converted to UTF-8 ("binary" encoding) */
		assert_non_null(strstr(m->parts[0].data, "<p>\xE2\x80\x9C"
		    "Convocation\xE2\x80\x9D \xE2\x80\x93 frais : "
		    "0\xE2\x82\xAC</p><p>Caf&eacute; cr\xC3\xA8me</p>"));
		/* text: through html_to_text() */
		assert_non_null(strstr(m->parts[0].text, "\xE2\x80\x9C"
		    "Convocation\xE2\x80\x9D \xE2\x80\x93 frais : "
		    "0\xE2\x82\xAC"));
		assert_non_null(strstr(m->parts[0].text,
		    "Caf\xC3\xA9 cr\xC3\xA8me"));
		assert_null(strstr(m->parts[0].text, "<p>"));
		message_free(m);
	}
}

static void
test_alternative(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/alternative.eml", eol, NULL);
		/* one meaning: the HTML (the last, richest) alone */
		assert_int_equal(m->nparts, 1);
		assert_int_equal(m->parts[0].kind, PART_HTML);
		assert_int_equal(m->parts[0].depth, 1);
		assert_non_null(strstr(m->parts[0].text,
		    "HTML: rendez-vous le 3 mai \xC3\xA0 10h."));
		assert_null(strstr(m->parts[0].text, "Plain"));
		message_free(m);

		/* an HTML alternative without text loses to the plain one */
		m = load("mime/alternative_empty_html.eml", eol, NULL);
		assert_int_equal(m->nparts, 1);
		assert_int_equal(m->parts[0].kind, PART_TEXT);
		assert_string_equal(m->parts[0].text, "Le texte seul compte.");
		message_free(m);
	}
}

static void
test_alternative_related(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/alternative_related.eml", eol, NULL);
		assert_string_equal(m->subject,
		    "Convocation et pi\xC3\xA8" "ce jointe");
		assert_int_equal(m->nparts, 3);
		/* mixed > alternative > related > html */
		assert_int_equal(m->parts[0].kind, PART_HTML);
		assert_int_equal(m->parts[0].depth, 3);
		assert_non_null(strstr(m->parts[0].text, "Version HTML."));
		assert_null(strstr(m->parts[0].text, "Version texte"));
		assert_int_equal(m->parts[1].kind, PART_OTHER);
		assert_string_equal(m->parts[1].content_type, "image/png");
		assert_string_equal(m->parts[1].filename, "logo.png");
		assert_int_equal(m->parts[1].attachment, 0);
		assert_int_equal(m->parts[1].len, 8);
		assert_memory_equal(m->parts[1].data, "\x89PNG\r\n\x1A\n", 8);
		assert_pdf_part(&m->parts[2], "convocation.pdf");
		assert_string_equal(m->parts[2].content_type,
		    "application/pdf");
		assert_int_equal(m->parts[2].attachment, 1);
		assert_int_equal(m->parts[2].depth, 1);
		message_free(m);
	}
}

static void
test_forwarded(void **state)
{
	struct message	*m;
	size_t		 i;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/forwarded.eml", eol, NULL);
		/* top-level headers only */
		assert_int_equal(m->nheaders, 7);
		assert_string_equal(m->subject, "Fwd: Convocation");
		assert_string_equal(m->from_addr, "amina@example.org");
		for (i = 0; i < m->nheaders; i++)
			assert_null(strstr(m->headers[i].value,
			    "Convocation OFII"));
		assert_int_equal(m->nparts, 3);
		assert_int_equal(m->parts[0].forwarded, 0);
		assert_int_equal(m->parts[0].depth, 1);
		assert_string_equal(m->parts[0].text,
		    "Voir le message transf\xC3\xA9r\xC3\xA9.");
		/* mixed > message/rfc822 > mixed > leaves */
		assert_int_equal(m->parts[1].kind, PART_TEXT);
		assert_int_equal(m->parts[1].forwarded, 1);
		assert_int_equal(m->parts[1].depth, 3);
		assert_string_equal(m->parts[1].text, "Vous \xC3\xAAtes "
		    "convoqu\xC3\xA9" "e le 1er f\xC3\xA9vrier.");
		assert_pdf_part(&m->parts[2], "convocation.pdf");
		assert_int_equal(m->parts[2].forwarded, 1);
		assert_int_equal(m->parts[2].depth, 3);
		message_free(m);
	}
}

static void
test_rfc2231_filenames(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/rfc2231.eml", eol, NULL);
		assert_int_equal(m->nparts, 5);
		/* filename*=UTF-8''... on an octet-stream PDF */
		assert_pdf_part(&m->parts[0],
		    "r\xC3\xA9" "c\xC3\xA9piss\xC3\xA9.pdf");
		assert_string_equal(m->parts[0].content_type,
		    "application/octet-stream");
		assert_int_equal(m->parts[0].attachment, 1);
		/* filename*0*, *1*, *2 (listed out of order) */
		assert_pdf_part(&m->parts[1],
		    "convocation m\xC3\xA9" "dicale OFII.pdf");
		/* RFC 2047 inside a quoted filename */
		assert_pdf_part(&m->parts[2], "visite m\xC3\xA9" "dicale.pdf");
		/* Content-Type name*=iso-8859-1'fr'... */
		assert_int_equal(m->parts[3].kind, PART_TEXT);
		assert_string_equal(m->parts[3].filename, "caf\xC3\xA9.txt");
		assert_string_equal(m->parts[3].text, "Contenu.");
		assert_int_equal(m->parts[3].attachment, 0);
		/* filename* wins over filename; named .pdf but not a PDF */
		assert_int_equal(m->parts[4].kind, PART_OTHER);
		assert_string_equal(m->parts[4].filename, "\xC3\xA9t\xC3\xA9.pdf");
		assert_string_equal(m->parts[4].data, "hello");
		assert_string_equal(m->warning, "a PDF attachment does not "
		    "start with %PDF-: not read as a PDF");
		assert_int_equal(m->truncated, 0);
		message_free(m);
	}
}

static void
test_pdf_detection(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/pdf_octet.eml", eol, NULL);
		assert_int_equal(m->nparts, 5);
		assert_pdf_part(&m->parts[0], "Convocation.PDF");
		assert_string_equal(m->parts[0].content_type,
		    "application/octet-stream");
		assert_pdf_part(&m->parts[1], NULL);
		/* declared PDF, decodes to HTML: not a PDF */
		assert_int_equal(m->parts[2].kind, PART_OTHER);
		assert_string_equal(m->parts[2].content_type,
		    "application/pdf");
		assert_string_equal(m->parts[2].data,
		    "<html>not a pdf</html>\n");
		assert_int_equal(m->parts[3].kind, PART_OTHER);
		assert_string_equal(m->parts[3].content_type, "image/jpeg");
		assert_int_equal(m->parts[3].len, 13);
		/* %PDF- after a few bytes of junk is still a PDF */
		assert_int_equal(m->parts[4].kind, PART_PDF);
		assert_int_equal(m->parts[4].len, sizeof(fixture_pdf) - 1 + 4);
		assert_memory_equal(m->parts[4].data + 4, fixture_pdf,
		    sizeof(fixture_pdf) - 1);
		assert_string_equal(m->warning, "a PDF attachment does not "
		    "start with %PDF-: not read as a PDF");
		message_free(m);
	}
}

static void
test_missing_boundary(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/no_boundary.eml", eol, NULL);
		assert_int_equal(m->nparts, 2);
		assert_int_equal(m->parts[0].kind, PART_TEXT);
		assert_string_equal(m->parts[0].text,
		    "Texte r\xC3\xA9" "cup\xC3\xA9r\xC3\xA9.");
		assert_pdf_part(&m->parts[1], "c.pdf");
		assert_string_equal(m->warning, "multipart/mixed without a "
		    "boundary parameter: boundary guessed from its body");
		assert_int_equal(m->truncated, 0);
		message_free(m);
	}
}

static void
test_missing_closing_boundary(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/no_closing_boundary.eml", eol, NULL);
		assert_int_equal(m->nparts, 2);
		assert_string_equal(m->parts[0].text, "Premier.");
		assert_pdf_part(&m->parts[1], "tronque.pdf");
		message_free(m);
	}
}

static void
test_nul_and_controls(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/nul_bytes.eml", eol, NULL);
		assert_string_equal(m->subject, "Convocation");
		assert_string_equal(message_header(m, "X-Ctl"), "abcd");
		assert_int_equal(m->nparts, 1);
		assert_string_equal(m->parts[0].data, eol == EOL_LF ?
		    "AB\nCD\n" : "AB\r\nCD\r\n");
		assert_int_equal(m->parts[0].len, eol == EOL_LF ? 6 : 8);
		assert_string_equal(m->parts[0].text, "AB\nCD\n");
		message_free(m);
	}
}

static void
test_charsets(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/unknown_charset.eml", eol, NULL);
		assert_int_equal(m->nparts, 4);
		/* unknown charset, not UTF-8: windows-1252 */
		assert_string_equal(m->parts[0].text,
		    "caf\xC3\xA9 cr\xC3\xA8me");
		/* unknown charset, valid UTF-8: kept */
		assert_string_equal(m->parts[1].text, "d\xC3\xA9j\xC3\xA0");
		/* UTF-8 with a bad byte */
		assert_string_equal(m->parts[2].text, "bad " FFFD " byte");
		/* unknown transfer encoding: bytes kept as they are */
		assert_string_equal(m->parts[3].text, "raw =E9 kept");
		assert_string_equal(m->warning, "unknown charset "
		    "\"x-no-such-charset\": text read as UTF-8 or "
		    "windows-1252");
		assert_int_equal(m->truncated, 0);
		message_free(m);
	}
}

static void
test_rfc2047_headers(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/rfc2047_headers.eml", eol, NULL);
		/* adjacent words joined, the space inside the second kept */
		assert_string_equal(m->from, "OFII \xE2\x80\x94 Accueil");
		assert_string_equal(m->from_addr, "accueil@lyon.ofii.fr");
		/* folded, a character split over two B words, then
		   plain text and an ISO-8859-1 Q word */
		assert_string_equal(m->subject, "Re: Convocation m\xC3\xA9"
		    "dicale \xE2\x80\x93 date confirm\xC3\xA9 "
		    "(\xC3\xA9t\xC3\xA9)");
		/* the raw value stays encoded, unfolded */
		assert_non_null(strstr(message_header(m, "Subject"),
		    "?= =?UTF-8?B?"));
		assert_string_equal(m->message_id, "<rfc2047-0016@ofii.fr>");
		assert_string_equal(m->date,
		    "Wed, 27 Sep 2023 08:12:30 -0400 (AST)");
		assert_int_equal(m->date_utc, 1695816750);
		message_free(m);
	}
}

static void
test_depth_limit(void **state)
{
	struct message_limits	 lim;
	struct message		*m;

	(void)state;
	m = load("mime/digest.eml", EOL_LF, NULL);
	/* multipart/digest children are message/rfc822 by default */
	assert_int_equal(m->nparts, 1);
	assert_string_equal(m->parts[0].text, "digest body");
	assert_int_equal(m->parts[0].depth, 2);
	assert_int_equal(m->parts[0].forwarded, 1);
	message_free(m);

	message_limits_default(&lim);
	lim.max_depth = 1;
	m = load("mime/digest.eml", EOL_CRLF, &lim);
	assert_int_equal(m->nparts, 0);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning, "MIME nesting deeper than 1 levels: "
	    "deeper parts skipped");
	message_free(m);
}

static void
test_parts_and_size_limits(void **state)
{
	struct message_limits	 lim;
	struct message		*m;
	char			*raw, want[128];
	size_t			 len;

	(void)state;
	/* entities counted: the multipart, then its leaves */
	message_limits_default(&lim);
	lim.max_parts = 2;
	m = load("mime/rfc2231.eml", EOL_LF, &lim);
	assert_int_equal(m->nparts, 1);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning,
	    "more than 2 MIME parts: the rest skipped");
	message_free(m);

	/* one decoded part over max_attachment is skipped */
	message_limits_default(&lim);
	lim.max_attachment = 100;
	m = load("mime/no_closing_boundary.eml", EOL_CRLF, &lim);
	assert_int_equal(m->nparts, 1);
	assert_string_equal(m->parts[0].text, "Premier.");
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning, "application/pdf part of 148 bytes "
	    "over the 100-byte limit: skipped");
	assert_int_equal(m->skipped_parts, 1);
	assert_int_equal(m->cut, 0);
	message_free(m);

	/* a message over max_message is read from its first max_message
	   bytes, and says so; not a byte more */
	raw = read_eol("tests/fixtures/mime/plain_7bit.eml", EOL_LF, &len);
	message_limits_default(&lim);
	lim.max_message = (size_t)(strstr(raw, "9h30") + 3 - raw);
	m = parse_buf(raw, len, &lim);
	assert_int_equal(m->cut, 1);
	assert_int_equal(m->truncated, 1);
	assert_int_equal(m->skipped_parts, 0);
	snprintf(want, sizeof(want), "mail cut at %zu bytes (the size limit): "
	    "the rest is not read", lim.max_message);
	assert_string_equal(m->warning, want);
	assert_string_equal(m->subject, "Convocation");
	assert_int_equal(m->nparts, 1);
	/* the text part, as far as it goes */
	assert_string_equal(m->parts[0].text, "Bonjour,\n\nVous etes convoque "
	    "le 12/09/2023 a 9h3");
	message_free(m);
	lim.max_message = len;
	m = parse_buf(raw, len, &lim);
	assert_int_equal(m->cut, 0);
	assert_int_equal(m->truncated, 0);
	message_free(m);
	free(raw);

	/* the default: 25 MiB */
	len = 25 * 1024 * 1024 + 1;
	raw = malloc(len);
	assert_non_null(raw);
	memset(raw, 'a', len);
	m = parse_buf(raw, len, NULL);
	assert_int_equal(m->cut, 1);
	assert_int_equal(m->truncated, 1);
	/* one line of 25 MiB, as far as it goes: a text body over the
	   20 MiB limit of one part */
	assert_int_equal(m->nparts, 0);
	assert_int_equal(m->skipped_parts, 1);
	assert_string_equal(m->warning, "text/plain part of 26214400 bytes "
	    "over the 20971520-byte limit: skipped");
	message_free(m);
	free(raw);
}

/*
 * A mail of 28 MB whose 20 MB are one attachment, cut at the 25 MiB limit
 * (as a fetch stops there): the headers, the text part and the small PDF
 * before the big attachment are read; the big attachment the cut goes
 * through is dropped, with a warning, not decoded half.  The same cut
 * anywhere: never a half part but text.
 */
static void
test_cut_mail(void **state)
{
	static const char head[] = "From: OFII Lyon <no-reply@ofii.fr>\r\n"
	    "Subject: Convocation\r\nMessage-ID: <big@ofii.fr>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
	    "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	    "Vous \xc3\xaates convoqu\xc3\xa9 le 15/03/2022 \xc3\xa0 10h30.\r\n"
	    "--b1\r\nContent-Type: application/pdf; name=\"lettre.pdf\"\r\n"
	    "Content-Transfer-Encoding: binary\r\n\r\n";
	static const char big[] = "\r\n--b1\r\n"
	    "Content-Type: application/zip; name=\"annexes.zip\"\r\n"
	    "Content-Disposition: attachment; filename=\"annexes.zip\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n";
	struct message_limits lim;
	struct message *m;
	char *raw, *p;
	size_t len, max = 25 * 1024 * 1024, i, cut, n;
	int lines;

	(void)state;
	/* 28 MB: headers, text, a small PDF, 20 MiB of zip in base64 (27
	   MB of lines), the closing delimiter. */
	len = 28 * 1000 * 1000;
	raw = malloc(len + 1);
	assert_non_null(raw);
	p = raw;
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	memcpy(p, fixture_pdf, sizeof(fixture_pdf) - 1);
	p += sizeof(fixture_pdf) - 1;
	memcpy(p, big, sizeof(big) - 1);
	p += sizeof(big) - 1;
	for (lines = 0; (size_t)(p - raw) + 78 + 10 < len; lines++) {
		memset(p, lines % 2 ? 'Q' : 'A', 76);
		memcpy(p + 76, "\r\n", 2);
		p += 78;
	}
	memcpy(p, "--b1--\r\n", 8);
	p += 8;
	len = (size_t)(p - raw);
	assert_true(len > 27 * 1000 * 1000);

	/* Whole, with the limits raised: three parts. */
	message_limits_default(&lim);
	lim.max_message = lim.max_attachment = 64 * 1024 * 1024;
	m = parse_buf(raw, len, &lim);
	assert_int_equal(m->nparts, 3);
	assert_int_equal(m->cut, 0);
	message_free(m);

	/* Cut at the default limit, as the fetch does. */
	m = NULL;
	assert_int_equal(message_parse_cut(raw, max, NULL, &m, NULL), 0);
	assert_string_equal(m->subject, "Convocation");
	assert_string_equal(m->from_addr, "no-reply@ofii.fr");
	assert_string_equal(m->message_id, "<big@ofii.fr>");
	assert_int_equal(m->nparts, 2);
	assert_int_equal(m->parts[0].kind, PART_TEXT);
	assert_non_null(strstr(m->parts[0].text, "le 15/03/2022"));
	assert_int_equal(m->parts[1].kind, PART_PDF);
	assert_int_equal(m->parts[1].len, sizeof(fixture_pdf) - 1);
	assert_int_equal(m->cut, 1);
	assert_int_equal(m->truncated, 1);
	assert_int_equal(m->skipped_parts, 1);
	assert_string_equal(m->warning, "mail cut at 26214400 bytes (the size "
	    "limit): its application/zip part is not read");
	message_free(m);

	/* The same from the whole mail: message_parse() cuts it itself. */
	m = parse_buf(raw, len, NULL);
	assert_int_equal(m->nparts, 2);
	assert_int_equal(m->skipped_parts, 1);
	message_free(m);

	/* Cut anywhere in the small PDF (its header, its body, the next
	   delimiter): the text part is whole, no half PDF is read. */
	cut = (size_t)(strstr(raw, "--b1\r\nContent-Type: application/pdf") -
	    raw);
	n = (size_t)(strstr(raw, "--b1\r\nContent-Type: application/zip") -
	    raw) + 8;
	for (i = cut; i < n; i += 7) {
		m = NULL;
		assert_int_equal(message_parse_cut(raw, i, NULL, &m, NULL), 0);
		assert_true(m->nparts >= 1);
		assert_int_equal(m->parts[0].kind, PART_TEXT);
		assert_non_null(strstr(m->parts[0].text, "10h30."));
		if (m->nparts == 2) {
			/* Only a whole PDF, the cut in the delimiter after
			   it. */
			assert_int_equal(m->parts[1].kind, PART_PDF);
			assert_true(i >= n - 8);
		} else
			assert_int_equal(m->nparts, 1);
		message_free(m);
	}
	free(raw);
}

static void
test_broken_base64(void **state)
{
	struct message	*m;
	int		 eol;

	(void)state;
	for (eol = EOL_LF; eol <= EOL_CRLF; eol++) {
		m = load("mime/broken_base64.eml", eol, NULL);
		assert_int_equal(m->nparts, 2);
		/* decoders never fail: the output is made valid */
		assert_int_equal(m->parts[0].kind, PART_TEXT);
		assert_int_equal(strncmp(m->parts[0].text, "Bonjour", 7), 0);
		assert_string_equal(m->warning, "invalid utf-8 bytes in a "
		    "text part replaced by U+FFFD");
		/* the magic survives, the rest is garbage: still a PDF,
		   for pdf_to_text() (in its sandbox) to reject */
		assert_int_equal(m->parts[1].kind, PART_PDF);
		assert_int_equal(strncmp(m->parts[1].data, "%PDF-1.7", 8), 0);
		message_free(m);
	}
}

static void
test_degenerate(void **state)
{
	struct message	*m;
	const char	*raw;

	(void)state;
	m = parse_buf(NULL, 0, NULL);
	assert_int_equal(m->nheaders, 0);
	assert_string_equal(m->from, "");
	assert_string_equal(m->from_addr, "");
	assert_string_equal(m->subject, "");
	assert_string_equal(m->message_id, "");
	assert_string_equal(m->date, "");
	assert_int_equal(m->date_utc, -1);
	message_free(m);

	/* headers only, no body, no final line break */
	raw = "From: a@b.example\r\nSubject: s\r\nDate: garbage";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_int_equal(m->nheaders, 3);
	assert_string_equal(m->subject, "s");
	assert_string_equal(m->date, "garbage");
	assert_int_equal(m->date_utc, -1);
	message_free(m);

	/* no header at all: everything is body */
	raw = "just some text\nand more\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_int_equal(m->nheaders, 0);
	assert_int_equal(m->nparts, 1);
	assert_string_equal(m->parts[0].text, "just some text\nand more\n");
	message_free(m);

	/* mbox separator line, 31 February, group syntax in From (no
	   address: the whole field is the display) */
	raw = "From MAILER-DAEMON Sat Jan  3 01:05:34 1996\n"
	    "From: undisclosed-recipients:;\nDate: Tue, 31 Feb 2023 "
	    "10:00:00 +0200\nMessage-ID: no-brackets@x\n\nbody\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_int_equal(m->nheaders, 3);
	assert_string_equal(m->from_addr, "");
	assert_string_equal(m->from, "undisclosed-recipients:;");
	assert_int_equal(m->date_utc, -1);
	assert_string_equal(m->message_id, "no-brackets@x");
	message_free(m);

	/* two-digit year, display name only in From's comment */
	raw = "From: ofii@ofii.fr (OFII)\nDate: 3 Oct 23 14:07 GMT\n\nx\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_string_equal(m->from_addr, "ofii@ofii.fr");
	assert_string_equal(m->from, "ofii@ofii.fr");
	assert_int_equal(m->date_utc, 1696342020);
	message_free(m);

	/* an address as display name: the real address is the other */
	raw = "From: ne-pas-repondre@ofii.fr <evil@example.com>\n\nx\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_string_equal(m->from, "ne-pas-repondre@ofii.fr");
	assert_string_equal(m->from_addr, "evil@example.com");
	message_free(m);
	/* Markup in the display name stops libetpan at "<b>": the address
	   is the <addr-spec> the field ends with, so the lookalike domain
	   can be named; the whole field stays the display. */
	raw = "From: OFII <b>Metz</b> <Convocation@0FII.fr>\n\nx\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_string_equal(m->from_addr, "convocation@0fii.fr");
	assert_string_equal(m->from, "OFII <b>Metz</b> <Convocation@0FII.fr>");
	message_free(m);
	/* Two addresses: the last one, as a mail client shows it. */
	raw = "From: <ne-pas-repondre@ofii.fr> <evil@example.com>\n\nx\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_string_equal(m->from_addr, "evil@example.com");
	message_free(m);
	/* Not ending with a plausible <addr-spec>: none. */
	raw = "From: OFII <b>Metz</b> <convocation at 0fii.fr>\n\nx\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_string_equal(m->from_addr, "");
	message_free(m);
	/* libetpan reads "a@b <c@d" as one address: not one for us */
	raw = "From: ne-pas-repondre@ofii.fr <evil@example.com\n\nx\n";
	m = parse_buf(raw, strlen(raw), NULL);
	assert_string_equal(m->from_addr, "");
	assert_string_equal(m->from,
	    "ne-pas-repondre@ofii.fr <evil@example.com");
	message_free(m);

	message_free(NULL);
}

static void
test_samples(void **state)
{
	struct message	*m;
	const char	*t;

	(void)state;
	m = load("samples/01_angers_pdf_only_xray_centre.eml", EOL_CRLF,
	    NULL);
	assert_string_equal(m->from_addr, "ne-pas-repondre@ofii.fr");
	assert_string_equal(m->subject,
	    "Convocation - examen m\xC3\xA9" "dical OFII");
	assert_string_equal(m->message_id,
	    "<baeeefec-cdbd-4e97-a4f2-4e8bb35ee855@edq-convoc02.ofii.fr>");
	assert_int_equal(m->date_utc, 1696334872);
	assert_int_equal(m->nparts, 1);
	assert_int_equal(m->parts[0].kind, PART_PDF);
	assert_string_equal(m->parts[0].filename, "CONVOC_SM_ANG_0418.pdf");
	assert_int_equal(m->parts[0].attachment, 1);
	assert_int_equal(strncmp(m->parts[0].data, "%PDF-1.5", 8), 0);
	assert_null(m->warning);
	message_free(m);

	/* alternative: one text meaning, not two */
	m = load("samples/02_tours_alternative_time_window.eml", EOL_CRLF,
	    NULL);
	assert_string_equal(m->subject, "Rendez-vous : visite m\xC3\xA9"
	    "dicale OFII du 14 novembre 2023");
	assert_int_equal(m->nparts, 1);
	assert_int_equal(m->parts[0].kind, PART_HTML);
	t = m->parts[0].text;
	assert_non_null(strstr(t,
	    "le mardi 14 novembre 2023, de 8h30 \xC3\xA0 11h30"));
	assert_null(strstr(strstr(t, "14 novembre 2023") + 1,
	    "le mardi 14 novembre 2023, de 8h30"));
	message_free(m);

	m = load("samples/03_brest_two_pdfs_medical_cir.eml", EOL_CRLF, NULL);
	assert_int_equal(m->nparts, 3);
	assert_int_equal(m->parts[0].kind, PART_TEXT);
	assert_int_equal(m->parts[1].kind, PART_PDF);
	assert_string_equal(m->parts[1].filename, "Visite_medicale.pdf");
	assert_int_equal(m->parts[2].kind, PART_PDF);
	assert_string_equal(m->parts[2].filename, "Entretien_CIR.pdf");
	message_free(m);

	m = load("samples/04_pau_reschedule_old_new.eml", EOL_CRLF, NULL);
	assert_string_equal(m->from, "OFII Pau - Secr\xC3\xA9tariat "
	    "m\xC3\xA9" "dical");
	assert_int_equal(m->nparts, 1);
	assert_int_equal(m->parts[0].depth, 0);
	assert_non_null(strstr(m->parts[0].text, "Nouveau rendez-vous : "
	    "mardi 20 f\xC3\xA9vrier 2024 \xC3\xA0 15h30\n"));
	message_free(m);

	/* ISO-8859-1 QP body, subject in two ISO-8859-1 Q words */
	m = load("samples/05_pointe_a_pitre_latin1_qp.eml", EOL_CRLF, NULL);
	assert_string_equal(m->subject, "Votre rendez-vous \xC3\xA0 la visite "
	    "m\xC3\xA9" "dicale (OFII Guadeloupe)");
	assert_int_equal(m->date_utc, 1708344750);
	assert_int_equal(m->nparts, 1);
	assert_non_null(strstr(m->parts[0].text,
	    "le vendredi 15 mars 2024 \xC3\xA0 7 h 45 (heure locale)"));
	assert_null(m->warning);
	message_free(m);

	m = load("samples/06_ofii_cir_civic_training_info.eml", EOL_CRLF,
	    NULL);
	assert_int_equal(m->nparts, 1);
	assert_int_equal(m->parts[0].kind, PART_HTML);
	assert_non_null(strstr(m->parts[0].text,
	    "Il ne s'agit pas d'une convocation."));
	message_free(m);

	m = load("samples/07_phish_ofii_rendezvous_com.eml", EOL_CRLF, NULL);
	assert_string_equal(m->from_addr, "convocations@ofii-rendezvous.com");
	assert_string_equal(m->subject, "URGENT : votre convocation OFII - "
	    "confirmation obligatoire");
	assert_int_equal(m->nparts, 1);
	message_free(m);
}

static void
test_sample08_hostile(void **state)
{
	struct message	*m;
	double		 t0, dt;
	size_t		 i;

	(void)state;
	t0 = now_seconds();
	m = load("samples/08_hostile_nested_500_broken_base64.eml", EOL_CRLF,
	    NULL);
	dt = now_seconds() - t0;
	print_message("sample 08 (500 nested multiparts): %.1f ms\n",
	    dt * 1000);
	assert_true(dt < 0.5);
	assert_string_equal(m->from_addr, "noreply@ofii.fr");
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning, "MIME structure cut short: more than "
	    "64 nested MIME containers (multipart or message)");
	for (i = 0; i < m->nparts; i++) {
		assert_true(m->parts[i].depth <= 64);
		assert_int_not_equal(m->parts[i].kind, PART_PDF);
	}
	message_free(m);
}

/* A message nested `levels` deep; `shallow_text` puts it between two
   top-level text parts. */
static char *
make_nested(int levels, int shallow_text, int message_rfc822, size_t *lenp)
{
	size_t	 cap = (size_t)levels * 80 + 4096, n = 0;
	char	*b = malloc(cap);
	int	 i;

	assert_non_null(b);
	n += snprintf(b + n, cap - n, "From: x@ofii.fr\r\nSubject: deep\r\n"
	    "MIME-Version: 1.0\r\n");
	if (shallow_text)
		n += snprintf(b + n, cap - n, "Content-Type: multipart/mixed; "
		    "boundary=\"top\"\r\n\r\n--top\r\nContent-Type: text/plain"
		    "\r\n\r\nShallow convocation text.\r\n--top\r\n");
	for (i = 0; i < levels; i++) {
		if (message_rfc822)
			n += snprintf(b + n, cap - n,
			    "Content-Type: message/rfc822\r\n\r\n");
		else
			n += snprintf(b + n, cap - n, "Content-Type: "
			    "multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n",
			    i, i);
	}
	n += snprintf(b + n, cap - n, "Content-Type: text/plain\r\n\r\n"
	    "bottom\r\n");
	for (i = levels - 1; i >= 0 && !message_rfc822; i--)
		n += snprintf(b + n, cap - n, "--b%d--\r\n", i);
	if (shallow_text)
		n += snprintf(b + n, cap - n, "--top\r\nContent-Type: "
		    "text/plain\r\n\r\nAfter the bomb.\r\n--top--\r\n");
	assert_true(n < cap);
	*lenp = n;
	return b;
}

static void
test_deep_nesting(void **state)
{
	static const int	 levels[] = { 63, 1000, 100000 };
	struct message		*m;
	char			*raw;
	size_t			 len, i, k;
	double			 t0, dt;
	int			 rfc822;

	(void)state;
	for (k = 0; k < 3; k++) {
		for (rfc822 = 0; rfc822 <= 1; rfc822++) {
			raw = make_nested(levels[k], 1, rfc822, &len);
			t0 = now_seconds();
			m = parse_buf(raw, len, NULL);
			dt = now_seconds() - t0;
			print_message("%d nested %s (%zu bytes): %.1f ms\n",
			    levels[k], rfc822 ? "message/rfc822" :
			    "multiparts", len, dt * 1000);
			assert_true(dt < 1.0);
			/* the shallow text is always read */
			assert_true(m->nparts >= 1);
			assert_string_equal(m->parts[0].text,
			    "Shallow convocation text.");
			for (i = 0; i < m->nparts; i++)
				assert_true(m->parts[i].depth <= 64);
			/* and so is the part after the bomb, unless the
			   open levels over it are too costly for libetpan
			   (63 levels x 7 MB) */
			if (levels[k] <= 1000)
				assert_string_equal(m->parts[m->nparts - 1].
				    text, "After the bomb.");
			if (levels[k] < 64) {
				assert_int_equal(m->truncated, 0);
				assert_int_equal(m->nparts, 3);
				assert_string_equal(m->parts[1].text,
				    "bottom");
				assert_int_equal(m->parts[1].depth,
				    levels[k] + 1);
				assert_int_equal(m->parts[1].forwarded,
				    rfc822);
			} else {
				/* the levels below 64 are one leaf,
				   dropped */
				assert_int_equal(m->nparts,
				    levels[k] <= 1000 ? 2 : 1);
				assert_int_equal(m->truncated, 1);
				assert_non_null(m->warning);
				assert_int_equal(strncmp(m->warning, "MIME "
				    "structure cut short: more than 64 nested",
				    41), 0);
			}
			message_free(m);
			free(raw);
		}
	}
}

static void
test_many_parts(void **state)
{
	struct message	*m;
	char		*raw;
	size_t		 cap = 8 << 20, n = 0;
	double		 t0, dt;
	int		 i;

	(void)state;
	raw = malloc(cap);
	assert_non_null(raw);
	/* 300 sibling alternatives: fine for libetpan, over max_parts */
	n += snprintf(raw + n, cap - n, "From: a@ofii.fr\r\nContent-Type: "
	    "multipart/mixed; boundary=m\r\n\r\n");
	for (i = 0; i < 300; i++)
		n += snprintf(raw + n, cap - n, "--m\r\nContent-Type: multipart/"
		    "alternative; boundary=a%d\r\n\r\n--a%d\r\nContent-Type: "
		    "text/plain\r\n\r\npart %d\r\n--a%d--\r\n", i, i, i, i);
	n += snprintf(raw + n, cap - n, "--m--\r\n");
	m = parse_buf(raw, n, NULL);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning,
	    "more than 256 MIME parts: the rest skipped");
	/* 1 mixed + (alternative + text) per part */
	assert_int_equal(m->nparts, 127);
	assert_string_equal(m->parts[126].text, "part 126");
	message_free(m);

	/* 900,000 parts would cost libetpan ~1 GB: cut early */
	n = snprintf(raw, cap, "From: a@ofii.fr\r\nContent-Type: "
	    "multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain"
	    "\r\n\r\nfirst\r\n");
	for (i = 0; n + 10 < cap; i++)
		n += snprintf(raw + n, cap - n, "--b\r\n\r\nx\r\n");
	t0 = now_seconds();
	m = parse_buf(raw, n, NULL);
	dt = now_seconds() - t0;
	print_message("%d parts: %.1f ms\n", i + 1, dt * 1000);
	assert_true(dt < 1.0);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning,
	    "MIME structure cut short: more than 1024 MIME parts");
	/* the multipart and 255 leaves */
	assert_int_equal(m->nparts, 255);
	assert_string_equal(m->parts[0].text, "first");
	assert_string_equal(m->parts[254].text, "x");
	message_free(m);

	/* a million header lines in a part */
	n = snprintf(raw, cap, "From: a@ofii.fr\r\nContent-Type: "
	    "multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nfirst\r\n--b\r\n");
	while (n + 6 < cap)
		n += snprintf(raw + n, cap - n, "X-a:\r\n");
	t0 = now_seconds();
	m = parse_buf(raw, n, NULL);
	dt = now_seconds() - t0;
	print_message("1.4 M header lines: %.1f ms\n", dt * 1000);
	assert_true(dt < 1.0);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning, "MIME structure cut short: more than "
	    "50000 header fields");
	assert_string_equal(m->parts[0].text, "first");
	message_free(m);
	free(raw);
}

static void
test_huge_header_lines(void **state)
{
	struct message	*m;
	char		*raw;
	size_t		 cap = 4 << 20, n, i;
	double		 t0, dt;

	(void)state;
	raw = malloc(cap);
	assert_non_null(raw);
	/* 1 MiB Subject: kept, cut to 64 KiB; the body is still read */
	n = snprintf(raw, cap, "From: a@ofii.fr\r\nSubject: ");
	memset(raw + n, 'x', 1 << 20);
	n += 1 << 20;
	n += snprintf(raw + n, cap - n, "\r\nContent-Type: text/plain\r\n\r\n"
	    "body\r\n");
	t0 = now_seconds();
	m = parse_buf(raw, n, NULL);
	dt = now_seconds() - t0;
	print_message("1 MiB Subject line: %.1f ms\n", dt * 1000);
	assert_true(dt < 1.0);
	/* 64 KiB of unfolded field, its leading space trimmed */
	assert_int_equal(strlen(m->subject), 65535);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning,
	    "header field Subject longer than 65536 bytes: cut");
	assert_int_equal(m->nparts, 1);
	assert_string_equal(m->parts[0].text, "body\n");
	message_free(m);

	/* a folded top-level field of 200,000 lines */
	n = snprintf(raw, cap, "From: a@ofii.fr\r\nTo: a@b.c");
	for (i = 0; i < 200000; i++)
		n += snprintf(raw + n, cap - n, ",\r\n b@c.d");
	n += snprintf(raw + n, cap - n, "\r\n\r\nbody\r\n");
	m = parse_buf(raw, n, NULL);
	/* cut at 64 KiB, then the trailing space trimmed */
	assert_in_range(strlen(message_header(m, "To")), 65530, 65536);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->parts[0].text, "body\n");
	message_free(m);

	/* a part's Content-Type with 200,000 parameters: cut before it */
	n = snprintf(raw, cap, "From: a@ofii.fr\r\nContent-Type: "
	    "multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nfirst\r\n--b\r\n"
	    "Content-Type: text/plain");
	for (i = 0; i < 200000; i++)
		n += snprintf(raw + n, cap - n, "; a=b");
	n += snprintf(raw + n, cap - n, "\r\n\r\nsecond\r\n--b--\r\n");
	t0 = now_seconds();
	m = parse_buf(raw, n, NULL);
	dt = now_seconds() - t0;
	print_message("1 MB Content-Type in a part: %.1f ms\n", dt * 1000);
	assert_true(dt < 1.0);
	assert_int_equal(m->truncated, 1);
	assert_string_equal(m->warning, "MIME structure cut short: a MIME "
	    "header field longer than 65536 bytes");
	assert_string_equal(m->parts[0].text, "first");
	message_free(m);
	free(raw);
}

/* Random damage to every fixture: never a crash, a leak or bad UTF-8
   (parse_buf checks the invariants). */
static void
test_mutations(void **state)
{
	static const char *const names[] = {
		"mime/alternative_related.eml", "mime/forwarded.eml",
		"mime/rfc2231.eml", "mime/pdf_octet.eml",
		"mime/no_boundary.eml", "mime/rfc2047_headers.eml",
		"mime/unknown_charset.eml", "mime/qp_latin1.eml",
		"samples/02_tours_alternative_time_window.eml",
	};
	static const char	 junk[] = "\0\r\n-=?:;\"\\()<>%*'\xff\xc3\xa9";
	struct message		*m;
	char			*orig, *raw;
	size_t			 len, f, k, pos;
	unsigned		 seed = 12345;
	int			 round;

	(void)state;
	for (f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		char path[256];

		snprintf(path, sizeof(path), "tests/fixtures/%s", names[f]);
		orig = testutil_read(path, &len);
		raw = malloc(len + 1);
		assert_non_null(raw);
		for (round = 0; round < 150; round++) {
			memcpy(raw, orig, len);
			for (k = 0; k < 1 + (size_t)round % 8; k++) {
				seed = seed * 1103515245 + 12345;
				pos = (seed >> 8) % len;
				seed = seed * 1103515245 + 12345;
				raw[pos] = junk[(seed >> 8) %
				    (sizeof(junk) - 1)];
			}
			/* also cut short */
			m = parse_buf(raw, round % 5 == 0 ? len / 2 : len,
			    NULL);
			message_free(m);
		}
		free(raw);
		free(orig);
	}
}

/*
 * A meeting request as Exchange sends it: the calendar alternative is
 * kept next to the chosen HTML, the .ics attachment (and a *.ics sent
 * as octet-stream) too, as PART_CALENDAR: UTF-8 data, no letter text.
 */
static void
test_calendar_parts(void **state)
{
	static const char raw[] =
	    "From: A <a@ofii.fr>\r\nSubject: RDV\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n"
	    "--M\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n"
	    "\r\n--A\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	    "Texte.\r\n--A\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "\r\n<p>HTML.</p>\r\n--A\r\n"
	    "Content-Type: text/calendar; charset=iso-8859-1; method=REQUEST"
	    "\r\n\r\nBEGIN:VCALENDAR\r\nLOCATION:\xC9vreux\r\n"
	    "END:VCALENDAR\r\n--A--\r\n--M\r\n"
	    "Content-Type: application/ics; name=\"invite.ics\"\r\n"
	    "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=\r\n--M\r\n"
	    "Content-Type: application/octet-stream; name=\"rdv.ics\"\r\n\r\n"
	    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n--M--\r\n";
	struct message	*m;

	(void)state;
	m = parse_buf(raw, sizeof(raw) - 1, NULL);
	assert_int_equal(m->nparts, 4);
	assert_int_equal(m->parts[0].kind, PART_CALENDAR);
	assert_string_equal(m->parts[0].content_type, "text/calendar");
	assert_null(m->parts[0].text);
	/* converted from its charset */
	assert_non_null(strstr(m->parts[0].data, "LOCATION:\xC3\x89vreux"));
	assert_int_equal(m->parts[1].kind, PART_HTML);
	assert_int_equal(m->parts[2].kind, PART_CALENDAR);
	assert_string_equal(m->parts[2].data,
	    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	assert_int_equal(m->parts[2].attachment, 1);
	assert_int_equal(m->parts[3].kind, PART_CALENDAR);
	message_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_7bit),
		cmocka_unit_test(test_qp_latin1),
		cmocka_unit_test(test_base64_utf8),
		cmocka_unit_test(test_8bit_latin9),
		cmocka_unit_test(test_cp1252_html),
		cmocka_unit_test(test_alternative),
		cmocka_unit_test(test_alternative_related),
		cmocka_unit_test(test_forwarded),
		cmocka_unit_test(test_rfc2231_filenames),
		cmocka_unit_test(test_pdf_detection),
		cmocka_unit_test(test_missing_boundary),
		cmocka_unit_test(test_missing_closing_boundary),
		cmocka_unit_test(test_nul_and_controls),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_rfc2047_headers),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_parts_and_size_limits),
		cmocka_unit_test(test_cut_mail),
		cmocka_unit_test(test_broken_base64),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_sample08_hostile),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_parts),
		cmocka_unit_test(test_huge_header_lines),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_calendar_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
