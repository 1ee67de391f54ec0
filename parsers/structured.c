/*
 * structured: structured sources -> slots (see structured.h).  What
 * icalpart.c and schemaorg.c read becomes events in the wall clock of
 * their office's zone (the zone of the place's postal code, as the text's
 * appointments get theirs), then merges with the text's appointments.
 *
 * The merge, for a trusted sender:
 *  - an event and a text appointment are the same visit when they start
 *    at the same minute, else when they have the same type (the event's
 *    name says it) and start within SAME_VISIT_DAYS of each other: the
 *    typed "14h00" next to the calendar's 14:30, the letter's Wednesday
 *    15th next to the calendar's Thursday 16th;
 *  - the event gives start, end, place and zone; the text keeps its
 *    person (and its end and place when the event has none).  Another
 *    start, or another street (house number and street name) or postal
 *    code, is NOTE_STRUCTURED_SOURCE_DISAGREES;
 *  - the other text appointments of that visit go (they said it
 *    differently), unless they are another person's slot;
 *  - an event the text does not give is added (the date may be only in
 *    the calendar);
 *  - events that are all cancelled (METHOD:CANCEL) make a cancellation,
 *    or, next to new appointments, say which one was replaced.
 * Events before the mail's date are references, as in the text.
 * An event counts when its name says it is an appointment, or when the
 * letter summons anyway (its own calendar entry, named as the agent
 * likes).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "lib/ascii.h"
#include "lib/buf.h"
#include "lib/civil.h"
#include "lib/utf8.h"
#include "parsers/extract.h"
#include "parsers/phone.h"
#include "parsers/structured.h"

#define SAME_VISIT_DAYS	7
#define MAX_LINE	512	/* one place, name or uid, bytes */

/* ------------------------------------------------------------ small */

static long
wmin(const struct walltime *w)
{
	return civil_days(w->year, w->month, w->day) * 1440 + w->hour * 60 +
	    w->minute;
}

/* One clean line of at most MAX_LINE bytes, or NULL (none, empty, or
   out-of-memory: *oom says which). */
static char *
clean(const char *s, int *oom)
{
	size_t n;
	char *r;

	if (s == NULL)
		return NULL;
	if ((n = strnlen(s, MAX_LINE + 1)) > MAX_LINE)
		n = utf8_boundary(s, MAX_LINE);
	if ((r = address_clean(s, 0, n)) == NULL) {
		*oom = 1;
		return NULL;
	}
	if (*r == '\0') {
		free(r);
		return NULL;
	}
	return r;
}

/* "a, b, c" of the parts that are there. */
static char *
join(const char *a, const char *b, const char *c, int *oom)
{
	const char *v[3] = { a, b, c };
	struct buf out = { 0 };
	char *r;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (v[i] == NULL || *v[i] == '\0')
			continue;
		if (out.len > 0)
			buf_addstr(&out, ", ");
		buf_addstr(&out, v[i]);
	}
	if (out.len == 0)
		return NULL;
	if ((r = buf_finish(&out, NULL)) == NULL)
		*oom = 1;
	return r;
}

int
structured_is_ofii(const char *s)
{
	const char *p;

	for (p = s; p != NULL && (p = strcasestr(p, "ofii")) != NULL; p++)
		if ((p == s || !ascii_is_wordnum((unsigned char)p[-1])) &&
		    !ascii_is_word((unsigned char)p[4]))
			return 1;
	return s != NULL && (strcasestr(s, "office fran") != NULL &&
	    strcasestr(s, "immigration") != NULL);
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!ascii_is_digit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
structured_iso_time(const char *s, struct swhen *w)
{
	int y, mo, d, h, mi, oh = 0, om = 0, sign;
	long off;

	memset(w, 0, sizeof(*w));
	while (*s == ' ')
		s++;
	if (strnlen(s, 17) < 16 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi))
		return -1;
	s += 16;
	if (s[0] == ':' && ascii_is_digit((unsigned char)s[1]) &&
	    ascii_is_digit((unsigned char)s[2])) {
		s += 3;
		if (*s == '.' || *s == ',')
			for (s++; ascii_is_digit((unsigned char)*s); s++)
				;
	}
	if (y < 1900 || y > 2200 || !civil_valid(y, mo, d) || h > 23 ||
	    mi > 59)
		return -1;
	w->w.year = y;
	w->w.month = mo;
	w->w.day = d;
	w->w.hour = h;
	w->w.minute = mi;
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (digits(s + 1, 2, &oh))
			return -1;
		s += 3;
		if (*s == ':')
			s++;
		if (ascii_is_digit((unsigned char)*s) && digits(s, 2, &om) == 0)
			s += 2;
		if (oh > 14 || om > 59)
			return -1;
		off = sign * (oh * 3600L + om * 60L);
		w->u = -off;
	} else
		w->floating = 1;
	while (*s == ' ')
		s++;
	if (*s != '\0')
		return -1;
	if (!w->floating)
		w->u += (time_t)civil_days(y, mo, d) * 86400 + h * 3600 +
		    mi * 60;
	w->set = 1;
	return 0;
}

/* The wall clock of `when` in zone tzid. */
static void
office_wall(const struct swhen *when, const char *tzid, struct walltime *w)
{
	icaltimezone *z;
	struct icaltimetype t;

	*w = when->w;
	if (when->floating ||
	    (z = icaltimezone_get_builtin_timezone(tzid)) == NULL)
		return;		/* no zone data: as written */
	t = icaltime_from_timet_with_zone(when->u, 0, z);
	w->year = t.year;
	w->month = t.month;
	w->day = t.day;
	w->hour = t.hour;
	w->minute = t.minute;
}

/* ------------------------------------------------------------ events */

/* Earliest keyword of the list in the folded text, starting a word (and
   a whole word when short: "cir", not "circulation"), or -1. */
static long
earliest(const struct folded_text *f, const char *const *list)
{
	long best = -1, p;
	size_t k, from, n;

	for (k = 0; list[k] != NULL; k++) {
		n = strlen(list[k]);
		for (from = 0; (p = ft_find(f->s, from, f->len, list[k])) >= 0;
		    from = (size_t)p + 1) {
			if ((p == 0 || !ascii_is_wordnum(
			    (unsigned char)f->s[p - 1])) && (n > 4 ||
			    (size_t)p + n >= f->len ||
			    !ascii_is_wordnum((unsigned char)f->s[p + n])))
				break;
		}
		if (p >= 0 && (best < 0 || p < best))
			best = p;
	}
	return best;
}

/* Type from the event's name (else its description): the visit named
   first.  0, or -1 on out-of-memory. */
static int
type_of(struct sevent *e, const char *name, const char *desc)
{
	static const struct {
		const char *const	*list;
		enum appt_type		 type;
	} kinds[] = {
		{ kw_xray, APPT_XRAY }, { kw_cir, APPT_CIR },
		{ kw_medical, APPT_MEDICAL }
	};
	const char *texts[2] = { name, desc };
	struct folded_text f;
	long p, best;
	size_t i, k, n;

	e->type = APPT_MEDICAL;
	for (i = 0; i < 2 && !e->typed; i++) {
		if (texts[i] == NULL)
			continue;
		n = strnlen(texts[i], 8192);
		if (frdate_fold(texts[i], n, &f, NULL) == -1)
			return -1;
		for (k = 0, best = -1; k < 3; k++)
			if ((p = earliest(&f, kinds[k].list)) >= 0 &&
			    (best < 0 || p < best)) {
				best = p;
				e->type = kinds[k].type;
				e->typed = 1;
			}
		if (i == 0)
			e->named = e->typed ||
			    ft_any_word(f.s, 0, f.len, kw_appt);
		frdate_fold_free(&f);
	}
	return 0;
}

/* Postal code, city, name and "street, CP city" of a one-line place, by
   the address parser.  0, or -1 on out-of-memory. */
static int
scan_place(struct sevent *e)
{
	struct folded_text f;
	struct address *ad = NULL;
	size_t n = 0, i;
	int r = 0, oom = 0;

	if (frdate_fold(e->place, strlen(e->place), &f, NULL) == -1)
		return -1;
	if (address_scan(e->place, &f, &ad, &n, NULL) == -1) {
		frdate_fold_free(&f);
		return -1;
	}
	for (i = 0; i < n && ad[i].cedex; i++)
		;
	if (i < n) {
		memcpy(e->postal_code, ad[i].postal_code,
		    sizeof(e->postal_code));
		if (e->city == NULL)
			e->city = clean(ad[i].city, &oom);
		if (e->name == NULL)
			e->name = clean(ad[i].name, &oom);
		if (e->address == NULL)
			e->address = clean(ad[i].address, &oom);
		r = oom ? -1 : 0;
	}
	address_free_all(ad, n);
	frdate_fold_free(&f);
	return r;
}

/* The place as one line: a PostalAddress's parts ("name, street, CP
   City"), else the location's text; 0, or -1 on out-of-memory. */
static int
place_of(struct sevent *e, const struct sraw *r)
{
	char *street = NULL, *pc = NULL, *loc = NULL, *line = NULL;
	struct buf b = { 0 };
	size_t i;
	int oom = 0, ret = -1;

	e->name = clean(r->loc_name, &oom);
	street = clean(r->street, &oom);
	loc = clean(r->location, &oom);
	pc = clean(r->postal_code, &oom);
	e->city = clean(r->locality, &oom);
	if (oom)
		goto out;
	if (pc != NULL || e->city != NULL) {
		buf_addstr(&b, pc != NULL ? pc : "");
		if (pc != NULL && e->city != NULL)
			buf_addc(&b, ' ');
		buf_addstr(&b, e->city != NULL ? e->city : "");
		if ((line = buf_finish(&b, NULL)) == NULL)
			goto out;
	}
	if (street != NULL || line != NULL) {
		e->address = join(street, line, NULL, &oom);
		e->place = join(e->name, street, line, &oom);
	} else
		e->place = join(e->name, loc, NULL, &oom);
	if (oom)
		goto out;
	for (i = 0; pc != NULL && i < 5 && ascii_is_digit((unsigned char)pc[i]);
	    i++)
		;
	if (i == 5 && pc[5] == '\0')
		memcpy(e->postal_code, pc, sizeof(e->postal_code));
	else if (e->place != NULL && scan_place(e) == -1)
		goto out;
	ret = 0;
out:
	free(street);
	free(pc);
	free(loc);
	free(line);
	return ret;
}

static void
sevent_clear(struct sevent *e)
{
	free(e->place);
	free(e->city);
	free(e->name);
	free(e->address);
	free(e->phone);
	free(e->uid);
	memset(e, 0, sizeof(*e));
}

/* The phone in the place's telephone, as phone.c writes it. */
static int
phone_of(struct sevent *e, const char *text)
{
	struct folded_text f;
	struct phone *ph = NULL;
	size_t n = 0, len = strnlen(text, 64);

	if (frdate_fold(text, len, &f, NULL) == -1)
		return -1;
	if (phone_scan(text, &f, &ph, &n, NULL) == -1) {
		frdate_fold_free(&f);
		return -1;
	}
	if (n > 0 && (e->phone = strdup(ph[0].text)) == NULL) {
		phone_free_all(ph, n);
		frdate_fold_free(&f);
		return -1;
	}
	phone_free_all(ph, n);
	frdate_fold_free(&f);
	return 0;
}

/* Fill what a first copy of the event lacks from a second one. */
static void
complete(struct sevent *a, struct sevent *b)
{
	if (a->end.year == 0)
		a->end = b->end;
	if (a->place == NULL) {
		a->place = b->place;
		b->place = NULL;
		memcpy(a->postal_code, b->postal_code, sizeof(a->postal_code));
	}
	if (a->phone == NULL) {
		a->phone = b->phone;
		b->phone = NULL;
	}
	a->ofii |= b->ofii;
	a->cancelled |= b->cancelled;
}

int
structured_add(struct structured *s, const struct sraw *r,
    const char *tz_fallback)
{
	struct sevent e;
	size_t i;
	int oom = 0;

	if (!r->start.set || s->n == STRUCT_MAX_EVENTS)
		return 0;
	memset(&e, 0, sizeof(e));
	if (place_of(&e, r) == -1 || type_of(&e, r->name, r->desc) == -1 ||
	    (r->phone != NULL && phone_of(&e, r->phone) == -1))
		goto oom;
	e.uid = clean(r->uid, &oom);
	if (oom)
		goto oom;
	e.tzid = e.postal_code[0] != '\0' ? address_tzid(e.postal_code) :
	    tz_fallback;
	office_wall(&r->start, e.tzid, &e.start);
	if (r->end.set) {
		office_wall(&r->end, e.tzid, &e.end);
		if (wmin(&e.end) <= wmin(&e.start) ||
		    wmin(&e.end) - wmin(&e.start) > 1440)
			memset(&e.end, 0, sizeof(e.end));
	}
	e.cancelled = r->cancelled;
	e.ofii = r->ofii || (r->name != NULL && structured_is_ofii(r->name)) ||
	    (e.place != NULL && structured_is_ofii(e.place));
	/* the same event twice: a calendar alternative and its .ics */
	for (i = 0; i < s->n; i++)
		if ((e.uid != NULL && s->ev[i].uid != NULL &&
		    strcmp(e.uid, s->ev[i].uid) == 0) ||
		    (wmin(&e.start) == wmin(&s->ev[i].start) &&
		    e.type == s->ev[i].type && (e.place == NULL ||
		    s->ev[i].place == NULL ||
		    strcmp(e.place, s->ev[i].place) == 0))) {
			complete(&s->ev[i], &e);
			sevent_clear(&e);
			return 0;
		}
	s->ev[s->n++] = e;
	return 0;
oom:
	sevent_clear(&e);
	return -1;
}

void
structured_free(struct structured *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		sevent_clear(&s->ev[i]);
	s->n = 0;
}

int
structured_read(const struct message *m, const char *tz_fallback,
    struct structured *s)
{
	const struct message_part *p;
	size_t i;
	int r = 0;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < m->nparts && r == 0; i++) {
		p = &m->parts[i];
		if (p->data == NULL)
			continue;
		if (p->kind == PART_CALENDAR)
			r = icalpart_read(p->data, p->len, tz_fallback, s);
		else if (p->kind == PART_HTML)
			r = schemaorg_read(p->data, p->len, tz_fallback, s);
	}
	if (r == -1)
		structured_free(s);
	return r;
}

/* ------------------------------------------------------------ merge */

/* House number and last word of the street of a one-line place (folded),
   "27" and "guieysse" of "..., 27 rue Paul Guieysse, 56100 Lorient".
   0 when it has no street; -1 on out-of-memory. */
static int
street_key(const char *place, char *num, size_t numsz, char *word,
    size_t wordsz)
{
	struct folded_text f, g;
	struct address *ad = NULL;
	size_t n = 0, i, a, b;
	int r = 0;

	num[0] = word[0] = '\0';
	if (frdate_fold(place, strlen(place), &f, NULL) == -1)
		return -1;
	if (address_scan(place, &f, &ad, &n, NULL) == -1) {
		frdate_fold_free(&f);
		return -1;
	}
	if (n > 0 && ad[0].street != NULL) {
		if (frdate_fold(ad[0].street, strlen(ad[0].street), &g,
		    NULL) == -1)
			r = -1;
		else {
			for (i = 0; i < g.len && i + 1 < numsz &&
			    ascii_is_digit((unsigned char)g.s[i]); i++)
				num[i] = g.s[i];
			num[i] = '\0';
			for (b = g.len; b > 0 &&
			    !ascii_is_wordnum((unsigned char)g.s[b - 1]); b--)
				;
			for (a = b; a > 0 &&
			    ascii_is_wordnum((unsigned char)g.s[a - 1]); a--)
				;
			if (b - a < wordsz) {
				memcpy(word, g.s + a, b - a);
				word[b - a] = '\0';
			}
			frdate_fold_free(&g);
			r = word[0] != '\0';
		}
	}
	address_free_all(ad, n);
	frdate_fold_free(&f);
	return r;
}

/* The text's place names another office or street than the event's.
   1, 0, or -1 on out-of-memory. */
static int
place_differs(const struct appointment *t, const struct sevent *e)
{
	char n1[8], w1[48], n2[8], w2[48];
	int a, b;

	if (t->place == NULL || e->place == NULL || e->postal_code[0] == '\0')
		return 0;
	if (t->postal_code[0] != '\0' &&
	    strcmp(t->postal_code, e->postal_code) != 0)
		return 1;
	if ((a = street_key(t->place, n1, sizeof(n1), w1, sizeof(w1))) == -1 ||
	    (b = street_key(e->place, n2, sizeof(n2), w2, sizeof(w2))) == -1)
		return -1;
	if (a == 0 || b == 0)
		return 0;	/* the text says less: no disagreement */
	return strcmp(w1, w2) != 0 || (n1[0] != '\0' && n2[0] != '\0' &&
	    strcmp(n1, n2) != 0);
}

/* Text appointment i and event e are one visit (see the top). */
static int
same_visit(const struct appointment *t, const struct sevent *e)
{
	long d = wmin(&t->start) - wmin(&e->start);

	if (d == 0)
		return 1;
	if (d < 0)
		d = -d;
	return (!e->typed || e->type == t->type) &&
	    d <= SAME_VISIT_DAYS * 1440L;
}

static void
drop_appt(struct convocation *c, const struct address **used, size_t i)
{
	appointment_clear(&c->appts[i]);
	memmove(&c->appts[i], &c->appts[i + 1],
	    (c->nappts - i - 1) * sizeof(c->appts[0]));
	memmove(&used[i], &used[i + 1], (c->nappts - i - 1) * sizeof(used[0]));
	c->nappts--;
	memset(&c->appts[c->nappts], 0, sizeof(c->appts[0]));
	used[c->nappts] = NULL;
}

/* The event's slot in the appointment (text fields it lacks kept). */
static int
take_event(struct appointment *ap, const struct sevent *e, int moved)
{
	char *place = NULL, *city = NULL;

	ap->start = e->start;
	if (e->end.year != 0 || moved)
		ap->end = e->end;
	if (e->typed)
		ap->type = e->type;
	/* a place without a postal code ("Salle 3") says less than the
	   text's address */
	if (e->place == NULL || (e->postal_code[0] == '\0' &&
	    ap->postal_code[0] != '\0'))
		return 0;
	if ((place = strdup(e->place)) == NULL ||
	    (e->city != NULL && (city = strdup(e->city)) == NULL)) {
		free(place);
		return -1;
	}
	free(ap->place);
	free(ap->city);
	ap->place = place;
	ap->city = city;
	memcpy(ap->postal_code, e->postal_code, sizeof(ap->postal_code));
	if (e->postal_code[0] != '\0' || ap->tzid == NULL)
		ap->tzid = e->tzid;
	return 0;
}

/* Merge the selected events into the text's appointments. */
static int
merge(struct convocation *c, const struct structured *s, const int *sel,
    const struct address **used)
{
	int tpair[CONVOCATION_MAX_APPTS], epair[STRUCT_MAX_EVENTS];
	const struct sevent *e;
	struct appointment *ap;
	size_t i, j, best;
	long d, bestd;
	int r, moved;

	for (i = 0; i < CONVOCATION_MAX_APPTS; i++)
		tpair[i] = -1;
	for (j = 0; j < s->n; j++)
		epair[j] = -1;
	/* the same minute first, then the nearest of the same visit */
	for (j = 0; j < s->n; j++)
		for (i = 0; sel[j] && i < c->nappts; i++)
			if (tpair[i] < 0 &&
			    wmin(&c->appts[i].start) == wmin(&s->ev[j].start)) {
				tpair[i] = (int)j;
				epair[j] = (int)i;
				break;
			}
	for (j = 0; j < s->n; j++) {
		if (!sel[j] || epair[j] >= 0)
			continue;
		best = c->nappts;
		bestd = 0;
		for (i = 0; i < c->nappts; i++) {
			if (tpair[i] >= 0 || !same_visit(&c->appts[i],
			    &s->ev[j]))
				continue;
			d = labs(wmin(&c->appts[i].start) -
			    wmin(&s->ev[j].start));
			if (best == c->nappts || d < bestd) {
				best = i;
				bestd = d;
			}
		}
		if (best < c->nappts) {
			tpair[best] = (int)j;
			epair[j] = (int)best;
		}
	}
	for (i = 0; i < c->nappts; i++) {
		if (tpair[i] < 0)
			continue;
		e = &s->ev[tpair[i]];
		ap = &c->appts[i];
		moved = wmin(&ap->start) != wmin(&e->start);
		if ((r = place_differs(ap, e)) == -1)
			return -1;
		if (moved || r)
			c->notes |= 1u << NOTE_STRUCTURED_SOURCE_DISAGREES;
		if (take_event(ap, e, moved) == -1)
			return -1;
	}
	/* the rest of the text's slots of a visit an event gives: the
	   same visit said otherwise (not another person's slot) */
	for (i = c->nappts; i-- > 0;) {
		if (tpair[i] >= 0)
			continue;
		for (j = 0; j < s->n; j++) {
			if (!sel[j] || epair[j] < 0 ||
			    !same_visit(&c->appts[i], &s->ev[j]))
				continue;
			ap = &c->appts[epair[j]];
			if (c->appts[i].person == NULL || ap->person == NULL ||
			    strcmp(c->appts[i].person, ap->person) == 0)
				break;
		}
		if (j == s->n)
			continue;
		c->notes |= 1u << NOTE_STRUCTURED_SOURCE_DISAGREES;
		drop_appt(c, used, i);
		for (j = 0; j < s->n; j++)
			if (epair[j] > (int)i)
				epair[j]--;
		memmove(&tpair[i], &tpair[i + 1],
		    (CONVOCATION_MAX_APPTS - i - 1) * sizeof(tpair[0]));
	}
	/* what only the structured source gives */
	for (j = 0; j < s->n && c->nappts < CONVOCATION_MAX_APPTS; j++) {
		if (!sel[j] || epair[j] >= 0)
			continue;
		ap = &c->appts[c->nappts];
		memset(ap, 0, sizeof(*ap));
		ap->type = APPT_MEDICAL;
		ap->tzid = s->ev[j].tzid;
		used[c->nappts] = NULL;
		c->nappts++;
		if (take_event(ap, &s->ev[j], 1) == -1)
			return -1;
	}
	return 0;
}

static void
sort_appts(struct convocation *c, const struct address **used)
{
	struct appointment tmp;
	const struct address *u;
	size_t i, j;

	for (i = 1; i < c->nappts; i++)
		for (j = i; j > 0 && wmin(&c->appts[j - 1].start) >
		    wmin(&c->appts[j].start); j--) {
			tmp = c->appts[j];
			c->appts[j] = c->appts[j - 1];
			c->appts[j - 1] = tmp;
			u = used[j];
			used[j] = used[j - 1];
			used[j - 1] = u;
		}
}

/* A fixed X-ray appointment at a named centre: that centre is the one
   to call (its phone when the source gives it). */
static int
xray_from(struct convocation *c, const struct structured *s, const int *sel)
{
	const struct sevent *e;
	struct xray_center *x;
	size_t i, j;

	for (j = 0; j < s->n && c->xray == NULL; j++) {
		e = &s->ev[j];
		if (!sel[j] || !e->typed || e->type != APPT_XRAY ||
		    e->address == NULL || e->postal_code[0] == '\0' ||
		    (e->name != NULL && structured_is_ofii(e->name)))
			continue;
		/* an appointment now (not one left out for room) */
		for (i = 0; i < c->nappts; i++)
			if (c->appts[i].type == APPT_XRAY &&
			    wmin(&c->appts[i].start) == wmin(&e->start))
				break;
		if (i == c->nappts)
			continue;
		if ((x = calloc(1, sizeof(*x))) == NULL)
			return -1;
		c->xray = x;
		memcpy(x->postal_code, e->postal_code, sizeof(x->postal_code));
		if ((e->name != NULL && (x->name = strdup(e->name)) == NULL) ||
		    (x->address = strdup(e->address)) == NULL ||
		    (e->city != NULL && (x->city = strdup(e->city)) == NULL) ||
		    (e->phone != NULL && (x->phone = strdup(e->phone)) == NULL))
			return -1;
	}
	return 0;
}

/* The earliest selected event's start that is no appointment's. */
static const struct walltime *
replaced_start(const struct convocation *c, const struct structured *s,
    const int *sel)
{
	const struct walltime *w = NULL;
	size_t i, j;

	for (j = 0; j < s->n; j++) {
		if (!sel[j])
			continue;
		for (i = 0; i < c->nappts; i++)
			if (wmin(&c->appts[i].start) == wmin(&s->ev[j].start))
				break;
		if (i == c->nappts && (w == NULL ||
		    wmin(&s->ev[j].start) < wmin(w)))
			w = &s->ev[j].start;
	}
	return w;
}

/* Every text appointment is a visit one of the selected events gives. */
static int
all_given(const struct convocation *c, const struct structured *s,
    const int *sel)
{
	size_t i, j;

	for (i = 0; i < c->nappts; i++) {
		for (j = 0; j < s->n; j++)
			if (sel[j] && same_visit(&c->appts[i], &s->ev[j]))
				break;
		if (j == s->n)
			return 0;
	}
	return 1;
}

static int
trusted(struct convocation *c, const struct message *m,
    const struct structured *s, const struct address **used)
{
	int act[STRUCT_MAX_EVENTS], can[STRUCT_MAX_EVENTS], nact = 0,
	    ncan = 0, summons;
	const struct walltime *w;
	long ref = 0;
	size_t j;

	summons = c->kind == KIND_CONVOCATION || c->kind == KIND_RESCHEDULE ||
	    c->kind == KIND_CANCELLATION;
	if (m->date_utc != (time_t)-1)
		ref = (long)(m->date_utc / 86400);
	for (j = 0; j < s->n; j++) {
		const struct sevent *e = &s->ev[j];
		int ok = (e->named || summons) && (ref == 0 ||
		    civil_days(e->start.year, e->start.month,
		    e->start.day) >= ref - 1);

		act[j] = ok && !e->cancelled;
		can[j] = ok && e->cancelled;
		nact += act[j];
		ncan += can[j];
	}
	if (nact > 0 && c->kind != KIND_CANCELLATION) {
		if (merge(c, s, act, used) == -1 || xray_from(c, s, act) == -1)
			return -1;
		if (c->kind == KIND_OTHER || c->kind == KIND_ACKNOWLEDGEMENT)
			c->kind = KIND_CONVOCATION;
		if (ncan > 0 && c->previous_start.year == 0 &&
		    (w = replaced_start(c, s, can)) != NULL) {
			c->previous_start = *w;
			c->kind = KIND_RESCHEDULE;
		}
	} else if (ncan > 0) {
		if (c->kind == KIND_CANCELLATION || c->nappts == 0 ||
		    all_given(c, s, can)) {
			if (merge(c, s, can, used) == -1)
				return -1;
			c->kind = KIND_CANCELLATION;
			memset(&c->previous_start, 0,
			    sizeof(c->previous_start));
		} else if (c->previous_start.year == 0 &&
		    (w = replaced_start(c, s, can)) != NULL) {
			c->previous_start = *w;
			c->kind = KIND_RESCHEDULE;
		}
	}
	sort_appts(c, used);
	return 0;
}

/* A third party's own event (a radiology practice's booking) that does
   not even claim to be OFII's: the text's slot at its time is that
   party's, not an OFII summons.  (One that names OFII, a lookalike's or
   a spouse's, is left to the text: the reading stays what the words say,
   and the daemon, seeing the sender untrusted, alerts instead.) */
static void
third_party(struct convocation *c, const struct message *m, int forward,
    const struct structured *s, const struct address **used)
{
	size_t i, j, dropped = 0;

	if (forward)
		return;
	for (i = 0; i < m->nparts; i++)
		if (m->parts[i].forwarded)
			return;		/* it relays someone else's mail */
	for (j = 0; j < s->n; j++) {
		if (s->ev[j].ofii)
			continue;
		for (i = c->nappts; i-- > 0;)
			if (wmin(&c->appts[i].start) ==
			    wmin(&s->ev[j].start)) {
				drop_appt(c, used, i);
				dropped++;
			}
	}
	if (dropped > 0 && c->nappts == 0 && c->kind != KIND_ACKNOWLEDGEMENT) {
		c->kind = KIND_OTHER;
		memset(&c->previous_start, 0, sizeof(c->previous_start));
	}
}

int
structured_apply(struct convocation *c, const struct message *m,
    int forward, const char *tz_fallback, const struct address **used)
{
	struct structured *s;
	int r = 0;

	if ((s = malloc(sizeof(*s))) == NULL)
		return -1;
	if (structured_read(m, tz_fallback, s) == -1) {
		free(s);
		return -1;
	}
	if (s->n > 0) {
		if (c->trust == TRUST_UNTRUSTED)
			third_party(c, m, forward, s, used);
		else
			r = trusted(c, m, s, used);
	}
	structured_free(s);
	free(s);
	return r;
}
