/*
 * mutf7: modified UTF-7 for IMAP mailbox names, see mutf7.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imap/mutf7.h"

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* A growable output string; every append is bounded by the input size. */
struct outbuf {
	char	*p;
	size_t	 len, cap;
};

static int
out_putc(struct outbuf *o, char c)
{
	if (o->len + 2 > o->cap) {
		size_t ncap = o->cap ? o->cap * 2 : 64;
		char *np = realloc(o->p, ncap);

		if (np == NULL)
			return -1;
		o->p = np;
		o->cap = ncap;
	}
	o->p[o->len++] = c;
	o->p[o->len] = '\0';
	return 0;
}

static int
seterr(char **errstr, const char *msg, size_t pos)
{
	if (errstr != NULL) {
		if (asprintf(errstr, "mailbox name: %s at byte %zu", msg,
		    pos) == -1)
			*errstr = NULL;
	}
	return -1;
}

/*
 * One code point from UTF-8 at s (NUL-terminated); its length in *lenp.
 * -1 on anything that is not shortest-form UTF-8 of a scalar value.
 */
static int
utf8_next(const unsigned char *s, uint32_t *cpp, size_t *lenp)
{
	uint32_t cp, min;
	size_t n, i;

	if (s[0] < 0x80) {
		*cpp = s[0];
		*lenp = 1;
		return 0;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		n = 2;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		n = 3;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		n = 4;
		min = 0x10000;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*cpp = cp;
	*lenp = n;
	return 0;
}

static int
put_utf8(struct outbuf *o, uint32_t cp)
{
	if (cp < 0x80)
		return out_putc(o, (char)cp);
	if (cp < 0x800)
		return out_putc(o, (char)(0xc0 | (cp >> 6))) ||
		    out_putc(o, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return out_putc(o, (char)(0xe0 | (cp >> 12))) ||
		    out_putc(o, (char)(0x80 | ((cp >> 6) & 0x3f))) ||
		    out_putc(o, (char)(0x80 | (cp & 0x3f)));
	return out_putc(o, (char)(0xf0 | (cp >> 18))) ||
	    out_putc(o, (char)(0x80 | ((cp >> 12) & 0x3f))) ||
	    out_putc(o, (char)(0x80 | ((cp >> 6) & 0x3f))) ||
	    out_putc(o, (char)(0x80 | (cp & 0x3f)));
}

static int
printable(uint32_t cp)
{
	return cp >= 0x20 && cp <= 0x7e;
}

int
mutf7_encode(const char *utf8, char **outp, char **errstr)
{
	const unsigned char *s = (const unsigned char *)utf8;
	struct outbuf o = { NULL, 0, 0 };
	uint32_t cp, bits = 0;
	size_t i = 0, n;
	int nbits = 0, inb64 = 0;

	*outp = NULL;
	if (out_putc(&o, 'x') == -1)	/* an empty name gives "" */
		goto nomem;
	o.len = 0;
	o.p[0] = '\0';
	while (s[i] != '\0') {
		if (utf8_next(s + i, &cp, &n) == -1) {
			free(o.p);
			return seterr(errstr, "invalid UTF-8", i);
		}
		if (printable(cp)) {
			if (inb64) {
				if (nbits > 0 && out_putc(&o,
				    b64chars[(bits << (6 - nbits)) & 0x3f]))
					goto nomem;
				if (out_putc(&o, '-'))
					goto nomem;
				inb64 = 0;
				nbits = 0;
				bits = 0;
			}
			if (out_putc(&o, (char)cp))
				goto nomem;
			if (cp == '&' && out_putc(&o, '-'))
				goto nomem;
		} else {
			uint32_t units[2];
			int nu = 1, u;

			if (!inb64) {
				if (out_putc(&o, '&'))
					goto nomem;
				inb64 = 1;
			}
			if (cp >= 0x10000) {
				units[0] = 0xd800 | ((cp - 0x10000) >> 10);
				units[1] = 0xdc00 | ((cp - 0x10000) & 0x3ff);
				nu = 2;
			} else
				units[0] = cp;
			for (u = 0; u < nu; u++) {
				bits = (bits << 16) | units[u];
				nbits += 16;
				while (nbits >= 6) {
					nbits -= 6;
					if (out_putc(&o,
					    b64chars[(bits >> nbits) & 0x3f]))
						goto nomem;
				}
				bits &= (1u << nbits) - 1;
			}
		}
		i += n;
	}
	if (inb64) {
		if (nbits > 0 &&
		    out_putc(&o, b64chars[(bits << (6 - nbits)) & 0x3f]))
			goto nomem;
		if (out_putc(&o, '-'))
			goto nomem;
	}
	*outp = o.p;
	return 0;
nomem:
	free(o.p);
	return seterr(errstr, "out of memory", i);
}

static int
b64value(unsigned char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(b64chars, c);
	return p ? (int)(p - b64chars) : -1;
}

int
mutf7_decode(const char *mutf7, char **outp, char **errstr)
{
	const unsigned char *s = (const unsigned char *)mutf7;
	struct outbuf o = { NULL, 0, 0 };
	size_t i = 0, start;
	const char *why;

	*outp = NULL;
	if (out_putc(&o, 'x') == -1)
		goto nomem;
	o.len = 0;
	o.p[0] = '\0';
	while (s[i] != '\0') {
		uint32_t bits = 0, hi = 0;
		int nbits = 0, v;

		if (!printable(s[i])) {
			why = "byte outside printable ASCII";
			goto bad;
		}
		if (s[i] != '&') {
			if (out_putc(&o, (char)s[i]))
				goto nomem;
			i++;
			continue;
		}
		start = ++i;
		if (s[i] == '-') {		/* "&-" is "&" */
			if (out_putc(&o, '&'))
				goto nomem;
			i++;
			continue;
		}
		while (s[i] != '-') {
			if ((v = b64value(s[i])) == -1) {
				why = s[i] == '\0' ? "unterminated &...- run" :
				    "character outside modified base64";
				goto bad;
			}
			bits = (bits << 6) | (uint32_t)v;
			nbits += 6;
			if (nbits >= 16) {
				uint32_t unit;

				nbits -= 16;
				unit = (bits >> nbits) & 0xffff;
				bits &= (1u << nbits) - 1;
				if (hi != 0) {
					if (unit < 0xdc00 || unit > 0xdfff) {
						why = "unpaired UTF-16 surrogate";
						goto bad;
					}
					unit = 0x10000 + ((hi - 0xd800) << 10) +
					    (unit - 0xdc00);
					hi = 0;
				} else if (unit >= 0xd800 && unit <= 0xdbff) {
					hi = unit;
					i++;
					continue;
				} else if (unit >= 0xdc00 && unit <= 0xdfff) {
					why = "unpaired UTF-16 surrogate";
					goto bad;
				}
				if (unit == 0 || printable(unit)) {
					why = "NUL or printable ASCII encoded "
					    "in base64";
					goto bad;
				}
				if (put_utf8(&o, unit))
					goto nomem;
			}
			i++;
		}
		/* At '-': what is left must be padding, zero and < 6 bits. */
		if (hi != 0) {
			why = "unpaired UTF-16 surrogate";
			goto bad;
		}
		if (nbits >= 6 || bits != 0) {
			why = "dangling bits in a base64 run";
			goto bad;
		}
		if (i == start) {		/* unreachable: "&-" above */
			why = "empty base64 run";
			goto bad;
		}
		i++;
	}
	*outp = o.p;
	return 0;
bad:
	free(o.p);
	return seterr(errstr, why, i);
nomem:
	free(o.p);
	return seterr(errstr, "out of memory", i);
}
