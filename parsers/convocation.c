/*
 * convocation: recognize an OFII mail and extract what the person must do.
 * See convocation.h; the struct it fills is what `parse --json` prints.
 *
 * How it works, in order (the file that holds each step in brackets):
 *  1. [doc.c, history.c] Each text part (text, HTML, PDF, forwarded
 *     message) becomes a "doc": quoted reply history is removed (lines
 *     starting with '>', everything below "Le ... a écrit :",
 *     "-----Original Message-----" or an Outlook "De : / Envoyé : /
 *     Objet :" block), except in a forward, where only the forwarded
 *     header lines go (noting whether they name OFII as the sender).  The
 *     rest is folded (frdate_fold) and scanned once for dates/times
 *     (frdate; "demain", "ce jeudi" counted from the mail's Date),
 *     addresses and phones (address).
 *  2. [this file] Who speaks: OFII is the one who invites when the mail
 *     is from its address, forwards its message, carries its letter head
 *     or signature, or says that OFII convoked the reader.  Otherwise the
 *     mail is someone else's news about the visit (a calendar alert, a
 *     digest, an association, a doctor): other, and nothing is read.
 *  3. [appointments.c] Candidate appointments: a date with its time, by
 *     layout: the same line, a "Heure :" line right below, the next
 *     sentence when it says the hour you are expected, a form's labelled
 *     time lines or blocks away, a row of a table; or a date then list
 *     items or table rows led by a time ("- à 8h30 : visite d'accueil",
 *     "ABDOU Zaharia<TAB>14/02/1989<TAB>7h30") under its sentence: one
 *     per time, with the member's name when the slot gives one.  A
 *     label before an earlier date of the line
 *     ("née le 03/05/2015, est convoquée le ...") is that date's, not this
 *     one's.  Each is judged by the words around it:
 *     deadlines, letter dates, sent dates, opening hours, a GP booked
 *     elsewhere, newsletters, an information sheet's examples and the
 *     writer's own ("je suis convoqué le ...") are dropped; "ancien",
 *     "initialement prévu" (or a table column's header) mark the old
 *     date of a reschedule; the nearest keyword before it gives the type
 *     (medical, CIR, X-ray).  An acknowledgement that only refers to the
 *     visit gives none; only X-ray dates from a non-OFII sender (the
 *     radiology practice's own booking) are dropped.  When the body
 *     points to the subject for the date, the subject is one more doc.
 *     A date without a year ("le mardi 11 juillet") and what counts as
 *     past are read against the letter's own date ("Lyon, le 28 juin
 *     2023", "Fait à ..., le ..."), else the mail's Date header: a
 *     letter may be forwarded months later.  Summons words address the
 *     person ("votre rendez-vous le"); a bare "rendez-vous le" after
 *     "venez nous rencontrer" invites the public.
 *  4. [appointments.c] The place is the nearest address after the date
 *     (before it when none follows), never the addressee's own address, a
 *     Cedex (mail sorting) address or a radiology centre for a non-X-ray
 *     appointment; none near the date (a framed field at the foot of the
 *     page): the one address the letter introduces with "Adresse :" / "à
 *     l'adresse suivante :".
 *  5. [this file] Mail-level words give the kind: an explicit "il ne
 *     s'agit pas d'une convocation" wins (other); then cancellation,
 *     reschedule, convocation when appointments remain, acknowledgement,
 *     other (a warning, "demandez une nouvelle convocation", "une
 *     nouvelle date vous sera communiquée", is no news).  The
 *     appointments are assembled here: one said twice (text
 *     part and PDF) counts once, then they are sorted by start.  Then a
 *     calendar part or schema.org data [structured.c] replaces the slots
 *     it gives (a trusted sender's) and may change the kind.
 *  6. [items.c, xray.c] Items to bring come from the "à apporter" list or
 *     sentence (or a list under a title in capitals, "PIÈCES À FOURNIR
 *     ...", in any part), the X-ray centre from an address in a radiology
 *     context, or the place of the X-ray appointment the letter fixed;
 *     none when the letter says the X-ray is done on site (then it is no
 *     item either).
 *  7. [person.c] The addressee: "Monsieur ADEYEMI Tunde" in the address
 *     block, "Bonjour Madame QUISPE," or a form's "Nom : / Prénom :";
 *     nobody when several people are named.
 * Every word list is in keywords.c, with the index that finds the most
 * used ones in one pass over a doc; the folded-text search helpers
 * (ft_find, ...) are in folded.c; what these files share is declared in
 * extract.h, for them alone.
 *
 * Bounded work: each part is cut at CONV_MAX_TEXT bytes (doc.c), every
 * look-around is a fixed window, so the cost is linear in the text.  No
 * recursion.
 * The keyword index table is built once per process and read-only then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/civil.h"
#include "lib/errstr.h"
#include "parsers/address.h"
#include "parsers/convocation.h"
#include "parsers/extract.h"
#include "parsers/frdate.h"
#include "parsers/phone.h"
#include "parsers/structured.h"

/*
 * A line of the doc names OFII as its author: it starts with OFII (letter
 * head, signature, footer, "Lieu : OFII - Service médical", a forwarded
 * "De : OFII Paris <...@ofii.fr>") or is a short line with OFII in it
 * ("Secrétariat médical - OFII Strasbourg"); not a sentence ("L'OFII vous
 * remettra un certificat."), nor a line about the visit ("Motif :
 * radiographie (visite médicale OFII)"), which anyone may write.
 */
static int
ofii_line(const char *s, size_t len)
{
	size_t ls, le, a, i, k, words;
	long p;
	int head;

	for (ls = 0; ls < len; ls = le + 1) {
		le = ft_line_end(s, len, ls);
		if ((p = ft_find(s, ls, le, "ofii")) < 0 &&
		    ft_find(s, ls, le,
		    "office francais de l'immigration") < 0 &&
		    ft_find(s, ls, le, "french office for immigration") < 0)
			continue;
		a = ft_skip_ws(s, ls, le);
		while (a < le && (s[a] == '*' || s[a] == '-' || s[a] == '>'))
			a = ft_skip_ws(s, a + 1, le);
		/* a label first: "Expéditeur : OFII"; a place's ("Lieu :
		   OFII, 25 rue ...") says where, not who writes */
		for (i = a; i < le && i - a < 30; i++)
			if (s[i] == ':') {
				if (ft_any(s, a, i, kw_place_label))
					a = le;
				else
					a = ft_skip_ws(s, i + 1, le);
				break;
			}
		if (a == le)
			continue;
		/* OFII named in the value, not in the label ("Rendez-vous
		   fixé par l'OFII : le 18/03/2025") */
		p = ft_find(s, a, le, "ofii");
		if (ft_ends(s, a, le, ",") || ft_ends(s, a, le, ".") ||
		    ft_ends(s, a, le, ";") || ft_ends(s, a, le, "?") ||
		    ft_ends(s, a, le, "!") || ft_any(s, a, le, kw_ofii_mention) ||
		    ft_find(s, a, le, " vous ") >= 0 ||
		    ft_find(s, a, le, " you ") >= 0)
			continue;
		for (head = 0, k = 0; kw_ofii_head[k] != NULL && !head; k++)
			head = ft_starts(s, a, le, kw_ofii_head[k]);
		if (head && le - a <= 120)
			return 1;
		if (p < 0 || le - a > 70)
			continue;
		for (words = 1, i = a; i < le; i++)
			if (s[i] == ' ')
				words++;
		if (words <= 7)
			return 1;
	}
	return 0;
}

static int
walltime_cmp(const struct walltime *a, const struct walltime *b)
{
	long x = frdate_days(a->year, a->month, a->day) * 1440 +
	    a->hour * 60 + a->minute;
	long y = frdate_days(b->year, b->month, b->day) * 1440 +
	    b->hour * 60 + b->minute;

	return x < y ? -1 : x > y;
}

static char *
dup_or_null(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

/* Subject starts like a forward: "Fwd:", "TR :", "Fw:", "WG:". */
static int
forward_subject(const char *subj, size_t len)
{
	size_t a = ft_skip_ws(subj, 0, len);

	return ft_starts(subj, a, len, "fwd") ||
	    ft_starts(subj, a, len, "fw:") || ft_starts(subj, a, len, "fw :") ||
	    ft_starts(subj, a, len, "tr:") || ft_starts(subj, a, len, "tr :") ||
	    ft_starts(subj, a, len, "wg:") ||
	    ft_starts(subj, a, len, "transf") ||
	    ft_starts(subj, a, len, "[fwd");
}

static void
ctx_free(struct ctx *x)
{
	size_t i;

	for (i = 0; i < x->cd.ndocs; i++)
		doc_free(&x->cd.docs[i]);
	frdate_fold_free(&x->subj);
}

/* Does any doc (or the subject) contain one of the words? */
static int
mail_any(const struct ctx *x, const char *const *list, int subject)
{
	size_t i;

	for (i = 0; i < x->cd.ndocs; i++)
		if (dany(&x->cd.docs[i], 0, x->cd.docs[i].f.len, list))
			return 1;
	return subject && ft_any(x->subj.s, 0, x->subj.len, list);
}

/*
 * A word of `list` in the text parts that states something: one with no
 * word of `guard` before it in its sentence, nor of `after` (NULL: none)
 * after it in its sentence (a warning or advice about what may happen,
 * not news of what did: "si vous ne pouvez pas, demandez une nouvelle
 * convocation", "une nouvelle date vous sera communiquée").
 */
static int
states(const struct doc *d, size_t pos, const char *const *guard,
    const char *const *after)
{
	size_t a, b;

	if (dany_in_sentence_before(d, pos, 80, guard))
		return 0;
	if (after == NULL)
		return 1;
	ft_sentence(d->f.s, d->f.len, pos, &a, &b);
	if (b > pos + 100)
		b = pos + 100;
	return !ft_any(d->f.s, pos, b, after);
}

static int
docs_state(const struct ctx *x, const char *const *list,
    const char *const *guard, const char *const *after)
{
	const struct doc *d;
	const struct kw_hits *h;
	size_t i, j, k;
	long p;

	for (i = 0; i < x->cd.ndocs; i++) {
		d = &x->cd.docs[i];
		if ((h = doc_hits(d, list)) != NULL) {
			/* a few are enough (hostile text repeats) */
			for (j = 0; j < h->n && j < 16; j++)
				if (states(d, h->v[j].pos, guard, after))
					return 1;
			continue;
		}
		for (k = 0; list[k] != NULL; k++)
			if ((p = ft_find(d->f.s, 0, d->f.len, list[k])) >= 0 &&
			    states(d, (size_t)p, guard, after))
				return 1;
	}
	return 0;
}

/* A cancellation statement, not "toute absence entraîne l'annulation". */
static int
mail_cancel(const struct ctx *x)
{
	if (ft_find(x->subj.s, 0, x->subj.len, "annul") >= 0 ||
	    ft_find(x->subj.s, 0, x->subj.len, "cancel") >= 0 ||
	    ft_any(x->subj.s, 0, x->subj.len, kw_cancel))
		return 1;
	return docs_state(x, kw_cancel, kw_threat, NULL);
}

/* A rescheduling statement, not "si vous ne pouvez pas venir, demandez
   une nouvelle convocation". */
static int
mail_resched(const struct ctx *x)
{
	return ft_any(x->subj.s, 0, x->subj.len, kw_resched) ||
	    ft_any(x->subj.s, 0, x->subj.len, kw_resched_subject) ||
	    docs_state(x, kw_resched, kw_advice, kw_advice_after);
}

static int
fill_appt(struct appointment *ap, const struct cand *c,
    const struct address *ad, const char *tz_fallback)
{
	memset(ap, 0, sizeof(*ap));
	ap->type = c->type;
	ap->start = c->start;
	ap->end = c->end;
	ap->tzid = tz_fallback;
	if (c->person[0] != '\0' && (ap->person = strdup(c->person)) == NULL)
		return -1;
	if (ad != NULL) {
		ap->tzid = address_tzid(ad->postal_code);
		memcpy(ap->postal_code, ad->postal_code, sizeof(ap->postal_code));
		if ((ap->place = strdup(ad->place)) == NULL ||
		    (ap->city = strdup(ad->city)) == NULL)
			return -1;
	}
	return 0;
}

/* Give the addressee to every appointment without a person.  0 or -1. */
static int
slots_to_addressee(struct convocation *c)
{
	size_t i;

	for (i = 0; c->person != NULL && i < c->nappts; i++)
		if (c->appts[i].person == NULL &&
		    (c->appts[i].person = strdup(c->person)) == NULL)
			return -1;
	return 0;
}

int
convocation_extract(const struct message *m,
    const struct convocation_config *cfg, struct convocation **out,
    char **errstr)
{
	struct ctx *x;
	struct convocation *c;
	const struct address *places[MAX_CANDS], *used[CONVOCATION_MAX_APPTS],
	    *xa = NULL;
	const struct phone *ph;
	const char *tz_fallback = "Europe/Paris", *subj;
	size_t i, j, nused = 0, xdoc = 0;
	int forward, negation, cancel, resched, ack, inviter, summons, has_old, has_new, onsite = 0,
	    fwd_ofii,
	    fixed_xray = 0, ofii, from_ofii, oom = 0, cancelled, past[MAX_CANDS];
	long ref_day;
	struct appointment tmp;
	struct civil_date sent = { m->date_year, m->date_month, m->date_day };
	const struct civil_date *ref = sent.year != 0 ? &sent : NULL;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		free(x);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	c->trust = trust_evaluate(m, cfg != NULL ? cfg->authserv_id : NULL);
	subj = m->subject != NULL ? m->subject : "";
	if (frdate_fold(subj, strlen(subj), &x->subj, NULL) == -1)
		goto oom;
	forward = forward_subject(x->subj.s, x->subj.len);

	for (i = 0; i < m->nparts && x->cd.ndocs < CONV_MAX_DOCS; i++) {
		const struct message_part *p = &m->parts[i];

		if (p->kind == PART_OTHER || p->text == NULL || *p->text == '\0')
			continue;
		if (doc_load(&x->cd.docs[x->cd.ndocs], p->text, strlen(p->text),
		    forward, ref) == -1) {
			doc_free(&x->cd.docs[x->cd.ndocs]);
			goto oom;
		}
		x->cd.ndocs++;
	}
	/* The body sends the reader to the subject for the date ("à la date
	   et à l'heure indiquées dans l'objet de ce message"): the subject
	   is part of the letter. */
	for (i = 0; i < x->cd.ndocs; i++)
		if (doc_index(&x->cd.docs[i]) == -1)
			goto oom;
	if (x->cd.ndocs > 0 && x->cd.ndocs < CONV_MAX_DOCS &&
	    x->subj.len > 0 && mail_any(x, kw_see_subject, 0)) {
		if (doc_load(&x->cd.docs[x->cd.ndocs], subj, strlen(subj),
		    0, ref) == -1) {
			doc_free(&x->cd.docs[x->cd.ndocs]);
			goto oom;
		}
		if (doc_index(&x->cd.docs[x->cd.ndocs++]) == -1)
			goto oom;
	}

	/* An overseas office anywhere in the mail sets the default zone. */
	for (i = 0; i < x->cd.ndocs && strcmp(tz_fallback, "Europe/Paris") == 0; i++)
		for (j = 0; j < x->cd.docs[i].naddr; j++)
			if (!x->cd.docs[i].addr[j].recipient &&
			    strcmp(address_tzid(x->cd.docs[i].addr[j].postal_code),
			    "Europe/Paris") != 0) {
				tz_fallback = address_tzid(
				    x->cd.docs[i].addr[j].postal_code);
				break;
			}

	negation = mail_any(x, kw_negation, 1);
	cancel = mail_cancel(x);
	resched = mail_resched(x);
	ack = mail_any(x, kw_ack, 0);
	/* Only mails about OFII matters: a bank or a GP appointment with a
	   date, a time and an address is not a convocation. */
	ofii = mail_any(x, kw_ofii, 1) ||
	    (m->from_addr != NULL && strstr(m->from_addr, "ofii") != NULL);
	/* ... and OFII is the inviter, not a third party that mentions it */
	from_ofii = m->from_addr != NULL && strstr(m->from_addr, "ofii") != NULL;
	inviter = from_ofii || mail_any(x, kw_ofii_inviter, 0);
	for (i = 0, fwd_ofii = 0; i < x->cd.ndocs; i++)
		fwd_ofii |= x->cd.docs[i].fwd_ofii;
	if (fwd_ofii)
		inviter = 1;
	for (i = 0; i < x->cd.ndocs && !inviter; i++)
		inviter = ofii_line(x->cd.docs[i].f.s, x->cd.docs[i].f.len);
	/* a digest or a calendar alert speaks for someone else */
	if (!from_ofii && !fwd_ofii && mail_any(x, kw_not_ofii_voice, 0))
		inviter = 0;
	summons = mail_any(x, kw_summons, 1);

	if ((c->person = person_in(&x->cd, &oom)) == NULL && oom)
		goto oom;

	/* Only OFII convokes, reschedules, cancels or acknowledges: a mail
	   in which OFII does not speak (its address, a message of its
	   forwarded, its letter head, a phrase where it convokes the reader)
	   is someone else's news about the visit. */
	if (negation || !ofii || !inviter ||
	    mail_any(x, kw_newsletter_mail, 0)) {
		c->kind = !negation && ofii && !inviter &&
		    mail_any(x, kw_visa_validated, 0) ? KIND_ACKNOWLEDGEMENT :
		    KIND_OTHER;
		goto done;
	}

	/* Dates in a mail that summons nobody, or where OFII is not the one
	   who invites, are information (an ANEF notice or acknowledgement
	   may still follow). */
	/* An acknowledgement that only refers to the visit ("seront
	   examinés lors de votre visite du 4 juillet à 8h45") summons
	   nobody: its dates are references. */
	if (summons && inviter && !(ack && !resched && !cancel &&
	    !mail_any(x, kw_strong_summons, 0)))
		find_candidates(x, m->date_utc);
	has_old = has_new = 0;
	for (i = 0; i < x->ncands; i++) {
		struct cand *cd = &x->cands[i];
		int ry, rm, rd;

		doc_ref(&x->cd, cd->doc, m->date_utc, &ry, &rm, &rd);
		ref_day = ry != 0 ? frdate_days(ry, rm, rd) : 0;

		places[i] = place_for(&x->cd.docs[cd->doc], cd, x->cands,
		    x->ncands);
		if (places[i] == NULL && cd->type != APPT_XRAY)
			places[i] = labelled_place(&x->cd);
		/* An appointment before the mail was sent is a reference
		   (old dates excepted: a reschedule may name them). */
		past[i] = ref_day != 0 && frdate_days(cd->start.year,
		    cd->start.month, cd->start.day) < ref_day - 1;
		if (cd->old)
			has_old = 1;
		else if (!past[i])
			has_new = 1;
	}
	/* The cancelled appointment(s) when nothing new is given. */
	cancelled = cancel && !has_new;
	if (cancelled)
		has_old = 0;

	for (i = 0; i < x->ncands; i++) {
		struct cand *cd = &x->cands[i];

		if (cancelled ? (past[i] && !cd->old) : (cd->old || past[i]))
			continue;
		/* the same appointment said twice (text part and PDF) */
		for (j = 0; j < c->nappts; j++)
			if (walltime_cmp(&c->appts[j].start, &cd->start) == 0 &&
			    (c->appts[j].type == cd->type ||
			    used[j] == NULL || places[i] == NULL ||
			    used[j] == places[i] ||
			    strcmp(c->appts[j].place, places[i]->place) == 0))
				break;
		if (j < c->nappts) {
			struct appointment *ap = &c->appts[j];

			if (ap->end.year == 0 && cd->end.year != 0)
				ap->end = cd->end;
			if (ap->place == NULL && places[i] != NULL) {
				if (fill_appt(&tmp, cd, places[i],
				    tz_fallback) == -1) {
					appointment_clear(&tmp);
					goto oom;
				}
				tmp.type = ap->type;
				tmp.end = ap->end;
				appointment_clear(ap);
				*ap = tmp;
				memset(&tmp, 0, sizeof(tmp));
				used[j] = places[i];
			}
			continue;
		}
		if (c->nappts == CONVOCATION_MAX_APPTS)
			break;
		if (fill_appt(&c->appts[c->nappts], cd, places[i],
		    tz_fallback) == -1) {
			c->nappts++;
			goto oom;
		}
		used[c->nappts] = places[i];
		c->nappts++;
	}
	nused = c->nappts;

	/*
	 * Only X-ray appointments, in a mail neither from OFII nor relaying
	 * one: the radiology practice confirming its own booking.  The OFII
	 * letter already asked for the X-ray; an event from a clinic's (or a
	 * phisher's) word would not be OFII's.
	 */
	if (c->nappts > 0 && !forward && !from_ofii) {
		for (i = 0; i < m->nparts; i++)
			if (m->parts[i].forwarded)
				break;
		for (j = 0; j < c->nappts && i == m->nparts; j++)
			if (c->appts[j].type != APPT_XRAY)
				break;
		if (i == m->nparts && j == c->nappts) {
			for (j = 0; j < c->nappts; j++)
				appointment_clear(&c->appts[j]);
			c->nappts = nused = 0;
			has_old = 0;
		}
	}

	/* a place written without its name: the name given elsewhere */
	for (i = 0; i < c->nappts; i++) {
		char *name, *np;
		size_t n;

		if (used[i] == NULL || c->appts[i].place == NULL ||
		    (name = name_elsewhere(&x->cd, used[i])) == NULL)
			continue;
		n = strlen(name) + strlen(c->appts[i].place) + 3;
		if ((np = malloc(n)) == NULL) {
			free(name);
			goto oom;
		}
		snprintf(np, n, "%s, %s", name, c->appts[i].place);
		free(name);
		free(c->appts[i].place);
		c->appts[i].place = np;
	}

	/* previous_start: the old date of a reschedule. */
	for (i = 0; i < x->ncands && has_old; i++) {
		if (!x->cands[i].old)
			continue;
		for (j = 0; j < c->nappts; j++)
			if (walltime_cmp(&c->appts[j].start,
			    &x->cands[i].start) == 0)
				break;
		if (j < c->nappts)
			continue;
		c->previous_start = x->cands[i].start;
		break;
	}

	if (cancelled)
		c->kind = c->nappts > 0 || !ack ? KIND_CANCELLATION :
		    KIND_ACKNOWLEDGEMENT;
	else if (c->nappts > 0 && (c->previous_start.year != 0 || resched))
		c->kind = KIND_RESCHEDULE;
	else if (c->nappts > 0 || mail_any(x, kw_announce, 0))
		c->kind = KIND_CONVOCATION;
	else if (ack)
		c->kind = KIND_ACKNOWLEDGEMENT;
	else
		c->kind = KIND_OTHER;
	if (c->kind != KIND_RESCHEDULE)
		memset(&c->previous_start, 0, sizeof(c->previous_start));

	/* sort by start (insertion sort: at most 8) */
	for (i = 1; i < c->nappts; i++) {
		for (j = i; j > 0 && walltime_cmp(&c->appts[j - 1].start,
		    &c->appts[j].start) > 0; j--) {
			const struct address *u = used[j];

			tmp = c->appts[j];
			c->appts[j] = c->appts[j - 1];
			c->appts[j - 1] = tmp;
			used[j] = used[j - 1];
			used[j - 1] = u;
		}
	}
	memset(&tmp, 0, sizeof(tmp));

	/* A calendar part or schema.org data beats the text for the slots
	   it gives (parsers/structured.c). */
	if (structured_apply(c, m, forward, tz_fallback, used) == -1)
		goto oom;
	nused = c->nappts;

	if (c->nappts == 0 || c->kind == KIND_CANCELLATION)
		goto done;

	for (i = 0; i < x->cd.ndocs; i++)
		c->items |= doc_items(&x->cd.docs[i]);

	for (i = 0; i < c->nappts; i++)
		if (c->appts[i].type == APPT_XRAY)
			fixed_xray = 1;
	for (i = 0; i < x->cd.ndocs; i++)
		if (xray_on_site(&x->cd.docs[i]))
			onsite = 1;
	c->xray_on_site = onsite;
	/* an X-ray taken at the visit is nothing to bring */
	if (onsite)
		c->items &= ~(1u << ITEM_CHEST_XRAY);
	/* a fixed X-ray appointment: its place is the centre */
	if (fixed_xray)
		xa = xray_fixed(&x->cd, c->appts, c->nappts, used, nused,
		    &xdoc);
	for (i = 0; i < x->cd.ndocs && xa == NULL && !fixed_xray; i++) {
		xa = xray_address(&x->cd.docs[i], c->appts, c->nappts, used, nused);
		xdoc = i;
	}
	/* (a calendar part's fixed X-ray may have named the centre) */
	if (xa != NULL && !onsite && c->xray == NULL) {
		if ((c->xray = calloc(1, sizeof(*c->xray))) == NULL)
			goto oom;
		memcpy(c->xray->postal_code, xa->postal_code,
		    sizeof(c->xray->postal_code));
		if ((c->xray->name = dup_or_null(xa->name)) == NULL &&
		    xa->name != NULL)
			goto oom;
		if ((c->xray->address = strdup(xa->address)) == NULL ||
		    (c->xray->city = strdup(xa->city)) == NULL)
			goto oom;
		if ((ph = xray_phone(&x->cd.docs[xdoc], xa)) != NULL &&
		    (c->xray->phone = strdup(ph->text)) == NULL)
			goto oom;
	}

done:
	/* "person" describes the addressee of an OFII letter. */
	if (c->kind == KIND_OTHER) {
		free(c->person);
		c->person = NULL;
	}
	/* A letter to one person convokes that person: a slot that names
	   nobody of its own is the addressee's. */
	if (slots_to_addressee(c) == -1)
		goto oom;
	ctx_free(x);
	free(x);
	*out = c;
	return 0;
oom:
	ctx_free(x);
	free(x);
	convocation_free(c);
	errstr_set(errstr, "out of memory extracting the convocation");
	return -1;
}
