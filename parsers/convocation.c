/*
 * convocation: recognize an OFII mail and extract what the person must do.
 * See convocation.h; the struct it fills is what `parse --json` prints.
 *
 * How it works, in order:
 *  1. Each text part (text, HTML, PDF, forwarded message) becomes a "doc":
 *     quoted reply history is removed (lines starting with '>', everything
 *     below "Le ... a écrit :", "-----Original Message-----" or an Outlook
 *     "De : / Envoyé : / Objet :" block), except in a forward, where only
 *     the forwarded header lines go.  The rest is folded (frdate_fold) and
 *     scanned once for dates/times (frdate), addresses and phones (address).
 *  2. Candidate appointments: a date with a time next to it (same line, or
 *     a "Heure :" line right below), or a date then list items led by a
 *     time ("- à 8h30 : visite d'accueil") right under its sentence: one
 *     per time.  A label before an earlier date of the line ("née le
 *     03/05/2015, est convoquée le ...") is that date's, not this one's.
 *     Each is judged by the words around it:
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
 *  3. The place is the nearest address after the date (before it when
 *     none follows), never the addressee's own address, a Cedex (mail
 *     sorting) address or a radiology centre for a non-X-ray appointment;
 *     none near the date (a framed field at the foot of the page): the
 *     one address the letter introduces with "Adresse :" / "à l'adresse
 *     suivante :".
 *  4. Mail-level words give the kind: an explicit "il ne s'agit pas d'une
 *     convocation" wins (other); then cancellation, reschedule,
 *     convocation when appointments remain, acknowledgement, other.
 *  5. Items to bring come from the "à apporter" list or sentence (or a list
 *     under a title in capitals, "PIÈCES À FOURNIR ...", in any part),
 *     the X-ray centre from an address in a radiology context, unless the
 *     letter says the X-ray is done on site or gives a fixed X-ray
 *     appointment.
 *
 * Bounded work: each part is cut at CONV_MAX_TEXT bytes, every look-around
 * is a fixed window, so the cost is linear in the text.  No recursion.
 * The keyword index table is built once per process and read-only then.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

#include "lib/ascii.h"
#include "lib/buf.h"
#include "lib/errstr.h"
#include "lib/utf8.h"
#include "parsers/address.h"
#include "parsers/convocation.h"
#include "parsers/frdate.h"
#include "parsers/phone.h"

#define CONV_MAX_TEXT	(2u * 1024 * 1024)
#define CONV_MAX_DOCS	32
#define MAX_CANDS	64

/* ------------------------------------------------------------ helpers */

/* First occurrence of needle in folded [a, b), or -1. */
static long
find(const char *s, size_t a, size_t b, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	if (b <= a || b - a < n)
		return -1;
	p = memmem(s + a, b - a, needle, n);
	return p == NULL ? -1 : (long)(p - s);
}

/* Last occurrence of needle in folded [a, b), or -1. */
static long
rfind(const char *s, size_t a, size_t b, const char *needle)
{
	size_t n = strlen(needle), i;

	if (b <= a || b - a < n)
		return -1;
	for (i = b - n + 1; i-- > a;)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return (long)i;
	return -1;
}

/* needle as a whole word ("cir" but not "circulaire") in [a, b). */
static long
find_word(const char *s, size_t a, size_t b, const char *needle)
{
	size_t n = strlen(needle);
	long p;

	while ((p = find(s, a, b, needle)) >= 0) {
		if ((p == 0 || !ascii_is_wordnum((unsigned char)s[p - 1])) &&
		    ((size_t)p + n >= b || !ascii_is_wordnum((unsigned char)s[p + n])))
			return p;
		a = (size_t)p + 1;
	}
	return -1;
}

static int
any(const char *s, size_t a, size_t b, const char *const *list)
{
	for (; *list != NULL; list++)
		if (find(s, a, b, *list) >= 0)
			return 1;
	return 0;
}

/* Like any(), but a keyword must start a word: "sent" is not in
   "presentez", "dr " is not in "cadre ". */
static int
any_word(const char *s, size_t a, size_t b, const char *const *list)
{
	size_t from;
	long p;

	for (; *list != NULL; list++) {
		for (from = a; (p = find(s, from, b, *list)) >= 0;
		    from = (size_t)p + 1)
			if (p == 0 || !ascii_is_wordnum((unsigned char)s[p - 1]))
				return 1;
	}
	return 0;
}

static size_t
line_start(const char *s, size_t i)
{
	while (i > 0 && s[i - 1] != '\n')
		i--;
	return i;
}

static size_t
line_end(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] != '\n')
		i++;
	return i;
}

static int
blank(const char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (s[a] != ' ' && s[a] != '\t' && s[a] != '\r')
			return 0;
	return 1;
}

static size_t
skip_ws(const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	return a;
}

static int
starts(const char *s, size_t a, size_t b, const char *w)
{
	size_t n = strlen(w);

	return b >= a + n && memcmp(s + a, w, n) == 0;
}

static int
ends(const char *s, size_t a, size_t b, const char *w)
{
	size_t n = strlen(w);

	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	return b >= a + n && memcmp(s + b - n, w, n) == 0;
}

/* ------------------------------------------------------------ history */

static const char *const header_labels[] = {
	"de :", "de:", "from:", "from :", "envoye :", "envoye:", "sent:",
	"sent :", "date :", "date:", "a :", "a:", "to:", "to :", "cc :",
	"cc:", "objet :", "objet:", "subject:", "subject :", "importance :",
	"reply-to:", "repondre a :", NULL
};

static int
header_line(const char *s, size_t a, size_t b)
{
	size_t k;

	a = skip_ws(s, a, b);
	while (a < b && (s[a] == '*' || s[a] == '>'))
		a = skip_ws(s, a + 1, b);
	for (k = 0; header_labels[k] != NULL; k++)
		if (starts(s, a, b, header_labels[k]))
			return 1;
	return 0;
}

/* "De : X / Envoyé : ... / Objet : ...": an Outlook reply/forward head. */
static int
outlook_block(const char *s, size_t len, size_t ls, size_t le)
{
	size_t a = skip_ws(s, ls, le), i, l = le, e;
	int sent = 0, subj = 0;

	while (a < le && s[a] == '*')
		a = skip_ws(s, a + 1, le);
	if (!starts(s, a, le, "de :") && !starts(s, a, le, "de:") &&
	    !starts(s, a, le, "from:") && !starts(s, a, le, "from :"))
		return 0;
	for (i = 0; i < 5 && l < len; i++) {
		l++;
		e = line_end(s, len, l);
		a = skip_ws(s, l, e);
		while (a < e && s[a] == '*')
			a = skip_ws(s, a + 1, e);
		if (starts(s, a, e, "envoye") || starts(s, a, e, "sent") ||
		    starts(s, a, e, "date"))
			sent = 1;
		if (starts(s, a, e, "objet") || starts(s, a, e, "subject"))
			subj = 1;
		l = e;
	}
	return sent && subj;
}

static int
forward_marker(const char *s, size_t a, size_t b)
{
	static const char *const m[] = { "forwarded message",
	    "message transfere", "debut du message reexpedie",
	    "begin forwarded message", "message reexpedie",
	    "original message", "message d'origine", "courriel original",
	    NULL };

	return b - a < 120 && any(s, a, b, m);
}

static int
reply_marker(const char *s, size_t len, size_t a, size_t b)
{
	size_t nb;

	if (b - a > 300)
		return 0;
	if (ends(s, a, b, "a ecrit :") || ends(s, a, b, "a ecrit:") ||
	    ends(s, a, b, "wrote:") || ends(s, a, b, "wrote :"))
		return 1;
	/* "Le lun. 3 oct. 2023 à 14:07, OFII <\nx@ofii.fr> a écrit :" */
	if ((starts(s, skip_ws(s, a, b), b, "le ") ||
	    starts(s, skip_ws(s, a, b), b, "on ")) && b < len) {
		nb = line_end(s, len, b + 1);
		if (nb - b < 200 && (ends(s, b + 1, nb, "a ecrit :") ||
		    ends(s, b + 1, nb, "a ecrit:") || ends(s, b + 1, nb, "wrote:")))
			return 1;
	}
	return 0;
}

/*
 * Copy of text without quoted reply history.  forward: the mail is a
 * forward, so what follows a forward/original-message marker is kept
 * (minus its header lines) instead of cut.
 */
static int
strip_history(const char *text, size_t len, int forward, char **outp,
    size_t *outlenp)
{
	struct folded_text f;
	struct buf b = { 0 };
	size_t ls, le, a, oa, ob;
	int in_head = 0;

	*outp = NULL;
	if (frdate_fold(text, len, &f, NULL) == -1)
		return -1;
	for (ls = 0; ls < f.len; ls = le + 1) {
		le = line_end(f.s, f.len, ls);
		a = skip_ws(f.s, ls, le);
		oa = f.off[ls];
		ob = le < f.len ? f.off[le] + 1 : f.off[le];
		if (in_head) {
			/* header lines of a forwarded message */
			if (header_line(f.s, ls, le) ||
			    (blank(f.s, ls, le) && in_head == 1)) {
				if (!blank(f.s, ls, le))
					in_head = 2;
				continue;
			}
			in_head = 0;
		}
		if (a < le && f.s[a] == '>') {
			if (!forward)
				continue;
			/* keep the quoted text of a forward, unquoted */
			while (a < le && (f.s[a] == '>' || f.s[a] == ' '))
				a++;
			oa = f.off[a];
		} else if (forward_marker(f.s, ls, le) ||
		    outlook_block(f.s, f.len, ls, le) ||
		    (starts(f.s, a, le, "_____") && le + 1 < f.len &&
		    outlook_block(f.s, f.len, le + 1,
		    line_end(f.s, f.len, le + 1)))) {
			if (!forward && !any(f.s, ls, le, (const char *const[]){
			    "forwarded", "transfere", "reexpedie", NULL }))
				break;
			in_head = 1;
			if (outlook_block(f.s, f.len, ls, le))
				in_head = 2;
			continue;
		} else if (reply_marker(f.s, f.len, ls, le)) {
			if (!forward)
				break;
			continue;
		}
		if (buf_add(&b, text + oa, ob - oa) == -1)
			goto fail;
	}
	frdate_fold_free(&f);
	if ((*outp = buf_finish(&b, outlenp)) == NULL)
		return -1;
	return 0;
fail:
	frdate_fold_free(&f);
	buf_free(&b);
	return -1;
}

/* ------------------------------------------------------------ docs */

struct doc {
	char			*text;		/* history stripped */
	size_t			 len;
	struct folded_text	 f;
	struct frdate_token	*tok;
	size_t			 ntok;
	struct address		*addr;
	size_t			 naddr;
	struct phone		*ph;
	size_t			 nph;
	struct kw_hits		*hits;		/* per indexed list, or NULL */
	const int		*bad;		/* lists not indexed */
	int			 ly, lm, ld;	/* the letter's own date, or 0 */
};

static void doc_unindex(struct doc *);

static void
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

static void letter_date(struct doc *);

static int
doc_load(struct doc *d, const char *text, size_t len, int forward)
{
	memset(d, 0, sizeof(*d));
	if (len > CONV_MAX_TEXT)
		len = utf8_boundary(text, CONV_MAX_TEXT);
	if (strip_history(text, len, forward, &d->text, &d->len) == -1)
		return -1;
	if (frdate_fold(d->text, d->len, &d->f, NULL) == -1 ||
	    frdate_scan(d->f.s, d->f.len, &d->tok, &d->ntok, NULL) == -1 ||
	    address_scan(d->text, &d->f, &d->addr, &d->naddr, NULL) == -1 ||
	    phone_scan(d->text, &d->f, &d->ph, &d->nph, NULL) == -1)
		return -1;
	letter_date(d);
	return 0;
}

struct ctx_docs {
	struct doc	 docs[CONV_MAX_DOCS];
	size_t		 ndocs;
};

/* ------------------------------------------------------------ keywords */

static const char *const kw_negation[] = {
	"il ne s'agit pas d'une convocation", "ceci n'est pas une convocation",
	"ce message n'est pas une convocation", "ne constitue pas une convocation",
	"ne vaut pas convocation", "n'est pas une convocation",
	"this is not a convocation", "this is not a summons",
	"this message is not a convocation", "is not an appointment",
	"ne s'agit pas d'une convocation", NULL
};

static const char *const kw_cancel[] = {
	"est annule", "a ete annule", "ont ete annule", "sont annule",
	"annulation de votre rendez-vous", "annulation de votre convocation",
	"annulation de la convocation", "annulation du rendez-vous",
	"annulation de votre visite", "annulation de l'entretien",
	"nous annulons", "contraints d'annuler", "avons du annuler",
	"rendez-vous annule", "convocation annulee", "visite annulee",
	"ne pourra pas avoir lieu", "n'aura pas lieu", "has been cancelled",
	"has been canceled", "is cancelled", "is canceled",
	"appointment cancelled", "appointment canceled", NULL
};

static const char *const kw_resched[] = {
	"est reporte", "a ete reporte", "sont reporte",
	"nouvelle date", "nouveau rendez-vous :", "nouveau rendez-vous le",
	"nouvelle convocation", "modification de la date",
	"modification de votre rendez-vous", "modification de votre convocation",
	"changement de date", "changement de votre rendez-vous",
	"est deplace", "a ete deplace", "donc deplace", "ancien rendez-vous",
	"votre nouveau rendez-vous",
	"initialement prevu", "remplace la convocation",
	"est avance", "a ete avance", "est decale", "a ete decale",
	"est retarde", "a ete retarde", "changement d'horaire",
	"modification de l'horaire", "modification d'horaire",
	"nouvel horaire", "nouvelle heure", "brought forward",
	"remplace votre convocation", "remplace votre precedente",
	"annule et remplace", "rescheduled", "new date", "new appointment",
	"postponed", "has been moved", NULL
};

/* The mail carries or announces a convocation whose details cannot be
   read here (a scanned letter, an ANEF notice): still a convocation. */
static const char *const kw_announce[] = {
	"ci-joint votre convocation", "ci-jointe votre convocation",
	"votre convocation est jointe", "votre convocation est disponible",
	"trouverez ci-joint votre convocation", "vous a adresse une convocation",
	"en piece jointe votre convocation", "votre convocation en piece jointe",
	"convocation est disponible dans votre espace",
	"your convocation is attached", "your notice to attend is attached",
	NULL
};

/* In a subject only: "Report de votre rendez-vous".  In a body, "pourra
   entraîner le report de votre rendez-vous" is a warning. */
static const char *const kw_resched_subject[] = {
	"report", "modification", "changement de date", "nouvelle date",
	"deplace", "reschedul", NULL
};

static const char *const kw_ack[] = {
	"avons bien recu", "bien ete recu", "bien ete enregistre",
	"bien pris en compte", "avons pris en compte",
	"accuse de reception", "accusons reception", "accusons bonne reception",
	"accuse bonne reception", "acknowledge receipt", "acknowledge the receipt",
	"a ete enregistree", "a ete enregistre",
	"votre visa a ete valide", "validation de votre visa",
	"confirmation de validation", "attestation de validation",
	"vous serez convoque", "vous recevrez prochainement",
	"vous recevrez une convocation", "vous recevrez ulterieurement",
	"recevrez votre convocation", "we have received", "has been received",
	"has been validated", "dossier est complet", "demande est en cours",
	NULL
};

/*
 * A summons is addressed to the person: they are convoked, or "your"
 * appointment is fixed, or they must present themselves.  An information
 * mail ("prochaine réunion collective : jeudi 15 juin à 10h00") announces
 * dates too, but asks nobody in particular to come.  Hence no bare
 * "rendez-vous le": "venez nous rencontrer ... rendez-vous le 12 mars à
 * 14h à la mairie" invites the public; "votre rendez-vous le", "vous
 * avez rendez-vous le", "nous vous donnons rendez-vous le" address the
 * person.
 */
static const char *const kw_summons[] = {
	"convoc", "convoqu", "votre rendez-vous", "votre rdv", "votre visite",
	"votre entretien", "votre test", "votre examen", "votre formation",
	"votre seance", "votre session", "votre journee", "votre radio",
	"vous presenter", "presentez-vous", "vous etes attendu",
	"vous etes invite", "vous etes prie", "vous etes inscrit",
	"votre presence", "nous vous attendons", "vous attend",
	"rendez-vous vous a ete", "rendez-vous est fixe",
	"rendez-vous a ete fixe", "rendez-vous est programme",
	"rendez-vous a ete programme", "rendez-vous est prevu",
	"rendez-vous a ete", "rendez-vous du", "rendez-vous initial",
	"vous avez rendez-vous", "vous avez un rendez-vous",
	"vous donne rendez-vous", "vous donnons rendez-vous",
	"vous fixe rendez-vous", "vous fixons rendez-vous",
	"rendez-vous confirme", "rendez-vous :",
	"appointment on", "appointment confirmed", "appointment:",
	"your appointment", "you are invited", "you are requested",
	"you are required", "you are summoned", "you are expected",
	"please attend", "please come", "please present", "you must attend",
	"your visit", "your medical", "your welcome", "your interview",
	"your session", "your test", "summons", "notice to attend",
	"report de votre", NULL
};

/*
 * OFII must be the one who invites, not merely mentioned: "si vous avez
 * signé un CIR avec l'OFII, apportez ..." in a language school's mail.
 * Besides the From address and the subject, these phrases (or a line that
 * starts with OFII: letter head, signature, "Lieu : OFII - ...") say so.
 */
static const char *const kw_ofii_inviter[] = {
	"l'ofii vous", "(ofii) vous", "ofii vous convoque", "ofii vous invite",
	"convocation ofii", "convocation de l'ofii", "convocation a l'ofii",
	"rendez-vous ofii", "rendez-vous a l'ofii", "rdv ofii",
	"visite medicale ofii", "medicale de l'ofii", "locaux de l'ofii",
	"direction territoriale de l'ofii", "service medical de l'ofii",
	"medecin de l'ofii", "l'office vous", "office vous convoque",
	"the ofii", "ofii invites you", "ofii medical", NULL
};

/* A mailing list, never a personal convocation. */
static const char *const kw_newsletter_mail[] = {
	"se desinscrire", "desinscription", "unsubscribe", "desabonner",
	"lettre d'information", "newsletter", NULL
};

/* Context that makes a date an appointment. */
static const char *const kw_appt[] = {
	"convoc", "convoqu", "rendez-vous", "rdv", "visite", "examen", "vous attend",
	"presenter", "presentez", "fixe", "aura lieu", "entretien", "date :",
	"date et heure", "appointment", "scheduled", "programme", "recevr",
	"accueil", "radiographie", "test", "lieu", "heure", "attendu",
	"summon", "nouvelle date", "reporte", "deplace", "seance", "session",
	"formation", "date:", "when:", "rappel", "attend", "examination",
	"interview", "visit", "notice", NULL
};

/* Just before a date: not an appointment. */
static const char *const kw_not_appt[] = {
	"avant le", "au plus tard", "jusqu'au", "date limite", "expire",
	"envoye", "a ecrit", "wrote", "genere", "edite", "imprime", "depose",
	"valide le", "validee le", "paiement", "payer", "reglement ", "reglez", "sent:",
	"sent on", "naissance", "ne le", "nee le", "ne(e) le", "fait a",
	"redige", "recu le", "connexion", "mis a jour", "delivre",
	"emis le", "publie", "before", "deadline", "no later than", "due on",
	"enregistre", "soumis", "submitted", "received on",
	"due by",
	"valable", "expir", "cree le", NULL
};

/* A doctor booked elsewhere. */
/* The mail is about OFII at all. */
static const char *const kw_ofii[] = {
	"ofii", "office francais de l'immigration", "immigration et de l'integration",
	"french office for immigration", "integration republicaine",
	"office for immigration and integration", NULL
};

static const char *const kw_gp[] = {
	"doctolib", "dr ", "dr.", "docteur", "medecin traitant",
	"medecin generaliste", "medecine generale", "pediatre", "dentiste",
	"kinesitherapeute", "ophtalmo", "gynecolog", "dermatolog",
	"cardiolog", "maiia", "keldoc", "votre praticien", NULL
};

/* Near a date: an event for the public, not the person's appointment
   ("Venez nous rencontrer : rendez-vous le 12 mars à 14h à la mairie"). */
static const char *const kw_newsletter[] = {
	"webinaire", "webinar", "portes ouvertes", "newsletter",
	"lettre d'information", "se desinscrire", "desinscription",
	"unsubscribe", "desabonner", "conference", "salon ", "evenement",
	"inscrivez-vous", "inscription gratuite", "venez nous",
	"venez nombreux", "rejoignez-nous", "ouvert a tous", "ouverte a tous",
	"entree libre", "acces libre", "sans inscription", "come and meet",
	"join us", "open to all", NULL
};

static const char *const kw_old[] = {
	"ancien", "initialement", "precedent", "au lieu du", "au lieu de",
	"instead of", "previously", "originally", "remplace", "annule",
	"report du", "report de votre rendez-vous du", "etait fixe",
	"etait prevu", "old appointment", "cancelled", "canceled",
	"convoquait", "demande de report", NULL
};

/*
 * An information sheet's example ("Exemple : si votre convocation indique
 * le 15/03/2024 à 9h00, ...") a little before a date: the date is an
 * illustration, not the person's appointment.
 */
static const char *const kw_example[] = {
	"exemple", "example", "for instance", "e.g.", "fictif", "fictive",
	"a titre indicatif", NULL
};

/*
 * The writer's own appointment, in the first person: the person asking to
 * postpone ("Je suis convoqué le 12 septembre à 9h00, je ne pourrai pas
 * venir"), never OFII summoning them.
 */
static const char *const kw_first_person[] = {
	"je suis convoque", "j'ai ete convoque", "je suis attendu",
	"j'ai rendez-vous", "j'ai un rendez-vous", "mon rendez-vous",
	"ma convocation", "ma visite", "je dois me presenter",
	"i am summoned", "i have been summoned", "i was summoned",
	"i have an appointment", "my appointment", "i am due", NULL
};

/*
 * Words that summon (or move a summons) outright, unlike a mere reference
 * to the visit ("lors de votre visite du 4 juillet"): an acknowledgement
 * without one of them gives no appointment.
 */
static const char *const kw_strong_summons[] = {
	"convoque", "convocation", "vous presenter", "presentez-vous",
	"vous etes attendu", "vous etes invite", "vous etes prie",
	"rendez-vous est fixe", "rendez-vous a ete fixe",
	"rendez-vous est programme", "rendez-vous a ete programme",
	"nous vous attendons", "you are invited", "you are summoned",
	"you are expected", "please attend", "please present", "rappel",
	"reminder", NULL
};

/* Before a cancellation word in its sentence: a warning ("Tout retard
   entraînera l'annulation du rendez-vous"), not a statement. */
static const char *const kw_threat[] = {
	"entrain", "sous peine", "risque", "pourrait", "pourra", "peut ",
	"provoque", "conduira", "conduit a", "will result", "may result",
	"could result", "may lead", "will lead", "otherwise", "sinon", NULL
};

/* The body points to the subject for the date: "à la date et à l'heure
   indiquées dans l'objet de ce message". */
static const char *const kw_see_subject[] = {
	"dans l'objet", "en objet", "l'objet de ce", "l'objet du present",
	"in the subject", "dans le sujet", NULL
};

/* Just after a date: it is the old one. */
static const char *const kw_old_after[] = {
	"ne peut etre maintenu", "ne pourra pas etre maintenu",
	"ne pourra pas avoir lieu", "ne peut avoir lieu", "n'aura pas lieu",
	"est annule", "a ete annule", "est reporte", "a ete reporte",
	"est deplace", "a ete deplace", "est remplace", "est supprime",
	"has been cancelled", "has been canceled", "is cancelled",
	"is canceled", "has been moved", "has been rescheduled",
	"cannot take place", "will not take place", NULL
};

static const char *const kw_new[] = {
	"nouveau", "nouvelle", "reporte au", "deplace au", "new ",
	"annule et remplace",
	"rescheduled to", "desormais", "remplace par", "moved to", NULL
};

static const char *const kw_cir[] = {
	"integration republicaine", "contrat d'integration", "visite d'accueil",
	"entretien d'accueil", "entretien individuel", "test de langue",
	"test linguistique", "evaluation linguistique", "test de francais",
	"positionnement linguistique", "niveau de francais",
	"formation civique", "formation linguistique", "plateforme d'accueil",
	"journee d'accueil", "pole integration", "civic training",
	"language test", "welcome interview", "republican integration",
	"integration contract", "atelier", "cir", NULL
};

static const char *const kw_medical[] = {
	"visite medicale", "examen medical", "medecin", "service medical",
	"consultation medicale", "medical", "sante", "visite de controle",
	NULL
};

static const char *const kw_xray[] = {
	"radiographie", "radio pulmonaire", "radio du thorax", "radiologie",
	"radiologique", "x-ray", "xray", "imagerie", "radio thoracique",
	"cliche", NULL
};

/* Words that name an item to bring. */
static const char *const kw_items[] = {
	"passeport", "passport", "titre de voyage", "document de voyage",
	"convocation", "cette lettre", "la presente lettre", "ce courrier",
	"this letter", "summons", "this notice", "the notice",
	"notice to attend", "radiographie", "radio pulmonaire",
	"radio du thorax", "cliche", "x-ray", "radiologue", "films",
	"radio des poumons", "vaccin", "carnet de sante", "immunization",
	"hopital", "hospital", "hospitalisation", "dossier medical",
	"documents medicaux", "comptes rendus medicaux", "medical records",
	"medical reports", "lunettes", "lentilles", "glasses", "grossesse",
	"maternite", "enceinte", "pregnan", "photo",
	"justificatif de domicile", "justificatif d'adresse", "quittance",
	"facture", "attestation d'hebergement", "proof of address",
	"timbre fiscal", "timbres fiscaux", "timbre electronique",
	"timbre dematerialise", "tax stamp", "timbre", NULL
};

/* The item each kw_items entry stands for. */
static const enum item kw_items_item[] = {
	ITEM_PASSPORT, ITEM_PASSPORT, ITEM_PASSPORT, ITEM_PASSPORT,
	ITEM_CONVOCATION, ITEM_CONVOCATION, ITEM_CONVOCATION,
	ITEM_CONVOCATION, ITEM_CONVOCATION, ITEM_CONVOCATION,
	ITEM_CONVOCATION, ITEM_CONVOCATION, ITEM_CONVOCATION,
	ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY,
	ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY, ITEM_CHEST_XRAY,
	ITEM_VACCINATION_RECORDS, ITEM_VACCINATION_RECORDS,
	ITEM_VACCINATION_RECORDS, ITEM_HOSPITAL_REPORTS,
	ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS,
	ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS, ITEM_HOSPITAL_REPORTS,
	ITEM_HOSPITAL_REPORTS, ITEM_GLASSES, ITEM_GLASSES, ITEM_GLASSES,
	ITEM_MATERNITY_RECORD, ITEM_MATERNITY_RECORD, ITEM_MATERNITY_RECORD,
	ITEM_MATERNITY_RECORD, ITEM_PHOTO, ITEM_PROOF_OF_ADDRESS,
	ITEM_PROOF_OF_ADDRESS, ITEM_PROOF_OF_ADDRESS, ITEM_PROOF_OF_ADDRESS,
	ITEM_PROOF_OF_ADDRESS, ITEM_PROOF_OF_ADDRESS, ITEM_TAX_STAMP,
	ITEM_TAX_STAMP, ITEM_TAX_STAMP, ITEM_TAX_STAMP, ITEM_TAX_STAMP,
	ITEM_TAX_STAMP
};

static const char *const kw_bring[] = {
	"apport", "munir", "munissez", "muni(e)", "munie", "muni ",
	"prenez avec vous", "presentez au", "presenter au", "a presenter",
	"documents a fournir", "pieces a fournir", "a fournir",
	"presenterez", "documents obligatoires", "documents :", "pieces :", "documents a ", "liste des documents",
	"ce qu'il faut", "bring", "documents necessaires",
	"pieces justificatives", "documents suivants", "pieces suivantes",
	"avec vous", "n'oubliez pas", "pensez a prendre", "emportez",
	"presentez-vous avec", "vous devez presenter", "se presenter avec",
	"documents requis", "pieces a", "required documents",
	"documents to", "take with you", "pensez a votre", "pensez a apporter",
	/* "Le jour de la visite, présentez :" then a list; "Présentez-vous
	   aux deux rendez-vous avec votre passeport et ..." */
	"presentez :", "presenter :", "presentez les", "avec votre passeport",
	"avec votre titre", "with your passport", NULL
};

static const char *const kw_not_bring[] = {
	"inutile d", "pas besoin d", "n'apportez pas", "ne pas apporter",
	"pas necessaire", "ne vous seront pas demande", "no need to",
	"do not need to", "do not bring", "don't bring", NULL
};

static const char *const kw_onsite[] = {
	"sur place", "dans nos locaux", "pendant la visite",
	"lors de la visite", "au cours de la visite", "le jour meme",
	"est incluse", "est inclus", "inclus dans", "incluse dans",
	"par nos soins", "aucun rendez-vous a prendre",
	"pas besoin de prendre rendez-vous", "n'avez pas a prendre",
	"pas de rendez-vous a prendre", "on site", "during the visit",
	"during your visit", "realisee a l'ofii", "realise a l'ofii",
	"effectuee a l'ofii", "dans les locaux de l'ofii", NULL
};

/* ------------------------------------------------------------ index */

/*
 * Keyword index.  Every list below is looked for in each doc many times,
 * around every date and in every sentence; searching each window anew
 * made the cost (keywords x window x dates).  Instead each doc's folded
 * text is scanned once: a table keyed on the first three bytes gives the
 * few keywords that can start at a position, and every occurrence goes
 * into its list's position array (sorted, since the scan goes forward).
 * A window query is then a binary search.  Results are those of any(),
 * any_word() and nearest_before() on the same text.
 */
static const char *const *const indexed[] = {
	kw_negation, kw_cancel, kw_resched, kw_announce, kw_ack, kw_summons,
	kw_ofii_inviter, kw_newsletter_mail, kw_appt, kw_not_appt, kw_ofii,
	kw_gp, kw_newsletter, kw_old, kw_old_after, kw_new, kw_cir,
	kw_medical, kw_xray, kw_items, kw_bring, kw_not_bring, kw_onsite,
	kw_example, kw_first_person, kw_strong_summons, kw_threat,
	kw_see_subject
};
#define NINDEXED	(sizeof(indexed) / sizeof(indexed[0]))
#define KW_BUCKETS	4096
#define KW_MAX_ENTRIES	1024
#define KW_NONE		0xffff

struct kw_entry {
	const char	*w;
	uint16_t	 len, list, id, next;
};

/*
 * The lookup table.  It depends only on the constant lists above, so it
 * is built once per process (kw_table_get) rather than per extraction,
 * where it cost about 3% of the time.  C cannot compute the hash chains
 * in a static initializer without a generated source, so a C11
 * call_once builds it: thread-safe, and read-only afterwards, so no
 * extraction can see another's state.
 */
struct kw_table {
	struct kw_entry	 e[KW_MAX_ENTRIES];
	uint16_t	 head[KW_BUCKETS];
	size_t		 n;
	int		 bad[NINDEXED];	/* a keyword too short to index */
};

struct kw_hit {
	uint32_t	 pos;
	uint16_t	 id, len;
};

struct kw_hits {
	struct kw_hit	*v;
	size_t		 n, cap;
};

static unsigned
kw_hash(const char *s)
{
	return ((unsigned char)s[0] * 961u + (unsigned char)s[1] * 31u +
	    (unsigned char)s[2]) & (KW_BUCKETS - 1);
}

static void
kw_table_init(struct kw_table *t)
{
	size_t l, k, n;
	unsigned h;

	memset(t->head, 0xff, sizeof(t->head));
	t->n = 0;
	for (l = 0; l < NINDEXED; l++) {
		t->bad[l] = 0;
		for (k = 0; indexed[l][k] != NULL; k++) {
			n = strlen(indexed[l][k]);
			if (n < 3 || n > 0xffff || t->n == KW_MAX_ENTRIES) {
				t->bad[l] = 1;
				continue;
			}
			h = kw_hash(indexed[l][k]);
			t->e[t->n].w = indexed[l][k];
			t->e[t->n].len = (uint16_t)n;
			t->e[t->n].list = (uint16_t)l;
			t->e[t->n].id = (uint16_t)k;
			t->e[t->n].next = t->head[h];
			t->head[h] = (uint16_t)t->n;
			t->n++;
		}
	}
}

static struct kw_table	kw_table_data;
static once_flag	kw_table_once = ONCE_FLAG_INIT;

static void
kw_table_build(void)
{
	kw_table_init(&kw_table_data);
}

static const struct kw_table *
kw_table_get(void)
{
	call_once(&kw_table_once, kw_table_build);
	return &kw_table_data;
}

static int
kw_push(struct kw_hits *h, size_t pos, uint16_t id, uint16_t len)
{
	struct kw_hit *nv;
	size_t ncap;

	if (h->n == h->cap) {
		ncap = h->cap ? h->cap * 2 : 8;
		if ((nv = reallocarray(h->v, ncap, sizeof(*nv))) == NULL)
			return -1;
		h->v = nv;
		h->cap = ncap;
	}
	h->v[h->n].pos = (uint32_t)pos;
	h->v[h->n].id = id;
	h->v[h->n].len = len;
	h->n++;
	return 0;
}

/* Index of the list, or -1 when it is not indexed. */
static int
kw_list(const char *const *list)
{
	size_t l;

	for (l = 0; l < NINDEXED; l++)
		if (indexed[l] == list)
			return (int)l;
	return -1;
}

/* First hit at or after pos. */
static size_t
kw_lower(const struct kw_hits *h, size_t pos)
{
	size_t lo = 0, hi = h->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->v[mid].pos < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Nearest keyword of a list ending before pos in [a, pos): its position
   (-1 none). */
static long
nearest_before(const char *s, size_t a, size_t pos, const char *const *list)
{
	long best = -1, p;

	for (; *list != NULL; list++) {
		if (strcmp(*list, "cir") == 0) {
			size_t from = a;
			long q, last = -1;

			while ((q = find_word(s, from, pos, "cir")) >= 0) {
				last = q;
				from = (size_t)q + 1;
			}
			p = last;
		} else
			p = rfind(s, a, pos, *list);
		if (p > best)
			best = p;
	}
	return best;
}

/*
 * A line of the doc names OFII as its author: it starts with OFII (letter
 * head, signature, "Lieu : OFII - Service médical") or is a short line
 * with OFII in it ("Secrétariat médical - OFII Strasbourg"), not a
 * sentence that merely mentions it.
 */
static int
ofii_line(const char *s, size_t len)
{
	static const char *const heads[] = { "ofii", "l'ofii",
	    "office francais de l'immigration",
	    "french office for immigration", NULL };
	size_t ls, le, a, i, k, words;
	long p;

	for (ls = 0; ls < len; ls = le + 1) {
		le = line_end(s, len, ls);
		if ((p = find(s, ls, le, "ofii")) < 0 &&
		    find(s, ls, le, "office francais de l'immigration") < 0 &&
		    find(s, ls, le, "french office for immigration") < 0)
			continue;
		a = skip_ws(s, ls, le);
		while (a < le && (s[a] == '*' || s[a] == '-' || s[a] == '>'))
			a = skip_ws(s, a + 1, le);
		/* a label first: "Lieu : OFII", "Expéditeur : OFII" */
		for (i = a; i < le && i - a < 30; i++)
			if (s[i] == ':') {
				a = skip_ws(s, i + 1, le);
				break;
			}
		for (k = 0; heads[k] != NULL; k++)
			if (starts(s, a, le, heads[k]))
				return 1;
		if (p < 0 || le - a > 70)
			continue;
		for (words = 1, i = a; i < le; i++)
			if (s[i] == ' ')
				words++;
		if (words <= 7 && !ends(s, a, le, ",") && !ends(s, a, le, ".") &&
		    !ends(s, a, le, ";"))
			return 1;
	}
	return 0;
}

static void
doc_unindex(struct doc *d)
{
	size_t l;

	if (d->hits != NULL)
		for (l = 0; l < NINDEXED; l++)
			free(d->hits[l].v);
	free(d->hits);
	d->hits = NULL;
}

/* Scan the doc once for every indexed keyword (see above). */
static int
doc_index(struct doc *d, const struct kw_table *t)
{
	const char *s = d->f.s;
	size_t i, len = d->f.len;
	uint16_t k;

	if ((d->hits = calloc(NINDEXED, sizeof(*d->hits))) == NULL)
		return -1;
	d->bad = t->bad;
	for (i = 0; i + 3 <= len; i++) {
		for (k = t->head[kw_hash(s + i)]; k != KW_NONE; k = t->e[k].next) {
			const struct kw_entry *e = &t->e[k];

			if (e->len > len - i || e->w[0] != s[i] ||
			    memcmp(s + i, e->w, e->len) != 0)
				continue;
			if (kw_push(&d->hits[e->list], i, e->id, e->len) == -1)
				return -1;
		}
	}
	return 0;
}

/* any() on the doc's folded text: a keyword of list inside [a, b). */
static int
dany(const struct doc *d, size_t a, size_t b, const char *const *list)
{
	const struct kw_hits *h;
	size_t j;
	int l;

	if (d->hits == NULL || (l = kw_list(list)) < 0 || d->bad[l])
		return any(d->f.s, a, b, list);
	h = &d->hits[l];
	for (j = kw_lower(h, a); j < h->n && h->v[j].pos < b; j++)
		if (h->v[j].pos + h->v[j].len <= b)
			return 1;
	return 0;
}

/* any_word() on the doc's folded text. */
static int
dany_word(const struct doc *d, size_t a, size_t b, const char *const *list)
{
	const struct kw_hits *h;
	size_t j, p;
	int l;

	if (d->hits == NULL || (l = kw_list(list)) < 0 || d->bad[l])
		return any_word(d->f.s, a, b, list);
	h = &d->hits[l];
	for (j = kw_lower(h, a); j < h->n && h->v[j].pos < b; j++) {
		p = h->v[j].pos;
		if (p + h->v[j].len <= b && (p == 0 ||
		    !ascii_is_wordnum((unsigned char)d->f.s[p - 1])))
			return 1;
	}
	return 0;
}

/* nearest_before() on the doc's folded text ("cir" as a whole word). */
static long
dnearest_before(const struct doc *d, size_t a, size_t pos,
    const char *const *list)
{
	const struct kw_hits *h;
	const char *s = d->f.s;
	size_t j, p, n;
	int l;

	if (d->hits == NULL || (l = kw_list(list)) < 0 || d->bad[l])
		return nearest_before(s, a, pos, list);
	h = &d->hits[l];
	for (j = kw_lower(h, pos); j-- > 0 && h->v[j].pos >= a;) {
		p = h->v[j].pos;
		n = h->v[j].len;
		if (p + n > pos)
			continue;
		if (strcmp(list[h->v[j].id], "cir") == 0 && ((p > 0 &&
		    ascii_is_wordnum((unsigned char)s[p - 1])) || (p + n < pos &&
		    ascii_is_wordnum((unsigned char)s[p + n]))))
			continue;
		return (long)p;
	}
	return -1;
}

/* ------------------------------------------------------------ candidates */

struct cand {
	size_t		 doc;
	size_t		 dpos, tpos, tend;	/* date, time (folded) */
	struct walltime	 start, end;
	int		 old, is_new;
	enum appt_type	 type;
	const struct address *addr;
};

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
	static const char *const w[] = { "a", "fait", "sur", "de", "la", "le",
	    "les", "du", "en", "d'", "l'", NULL };
	size_t k, n;

	for (k = 0; w[k] != NULL; k++) {
		n = strlen(w[k]);
		if (starts(s, i, b, w[k]) && (w[k][n - 1] == '\'' ||
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
		if (t->kind != FRDATE_DATE || t->year == 0)
			continue;
		/* nothing but a full stop after it in its line or cell */
		for (e = t->end; e < d->f.len && (s[e] == ' ' || s[e] == '.' ||
		    s[e] == '\r'); e++)
			;
		if (e < d->f.len && s[e] != '\n' && s[e] != '\t')
			continue;
		a = line_start(s, t->start);
		for (i = t->start; i > a; i--)
			if (s[i - 1] == '\t') {
				a = i;
				break;
			}
		a = skip_ws(s, a, t->start);
		b = t->start;
		while (b > a && s[b - 1] == ' ')
			b--;
		if (b < a + 3 || memcmp(s + b - 3, " le", 3) != 0)
			continue;
		b -= 3;
		if (b > a && s[b - 1] == ',')
			b--;
		else if (!starts(s, a, b, "fait a "))
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

/* Skip a list bullet ("- ", "* ") at folded a of [a, b). */
static size_t
skip_bullet(const char *s, size_t a, size_t b)
{
	a = skip_ws(s, a, b);
	while (a < b && (s[a] == '*' || s[a] == '-') && a + 1 < b &&
	    (s[a + 1] == ' ' || s[a + 1] == '\t'))
		a = skip_ws(s, a + 1, b);
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
	size_t ls = line_start(s, t[k].start), le, j;

	le = line_end(s, d->f.len, t[k].start);
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
			if (!blank(s, st, i)) {
				ca[n] = st;
				cb[n] = i;
				n++;
			}
			st = i + 1;
		}
	return n;
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
		le = line_end(s, d->f.len, t[k].start);
		for (lines = 0, nl = le; lines < 2 && nl < d->f.len; lines++) {
			nl++;
			nle = line_end(s, d->f.len, nl);
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
	ls = line_start(s, t[k].start);
	for (j = k; j-- > 0 && t[j].start + 200 > t[k].start;) {
		if (t[j].kind == FRDATE_DATE)
			break;
		if (t[j].end > ls || lines_between(s, t[j].end, ls) > 2)
			continue;
		a = skip_bullet(s, line_start(s, t[j].start), t[j].start);
		if (starts(s, a, t[j].start, "heure") ||
		    starts(s, a, t[j].start, "horaire") ||
		    starts(s, a, t[j].start, "time"))
			return (long)j;
		break;
	}
	/* On one of the next two lines, labelled: "Heure : 14h45". */
	le = line_end(s, d->f.len, t[k].end);
	for (lines = 0, nl = le; lines < 2 && nl < d->f.len; lines++) {
		nl++;
		nle = line_end(s, d->f.len, nl);
		a = skip_ws(s, nl, nle);
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
			    (starts(s, ab, nle, "heure") ||
			    starts(s, ab, nle, "horaire") ||
			    starts(s, ab, nle, "time")))
				return (long)j;
			if (t[j].start == a || (t[j].start - a < 30 &&
			    (starts(s, a, nle, "heure") ||
			    starts(s, a, nle, "horaire") ||
			    starts(s, a, nle, "time") ||
			    starts(s, a, nle, "a ") ||
			    starts(s, a, nle, "de ") ||
			    starts(s, a, nle, "entre ") ||
			    starts(s, a, nle, "creneau"))))
				return (long)j;
			break;
		}
		nl = nle;
	}
	return -1;
}

/* Is a time window on this line opening or phone hours? */
static int
hours_line(const char *s, size_t a, size_t b)
{
	static const char *const w[] = { "du lundi au", "ouvert", "horaires",
	    "permanence", "joignable", "accueil telephonique",
	    "standard", "monday to", "open ", "opening", NULL };

	return any(s, a, b, w);
}

static enum appt_type
type_for(const struct doc *d, size_t dpos, size_t lend, const char *subj,
    size_t sublen)
{
	const char *s = d->f.s;
	size_t a = dpos > 500 ? dpos - 500 : 0;
	long pc, pm, px, best;

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
		    find(s, line_start(s, (size_t)px), dpos, "visite medicale") < 0 &&
		    find(s, line_start(s, (size_t)px), dpos, "examen medical") < 0 &&
		    find(s, line_start(s, (size_t)px), dpos, "medical examination") < 0)
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
	pc = find(s, 0, d->f.len, "integration republicaine");
	pm = find(s, 0, d->f.len, "medical");
	if (pc >= 0 && (pm < 0 || pc < pm))
		return APPT_CIR;
	if (pm < 0 && subj != NULL && (any(subj, 0, sublen, kw_cir)))
		return APPT_CIR;
	return APPT_MEDICAL;
}

static int
is_radiology(const struct address *ad)
{
	struct folded_text f;
	int r = 0;

	if (ad->name == NULL)
		return 0;
	if (frdate_fold(ad->name, strlen(ad->name), &f, NULL) == -1)
		return 0;
	r = any(f.s, 0, f.len, kw_xray) ||
	    find(f.s, 0, f.len, "radio") >= 0 || find(f.s, 0, f.len, "scanner") >= 0;
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
static const struct address *
labelled_place(const struct ctx_docs *cd)
{
	static const char *const labels[] = { "adresse", "lieu", "address",
	    "location", "venue", NULL };
	const struct address *found = NULL, *ad;
	const struct doc *d;
	const char *s;
	size_t i, j, k, ls, le, pls, a, n;

	for (i = 0; i < cd->ndocs; i++) {
		d = &cd->docs[i];
		s = d->f.s;
		for (j = 0, n = 0; j < d->naddr && n < 64; j++, n++) {
			int hit = 0;

			ad = &d->addr[j];
			if (ad->recipient || ad->cedex || is_radiology(ad))
				continue;
			ls = line_start(s, ad->start);
			le = line_end(s, d->f.len, ad->start);
			a = skip_bullet(s, ls, le);
			for (k = 0; labels[k] != NULL && !hit; k++)
				if (starts(s, a, le, labels[k]) &&
				    find(s, a, a + strlen(labels[k]) + 16 < le ?
				    a + strlen(labels[k]) + 16 : le, ":") >= 0)
					hit = 1;
			if (!hit && ls > 0) {
				pls = line_start(s, ls - 1);
				hit = ends(s, pls, ls - 1, ":") &&
				    (find(s, pls, ls - 1, "adresse") >= 0 ||
				    find(s, pls, ls - 1, "address") >= 0);
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

static const struct address *
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

/* ------------------------------------------------------------ items */




static unsigned
items_in(const struct doc *d, size_t a, size_t b)
{
	const char *s = d->f.s;
	unsigned set = 0;
	size_t k, from, j;
	const struct kw_hits *h;
	long p;
	int l;

	if (d->hits != NULL && (l = kw_list(kw_items)) >= 0 && !d->bad[l]) {
		h = &d->hits[l];
		for (j = kw_lower(h, a); j < h->n && h->v[j].pos < b; j++) {
			p = h->v[j].pos;
			k = h->v[j].id;
			if ((size_t)p + h->v[j].len > b)
				continue;
			/* "photocopie" is not a photo */
			if (kw_items_item[k] == ITEM_PHOTO &&
			    starts(s, (size_t)p, b, "photocop"))
				continue;
			set |= 1u << kw_items_item[k];
		}
		return set;
	}
	for (k = 0; kw_items[k] != NULL; k++) {
		from = a;
		while ((p = find(s, from, b, kw_items[k])) >= 0) {
			from = (size_t)p + 1;
			if (kw_items_item[k] == ITEM_PHOTO &&
			    starts(s, (size_t)p, b, "photocop"))
				continue;
			set |= 1u << kw_items_item[k];
			break;
		}
	}
	return set;
}

/* A list line: bullet, number, dash; *alone when the bullet stands on
   its own line (PDF text puts the bullet column apart). */
static int
list_item(const char *s, size_t a, size_t b, int *alone)
{
	size_t e = b;

	a = skip_ws(s, a, b);
	while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	*alone = 0;
	if (a >= e)
		return 0;
	if ((s[a] == '*' || s[a] == '-' || s[a] == '+') && a + 1 == e) {
		*alone = 1;
		return 1;
	}
	if ((s[a] == '*' || s[a] == '-' || s[a] == '+' || s[a] == 'o') &&
	    a + 1 < e && (s[a + 1] == ' ' || s[a + 1] == '\t'))
		return 1;
	if (s[a] >= '0' && s[a] <= '9' && a + 1 < e &&
	    (s[a + 1] == ')' || s[a + 1] == '.' || s[a + 1] == '-' ||
	    s[a + 1] == '/'))
		return 1;
	if (s[a] >= 'a' && s[a] <= 'h' && a + 1 < e && s[a + 1] == ')')
		return 1;
	return 0;
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
		    s[skip_ws(s, i + 1, len)] == '\n'))
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

static int	all_caps(const char *, size_t);

static unsigned
doc_items(const struct doc *d)
{
	const char *s = d->f.s;
	size_t len = d->f.len, i, k, ls, le, n, e, l, a, b, ta, hi;
	unsigned set = 0;
	long p;
	int items, bullets, alone, bl;
	const struct kw_hits *bh = NULL;

	if (d->hits != NULL && (bl = kw_list(kw_bring)) >= 0 && !d->bad[bl])
		bh = &d->hits[bl];

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
			if ((p = find(s, i, len, kw_bring[k])) < 0) {
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
			ls = line_start(s, (size_t)p);
			le = line_end(s, len, (size_t)p);
			/* a heading: ends with ':' or is a short line
			   without a sentence in it, or a title in capitals
			   (a separate list "PIÈCES À FOURNIR LE JOUR DE LA
			   VISITE MÉDICALE", longer than a label) */
			if (!ends(s, ls, le, ":") && (memchr(s + ls, ',',
			    le - ls) != NULL || ends(s, ls, le, ".") ||
			    (le - skip_ws(s, ls, le) > 45 && !(le - ls <= 90 &&
			    all_caps(d->text + d->f.off[ls],
			    d->f.off[le] - d->f.off[ls])))))
				continue;
			items = bullets = 0;
			for (n = 0, l = le + 1; n < 16 && l < len; n++) {
				e = line_end(s, len, l);
				ta = skip_ws(s, l, e);
				if (blank(s, l, e)) {
					if (items > 0)
						break;
					l = e + 1;
					continue;
				}
				if (list_item(s, l, e, &alone))
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

/* ------------------------------------------------------------ x-ray */


/* Sentence [a, b) around pos. */
static void
sentence(const char *s, size_t len, size_t pos, size_t *a, size_t *b)
{
	size_t i;

	for (i = pos; i > 0 && pos - i < 400; i--) {
		if ((s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?' ||
		    s[i - 1] == ';') && (s[i] == ' ' || s[i] == '\n'))
			break;
		if (s[i - 1] == '\n' && i >= 2 && s[i - 2] == '\n')
			break;
	}
	*a = i;
	for (i = pos; i < len && i - pos < 400; i++) {
		if ((s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == ';') &&
		    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\n'))
			break;
		if (s[i] == '\n' && i + 1 < len && s[i + 1] == '\n')
			break;
	}
	*b = i;
}

static int
xray_on_site(const struct doc *d)
{
	const char *s = d->f.s;
	size_t i = 0, a, b, k;
	long p;

	for (k = 0; kw_xray[k] != NULL; k++) {
		i = 0;
		while ((p = find(s, i, d->f.len, kw_xray[k])) >= 0) {
			sentence(s, d->f.len, (size_t)p, &a, &b);
			if (dany(d, a, b, kw_onsite) &&
			    find(s, a, b, "rendez-vous sur place") < 0 &&
			    find(s, a, b, "rdv sur place") < 0)
				return 1;
			i = (size_t)p + 1;
		}
	}
	return 0;
}

/* A radiology centre named by the doc: an address in a radiology
   context that is not an appointment place. */
static const struct address *
xray_address(const struct doc *d, const struct appointment *appts,
    size_t nappts, const struct address *const *used, size_t nused)
{
	const struct address *ad;
	size_t i, j, a;

	/* first pass: a centre with its street; then a bare "CP city" */
	for (i = 0; i < 2 * d->naddr; i++) {
		ad = &d->addr[i % d->naddr];
		if (ad->recipient || ad->cedex ||
		    (i < d->naddr && ad->street == NULL))
			continue;
		/* OFII's own office (a letter head or footer near "le
		   résultat de la radiographie") books no X-ray */
		if (ad->name != NULL && (strstr(ad->name, "OFII") != NULL ||
		    strstr(ad->name, "Office fran") != NULL))
			continue;
		for (j = 0; j < nused; j++)
			if (used[j] == ad)
				break;
		if (j < nused)
			continue;
		a = ad->start > 400 ? ad->start - 400 : 0;
		if (!is_radiology(ad) && !dany(d, a, ad->pc_start, kw_xray))
			continue;
		/* the same address as an appointment's place */
		for (j = 0; j < nappts; j++)
			if (appts[j].place != NULL &&
			    strcmp(appts[j].place, ad->place) == 0)
				break;
		if (j < nappts)
			continue;
		return ad;
	}
	return NULL;
}

/*
 * The name of a place the text gives without one ("RDV le 09/06 à 9h30,
 * 12 rue Paul Bellamy, 44000 Nantes"): the same street elsewhere in the
 * mail with a name, as a full address or as a street line under a name
 * line (a PDF whose columns came out of order: "Lieu :", "OFII - Service
 * médical", "12 rue Paul Bellamy", the postal code elsewhere).  malloc'd,
 * or NULL.
 */
static char *
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
		    (p = find(d->f.s, from, d->f.len, fs.s)) >= 0;
		    from = (size_t)p + 1, tries++) {
			/* a street line of its own, or after a label */
			ls = line_start(d->f.s, (size_t)p);
			if (!blank(d->f.s, ls, (size_t)p) &&
			    !ends(d->f.s, ls, (size_t)p, ":"))
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

static const struct phone *
phone_near(const struct doc *d, const struct address *ad)
{
	const char *s = d->f.s;
	size_t i, lim = ad->end, n;
	int lines = 0;

	/* Up to the end of the second line after the address. */
	while (lim < d->f.len && lines < 3) {
		if (s[lim] == '\n')
			lines++;
		lim++;
	}
	for (i = 0; i < d->nph; i++) {
		if (d->ph[i].start >= ad->end && d->ph[i].start < lim)
			return &d->ph[i];
	}
	/* "Centre X (tél. 02 ...)" before the street, on its lines */
	n = ad->start;
	for (i = 0; i < d->nph; i++)
		if (d->ph[i].start >= n && d->ph[i].start < ad->pc_start)
			return &d->ph[i];
	return NULL;
}

/* ------------------------------------------------------------ person */

/* Original word [a, b) written in capitals ("ADEYEMI", "N'DIAYE"). */
static int
all_caps(const char *o, size_t n)
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

/*
 * The addressee named on a line: "Monsieur ADEYEMI Tunde" (address
 * block), "Bonjour Madame QUISPE," (salutation), "- Madame X" (list of
 * people).  *score: 2 address block or list, 1 salutation.  Returns the
 * name as "Given FAMILY" (malloc'd) or NULL.
 */
static char *
person_on_line(const struct doc *d, size_t ls, size_t le, int *score)
{
	static const char *const civ[] = { "monsieur ", "madame ", "mme ",
	    "mlle ", "m. ", "mr ", "mr. ", "mrs ", "mrs. ", "ms ", "ms. ",
	    "miss ", "mademoiselle ", NULL };
	static const char *const greet[] = { "bonjour ", "cher ", "chere ",
	    "dear ", "hello ", "madame, ", "monsieur, ", NULL };
	static const char *const not_names[] = { "sir", "madam", "madame",
	    "monsieur", "mesdames", "messieurs", "applicant", "usager",
	    "customer", "client", "all", "tous", "toutes", "team", "equipe",
	    "candidat", "beneficiaire", "ofii", NULL };
	/* "Nom et prénom(s) : KOWALSKA Agnieszka" names both on one line:
	   the combined labels come before "nom" so that the whole label is
	   skipped, and the word in capitals is the family name */
	static const char *const labels[] = { "nom et prenom(s)",
	    "nom et prenom", "nom, prenom", "nom/prenom", "nom / prenom",
	    "nom - prenom", "nom prenom", "prenom et nom", "prenom(s) et nom",
	    "nom complet", "full name", "surname and first name",
	    "nom", "name", "destinataire",
	    "beneficiaire", "usager", "demandeur", "interesse", "a l'attention de",
	    "attention", "to:", "employee", "salarie", "collaborat",
	    "beneficiary", "assignee", "transferee", NULL };
	const char *s = d->f.s, *o;
	size_t a, k, w, n, words = 0, gi = 0, fi = 0, ws[6], we[6];
	char given[256], family[256], *out;
	int caps[6], labelled = 0;

	a = skip_ws(s, ls, le);
	*score = 2;
	while (a < le && (s[a] == '*' || s[a] == '-'))
		a = skip_ws(s, a + 1, le);
	/* "Nom :<TAB>Monsieur X", "Destinataire : Mme Y" */
	for (k = 0; labels[k] != NULL; k++)
		if (starts(s, a, le, labels[k])) {
			a += strlen(labels[k]);
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
	for (k = 0; greet[k] != NULL; k++)
		if (starts(s, a, le, greet[k])) {
			a = skip_ws(s, a + strlen(greet[k]), le);
			*score = 1;
			break;
		}
	for (k = 0; civ[k] != NULL; k++)
		if (starts(s, a, le, civ[k]))
			break;
	if (civ[k] != NULL)
		w = skip_ws(s, a + strlen(civ[k]), le);
	else if (*score == 1 && ends(s, a, le, ",") && !any_word(s, a, le,
	    not_names))
		w = a;		/* "Bonjour Fatima KONE," */
	else if (labelled && *score == 2 && !any_word(s, a, le, not_names))
		w = a;		/* "Employee: Kenji WATANABE", checked below */
	else
		return NULL;
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
		caps[words] = all_caps(d->text + d->f.off[w],
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
	/* a labelled value without civility: a full name alone on its line,
	   given names and a family name in capitals ("Kenji WATANABE"), not
	   "Service Médical" or "OFII" */
	if (labelled && civ[k] == NULL && *score == 2) {
		int nc = 0;

		for (n = 0; n < words; n++)
			nc += caps[n];
		if (words < 2 || nc == 0 || nc == (int)words ||
		    skip_ws(s, we[words - 1], le) < le)
			return NULL;
	}
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
	w = skip_ws(s, w, le);
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
		if (!all_caps(d->text + d->f.off[w], d->f.off[n] - d->f.off[w]))
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
	if (words == 0 || words == 6 || (skip_ws(s, last, le) < le &&
	    s[skip_ws(s, last, le)] != '\t'))
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
	size_t a = skip_ws(s, ls, le), k, i;

	while (a < le && (s[a] == '*' || s[a] == '-'))
		a = skip_ws(s, a + 1, le);
	for (k = 0; labels[k] != NULL; k++) {
		if (!starts(s, a, le, labels[k]))
			continue;
		i = skip_ws(s, a + strlen(labels[k]), le);
		if (i < le && s[i] == ':')
			return skip_ws(s, i + 1, le);
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
	static const char *const fam[] = { "nom de famille", "nom de naissance",
	    "nom d'usage", "nom patronymique", "nom", "surname", "last name",
	    "family name", NULL };
	static const char *const giv[] = { "prenom(s)", "prenoms", "prenom",
	    "first name(s)", "first names", "first name", "given name(s)",
	    "given names", "given name", "forename(s)", "forenames",
	    "forename", NULL };
	const char *s = d->f.s;
	size_t v, fa, fb, ga = 0, gb = 0, l, e, n;
	int caps, gcaps, lines;
	char *out;

	if ((v = form_label(s, ls, le, fam)) == 0 ||
	    !form_value(d, v, le, &fa, &fb, &caps))
		return NULL;
	/* the given names on one of the three lines around */
	l = ls;
	for (lines = 0; lines < 3 && l > 0 && ga == gb; lines++) {
		l = line_start(s, l - 1);
		e = line_end(s, d->f.len, l);
		if ((v = form_label(s, l, e, giv)) != 0 &&
		    !form_value(d, v, e, &ga, &gb, &gcaps))
			ga = gb = 0;
	}
	for (lines = 0, l = le; lines < 3 && l < d->f.len && ga == gb;
	    lines++) {
		l++;
		e = line_end(s, d->f.len, l);
		if ((v = form_label(s, l, e, giv)) != 0 &&
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
static char *
person_in(const struct ctx_docs *cd, int *oom)
{
	char *best = NULL, *name, *clean;
	size_t i, ls, le;
	int score, best_score = 0, several = 0;

	*oom = 0;
	for (i = 0; i < cd->ndocs; i++) {
		const struct doc *d = &cd->docs[i];

		for (ls = 0; ls < d->f.len && ls < 400000; ls = le + 1) {
			le = line_end(d->f.s, d->f.len, ls);
			if (le - ls > 200)
				continue;
			if ((name = person_on_line(d, ls, le, &score)) == NULL) {
				if ((name = person_form(d, ls, le)) == NULL)
					continue;
				score = 2;
			}
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

/* ------------------------------------------------------------ extract */

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
	size_t a = skip_ws(subj, 0, len);

	return starts(subj, a, len, "fwd") || starts(subj, a, len, "fw:") ||
	    starts(subj, a, len, "fw :") || starts(subj, a, len, "tr:") ||
	    starts(subj, a, len, "tr :") || starts(subj, a, len, "wg:") ||
	    starts(subj, a, len, "transf") || starts(subj, a, len, "[fwd");
}

struct ctx {
	struct ctx_docs	 cd;
	struct folded_text subj;
	struct cand	 cands[MAX_CANDS];
	size_t		 ncands;
};

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
	return subject && any(x->subj.s, 0, x->subj.len, list);
}

/* A cancellation word at folded p of doc d is a warning: a threat word
   before it in its sentence ("Tout retard entraînera l'annulation du
   rendez-vous", "faute de quoi le rendez-vous est annulé"). */
static int
cancel_threat(const struct doc *d, size_t p)
{
	size_t a, b;

	sentence(d->f.s, d->f.len, p, &a, &b);
	if (p - a > 80)
		a = p - 80;
	return dany(d, a, p, kw_threat);
}

/* A cancellation statement, not "toute absence entraîne l'annulation". */
static int
mail_cancel(const struct ctx *x)
{
	const struct doc *d;
	const struct kw_hits *h;
	size_t i, j, k;
	long p;
	int l;

	if (find(x->subj.s, 0, x->subj.len, "annul") >= 0 ||
	    find(x->subj.s, 0, x->subj.len, "cancel") >= 0 ||
	    any(x->subj.s, 0, x->subj.len, kw_cancel))
		return 1;
	for (i = 0; i < x->cd.ndocs; i++) {
		d = &x->cd.docs[i];
		if (d->hits != NULL && (l = kw_list(kw_cancel)) >= 0 &&
		    !d->bad[l]) {
			h = &d->hits[l];
			/* a few are enough (hostile text repeats) */
			for (j = 0; j < h->n && j < 16; j++)
				if (!cancel_threat(d, h->v[j].pos))
					return 1;
			continue;
		}
		for (k = 0; kw_cancel[k] != NULL; k++)
			if ((p = find(d->f.s, 0, d->f.len, kw_cancel[k])) >= 0 &&
			    !cancel_threat(d, (size_t)p))
				return 1;
	}
	return 0;
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
	ls = line_start(s, t->start);
	le = line_end(s, d->f.len, tend);
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
		size_t pls = line_start(s, ls - 1);

		if (ends(s, pls, ls - 1, ":") && dany(d, pls, ls - 1, kw_old) &&
		    !dany(d, pls, ls - 1, kw_new))
			c->old = 1;
	}
	/* A row of dates under a header row: the column's header says
	   old or new ("Ancien rendez-vous<TAB>Nouveau rendez-vous"). */
	{
		size_t k = (size_t)(t - d->tok), col, ncol, ca[8], cb[8], n,
		    hl, hle, lines, dc, da[8], db[8];

		if (k < d->ntok && &d->tok[k] == t &&
		    date_column(d, k, &col, &ncol) && ls > 0) {
			dc = tab_cells(s, ls, line_end(s, d->f.len, t->start),
			    da, db, 8);
			for (lines = 0, hle = ls - 1; lines < 2; lines++) {
				hl = line_start(s, hle);
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
		sentence(s, d->f.len, tend, &a, &b);
		if (b > tend && b - tend < 200 &&
		    dany(d, tend, b, kw_old_after))
			c->old = 1;
	}
	c->type = type >= 0 ? (enum appt_type)type :
	    type_for(d, t->start, le, x->subj.s, x->subj.len);
	x->ncands++;
}

/* "Heures de passage :" then "- Monsieur X .... 9h00" lines under a date
   without a time: one candidate per time. */
static int
listed_times(struct ctx *x, size_t di, size_t k, int year)
{
	struct doc *d = &x->cd.docs[di];
	const char *s = d->f.s;
	const struct frdate_token *t = d->tok;
	size_t l, e, a, i, j, n, lead, label = 0;
	int found = 0, alone, in_list = 0, plain = 0, near = 1;

	l = line_end(s, d->f.len, t[k].end);
	/* "Le mardi 26 mars 2024, vous êtes convoqué :" then a list */
	if (ends(s, line_start(s, t[k].start), l, ":"))
		in_list = 1;
	for (n = 0; n < 14 && l < d->f.len; n++) {
		int is_label = 0, is_item;

		l++;
		e = line_end(s, d->f.len, l);
		a = skip_ws(s, l, e);
		if (starts(s, a, e, "heure") || starts(s, a, e, "horaire") ||
		    starts(s, a, e, "time"))
			label = is_label = in_list = 1;
		is_item = list_item(s, l, e, &alone);
		/* past the list: plain lines once items were seen (one
		   wrapped line of an item is fine) */
		if (!is_label && !is_item && !blank(s, l, e) && found &&
		    ++plain > 1)
			break;
		/* the date's sentence may wrap over two more lines before
		   a list that is not announced by ":" */
		if (!is_label && !is_item && !blank(s, l, e) && !found &&
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
			if (starts(s, lead, e, "a "))
				lead += 2;
			else if (starts(s, lead, e, "at "))
				lead += 3;
		}
		for (j = k + 1; j < d->ntok && t[j].start < e; j++) {
			if (t[j].start < l)
				continue;
			if (t[j].kind == FRDATE_DATE)
				return found;
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

/* "à 8h00 au lieu de 9h30": the old time follows these words. */
static const char *const kw_instead[] = {
	"au lieu de", "au lieu des", "instead of", "et non plus", "et non a",
	"rather than", NULL
};

/* "... à 9h30 est avancé à 8h00": the new time follows these words. */
static const char *const kw_time_moved[] = {
	"avance a", "avancee a", "avance au", "decale a", "decalee a",
	"retarde a", "retardee a", "deplace a", "deplacee a", "reporte a",
	"reportee a", "modifie a", "desormais a", "desormais fixe a",
	"desormais fixee a", "nouvel horaire", "nouvelle heure",
	"now at", "moved to", "changed to", "brought forward to",
	"postponed to", NULL
};

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
		if (prev >= 0 && any(s, i, t[j].start, kw_instead)) {
			*newt = prev;
			*oldt = (long)j;
			return 1;
		}
		if (prev >= 0 && any(s, i, t[j].start, kw_time_moved)) {
			*newt = (long)j;
			*oldt = prev;
			return 1;
		}
		if (prev < 0 && any(s, i, t[j].start, kw_time_moved)) {
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
	size_t a, b;

	sentence(d->f.s, d->f.len, pos, &a, &b);
	if (pos - a > 200)
		a = pos - 200;
	return dany(d, a, pos, kw_first_person);
}

/*
 * The date doc di's dates are read against (the year of "le 11 juillet",
 * what is past): its letter's own date, else the first letter date in
 * the mail, else the Date header.  The letter's date wins because a
 * letter may be forwarded months after it was written.  *ry 0: none.
 */
static void
doc_ref(const struct ctx *x, size_t di, time_t date_utc, int *ry, int *rm,
    int *rd)
{
	const struct doc *d = &x->cd.docs[di];
	struct tm tm;
	size_t i;

	*ry = *rm = *rd = 0;
	for (i = 0; d->ly == 0 && i < x->cd.ndocs; i++)
		if (x->cd.docs[i].ly != 0)
			d = &x->cd.docs[i];
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

static void
find_candidates(struct ctx *x, time_t date_utc)
{
	size_t di, j, k, ls, le, a, w0, n0;
	long tj, tnew, told;
	int maxyear = 0, y, ry, rm, rd;
	struct doc *d;
	const struct frdate_token *t, *tt;

	for (di = 0; di < x->cd.ndocs; di++)
		for (k = 0; k < x->cd.docs[di].ntok; k++)
			if (x->cd.docs[di].tok[k].kind == FRDATE_DATE &&
			    x->cd.docs[di].tok[k].year > maxyear)
				maxyear = x->cd.docs[di].tok[k].year;
	for (di = 0; di < x->cd.ndocs; di++) {
		d = &x->cd.docs[di];
		doc_ref(x, di, date_utc, &ry, &rm, &rd);
		for (k = 0; k < d->ntok && x->ncands < MAX_CANDS; k++) {
			t = &d->tok[k];
			if (t->kind != FRDATE_DATE)
				continue;
			if ((y = resolve_year(t, ry, rm, rd, maxyear)) == 0)
				continue;
			ls = line_start(d->f.s, t->start);
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
			if (time_change(d, k, tj, &tnew, &told)) {
				a = t->start > 300 ? t->start - 300 : 0;
				if (!dany(d, a, line_end(d->f.s, d->f.len,
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
				if (dany(d, a, line_end(d->f.s, d->f.len,
				    t->end), kw_appt))
					(void)listed_times(x, di, k, y);
				continue;
			}
			tt = &d->tok[tj];
			le = line_end(d->f.s, d->f.len,
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
			    find(d->f.s, a, le, "convoc") < 0) ||
			    dany(d, ls, le, kw_newsletter))
				continue;
			if (dany_word(d, a, le, kw_gp) &&
			    find(d->f.s, a, le, "ofii") < 0)
				continue;
			add_cand(x, di, t, tt, y,
			    tt->end > t->end ? tt->end : t->end, -1);
		}
	}
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
	if (ad != NULL) {
		ap->tzid = address_tzid(ad->postal_code);
		memcpy(ap->postal_code, ad->postal_code, sizeof(ap->postal_code));
		if ((ap->place = strdup(ad->place)) == NULL ||
		    (ap->city = strdup(ad->city)) == NULL)
			return -1;
	}
	return 0;
}

int
convocation_extract(const struct message *m,
    const struct convocation_config *cfg, struct convocation **out,
    char **errstr)
{
	struct ctx *x;
	struct convocation *c;
	const struct kw_table *kwt;
	const struct address *places[MAX_CANDS], *used[CONVOCATION_MAX_APPTS],
	    *xa = NULL;
	const struct phone *ph;
	const char *tz_fallback = "Europe/Paris", *subj;
	size_t i, j, nused = 0, xdoc = 0;
	int forward, negation, cancel, resched, ack, inviter, summons, has_old, has_new, onsite = 0,
	    fixed_xray = 0, ofii, from_ofii, oom = 0, cancelled, past[MAX_CANDS];
	long ref_day;
	struct appointment tmp;

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
		    forward) == -1) {
			doc_free(&x->cd.docs[x->cd.ndocs]);
			goto oom;
		}
		x->cd.ndocs++;
	}
	/* The body sends the reader to the subject for the date ("à la date
	   et à l'heure indiquées dans l'objet de ce message"): the subject
	   is part of the letter. */
	kwt = kw_table_get();
	for (i = 0; i < x->cd.ndocs; i++)
		if (doc_index(&x->cd.docs[i], kwt) == -1)
			goto oom;
	if (x->cd.ndocs > 0 && x->cd.ndocs < CONV_MAX_DOCS &&
	    x->subj.len > 0 && mail_any(x, kw_see_subject, 0)) {
		if (doc_load(&x->cd.docs[x->cd.ndocs], subj, strlen(subj),
		    0) == -1) {
			doc_free(&x->cd.docs[x->cd.ndocs]);
			goto oom;
		}
		if (doc_index(&x->cd.docs[x->cd.ndocs++], kwt) == -1)
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
	resched = mail_any(x, kw_resched, 1) ||
	    any(x->subj.s, 0, x->subj.len, kw_resched_subject);
	ack = mail_any(x, kw_ack, 0);
	/* Only mails about OFII matters: a bank or a GP appointment with a
	   date, a time and an address is not a convocation. */
	ofii = mail_any(x, kw_ofii, 1) ||
	    (m->from_addr != NULL && strstr(m->from_addr, "ofii") != NULL);
	/* ... and OFII is the inviter, not a third party that mentions it */
	from_ofii = m->from_addr != NULL && strstr(m->from_addr, "ofii") != NULL;
	inviter = from_ofii ||
	    any(x->subj.s, 0, x->subj.len, kw_ofii) ||
	    mail_any(x, kw_ofii_inviter, 0);
	for (i = 0; i < x->cd.ndocs && !inviter; i++)
		inviter = ofii_line(x->cd.docs[i].f.s, x->cd.docs[i].f.len);
	summons = mail_any(x, kw_summons, 1);

	if ((c->person = person_in(&x->cd, &oom)) == NULL && oom)
		goto oom;

	if (negation || !ofii || mail_any(x, kw_newsletter_mail, 0)) {
		c->kind = KIND_OTHER;
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

		doc_ref(x, cd->doc, m->date_utc, &ry, &rm, &rd);
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
	for (i = 0; i < x->cd.ndocs && xa == NULL && !fixed_xray; i++) {
		xa = xray_address(&x->cd.docs[i], c->appts, c->nappts, used, nused);
		xdoc = i;
	}
	if (xa != NULL && !onsite) {
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
		if ((ph = phone_near(&x->cd.docs[xdoc], xa)) != NULL &&
		    (c->xray->phone = strdup(ph->text)) == NULL)
			goto oom;
	}

done:
	/* "person" describes the addressee of an OFII letter. */
	if (c->kind == KIND_OTHER) {
		free(c->person);
		c->person = NULL;
	}
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
