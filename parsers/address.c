/*
 * address: French postal addresses.  See address.h.
 * Hand scanning over the folded text (plain lowercase ASCII), bounded
 * look-around per match: linear in the text, no recursion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "lib/errstr.h"
#include "lib/utf8.h"
#include "parsers/address.h"

/* Lines looked at above a postal code. */
#define LINES_ABOVE	4
/* Longest line (bytes) taken as a name or a street. */
#define MAX_PART	160

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static size_t
skip_blank(const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n'))
		a++;
	return a;
}

const char *
address_tzid(const char *pc)
{
	if (pc == NULL || strlen(pc) < 3 || strncmp(pc, "97", 2) != 0)
		return "Europe/Paris";
	switch (pc[2]) {
	case '1':
		return "America/Guadeloupe";
	case '2':
		return "America/Martinique";
	case '3':
		return "America/Cayenne";
	case '4':
		return "Indian/Reunion";
	case '6':
		return "Indian/Mayotte";
	default:
		return "Europe/Paris";
	}
}

char *
address_clean(const char *text, size_t ostart, size_t oend)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i, n, o = 0;
	uint32_t cp;
	char *out;
	int space = 0;

	if (oend < ostart)
		oend = ostart;
	if ((out = malloc(oend - ostart + 1)) == NULL)
		return NULL;
	for (i = ostart; i < oend; i += n) {
		if (utf8_decode(text + i, oend - i, &cp, &n) == -1) {
			n = 1;		/* invalid bytes are dropped one by one */
			continue;
		}
		/* White space: ASCII, NBSP (C2 A0), U+2000..200A, U+202F. */
		if ((n == 1 && (u[i] <= 0x20 || u[i] == 0x7f)) ||
		    (n == 2 && u[i] == 0xc2 && (u[i + 1] == 0xa0 ||
		    u[i + 1] < 0xa0)) ||
		    (n == 3 && u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    (u[i + 2] <= 0x8a || u[i + 2] == 0xaf ||
		    u[i + 2] == 0xa8 || u[i + 2] == 0xa9))) {
			space = o > 0;
			continue;
		}
		/* Zero-width characters and BOM. */
		if (n == 3 && ((u[i] == 0xe2 && u[i + 1] == 0x80 &&
		    u[i + 2] >= 0x8b && u[i + 2] <= 0x8d) ||
		    (u[i] == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf)))
			continue;
		if (space) {
			out[o++] = ' ';
			space = 0;
		}
		memcpy(out + o, u + i, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

/* Trim folded [*a, *b) of white space and separators at both ends. */
static void
trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && (is_space(s[*a]) || s[*a] == ',' || s[*a] == ';' ||
	    s[*a] == '*' || (s[*a] == '-' && *a + 1 < *b &&
	    is_space(s[*a + 1]))))
		(*a)++;
	while (*b > *a && (is_space(s[*b - 1]) || s[*b - 1] == ',' ||
	    s[*b - 1] == ';' || s[*b - 1] == '-' || s[*b - 1] == ':'))
		(*b)--;
}

/* Original-text copy of folded [a, b). */
static char *
folded_copy(const char *text, const struct folded_text *f, size_t a,
    size_t b)
{
	trim(f->s, &a, &b);
	return address_clean(text, f->off[a], f->off[b]);
}

/* ------------------------------------------------------------ streets */

static const char *const street_types[] = {
	"rue", "avenue", "av", "ave", "boulevard", "bd", "bld", "blvd",
	"place", "pl", "cours", "quai", "allee", "allees", "chemin", "ch",
	"route", "rte", "impasse", "imp", "square", "sq", "passage",
	"esplanade", "rond-point", "voie", "parvis", "faubourg", "fbg",
	"promenade", "mail", "chaussee", "cite", "residence", "lotissement",
	"hameau", "lieu-dit", "lieudit", "sentier", "montee", "villa",
	"port", "zone", "zi", "za", "zac", "parc", "galerie", "carrefour",
	"traverse", "ruelle", "rampe", "digue", "corniche", "domaine",
	"square", "jardin", "clos", "drive", "street", "road", "centre",
	"espace", "immeuble", "tour", "batiment", "pole", "campus",
	"rocade", "levee", "plateau", "quartier", "cite", "voie",
	NULL
};

/* Types that make a street even without a number in front. */
static const char *const street_types_alone[] = {
	"rue", "avenue", "boulevard", "bd", "place", "cours", "quai", "allee",
	"allees", "chemin", "route", "impasse", "square", "esplanade",
	"parvis", "rond-point", "faubourg", "promenade", "passage",
	"lieu-dit", "zone", "zac", "zi", "za", "cite administrative",
	"immeuble", "residence", "centre commercial", "lotissement",
	"hameau", "parc d'activites", "technopole", "quartier",
	NULL
};

static size_t
word_is(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	if (i + n > len || memcmp(s + i, w, n) != 0)
		return 0;
	if (i + n < len && ascii_is_word((unsigned char)s[i + n]))
		return 0;
	return n;
}

/* A number (+ bis/ter, comma) then a street type at i. */
static int
numbered_street_at(const char *s, size_t len, size_t i)
{
	size_t k = i, n, t;
	int nd = 0;

	if (k + 2 < len && s[k] == 'n' && (s[k + 1] == 'o' ||
	    (unsigned char)s[k + 1] == 0xc2) && !ascii_is_word((unsigned char)s[k + 2]))
		return 0;			/* "n°" is handled by caller */
	while (k < len && ascii_is_digit((unsigned char)s[k]) && nd < 5) {
		k++;
		nd++;
	}
	if (nd == 0 || nd > 4 || (k < len && ascii_is_digit((unsigned char)s[k])))
		return 0;
	if (k < len && s[k] == '-' && k + 1 < len &&
	    ascii_is_digit((unsigned char)s[k + 1])) {		/* "12-14 rue" */
		k++;
		while (k < len && ascii_is_digit((unsigned char)s[k]))
			k++;
	}
	/* "14bis", "14 bis", "7b", "7, rue" */
	for (t = 0; t < 2; t++) {
		while (k < len && (is_space(s[k]) || s[k] == ','))
			k++;
		if ((n = word_is(s, len, k, "bis")) > 0 ||
		    (n = word_is(s, len, k, "ter")) > 0 ||
		    (n = word_is(s, len, k, "quater")) > 0 ||
		    ((n = 1) && k + 1 <= len && k < len &&
		    strchr("abct", s[k]) != NULL &&
		    (k + 1 == len || !ascii_is_word((unsigned char)s[k + 1])) &&
		    k > 0 && !is_space(s[k - 1]) && s[k - 1] != ','))
			k += n;
		else
			break;
	}
	while (k < len && (is_space(s[k]) || s[k] == ','))
		k++;
	for (t = 0; street_types[t] != NULL; t++) {
		if ((n = word_is(s, len, k, street_types[t])) > 0) {
			/* "2 place" yes, "3 centres" no; "av." ok */
			return 1;
		}
	}
	return 0;
}

/* Offset in s where a street starts, or -1: the segment itself for box
   and street-type lines, the number for "... 15 bis rue X". */
static long
street_start(const char *s, size_t len)
{
	size_t i, n, t, lead = 0;

	while (lead < len && is_space(s[lead]))
		lead++;
	s += lead;
	len -= lead;
	if (len == 0)
		return -1;
	/* P.O. boxes and sorting codes. */
	if (word_is(s, len, 0, "bp") || word_is(s, len, 0, "cs") ||
	    word_is(s, len, 0, "tsa") || strncmp(s, "b.p.", 4) == 0 ||
	    strncmp(s, "boite postale", 13) == 0)
		return (long)lead;
	for (t = 0; street_types_alone[t] != NULL; t++) {
		if ((n = word_is(s, len, 0, street_types_alone[t])) > 0 &&
		    n < len && (is_space(s[n]) || s[n] == '.'))
			return (long)lead;
	}
	/* A number + street type anywhere at a word start, so that
	   "Cité administrative - 15 bis rue X" counts. */
	for (i = 0; i < len; i++) {
		if (!ascii_is_digit((unsigned char)s[i]))
			continue;
		if (i > 0 && (ascii_is_digit((unsigned char)s[i - 1]) ||
		    ascii_is_word((unsigned char)s[i - 1])))
			continue;
		if (numbered_street_at(s, len, i))
			return (long)(lead + i);
	}
	return -1;
}

int
address_is_street(const char *s, size_t len)
{
	return street_start(s, len) >= 0;
}

/* ------------------------------------------------------------ postcodes */

/* City particles written in lowercase inside a commune name. */
static int
particle(const char *s, size_t len, size_t i)
{
	static const char *const p[] = { "de", "du", "des", "la", "le", "les",
	    "sur", "sous", "en", "les", "lez", "aux", "au", "et", "l'", "d'",
	    NULL };
	size_t k, n;

	for (k = 0; p[k] != NULL; k++) {
		n = strlen(p[k]);
		if (i + n <= len && memcmp(s + i, p[k], n) == 0 &&
		    (p[k][n - 1] == '\'' || i + n == len ||
		    !ascii_is_word((unsigned char)s[i + n])))
			return 1;
	}
	return 0;
}

/* First byte of the original character behind folded position i is an
   uppercase letter (ASCII or Latin-1/Extended-A capital). */
static int
orig_upper(const char *text, const struct folded_text *f, size_t i)
{
	const unsigned char *u = (const unsigned char *)text + f->off[i];

	if (u[0] >= 'A' && u[0] <= 'Z')
		return 1;
	if (u[0] == 0xc3 && u[1] >= 0x80 && u[1] <= 0x9e)
		return 1;			/* À..Þ */
	return 0;
}

/*
 * Commune after a postal code: folded [i, *cend) holds the name, *end is
 * after an optional "Cedex NN".  0 if no commune starts at i.
 */
static int
commune_at(const char *text, const struct folded_text *f, size_t i,
    size_t *cend, size_t *end, int *cedex)
{
	const char *s = f->s;
	size_t len = f->len, k = i, wend, words = 0, n;

	*cedex = 0;
	if (i >= len || !ascii_is_word((unsigned char)s[i]))
		return 0;
	if (!orig_upper(text, f, i))
		return 0;
	if (word_is(s, len, i, "cedex"))
		return 0;
	*cend = i;
	while (k < len && words < 7) {
		if (!ascii_is_word((unsigned char)s[k]))
			break;
		if (word_is(s, len, k, "cedex"))
			break;
		if (words > 0 && !orig_upper(text, f, k)) {
			/* "Bourg en Bresse", "Créteil le 22": a particle
			   only if a capitalized word follows. */
			if (!particle(s, len, k))
				break;
			wend = k;
			while (wend < len && (ascii_is_word((unsigned char)s[wend]) ||
			    s[wend] == '\''))
				wend++;
			while (wend < len && s[wend] == ' ')
				wend++;
			if (wend >= len || !ascii_is_word((unsigned char)s[wend]) ||
			    !orig_upper(text, f, wend))
				break;
		}
		wend = k;
		while (wend < len && (ascii_is_word((unsigned char)s[wend]) ||
		    s[wend] == '\'' || (s[wend] == '-' && wend + 1 < len &&
		    ascii_is_word((unsigned char)s[wend + 1])) ||
		    (s[wend] == '.' && wend + 1 < len && s[wend + 1] == '-')))
			wend++;
		/* "St. Denis": abbreviation dot */
		if (wend < len && s[wend] == '.' && wend - k <= 3 &&
		    wend + 2 < len && s[wend + 1] == ' ' &&
		    ascii_is_word((unsigned char)s[wend + 2]))
			wend++;
		*cend = wend;
		words++;
		k = wend;
		if (k < len && s[k] == ' ' && k + 1 < len &&
		    ascii_is_word((unsigned char)s[k + 1]))
			k++;
		else
			break;
	}
	*end = *cend;
	k = *cend;
	while (k < len && s[k] == ' ')
		k++;
	if ((n = word_is(s, len, k, "cedex")) > 0) {
		*cedex = 1;
		k += n;
		*end = k;
		n = k;
		while (n < len && s[n] == ' ')
			n++;
		if (n < len && ascii_is_digit((unsigned char)s[n])) {
			while (n < len && ascii_is_digit((unsigned char)s[n]))
				n++;
			*end = n;
		}
	}
	return *cend > i;
}

static int
postcode_at(const char *s, size_t len, size_t i)
{
	int dept;

	if (i > 0 && (ascii_is_digit((unsigned char)s[i - 1]) ||
	    ascii_is_word((unsigned char)s[i - 1]) || s[i - 1] == '-' ||
	    s[i - 1] == '/' || s[i - 1] == '.'))
		return 0;
	/* "F-75019" is fine, "SM-2023-12345" is not: the '-' test above
	   drops both; international prefixes are rare in letters. */
	if (i + 5 > len)
		return 0;
	for (int k = 0; k < 5; k++)
		if (!ascii_is_digit((unsigned char)s[i + k]))
			return 0;
	if (i + 5 < len && (ascii_is_digit((unsigned char)s[i + 5]) ||
	    s[i + 5] == '.' || s[i + 5] == ','))
		return 0;
	/* "02 41 44 86 17": a group of 2 digits just before means a phone
	   number or an identifier. */
	if (i >= 3 && s[i - 1] == ' ' && ascii_is_digit((unsigned char)s[i - 2]) &&
	    ascii_is_digit((unsigned char)s[i - 3]))
		return 0;
	dept = (s[i] - '0') * 10 + (s[i + 1] - '0');
	if (dept == 0 || dept == 96 || dept == 99)
		return 0;
	return 1;
}

/* ------------------------------------------------------------ lines */

static size_t
line_start(const char *s, size_t i)
{
	while (i > 0 && s[i - 1] != '\n')
		i--;
	return i;
}

static int
blank(const char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (!is_space(s[a]))
			return 0;
	return 1;
}

/* A label cell: "Adresse", "Lieu", "Address", "Place"... */
static int
label_word(const char *s, size_t a, size_t b)
{
	static const char *const w[] = { "adresse", "lieu", "address",
	    "place", "location", "ou ", "where", "coordonnees", "site",
	    "venue", NULL };
	size_t k, n;

	while (a < b && is_space(s[a]))
		a++;
	for (k = 0; w[k] != NULL; k++) {
		n = strlen(w[k]);
		if (a + n <= b && memcmp(s + a, w[k], n) == 0)
			return 1;
	}
	return 0;
}

/* Drop a leading label "Lieu :", "Adresse (inchangée) :", "Centre
   d'imagerie :<TAB>" from folded [*a, b). */
static void
strip_label(const char *s, size_t *a, size_t b)
{
	size_t i, colon = 0, tab = 0;

	for (i = *a; i < b && i - *a < 70; i++) {
		if (s[i] == ':' && (i + 1 == b || is_space(s[i + 1])))
			colon = i + 1;
		if (s[i] == '\t' && tab == 0 && i > *a)
			tab = i + 1;
		if (ascii_is_digit((unsigned char)s[i]) && colon == 0 && tab == 0)
			return;			/* "9 cours Bosquet" */
	}
	if (colon > 0 && !blank(s, colon, b))
		*a = colon;
	else if (tab > 0 && !blank(s, tab, b) && label_word(s, *a, tab)) {
		/* "Adresse<TAB>OFII - ...": a table label cell (not a
		   "name<TAB>street" row) */
		*a = tab;
	}
}

static const char *const civilities[] = {
	"monsieur", "madame", "mademoiselle", "mme", "mlle", "melle", "m.",
	"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "m et mme", "mr and mrs",
	NULL
};

static int
civility_line(const char *s, size_t a, size_t b)
{
	size_t k, n;

	while (a < b && is_space(s[a]))
		a++;
	for (k = 0; civilities[k] != NULL; k++) {
		n = strlen(civilities[k]);
		if (a + n < b && memcmp(s + a, civilities[k], n) == 0 &&
		    (s[a + n] == ' ' || civilities[k][n - 1] == '.'))
			return 1;
	}
	return 0;
}

/*
 * A building, floor, room or service line inside a place block
 * ("Immeuble Le Ponant", "Bâtiment B, 2e étage", "Salle Loire",
 * "rez-de-chaussée", "Consultation OFII"): it completes the name above
 * it rather than being the name.
 */
static int
complement_line(const char *s, size_t a, size_t b)
{
	static const char *const heads[] = { "batiment", "bat ", "bat.",
	    "immeuble", "residence", "etage", "rez-de-chaussee", "rdc",
	    "salle", "bureau", "porte", "escalier", "aile", "pavillon",
	    "consultation", "unite", "niveau", "hall", "entree", "building",
	    "floor", "room", "suite", "service", "guichet", NULL };
	static const char *const parts[] = { "batiment", "bat", "pavillon",
	    "etage", "aile", "escalier", "porte", "salle", "bureau", "hall",
	    "entree", "niveau", "building", "floor", "room", "rdc",
	    "rez-de-chaussee", NULL };
	size_t k, n, i;

	while (a < b && is_space(s[a]))
		a++;
	for (k = 0; heads[k] != NULL; k++) {
		n = strlen(heads[k]);
		if (a + n <= b && memcmp(s + a, heads[k], n) == 0)
			return 1;
	}
	/* "2e étage", "3ème étage" */
	for (i = a; i + 6 <= b; i++)
		if (memcmp(s + i, " etage", 6) == 0)
			return 1;
	/* a part of a building after a dash or a comma: "Centre hospitalier
	   de Béziers - Pavillon 4", "Résidence X, bâtiment C" (not the
	   services: "OFII - Consultations médicales" is a name) */
	for (i = a; i + 2 < b; i++) {
		if (!((s[i] == '-' && i > a && is_space(s[i - 1]) &&
		    is_space(s[i + 1])) || s[i] == ','))
			continue;
		n = i + 1;
		while (n < b && is_space(s[n]))
			n++;
		for (k = 0; parts[k] != NULL; k++)
			if (word_is(s, b, n, parts[k]))
				return 1;
	}
	return 0;
}

/* Line that can be an office/centre name: short, no date or time, not a
   sentence, not a label alone, not a phone line. */
static int
name_like(const char *s, size_t a, size_t b)
{
	struct frdate_token *t = NULL;
	size_t n = 0, i, words = 1;
	int ok;

	trim(s, &a, &b);
	if (a >= b || b - a > MAX_PART)
		return 0;
	if (s[b - 1] == '.' || s[b - 1] == '!' || s[b - 1] == '?')
		return 0;
	if (b > a && s[b] == ':')
		return 0;		/* trim() removed a final ':' */
	for (i = a; i < b; i++)
		if (s[i] == ' ')
			words++;
	if (words > 12)
		return 0;
	if (strncmp(s + a, "tel", 3) == 0 || strncmp(s + a, "fax", 3) == 0 ||
	    strncmp(s + a, "telephone", 9) == 0 ||
	    strncmp(s + a, "http", 4) == 0 || strncmp(s + a, "www", 3) == 0 ||
	    memchr(s + a, '@', b - a) != NULL)
		return 0;
	if (frdate_scan(s + a, b - a, &t, &n, NULL) == -1)
		return 0;
	ok = n == 0;
	free(t);
	return ok;
}

/* s matches the pattern p (n bytes), a space in p matching any white
   space: "a l'" matches "a\nl'". */
static int
match_ws(const char *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == ' ' ? !is_space(s[i]) : s[i] != p[i])
			return 0;
	return 1;
}

/* Cut prose before a name inside a sentence: "prenez rendez-vous au
   Centre X" -> "Centre X". */
static size_t
cut_prose(const char *s, size_t a, size_t b)
{
	/* "à l'adresse X", "at the address X": the noun that introduces
	   the place is prose too */
	static const char *const cuts[] = { " au ", " aux ", " a la ",
	    " a l'", " chez ", " aupres du ", " aupres de la ", " aupres de ",
	    " dans les locaux du ", " dans les locaux de ", " suivant : ",
	    " suivante : ", " at the ", " at ", " a l'adresse ",
	    " a l'adresse de ", " a l'adresse du ", " at the address ",
	    " at the address of ", NULL };
	static const char *const lead[] = { "au ", "aux ", "a la ", "a l'",
	    "chez ", "aupres du ", "aupres de ", "at ", "a l'adresse ",
	    "at the address ", NULL };
	size_t i, k, n, best = a;

	for (k = 0; lead[k] != NULL; k++) {
		n = strlen(lead[k]);
		if (a + n <= b && match_ws(s + a, lead[k], n))
			best = a + n;
	}
	for (i = a; i < b; i++) {
		if (!is_space(s[i]))
			continue;
		/* the cut words start after any white space, line breaks
		   included: "à 14h00\nà l'OFII - Antenne" */
		for (k = 0; cuts[k] != NULL; k++) {
			n = strlen(cuts[k]) - 1;
			if (i + 1 + n <= b &&
			    match_ws(s + i + 1, cuts[k] + 1, n) &&
			    i + 1 + n > best)
				best = i + 1 + n;
		}
	}
	/* "auprès de : Radiologie des Arènes": the colon goes too */
	if (best > a) {
		i = best;
		while (i < b && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i + 1 < b && s[i] == ':' && is_space(s[i + 1]))
			best = i + 1;
	}
	return best;
}

/* Does folded [a, b) read as prose (starts lowercase, or long)? */
static int
prose(const char *text, const struct folded_text *f, size_t a, size_t b)
{
	size_t i, words = 1;

	trim(f->s, &a, &b);
	if (a >= b)
		return 0;
	for (i = a; i < b; i++)
		if (f->s[i] == ' ')
			words++;
	return words > 7 || (ascii_is_word((unsigned char)f->s[a]) &&
	    !orig_upper(text, f, a));
}

/* Folded [a, b) is a street number alone: "7", "14 bis", "3b". */
static int
number_only(const char *s, size_t a, size_t b)
{
	size_t nd = 0;

	while (a < b && is_space(s[a]))
		a++;
	while (a < b && ascii_is_digit((unsigned char)s[a])) {
		a++;
		nd++;
	}
	if (nd == 0 || nd > 4)
		return 0;
	while (a < b && is_space(s[a]))
		a++;
	if (a < b && (word_is(s, b, a, "bis") || word_is(s, b, a, "ter") ||
	    word_is(s, b, a, "quater")))
		while (a < b && ascii_is_word((unsigned char)s[a]))
			a++;
	else if (a < b && strchr("abc", s[a]) != NULL && a + 1 == b)
		a++;
	while (a < b && is_space(s[a]))
		a++;
	return a == b;
}

struct seg {
	size_t	a, b;
};

/* Split folded [a, b) at commas and TABs into at most max segments. */
static size_t
split(const char *s, size_t a, size_t b, struct seg *v, size_t max)
{
	size_t n = 0, i, st = a;

	for (i = a; i <= b && n < max; i++) {
		if (i == b || s[i] == ',' || s[i] == '\t') {
			/* "7, rue Yves Collet": the number stays */
			if (i < b && s[i] == ',' && number_only(s, st, i))
				continue;
			if (!blank(s, st, i)) {
				v[n].a = st;
				v[n].b = i;
				n++;
			}
			st = i + 1;
		}
	}
	return n;
}

/* Join a street line and the postal part: "street, CP city". */
static char *
join3(const char *a, const char *b, const char *c)
{
	size_t n = 1;
	char *out;

	if (a != NULL && *a != '\0')
		n += strlen(a) + 2;
	if (b != NULL && *b != '\0')
		n += strlen(b) + 2;
	if (c != NULL)
		n += strlen(c);
	if ((out = malloc(n)) == NULL)
		return NULL;
	*out = '\0';
	if (a != NULL && *a != '\0') {
		strcat(out, a);
		strcat(out, ", ");
	}
	if (b != NULL && *b != '\0') {
		strcat(out, b);
		strcat(out, ", ");
	}
	if (c != NULL)
		strcat(out, c);
	return out;
}

/* Two lines of a block as one: "first, second" (original text). */
static char *
join_copy(const char *text, const struct folded_text *f, size_t a1,
    size_t b1, size_t a2, size_t b2)
{
	char *x, *y, *out;

	x = folded_copy(text, f, a1, b1);
	y = folded_copy(text, f, a2, b2);
	out = x != NULL && y != NULL ? join3(NULL, x, y) : NULL;
	free(x);
	free(y);
	return out;
}

/* Keep what follows the last unclosed '(' of folded [*a, b): "à 10h30
   (OFII - Service médical" -> "OFII - Service médical". */
static void
after_paren(const char *s, size_t *a, size_t b)
{
	size_t i, open = 0;
	int depth = 0;

	for (i = *a; i < b; i++) {
		if (s[i] == '(') {
			depth++;
			open = i + 1;
		} else if (s[i] == ')' && depth > 0)
			depth--;
	}
	if (depth > 0 && open < b)
		*a = open;
}

/*
 * Folded [a, b) (what stands before a cut word such as " au ") reads as
 * the start of a sentence even though it is capitalized: two lowercase
 * words that are no particles ("Faites réaliser une radiographie au
 * Cabinet X"), unlike a name ("Maison de santé au ...").
 */
static int
sentence_head(const char *text, const struct folded_text *f, size_t a,
    size_t b)
{
	const char *s = f->s;
	size_t i;
	int lower = 0;

	for (i = a; i < b; i++) {
		if (i > a && s[i - 1] != ' ')
			continue;
		if (!ascii_is_word((unsigned char)s[i]) || orig_upper(text, f, i) ||
		    particle(s, b, i))
			continue;
		lower++;
	}
	return lower >= 2;
}

/* The name part of folded [*a, b): prose and brackets before it cut. */
static void
name_cut(const char *text, const struct folded_text *f, size_t *a, size_t b)
{
	size_t i;

	after_paren(f->s, a, b);
	/* "au même endroit : OFII - ...": what follows the last colon */
	for (i = b; i > *a + 1; i--)
		if (f->s[i - 2] == ':' && f->s[i - 1] == ' ' && i < b) {
			*a = i;
			break;
		}
	trim(f->s, a, &b);
	if (prose(text, f, *a, b) || sentence_head(text, f, *a,
	    cut_prose(f->s, *a, b)))
		*a = cut_prose(f->s, *a, b);
	trim(f->s, a, &b);
}

/*
 * Street and name within one logical line, folded [a, b): the first
 * comma/TAB segment that is a street starts the street, which runs to b;
 * the segments before it (not prose) are the name.  1 if a street is found.
 */
static int
line_parts(const char *text, const struct folded_text *f, size_t a, size_t b,
    size_t *sa, size_t *na, size_t *nb)
{
	const char *s = f->s;
	struct seg seg[12];
	size_t nseg, k, j;
	long off;

	strip_label(s, &a, b);
	nseg = split(s, a, b, seg, 12);
	for (k = 0; k < nseg; k++) {
		if ((off = street_start(s + seg[k].a, seg[k].b - seg[k].a)) < 0)
			continue;
		/* "au 14 avenue X": prose before the number goes */
		*sa = seg[k].a;
		if (off > 0 && prose(text, f, seg[k].a, seg[k].a + (size_t)off))
			*sa += (size_t)off;
		*na = *nb = 0;
		/* "OFII - Plateforme d'accueil - 2 rue X": a dash between
		   the name and the number */
		if (off > 2 && *sa == seg[k].a) {
			size_t e = seg[k].a + (size_t)off;

			while (e > seg[k].a && is_space(s[e - 1]))
				e--;
			if (e > seg[k].a + 1 && s[e - 1] == '-' &&
			    is_space(s[e - 2]) && ascii_is_digit((unsigned char)
			    s[seg[k].a + (size_t)off])) {
				*na = seg[k].a;
				*nb = e - 1;
				*sa = seg[k].a + (size_t)off;
				name_cut(text, f, na, *nb);
				if (*na >= *nb || !name_like(s, *na, *nb))
					*na = *nb = 0;
				return 1;
			}
		}
		if (k == 0)
			return 1;
		*nb = seg[k - 1].b;
		*na = seg[k - 1].a;
		for (j = k - 1; j > 0; j--) {
			if ((prose(text, f, seg[j].a, seg[j].b) &&
			    !complement_line(s, seg[j].a, seg[j].b)) ||
			    prose(text, f, seg[j - 1].a, seg[j - 1].b) ||
			    !name_like(s, seg[j - 1].a, seg[j - 1].b))
				break;
			*na = seg[j - 1].a;
		}
		name_cut(text, f, na, *nb);
		if (*na >= *nb || !name_like(s, *na, *nb))
			*na = *nb = 0;
		return 1;
	}
	return 0;
}

/* Last TAB cell of folded [*a, b): table rows "date<TAB>time<TAB>name". */
static void
last_cell(const char *s, size_t *a, size_t b)
{
	size_t i;

	for (i = b; i > *a; i--)
		if (s[i - 1] == '\t' && !blank(s, i, b)) {
			*a = i;
			return;
		}
}

/* Only white space between the last TAB of folded [ls, pc) and pc. */
static int
cell_start(const char *s, size_t ls, size_t pc)
{
	size_t i = pc;

	while (i > ls && (s[i - 1] == ' ' || s[i - 1] == '\t')) {
		if (s[i - 1] == '\t')
			return 1;
		i--;
	}
	return 0;
}

/* Fill *ad from the postal code at pc and the text around it. */
static int
build(const char *text, const struct folded_text *f, size_t pc,
    size_t cend, size_t end, int cedex, struct address *ad)
{
	const char *s = f->s;
	size_t ls, le, first, i, pa, sa = 0, sb = 0, na = 0, nb = 0, ta, tna,
	    tnb, la[LINES_ABOVE], lb[LINES_ABOVE], nl = 0, line, bpa = 0,
	    bpb = 0, xna = 0, xnb = 0;
	int have_street = 0;
	char *pcity;

	memset(ad, 0, sizeof(*ad));
	memcpy(ad->postal_code, s + pc, 5);
	ad->postal_code[5] = '\0';
	ad->cedex = cedex;
	ad->pc_start = pc;
	ad->end = end;
	ls = line_start(s, pc);
	first = ls;

	/* Lines above, nearest first, stopping at a blank line. */
	le = ls;
	while (nl < LINES_ABOVE && le > 0) {
		size_t pe = le - 1, ps = line_start(s, pe);

		if (blank(s, ps, pe))
			break;
		la[nl] = ps;
		lb[nl] = pe;
		nl++;
		le = ps;
	}

	if (!blank(s, ls, pc)) {
		size_t from = ls;

		/* a table row's label cell is no part of the name:
		   "Adresse<TAB>1 rue du Combat des Trente, 22000 ..." */
		pa = ls;
		strip_label(s, &pa, pc);
		if (pa > ls && s[pa - 1] == '\t')
			from = pa;
		/* "[label :] name, street, CP city" on one line */
		if (line_parts(text, f, from, pc, &sa, &na, &nb)) {
			have_street = 1;
			sb = pc;
			pa = ls;
			strip_label(s, &pa, pc);
			pa = skip_blank(s, pa, pc);
			/* wrapped from the line above: "..., au Centre X, 8\n
			   avenue Thiers, 33100 Bordeaux" */
			/* or "au Centre\nd'imagerie X, 12 rue Y, CP city" */
			if (from == ls && (na == nb ? sa <= pa : na <= pa &&
			    !orig_upper(text, f, na)) && nl > 0 &&
			    strchr(".:;!?", s[lb[0] > la[0] ? lb[0] - 1 :
			    la[0]]) == NULL &&
			    line_parts(text, f, la[0], pc, &ta, &tna, &tnb) &&
			    tna < tnb && (tna < ls || tna != na)) {
				sa = ta;
				na = tna;
				nb = tnb;
				first = la[0];
			} else if (na == nb && sa <= pa && nl > 0 &&
			    strchr(".:;!?", s[lb[0] > la[0] ? lb[0] - 1 :
			    la[0]]) == NULL && lb[0] > la[0]) {
				/* name alone on the line above */
				pa = la[0];
				strip_label(s, &pa, lb[0]);
				last_cell(s, &pa, lb[0]);
				name_cut(text, f, &pa, lb[0]);
				if (name_like(s, pa, lb[0]) &&
				    !civility_line(s, pa, lb[0]) &&
				    !address_is_street(s + pa, lb[0] - pa)) {
					na = pa;
					nb = lb[0];
					first = la[0];
				}
			}
			/* "au Centre de radiologie\nLafayette, 142 cours
			   Lafayette": the end of the sentence above */
			if (na < nb && na <= pa && orig_upper(text, f, na) &&
			    nl > 0 && first == ls && lb[0] > la[0] &&
			    strchr(".:;!?,", s[lb[0] - 1]) == NULL &&
			    prose(text, f, la[0], lb[0])) {
				size_t st = cut_prose(s, la[0], lb[0]);

				if (st > la[0] && !blank(s, st, lb[0]) &&
				    orig_upper(text, f, skip_blank(s, st, lb[0]))) {
					na = skip_blank(s, st, lb[0]);
					first = la[0];
				}
			}
		} else if (nl > 0 && strchr(".:;!?", s[lb[0] > la[0] ?
		    lb[0] - 1 : la[0]]) == NULL &&
		    line_parts(text, f, la[0], pc, &ta, &tna, &tnb) &&
		    ta < ls) {
			/* the street wrapped: "..., 12 rue\nFrançois de
			   Mahy, 97410 Saint-Pierre" */
			have_street = 1;
			sa = ta;
			sb = pc;
			na = tna;
			nb = tnb;
			first = la[0];
		} else if (!cell_start(s, ls, pc)) {
			pa = ls;
			strip_label(s, &pa, pc);
			last_cell(s, &pa, pc);
			name_cut(text, f, &pa, pc);
			if (name_like(s, pa, pc) && !prose(text, f, pa, pc)) {
				na = pa;
				nb = pc;
			}
		}
		/* else "Radiographie pulmonaire<TAB>44000 Nantes": the postal
		   code starts a cell of its own with no street in the row, so
		   what stands before the TAB is another column (a two-column
		   page read line by line), not this address's name */
	} else if (nl > 0) {
		line = 0;
		if (line_parts(text, f, la[0], lb[0], &sa, &na, &nb)) {
			have_street = 1;
			sb = lb[0];
			first = la[0];
			line = 1;
			/* "BP 12" under the street */
			/* "BP 12" under the street: "street, BP 12" */
			if (line < nl && (word_is(s, sb, skip_blank(s, sa, sb), "bp") ||
			    word_is(s, sb, skip_blank(s, sa, sb), "cs") ||
			    word_is(s, sb, skip_blank(s, sa, sb), "tsa")) &&
			    na == nb &&
			    line_parts(text, f, la[1], lb[1], &ta, &tna, &tnb)) {
				bpa = sa;
				bpb = sb;
				sa = ta;
				sb = lb[1];
				na = tna;
				nb = tnb;
				first = la[1];
				line = 2;
			}
			if (na == nb && line < nl) {
				pa = la[line];
				strip_label(s, &pa, lb[line]);
				last_cell(s, &pa, lb[line]);
				name_cut(text, f, &pa, lb[line]);
				if (name_like(s, pa, lb[line]) &&
				    !civility_line(s, pa, lb[line]) &&
				    (!address_is_street(s + pa, lb[line] - pa) ||
				    complement_line(s, pa, lb[line]))) {
					na = pa;
					nb = lb[line];
					first = la[line];
					line++;
				}
			}
			/* a building, floor or service line: the name is
			   the line above it ("OFII - Service médical" /
			   "Bâtiment B, 2e étage" / street) */
			if (na < nb && first == la[line - 1] && line < nl &&
			    na == skip_blank(s, la[line - 1], lb[line - 1]) &&
			    complement_line(s, na, nb) && lb[line] > la[line] &&
			    strchr(".:;!?", s[lb[line] - 1]) == NULL) {
				/* (an indented block: from its first word) */
				pa = skip_blank(s, la[line], lb[line]);
				strip_label(s, &pa, lb[line]);
				last_cell(s, &pa, lb[line]);
				if (pa == skip_blank(s, la[line], lb[line]) &&
				    name_like(s, pa, lb[line]) &&
				    !prose(text, f, pa, lb[line]) &&
				    !civility_line(s, pa, lb[line]) &&
				    !address_is_street(s + pa, lb[line] - pa) &&
				    !complement_line(s, pa, lb[line])) {
					xna = pa;
					xnb = lb[line];
					first = la[line];
				}
			}
		}
	}
	/* A name cut by a line break ("au Centre\nd'imagerie X, ..."): take
	   the end of the line above too, at most twice. */
	for (line = 0; line + 1 < nl && line < 2 && na < nb; line++) {
		size_t nls = line_start(s, na);

		if (orig_upper(text, f, na) || nls != la[line] ||
		    skip_blank(s, la[line], lb[line]) != na ||
		    strchr(".:;!?", s[lb[line + 1] > la[line + 1] ?
		    lb[line + 1] - 1 : la[line + 1]]) != NULL)
			break;
		if (!line_parts(text, f, la[line + 1], pc, &ta, &tna, &tnb) ||
		    tna >= tnb || tna >= la[line] || ta != sa)
			break;
		na = tna;
		nb = tnb;
		first = la[line + 1];
	}
	/* The addressee's own address sits under "Monsieur X", in a block
	   of short lines: a sentence, a salutation or a TAB row between
	   them ends the block (a letter set in columns, without blank
	   lines). */
	for (i = 0; i < nl; i++) {
		if (civility_line(s, la[i], lb[i])) {
			ad->recipient = 1;
			break;
		}
		if (lb[i] > la[i] && (strchr(",.:;!?", s[lb[i] - 1]) != NULL ||
		    memchr(s + la[i], '\t', lb[i] - la[i]) != NULL ||
		    prose(text, f, la[i], lb[i])))
			break;
	}
	if (civility_line(s, first, pc))
		ad->recipient = 1;
	ad->start = first;

	i = pc + 5;
	while (i < cend && is_space(s[i]))
		i++;
	if ((ad->city = folded_copy(text, f, i, cend)) == NULL)
		return -1;
	if ((pcity = folded_copy(text, f, pc, end)) == NULL)
		return -1;
	if (have_street && (bpa < bpb ? (ad->street = join_copy(text, f,
	    sa, sb, bpa, bpb)) : (ad->street = folded_copy(text, f, sa,
	    sb))) == NULL) {
		free(pcity);
		return -1;
	}
	if (na < nb && (xna < xnb ? (ad->name = join_copy(text, f, xna, xnb,
	    na, nb)) : (ad->name = folded_copy(text, f, na, nb))) == NULL) {
		free(pcity);
		return -1;
	}
	if (ad->name != NULL && *ad->name == '\0') {
		free(ad->name);
		ad->name = NULL;
	}
	if (ad->street != NULL && *ad->street == '\0') {
		free(ad->street);
		ad->street = NULL;
	}
	ad->place = join3(ad->name, ad->street, pcity);
	ad->address = join3(NULL, ad->street, pcity);
	free(pcity);
	if (ad->place == NULL || ad->address == NULL)
		return -1;
	return 0;
}

void
address_free_all(struct address *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].name);
		free(v[i].street);
		free(v[i].city);
		free(v[i].place);
		free(v[i].address);
	}
	free(v);
}

int
address_scan(const char *text, const struct folded_text *f,
    struct address **addrsp, size_t *naddrsp, char **errstr)
{
	struct address *v = NULL, *nv;
	size_t i, n = 0, cap = 0, c, cend, end;
	int cedex;

	*addrsp = NULL;
	*naddrsp = 0;
	for (i = 0; i + 5 < f->len; i++) {
		if (!ascii_is_digit((unsigned char)f->s[i]) || !postcode_at(f->s, f->len, i))
			continue;
		c = i + 5;
		while (c < f->len && c < i + 8 && is_space(f->s[c]))
			c++;
		if (c == i + 5 || !commune_at(text, f, c, &cend, &end, &cedex))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto oom;
			v = nv;
		}
		if (build(text, f, i, cend, end, cedex, &v[n]) == -1) {
			n++;
			goto oom;
		}
		n++;
		i = end;
	}
	*addrsp = v;
	*naddrsp = n;
	return 0;
oom:
	address_free_all(v, n);
	errstr_set(errstr, "out of memory scanning addresses");
	return -1;
}

char *
address_name_above(const char *text, const struct folded_text *f, size_t pos)
{
	const char *s = f->s;
	size_t ls, pe, ps, pa;

	if (pos > f->len)
		return NULL;
	ls = line_start(s, pos);
	if (ls == 0)
		return NULL;
	pe = ls - 1;
	ps = line_start(s, pe);
	if (blank(s, ps, pe))
		return NULL;
	pa = ps;
	strip_label(s, &pa, pe);
	last_cell(s, &pa, pe);
	name_cut(text, f, &pa, pe);
	if (pa >= pe || !name_like(s, pa, pe) || prose(text, f, pa, pe) ||
	    civility_line(s, pa, pe) || address_is_street(s + pa, pe - pa))
		return NULL;
	return folded_copy(text, f, pa, pe);
}
