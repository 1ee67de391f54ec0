/*
 * mutf7: modified UTF-7 for IMAP mailbox names, see mutf7.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imap/mutf7.h"
#include "lib/buf.h"
#include "lib/errstr.h"
#include "lib/utf8.h"

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
seterr(char **errstr, const char *msg, size_t pos)
{
	return errstr_set(errstr, "mailbox name: %s at byte %zu", msg, pos);
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
	struct buf o = { 0 };
	uint32_t cp, bits = 0;
	size_t i = 0, n;
	int nbits = 0, inb64 = 0;

	*outp = NULL;
	while (s[i] != '\0') {
		if (utf8_decode(utf8 + i, 4, &cp, &n) == -1) {
			buf_free(&o);
			return seterr(errstr, "invalid UTF-8", i);
		}
		if (printable(cp)) {
			if (inb64) {
				if (nbits > 0 && buf_addc(&o,
				    b64chars[(bits << (6 - nbits)) & 0x3f]))
					goto nomem;
				if (buf_addc(&o, '-'))
					goto nomem;
				inb64 = 0;
				nbits = 0;
				bits = 0;
			}
			if (buf_addc(&o, (char)cp))
				goto nomem;
			if (cp == '&' && buf_addc(&o, '-'))
				goto nomem;
		} else {
			uint32_t units[2];
			int nu = 1, u;

			if (!inb64) {
				if (buf_addc(&o, '&'))
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
					if (buf_addc(&o,
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
		    buf_addc(&o, b64chars[(bits << (6 - nbits)) & 0x3f]))
			goto nomem;
		if (buf_addc(&o, '-'))
			goto nomem;
	}
	if ((*outp = buf_finish(&o, NULL)) == NULL)
		goto nomem;
	return 0;
nomem:
	buf_free(&o);
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
	struct buf o = { 0 };
	size_t i = 0, start;
	const char *why;

	*outp = NULL;
	while (s[i] != '\0') {
		uint32_t bits = 0, hi = 0;
		int nbits = 0, v;

		if (!printable(s[i])) {
			why = "byte outside printable ASCII";
			goto bad;
		}
		if (s[i] != '&') {
			if (buf_addc(&o, (char)s[i]))
				goto nomem;
			i++;
			continue;
		}
		start = ++i;
		if (s[i] == '-') {		/* "&-" is "&" */
			if (buf_addc(&o, '&'))
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
				if (buf_add_cp(&o, unit))
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
	if ((*outp = buf_finish(&o, NULL)) == NULL)
		goto nomem;
	return 0;
bad:
	buf_free(&o);
	return seterr(errstr, why, i);
nomem:
	buf_free(&o);
	return seterr(errstr, "out of memory", i);
}
