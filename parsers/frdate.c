/*
 * frdate: dates, times and time windows in French and English running text.
 * See frdate.h.  Everything is hand scanning over folded ASCII: no regex,
 * no recursion, each scanner looks a bounded distance ahead of its start,
 * so the whole scan is linear in the text.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "lib/ascii.h"
#include "lib/civil.h"
#include "lib/errstr.h"
#include "lib/utf8.h"
#include "parsers/frdate.h"


/* ------------------------------------------------------------ folding */

/*
 * The ASCII replacement of one non-ASCII character into out (at most 4
 * bytes), its length, 0 to drop the character, or -1 to copy it unchanged.
 */
static int
fold_char(long c, char out[4])
{
	gunichar dec[8];
	gsize n, i;
	int k;

	switch (c) {
	case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032:
	case 0x2035: case 0x02bc: case 0x02b9: case 0x00b4:
		out[0] = '\'';
		return 1;
	case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0x00ab:
	case 0x00bb: case 0x2033:
		out[0] = '"';
		return 1;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0xfe58: case 0xfe63: case 0xff0d:
		out[0] = '-';
		return 1;
	case 0x00a0: case 0x202f: case 0x205f: case 0x3000: case 0x1680:
		out[0] = ' ';
		return 1;
	case 0x200b: case 0x200c: case 0x200d: case 0x2060: case 0xfeff:
	case 0x00ad:
		return 0;
	case 0x2022: case 0x2023: case 0x2043: case 0x2219: case 0x25aa:
	case 0x25ab: case 0x25a0: case 0x25a1: case 0x25cf: case 0x25e6:
	case 0x27a2: case 0xf0b7: case 0xf0a7: case 0x00b7: case 0x25b6:
	case 0x25ba: case 0x2794: case 0x2713: case 0x2714: case 0x2610:
		out[0] = '*';
		return 1;
	case 0x2028: case 0x2029: case 0x0085:
		out[0] = '\n';
		return 1;
	case 0x00e6: case 0x00c6:
		memcpy(out, "ae", 2);
		return 2;
	case 0x0153: case 0x0152:
		memcpy(out, "oe", 2);
		return 2;
	case 0x00df: case 0x1e9e:
		memcpy(out, "ss", 2);
		return 2;
	case 0x00f8: case 0x00d8:
		out[0] = 'o';
		return 1;
	case 0x0111: case 0x0110: case 0x00f0: case 0x00d0:
		out[0] = 'd';
		return 1;
	case 0x0142: case 0x0141:
		out[0] = 'l';
		return 1;
	case 0x2026:
		memcpy(out, "...", 3);
		return 3;
	default:
		break;
	}
	if (c >= 0x80 && c < 0xa0)
		return (out[0] = ' ', 1);		/* C1 controls */
	if (c >= 0x2000 && c <= 0x200a)
		return (out[0] = ' ', 1);
	/* Compatibility decomposition: accents, ligatures, superscripts
	   ("1ᵉʳ"), full-width forms; combining marks are dropped. */
	n = g_unichar_fully_decompose((gunichar)c, TRUE, dec, G_N_ELEMENTS(dec));
	k = 0;
	for (i = 0; i < n && i < G_N_ELEMENTS(dec); i++) {
		if (dec[i] >= 0x300 && dec[i] <= 0x36f)
			continue;
		if (dec[i] >= 0x80 || k == 4)
			return -1;
		out[k++] = (char)dec[i];
	}
	return k > 0 ? k : -1;
}

int
frdate_fold(const char *text, size_t len, struct folded_text *out,
    char **errstr)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t cap, i, clen, o = 0;
	char rep[4];
	uint32_t cp;
	long c;
	int k, j;

	memset(out, 0, sizeof(*out));
	if (len > FRDATE_MAX_TEXT)
		len = utf8_boundary(text, FRDATE_MAX_TEXT);
	/* One input byte gives at most 2 output bytes (a 2-byte character
	   folds to at most 4). */
	cap = 2 * len + 1;
	out->s = malloc(cap);
	out->off = malloc((cap) * sizeof(*out->off));
	if (out->s == NULL || out->off == NULL) {
		frdate_fold_free(out);
		errstr_set(errstr, "out of memory folding text");
		return -1;
	}
	for (i = 0; i < len; i += clen) {
		if (u[i] < 0x80) {
			clen = 1;
			c = u[i];
			if (c == '\r') {
				if (i + 1 < len && u[i + 1] == '\n')
					continue;
				c = '\n';
			} else if ((c < 0x20 && c != '\n' && c != '\t') ||
			    c == 0x7f)
				c = ' ';
			else if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			out->off[o] = (uint32_t)i;
			out->s[o++] = (char)c;
			continue;
		}
		if (utf8_decode(text + i, len - i, &cp, &clen) == -1) {
			clen = 1;
			out->off[o] = (uint32_t)i;
			out->s[o++] = '?';
			continue;
		}
		c = (long)cp;
		k = fold_char(c, rep);
		if (k < 0) {
			for (j = 0; j < (int)clen; j++) {
				out->off[o] = (uint32_t)i;
				out->s[o++] = (char)u[i + j];
			}
			continue;
		}
		for (j = 0; j < k; j++) {
			out->off[o] = (uint32_t)i;
			out->s[o++] = (char)g_ascii_tolower(rep[j]);
		}
	}
	out->s[o] = '\0';
	out->off[o] = (uint32_t)len;
	out->len = o;
	return 0;
}

void
frdate_fold_free(struct folded_text *f)
{
	if (f == NULL)
		return;
	free(f->s);
	free(f->off);
	f->s = NULL;
	f->off = NULL;
	f->len = 0;
}

/* ------------------------------------------------------------ calendar */

/* The arithmetic is lib/civil's; these keep the parsers' conventions. */
int
frdate_valid(int year, int month, int day)
{
	if (year < 1900 || year > 2199)
		return 0;
	return civil_valid(year, month, day);
}

long
frdate_days(int y, int m, int d)
{
	return civil_days(y, m, d);
}

int
frdate_weekday(int year, int month, int day)
{
	/* civil counts from Sunday, the parsers from Monday. */
	return (civil_weekday(year, month, day) + 6) % 7;
}

/* ------------------------------------------------------------ scanning */

struct scan {
	const char	*s;
	size_t		 len;
};

static int
at(const struct scan *sc, size_t i)
{
	return i < sc->len ? (unsigned char)sc->s[i] : 0;
}

/* Length of word w at i if it is a whole word there (not followed by a
   letter), else 0. */
static size_t
word_at(const struct scan *sc, size_t i, const char *w)
{
	size_t n = strlen(w);

	if (i + n > sc->len || memcmp(sc->s + i, w, n) != 0)
		return 0;
	if (ascii_is_word(at(sc, i + n)))
		return 0;
	return n;
}

static size_t
skip_spaces(const struct scan *sc, size_t i, size_t max)
{
	size_t n = 0;

	while (n < max && (at(sc, i) == ' ' || at(sc, i) == '\t')) {
		i++;
		n++;
	}
	return i;
}

/* Spaces and at most one line break between the parts of a date: PDF
   text wraps "Tuesday, March 7,\n2023". */
static size_t
skip_gap(const struct scan *sc, size_t i)
{
	size_t k = skip_spaces(sc, i, 3);

	if (at(sc, k) == '\n')
		k = skip_spaces(sc, k + 1, 8);
	return k;
}

/* Up to maxd digits at i into *v; number of digits read. */
static size_t
digits(const struct scan *sc, size_t i, size_t maxd, int *v)
{
	size_t n = 0;

	*v = 0;
	while (n < maxd && ascii_is_digit(at(sc, i + n))) {
		*v = *v * 10 + (at(sc, i + n) - '0');
		n++;
	}
	return n;
}

static const struct {
	const char	*name;
	int		 month;
} months[] = {
	{ "janvier", 1 }, { "january", 1 }, { "janv", 1 }, { "jan", 1 },
	{ "fevrier", 2 }, { "february", 2 }, { "fevr", 2 }, { "fev", 2 },
	{ "feb", 2 },
	{ "mars", 3 }, { "march", 3 }, { "mar", 3 },
	{ "avril", 4 }, { "april", 4 }, { "avr", 4 }, { "apr", 4 },
	{ "mai", 5 }, { "may", 5 },
	{ "juin", 6 }, { "june", 6 }, { "jun", 6 },
	{ "juillet", 7 }, { "july", 7 }, { "juil", 7 }, { "jul", 7 },
	{ "aout", 8 }, { "august", 8 }, { "aug", 8 },
	{ "septembre", 9 }, { "september", 9 }, { "sept", 9 }, { "sep", 9 },
	{ "octobre", 10 }, { "october", 10 }, { "oct", 10 },
	{ "novembre", 11 }, { "november", 11 }, { "nov", 11 },
	{ "decembre", 12 }, { "december", 12 }, { "dec", 12 },
};

static const struct {
	const char	*name;
	int		 wday;
} weekdays[] = {
	{ "lundi", 0 }, { "mardi", 1 }, { "mercredi", 2 }, { "jeudi", 3 },
	{ "vendredi", 4 }, { "samedi", 5 }, { "dimanche", 6 },
	{ "monday", 0 }, { "tuesday", 1 }, { "wednesday", 2 },
	{ "thursday", 3 }, { "friday", 4 }, { "saturday", 5 }, { "sunday", 6 },
	{ "lun", 0 }, { "mer", 2 }, { "jeu", 3 }, { "ven", 4 },
	{ "sam", 5 }, { "dim", 6 }, { "mon", 0 }, { "tue", 1 }, { "tues", 1 },
	{ "wed", 2 }, { "thu", 3 }, { "thur", 3 }, { "thurs", 3 },
	{ "fri", 4 }, { "sat", 5 }, { "sun", 6 },
};

/* Month name at i (abbreviations may take a dot): month and end, or 0. */
/* Letters of the word at i: a name matches there only with exactly this
   length, so the tables are filtered on it and on the first letter before
   any comparison (every word of a text is tried). */
static size_t
word_len(const struct scan *sc, size_t i)
{
	size_t n = 0;

	while (i + n < sc->len && ascii_is_word((unsigned char)sc->s[i + n]))
		n++;
	return n;
}

static int
month_at(const struct scan *sc, size_t i, size_t *end)
{
	size_t k, n, wl;
	int c = at(sc, i);

	if (c < 'a' || c > 's')
		return 0;
	wl = word_len(sc, i);
	for (k = 0; k < sizeof(months) / sizeof(months[0]); k++) {
		if (months[k].name[0] != c || strlen(months[k].name) != wl ||
		    (n = word_at(sc, i, months[k].name)) == 0)
			continue;
		if (at(sc, i + n) == '.' && strlen(months[k].name) <= 4)
			n++;
		*end = i + n;
		return months[k].month;
	}
	return 0;
}

static int
weekday_at(const struct scan *sc, size_t i, size_t *end)
{
	size_t k, n, wl;
	int c = at(sc, i);

	if (c < 'd' || c > 'w')
		return -1;
	wl = word_len(sc, i);
	for (k = 0; k < sizeof(weekdays) / sizeof(weekdays[0]); k++) {
		if (weekdays[k].name[0] != c || strlen(weekdays[k].name) != wl ||
		    (n = word_at(sc, i, weekdays[k].name)) == 0)
			continue;
		/* "mar" is also March: the weekday abbreviations need a
		   dot or a following date, checked by the caller. */
		if (at(sc, i + n) == '.')
			n++;
		*end = i + n;
		return weekdays[k].wday;
	}
	return -1;
}

/* English and French ordinal suffixes after a day number. */
static size_t
skip_ordinal(const struct scan *sc, size_t i)
{
	static const char *const suf[] = { "er", "st", "nd", "rd", "th", "e" };
	size_t k, n;

	for (k = 0; k < sizeof(suf) / sizeof(suf[0]); k++)
		if ((n = word_at(sc, i, suf[k])) > 0)
			return i + n;
	return i;
}

/* A 4-digit year at i, standing alone: value and end, or 0. */
static int
year_at(const struct scan *sc, size_t i, size_t *end)
{
	int y;

	if (i > 0 && ascii_is_digit(at(sc, i - 1)))
		return 0;
	if (digits(sc, i, 5, &y) != 4)
		return 0;
	if (y < 1900 || y > 2199)
		return 0;
	/* "2023h" or "2023:" would be something else. */
	if (at(sc, i + 4) == ':' || at(sc, i + 4) == 'h' ||
	    ascii_is_word(at(sc, i + 4)))
		return 0;
	*end = i + 4;
	return y;
}

static int
date_ok(int y, int m, int d)
{
	if (y == 0)
		return m >= 1 && m <= 12 && d >= 1 &&
		    d <= civil_month_days(2000, m);	/* leap year: allow 29/02 */
	return frdate_valid(y, m, d);
}

/* Fill the date token ending at `end`: 1, or 0 when y-m-d is no date. */
static int
date_token(struct frdate_token *t, int y, int m, int d, size_t end)
{
	if (!date_ok(y, m, d))
		return 0;
	t->year = y;
	t->month = m;
	t->day = d;
	t->end = end;
	return 1;
}

/* 08/03/2022, 08/03/22, 8.3.2022, 08-03-2022, 2022-03-08; and, only
   after a written weekday (have_wday), a year-less "mardi 11/07": alone,
   "11/07" may be a ratio, a score or a file number. */
static int
numeric_date(const struct scan *sc, size_t i, int have_wday,
    struct frdate_token *t)
{
	int a, b, c, y, m, d;
	size_t na, nb, nc, k;
	char sep;

	if ((na = digits(sc, i, 5, &a)) == 0)
		return 0;
	k = i + na;
	sep = (char)at(sc, k);
	if (sep != '/' && sep != '.' && sep != '-')
		return 0;
	if ((nb = digits(sc, k + 1, 3, &b)) == 0 || nb > 2)
		return 0;
	k += 1 + nb;
	if (at(sc, k) != sep) {
		if (!have_wday || sep == '-' || na > 2 || ascii_is_wordnum(at(sc, k)) ||
		    ((at(sc, k) == '/' || at(sc, k) == '.' ||
		    at(sc, k) == ':') && ascii_is_digit(at(sc, k + 1))) ||
		    !date_ok(0, b, a))
			return 0;
		t->year = 0;
		t->month = b;
		t->day = a;
		t->numeric = 1;
		t->end = k;
		return 1;
	}
	if ((nc = digits(sc, k + 1, 5, &c)) == 0)
		return 0;
	k += 1 + nc;
	/* Phone numbers "01.02.03.04.05", versions "1.2.3.4". */
	if (ascii_is_wordnum(at(sc, k)) ||
	    ((at(sc, k) == sep || at(sc, k) == '.' || at(sc, k) == '/') &&
	    ascii_is_digit(at(sc, k + 1))))
		return 0;
	if (na == 4 && nb == 2 && nc == 2 && sep == '-') {
		y = a;
		m = b;
		d = c;
	} else if (na <= 2 && (nc == 4 || nc == 2)) {
		d = a;
		m = b;
		y = nc == 2 ? 2000 + c : c;
	} else
		return 0;
	if (!frdate_valid(y, m, d))
		return 0;
	t->year = y;
	t->month = m;
	t->day = d;
	t->numeric = 1;
	t->end = k;
	return 1;
}

/* "8 mars 2022", "1er avril", "8th of March 2022" at i (a digit). */
static int
day_month_date(const struct scan *sc, size_t i, struct frdate_token *t)
{
	size_t k, n, mend, yend;
	int d, m, y;

	if ((n = digits(sc, i, 3, &d)) == 0 || n > 2)
		return 0;
	k = skip_ordinal(sc, i + n);
	if (k == i + n && at(sc, k) == ' ' && word_at(sc, k + 1, "er"))
		k += 3;				/* "1 er" */
	if (at(sc, k) == '-' && ascii_is_word(at(sc, k + 1)))
		k++;				/* "8-mars-2022" */
	else {
		n = k;
		k = skip_gap(sc, k);
		if (k == n)
			return 0;
	}
	if ((n = word_at(sc, k, "of")) > 0 || (n = word_at(sc, k, "de")) > 0)
		k = skip_spaces(sc, k + n, 2);
	if ((m = month_at(sc, k, &mend)) == 0)
		return 0;
	k = mend;
	y = 0;
	n = k;
	if (at(sc, n) == ',' || at(sc, n) == '-')
		n++;
	n = skip_gap(sc, n);
	if (n > k && (y = year_at(sc, n, &yend)) > 0)
		k = yend;
	else
		y = 0;
	return date_token(t, y, m, d, k);
}

/* English "March 8, 2022", "March 8th 2022" at i (a letter). */
static int
month_day_date(const struct scan *sc, size_t i, int have_wday,
    struct frdate_token *t)
{
	size_t k, n, yend;
	int d, m, y = 0;

	if ((m = month_at(sc, i, &k)) == 0)
		return 0;
	n = skip_gap(sc, k);
	if (n == k)
		return 0;
	k = n;
	if ((n = digits(sc, k, 3, &d)) == 0 || n > 2)
		return 0;
	k = skip_ordinal(sc, k + n);
	if (ascii_is_wordnum(at(sc, k)))
		return 0;
	n = k;
	if (at(sc, n) == ',')
		n++;
	n = skip_gap(sc, n);
	if (n > k && (y = year_at(sc, n, &yend)) > 0)
		k = yend;
	else if (!have_wday)
		return 0;		/* "may 5" alone is too weak */
	else
		y = 0;
	return date_token(t, y, m, d, k);
}

/*
 * A date said relative to the day of writing, at i: "demain",
 * "apres-demain", "aujourd'hui", "tomorrow", "today" (t->day holds the
 * days to add), "ce jeudi", "this thursday" (the next such day, today
 * included), "jeudi prochain", "next thursday" (the next such day after
 * today).  The full weekday name only: "ce mar." is no date.
 */
static int
relative_date(const struct scan *sc, size_t i, struct frdate_token *t)
{
	static const struct {
		const char	*word;
		int		 days;
	} days[] = {
		{ "apres-demain", 2 }, { "apres demain", 2 }, { "demain", 1 },
		{ "aujourd'hui", 0 }, { "tomorrow", 1 }, { "today", 0 },
	};
	size_t k, n, e;
	int wday, next;

	for (k = 0; k < sizeof(days) / sizeof(days[0]); k++)
		if ((n = word_at(sc, i, days[k].word)) > 0) {
			t->relative = 1;
			t->day = days[k].days;
			t->end = i + n;
			return 1;
		}
	next = 0;
	if ((n = word_at(sc, i, "ce")) > 0 || (n = word_at(sc, i, "this")) > 0)
		k = skip_spaces(sc, i + n, 2);
	else if ((n = word_at(sc, i, "next")) > 0) {
		k = skip_spaces(sc, i + n, 2);
		next = 1;
	} else
		k = i;
	if ((wday = weekday_at(sc, k, &e)) < 0 || e - k < 5 ||
	    at(sc, e - 1) == '.')
		return 0;
	if (k == i) {
		/* "lundi prochain", "lundi prochain a 9h" */
		n = skip_spaces(sc, e, 2);
		if ((k = word_at(sc, n, "prochain")) == 0)
			return 0;
		e = n + k;
		next = 1;
	}
	t->relative = next ? 3 : 2;
	t->weekday = wday;
	t->end = e;
	return 1;
}

/* The calendar date of relative token t written on day ref. */
static void
relative_resolve(struct frdate_token *t, const struct civil_date *ref)
{
	struct civil_date c;
	long n = 0;
	int w = frdate_weekday(ref->year, ref->month, ref->day);

	if (t->relative == 1)
		n = t->day;
	else if (t->relative == 2)
		n = (t->weekday - w + 7) % 7;
	else
		n = (t->weekday - w + 6) % 7 + 1;
	c = civil_add_days(*ref, n);
	t->year = c.year;
	t->month = c.month;
	t->day = c.day;
	t->weekday = frdate_weekday(c.year, c.month, c.day);
}

static int
try_date(const struct scan *sc, size_t i, struct frdate_token *t)
{
	size_t k, n, wend;
	int wday;

	memset(t, 0, sizeof(*t));
	t->kind = FRDATE_DATE;
	t->start = i;
	t->weekday = -1;
	k = i;
	if (ascii_is_word(at(sc, i)) &&
	    (wday = weekday_at(sc, i, &wend)) >= 0) {
		n = wend;
		/* "lundi prochain 21 juillet" */
		if ((k = word_at(sc, skip_spaces(sc, n, 2), "prochain")) > 0)
			n = skip_spaces(sc, n, 2) + k;
		if (at(sc, n) == ',')
			n++;
		n = skip_gap(sc, n);
		if (n == wend && at(sc, n) != ',')
			return 0;
		if ((k = word_at(sc, n, "le")) > 0 ||
		    (k = word_at(sc, n, "the")) > 0)
			n = skip_spaces(sc, n + k, 2);
		k = n;
		t->weekday = wday;
	}
	if (ascii_is_digit(at(sc, k))) {
		if (!numeric_date(sc, k, t->weekday >= 0, t) &&
		    !day_month_date(sc, k, t))
			return 0;
	} else if (ascii_is_word(at(sc, k))) {
		if (!month_day_date(sc, k, t->weekday >= 0, t))
			return 0;
	} else
		return 0;
	return 1;
}

/* am/pm marker at i: 1 am, 2 pm, 0 none; *end after it. */
static int
meridiem_at(const struct scan *sc, size_t i, size_t *end)
{
	size_t n;

	if ((n = word_at(sc, i, "am")) > 0 || (n = word_at(sc, i, "a.m")) > 0) {
		*end = i + n + (at(sc, i + n) == '.');
		return 1;
	}
	if ((n = word_at(sc, i, "pm")) > 0 || (n = word_at(sc, i, "p.m")) > 0) {
		*end = i + n + (at(sc, i + n) == '.');
		return 2;
	}
	return 0;
}

static int
apply_meridiem(int *h, int mer)
{
	if (mer == 0)
		return 1;
	if (*h < 1 || *h > 12)
		return 0;
	if (mer == 1)
		*h = *h == 12 ? 0 : *h;
	else
		*h = *h == 12 ? 12 : *h + 12;
	return 1;
}

static int preceded_by(const struct scan *, size_t, const char *);

/* A currency after i (spaces skipped): "10.00 €", "10.00 eur". */
static int
money_after(const struct scan *sc, size_t i)
{
	size_t k = skip_spaces(sc, i, 1);

	return word_at(sc, k, "eur") > 0 || word_at(sc, k, "euros") > 0 ||
	    word_at(sc, k, "euro") > 0 || (unsigned char)at(sc, k) == 0xe2 ||
	    at(sc, k) == '$';
}

/*
 * One time at i: 9h30, 9 h 30, 09H30, 14h, 14 heures (30), 09:30, 9:30 am,
 * 9.30 pm, 2 pm.  *bare is set (and 1 returned) for a lone number, which
 * only a window ("de 13 à 16h") may use.  *mer receives the am/pm marker.
 */
static int
one_time(const struct scan *sc, size_t i, int *h, int *m, size_t *end,
    int *bare, int *mer)
{
	size_t n, k, j, e;
	int v;

	*bare = 0;
	*mer = 0;
	*m = 0;
	if ((n = digits(sc, i, 3, h)) == 0 || n > 2)
		return 0;
	k = i + n;
	if (at(sc, k) == ':' && digits(sc, k + 1, 3, &v) == 2) {
		*m = v;
		k += 3;
		j = skip_spaces(sc, k, 1);
		if ((*mer = meridiem_at(sc, j, &e)) != 0)
			k = e;
		else if (at(sc, k) == 'h' && !ascii_is_word(at(sc, k + 1)))
			k++;			/* "09:30h" */
	} else if (at(sc, k) == '.' && digits(sc, k + 1, 3, &v) == 2 &&
	    (*mer = meridiem_at(sc, skip_spaces(sc, k + 3, 1), &e)) != 0) {
		*m = v;
		k = e;
	} else if (at(sc, k) == '.' && digits(sc, k + 1, 3, &v) == 2 &&
	    (preceded_by(sc, i, "at") || preceded_by(sc, i, "a")) &&
	    !ascii_is_wordnum(at(sc, k + 3)) && !money_after(sc, k + 3)) {
		/* British "at 10.30", "à 9.45"; not "à 10.00 €" */
		*m = v;
		k += 3;
	} else {
		j = skip_spaces(sc, k, 1);
		if ((n = word_at(sc, j, "heures")) > 0 ||
		    (n = word_at(sc, j, "heure")) > 0 ||
		    (n = word_at(sc, j, "hrs")) > 0 ||
		    (n = word_at(sc, j, "h")) > 0 ||
		    (at(sc, j) == 'h' && ascii_is_digit(at(sc, j + 1)) && (n = 1))) {
			k = j + n;
			if (at(sc, k) == '.' && n == 1 && !ascii_is_digit(at(sc, k + 1)))
				k++;		/* "14h." abbreviation */
			j = skip_spaces(sc, k, 1);
			if (digits(sc, j, 3, &v) == 2) {
				if ((n = word_at(sc, j + 2, "min")) > 0 ||
				    (n = word_at(sc, j + 2, "mn")) > 0) {
					*m = v;
					k = j + 2 + n;
				} else if (!ascii_is_wordnum(at(sc, j + 2))) {
					*m = v;
					k = j + 2;
				}
			}
		} else if ((*mer = meridiem_at(sc, j, &e)) != 0)
			k = e;
		else
			*bare = 1;
	}
	if (*m > 59)
		return 0;
	if (!apply_meridiem(h, *mer))
		return 0;
	if (*h > 23)
		return 0;
	if (ascii_is_digit(at(sc, k)))
		return 0;
	*end = k;
	return 1;
}

/*
 * A window separator at i (after spaces): end of it, or 0.  After a word
 * separator the end time may sit on the next line: PDF text wraps
 * "de 9h00 à\n12h00".  Not after "-" or "/": a line break there starts a
 * list item ("9h00 -\n- 10h15 : ..."), not the end of a window.
 */
static size_t
window_sep(const struct scan *sc, size_t i, int entre, int between)
{
	size_t k = skip_spaces(sc, i, 3), n;

	if (at(sc, k) == '-' || at(sc, k) == '/')
		return skip_spaces(sc, k + 1, 3);
	if ((n = word_at(sc, k, "a")) > 0 || (n = word_at(sc, k, "to")) > 0 ||
	    (n = word_at(sc, k, "until")) > 0 || (n = word_at(sc, k, "till")) > 0 ||
	    (entre && (n = word_at(sc, k, "et")) > 0) ||
	    (between && (n = word_at(sc, k, "and")) > 0))
		return skip_gap(sc, k + n);
	if (strncmp(sc->s + k, "jusqu'a", 7) == 0 && !ascii_is_word(at(sc, k + 7)))
		return skip_gap(sc, k + 7);
	return 0;
}

/* The word before i (skipping spaces) is w. */
static int
preceded_by(const struct scan *sc, size_t i, const char *w)
{
	size_t n = strlen(w);

	while (i > 0 && (sc->s[i - 1] == ' ' || sc->s[i - 1] == '\t'))
		i--;
	if (i < n || memcmp(sc->s + i - n, w, n) != 0)
		return 0;
	return i == n || !ascii_is_word(at(sc, i - n - 1));
}

static int
try_time(const struct scan *sc, size_t i, struct frdate_token *t)
{
	int h1, m1, h2, m2, bare1, bare2, mer1, mer2, entre, between;
	size_t e1, e2, k, n;

	memset(t, 0, sizeof(*t));
	t->weekday = -1;
	t->start = i;
	if (!one_time(sc, i, &h1, &m1, &e1, &bare1, &mer1))
		return 0;
	entre = preceded_by(sc, i, "entre");
	between = preceded_by(sc, i, "between");
	k = window_sep(sc, e1, entre, between);
	if (k > 0) {
		if ((n = word_at(sc, k, "midi")) > 0 ||
		    (n = word_at(sc, k, "noon")) > 0) {
			h2 = 12;
			m2 = 0;
			e2 = k + n;
			bare2 = 0;
		} else if (!one_time(sc, k, &h2, &m2, &e2, &bare2, &mer2))
			bare2 = 1;
		else if (bare1 && mer1 == 0 && mer2 != 0) {
			/* "1-4 pm": the marker applies to both. */
			if (mer2 == 2 && h1 >= 1 && h1 < 12 && h1 + 12 <= h2)
				h1 += 12;
		}
		if (!bare2 && (bare1 ? (preceded_by(sc, i, "de") || entre ||
		    preceded_by(sc, i, "from") || between ||
		    at(sc, e1) == '-') : 1) &&
		    h2 * 60 + m2 > h1 * 60 + m1) {
			t->kind = FRDATE_WINDOW;
			t->hour = h1;
			t->minute = m1;
			t->end_hour = h2;
			t->end_minute = m2;
			t->end = e2;
			return 1;
		}
	}
	if (bare1)
		return 0;
	t->kind = FRDATE_TIME;
	t->hour = h1;
	t->minute = m1;
	t->end_hour = -1;
	t->end_minute = -1;
	t->end = e1;
	return 1;
}

/* "à midi" as a time. */
static int
try_noon(const struct scan *sc, size_t i, struct frdate_token *t)
{
	size_t n;

	if ((n = word_at(sc, i, "midi")) == 0 || !preceded_by(sc, i, "a"))
		return 0;
	memset(t, 0, sizeof(*t));
	t->kind = FRDATE_TIME;
	t->weekday = -1;
	t->start = i;
	t->end = i + n;
	t->hour = 12;
	t->end_hour = -1;
	t->end_minute = -1;
	return 1;
}

static int
try_relative(const struct scan *sc, size_t i, struct frdate_token *t,
    const struct civil_date *ref)
{
	memset(t, 0, sizeof(*t));
	t->kind = FRDATE_DATE;
	t->start = i;
	t->weekday = -1;
	if (!relative_date(sc, i, t))
		return 0;
	/* "ce jeudi 26 mars", "demain jeudi 19/10", "demain, le 20 mars":
	   the written date says it */
	{
		struct frdate_token d;
		size_t k, n;

		for (k = i; k < t->end; k++)
			if ((k == i || !ascii_is_word(at(sc, k - 1))) &&
			    ascii_is_word(at(sc, k)) && try_date(sc, k, &d))
				return 0;
		k = skip_spaces(sc, t->end, 2);
		if (at(sc, k) == ',')
			k = skip_spaces(sc, k + 1, 2);
		if ((n = word_at(sc, k, "le")) > 0)
			k = skip_spaces(sc, k + n, 2);
		if (try_date(sc, k, &d))
			return 0;
	}
	relative_resolve(t, ref);
	return 1;
}

static int
push(struct frdate_token **v, size_t *n, size_t *cap,
    const struct frdate_token *t)
{
	struct frdate_token *nv;
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 16;
		if ((nv = reallocarray(*v, ncap, sizeof(**v))) == NULL)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *t;
	return 0;
}

int
frdate_scan(const char *folded, size_t len, struct frdate_token **toksp,
    size_t *ntoksp, char **errstr)
{
	return frdate_scan_ref(folded, len, NULL, toksp, ntoksp, errstr);
}

int
frdate_scan_ref(const char *folded, size_t len, const struct civil_date *ref,
    struct frdate_token **toksp, size_t *ntoksp, char **errstr)
{
	struct scan sc = { folded, len };
	struct frdate_token t, *v = NULL;
	size_t i = 0, n = 0, cap = 0;
	int c, p;

	*toksp = NULL;
	*ntoksp = 0;
	while (i < len) {
		c = (unsigned char)folded[i];
		p = i > 0 ? (unsigned char)folded[i - 1] : ' ';
		if (!ascii_is_wordnum(c) || ascii_is_wordnum(p)) {
			i++;
			continue;
		}
		/* Inside "2023/10/26", "02.41.44", "10:30": not a start. */
		if (ascii_is_digit(c) && i >= 2 && strchr("/.:-,", p) != NULL &&
		    ascii_is_digit((unsigned char)folded[i - 2])) {
			while (i < len && ascii_is_wordnum((unsigned char)folded[i]))
				i++;
			continue;
		}
		if (try_date(&sc, i, &t) || (ascii_is_digit(c) && try_time(&sc, i, &t)) ||
		    try_noon(&sc, i, &t) || (ref != NULL &&
		    civil_valid(ref->year, ref->month, ref->day) &&
		    try_relative(&sc, i, &t, ref))) {
			if (push(&v, &n, &cap, &t) == -1) {
				free(v);
				errstr_set(errstr, "out of memory scanning dates");
				return -1;
			}
			i = t.end > i ? t.end : i + 1;
			continue;
		}
		while (i < len && ascii_is_wordnum((unsigned char)folded[i]))
			i++;
	}
	*toksp = v;
	*ntoksp = n;
	return 0;
}

int
frdate_scan_text(const char *text, size_t len, struct frdate_token **toksp,
    size_t *ntoksp, char **errstr)
{
	struct folded_text f;
	size_t i;

	*toksp = NULL;
	*ntoksp = 0;
	if (frdate_fold(text, len, &f, errstr) == -1)
		return -1;
	if (frdate_scan(f.s, f.len, toksp, ntoksp, errstr) == -1) {
		frdate_fold_free(&f);
		return -1;
	}
	for (i = 0; i < *ntoksp; i++) {
		(*toksp)[i].start = f.off[(*toksp)[i].start];
		(*toksp)[i].end = f.off[(*toksp)[i].end];
	}
	frdate_fold_free(&f);
	return 0;
}
