/*
 * utf8: the one UTF-8 decoder and encoder of the project.  Strict: no
 * overlong forms, no surrogates, nothing above U+10FFFF (Unicode ch. 3,
 * table 3-7).  Pure: no I/O, no global state.
 */
#ifndef OFII_LIB_UTF8_H
#define OFII_LIB_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT	"\xEF\xBF\xBD"	/* U+FFFD */

/*
 * Decode the character at s (n >= 1 bytes available).  0 with *cpp and
 * *lenp (1..4) when it is well-formed; -1 when it is not, with *lenp the
 * length of its maximal ill-formed subpart (at least 1): what one U+FFFD
 * stands for when the text is repaired (as browsers and Unicode ch. 3 do).
 */
int	utf8_decode(const char *s, size_t n, uint32_t *cpp, size_t *lenp);

/* Encode a scalar value into out (1..4 bytes written, the count returned). */
size_t	utf8_encode(uint32_t cp, char out[4]);

/* 1 if [s, s + len) is well-formed UTF-8 (NUL bytes are), else 0. */
int	utf8_valid(const char *s, size_t len);

/*
 * Copy of [s, s + len) made valid: each ill-formed sequence (maximal
 * subpart) becomes U+FFFD, NUL bytes are dropped.  malloc'd and
 * NUL-terminated; *outlen (if not NULL) is its length; NULL on
 * out-of-memory.  *replaced (if not NULL) says whether a U+FFFD was put.
 */
char	*utf8_sanitize(const char *s, size_t len, size_t *outlen,
	    int *replaced);

/* The largest length <= len that does not cut a character of s in two
   (s holds at least len + 1 bytes when len is cut inside it). */
size_t	utf8_boundary(const char *s, size_t len);

#endif
