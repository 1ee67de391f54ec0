/*
 * items: what the person must bring (step 5 of convocation.c): the "à
 * apporter" list or sentence, a list under a title in capitals ("PIÈCES
 * À FOURNIR ..."), or a sentence that enumerates items.
 */
#include <string.h>

#include "lib/ascii.h"
#include "model/convocation.h"
#include "parsers/extract.h"

/*
 * The keyword k of kw_items at folded [p, p + n) stands as a word: it
 * starts one and ends one, or ends with a plural "s"/"x" ("clichés",
 * "hôpitaux" aside), unless it is a stem (kw_item_stems: "vaccin" in
 * "vaccination").  So "hospitalier" names no hospital report,
 * "photocopie" no photo, "timbrée" no tax stamp.
 */
static int
item_word(const char *s, size_t p, size_t n, size_t b, size_t k)
{
	size_t e = p + n, i;

	if (p > 0 && ascii_is_wordnum((unsigned char)s[p - 1]))
		return 0;
	if (e >= b || !ascii_is_wordnum((unsigned char)s[e]))
		return 1;
	for (i = 0; kw_item_stems[i] != NULL; i++)
		if (strcmp(kw_item_stems[i], kw_items[k]) == 0)
			return 1;
	return (s[e] == 's' || s[e] == 'x') && (e + 1 >= b ||
	    !ascii_is_wordnum((unsigned char)s[e + 1]));
}

/* The items named in folded [a, b) of doc d, as a bit set of enum item. */
static unsigned
items_in(const struct doc *d, size_t a, size_t b)
{
	const char *s = d->f.s;
	unsigned set = 0;
	size_t k, from, j, n;
	const struct kw_hits *h;
	long p;

	if ((h = doc_hits(d, kw_items)) != NULL) {
		for (j = kw_hits_from(h, a); j < h->n && h->v[j].pos < b; j++) {
			p = h->v[j].pos;
			k = h->v[j].id;
			if ((size_t)p + h->v[j].len > b ||
			    !item_word(s, (size_t)p, h->v[j].len, b, k))
				continue;
			set |= 1u << kw_items_item[k];
		}
		return set;
	}
	for (k = 0; kw_items[k] != NULL; k++) {
		from = a;
		n = strlen(kw_items[k]);
		while ((p = ft_find(s, from, b, kw_items[k])) >= 0) {
			from = (size_t)p + 1;
			if (!item_word(s, (size_t)p, n, b, k))
				continue;
			set |= 1u << kw_items_item[k];
			break;
		}
	}
	return set;
}

/* Sentence around pos, semicolons included: "Munissez-vous de votre
   passeport ; de la convocation." */
static void
long_sentence(const char *s, size_t len, size_t pos, size_t *a, size_t *b)
{
	size_t i;

	for (i = pos; i > 0 && pos - i < 400; i--) {
		if ((s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?' ||
		    s[i - 1] == ':') && (s[i] == ' ' || s[i] == '\n') &&
		    !(i >= 3 && s[i - 1] == '.' && s[i - 2] == '.'))
			break;
		if (s[i - 1] == '\n' && (i < 2 || s[i - 2] == '\n'))
			break;
	}
	*a = i;
	for (i = pos; i < len && i - pos < 600; i++) {
		/* "À apporter : votre passeport, ...": a colon ends the
		   sentence only at the end of its line (a list follows). */
		if (s[i] == ':' && (i + 1 == len ||
		    s[ft_skip_ws(s, i + 1, len)] == '\n'))
			break;
		if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
		    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\n') &&
		    !(i >= 2 && s[i - 1] == '.' && s[i - 2] == '.'))
			break;
		if (s[i] == '\n' && i + 1 < len && s[i + 1] == '\n')
			break;
	}
	*b = i;
}

static int
popcount(unsigned v)
{
	int n = 0;

	for (; v != 0; v &= v - 1)
		n++;
	return n;
}

/*
 * An enumeration of things to bring without a trigger word ("Le jour de
 * la visite : passeport, convocation, radiographie, carnet de
 * maternité."): a sentence naming three items or more, separated by
 * commas, that does not say what not to bring.
 */
static unsigned
enumerated_items(const struct doc *d)
{
	const char *s = d->f.s;
	size_t len = d->f.len, a = 0, i, commas = 0;
	unsigned set = 0, v;

	for (i = 0; i <= len; i++) {
		int stop = i == len || (s[i] == '\n' && i + 1 < len &&
		    s[i + 1] == '\n') || ((s[i] == '.' || s[i] == '!' ||
		    s[i] == '?' || s[i] == ';') && (i + 1 == len ||
		    s[i + 1] == ' ' || s[i + 1] == '\n'));

		if (i < len && s[i] == ',')
			commas++;
		if (!stop)
			continue;
		if (commas >= 1 && i - a < 400 &&
		    popcount(v = items_in(d, a, i)) >= 3 &&
		    !dany(d, a, i, kw_not_bring))
			set |= v;
		a = i + 1;
		commas = 0;
	}
	return set;
}

/* The items a doc asks to bring (a bit set of enum item). */
unsigned
doc_items(const struct doc *d)
{
	const char *s = d->f.s;
	size_t len = d->f.len, i, k, ls, le, n, e, l, a, b, ta, hi;
	unsigned set = 0;
	long p;
	int items, bullets, alone;
	const struct kw_hits *bh = doc_hits(d, kw_bring);

	/* every occurrence of every trigger (from the index when there is
	   one; the order does not matter, the result is a union) */
	for (k = 0, i = 0, hi = 0; ; ) {
		if (bh != NULL) {
			if (hi == bh->n)
				break;
			p = bh->v[hi++].pos;
		} else {
			if (kw_bring[k] == NULL)
				break;
			if ((p = ft_find(s, i, len, kw_bring[k])) < 0) {
				k++;
				i = 0;
				continue;
			}
			i = (size_t)p + strlen(kw_bring[k]);
		}
		{
			/* the trigger's sentence, unless it says what not to
			   bring ("Inutile d'apporter des photos") */
			long_sentence(s, len, (size_t)p, &a, &b);
			if (dany(d, a, b, kw_not_bring))
				continue;
			set |= items_in(d, a, b);
			/* a list under a heading: "À apporter :", "What to
			   bring" */
			ls = ft_line_start(s, (size_t)p);
			le = ft_line_end(s, len, (size_t)p);
			/* a heading: ends with ':' or is a short line
			   without a sentence in it, or a title in capitals
			   (a separate list "PIÈCES À FOURNIR LE JOUR DE LA
			   VISITE MÉDICALE", longer than a label) */
			if (!ft_ends(s, ls, le, ":") && (memchr(s + ls, ',',
			    le - ls) != NULL || ft_ends(s, ls, le, ".") ||
			    (le - ft_skip_ws(s, ls, le) > 45 &&
			    !(le - ls <= 90 && written_in_capitals(d->text +
			    d->f.off[ls], d->f.off[le] - d->f.off[ls])))))
				continue;
			items = bullets = 0;
			for (n = 0, l = le + 1; n < 16 && l < len; n++) {
				e = ft_line_end(s, len, l);
				ta = ft_skip_ws(s, l, e);
				if (ft_blank(s, l, e)) {
					if (items > 0)
						break;
					l = e + 1;
					continue;
				}
				if (ft_list_item(s, l, e, &alone))
					bullets = 1;
				else if (bullets && !((s[ta] >= 'a' && s[ta] <= 'z') ||
				    ta > l))
					break;	/* past the bulleted list */
				else if (!bullets && items > 0 && e - ta > 120)
					break;	/* a paragraph, not a list */
				set |= items_in(d, l, e);
				items++;
				l = e + 1;
			}
		}
	}
	return set | enumerated_items(d);
}
