/*
 * text: UTF-8 validation and repair, charset conversion, control character
 * cleanup, RFC 2047 header decoding.  See text.h.
 *
 * The charsets mail actually uses in France (UTF-8, ISO-8859-1/15,
 * windows-1252) are decoded by hand so that their behaviour on bad input is
 * ours and known; anything else is handed to iconv(3).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "lib/buf.h"
#include "lib/utf8.h"
#include "parsers/text.h"

enum charset_class {
	CS_GUESS,		/* none or US-ASCII: UTF-8, else cp1252 */
	CS_UNKNOWN,		/* a name we cannot use: guess the same way */
	CS_UTF8,
	CS_LATIN1,
	CS_LATIN9,
	CS_CP1252,
	CS_ICONV		/* a name iconv may know */
};

/* windows-1252 0x80-0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178
};

/* ISO-8859-1, ISO-8859-15 or windows-1252 to UTF-8. */
static char *
single_byte_to_utf8(enum charset_class cs, const char *s, size_t len,
    size_t *outlen, int *replaced)
{
	const unsigned char	*u = (const unsigned char *)s;
	struct buf		 b = { 0 };
	size_t			 i;
	uint32_t		 cp;

	*replaced = 0;
	if (buf_reserve(&b, len + len / 2) == -1)
		return buf_finish(&b, outlen);
	for (i = 0; i < len; i++) {
		cp = u[i];
		if (cp == 0)
			continue;
		if (cp >= 0x80 && cp <= 0x9F) {
			cp = cp1252_high[cp - 0x80];
			if (cp == 0) {
				cp = 0xFFFD;
				*replaced = 1;
			}
		} else if (cs == CS_LATIN9) {
			switch (cp) {
			case 0xA4: cp = 0x20AC; break;
			case 0xA6: cp = 0x0160; break;
			case 0xA8: cp = 0x0161; break;
			case 0xB4: cp = 0x017D; break;
			case 0xB8: cp = 0x017E; break;
			case 0xBC: cp = 0x0152; break;
			case 0xBD: cp = 0x0153; break;
			case 0xBE: cp = 0x0178; break;
			default: break;
			}
		}
		buf_add_cp(&b, cp);
	}
	return buf_finish(&b, outlen);
}

/*
 * Everything but iconv.  NULL with *unknown set when iconv does not know
 * the charset (the caller guesses), NULL alone on out-of-memory.
 */
static char *
iconv_to_utf8(const char *charset, const char *s, size_t len, size_t *outlen,
    int *replaced, int *unknown)
{
	struct buf	 b = { 0 };
	iconv_t		 cd;
	char		*in, *out, *res;
	size_t		 inleft, outleft, r;
	int		 err;

	*replaced = 0;
	*unknown = 0;
	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1) {
		*unknown = 1;
		return NULL;
	}
	in = (char *)s;		/* iconv's prototype is not const-correct */
	inleft = len;
	for (;;) {
		if (buf_reserve(&b, inleft * 2 + 64) == -1)
			break;
		out = b.p + b.len;
		outleft = b.cap - b.len - 1;
		/* inleft == 0: flush the shift state of stateful encodings */
		r = iconv(cd, inleft ? &in : NULL, &inleft, &out, &outleft);
		b.len = out - b.p;
		if (r != (size_t)-1) {
			if (inleft == 0 && in != NULL) {
				in = NULL;	/* one more round to flush */
				continue;
			}
			break;
		}
		if ((err = errno) == E2BIG)
			continue;
		/* EILSEQ, EINVAL (truncated at the end) or worse: replace
		   one byte and go on from the next. */
		buf_add(&b, UTF8_REPLACEMENT, 3);
		*replaced = 1;
		if (err != EILSEQ || inleft == 0)
			break;
		in++;
		inleft--;
	}
	iconv_close(cd);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	/* iconv's output is UTF-8, but it may hold NUL bytes: clean it. */
	res = utf8_sanitize(b.p ? b.p : "", b.len, outlen, &(int){ 0 });
	free(b.p);
	return res;
}

/* Lowercase letters and digits of the name only: "ISO_8859-1" ->
   "iso88591".  Returns 0 if the name is too long to be a charset. */
static int
charset_key(const char *name, char *key, size_t keysz)
{
	size_t	i, k = 0;
	char	c;

	for (i = 0; name[i] != '\0'; i++) {
		c = name[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (k + 1 >= keysz)
				return 0;
			key[k++] = c;
		}
	}
	key[k] = '\0';
	return 1;
}

static enum charset_class
charset_classify(const char *name)
{
	static const struct {
		const char		*key;
		enum charset_class	 cs;
	} names[] = {
		{ "utf8", CS_UTF8 }, { "unicode11utf8", CS_UTF8 },
		{ "usascii", CS_GUESS }, { "ascii", CS_GUESS },
		{ "ansix341968", CS_GUESS }, { "us", CS_GUESS },
		{ "iso646us", CS_GUESS },
		{ "iso88591", CS_LATIN1 }, { "latin1", CS_LATIN1 },
		{ "l1", CS_LATIN1 }, { "cp819", CS_LATIN1 },
		{ "isoir100", CS_LATIN1 }, { "iso885911987", CS_LATIN1 },
		{ "iso885915", CS_LATIN9 }, { "latin9", CS_LATIN9 },
		{ "l9", CS_LATIN9 }, { "latin0", CS_LATIN9 },
		{ "windows1252", CS_CP1252 }, { "cp1252", CS_CP1252 },
		{ "xcp1252", CS_CP1252 }, { "win1252", CS_CP1252 },
		{ "ms1252", CS_CP1252 },
	};
	char	key[48];
	size_t	i;

	if (name == NULL)
		return CS_GUESS;
	if (!charset_key(name, key, sizeof(key)) || key[0] == '\0')
		return CS_UNKNOWN;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(key, names[i].key) == 0)
			return names[i].cs;
	/* Only plain names go to iconv: a "//TRANSLIT" or "//IGNORE"
	   suffix from a hostile mail would change its behaviour. */
	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == ':'))
			return CS_UNKNOWN;
	}
	return i < 40 ? CS_ICONV : CS_UNKNOWN;
}

/* Strip a leading byte order mark in place. */
static void
strip_bom(char *s, size_t *len)
{
	if (*len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		memmove(s, s + 3, *len - 3 + 1);
		*len -= 3;
	}
}

char *
text_to_utf8(const char *charset, const char *s, size_t len, size_t *outlen,
    unsigned *notes)
{
	enum charset_class	 cs;
	char			*res = NULL;
	size_t			 n = 0;
	int			 replaced = 0, unknown = 0;

	if (s == NULL)
		s = "";
	cs = charset_classify(charset);
	if (cs == CS_UNKNOWN) {
		unknown = 1;
		cs = CS_GUESS;
	}
	if (cs == CS_ICONV) {
		res = iconv_to_utf8(charset, s, len, &n, &replaced, &unknown);
		if (res == NULL && !unknown)
			return NULL;
		if (unknown)
			cs = CS_GUESS;
	}
	switch (cs) {
	case CS_UTF8:
		res = utf8_sanitize(s, len, &n, &replaced);
		break;
	case CS_GUESS:
	case CS_UNKNOWN:
		if (utf8_valid(s, len))
			res = utf8_sanitize(s, len, &n, &replaced);
		else
			res = single_byte_to_utf8(CS_CP1252, s, len, &n,
			    &replaced);
		break;
	case CS_LATIN1:
	case CS_LATIN9:
	case CS_CP1252:
		res = single_byte_to_utf8(cs, s, len, &n, &replaced);
		break;
	case CS_ICONV:
		break;
	}
	if (res == NULL)
		return NULL;
	strip_bom(res, &n);
	if (notes != NULL)
		*notes |= (replaced ? TEXT_REPLACED : 0) |
		    (unknown ? TEXT_UNKNOWN_CHARSET : 0);
	if (outlen != NULL)
		*outlen = n;
	return res;
}

size_t
text_clean_controls(char *s, size_t len, int flags)
{
	unsigned char	*u = (unsigned char *)s;
	size_t		 r, w = 0;
	int		 one_line = flags & TEXT_ONE_LINE;

	for (r = 0; r < len; r++) {
		unsigned char c = u[r];

		if (c == '\r') {
			if (r + 1 < len && u[r + 1] == '\n')
				continue;	/* the \n follows */
			u[w++] = one_line ? ' ' : '\n';
		} else if (c == '\n' || c == '\t')
			u[w++] = one_line ? ' ' : c;
		else if (c < 0x20 || c == 0x7F)
			continue;
		else if (c == 0xC2 && r + 1 < len && u[r + 1] >= 0x80 &&
		    u[r + 1] <= 0x9F)
			r++;		/* C1 control, two bytes in UTF-8 */
		else if (c == 0xE2 && r + 2 < len && ((u[r + 1] == 0x80 &&
		    ((u[r + 2] >= 0xAA && u[r + 2] <= 0xAE) ||
		    u[r + 2] == 0x8E || u[r + 2] == 0x8F)) ||
		    (u[r + 1] == 0x81 && u[r + 2] >= 0xA6 && u[r + 2] <= 0xA9)))
			r += 2;		/* bidi mark, embedding, override */
		else
			u[w++] = c;
	}
	u[w] = '\0';
	return w;
}

/* Charset name characters.  RFC 2047 forbids the especials, but real
   names such as "ISO_8859-1:1987" use them; only '?' ends the name. */
static int
is_charset_char(unsigned char c)
{
	return c > ' ' && c < 0x7F && c != '?';
}

int
text_ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int
text_ascii_ncaseeq(const char *a, const char *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (text_ascii_lower((unsigned char)a[i]) !=
		    text_ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

struct encoded_word {
	const char	*charset;
	size_t		 charset_len;
	int		 enc;		/* 'B' or 'Q' */
	const char	*text;
	size_t		 text_len;
	size_t		 total;		/* bytes from "=?" to "?=" */
};

/* Is there an encoded word =?charset?enc?text?= at s? */
static int
parse_encoded_word(const char *s, size_t len, struct encoded_word *ew)
{
	size_t	i = 2, j;

	if (len < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	while (i < len && s[i] != '?') {
		if (!is_charset_char((unsigned char)s[i]) || i - 2 >= 64)
			return 0;
		i++;
	}
	if (i == 2 || i + 3 >= len)
		return 0;
	ew->charset = s + 2;
	ew->charset_len = i - 2;
	i++;
	if (s[i] == 'b' || s[i] == 'B')
		ew->enc = 'B';
	else if (s[i] == 'q' || s[i] == 'Q')
		ew->enc = 'Q';
	else
		return 0;
	if (s[++i] != '?')
		return 0;
	i++;
	/* Encoded text holds no '?', spaces or controls (RFC 2047 5.). */
	for (j = i; j < len && s[j] != '?'; j++)
		if ((unsigned char)s[j] <= ' ' || s[j] == 0x7F)
			return 0;
	if (j + 1 >= len || s[j + 1] != '=')
		return 0;
	ew->text = s + i;
	ew->text_len = j - i;
	ew->total = j + 2;
	return 1;
}

static int
b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Append the bytes an encoded word's text stands for. */
static void
decode_word_bytes(struct buf *b, const struct encoded_word *ew)
{
	const unsigned char	*t = (const unsigned char *)ew->text;
	size_t			 i;
	uint32_t		 acc = 0;
	int			 bits = 0, hi, lo, v;
	unsigned char		 byte;

	for (i = 0; i < ew->text_len; i++) {
		if (ew->enc == 'B') {
			/* Skip what is not base64 (padding included). */
			if ((v = b64val(t[i])) < 0)
				continue;
			acc = (acc << 6) | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				byte = (acc >> bits) & 0xFF;
				buf_add(b, &byte, 1);
			}
			acc &= (1u << bits) - 1;
		} else if (t[i] == '_')
			buf_add(b, " ", 1);
		else if (t[i] == '=' && i + 2 < ew->text_len &&
		    (hi = ascii_hexval(t[i + 1])) >= 0 &&
		    (lo = ascii_hexval(t[i + 2])) >= 0) {
			byte = (unsigned char)(hi << 4 | lo);
			buf_add(b, &byte, 1);
			i += 2;
		} else
			buf_add(b, t + i, 1);
	}
}

/* Convert the pending bytes of encoded words in one charset. */
static void
flush_words(struct buf *out, struct buf *pending, const char *charset,
    size_t charset_len)
{
	char	 cs[65], *star, *u;
	size_t	 n;

	if (pending->len == 0 || out->failed)
		return;
	if (charset_len >= sizeof(cs))
		charset_len = sizeof(cs) - 1;
	memcpy(cs, charset, charset_len);
	cs[charset_len] = '\0';
	if ((star = strchr(cs, '*')) != NULL)	/* RFC 2231: charset*lang */
		*star = '\0';
	u = text_to_utf8(cs, pending->p, pending->len, &n, NULL);
	if (u == NULL)
		out->failed = 1;
	else
		buf_add(out, u, n);
	free(u);
	pending->len = 0;
}

/* Plain (not encoded) header bytes: UTF-8 if valid, else windows-1252. */
static void
add_plain(struct buf *out, const char *s, size_t len)
{
	char	*u;
	size_t	 n;

	if (len == 0)
		return;
	if ((u = text_to_utf8(NULL, s, len, &n, NULL)) == NULL) {
		out->failed = 1;
		return;
	}
	buf_add(out, u, n);
	free(u);
}

static int
all_space(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	return 1;
}

char *
text_decode_header(const char *s, size_t len)
{
	struct buf		 out = { 0 }, pending = { 0 };
	struct encoded_word	 ew;
	const char		*pcs = NULL;
	size_t			 pcs_len = 0, i = 0, plain = 0;
	int			 after_word = 0;
	char			*res;

	if (s == NULL)
		s = "";
	while (i < len) {
		if (s[i] != '=' || i + 1 >= len || s[i + 1] != '?' ||
		    !parse_encoded_word(s + i, len - i, &ew)) {
			i++;
			continue;
		}
		/* Text between two encoded words that is only whitespace
		   is dropped (RFC 2047 6.2); anything else ends the run. */
		if (!(after_word && all_space(s + plain, i - plain))) {
			flush_words(&out, &pending, pcs, pcs_len);
			add_plain(&out, s + plain, i - plain);
		}
		if (pending.len > 0 && (pcs_len != ew.charset_len ||
		    !text_ascii_ncaseeq(pcs, ew.charset, pcs_len)))
			flush_words(&out, &pending, pcs, pcs_len);
		pcs = ew.charset;
		pcs_len = ew.charset_len;
		decode_word_bytes(&pending, &ew);
		if (pending.failed)
			out.failed = 1;
		i += ew.total;
		plain = i;
		after_word = 1;
	}
	flush_words(&out, &pending, pcs, pcs_len);
	add_plain(&out, s + plain, len - plain);
	free(pending.p);
	if ((res = buf_finish(&out, &i)) == NULL)
		return NULL;
	text_clean_controls(res, i, TEXT_ONE_LINE);
	return res;
}
