/*
 * appointments: the candidate appointments of a mail, a date with its
 * time judged by the words around it (step 2 of the comment at the top
 * of convocation.c), and their places (step 3).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parsers/address.h"
#include "parsers/extract.h"
#include "parsers/frdate.h"

/* ---------------------------------------- dates and times */

/* The text between two tokens on one line is only connecting words:
   "à", ",", "de", "entre", "at", "from", "heure :", a TAB. */
static int
connecting(const char *s, size_t a, size_t b)
{
	size_t i;

	if (b < a || b - a > 45)
		return 0;
	for (i = a; i < b; i++) {
		if (s[i] == '\n')
			return 0;
		if (s[i] == '.' && i + 1 < b && s[i + 1] == ' ')
			return 0;
	}
	return 1;
}

/*
 * Resolve a date written without a year from the reference date ry-rm-rd
 * (the letter's own date, else the mail's; ry 0: none, then the largest
 * year written in the mail).
 */
static int
resolve_year(const struct frdate_token *t, int ry, int rm, int rd,
    int fallback_year)
{
	long d, r;
	int y;

	if (t->year != 0)
		return t->year;
	if (ry == 0) {
		if (fallback_year == 0)
			return 0;
		return frdate_valid(fallback_year, t->month, t->day) ?
		    fallback_year : 0;
	}
	r = frdate_days(ry, rm, rd);
	for (y = ry; y <= ry + 1; y++) {
		if (!frdate_valid(y, t->month, t->day))
			continue;
		d = frdate_days(y, t->month, t->day);
		if (d < r - 45)
			continue;
		/* a written weekday must agree ("lundi 5 juin" mailed in
		   July: not Wednesday 5 June of next year) */
		if (t->weekday >= 0 && frdate_weekday(y, t->month, t->day) !=
		    t->weekday)
			continue;
		return y;
	}
	/* the weekday says which year: maybe a past one (then the date is
	   a reference, dropped later as past) */
	if (t->weekday >= 0)
		for (y = ry; y >= ry - 1; y--)
			if (frdate_valid(y, t->month, t->day) &&
			    frdate_weekday(y, t->month, t->day) == t->weekday)
				return y;
	return 0;
}

/* Lines between folded a and b (a <= b). */
static int
lines_between(const char *s, size_t a, size_t b)
{
	int n = 0;

	for (; a < b; a++)
		if (s[a] == '\n')
			n++;
	return n;
}

/* Skip a list bullet ("- ", "* ") at folded a of [a, b). */
static size_t
skip_bullet(const char *s, size_t a, size_t b)
{
	a = ft_skip_ws(s, a, b);
	while (a < b && (s[a] == '*' || s[a] == '-') && a + 1 < b &&
	    (s[a + 1] == ' ' || s[a + 1] == '\t'))
		a = ft_skip_ws(s, a + 1, b);
	return a;
}

/*
 * A table row of several dates, one per TAB column ("Date<TAB>05/09/2023
 * <TAB>19/09/2023" under "Ancien rendez-vous<TAB>Nouveau rendez-vous"):
 * *col is the column of date token k among the row's dates, *ncol their
 * number.  0 when the line has a single date.
 */
static int
date_column(const struct doc *d, size_t k, size_t *col, size_t *ncol)
{
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t ls = ft_line_start(s, t[k].start), le, j;

	le = ft_line_end(s, d->f.len, t[k].start);
	if (memchr(s + ls, '\t', le - ls) == NULL)
		return 0;
	*col = *ncol = 0;
	for (j = k; j > 0 && t[j - 1].start >= ls; j--)
		if (t[j - 1].kind == FRDATE_DATE)
			(*col)++;
	for (; j < d->ntok && t[j].start < le; j++) {
		if (t[j].kind != FRDATE_DATE)
			return 0;	/* a time in the row: not a date row */
		(*ncol)++;
	}
	return *ncol >= 2;
}

/* TAB-separated cells of folded [ls, le), empty ones skipped. */
static size_t
tab_cells(const char *s, size_t ls, size_t le, size_t *ca, size_t *cb,
    size_t max)
{
	size_t n = 0, i, st = ls;

	for (i = ls; i <= le && n < max; i++)
		if (i == le || s[i] == '\t') {
			if (!ft_blank(s, st, i)) {
				ca[n] = st;
				cb[n] = i;
				n++;
			}
			st = i + 1;
		}
	return n;
}

/* Folded [a, b) ends a sentence at a: ". ", ".\n", "!", "?", or a blank
   line. */
static int
sentence_end(const char *s, size_t len, size_t i)
{
	if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
	    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\n'))
		return 1;
	return s[i] == '\n' && i + 1 < len && s[i + 1] == '\n';
}

/*
 * The time said in one sentence [a, b): its only time, said as the hour
 * you are expected (kw_time_anchor before it in the sentence), not office
 * hours; no date in the sentence.  The token, -1 when not so.  *bp is
 * cut at the time's line when an address block follows it.
 */
static long
anchored_time(const struct doc *d, size_t k, size_t a, size_t *bp)
{
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t j, found = 0, b = *bp;
	long tj = -1;

	for (j = k + 1; j < d->ntok && t[j].start < b; j++) {
		if (t[j].start < a)
			continue;
		if (t[j].kind == FRDATE_DATE)
			return -1;
		if (found++ == 0) {
			tj = (long)j;
			/* "... présentez-vous à 8 heures 15 à l'accueil
			   du centre médical :" then the address block:
			   the sentence ends with the time's line; a time
			   on the line below a ':' starts a list */
			if (lines_between(s, a, t[j].start) > 0 &&
			    ft_ends(s, a, ft_line_end(s, d->f.len, a), ":"))
				return -1;
			if ((size_t)ft_line_end(s, d->f.len, t[j].start) < b)
				b = ft_line_end(s, d->f.len, t[j].start);
		}
	}
	*bp = b;
	if (found != 1 || !ft_any(s, a, t[tj].start, kw_time_anchor) ||
	    ft_any(s, a, b, kw_hours))
		return -1;
	return tj;
}

/*
 * The date's sentence gives no time; the sentences after it do: "...
 * fixée au jeudi 12 mars 2026. Vous êtes attendu à 10h00.", "... aura
 * lieu le vendredi 17 avril 2026.\nCe jour-là, présentez-vous à 8 heures
 * 15", or one time per sentence for two visits of that day ("La visite
 * d'accueil commence à 8h30. La visite médicale suivra, à 10h45.").  At
 * most max times into tj[] (their sentences into sa[], sb[]), from the
 * sentences right after the date's, each within 300 bytes, as long as
 * each gives one (anchored_time).  Their number.
 */
static size_t
sentence_times(const struct doc *d, size_t k, long *tj, size_t *sa,
    size_t *sb, size_t max)
{
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t i, a, b, n = 0, prev;
	long j;

	for (i = t[k].end; i < d->f.len && !sentence_end(s, d->f.len, i); i++)
		if (i - t[k].end > 200)
			return 0;
	/* a time later in the date's own sentence is that sentence's */
	if (k + 1 < d->ntok && t[k + 1].start < i)
		return 0;
	for (prev = t[k].end; n < max; prev = b) {
		for (a = i + 1; a < d->f.len && (s[a] == ' ' ||
		    s[a] == '\n' || s[a] == '\t'); a++)
			;
		if (a >= d->f.len || a - prev > 250)
			break;
		for (b = a; b < d->f.len && !sentence_end(s, d->f.len, b) &&
		    b - a < 300; b++)
			;
		i = b;
		if ((j = anchored_time(d, k, a, &b)) < 0)
			break;
		tj[n] = j;
		sa[n] = a;
		sb[n++] = b;
	}
	return n;
}

/* The one time of the sentence after the date's (sentence_times), or
   -1 (none, or one per visit: those are listed by find_candidates). */
static long
next_sentence_time(const struct doc *d, size_t k)
{
	long tj[2];
	size_t sa[2], sb[2];

	return sentence_times(d, k, tj, sa, sb, 2) == 1 ? tj[0] : -1;
}

/*
 * A form: the date in a labelled field ("Date du rendez-vous :
 * 14/04/2026", "Date : 2026-03-10", or a table row "Date<TAB>2026-03-10")
 * and the time in another, lines away
 * ("Heure : 13h30", "Heure de passage : 11:15"), maybe in a later block.
 * The nearest labelled time line within 1,500 bytes after the date (or
 * 400 before) that holds no date.
 */
static long
form_time(const struct doc *d, size_t k)
{
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t ls = ft_line_start(s, t[k].start), a, c, j, jl, je, from;
	long before = -1;

	a = skip_bullet(s, ls, t[k].start);
	/* "Date du rendez-vous :" (or its cell) right before the date */
	for (c = t[k].start; c > a && s[c - 1] == ' ';
	    c--)
		;
	if (c == a || (s[c - 1] != ':' && s[c - 1] != '\t') || c - a > 40 ||
	    (!ft_starts(s, a, c, "date") && !ft_starts(s, a, c, "jour") &&
	    !ft_starts(s, a, c, "day") && !ft_starts(s, a, c, "rendez-vous")))
		return -1;
	/* "Date de naissance :", "Date d'émission :" label no visit */
	if (ft_any(s, a, c, kw_birth) || ft_any(s, a, c, kw_not_appt) ||
	    ft_any(s, a, c, kw_not_visit_label))
		return -1;
	for (from = k; from > 0 && t[from - 1].start + 400 >= t[k].start;
	    from--)
		;
	for (j = from; j < d->ntok; j++) {
		if (t[j].kind == FRDATE_DATE || j == k)
			continue;
		if (t[j].start > t[k].end + 1500)
			break;
		jl = ft_line_start(s, t[j].start);
		je = ft_line_end(s, d->f.len, t[j].start);
		a = skip_bullet(s, jl, t[j].start);
		if (!(ft_starts(s, a, je, "heure") ||
		    ft_starts(s, a, je, "horaire") ||
		    ft_starts(s, a, je, "time")) ||
		    (ft_find(s, a, t[j].start, ":") < 0 &&
		    memchr(s + a, '\t', t[j].start - a) == NULL) ||
		    t[j].start - a > 40)
			continue;
		/* a date on the time's line: that date's time */
		if ((j > 0 && t[j - 1].kind == FRDATE_DATE &&
		    t[j - 1].start >= jl) || (j + 1 < d->ntok &&
		    t[j + 1].kind == FRDATE_DATE && t[j + 1].start < je))
			continue;
		if (t[j].start > t[k].start)
			return before >= 0 && t[k].start - t[before].start <
			    t[j].start - t[k].start ? before : (long)j;
		before = (long)j;
	}
	return before;
}

/* The time that belongs to the date token k of doc d, or -1. */
static long
time_for_date(const struct doc *d, size_t k)
{
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t j, le, nl, nle, a, ab, ls, col, ncol, n;
	int lines;

	/* A row of dates: the time in the same column of the next rows
	   ("Heure<TAB>14h00<TAB>9h30"). */
	if (date_column(d, k, &col, &ncol)) {
		le = ft_line_end(s, d->f.len, t[k].start);
		for (lines = 0, nl = le; lines < 2 && nl < d->f.len; lines++) {
			nl++;
			nle = ft_line_end(s, d->f.len, nl);
			for (j = k + 1; j < d->ntok && t[j].start < nl; j++)
				;
			for (n = 0; j + n < d->ntok && t[j + n].start < nle &&
			    t[j + n].kind != FRDATE_DATE; n++)
				;
			if (n == ncol && (j + n == d->ntok ||
			    t[j + n].start >= nle))
				return (long)(j + col);
			nl = nle;
		}
	}
	/* After the date on its line. */
	if (k + 1 < d->ntok && t[k + 1].kind != FRDATE_DATE &&
	    connecting(s, t[k].end, t[k + 1].start))
		return (long)(k + 1);
	/* Before it: "à 9h30, le mardi 8 mars". */
	if (k > 0 && t[k - 1].kind != FRDATE_DATE &&
	    (k < 2 || t[k - 2].kind != FRDATE_DATE ||
	    !connecting(s, t[k - 2].end, t[k - 1].start)) &&
	    t[k].start - t[k - 1].end <= 25 &&
	    connecting(s, t[k - 1].end, t[k].start))
		return (long)(k - 1);
	/* On one of the two lines above, labelled: "Heure : 9h30" then
	   "Date : 12/03/2024". */
	ls = ft_line_start(s, t[k].start);
	for (j = k; j-- > 0 && t[j].start + 200 > t[k].start;) {
		if (t[j].kind == FRDATE_DATE)
			break;
		if (t[j].end > ls || lines_between(s, t[j].end, ls) > 2)
			continue;
		a = skip_bullet(s, ft_line_start(s, t[j].start), t[j].start);
		if (ft_starts(s, a, t[j].start, "heure") ||
		    ft_starts(s, a, t[j].start, "horaire") ||
		    ft_starts(s, a, t[j].start, "time"))
			return (long)j;
		break;
	}
	/* On one of the next two lines, labelled: "Heure : 14h45". */
	le = ft_line_end(s, d->f.len, t[k].end);
	for (lines = 0, nl = le; lines < 2 && nl < d->f.len; lines++) {
		nl++;
		nle = ft_line_end(s, d->f.len, nl);
		a = ft_skip_ws(s, nl, nle);
		ab = skip_bullet(s, nl, nle);
		for (j = k + 1; j < d->ntok && t[j].start < nle; j++) {
			if (t[j].start < nl)
				continue;
			if (t[j].kind == FRDATE_DATE)
				return -1;
			/* "- Heure : 13h45" in a bulleted summary (a bullet
			   alone, "- à 9h00 pour ...", starts a list of times
			   for listed_times) */
			if (ab > a && t[j].start - ab < 30 &&
			    (ft_starts(s, ab, nle, "heure") ||
			    ft_starts(s, ab, nle, "horaire") ||
			    ft_starts(s, ab, nle, "time")))
				return (long)j;
			if (t[j].start == a || (t[j].start - a < 30 &&
			    (ft_starts(s, a, nle, "heure") ||
			    ft_starts(s, a, nle, "horaire") ||
			    ft_starts(s, a, nle, "time") ||
			    ft_starts(s, a, nle, "a ") ||
			    ft_starts(s, a, nle, "de ") ||
			    ft_starts(s, a, nle, "entre ") ||
			    ft_starts(s, a, nle, "creneau") ||
			    ft_starts(s, a, nle, "accueil"))))
				return (long)j;
			break;
		}
		nl = nle;
	}
	if ((j = (size_t)form_time(d, k)) != (size_t)-1)
		return (long)j;
	return next_sentence_time(d, k);
}

/*
 * The times of doc d that a form's labelled date takes (form_time): no
 * other date of the form may take them ("Validité du visa : du ... au
 * 14/09/2024" then "Heure de passage : 11:15").  claim[j] is the date
 * token's index + 1, or 0.  NULL when out of memory (then no claims).
 */
static unsigned *
form_claims(const struct doc *d)
{
	unsigned *claim;
	size_t k;
	long j;

	if (d->ntok == 0 || (claim = calloc(d->ntok, sizeof(*claim))) == NULL)
		return NULL;
	for (k = 0; k < d->ntok; k++)
		if (d->tok[k].kind == FRDATE_DATE &&
		    (j = form_time(d, k)) >= 0 && claim[j] == 0)
			claim[j] = (unsigned)k + 1;
	return claim;
}

/* Is a time window on this line opening or phone hours? */
static int
hours_line(const char *s, size_t a, size_t b)
{
	return ft_any(s, a, b, kw_hours);
}

static enum appt_type
type_for(const struct doc *d, size_t dpos, size_t lend, const char *subj,
    size_t sublen)
{
	const char *s = d->f.s;
	size_t a = dpos > 500 ? dpos - 500 : 0;
	long pc, pm, px, best;

	/* A table row ("17/03/2026<TAB>08h15<TAB>Radiographie pulmonaire
	   <TAB>Centre X"): the first type its own cells name, not the words
	   above the table. */
	if (memchr(s + dpos, '\t', lend - dpos) != NULL) {
		pc = dfirst_after(d, dpos, lend, kw_cir);
		pm = dfirst_after(d, dpos, lend, kw_medical);
		px = dfirst_after(d, dpos, lend, kw_xray);
		if (px >= 0 && (pc < 0 || px < pc) && (pm < 0 || px < pm))
			return APPT_XRAY;
		if (pc >= 0 && (pm < 0 || pc < pm))
			return APPT_CIR;
		if (pm >= 0)
			return APPT_MEDICAL;
	}
	pc = dnearest_before(d, a, dpos, kw_cir);
	pm = dnearest_before(d, a, dpos, kw_medical);
	px = dnearest_before(d, a, dpos, kw_xray);
	/* The X-ray wins only when it is the subject of the date's own
	   sentence ("radiographie pulmonaire le 3 mars à 9h"). */
	if (px >= 0 && px > pc && px > pm) {
		size_t i;
		int sentence = 1;

		for (i = (size_t)px; i < dpos; i++)
			if ((s[i] == '.' && i + 1 < dpos && (s[i + 1] == ' ' ||
			    s[i + 1] == '\n')) || (s[i] == '\n' && i + 1 < dpos &&
			    s[i + 1] == '\n'))
				sentence = 0;
		/* "un examen médical avec une radiographie, le 12 mars à
		   9h" is the medical visit */
		if (sentence && dpos - (size_t)px < 200 &&
		    ft_find(s, ft_line_start(s, (size_t)px), dpos, "visite medicale") < 0 &&
		    ft_find(s, ft_line_start(s, (size_t)px), dpos, "examen medical") < 0 &&
		    ft_find(s, ft_line_start(s, (size_t)px), dpos, "medical examination") < 0)
			return APPT_XRAY;
		px = -1;
	}
	best = pc > pm ? pc : pm;
	if (best >= 0)
		return pc > pm ? APPT_CIR : APPT_MEDICAL;
	/* Words after the date on its line, then the whole doc, then the
	   subject. */
	if (dany(d, dpos, lend, kw_cir) && !dany(d, dpos, lend, kw_medical))
		return APPT_CIR;
	pc = ft_find(s, 0, d->f.len, "integration republicaine");
	pm = ft_find(s, 0, d->f.len, "medical");
	if (pc >= 0 && (pm < 0 || pc < pm))
		return APPT_CIR;
	if (pm < 0 && subj != NULL && (ft_any(subj, 0, sublen, kw_cir)))
		return APPT_CIR;
	return APPT_MEDICAL;
}

/*
 * Whose slot candidate c is, in a letter for several people: the name
 * that starts the time's line ("- Mme HAIDARI Nargis, née le 23/02/1994
 * : 9h00"), or the date's line ("HAIDARI Omid : le 8 avril à 9h30"), or
 * the line right above the date's, with a birth date ("RAKOTOMALALA
 * Toky, né le 11/09/2009" above "Lundi 23 juin 2025 à 9h30").
 */
static void
slot_of(const struct doc *d, struct cand *c, const struct frdate_token *t,
    const struct frdate_token *tt)
{
	const char *s = d->f.s;
	size_t ls = ft_line_start(s, t->start), tl, pl, n;
	char *name = NULL;

	tl = ft_line_start(s, tt->start);
	if (tl != ls)
		name = slot_person(d, tl, tt->start);
	if (name == NULL)
		name = slot_person(d, ls, t->start);
	if (name == NULL && ls > 0) {
		pl = ft_line_start(s, ls - 1);
		if (ft_any(s, pl, ls - 1, kw_birth))
			name = slot_person(d, pl, ls - 1);
	}
	/* a card: the name alone on its line, above the birth line and the
	   labelled time ("KOUASSI Yao" / "Date de naissance : ..." /
	   "Heure de passage : 8h30") */
	for (n = 0; name == NULL && tl != ls && tl > 0 && n < 3; n++) {
		pl = ft_line_start(s, tl - 1);
		if (ft_blank(s, pl, tl - 1))
			break;
		if (!ft_any(s, pl, tl - 1, kw_birth)) {
			name = slot_person(d, pl, tl - 1);
			break;
		}
		/* "KAMARA Fatoumata, née le 02/11/1988" above "Visite
		   médicale à 9h00" */
		if ((name = slot_person(d, pl, tl - 1)) != NULL)
			break;
		tl = pl;
	}
	if (name != NULL && strlen(name) < sizeof(c->person))
		memcpy(c->person, name, strlen(name) + 1);
	free(name);
}

/* Add a candidate for date token t with time token tt (tend: where the
   place search starts). */
static void
add_cand(struct ctx *x, size_t di, const struct frdate_token *t,
    const struct frdate_token *tt, int year, size_t tend, int type)
{
	struct doc *d = &x->cd.docs[di];
	const char *s = d->f.s;
	struct cand *c;
	size_t ls, le, a, b;

	if (x->ncands == MAX_CANDS)
		return;
	ls = ft_line_start(s, t->start);
	le = ft_line_end(s, d->f.len, tend);
	c = &x->cands[x->ncands];
	memset(c, 0, sizeof(*c));
	c->doc = di;
	c->dpos = t->start;
	c->tpos = tt->start;
	c->tend = tend;
	c->start.year = year;
	c->start.month = t->month;
	c->start.day = t->day;
	c->start.hour = tt->hour;
	c->start.minute = tt->minute;
	if (tt->kind == FRDATE_WINDOW) {
		c->end = c->start;
		c->end.hour = tt->end_hour;
		c->end.minute = tt->end_minute;
	}
	/* Old date of a reschedule or the cancelled one: words before it on
	   its line ("Ancien rendez-vous :"), on the line above ending with
	   ':', or a statement right after it ("... à 10h00 ne peut être
	   maintenue", "... est annulée"). */
	a = t->start > 100 ? t->start - 100 : 0;
	for (b = t->start; b > a; b--)
		if ((s[b - 1] == '.' || s[b - 1] == '\n') && b < t->start &&
		    (s[b] == ' ' || s[b] == '\n') &&
		    (s[b - 1] == '.' || (b >= 2 && (s[b - 2] == '\n' ||
		    s[b - 2] == ':'))))
			break;
	a = b;
	/* the nearest word wins: "annule et remplace celle qui vous
	   convoquait le ..." is old, "Ancien : X\nNouveau : Y" new */
	{
		long po = dnearest_before(d, a, t->start, kw_old);
		long pn = dnearest_before(d, a, t->start, kw_new);

		c->is_new = pn >= 0 && pn > po;
		c->old = po >= 0 && po > pn;
	}
	if (!c->old && !c->is_new && ls > 0) {
		size_t pls = ft_line_start(s, ls - 1);

		if (ft_ends(s, pls, ls - 1, ":") &&
		    dany(d, pls, ls - 1, kw_old) && !dany(d, pls, ls - 1, kw_new))
			c->old = 1;
	}
	/* A row of dates under a header row: the column's header says
	   old or new ("Ancien rendez-vous<TAB>Nouveau rendez-vous"). */
	{
		size_t k = (size_t)(t - d->tok), col, ncol, ca[8], cb[8], n,
		    hl, hle, lines, dc, da[8], db[8];

		if (k < d->ntok && &d->tok[k] == t &&
		    date_column(d, k, &col, &ncol) && ls > 0) {
			dc = tab_cells(s, ls,
			    ft_line_end(s, d->f.len, t->start), da, db, 8);
			for (lines = 0, hle = ls - 1; lines < 2; lines++) {
				hl = ft_line_start(s, hle);
				n = tab_cells(s, hl, hle, ca, cb, 8);
				/* the row has a label cell the header may
				   lack */
				if (n >= ncol && (n == dc || n + 1 == dc)) {
					size_t h = col + n - ncol;
					int o = dany(d, ca[h], cb[h], kw_old),
					    nw = dany(d, ca[h], cb[h], kw_new);

					if (o != nw) {
						c->old = o;
						c->is_new = nw;
					}
					break;
				}
				if (hl == 0)
					break;
				hle = hl - 1;
			}
		}
	}
	if (!c->old && !c->is_new) {
		ft_sentence(s, d->f.len, tend, &a, &b);
		if (b > tend && b - tend < 200 &&
		    ft_any_flat(s, tend, b, kw_old_after))
			c->old = 1;
	}
	c->type = type >= 0 ? (enum appt_type)type :
	    type_for(d, t->start, le, x->subj.s, x->subj.len);
	slot_of(d, c, t, tt);
	x->ncands++;
}

/* "Heures de passage :" then "- Monsieur X .... 9h00" lines under a date
   without a time: one candidate per time. */
static int
listed_times(struct ctx *x, size_t di, size_t k, int year,
    const unsigned *claim)
{
	struct doc *d = &x->cd.docs[di];
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t l, e, a, i, j, n, lead, label = 0, ca[8], cb[8], nc, c;
	int found = 0, alone, in_list = 0, plain = 0, near = 1, hcol = -1,
	    bcol = -1, label_list = 0;

	l = ft_line_end(s, d->f.len, t[k].end);
	/* "Le mardi 26 mars 2024, vous êtes convoqué :" then a list */
	if (ft_ends(s, ft_line_start(s, t[k].start), l, ":"))
		in_list = 1;
	for (n = 0; n < 14 && l < d->f.len; n++) {
		int is_label = 0, is_item;

		l++;
		e = ft_line_end(s, d->f.len, l);
		a = ft_skip_ws(s, l, e);
		if (ft_starts(s, a, e, "heure") ||
		    ft_starts(s, a, e, "horaire") || ft_starts(s, a, e, "time"))
			label = is_label = in_list = 1;
		is_item = ft_list_item(s, l, e, &alone);
		/* "Horaire de passage de chaque personne :" alone on its
		   line: the lines below that give a time are its list */
		if (is_label && ft_ends(s, a, e, ":"))
			label_list = 1;
		else if (label_list && !is_item && !ft_blank(s, l, e) &&
		    !hours_line(s, l, e)) {
			for (j = k + 1; j < d->ntok && t[j].start < e; j++)
				if (t[j].start >= l && t[j].kind != FRDATE_DATE)
					break;
			if (j < d->ntok && t[j].start < e)
				is_item = 1;
		}
		/* A table of slots: a header row with an "Heure" column
		   ("Nom et prénom<TAB>Date de naissance<TAB>Heure"), then
		   one row per person; its rows are the list's items. */
		if (memchr(s + l, '\t', e - l) != NULL) {
			nc = tab_cells(s, l, e, ca, cb, 8);
			if (hcol < 0 && !found) {
				for (c = 0; c < nc; c++) {
					a = ca[c];
					if (ft_starts(s, a, cb[c], "heure") ||
					    ft_starts(s, a, cb[c], "horaire") ||
					    ft_starts(s, a, cb[c], "creneau") ||
					    ft_starts(s, a, cb[c], "time"))
						hcol = (int)c;
					if (ft_any(s, a, cb[c], kw_birth) ||
					    ft_find(s, a, cb[c], "naissance") >= 0)
						bcol = (int)c;
				}
				if (hcol >= 0) {
					in_list = 1;
					near = 1;
					l = e;
					continue;
				}
				bcol = -1;
			} else if (hcol >= 0 && nc > (size_t)hcol)
				is_item = 1;
		}
		/* a member's card: "KOUASSI Yao" / "Date de naissance :
		   14/08/1984" / "Heure de passage : 8h30"; the birth line
		   is part of it */
		if (!is_label && !is_item && ft_any(s, l, e, kw_birth)) {
			plain = 0;
			l = e;
			continue;
		}
		if (is_label)
			plain = 0;
		/* past the list: plain lines once items were seen (one
		   wrapped line of an item is fine) */
		if (!is_label && !is_item && !ft_blank(s, l, e) && found &&
		    ++plain > 1)
			break;
		/* the date's sentence may wrap over two more lines before
		   a list that is not announced by ":" */
		if (!is_label && !is_item && !ft_blank(s, l, e) && !found &&
		    n >= 2)
			near = 0;
		if (is_item)
			plain = 0;
		/* An item led by its time, "- à 8h30 : visite d'accueil",
		   right under the date's sentence is a time of that day
		   even without ":" announcing the list; office hours are
		   not. */
		lead = 0;
		if (is_item && !alone && near && !hours_line(s, l, e)) {
			lead = skip_bullet(s, l, e);
			if (ft_starts(s, lead, e, "a "))
				lead += 2;
			else if (ft_starts(s, lead, e, "at "))
				lead += 3;
		}
		for (j = k + 1; j < d->ntok && t[j].start < e; j++) {
			if (t[j].start < l)
				continue;
			/* a family member's birth date on an item of the
			   list is no new day: "- M. HAIDARI Farid, né le
			   11/06/1986 : 8h30" */
			if (t[j].kind == FRDATE_DATE &&
			    ft_any(s, l, t[j].start, kw_birth))
				continue;
			/* ... or in the table's birth date column, and only
			   the time column's time is the slot's */
			if (hcol >= 0 && is_item) {
				nc = tab_cells(s, l, e, ca, cb, 8);
				for (c = 0; c < nc && cb[c] <= t[j].start; c++)
					;
				if (c < nc && ca[c] <= t[j].start &&
				    (int)c == bcol && t[j].kind == FRDATE_DATE)
					continue;
				if (t[j].kind != FRDATE_DATE &&
				    !(c < nc && (int)c == hcol))
					continue;
			}
			if (t[j].kind == FRDATE_DATE)
				return found;
			/* "Heure : 13h30" lines below, past other fields
			   ("Adresse personnelle : ...") is a form's time,
			   for its labelled date (form_time) */
			if (is_label && !is_item && !near && !found)
				continue;
			if (claim != NULL && claim[j] != 0 &&
			    claim[j] != k + 1)
				continue;
			if (!(in_list && (is_label || is_item)) &&
			    !(lead > 0 && t[j].start == lead))
				continue;
			/* each item may have its own place and type:
			   "- à 14h00 pour l'entretien CIR (OFII, ...)" */
			for (i = 0; i < d->naddr; i++)
				if (d->addr[i].pc_start >= t[j].end &&
				    d->addr[i].pc_start < e)
					break;
			add_cand(x, di, &t[k], &t[j], year,
			    i < d->naddr ? t[j].end : t[k].end,
			    dany(d, t[j].end, e, kw_cir) ? APPT_CIR :
			    dany(d, t[j].end, e, kw_medical) ? APPT_MEDICAL :
			    dany(d, t[j].end, e, kw_xray) ? APPT_XRAY : -1);
			found = 1;
		}
		l = e;
	}
	(void)label;
	return found;
}

/* One date, then one sentence per visit of that day, each with its time
   (sentence_times) and an appointment word: a candidate each, typed by
   its sentence. */
static void
sentence_slots(struct ctx *x, size_t di, size_t k, int year)
{
	struct doc *d = &x->cd.docs[di];
	long tj[4];
	size_t sa[4], sb[4], n, i;

	if ((n = sentence_times(d, k, tj, sa, sb, 4)) < 2 ||
	    !dany(d, sa[0], sb[n - 1], kw_appt))
		return;
	for (i = 0; i < n; i++)
		add_cand(x, di, &d->tok[k], &d->tok[tj[i]], year, sb[i],
		    dany(d, sa[i], sb[i], kw_cir) ? APPT_CIR :
		    dany(d, sa[i], sb[i], kw_medical) ? APPT_MEDICAL :
		    dany(d, sa[i], sb[i], kw_xray) ? APPT_XRAY : -1);
}

/*
 * Only the time changes, on the same day: after date token k (and its
 * time tj, or -1), in the same sentence, "à 8h00 au lieu de 9h30" or
 * "... est avancé à 8h00".  Sets the new and the old time token (-1 when
 * the letter does not give it); 0 if no such change is written.
 */
static int
time_change(const struct doc *d, size_t k, long tj, long *newt, long *oldt)
{
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t j, lim, prev_end, i;
	long prev = tj;

	*newt = *oldt = -1;
	prev_end = tj >= 0 ? t[tj].end : t[k].end;
	/* the sentence after the date: up to ". ", a blank line, 300 bytes */
	for (lim = prev_end; lim < d->f.len && lim - prev_end < 300; lim++) {
		if ((s[lim] == '.' || s[lim] == '!' || s[lim] == '?') &&
		    (lim + 1 == d->f.len || s[lim + 1] == ' ' ||
		    s[lim + 1] == '\n'))
			break;
		if (s[lim] == '\n' && lim + 1 < d->f.len && s[lim + 1] == '\n')
			break;
	}
	for (j = (tj >= 0 ? (size_t)tj : k) + 1; j < d->ntok &&
	    t[j].start < lim; j++) {
		if (t[j].kind == FRDATE_DATE)
			return 0;
		if (t[j].kind != FRDATE_TIME)
			continue;
		/* the words between the previous time (or the date) and
		   this one */
		i = prev_end;
		if (prev >= 0 && ft_any(s, i, t[j].start, kw_instead)) {
			*newt = prev;
			*oldt = (long)j;
			return 1;
		}
		if (prev >= 0 && ft_any(s, i, t[j].start, kw_time_moved)) {
			*newt = (long)j;
			*oldt = prev;
			return 1;
		}
		if (prev < 0 && ft_any(s, i, t[j].start, kw_time_moved)) {
			*newt = (long)j;
			return 1;
		}
		prev = (long)j;
		prev_end = t[j].end;
	}
	/* "à 8h00 (et non à 9h30)" was handled above; a time alone after
	   the date is not a change */
	return 0;
}

/* An example on an information sheet: "exemple" in the 250 bytes
   before the date, within its paragraph. */
static int
example_date(const struct doc *d, size_t pos)
{
	const char *s = d->f.s;
	size_t a = pos > 250 ? pos - 250 : 0, i;

	for (i = pos; i > a + 1; i--)
		if (s[i - 1] == '\n' && s[i - 2] == '\n') {
			a = i;
			break;
		}
	return dany(d, a, pos, kw_example);
}

/* The writer's own appointment: a first-person phrase before the date in
   its sentence ("Je suis convoqué le mardi 12 septembre à 9h00"). */
static int
first_person_date(const struct doc *d, size_t pos)
{
	return dany_in_sentence_before(d, pos, 200, kw_first_person);
}

/*
 * Every candidate appointment of the docs into x->cands (at most
 * MAX_CANDS); date_utc is the mail's Date header, or (time_t)-1.
 */
void
find_candidates(struct ctx *x, time_t date_utc)
{
	size_t di, j, k, ls, le, a, w0, n0;
	long tj, tnew, told;
	int maxyear = 0, y, ry, rm, rd;
	struct doc *d;
	const struct frdate_token *t, *tt;
	unsigned *claim;

	for (di = 0; di < x->cd.ndocs; di++)
		for (k = 0; k < x->cd.docs[di].ntok; k++)
			if (x->cd.docs[di].tok[k].kind == FRDATE_DATE &&
			    x->cd.docs[di].tok[k].year > maxyear)
				maxyear = x->cd.docs[di].tok[k].year;
	for (di = 0; di < x->cd.ndocs; di++) {
		d = &x->cd.docs[di];
		doc_ref(&x->cd, di, date_utc, &ry, &rm, &rd);
		claim = form_claims(d);
		for (k = 0; k < d->ntok && x->ncands < MAX_CANDS; k++) {
			t = &d->tok[k];
			if (t->kind != FRDATE_DATE)
				continue;
			if ((y = resolve_year(t, ry, rm, rd, maxyear)) == 0)
				continue;
			ls = ft_line_start(d->f.s, t->start);
			/* the words just before the date on its line */
			w0 = t->start > 60 ? t->start - 60 : 0;
			if (w0 < ls)
				w0 = ls;
			/* a word before an earlier date of the line labels
			   that date: "votre enfant, née le 03/05/2015, est
			   convoquée le lundi 21 octobre" */
			for (j = k; j-- > 0 && d->tok[j].end > w0;)
				if (d->tok[j].kind == FRDATE_DATE) {
					w0 = d->tok[j].end;
					break;
				}
			if (dany_word(d, w0, t->start, kw_not_appt))
				continue;
			if (example_date(d, t->start) ||
			    first_person_date(d, t->start))
				continue;
			tj = time_for_date(d, k);
			if (tj >= 0 && claim != NULL && claim[tj] != 0 &&
			    claim[tj] != k + 1)
				tj = -1;
			if (time_change(d, k, tj, &tnew, &told)) {
				a = t->start > 300 ? t->start - 300 : 0;
				if (!dany(d, a, ft_line_end(d->f.s, d->f.len,
				    d->tok[tnew].end), kw_appt))
					continue;
				n0 = x->ncands;
				add_cand(x, di, t, &d->tok[tnew], y,
				    d->tok[tnew].end > t->end ?
				    d->tok[tnew].end : t->end, -1);
				if (x->ncands > n0) {
					x->cands[n0].old = 0;
					x->cands[n0].is_new = 1;
				}
				if (told < 0)
					continue;
				n0 = x->ncands;
				add_cand(x, di, t, &d->tok[told], y,
				    d->tok[told].end, -1);
				if (x->ncands > n0) {
					x->cands[n0].old = 1;
					x->cands[n0].is_new = 0;
				}
				continue;
			}
			if (tj < 0) {
				a = t->start > 300 ? t->start - 300 : 0;
				if (!dany(d, a, ft_line_end(d->f.s, d->f.len,
				    t->end), kw_appt) ||
				    !listed_times(x, di, k, y, claim))
					sentence_slots(x, di, k, y);
				continue;
			}
			tt = &d->tok[tj];
			le = ft_line_end(d->f.s, d->f.len,
			    tt->end > t->end ? tt->end : t->end);
			if (tt->kind == FRDATE_WINDOW &&
			    hours_line(d->f.s, ls, le))
				continue;
			/* some appointment word nearby */
			a = t->start > 300 ? t->start - 300 : 0;
			if (!dany(d, a, le, kw_appt))
				continue;
			/* newsletters, doctors booked elsewhere */
			a = t->start > 200 ? t->start - 200 : 0;
			if ((dany(d, a, le, kw_newsletter) &&
			    ft_find(d->f.s, a, le, "convoc") < 0) ||
			    dany(d, ls, le, kw_newsletter))
				continue;
			if (dany_word(d, a, le, kw_gp) &&
			    ft_find(d->f.s, a, le, "ofii") < 0)
				continue;
			add_cand(x, di, t, tt, y,
			    tt->end > t->end ? tt->end : t->end, -1);
		}
		free(claim);
	}
}

/* ---------------------------------------- places */

/* A radiology centre: its name says so. */
int
is_radiology(const struct address *ad)
{
	struct folded_text f;
	int r = 0;

	if (ad->name == NULL)
		return 0;
	if (frdate_fold(ad->name, strlen(ad->name), &f, NULL) == -1)
		return 0;
	r = ft_any(f.s, 0, f.len, kw_xray) ||
	    ft_find(f.s, 0, f.len, "radio") >= 0 || ft_find(f.s, 0, f.len, "scanner") >= 0;
	frdate_fold_free(&f);
	return r;
}

/* Index of the first address of d whose postal code is at or after pos
   (address_scan gives them in text order). */
static size_t
addr_lower(const struct doc *d, size_t pos)
{
	size_t lo = 0, hi = d->naddr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->addr[mid].pc_start < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A Cedex address i that an earlier one of doc d already gave (the
   letter head, then the footer): the sender's mail address. */
static int
cedex_repeated(const struct doc *d, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (d->addr[j].cedex && strcmp(d->addr[j].postal_code,
		    d->addr[i].postal_code) == 0)
			return 1;
	return 0;
}

/*
 * The place a letter introduces with a label when the date stands apart
 * from it (a framed "RENDEZ-VOUS" field at the foot of the page, or the
 * date in the subject): an address whose first line carries "Adresse :" /
 * "Lieu :", or under a line ending "à l'adresse suivante :".  Only when
 * the mail has exactly one such address (else NULL).
 */
const struct address *
labelled_place(const struct ctx_docs *cd)
{
	const struct address *found = NULL, *ad;
	const struct doc *d;
	const char *s;
	size_t i, j, k, ls, le, pls, a, e, n;

	for (i = 0; i < cd->ndocs; i++) {
		d = &cd->docs[i];
		s = d->f.s;
		for (j = 0, n = 0; j < d->naddr && n < 64; j++, n++) {
			int hit = 0;

			ad = &d->addr[j];
			if (ad->recipient || ad->cedex || is_radiology(ad))
				continue;
			ls = ft_line_start(s, ad->start);
			le = ft_line_end(s, d->f.len, ad->start);
			a = skip_bullet(s, ls, le);
			for (k = 0; kw_place_label[k] != NULL && !hit; k++) {
				/* its colon (or its table cell's end)
				   within 16 bytes of the label */
				long colon;

				e = a + strlen(kw_place_label[k]) + 16;
				if (e > le)
					e = le;
				if ((colon = ft_find(s, a, e, ":")) < 0)
					colon = ft_find(s, a, e, "\t");
				if (ft_starts(s, a, le, kw_place_label[k]) &&
				    colon >= 0)
					/* "Adresse personnelle :" is the
					   addressee's */
					hit = !ft_any(s, a, (size_t)colon,
					    kw_own_place_label);
			}
			if (!hit && ls > 0) {
				pls = ft_line_start(s, ls - 1);
				hit = ft_ends(s, pls, ls - 1, ":") &&
				    (ft_find(s, pls, ls - 1, "adresse") >= 0 ||
				    ft_find(s, pls, ls - 1, "address") >= 0);
			}
			if (!hit)
				continue;
			if (found != NULL && strcmp(found->place, ad->place) != 0)
				return NULL;
			found = ad;
		}
	}
	return found;
}

const struct address *
place_for(const struct doc *d, const struct cand *c, const struct cand *cands,
    size_t ncands)
{
	const struct address *best = NULL, *ad;
	size_t i, j, stop = d->f.len, from, chain;
	int lines;

	/* The next appointment in this doc bounds the search forward,
	   unless it follows on the next line with no address between: a
	   list of days ("Journée 1 : ...\nJournée 2 : ...") then one
	   "Lieu :" for all of them. */
	for (from = c->tend, chain = 0; chain < MAX_CANDS; chain++) {
		const struct cand *next = NULL;

		for (j = 0; j < ncands; j++)
			if (cands[j].doc == c->doc && cands[j].dpos > from &&
			    !cands[j].old && (next == NULL ||
			    cands[j].dpos < next->dpos))
				next = &cands[j];
		if (next == NULL)
			break;
		stop = next->dpos;
		if (lines_between(d->f.s, from, next->dpos) > 1)
			break;
		/* addresses are in text order: the first at or after from */
		if ((i = addr_lower(d, from)) < d->naddr &&
		    d->addr[i].pc_start < next->dpos)
			break;
		stop = d->f.len;
		from = next->tend > next->dpos ? next->tend : next->dpos;
	}
	/* After the date: a Cedex address there is the office's own
	   ("3 rue Daniel Huet, 14053 Caen Cedex 4"), unlike a letter head. */
	for (i = 0; i < d->naddr; i++) {
		ad = &d->addr[i];
		if (ad->recipient)
			continue;
		if (c->type != APPT_XRAY && is_radiology(ad))
			continue;
		if (ad->pc_start >= c->tend && ad->pc_start < stop) {
			/* the letter head's Cedex line again, in a footer */
			if (ad->cedex && cedex_repeated(d, i))
				continue;
			lines = lines_between(d->f.s, c->tend, ad->pc_start);
			if (lines <= 7 && ad->pc_start - c->tend < 700)
				return ad;
		}
	}
	/* Before the date: "Lieu : ... / Date : ...". */
	for (i = d->naddr; i-- > 0;) {
		ad = &d->addr[i];
		if (ad->recipient || ad->cedex || ad->end > c->dpos)
			continue;
		if (c->type != APPT_XRAY && is_radiology(ad))
			continue;
		if (lines_between(d->f.s, ad->end, c->dpos) <= 4) {
			/* not the place of an earlier appointment */
			for (j = 0; j < ncands; j++)
				if (cands[j].doc == c->doc &&
				    cands[j].dpos < c->dpos &&
				    cands[j].dpos > ad->end)
					break;
			if (j == ncands)
				best = ad;
		}
		break;
	}
	return best;
}

/*
 * The name of a place the text gives without one ("RDV le 09/06 à 9h30,
 * 12 rue Paul Bellamy, 44000 Nantes"): the same street elsewhere in the
 * mail with a name, as a full address or as a street line under a name
 * line (a PDF whose columns came out of order: "Lieu :", "OFII - Service
 * médical", "12 rue Paul Bellamy", the postal code elsewhere).  malloc'd,
 * or NULL.
 */
char *
name_elsewhere(const struct ctx_docs *cd, const struct address *ad)
{
	struct folded_text fs;
	const struct doc *d;
	size_t i, j, from, ls, tries;
	long p;
	char *name = NULL;

	if (ad->street == NULL || ad->name != NULL ||
	    frdate_fold(ad->street, strlen(ad->street), &fs, NULL) == -1)
		return NULL;
	for (i = 0; i < cd->ndocs && name == NULL && fs.len >= 6; i++) {
		d = &cd->docs[i];
		for (j = 0; j < d->naddr; j++)
			if (d->addr[j].name != NULL && d->addr[j].street != NULL &&
			    strcmp(d->addr[j].postal_code, ad->postal_code) == 0 &&
			    strcmp(d->addr[j].street, ad->street) == 0 &&
			    !d->addr[j].recipient) {
				name = strdup(d->addr[j].name);
				break;
			}
		/* a few occurrences are enough (hostile text repeats) */
		for (from = 0, tries = 0; name == NULL && tries < 16 &&
		    (p = ft_find(d->f.s, from, d->f.len, fs.s)) >= 0;
		    from = (size_t)p + 1, tries++) {
			/* a street line of its own, or after a label */
			ls = ft_line_start(d->f.s, (size_t)p);
			if (!ft_blank(d->f.s, ls, (size_t)p) &&
			    !ft_ends(d->f.s, ls, (size_t)p, ":"))
				continue;
			/* not inside an address with its postal code: the
			   next one's lines start at or before it */
			if ((j = addr_lower(d, (size_t)p)) < d->naddr &&
			    d->addr[j].start <= (size_t)p)
				continue;
			name = address_name_above(d->text, &d->f, (size_t)p);
		}
	}
	frdate_fold_free(&fs);
	return name;
}
