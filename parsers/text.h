/*
 * text: small UTF-8 helpers shared by the parsers.  Pure: no I/O, no global
 * state, no recursion.  Every function that returns a string returns a
 * malloc'd, NUL-terminated, valid UTF-8 string the caller free()s, and NULL
 * only on out-of-memory.  Inputs are byte ranges (pointer + length) and may
 * hold anything, NUL bytes included.
 */
#ifndef OFII_TEXT_H
#define OFII_TEXT_H

#include <stddef.h>

/* What text_to_utf8() had to do, or-ed into *notes. */
#define TEXT_REPLACED		0x01	/* ill-formed bytes became U+FFFD */
#define TEXT_UNKNOWN_CHARSET	0x02	/* charset unknown: guessed */

/*
 * Convert [s, s + len) from `charset` (a MIME charset name, case and
 * punctuation insensitive: "ISO-8859-1", "latin1", "cp1252"...) to UTF-8.
 * UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and windows-1252 are decoded
 * here; other names go through iconv(3).  ISO-8859-1/15 bytes 0x80-0x9F are
 * read as windows-1252, as mail clients do (C1 controls are never meant).
 * charset NULL, US-ASCII or unknown: UTF-8 if the bytes are valid UTF-8,
 * else windows-1252.  Invalid bytes become U+FFFD, NUL bytes are dropped,
 * a leading UTF-8 byte order mark is removed.  notes may be NULL.
 */
char	*text_to_utf8(const char *charset, const char *s, size_t len,
	    size_t *outlen, unsigned *notes);

/* text_clean_controls() flags */
#define TEXT_ONE_LINE	0x01	/* also turn \n and \t into spaces */

/*
 * In place, on valid UTF-8: CRLF and lone CR become \n, C0 controls other
 * than \t and \n, DEL and C1 controls (U+0080-U+009F) are removed, and so
 * are the invisible bidi controls (U+200E/F, U+202A-E, U+2066-9) that make
 * "fdp.exe" display as "exe.pdf".  With
 * TEXT_ONE_LINE, \n and \t become a space too.  Writes a NUL at the new
 * end and returns the new length.
 */
size_t	 text_clean_controls(char *s, size_t len, int flags);

/*
 * Decode an unfolded header value with RFC 2047 encoded words (B and Q, any
 * charset, RFC 2231 "charset*lang" accepted) to one line of UTF-8.
 * Whitespace between adjacent encoded words is dropped and adjacent words
 * in the same charset are decoded together, so a character split over two
 * words survives.  Bytes outside encoded words are read as UTF-8 if valid,
 * else windows-1252.  Control characters are removed (TEXT_ONE_LINE).
 */
char	*text_decode_header(const char *s, size_t len);

/* ASCII-only case folding, whatever the locale (header names, tokens). */
int	 text_ascii_lower(int c);
/* 1 if the first n bytes of a and b are equal, ASCII case ignored. */
int	 text_ascii_ncaseeq(const char *a, const char *b, size_t n);

#endif
