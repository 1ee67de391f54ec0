/*
 * test_trust: sender_trust from From and Authentication-Results
 * (parsers/trust.c): which A-R header counts, RFC 8601 parsing, domain
 * matching, lookalikes, and the samples' expected values.
 */
#include <dirent.h>

#include "testutil.h"

#include "parsers/convocation.h"
#include "parsers/message.h"

/* trust_evaluate() of a mail made of these header lines (\n-separated). */
static enum sender_trust
trust_of(const char *headers, const char *authserv_id)
{
	struct message		*m = NULL;
	enum sender_trust	 t;
	char			*raw;
	size_t			 n = strlen(headers);

	raw = malloc(n + 32);
	assert_non_null(raw);
	memcpy(raw, headers, n);
	memcpy(raw + n, "\nSubject: t\n\nbody\n", 19);
	assert_int_equal(message_parse(raw, strlen(raw), NULL, &m, NULL), 0);
	t = trust_evaluate(m, authserv_id);
	message_free(m);
	free(raw);
	return t;
}

#define GMAIL_PASS	"Authentication-Results: mx.google.com;\n" \
	"       dkim=pass header.i=@ofii.fr header.s=ofii2023 header.b=mEc;\n" \
	"       spf=pass (google.com: domain of x@ofii.fr designates " \
	"192.0.2.53 as permitted sender) smtp.mailfrom=x@ofii.fr;\n" \
	"       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) " \
	"header.from=ofii.fr\n"
#define GMAIL_FAIL	"Authentication-Results: mx.google.com;\n" \
	"       spf=softfail (google.com: domain of transitioning " \
	"x@ofii.fr does not designate 203.0.113.150 as permitted sender) " \
	"smtp.mailfrom=x@ofii.fr;\n" \
	"       dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) " \
	"header.from=ofii.fr\n"
#define FROM_OFII	"From: OFII <ne-pas-repondre@ofii.fr>"
#define ARC_PASS	"ARC-Authentication-Results: i=1; mx.google.com;\n" \
	"       dkim=pass header.i=@ofii.fr;\n" \
	"       dmarc=pass header.from=ofii.fr\n"
#define ARC_FAIL	"ARC-Authentication-Results: i=1; mx.google.com; " \
	"dmarc=fail header.from=ofii.fr\n"

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(sender_trust_name(TRUST_VERIFIED), "verified");
	assert_string_equal(sender_trust_name(TRUST_DOMAIN), "domain");
	assert_string_equal(sender_trust_name(TRUST_UNTRUSTED), "untrusted");
	assert_string_equal(sender_trust_name((enum sender_trust)42),
	    "untrusted");
	assert_int_equal(trust_evaluate(NULL, NULL), TRUST_UNTRUSTED);
}

static void
test_verified(void **state)
{
	(void)state;
	assert_int_equal(trust_of(GMAIL_PASS FROM_OFII, NULL),
	    TRUST_VERIFIED);
	/* dkim alone, d= or i= */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=pass header.d=ofii.fr\n" FROM_OFII, NULL), TRUST_VERIFIED);
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=pass header.i=convoc@rdv.ofii.fr\n" FROM_OFII, NULL),
	    TRUST_VERIFIED);
	/* dmarc alone */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dmarc=pass header.from=ofii.fr\n" FROM_OFII, NULL),
	    TRUST_VERIFIED);
	/* subdomains on both sides, upper case everywhere */
	assert_int_equal(trust_of("AUTHENTICATION-RESULTS: MX.EXAMPLE.ORG; "
	    "DKIM=PASS HEADER.D=Convocation.OFII.FR\n"
	    "From: <Rdv@Tours.OFII.FR>", NULL), TRUST_VERIFIED);
	/* Outlook.com: no authserv-id, ';' without spaces */
	assert_int_equal(trust_of("Authentication-Results: spf=pass (sender "
	    "IP is 192.0.2.54)\n smtp.mailfrom=ofii.fr; dkim=pass (signature "
	    "was verified)\n header.d=ofii.fr;dmarc=pass action=none\n "
	    "header.from=ofii.fr;compauth=pass reason=100\n" FROM_OFII, NULL),
	    TRUST_VERIFIED);
	/* Yahoo: comment glued to the result */
	assert_int_equal(trust_of("Authentication-Results: atlas.yahoo.com;\n"
	    " dmarc=pass(p=QUARANTINE) header.from=ofii.fr;\n" FROM_OFII,
	    NULL), TRUST_VERIFIED);
	/* RFC 8601 odds: version, spaces around '=', quoted value, nested
	   comments, method version, a trailing dot */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org 1;"
	    " dkim/1 = pass (good (really)) header.d = \"ofii.fr.\"\n"
	    FROM_OFII, NULL), TRUST_VERIFIED);
	/* dkim fails but dmarc passes (SPF aligned): verified */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=fail header.d=ofii.fr; spf=pass smtp.mailfrom=ofii.fr; "
	    "dmarc=pass header.from=ofii.fr\n" FROM_OFII, NULL),
	    TRUST_VERIFIED);
}

static void
test_domain(void **state)
{
	(void)state;
	/* no Authentication-Results at all */
	assert_int_equal(trust_of(FROM_OFII, NULL), TRUST_DOMAIN);
	/* La Poste: spf only, dkim=none */
	assert_int_equal(trust_of("Authentication-Results: mx.laposte.net;\n"
	    "\tspf=pass (mx.laposte.net: domain of sm-pau@ofii.fr designates "
	    "192.0.2.54 as permitted sender) smtp.mailfrom=sm-pau@ofii.fr;\n"
	    "\tdkim=none (no signature)\n" FROM_OFII, NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "none\n" FROM_OFII, NULL), TRUST_DOMAIN);
	/* passes for someone else, or failures that are not dmarc */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=pass header.d=mon-ofii.fr; dmarc=pass "
	    "header.from=other.example\n" FROM_OFII, NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=fail header.d=ofii.fr\n" FROM_OFII, NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=pass header.d=evilofii.fr; dkim=pass "
	    "header.d=ofii.fr.evil.example; dkim=pass header.i=@0fii.fr\n"
	    FROM_OFII, NULL), TRUST_DOMAIN);
	/* a value glued to more than the domain is not the domain */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=pass header.d=ofii.fr=x.example\n" FROM_OFII, NULL),
	    TRUST_DOMAIN);
	/* ptype.property without a method: nothing */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "header.d=ofii.fr\n" FROM_OFII, NULL), TRUST_DOMAIN);
}

static void
test_topmost_only(void **state)
{
	(void)state;
	/* a forged pass below the receiver's own fail */
	assert_int_equal(trust_of(GMAIL_FAIL GMAIL_PASS FROM_OFII, NULL),
	    TRUST_UNTRUSTED);
	/* a forged pass below a neutral topmost: still no evidence */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "spf=pass smtp.mailfrom=ofii.fr\n" GMAIL_PASS FROM_OFII, NULL),
	    TRUST_DOMAIN);
	/* ...and a forged fail below a pass changes nothing */
	assert_int_equal(trust_of(GMAIL_PASS GMAIL_FAIL FROM_OFII, NULL),
	    TRUST_VERIFIED);
	/* Received between them does not matter: order does */
	assert_int_equal(trust_of("Received: from a by b; Mon, 1 Jan 2024 "
	    "00:00:00 +0000\n" GMAIL_FAIL "Received: from c by d; Mon, 1 Jan "
	    "2024 00:00:00 +0000\n" GMAIL_PASS FROM_OFII, NULL),
	    TRUST_UNTRUSTED);
}

static void
test_configured_authserv_id(void **state)
{
	static const char two[] =
	    "Authentication-Results: relay.forwarder.example; spf=pass "
	    "smtp.mailfrom=forwarder.example\n"
	    "Authentication-Results: MX.Example.ORG; dkim=pass "
	    "header.d=ofii.fr\n" FROM_OFII;
	static const char fail_below[] =
	    "Authentication-Results: relay.forwarder.example; spf=pass "
	    "smtp.mailfrom=forwarder.example\n"
	    "Authentication-Results: mx.example.org; dmarc=fail "
	    "header.from=ofii.fr\n" FROM_OFII;

	(void)state;
	assert_int_equal(trust_of(two, "mx.example.org"), TRUST_VERIFIED);
	assert_int_equal(trust_of(two, NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of(two, ""), TRUST_DOMAIN);
	assert_int_equal(trust_of(two, "mx.other.example"), TRUST_DOMAIN);
	assert_int_equal(trust_of(fail_below, "mx.example.org"),
	    TRUST_UNTRUSTED);
	assert_int_equal(trust_of(fail_below, NULL), TRUST_DOMAIN);
	/* an A-R without authserv-id never matches the configured one */
	assert_int_equal(trust_of("Authentication-Results: spf=none\n"
	    "Authentication-Results: dkim=pass header.d=ofii.fr\n"
	    FROM_OFII, "dkim=pass"), TRUST_DOMAIN);
}

static void
test_dmarc_fail(void **state)
{
	(void)state;
	assert_int_equal(trust_of(GMAIL_FAIL FROM_OFII, NULL),
	    TRUST_UNTRUSTED);
	/* fail wins over a dkim pass in the same header */
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "dkim=pass header.d=ofii.fr; dmarc=fail header.from=ofii.fr\n"
	    FROM_OFII, NULL), TRUST_UNTRUSTED);
	assert_int_equal(trust_of("Authentication-Results: mx.example.org; "
	    "DMARC=FAIL\n" FROM_OFII, NULL), TRUST_UNTRUSTED);
}

static void
test_arc_never_counts(void **state)
{
	(void)state;
	assert_int_equal(trust_of(ARC_PASS FROM_OFII, NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of(ARC_PASS GMAIL_FAIL FROM_OFII, NULL),
	    TRUST_UNTRUSTED);
	assert_int_equal(trust_of(ARC_FAIL GMAIL_PASS FROM_OFII, NULL),
	    TRUST_VERIFIED);
	assert_int_equal(trust_of("X-Authentication-Results: mx; dkim=pass "
	    "header.d=ofii.fr\n" FROM_OFII, NULL), TRUST_DOMAIN);
}

static void
test_lookalikes(void **state)
{
	static const char *const froms[] = {
		"From: OFII <convocation@mon-ofii.fr>",
		"From: OFII <convocation@ofii.fr.example.com>",
		"From: OFII <convocations@ofii-rendezvous.com>",
		"From: OFII <convocation@0fii.fr>",
		"From: OFII <convocation@ofii.fr.evil>",
		"From: OFII <convocation@ofiifr.example>",
		"From: OFII <convocation@xofii.fr>",
		"From: OFII <convocation@a..ofii.fr>",
		"From: OFII <convocation@.ofii.fr>",
		"From: OFII <ofii.fr@example.com>",
		"From: \"ne-pas-repondre@ofii.fr\" <x@example.com>",
		"From: ne-pas-repondre@ofii.fr <x@example.com>",
		"From: ne-pas-repondre@ofii.fr <x@example.com",
		"From: undisclosed-recipients:;",
		/* a second author elsewhere */
		"From: a@ofii.fr, b@example.com",
		/* two From fields */
		"From: a@ofii.fr\nFrom: b@example.com",
		"From: a@example.com\nFrom: b@ofii.fr",
		"Sender: a@ofii.fr",
	};
	char	buf[1024];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(froms) / sizeof(froms[0]); i++) {
		/* even with a pass for the lookalike, or for ofii.fr */
		snprintf(buf, sizeof(buf), "Authentication-Results: mx.google."
		    "com; dkim=pass header.d=ofii.fr; dmarc=pass "
		    "header.from=ofii.fr\n%s", froms[i]);
		if (trust_of(buf, NULL) != TRUST_UNTRUSTED)
			fail_msg("not untrusted: %s", froms[i]);
		if (trust_of(froms[i], NULL) != TRUST_UNTRUSTED)
			fail_msg("not untrusted without A-R: %s", froms[i]);
	}
	/* sample 07: pass for its own lookalike domain */
	assert_int_equal(trust_of("Authentication-Results: mx.google.com;\n"
	    " dkim=pass header.i=@ofii-rendezvous.com;\n dmarc=pass "
	    "header.from=ofii-rendezvous.com\nFrom: \"OFII\" "
	    "<convocations@ofii-rendezvous.com>", NULL), TRUST_UNTRUSTED);
	/* the real thing, every spelling */
	assert_int_equal(trust_of("From: a@OFII.FR", NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of("From: a@x-1.ofii.fr", NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of("From: =?UTF-8?Q?OFII_=C3=A9?= "
	    "<a@ofii.fr>", NULL), TRUST_DOMAIN);
	assert_int_equal(trust_of("From: a@ofii.fr (OFII)", NULL),
	    TRUST_DOMAIN);
	assert_int_equal(trust_of("From: a@ofii.fr, b@rdv.ofii.fr", NULL),
	    TRUST_DOMAIN);
}

static enum sender_trust
trust_of_file(const char *path)
{
	struct message		*m = NULL;
	enum sender_trust	 t;
	char			*raw;
	size_t			 len;

	raw = testutil_read(path, &len);
	assert_int_equal(message_parse(raw, len, NULL, &m, NULL), 0);
	t = trust_evaluate(m, NULL);
	message_free(m);
	free(raw);
	return t;
}

static void
test_samples(void **state)
{
	static const struct {
		const char		*file;
		enum sender_trust	 want;
	} samples[] = {
		{ "01_angers_pdf_only_xray_centre.eml", TRUST_VERIFIED },
		{ "02_tours_alternative_time_window.eml", TRUST_VERIFIED },
		{ "03_brest_two_pdfs_medical_cir.eml", TRUST_VERIFIED },
		{ "04_pau_reschedule_old_new.eml", TRUST_DOMAIN },
		{ "05_pointe_a_pitre_latin1_qp.eml", TRUST_VERIFIED },
		{ "06_ofii_cir_civic_training_info.eml", TRUST_VERIFIED },
		{ "07_phish_ofii_rendezvous_com.eml", TRUST_UNTRUSTED },
		{ "08_hostile_nested_500_broken_base64.eml", TRUST_UNTRUSTED },
	};
	char	path[256];
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		snprintf(path, sizeof(path), "tests/fixtures/samples/%s",
		    samples[i].file);
		if (trust_of_file(path) != samples[i].want)
			fail_msg("%s: want %s", samples[i].file,
			    sender_trust_name(samples[i].want));
	}
}

/* Every golden mail against the "sender_trust" of its .json. */
static void
test_golden(void **state)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[512], *json, *p, want[16];
	size_t		 n, count = 0;
	enum sender_trust t;

	(void)state;
	if ((d = opendir("tests/fixtures/mail/formats")) == NULL)
		skip();
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof(path), "tests/fixtures/mail/formats/%.*s.json",
		    (int)(n - 4), e->d_name);
		json = testutil_read(path, NULL);
		p = strstr(json, "\"sender_trust\": \"");
		assert_non_null(p);
		p += strlen("\"sender_trust\": \"");
		n = strcspn(p, "\"");
		assert_true(n < sizeof(want));
		memcpy(want, p, n);
		want[n] = '\0';
		free(json);
		snprintf(path, sizeof(path), "tests/fixtures/mail/formats/%s",
		    e->d_name);
		t = trust_of_file(path);
		if (strcmp(sender_trust_name(t), want) != 0)
			fail_msg("%s: %s, want %s", e->d_name,
			    sender_trust_name(t), want);
		count++;
	}
	closedir(d);
	assert_true(count >= 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_verified),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_topmost_only),
		cmocka_unit_test(test_configured_authserv_id),
		cmocka_unit_test(test_dmarc_fail),
		cmocka_unit_test(test_arc_never_counts),
		cmocka_unit_test(test_lookalikes),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_golden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
