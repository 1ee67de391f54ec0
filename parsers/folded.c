/*
 * folded: searching the folded text of the convocation extractor, the
 * helpers too large to inline (folded.h has the others).  The keyword
 * lists are matched here when a doc has no index for them (keywords.c).
 */
#include <string.h>

#include "lib/ascii.h"
#include "parsers/folded.h"

/* First occurrence of needle in folded [a, b), or -1. */
long
ft_find(const char *s, size_t a, size_t b, const char *needle)
{
	size_t n = strlen(needle), i;
	const char *p;

	if (b <= a || b - a < n)
		return -1;
	if (strchr(needle, ' ') == NULL) {
		p = memmem(s + a, b - a, needle, n);
		return p == NULL ? -1 : (long)(p - s);
	}
	/* a phrase: its words may be wrapped over lines ("you\nare
	   invited") */
	for (i = a; i + n <= b; i++) {
		if (needle[0] != ' ' && (p = memchr(s + i, needle[0],
		    b - n + 1 - i)) == NULL)
			return -1;
		if (needle[0] != ' ')
			i = (size_t)(p - s);
		if (ft_eq(s + i, needle, n))
			return (long)i;
	}
	return -1;
}

/* Last occurrence of needle in folded [a, b), or -1. */
long
ft_rfind(const char *s, size_t a, size_t b, const char *needle)
{
	size_t n = strlen(needle), i;

	if (b <= a || b - a < n)
		return -1;
	for (i = b - n + 1; i-- > a;)
		if (ft_eq(s + i, needle, n))
			return (long)i;
	return -1;
}

/* needle as a whole word ("cir" but not "circulaire") in [a, b). */
long
ft_find_word(const char *s, size_t a, size_t b, const char *needle)
{
	size_t n = strlen(needle);
	long p;

	while ((p = ft_find(s, a, b, needle)) >= 0) {
		if ((p == 0 || !ascii_is_wordnum((unsigned char)s[p - 1])) &&
		    ((size_t)p + n >= b || !ascii_is_wordnum((unsigned char)s[p + n])))
			return p;
		a = (size_t)p + 1;
	}
	return -1;
}

/* Keyword kw at folded p starts a word, as keywords must (a keyword that
   starts with a space or a sign may follow anything). */
static int
kw_starts_word(const char *s, long p, const char *kw)
{
	return p == 0 || !ascii_is_wordnum((unsigned char)s[p - 1]) ||
	    !ascii_is_wordnum((unsigned char)kw[0]);
}

/* First keyword kw in [a, b) that starts a word, or -1. */
long
ft_find_kw(const char *s, size_t a, size_t b, const char *kw)
{
	long p;

	for (; (p = ft_find(s, a, b, kw)) >= 0; a = (size_t)p + 1)
		if (kw_starts_word(s, p, kw))
			return p;
	return -1;
}

/* Last keyword kw in [a, b) that starts a word, or -1. */
long
ft_rfind_kw(const char *s, size_t a, size_t b, const char *kw)
{
	long p;

	for (; (p = ft_rfind(s, a, b, kw)) >= 0; b = (size_t)p + strlen(kw) - 1)
		if (kw_starts_word(s, p, kw))
			return p;
	return -1;
}

/* One keyword of the NULL-terminated list is in [a, b), starting a
   word. */
int
ft_any(const char *s, size_t a, size_t b, const char *const *list)
{
	for (; *list != NULL; list++)
		if (ft_find_kw(s, a, b, *list) >= 0)
			return 1;
	return 0;
}

/* ft_any() on [a, b) read as one line: a phrase wrapped over lines
   ("ne peut pas\nêtre maintenu") still matches.  At most 512 bytes. */
int
ft_any_flat(const char *s, size_t a, size_t b, const char *const *list)
{
	char flat[512];
	size_t n = 0;

	for (; a < b && n < sizeof(flat); a++) {
		char c = s[a] == '\n' || s[a] == '\t' ? ' ' : s[a];

		if (c == ' ' && n > 0 && flat[n - 1] == ' ')
			continue;
		flat[n++] = c;
	}
	return ft_any(flat, 0, n, list);
}

/* Like ft_any(), but a keyword must start a word: "sent" is not in
   "presentez", "dr " is not in "cadre ". */
int
ft_any_word(const char *s, size_t a, size_t b, const char *const *list)
{
	size_t from;
	long p;

	for (; *list != NULL; list++) {
		for (from = a; (p = ft_find(s, from, b, *list)) >= 0;
		    from = (size_t)p + 1)
			if (p == 0 || !ascii_is_wordnum((unsigned char)s[p - 1]))
				return 1;
	}
	return 0;
}

/* A list line: bullet, number, dash; *alone when the bullet stands on
   its own line (PDF text puts the bullet column apart). */
int
ft_list_item(const char *s, size_t a, size_t b, int *alone)
{
	size_t e = b;

	a = ft_skip_ws(s, a, b);
	while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	*alone = 0;
	if (a >= e)
		return 0;
	if ((s[a] == '*' || s[a] == '-' || s[a] == '+') && a + 1 == e) {
		*alone = 1;
		return 1;
	}
	if ((s[a] == '*' || s[a] == '-' || s[a] == '+' || s[a] == 'o') &&
	    a + 1 < e && (s[a + 1] == ' ' || s[a + 1] == '\t'))
		return 1;
	if (s[a] >= '0' && s[a] <= '9' && a + 1 < e &&
	    (s[a + 1] == ')' || s[a + 1] == '.' || s[a + 1] == '-' ||
	    s[a + 1] == '/'))
		return 1;
	if (s[a] >= 'a' && s[a] <= 'h' && a + 1 < e && s[a + 1] == ')')
		return 1;
	return 0;
}

/* Sentence [a, b) around pos. */
void
ft_sentence(const char *s, size_t len, size_t pos, size_t *a, size_t *b)
{
	size_t i;

	for (i = pos; i > 0 && pos - i < 400; i--) {
		if ((s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?' ||
		    s[i - 1] == ';') && (s[i] == ' ' || s[i] == '\n'))
			break;
		if (s[i - 1] == '\n' && i >= 2 && s[i - 2] == '\n')
			break;
	}
	*a = i;
	for (i = pos; i < len && i - pos < 400; i++) {
		if ((s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == ';') &&
		    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\n'))
			break;
		if (s[i] == '\n' && i + 1 < len && s[i + 1] == '\n')
			break;
	}
	*b = i;
}
