/*
 * trust: how much to believe that a mail comes from OFII: "verified" when
 * a trusted Authentication-Results header says dkim or dmarc pass for
 * ofii.fr, "domain" when From is ofii.fr (or a subdomain) without evidence
 * either way, "untrusted" for anything else (lookalike domains, or a
 * trusted header that says dmarc=fail).
 *
 * Only Authentication-Results headers written by the receiving side count:
 * the topmost one (the last hop, the user's provider, adds it on top) and
 * any whose authserv-id is the configured one.  Lower A-R headers travel
 * with the mail and anyone can forge them; ARC-Authentication-Results is a
 * different field and is never read here.
 *
 * Parsed per RFC 8601: authserv-id, then ";"-separated resinfo
 * (method=result, then ptype.property=value), comments in parentheses.
 * Some receivers (Outlook.com) omit the authserv-id: a first element that
 * is a method=result is read as a resinfo.
 */
#include <libetpan/libetpan.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/convocation.h"
#include "parsers/text.h"

#define TRUSTED_DOMAIN		"ofii.fr"
#define MAX_RESINFO_TOKENS	64

enum ar_verdict {
	AR_NONE = 0,		/* nothing about ofii.fr */
	AR_PASS,		/* dkim or dmarc pass for ofii.fr */
	AR_FAIL			/* dmarc=fail */
};

enum ar_token_type {
	TOK_END,
	TOK_WORD,
	TOK_EQ,
	TOK_SEMI
};

struct ar_token {
	enum ar_token_type	 type;
	const char		*s;
	size_t			 n;
	int			 glued;	/* no whitespace or comment before */
};

/* Does the token spell `word` (case-insensitive)? */
static int
word_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && text_ascii_ncaseeq(s, word, n);
}

/*
 * ofii.fr or a subdomain of it: "ofii.fr", "convocation.ofii.fr" (any
 * case, one trailing dot allowed), but not "mon-ofii.fr",
 * "ofii.fr.example.com" or "0fii.fr".
 */
static int
is_trusted_domain(const char *d, size_t n)
{
	size_t	tl = strlen(TRUSTED_DOMAIN), i;
	char	prev = '.';

	if (n > 0 && d[n - 1] == '.')
		n--;
	if (n < tl || !text_ascii_ncaseeq(d + n - tl, TRUSTED_DOMAIN, tl))
		return 0;
	if (n == tl)
		return 1;
	if (d[n - tl - 1] != '.')
		return 0;
	/* The labels in front: letters, digits, hyphens; none empty. */
	for (i = 0; i < n - tl; i++) {
		char c = d[i];

		if (c == '.') {
			if (prev == '.')
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return 0;
		prev = c;
	}
	return 1;
}

/* The domain of an address or of a DKIM i= value ("@ofii.fr"). */
static int
is_trusted_address(const char *s, size_t n)
{
	size_t	at = n;

	while (at > 0 && s[at - 1] != '@')
		at--;
	if (at == 0)
		return 0;
	return is_trusted_domain(s + at, n - at);
}

/* Next token of an A-R value from *pos: comments and whitespace are
   skipped, a quoted string becomes one word (without its quotes). */
static void
ar_next(const char *v, size_t len, size_t *pos, struct ar_token *t)
{
	size_t	p = *pos, depth;
	int	glued = 1;
	char	c;

	for (;;) {
		while (p < len && (v[p] == ' ' || v[p] == '\t' ||
		    v[p] == '\r' || v[p] == '\n')) {
			p++;
			glued = 0;
		}
		if (p >= len || v[p] != '(')
			break;
		glued = 0;
		for (depth = 0; p < len; p++) {
			if (v[p] == '\\' && p + 1 < len)
				p++;
			else if (v[p] == '(')
				depth++;
			else if (v[p] == ')' && --depth == 0) {
				p++;
				break;
			}
		}
	}
	t->glued = glued;
	t->s = v + p;
	t->n = 0;
	if (p >= len) {
		t->type = TOK_END;
	} else if (v[p] == ';' || v[p] == '=') {
		t->type = v[p] == ';' ? TOK_SEMI : TOK_EQ;
		t->n = 1;
		p++;
	} else if (v[p] == '"') {
		t->type = TOK_WORD;
		t->s = v + ++p;
		while (p < len && v[p] != '"') {
			if (v[p] == '\\' && p + 1 < len)
				p++;
			p++;
		}
		t->n = v + p - t->s;
		if (p < len)
			p++;
	} else {
		t->type = TOK_WORD;
		while (p < len && (c = v[p]) != ' ' && c != '\t' && c != '\r' &&
		    c != '\n' && c != ';' && c != '=' && c != '(' && c != '"')
			p++;
		t->n = v + p - t->s;
	}
	*pos = p;
}

/*
 * One resinfo: "method[/version]=result" then "ptype.property=value"
 * pairs.  A value runs on over glued tokens ("a=b=" stays whole), so a
 * crafted "header.from=ofii.fr=x" is not read as ofii.fr.
 */
static enum ar_verdict
resinfo_verdict(const struct ar_token *t, size_t n)
{
	const char	*method = NULL, *result = NULL, *key, *val;
	size_t		 mlen = 0, rlen = 0, klen, vlen, i = 0, m;
	int		 evidence = 0;

	while (i < n) {
		if (!(i + 2 < n && t[i].type == TOK_WORD &&
		    t[i + 1].type == TOK_EQ && t[i + 2].type == TOK_WORD)) {
			i++;
			continue;
		}
		key = t[i].s;
		klen = t[i].n;
		val = t[i + 2].s;
		vlen = t[i + 2].n;
		for (i += 3; i < n && t[i].glued && t[i].type != TOK_SEMI; i++)
			vlen = t[i].s + t[i].n - val;
		if (method == NULL) {
			for (m = 0; m < klen && key[m] != '/'; m++)
				;
			method = key;
			mlen = m;
			result = val;
			rlen = vlen;
			continue;
		}
		if (word_is(method, mlen, "dkim") &&
		    (word_is(key, klen, "header.d") ||
		    word_is(key, klen, "header.i"))) {
			/* d= is a domain, i= an identity "[local]@domain" */
			if (memchr(val, '@', vlen) != NULL ?
			    is_trusted_address(val, vlen) :
			    is_trusted_domain(val, vlen))
				evidence = 1;
		} else if (word_is(method, mlen, "dmarc") &&
		    word_is(key, klen, "header.from") &&
		    is_trusted_domain(val, vlen))
			evidence = 1;
	}
	if (method == NULL)
		return AR_NONE;
	if (word_is(method, mlen, "dmarc") && word_is(result, rlen, "fail"))
		return AR_FAIL;
	if (evidence && word_is(result, rlen, "pass") &&
	    (word_is(method, mlen, "dkim") || word_is(method, mlen, "dmarc")))
		return AR_PASS;
	return AR_NONE;
}

/*
 * Verdict of one Authentication-Results value; *id and *idlen receive its
 * authserv-id (length 0 when it has none).
 */
static enum ar_verdict
ar_verdict(const char *v, const char **id, size_t *idlen)
{
	struct ar_token		 t[MAX_RESINFO_TOKENS], tok;
	enum ar_verdict		 verdict = AR_NONE, r;
	size_t			 len = strlen(v), pos = 0, n, i;
	int			 first = 1, has_eq;

	*id = v;
	*idlen = 0;
	do {
		n = 0;
		has_eq = 0;
		for (;;) {
			ar_next(v, len, &pos, &tok);
			if (tok.type == TOK_END || tok.type == TOK_SEMI)
				break;
			if (tok.type == TOK_EQ)
				has_eq = 1;
			if (n < MAX_RESINFO_TOKENS)
				t[n++] = tok;
		}
		if (first && !has_eq) {
			/* authserv-id [version], or "none" */
			for (i = 0; i < n && t[i].type != TOK_WORD; i++)
				;
			if (i < n) {
				*id = t[i].s;
				*idlen = t[i].n;
			}
		} else {
			r = resinfo_verdict(t, n);
			if (r == AR_FAIL || (r == AR_PASS &&
			    verdict == AR_NONE))
				verdict = r;
		}
		first = 0;
	} while (tok.type != TOK_END);
	return verdict;
}

/* Exactly one From field, and every address in it is at ofii.fr. */
static int
from_is_trusted(const struct message *msg)
{
	struct mailimf_mailbox_list	*mbl = NULL;
	struct mailimf_mailbox		*mb;
	clistiter			*it;
	const char			*v = NULL;
	size_t				 i, nfrom = 0, idx = 0;
	int				 ok;

	for (i = 0; i < msg->nheaders; i++)
		if (strlen(msg->headers[i].name) == 4 &&
		    text_ascii_ncaseeq(msg->headers[i].name, "From", 4)) {
			v = msg->headers[i].value;
			nfrom++;
		}
	/* Two From fields: which one the user's client shows is anyone's
	   guess, and DMARC checked only one. */
	if (nfrom != 1 || msg->from_addr == NULL ||
	    !is_trusted_address(msg->from_addr, strlen(msg->from_addr)))
		return 0;
	if (mailimf_mailbox_list_parse(v, strlen(v), &idx, &mbl) !=
	    MAILIMF_NO_ERROR)
		return 0;
	ok = 1;
	for (it = clist_begin(mbl->mb_list); it != NULL; it = clist_next(it)) {
		mb = clist_content(it);
		if (mb->mb_addr_spec == NULL ||
		    !is_trusted_address(mb->mb_addr_spec,
		    strlen(mb->mb_addr_spec)))
			ok = 0;
	}
	mailimf_mailbox_list_free(mbl);
	return ok;
}

enum sender_trust
trust_evaluate(const struct message *msg, const char *authserv_id)
{
	const char	*id;
	size_t		 i, idlen;
	enum ar_verdict	 v;
	int		 topmost = 1, pass = 0, fail = 0, trusted;

	if (msg == NULL || !from_is_trusted(msg))
		return TRUST_UNTRUSTED;
	for (i = 0; i < msg->nheaders; i++) {
		if (strlen(msg->headers[i].name) != 22 ||
		    !text_ascii_ncaseeq(msg->headers[i].name,
		    "Authentication-Results", 22))
			continue;
		v = ar_verdict(msg->headers[i].value, &id, &idlen);
		trusted = topmost || (authserv_id != NULL &&
		    authserv_id[0] != '\0' && idlen > 0 &&
		    word_is(id, idlen, authserv_id));
		topmost = 0;
		if (!trusted)
			continue;
		if (v == AR_FAIL)
			fail = 1;
		else if (v == AR_PASS)
			pass = 1;
	}
	if (fail)
		return TRUST_UNTRUSTED;
	return pass ? TRUST_VERIFIED : TRUST_DOMAIN;
}

