/*
 * person: the addressee the letter names ("Monsieur ADEYEMI Tunde" in the
 * address block, "Bonjour Madame QUISPE," or a form's "Nom : / Prénom :"
 * lines), as "Given FAMILY".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ascii.h"
#include "parsers/address.h"
#include "parsers/extract.h"

/* Original word [a, b) written in capitals ("ADEYEMI", "N'DIAYE"). */
int
written_in_capitals(const char *o, size_t n)
{
	size_t i;
	int letters = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)o[i];

		if (c >= 'a' && c <= 'z')
			return 0;
		if (c == 0xc3 && i + 1 < n && (unsigned char)o[i + 1] >= 0xa0) {
			return 0;		/* à..ÿ */
		}
		if ((c >= 'A' && c <= 'Z') || c >= 0x80)
			letters++;
	}
	return letters >= 2;
}

enum name_how {
	NAME_ANY,	/* after a civility: any capitalized words */
	NAME_FULL,	/* given names and a FAMILY name */
	NAME_FULL_ALONE	/* the same, and nothing after it on the line */
};

/*
 * The name whose words start at folded w, before le: up to 5 capitalized
 * words, returned as "Given FAMILY" (malloc'd), *endp (if not NULL) after
 * its last word; NULL when there is none.
 */
static char *
name_at(const struct doc *d, size_t w, size_t le, enum name_how how,
    size_t *endp)
{
	const char *s = d->f.s, *o;
	size_t k, n, words = 0, gi = 0, fi = 0, ws[6], we[6];
	char given[256], family[256], *out;
	int caps[6];

	while (w < le && words < 6) {
		o = d->text + d->f.off[w];
		if (!((*o >= 'A' && *o <= 'Z') || ((unsigned char)*o == 0xc3 &&
		    (unsigned char)o[1] >= 0x80 && (unsigned char)o[1] <= 0x9e)))
			break;
		n = w;
		while (n < le && (ascii_is_word((unsigned char)s[n]) ||
		    s[n] == '-' || s[n] == '\''))
			n++;
		if (n == w)
			break;
		ws[words] = w;
		we[words] = n;
		caps[words] = written_in_capitals(d->text + d->f.off[w],
		    d->f.off[n] - d->f.off[w]);
		words++;
		w = n;
		if (w < le && s[w] == ' ')
			w++;
		else
			break;
	}
	if (words == 0 || words == 6)
		return NULL;
	/* without a civility: a full name, given names and a family name
	   in capitals ("Kenji WATANABE"), not "Service Médical" or "OFII";
	   for a labelled value, alone on its line */
	if (how != NAME_ANY) {
		int nc = 0;

		for (n = 0; n < words; n++)
			nc += caps[n];
		if (words < 2 || nc == 0 || nc == (int)words ||
		    (how == NAME_FULL_ALONE && ft_skip_ws(s, we[words - 1], le) < le))
			return NULL;
	}
	if (endp != NULL)
		*endp = we[words - 1];
	/* "Given-names FAMILY": French letters often put the family name
	   (in capitals) first. */
	given[0] = family[0] = '\0';
	for (k = 0; k < words; k++) {
		char *dst = caps[k] ? family : given;
		size_t *pos = caps[k] ? &fi : &gi;
		size_t ob = d->f.off[ws[k]], oe = d->f.off[we[k]];

		if (*pos + (oe - ob) + 2 >= sizeof(given))
			return NULL;
		if (*pos > 0)
			dst[(*pos)++] = ' ';
		memcpy(dst + *pos, d->text + ob, oe - ob);
		*pos += oe - ob;
		dst[*pos] = '\0';
	}
	if ((out = malloc(gi + fi + 2)) == NULL)
		return NULL;
	snprintf(out, gi + fi + 2, "%s%s%s", given, gi && fi ? " " : "",
	    family);
	return out;
}

/*
 * Folded line [ls, le) is a label alone, the name on the line below it:
 * "Représentant légal de" / "YUSUF Amina" in an address block, "Nom :"
 * above its value.
 */
static int
label_alone(const char *s, size_t ls, size_t le)
{
	const char *const *lists[] = { kw_guardian_label, kw_person_label };
	size_t a = ft_skip_ws(s, ls, le), e = le, k, l, n;

	while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
	    s[e - 1] == ':'))
		e--;
	for (l = 0; l < 2; l++)
		for (k = 0; lists[l][k] != NULL; k++) {
			n = strlen(lists[l][k]);
			while (n > 0 && (lists[l][k][n - 1] == ' ' ||
			    lists[l][k][n - 1] == ':'))
				n--;
			if (n > 0 && e - a == n &&
			    memcmp(s + a, lists[l][k], n) == 0)
				return 1;
		}
	return 0;
}

/*
 * The addressee named on a line: "Monsieur ADEYEMI Tunde" (address
 * block), "Bonjour Madame QUISPE," (salutation), "- Madame X" (list of
 * people), the child of "Représentant légal de YUSUF Amina", a name
 * under a label alone on the line above (below_label).  *score: 2
 * address block or list, 1 salutation.  Returns the name as "Given
 * FAMILY" (malloc'd) or NULL.
 */
static char *
person_on_line(const struct doc *d, size_t ls, size_t le, int below_label,
    int *score)
{
	const char *s = d->f.s;
	size_t a, k, w, n;
	int labelled = below_label;

	a = ft_skip_ws(s, ls, le);
	*score = 2;
	while (a < le && (s[a] == '*' || s[a] == '-'))
		a = ft_skip_ws(s, a + 1, le);
	/* "Représentant légal de YUSUF Amina": the name that follows, as
	   a labelled value */
	for (k = 0; kw_guardian_label[k] != NULL && !labelled; k++)
		if (ft_starts(s, a, le, kw_guardian_label[k]) &&
		    (a + (n = strlen(kw_guardian_label[k]))) < le &&
		    !ascii_is_wordnum((unsigned char)s[a + n])) {
			a = ft_skip_ws(s, a + n, le);
			if (a < le && s[a] == ':')
				a = ft_skip_ws(s, a + 1, le);
			labelled = 1;
		}
	/* "Nom :<TAB>Monsieur X", "Destinataire : Mme Y" */
	for (k = 0; kw_person_label[k] != NULL && !labelled; k++)
		if (ft_starts(s, a, le, kw_person_label[k])) {
			a += strlen(kw_person_label[k]);
			while (a < le && ascii_is_word((unsigned char)s[a]))
				a++;	/* "collaborat-rice", "salarie-e" */
			while (a < le && (s[a] == ' ' || s[a] == '\t' ||
			    s[a] == ':')) {
				if (s[a] == ':')
					labelled = 1;
				a++;
			}
			break;
		}
	for (k = 0; kw_greeting[k] != NULL; k++)
		if (ft_starts(s, a, le, kw_greeting[k])) {
			a = ft_skip_ws(s, a + strlen(kw_greeting[k]), le);
			*score = 1;
			break;
		}
	for (k = 0; kw_civility[k] != NULL; k++)
		if (ft_starts(s, a, le, kw_civility[k]))
			break;
	if (kw_civility[k] != NULL)
		w = ft_skip_ws(s, a + strlen(kw_civility[k]), le);
	else if (*score == 1 && ft_ends(s, a, le, ",") && !ft_any_word(s, a, le,
	    kw_not_name))
		w = a;		/* "Bonjour Fatima KONE," */
	else if (labelled && *score == 2 && !ft_any_word(s, a, le, kw_not_name))
		w = a;		/* "Employee: Kenji WATANABE", checked below */
	else
		return NULL;
	return name_at(d, w, le, labelled && kw_civility[k] == NULL &&
	    *score == 2 ? NAME_FULL_ALONE : NAME_ANY, NULL);
}

/*
 * The person a slot of a family letter belongs to: the name that starts
 * folded line [ls, stop), before the slot's time or the person's birth
 * date ("- M. HAIDARI Farid, né le 11/06/1986 : 8h30", "RAKOTOMALALA
 * Toky, né le 11/09/2009" above "Lundi 23 juin 2025 à 9h30").  Without
 * a civility the name must be given names and a FAMILY name.  NULL when
 * the line does not start with a name so followed.
 */
char *
slot_person(const struct doc *d, size_t ls, size_t stop)
{
	const char *s = d->f.s;
	size_t a, k, e;
	char *name;

	a = ft_skip_ws(s, ls, stop);
	while (a < stop && (s[a] == '*' || s[a] == '-'))
		a = ft_skip_ws(s, a + 1, stop);
	for (k = 0; kw_civility[k] != NULL; k++)
		if (ft_starts(s, a, stop, kw_civility[k]))
			break;
	if (kw_civility[k] != NULL)
		a = ft_skip_ws(s, a + strlen(kw_civility[k]), stop);
	if ((name = name_at(d, a, stop, kw_civility[k] != NULL ? NAME_ANY :
	    NAME_FULL, &e)) == NULL)
		return NULL;
	/* a table row: the name's cell ends at a TAB */
	if (e < stop && s[e] == '\t')
		return name;
	e = ft_skip_ws(s, e, stop);
	if (e == stop || s[e] == ',' || s[e] == ':' || s[e] == '(' ||
	    ft_starts(s, e, stop, "ne ") || ft_starts(s, e, stop, "nee ") ||
	    ft_starts(s, e, stop, "born "))
		return name;
	free(name);
	return NULL;
}

/*
 * Capitalized words of a form value at folded w ("KOWALSKA", "Agnieszka
 * Maria"), up to the line end or a TAB: 1 with the original [*oa, *ob),
 * 0 when the value is not a name.  *caps: every word in capitals.
 */
static int
form_value(const struct doc *d, size_t w, size_t le, size_t *oa, size_t *ob,
    int *caps)
{
	const char *s = d->f.s, *o;
	size_t n, words = 0, first = w, last = w;

	*caps = 1;
	w = ft_skip_ws(s, w, le);
	first = w;
	while (w < le && words < 6) {
		o = d->text + d->f.off[w];
		if (!((*o >= 'A' && *o <= 'Z') || ((unsigned char)*o == 0xc3 &&
		    (unsigned char)o[1] >= 0x80 && (unsigned char)o[1] <= 0x9e)))
			return 0;
		n = w;
		while (n < le && (ascii_is_word((unsigned char)s[n]) ||
		    s[n] == '-' || s[n] == '\''))
			n++;
		if (n == w)
			return 0;
		if (!written_in_capitals(d->text + d->f.off[w], d->f.off[n] - d->f.off[w]))
			*caps = 0;
		words++;
		last = n;
		w = n;
		if (w < le && s[w] == ' ')
			w++;
		else
			break;
	}
	/* something else follows on the line: not a bare name cell */
	if (words == 0 || words == 6 || (ft_skip_ws(s, last, le) < le &&
	    s[ft_skip_ws(s, last, le)] != '\t'))
		return 0;
	*oa = d->f.off[first];
	*ob = d->f.off[last];
	return 1;
}

/* Folded line [ls, le) is "label :" + value for one of the labels: the
   value's folded start, or 0. */
static size_t
form_label(const char *s, size_t ls, size_t le, const char *const *labels)
{
	size_t a = ft_skip_ws(s, ls, le), k, i;

	while (a < le && (s[a] == '*' || s[a] == '-'))
		a = ft_skip_ws(s, a + 1, le);
	for (k = 0; labels[k] != NULL; k++) {
		if (!ft_starts(s, a, le, labels[k]))
			continue;
		i = ft_skip_ws(s, a + strlen(labels[k]), le);
		if (i < le && s[i] == ':')
			return ft_skip_ws(s, i + 1, le);
		/* a table row: "Nom<TAB>ASANTE" */
		if (i < le && memchr(s + a, '\t', i - a) != NULL)
			return i;
	}
	return 0;
}

/*
 * A labelled form: "Nom : KOWALSKA" and, within three lines,
 * "Prénom(s) : Agnieszka Maria" -> "Agnieszka Maria KOWALSKA".  The
 * family name alone only when written in capitals.  NULL if none.
 */
static char *
person_form(const struct doc *d, size_t ls, size_t le)
{
	const char *s = d->f.s;
	size_t v, fa, fb, ga = 0, gb = 0, l, e, n;
	int caps, gcaps, lines;
	char *out;

	if ((v = form_label(s, ls, le, kw_family_label)) == 0 ||
	    !form_value(d, v, le, &fa, &fb, &caps))
		return NULL;
	/* the given names on one of the three lines around */
	l = ls;
	for (lines = 0; lines < 3 && l > 0 && ga == gb; lines++) {
		l = ft_line_start(s, l - 1);
		e = ft_line_end(s, d->f.len, l);
		if ((v = form_label(s, l, e, kw_given_label)) != 0 &&
		    !form_value(d, v, e, &ga, &gb, &gcaps))
			ga = gb = 0;
	}
	for (lines = 0, l = le; lines < 3 && l < d->f.len && ga == gb;
	    lines++) {
		l++;
		e = ft_line_end(s, d->f.len, l);
		if ((v = form_label(s, l, e, kw_given_label)) != 0 &&
		    !form_value(d, v, e, &ga, &gb, &gcaps))
			ga = gb = 0;
		l = e;
	}
	if (ga == gb && !caps)
		return NULL;
	n = (gb - ga) + (fb - fa) + 2;
	if ((out = malloc(n)) == NULL)
		return NULL;
	if (ga < gb)
		snprintf(out, n, "%.*s %.*s", (int)(gb - ga), d->text + ga,
		    (int)(fb - fa), d->text + fa);
	else
		snprintf(out, n, "%.*s", (int)(fb - fa), d->text + fa);
	return out;
}

/*
 * The addressee: the best-scored name in the docs; NULL when nobody is
 * named or when several people are (one mail for a household).
 * *oom is set on allocation failure.
 */
char *
person_in(const struct ctx_docs *cd, int *oom)
{
	char *best = NULL, *name, *clean;
	size_t i, ls, le;
	int score, best_score = 0, several = 0;

	*oom = 0;
	for (i = 0; i < cd->ndocs; i++) {
		const struct doc *d = &cd->docs[i];

		for (ls = 0; ls < d->f.len && ls < 400000; ls = le + 1) {
			le = ft_line_end(d->f.s, d->f.len, ls);
			/* a family letter's slot names a member, not the
			   addressee: "- Mme HAIDARI Nargis, née le ..." */
			if (le - ls > 200 || ft_any(d->f.s, ls, le, kw_birth))
				continue;
			if ((name = person_on_line(d, ls, le, 0, &score)) ==
			    NULL && (name = person_form(d, ls, le)) != NULL)
				score = 2;
			/* the name on the line under a label alone */
			if (name == NULL && le < d->f.len &&
			    label_alone(d->f.s, ls, le)) {
				size_t nle = ft_line_end(d->f.s, d->f.len, le + 1);

				if (nle - le <= 200)
					name = person_on_line(d, le + 1, nle, 1,
					    &score);
			}
			if (name == NULL)
				continue;
			if ((clean = address_clean(name, 0, strlen(name))) ==
			    NULL) {
				free(name);
				free(best);
				*oom = 1;
				return NULL;
			}
			free(name);
			if (best != NULL && score == best_score &&
			    strcmp(best, clean) != 0 &&
			    strstr(best, clean) == NULL &&
			    strstr(clean, best) == NULL && score == 2)
				several = 1;
			if (score > best_score || (score == best_score &&
			    best != NULL && strlen(clean) > strlen(best) &&
			    strstr(clean, best) != NULL)) {
				if (score > best_score)
					several = 0;
				free(best);
				best = clean;
				best_score = score;
			} else
				free(clean);
		}
	}
	if (several) {
		free(best);
		return NULL;
	}
	return best;
}
