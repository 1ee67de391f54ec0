/*
 * folded: searching the folded text of the convocation extractor
 * (frdate_fold: lowercase ASCII, no accents) within a range [a, b) that
 * never reaches past the text.  The "ft_" prefix keeps these small names
 * apart from the rest of the program's.  The smallest ones are defined
 * here, inline: they run for every line and every keyword tried (a call
 * to each, and a strlen() the compiler can no longer fold for a literal,
 * cost the extraction about 8% more instructions on the fixture mails).
 * Internal to the extractor, like parsers/extract.h which includes it.
 */
#ifndef OFII_FOLDED_H
#define OFII_FOLDED_H

#include <stddef.h>
#include <string.h>

long	ft_find(const char *, size_t a, size_t b, const char *needle);
long	ft_rfind(const char *, size_t a, size_t b, const char *needle);
long	ft_find_word(const char *, size_t a, size_t b, const char *needle);
long	ft_find_kw(const char *, size_t a, size_t b, const char *kw);
long	ft_rfind_kw(const char *, size_t a, size_t b, const char *kw);
int	ft_any(const char *, size_t a, size_t b, const char *const *list);
int	ft_any_flat(const char *, size_t a, size_t b,
	    const char *const *list);
int	ft_any_word(const char *, size_t a, size_t b,
	    const char *const *list);
void	ft_sentence(const char *, size_t len, size_t pos, size_t *a,
	    size_t *b);
int	ft_list_item(const char *, size_t a, size_t b, int *alone);

/* Folded text at s equals keyword w (n bytes), a space of w matching a
   line break of the text too: a phrase wrapped over lines is the same
   phrase. */
static inline int
ft_eq(const char *s, const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != w[i] && !(w[i] == ' ' && s[i] == '\n'))
			return 0;
	return 1;
}

/* Start of the line that holds i. */
static inline size_t
ft_line_start(const char *s, size_t i)
{
	while (i > 0 && s[i - 1] != '\n')
		i--;
	return i;
}

/* The '\n' that ends the line holding i, or len. */
static inline size_t
ft_line_end(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != '\n')
		i++;
	return i;
}

/* Only spaces, TABs and CRs in [a, b). */
static inline int
ft_blank(const char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (s[a] != ' ' && s[a] != '\t' && s[a] != '\r')
			return 0;
	return 1;
}

/* First position of [a, b) that is not a space or a TAB (b if none). */
static inline size_t
ft_skip_ws(const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	return a;
}

/* [a, b) starts with w. */
static inline int
ft_starts(const char *s, size_t a, size_t b, const char *w)
{
	size_t n = strlen(w);

	return b >= a + n && memcmp(s + a, w, n) == 0;
}

/* [a, b) ends with w, trailing spaces and TABs aside. */
static inline int
ft_ends(const char *s, size_t a, size_t b, const char *w)
{
	size_t n = strlen(w);

	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	return b >= a + n && memcmp(s + b - n, w, n) == 0;
}

#endif
