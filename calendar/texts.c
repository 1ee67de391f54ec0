/*
 * texts: see texts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar/ical.h"
#include "calendar/texts.h"
#include "lib/civil.h"
#include "lib/utf8.h"

char *
text_clean(const char *s)
{
	char *copy, *p;

	if (s == NULL)
		return NULL;
	if ((copy = utf8_sanitize(s, strlen(s), NULL, NULL)) == NULL)
		return NULL;
	for (p = copy; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return copy;
}

void
text_mail(struct buf *b, const char *s)
{
	char *c;

	if (s == NULL)
		return;
	if ((c = text_clean(s)) == NULL) {
		b->failed = 1;		/* out of memory: buf_finish says so */
		return;
	}
	buf_addstr(b, c);
	free(c);
}

/* ------------------------------------------------------------ dates */

static const char *const fr_days[] = { "dimanche", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi" };
static const char *const en_days[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const fr_months[] = { "janvier", "février", "mars",
    "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre" };
static const char *const en_months[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };

void
text_date(struct buf *b, const struct walltime *w)
{
	int wd = civil_weekday(w->year, w->month, w->day);

	buf_printf(b, "%s %d %s %d / %s %d %s %d", fr_days[wd], w->day,
	    fr_months[w->month - 1], w->year, en_days[wd], w->day,
	    en_months[w->month - 1], w->year);
}

void
text_when(struct buf *b, const char *tzid, time_t start, time_t end)
{
	struct walltime ws, we;

	wall_of(tzid, start, &ws);
	wall_of(tzid, end, &we);
	text_date(b, &ws);
	buf_printf(b, ", %02d:%02d–%02d:%02d (%s)", ws.hour, ws.minute,
	    we.hour, we.minute, tzid);
}

/* ------------------------------------------------------------ checklist */

static const char *const item_text[ITEM_COUNT] = {
	"Passeport (avec le visa) / passport with the visa",
	"La convocation imprimée / this convocation, printed",
	"La radio pulmonaire et son compte rendu / "
	    "the chest X-ray and its report",
	"Carnet de vaccination / vaccination records",
	"Comptes rendus d'hospitalisation, ordonnances / "
	    "hospital reports, prescriptions",
	"Lunettes ou lentilles / glasses or contact lenses",
	"Carnet de maternité (si enceinte) / "
	    "maternity booklet, if pregnant",
	"Photo d'identité / ID photo",
	"Justificatif de domicile / proof of address",
	"Timbre fiscal / tax stamp",
};

#define USUAL_MEDICAL	((1u << ITEM_PASSPORT) | (1u << ITEM_CONVOCATION) | \
	(1u << ITEM_CHEST_XRAY) | (1u << ITEM_VACCINATION_RECORDS) | \
	(1u << ITEM_HOSPITAL_REPORTS) | (1u << ITEM_GLASSES) | \
	(1u << ITEM_MATERNITY_RECORD))
#define USUAL_OTHER	((1u << ITEM_PASSPORT) | (1u << ITEM_CONVOCATION))

void
text_checklist(struct buf *b, unsigned items, enum appt_type type)
{
	unsigned i, set = items;

	buf_printf(b, "À apporter / What to bring:\n");
	if (set == 0)
		set = type == APPT_MEDICAL ? USUAL_MEDICAL : USUAL_OTHER;
	for (i = 0; i < ITEM_COUNT; i++)
		if (set & (1u << i))
			buf_printf(b, "- %s\n", item_text[i]);
	if (items == 0)
		buf_printf(b, "(liste habituelle : la lettre n'en donne pas / "
		    "the usual list: the letter gives none)\n");
}

void
text_source(struct buf *b, const struct mail_source *src)
{
	buf_printf(b, "\nSource : courriel / mail « ");
	text_mail(b, src && src->subject && src->subject[0] ? src->subject :
	    "(sans objet / no subject)");
	buf_printf(b, " »");
	if (src && src->date && src->date[0]) {
		buf_printf(b, " du / of ");
		text_mail(b, src->date);
	}
	buf_printf(b, "\n");
}

/* ------------------------------------------------------------ summaries */

const char *
text_type_summary(enum event_type t)
{
	switch (t) {
	case EVENT_MEDICAL:
		return "Visite médicale OFII / OFII medical visit";
	case EVENT_CIR:
		return "OFII : rendez-vous CIR (contrat d'intégration "
		    "républicaine) / OFII: CIR integration appointment";
	case EVENT_XRAY:
		return "Radio pulmonaire (OFII) / Chest X-ray (OFII)";
	case EVENT_XRAY_BOOKING:
		return "Prendre rendez-vous pour la radio pulmonaire / "
		    "Book your chest X-ray now";
	case EVENT_RENEWAL_OPEN:
		return "Renouvellement du titre de séjour : demande ouverte / "
		    "Residence permit renewal: you can apply now";
	case EVENT_RENEWAL_DEADLINE:
		return "Renouvellement du titre de séjour : dernier délai / "
		    "Residence permit renewal: deadline";
	case EVENT_FOLLOW_UP:
		return "Pas de nouvelles de l'OFII : leur écrire / "
		    "No news from OFII: write to them";
	default:
		return "OFII";
	}
}

char *
text_summary(enum event_type t, const char *extra, const char *person)
{
	struct buf b = { 0 };

	buf_printf(&b, "%s%s", text_type_summary(t), extra ? extra : "");
	if (person != NULL && person[0] != '\0') {
		buf_printf(&b, " — ");
		text_mail(&b, person);
	}
	return buf_finish(&b, NULL);
}
