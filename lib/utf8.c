/*
 * utf8: see utf8.h.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/utf8.h"

int
utf8_decode(const char *s, size_t n, uint32_t *cpp, size_t *lenp)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		 lo = 0x80, hi = 0xBF;
	uint32_t		 cp;
	size_t			 need, i;

	if (u[0] < 0x80) {
		*cpp = u[0];
		*lenp = 1;
		return 0;
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		need = 1;
	else if (u[0] == 0xE0) {
		need = 2;
		lo = 0xA0;		/* no overlong forms */
	} else if ((u[0] >= 0xE1 && u[0] <= 0xEC) || u[0] == 0xEE ||
	    u[0] == 0xEF)
		need = 2;
	else if (u[0] == 0xED) {
		need = 2;
		hi = 0x9F;		/* no surrogates */
	} else if (u[0] == 0xF0) {
		need = 3;
		lo = 0x90;
	} else if (u[0] >= 0xF1 && u[0] <= 0xF3)
		need = 3;
	else if (u[0] == 0xF4) {
		need = 3;
		hi = 0x8F;		/* nothing above U+10FFFF */
	} else {
		*lenp = 1;
		return -1;
	}
	cp = u[0] & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
	for (i = 1; i <= need; i++) {
		if (i >= n || u[i] < lo || u[i] > hi) {
			*lenp = i;
			return -1;
		}
		cp = (cp << 6) | (u[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cpp = cp;
	*lenp = need + 1;
	return 0;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	unsigned char *u = (unsigned char *)out;

	if (cp < 0x80) {
		u[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = 0xC0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3F);
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = 0xE0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3F);
		u[2] = 0x80 | (cp & 0x3F);
		return 3;
	}
	u[0] = 0xF0 | (cp >> 18);
	u[1] = 0x80 | ((cp >> 12) & 0x3F);
	u[2] = 0x80 | ((cp >> 6) & 0x3F);
	u[3] = 0x80 | (cp & 0x3F);
	return 4;
}

int
utf8_valid(const char *s, size_t len)
{
	uint32_t	cp;
	size_t		i = 0, n;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_decode(s + i, len - i, &cp, &n) == -1)
			return 0;
		i += n;
	}
	return 1;
}

char *
utf8_sanitize(const char *s, size_t len, size_t *outlen, int *replaced)
{
	struct buf	b;
	uint32_t	cp;
	size_t		i = 0, n;

	if (replaced != NULL)
		*replaced = 0;
	buf_init(&b, 0);
	if (utf8_valid(s, len) && memchr(s, '\0', len) == NULL) {
		buf_add(&b, s, len);
		return buf_finish(&b, outlen);
	}
	while (i < len) {
		if (utf8_decode(s + i, len - i, &cp, &n) == -1) {
			buf_add(&b, UTF8_REPLACEMENT, 3);
			if (replaced != NULL)
				*replaced = 1;
		} else if (s[i] != '\0')
			buf_add(&b, s + i, n);
		i += n;
	}
	return buf_finish(&b, outlen);
}

size_t
utf8_boundary(const char *s, size_t len)
{
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}
