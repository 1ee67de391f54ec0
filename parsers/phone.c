/*
 * phone: French phone numbers in running text.  See phone.h.
 * Hand scanning over the folded text, bounded look-around per match:
 * linear in the text, no recursion.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "lib/errstr.h"
#include "parsers/phone.h"

void
phone_free_all(struct phone *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i].text);
	free(v);
}

/*
 * A phone number at i: national 0X XX XX XX XX (any grouping, separators
 * space . - or none), or +33 / 0033 / +590 ... followed by 9 digits
 * (optional "(0)").  End offset or 0.
 */
static size_t
phone_at(const char *s, size_t len, size_t i, char digits[16])
{
	size_t k = i, nd = 0, want;
	int intl = 0;

	if (s[k] == '+') {
		intl = 1;
		k++;
	} else if (k + 1 < len && s[k] == '0' && s[k + 1] == '0' &&
	    k + 3 < len && s[k + 2] == '3' && s[k + 3] == '3') {
		intl = 1;
		k += 2;
	}
	if (intl) {
		/* country code: 33, or overseas 590/594/596/262/269/687.. */
		if (k + 2 <= len && s[k] == '3' && s[k + 1] == '3') {
			memcpy(digits, "33", 2);
			nd = 2;
			k += 2;
		} else if (k + 3 <= len && ascii_is_digit((unsigned char)s[k]) &&
		    ascii_is_digit((unsigned char)s[k + 1]) &&
		    ascii_is_digit((unsigned char)s[k + 2]) &&
		    (s[k] == '5' || s[k] == '2' || s[k] == '6')) {
			memcpy(digits, s + k, 3);
			nd = 3;
			k += 3;
		} else
			return 0;
		want = nd + 9;
		while (k < len && (s[k] == ' ' || s[k] == '.' || s[k] == '-'))
			k++;
		if (k + 2 < len && s[k] == '(' && s[k + 1] == '0' &&
		    s[k + 2] == ')') {
			k += 3;
			while (k < len && s[k] == ' ')
				k++;
		}
	} else {
		if (s[k] != '0' || k + 1 >= len || s[k + 1] == '0')
			return 0;
		want = 10;
	}
	while (k < len && nd < want) {
		if (ascii_is_digit((unsigned char)s[k])) {
			digits[nd++] = s[k++];
			continue;
		}
		if ((s[k] == ' ' || s[k] == '.' || s[k] == '-' ||
		    (unsigned char)s[k] == 0xc2) && k + 1 < len &&
		    ascii_is_digit((unsigned char)s[k + 1]) && nd > 0)
			k++;
		else
			break;
	}
	if (nd != want)
		return 0;
	if (k < len && (ascii_is_digit((unsigned char)s[k]) ||
	    ((s[k] == ' ' || s[k] == '.' || s[k] == '-') && k + 1 < len &&
	    ascii_is_digit((unsigned char)s[k + 1]) && k + 2 < len &&
	    ascii_is_digit((unsigned char)s[k + 2]))))
		return 0;
	digits[nd] = '\0';
	return k;
}

/*
 * The number as one writes it in France: digit groups kept, every run of
 * separators (spaces, dots, dashes) -> one space, an international prefix
 * (+33, 0033, +590 ...) and "(0)" -> a leading 0.
 */
static char *
phone_text(const char *s, size_t a, size_t b)
{
	char *out;
	size_t o = 0, i = a, cc;
	int sep = 0;

	if ((out = malloc(b - a + 2)) == NULL)
		return NULL;
	if (s[i] == '+' || (s[i] == '0' && i + 1 < b && s[i + 1] == '0')) {
		i += s[i] == '+' ? 1 : 2;
		cc = (s[i] == '3' && s[i + 1] == '3') ? 2 : 3;
		i += cc;
		while (i < b && (s[i] == ' ' || s[i] == '.' || s[i] == '-'))
			i++;
		if (i + 2 < b && s[i] == '(' && s[i + 1] == '0' && s[i + 2] == ')')
			i += 3;
		while (i < b && s[i] == ' ')
			i++;
		out[o++] = '0';
	}
	for (; i < b; i++) {
		if (ascii_is_digit((unsigned char)s[i])) {
			if (sep && o > 0)
				out[o++] = ' ';
			sep = 0;
			out[o++] = s[i];
		} else
			sep = 1;
	}
	out[o] = '\0';
	return out;
}

int
phone_scan(const char *text, const struct folded_text *f,
    struct phone **phonesp, size_t *nphonesp, char **errstr)
{
	struct phone *v = NULL, *nv;
	size_t i, n = 0, cap = 0, e;
	char dg[16];

	(void)text;		/* normalized from the folded digits */
	*phonesp = NULL;
	*nphonesp = 0;
	for (i = 0; i < f->len; i++) {
		if (f->s[i] != '+' && f->s[i] != '0')
			continue;
		if (i > 0 && (ascii_is_digit((unsigned char)f->s[i - 1]) ||
		    ascii_is_word((unsigned char)f->s[i - 1]) || f->s[i - 1] == '.' ||
		    f->s[i - 1] == '/' || f->s[i - 1] == '-'))
			continue;
		if ((e = phone_at(f->s, f->len, i, dg)) == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		v[n].start = i;
		v[n].end = e;
		memcpy(v[n].digits, dg, sizeof(dg));
		if ((v[n].text = phone_text(f->s, i, e)) == NULL)
			goto oom;
		n++;
		i = e;
	}
	*phonesp = v;
	*nphonesp = n;
	return 0;
oom:
	phone_free_all(v, n);
	errstr_set(errstr, "out of memory scanning phone numbers");
	return -1;
}
