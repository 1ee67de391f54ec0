/*
 * doc: one text part of the mail (text, HTML, PDF, forwarded message, or
 * the subject when the body points to it), loaded once and then only
 * read, and the date its dates are read against.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/utf8.h"
#include "parsers/address.h"
#include "parsers/extract.h"
#include "parsers/frdate.h"
#include "parsers/phone.h"

#define CONV_MAX_TEXT	(2u * 1024 * 1024)

void
doc_free(struct doc *d)
{
	doc_unindex(d);
	free(d->text);
	frdate_fold_free(&d->f);
	free(d->tok);
	address_free_all(d->addr, d->naddr);
	phone_free_all(d->ph, d->nph);
	memset(d, 0, sizeof(*d));
}

/* The original character behind folded i is a capital letter. */
static int
capital(const struct doc *d, size_t i)
{
	const unsigned char *o = (const unsigned char *)d->text + d->f.off[i];

	return (*o >= 'A' && *o <= 'Z') || (*o == 0xc3 && o[1] >= 0x80 &&
	    o[1] <= 0x9e);
}

/* A small word of a place name at folded i of [i, b). */
static int
small_word(const char *s, size_t i, size_t b)
{
	const char *w;
	size_t k, n;

	for (k = 0; (w = kw_place_small_word[k]) != NULL; k++) {
		n = strlen(w);
		if (ft_starts(s, i, b, w) && (w[n - 1] == '\'' ||
		    i + n == b || s[i + n] == ' '))
			return 1;
	}
	return 0;
}

/*
 * The letter's own date: "Lyon, le 28 juin 2023", "Paris, le 02/06/2023",
 * "Fait à Lyon, le 3 mars 2023" -- a short place (no digits, no label),
 * then ", le" (or "fait à ... le") and a full date that ends its line or
 * its TAB cell (a letter head in two columns).  A sentence ("Rendez-vous
 * le 12 mars 2024 à 9h") has no comma before "le" or goes on after the
 * date.  Sets d->ly/lm/ld from the first one; they stay 0 when none.
 */
static void
letter_date(struct doc *d)
{
	const char *s = d->f.s;
	const struct frdate_token *t;
	size_t k, a, b, e, i, words;

	for (k = 0; k < d->ntok; k++) {
		t = &d->tok[k];
		if (t->kind != FRDATE_DATE || t->year == 0 || t->relative)
			continue;
		/* nothing but a full stop after it in its line or cell */
		for (e = t->end; e < d->f.len && (s[e] == ' ' || s[e] == '.' ||
		    s[e] == '\r'); e++)
			;
		if (e < d->f.len && s[e] != '\n' && s[e] != '\t')
			continue;
		a = ft_line_start(s, t->start);
		for (i = t->start; i > a; i--)
			if (s[i - 1] == '\t') {
				a = i;
				break;
			}
		a = ft_skip_ws(s, a, t->start);
		b = t->start;
		while (b > a && s[b - 1] == ' ')
			b--;
		if (b < a + 3 || memcmp(s + b - 3, " le", 3) != 0)
			continue;
		b -= 3;
		if (b > a && s[b - 1] == ',')
			b--;
		else if (!ft_starts(s, a, b, "fait a "))
			continue;
		if (b <= a || b - a > 40)
			continue;
		for (i = a, words = 1; i < b; i++) {
			if ((s[i] >= '0' && s[i] <= '9') || s[i] == ':' ||
			    s[i] == ',' || s[i] == '.')
				break;
			if (s[i] == ' ')
				words++;
			/* a place name: capitals but for the small words
			   ("Fait à Lyon", "Le Havre"), unlike "Vous êtes
			   convoquée, le ..." */
			if ((i == a || s[i - 1] == ' ') && !capital(d, i) &&
			    !small_word(s, i, b))
				break;
		}
		if (i < b || words > 5)
			continue;
		d->ly = t->year;
		d->lm = t->month;
		d->ld = t->day;
		return;
	}
}

/*
 * One text part as a doc: cut at CONV_MAX_TEXT bytes, its quoted history
 * stripped, folded, scanned once for dates and times, addresses and
 * phones (a relative date, "demain", counted from ref, the day the
 * mail was sent, when known), and its letter's own date found.  Its keyword index comes
 * later (doc_index).
 */
int
doc_load(struct doc *d, const char *text, size_t len, int forward,
    const struct civil_date *ref)
{
	memset(d, 0, sizeof(*d));
	if (len > CONV_MAX_TEXT)
		len = utf8_boundary(text, CONV_MAX_TEXT);
	if (strip_history(text, len, forward, &d->text, &d->len,
	    &d->fwd_ofii) == -1)
		return -1;
	if (frdate_fold(d->text, d->len, &d->f, NULL) == -1 ||
	    frdate_scan_ref(d->f.s, d->f.len, ref, &d->tok, &d->ntok, NULL) == -1 ||
	    address_scan(d->text, &d->f, &d->addr, &d->naddr, NULL) == -1 ||
	    phone_scan(d->text, &d->f, &d->ph, &d->nph, NULL) == -1)
		return -1;
	letter_date(d);
	return 0;
}

/*
 * The date doc di's dates are read against (the year of "le 11 juillet",
 * what is past): its letter's own date, else the first letter date in
 * the mail, else the Date header.  The letter's date wins because a
 * letter may be forwarded months after it was written.  *ry 0: none.
 */
void
doc_ref(const struct ctx_docs *cd, size_t di, time_t date_utc, int *ry,
    int *rm, int *rd)
{
	const struct doc *d = &cd->docs[di];
	struct tm tm;
	size_t i;

	*ry = *rm = *rd = 0;
	for (i = 0; d->ly == 0 && i < cd->ndocs; i++)
		if (cd->docs[i].ly != 0)
			d = &cd->docs[i];
	if (d->ly != 0) {
		*ry = d->ly;
		*rm = d->lm;
		*rd = d->ld;
	} else if (date_utc != (time_t)-1 && gmtime_r(&date_utc, &tm) != NULL) {
		*ry = tm.tm_year + 1900;
		*rm = tm.tm_mon + 1;
		*rd = tm.tm_mday;
	}
}
