/*
 * convocation: recognition and extraction on hand-built messages (text
 * parts only, so the test does not depend on the MIME or PDF modules).
 */
#include <pthread.h>
#include <time.h>

#include "testutil.h"

#include "parsers/convocation.h"

#define T_OCT_2023	((time_t)1696341600)	/* 2023-10-03 14:00 UTC */

struct mail {
	struct message		m;
	struct message_part	parts[4];
	struct message_header	from;
};

/* From address of the next mail_init() (tests change it, then reset). */
static const char *mail_from = "ne-pas-repondre@ofii.fr";

/* A message with up to 4 parts; kinds[i] says TEXT/HTML/PDF. */
static void
mail_init(struct mail *ml, const char *subject, time_t date,
    const char *const *texts, const enum part_kind *kinds, size_t n)
{
	size_t i;

	memset(ml, 0, sizeof(*ml));
	ml->from.name = (char *)"From";
	ml->from.value = (char *)mail_from;
	ml->m.headers = &ml->from;
	ml->m.nheaders = 1;
	ml->m.from = (char *)"OFII";
	ml->m.from_addr = (char *)mail_from;
	ml->m.subject = (char *)subject;
	ml->m.message_id = (char *)"<t@ofii.fr>";
	ml->m.date = (char *)"";
	ml->m.date_utc = date;
	if (date != (time_t)-1) {
		struct tm tm;

		assert_non_null(gmtime_r(&date, &tm));
		ml->m.date_year = tm.tm_year + 1900;
		ml->m.date_month = tm.tm_mon + 1;
		ml->m.date_day = tm.tm_mday;
	}
	for (i = 0; i < n; i++) {
		ml->parts[i].kind = kinds != NULL ? kinds[i] : PART_TEXT;
		ml->parts[i].content_type = (char *)"text/plain";
		ml->parts[i].data = (char *)texts[i];
		ml->parts[i].len = strlen(texts[i]);
		ml->parts[i].text = (char *)texts[i];
	}
	ml->m.parts = ml->parts;
	ml->m.nparts = n;
}

static struct convocation *
extract_parts(const char *subject, time_t date, const char *const *texts,
    const enum part_kind *kinds, size_t n)
{
	struct mail ml;
	struct convocation *c = NULL;
	char *err = NULL;

	mail_init(&ml, subject, date, texts, kinds, n);
	assert_int_equal(convocation_extract(&ml.m, NULL, &c, &err), 0);
	assert_null(err);
	assert_non_null(c);
	/* sender_trust comes from trust.c, whatever the content says */
	assert_int_equal(c->trust, trust_evaluate(&ml.m, NULL));
	return c;
}

static struct convocation *
extract1(const char *subject, const char *text)
{
	const char *texts[1] = { text };

	return extract_parts(subject, T_OCT_2023, texts, NULL, 1);
}

static void
check_wt(const struct walltime *w, int y, int mo, int d, int h, int mi)
{
	assert_int_equal(w->year, y);
	assert_int_equal(w->month, mo);
	assert_int_equal(w->day, d);
	assert_int_equal(w->hour, h);
	assert_int_equal(w->minute, mi);
}

static unsigned
items(int a, int b, int c, int d)
{
	unsigned set = 0;

	if (a >= 0)
		set |= 1u << a;
	if (b >= 0)
		set |= 1u << b;
	if (c >= 0)
		set |= 1u << c;
	if (d >= 0)
		set |= 1u << d;
	return set;
}

/* Every output string: no control characters. */
static void
check_clean_str(const char *s)
{
	if (s == NULL)
		return;
	for (; *s != '\0'; s++)
		assert_true((unsigned char)*s >= 0x20 && *s != 0x7f);
}

static void
check_clean(const struct convocation *c)
{
	size_t i;

	for (i = 0; i < c->nappts; i++) {
		check_clean_str(c->appts[i].place);
		check_clean_str(c->appts[i].city);
	}
	if (c->xray != NULL) {
		check_clean_str(c->xray->name);
		check_clean_str(c->xray->address);
		check_clean_str(c->xray->city);
		check_clean_str(c->xray->phone);
	}
	check_clean_str(c->person);
}

static const char tours[] =
    "Bonjour Madame QUISPE,\n\n"
    "Votre visa de long séjour a été validé. Il vous reste une étape "
    "obligatoire :\nla visite médicale de l'OFII. Nous vous attendons\n\n"
    "  le mardi 14 novembre 2023, de 8h30 à 11h30\n"
    "  Espace santé de l'OFII\n"
    "  28 rue Édouard Vaillant, 37000 Tours\n"
    "  (à 5 minutes à pied de la gare de Tours)\n\n"
    "La radiographie des poumons est faite pendant la visite, dans nos "
    "locaux :\nvous n'avez aucun rendez-vous à prendre.\n\n"
    "Prenez avec vous :\n"
    "  - une photo d'identité récente ;\n"
    "  - votre passeport ;\n"
    "  - cette convocation ;\n"
    "  - votre carnet de vaccination ;\n"
    "  - une facture récente à votre nom (justificatif de domicile).\n\n"
    "Une question ? Appelez le 02 47 31 64 08 (du lundi au jeudi, de 14h à "
    "16h).\n";

static void
test_window_on_site(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("Rendez-vous : visite médicale OFII", tours);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	assert_int_equal(c->appts[0].type, APPT_MEDICAL);
	check_wt(&c->appts[0].start, 2023, 11, 14, 8, 30);
	check_wt(&c->appts[0].end, 2023, 11, 14, 11, 30);
	assert_string_equal(c->appts[0].tzid, "Europe/Paris");
	assert_string_equal(c->appts[0].place,
	    "Espace santé de l'OFII, 28 rue Édouard Vaillant, 37000 Tours");
	assert_string_equal(c->appts[0].postal_code, "37000");
	assert_string_equal(c->appts[0].city, "Tours");
	assert_null(c->xray);
	assert_int_equal(c->xray_on_site, 1);
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_VACCINATION_RECORDS, ITEM_PHOTO) |
	    (1u << ITEM_PROOF_OF_ADDRESS));
	assert_int_equal(c->previous_start.year, 0);
	assert_string_equal(c->person, "QUISPE");
	assert_int_equal(c->trust, TRUST_DOMAIN);
	check_clean(c);
	convocation_free(c);
}

static const char angers_pdf[] =
    "RÉPUBLIQUE FRANÇAISE\n"
    "Office français de l'immigration et de l'intégration\n"
    "Direction territoriale d'Angers\n"
    "Cité administrative - 15 bis rue Dupetit-Thouars\n"
    "49047 Angers Cedex 01\n"
    "Secrétariat médical : 02 41 20 57 33\n"
    "Angers, le 3 octobre 2023\n"
    "Monsieur ADEYEMI Tunde\nAppartement 12\n7 rue Lenepveu\n49100 Angers\r\n"
    "CONVOCATION - EXAMEN MÉDICAL\n"
    "Monsieur,\n"
    "Vous devez passer un examen médical auprès d'un médecin de l'OFII. "
    "Votre\nrendez-vous est fixé au :\n"
    "Jeudi 26 octobre 2023 à 14 h 45\n"
    "Service médical de l'OFII\n22 boulevard Ayrault\n49100 Angers\n"
    "Radiographie du thorax : à faire AVANT l'examen médical\n"
    "Téléphonez dès aujourd'hui au centre d'imagerie ci-dessous pour obtenir "
    "un rendez-vous :\n"
    "Centre d'imagerie :\nImagerie médicale Loire-Authion\n"
    "14 route de Brissac\n49130 Les Ponts-de-Cé\nTél. : 02.41.44.86.17\n"
    "Le centre est ouvert du lundi au vendredi de 8 h 30 à 18 h 00.\n"
    "À apporter le jour de l'examen médical :\n"
    "\xe2\x80\xa2 votre passeport, avec le visa ;\n"
    "\xe2\x80\xa2 cette lettre de convocation ;\n"
    "\xe2\x80\xa2 les clichés de votre radiographie du thorax ;\n"
    "\xe2\x80\xa2 votre carnet de santé ou vos certificats de vaccination ;\n"
    "\xe2\x80\xa2 les comptes rendus de vos séjours à l'hôpital.\n"
    "Si vous ne pouvez pas venir à cette date, écrivez au secrétariat.\n";

static void
test_pdf_xray_centre_dedupe(void **state)
{
	static const char cover[] =
	    "Bonjour,\n\nVotre convocation est jointe : rendez-vous le jeudi 26 "
	    "octobre 2023 à 14h45 au Service médical de l'OFII, 22 boulevard "
	    "Ayrault, 49100 Angers.\n";
	const char *texts[2] = { cover, angers_pdf };
	const enum part_kind kinds[2] = { PART_TEXT, PART_PDF };
	struct convocation *c;

	(void)state;
	c = extract_parts("Convocation - examen médical OFII", T_OCT_2023,
	    texts, kinds, 2);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	/* the same appointment in the text part and the PDF: once */
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 26, 14, 45);
	assert_int_equal(c->appts[0].end.year, 0);
	/* not the letter head (Cedex) nor the addressee's address */
	assert_string_equal(c->appts[0].place,
	    "Service médical de l'OFII, 22 boulevard Ayrault, 49100 Angers");
	assert_non_null(c->xray);
	assert_string_equal(c->xray->name, "Imagerie médicale Loire-Authion");
	assert_string_equal(c->xray->address,
	    "14 route de Brissac, 49130 Les Ponts-de-Cé");
	assert_string_equal(c->xray->postal_code, "49130");
	assert_string_equal(c->xray->city, "Les Ponts-de-Cé");
	assert_string_equal(c->xray->phone, "02 41 44 86 17");
	assert_int_equal(c->xray_on_site, 0);
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_CHEST_XRAY, ITEM_VACCINATION_RECORDS) |
	    (1u << ITEM_HOSPITAL_REPORTS));
	assert_string_equal(c->person, "Tunde ADEYEMI");
	check_clean(c);
	convocation_free(c);
}

static void
test_reschedule(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("Modification de la date de votre visite médicale",
	    "Bonjour Monsieur Tesfaye,\n\n"
	    "Le médecin de l'OFII ne pourra pas assurer les consultations "
	    "prévues le\nmercredi 7 février 2024. Votre visite médicale est donc "
	    "déplacée.\n\n"
	    "Ancien rendez-vous : mercredi 7 février 2024 à 10h00\n"
	    "Nouveau rendez-vous : mardi 20 février 2024 à 15h30\n\n"
	    "Adresse (inchangée) : OFII - Service médical, 9 cours Bosquet, "
	    "64000 Pau\n\n"
	    "Apportez les clichés déjà réalisés, votre passeport et la présente "
	    "convocation.\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2024, 2, 20, 15, 30);
	check_wt(&c->previous_start, 2024, 2, 7, 10, 0);
	assert_string_equal(c->appts[0].place,
	    "OFII - Service médical, 9 cours Bosquet, 64000 Pau");
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_CHEST_XRAY, -1));
	assert_string_equal(c->person, "Tesfaye");
	convocation_free(c);

	/* the old date named only after it: "... ne peut être maintenue" */
	c = extract1("Modification de convocation",
	    "Madame,\nVotre visite médicale du jeudi 4 avril 2024 à 10h00 ne "
	    "peut être maintenue. Vous êtes\nconvoquée le lundi 15 avril 2024 "
	    "à 9h15 :\nOFII - Service médical de Limoges\n8 rue Jean Jaurès\n"
	    "87000 Limoges\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2024, 4, 15, 9, 15);
	check_wt(&c->previous_start, 2024, 4, 4, 10, 0);
	convocation_free(c);
}

static void
test_cancellation(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("Annulation de votre rendez-vous",
	    "Madame PETROVIC Ivana,\n\nNous sommes au regret de vous informer "
	    "que votre convocation à la visite\nmédicale du jeudi 26 octobre "
	    "2023 à 10h30 (OFII - Service médical, 15 rue Carnot,\n86000 "
	    "Poitiers) est ANNULÉE.\n\nUne nouvelle convocation vous sera "
	    "adressée prochainement.\n");
	assert_int_equal(c->kind, KIND_CANCELLATION);
	/* the cancelled appointment, so that the calendar can mark it */
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 26, 10, 30);
	assert_string_equal(c->appts[0].place,
	    "OFII - Service médical, 15 rue Carnot, 86000 Poitiers");
	assert_int_equal(c->previous_start.year, 0);
	assert_int_equal(c->items, 0);
	assert_string_equal(c->person, "Ivana PETROVIC");
	convocation_free(c);
}

static void
test_acknowledgement_and_other(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("Votre demande",
	    "Madame, Monsieur,\n\nNous avons bien reçu votre demande. Vous "
	    "recevrez une convocation par courriel.\n\nOFII - Direction "
	    "territoriale de Lyon, 7 rue Quivogne, 69002 Lyon\n");
	assert_int_equal(c->kind, KIND_ACKNOWLEDGEMENT);
	assert_int_equal(c->nappts, 0);
	assert_null(c->person);
	convocation_free(c);

	/* explicit "not a convocation", with a dated window and an address */
	c = extract1("Contrat d'intégration républicaine",
	    "Madame, Monsieur,\n\nVous avez signé votre contrat d'intégration "
	    "républicaine (CIR) à l'OFII. Il ne s'agit pas d'une convocation.\n\n"
	    "Prochaine session : le 5 décembre 2023 de 9h00 à 16h30 au centre "
	    "de formation,\n14 avenue Bollée, 72000 Le Mans.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->xray);
	assert_int_equal(c->items, 0);
	convocation_free(c);
}

static void
test_not_fooled(void **state)
{
	struct convocation *c;

	(void)state;
	/* a GP booked on Doctolib */
	mail_from = "no-reply@doctolib.fr";
	c = extract1("Confirmation de rendez-vous",
	    "Bonjour Linh NGUYEN,\nVotre rendez-vous est confirmé.\n"
	    "Date\tmardi 14 novembre 2023 à 17:45\n"
	    "Praticien\tDr Claire MOREL - Médecin généraliste\n"
	    "Adresse\tCabinet médical des Carmes\n24 rue Alsace-Lorraine\n"
	    "31000 Toulouse\nPensez à apporter votre carnet de vaccination.\n"
	    "L'équipe Doctolib\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->person);
	assert_int_equal(c->trust, TRUST_UNTRUSTED);
	convocation_free(c);
	mail_from = "ne-pas-repondre@ofii.fr";

	/* an OFII newsletter */
	c = extract1("La lettre de l'OFII",
	    "La lettre de l'OFII - novembre 2023\n\nAgenda\n"
	    "14/11/2023, 14h00 : webinaire « Valider son visa en ligne »\n"
	    "jeudi 16 novembre 2023 à 18h30 : conférence, Maison des "
	    "associations, 28 rue Saint-Ferréol, 13001 Marseille\n\n"
	    "Votre convocation vous indiquera où vous rendre.\n"
	    "Se désinscrire\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	/* payment deadline, letter date, opening hours: no appointment */
	c = extract1("Information",
	    "Paris, le 3 octobre 2023\n\nL'OFII vous informe que le paiement "
	    "doit être fait avant le 31/12/2023 à 23h59.\nL'accueil est ouvert "
	    "du lundi au vendredi de 9h à 12h.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
}

static void
test_reply_and_forward(void **state)
{
	static const char convoc[] =
	    "Monsieur CARVALHO João,\n\nVous êtes convoqué à la visite médicale "
	    "de l'OFII le jeudi 23 novembre 2023 à 9 h 30 :\nOFII - Direction "
	    "territoriale de Cergy, 3 boulevard de l'Oise, 95000 Cergy.\n\n"
	    "Apportez : passeport, convocation, lunettes.\n";
	char reply[2048], fwd[2048];
	const char *texts[1];
	struct convocation *c;
	const char *p;
	char *q;

	(void)state;
	/* a reply quoting the convocation: the quote does not count */
	q = reply;
	q += snprintf(q, sizeof(reply), "Merci, je serai présent.\n\n"
	    "Le mar. 3 oct. 2023 à 14:07, OFII <ne-pas-repondre@ofii.fr> a "
	    "écrit :\n");
	for (p = convoc; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);

		q += snprintf(q, sizeof(reply) - (size_t)(q - reply), "> %.*s\n",
		    (int)n, p);
		p += n + (nl != NULL);
	}
	texts[0] = reply;
	c = extract_parts("Re: Convocation OFII", T_OCT_2023, texts, NULL, 1);
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	/* the same convocation forwarded inline: it counts */
	snprintf(fwd, sizeof(fwd), "Pour info.\n\n"
	    "---------- Forwarded message ---------\n"
	    "De : OFII <ne-pas-repondre@ofii.fr>\n"
	    "Date: mar. 3 oct. 2023 à 14:07\n"
	    "Subject: Convocation OFII\n"
	    "To: <joao@example.com>\n\n%s", convoc);
	texts[0] = fwd;
	c = extract_parts("Fwd: Convocation OFII", T_OCT_2023, texts, NULL, 1);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 11, 23, 9, 30);
	assert_string_equal(c->appts[0].place, "OFII - Direction territoriale "
	    "de Cergy, 3 boulevard de l'Oise, 95000 Cergy");
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_GLASSES, -1));
	assert_string_equal(c->person, "João CARVALHO");
	convocation_free(c);
}

static void
test_medical_and_cir_sorted(void **state)
{
	static const char cir[] =
	    "CIR - CONVOCATION À L'ENTRETIEN D'ACCUEIL\nMonsieur,\n"
	    "Votre parcours commence par un entretien individuel et la signature "
	    "du contrat d'intégration républicaine (CIR).\n"
	    "Jeudi 11 janvier 2024 à 9h00\nOFII - Pôle intégration\n"
	    "7 rue Yves Collet\n29200 Brest\n"
	    "Pièces à apporter :\n- cette convocation ;\n- votre passeport ;\n"
	    "- un justificatif de domicile récent.\n";
	static const char med[] =
	    "VISITE MÉDICALE - CONVOCATION\nMonsieur,\n"
	    "La visite médicale aura lieu aux date, heure et adresse suivantes :\n"
	    "Date et heure :\tlundi 4 décembre 2023 à 9h15\n"
	    "Adresse :\tOFII - Service médical\n16 rue de Lyon\n29200 Brest\n"
	    "Le jour de la visite, apportez :\n\xe2\x80\xa2 votre passeport ;\n"
	    "\xe2\x80\xa2 si vous attendez un enfant, votre dossier de suivi de "
	    "grossesse.\n";
	const char *texts[2] = { cir, med };
	const enum part_kind kinds[2] = { PART_PDF, PART_PDF };
	struct convocation *c;

	(void)state;
	c = extract_parts("Deux convocations OFII", T_OCT_2023, texts, kinds, 2);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 2);
	assert_int_equal(c->appts[0].type, APPT_MEDICAL);
	check_wt(&c->appts[0].start, 2023, 12, 4, 9, 15);
	assert_string_equal(c->appts[0].place,
	    "OFII - Service médical, 16 rue de Lyon, 29200 Brest");
	assert_int_equal(c->appts[1].type, APPT_CIR);
	check_wt(&c->appts[1].start, 2024, 1, 11, 9, 0);
	assert_string_equal(c->appts[1].place,
	    "OFII - Pôle intégration, 7 rue Yves Collet, 29200 Brest");
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_MATERNITY_RECORD, ITEM_PROOF_OF_ADDRESS));
	convocation_free(c);
}

static void
test_fixed_xray_and_overseas(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("Convocation OFII",
	    "Madame DEMIR Aylin,\n\nVotre parcours médical OFII comprend deux "
	    "rendez-vous.\n\n1) Radiographie pulmonaire\n"
	    "   le lundi 6 novembre 2023 à 8h00\n   Centre d'imagerie "
	    "Saint-Martin\n   19 rue Caponière\n   97200 Fort-de-France\n\n"
	    "2) Visite médicale\n   le mardi 14 novembre 2023 à 10h30\n"
	    "   OFII - Service médical\n   3 rue Daniel Huet\n"
	    "   97200 Fort-de-France\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 2);
	assert_int_equal(c->appts[0].type, APPT_XRAY);
	check_wt(&c->appts[0].start, 2023, 11, 6, 8, 0);
	assert_string_equal(c->appts[0].place, "Centre d'imagerie Saint-Martin, "
	    "19 rue Caponière, 97200 Fort-de-France");
	assert_string_equal(c->appts[0].tzid, "America/Martinique");
	assert_int_equal(c->appts[1].type, APPT_MEDICAL);
	assert_string_equal(c->appts[1].tzid, "America/Martinique");
	/* nothing left to book, but the centre is kept: the one to call */
	assert_non_null(c->xray);
	assert_string_equal(c->xray->name, "Centre d'imagerie Saint-Martin");
	assert_string_equal(c->xray->address,
	    "19 rue Caponière, 97200 Fort-de-France");
	assert_null(c->xray->phone);
	assert_string_equal(c->person, "Aylin DEMIR");
	convocation_free(c);

	/* A table row's own cells give its type, not the words above the
	   table; the fixed X-ray's centre keeps its phone. */
	c = extract1("Convocation OFII",
	    "Monsieur TADESSE Bereket,\n\nLa radiographie pulmonaire a été "
	    "réservée pour vous ; elle doit être faite avant la visite "
	    "médicale.\n\nDate\tHeure\tRendez-vous\tAdresse\n"
	    "17/11/2023\t08h15\tRadiographie pulmonaire\tCentre d'imagerie "
	    "médicale Saint-Vaast\n41 rue Saint-Aubert\n62000 Arras\n"
	    "Tél. 03 21 51 74 08\n"
	    "28/11/2023\t10h30\tVisite d'accueil (CIR)\tOFII - Plateforme "
	    "d'accueil\n6 rue Emile Legrelle\n62000 Arras\n"
	    "30/11/2023\t10h30\tVisite médicale\tOFII - Antenne d'Arras\n"
	    "6 rue Emile Legrelle\n62000 Arras\n");
	assert_int_equal(c->nappts, 3);
	assert_int_equal(c->appts[0].type, APPT_XRAY);
	assert_string_equal(c->appts[0].place, "Centre d'imagerie médicale "
	    "Saint-Vaast, 41 rue Saint-Aubert, 62000 Arras");
	assert_int_equal(c->appts[1].type, APPT_CIR);
	assert_int_equal(c->appts[2].type, APPT_MEDICAL);
	assert_non_null(c->xray);
	assert_string_equal(c->xray->name,
	    "Centre d'imagerie médicale Saint-Vaast");
	assert_string_equal(c->xray->phone, "03 21 51 74 08");
	convocation_free(c);
}

static void
test_household_and_yearless(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("Convocation OFII",
	    "Madame, Monsieur,\n\nVotre famille est convoquée à la visite "
	    "médicale de l'OFII le\nmardi 24 octobre, à l'adresse suivante :\n\n"
	    "    OFII - Service médical de Rennes\n"
	    "    38 boulevard de la Tour d'Auvergne\n    35000 Rennes\n\n"
	    "Heures de passage :\n"
	    "    - Monsieur FERREIRA Diego ........ 9h00\n"
	    "    - Madame FERREIRA Luana .......... 9h40\n\n"
	    "Chaque personne doit apporter son passeport.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 2);
	/* no year written: the one after the mail's date (October 2023) */
	check_wt(&c->appts[0].start, 2023, 10, 24, 9, 0);
	check_wt(&c->appts[1].start, 2023, 10, 24, 9, 40);
	assert_string_equal(c->appts[1].place, "OFII - Service médical de "
	    "Rennes, 38 boulevard de la Tour d'Auvergne, 35000 Rennes");
	/* several people in one mail: no single person */
	assert_null(c->person);
	convocation_free(c);
}

static void
test_one_date_two_visits(void **state)
{
	struct convocation *c;

	(void)state;
	/* one date, a list of times, each with its own type and place */
	c = extract1("Convocations OFII",
	    "Monsieur ROSSI Marco,\n\nLe mardi 28 novembre 2023, vous êtes "
	    "convoqué :\n"
	    "- à 9h00 pour la visite médicale (OFII - Service médical, 12 rue "
	    "Bargue, 75015 Paris) ;\n"
	    "- à 14h00 pour l'entretien d'accueil du contrat d'intégration "
	    "républicaine (OFII - Pôle intégration, 48 rue de la Roquette, "
	    "75011 Paris).\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 2);
	assert_int_equal(c->appts[0].type, APPT_MEDICAL);
	check_wt(&c->appts[0].start, 2023, 11, 28, 9, 0);
	assert_string_equal(c->appts[0].place,
	    "OFII - Service médical, 12 rue Bargue, 75015 Paris");
	assert_int_equal(c->appts[1].type, APPT_CIR);
	check_wt(&c->appts[1].start, 2023, 11, 28, 14, 0);
	assert_string_equal(c->appts[1].place,
	    "OFII - Pôle intégration, 48 rue de la Roquette, 75011 Paris");
	assert_string_equal(c->person, "Marco ROSSI");
	convocation_free(c);
}

static void
test_english(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract1("OFII medical examination",
	    "Dear Ms Priya RAMANATHAN,\n\nYou are required to attend the OFII "
	    "medical examination:\n\n    Date:  Thursday, November 16, 2023 at "
	    "2:15 pm\n    Place: OFII Paris - Medical Service\n"
	    "           52 rue Petit\n           75019 Paris\n\n"
	    "The chest X-ray is performed on site during the examination.\n\n"
	    "Please bring:\n  - your passport,\n  - this notice,\n"
	    "  - your glasses, if you wear them.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 11, 16, 14, 15);
	assert_string_equal(c->appts[0].place,
	    "OFII Paris - Medical Service, 52 rue Petit, 75019 Paris");
	assert_null(c->xray);
	assert_int_equal(c->xray_on_site, 1);
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_GLASSES, -1));
	assert_string_equal(c->person, "Priya RAMANATHAN");
	convocation_free(c);
}

static void
test_hostile(void **state)
{
	size_t len = 3 * 1024 * 1024, i, k;
	const char *unit = "le 8 mars 2024 à 9h30, OFII, 12 rue X, 75001 Paris "
	    "convocation\n> quoted\n";
	char *big;
	const char *texts[1];
	struct convocation *c;

	(void)state;
	big = malloc(len + 1);
	assert_non_null(big);
	for (i = 0, k = 0; i < len; i++, k++) {
		if (unit[k] == '\0')
			k = 0;
		big[i] = unit[k];
	}
	big[len] = '\0';
	texts[0] = big;
	c = extract_parts("Convocation", T_OCT_2023, texts, NULL, 1);
	/* one appointment, said a hundred thousand times */
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2024, 3, 8, 9, 30);
	convocation_free(c);
	free(big);

	/* control characters and CR never reach the output */
	c = extract1("Convocation",
	    "Monsieur HORAK Pavel,\x07\x1b[2J\r\n\r\nVous êtes convoqué à la "
	    "visite médicale le mardi 21 novembre 2023 à 10h00 :\r\n\r\n"
	    "OFII - Service\x0b médical (bât. B; 2e étage)\r\n"
	    "1 place de la Comédie\t\x0b\r\n34000 Montpellier\r\nEND:VEVENT\r\n");
	assert_int_equal(c->nappts, 1);
	assert_string_equal(c->appts[0].place, "OFII - Service médical (bât. B; "
	    "2e étage), 1 place de la Comédie, 34000 Montpellier");
	assert_string_equal(c->appts[0].city, "Montpellier");
	assert_string_equal(c->person, "Pavel HORAK");
	check_clean(c);
	convocation_free(c);

	/* no parts at all */
	c = extract_parts("", (time_t)-1, NULL, NULL, 0);
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
	convocation_free(NULL);
}

/* ------------------------------------------------------------ variants */

/* Mail Date of the next extract_from(): 2023-10-02 09:00 UTC. */
#define T_2_OCT_2023	((time_t)1696237200)

/* One text part from a given sender (restores the default after). */
static struct convocation *
extract_from(const char *from, const char *subject, const char *text)
{
	const char *texts[1] = { text };
	struct convocation *c;

	mail_from = from;
	c = extract_parts(subject, T_2_OCT_2023, texts, NULL, 1);
	mail_from = "ne-pas-repondre@ofii.fr";
	check_clean(c);
	return c;
}

/* An information sheet's example dates come before the letter: only the
   letter's own appointment is kept. */
static void
test_w_example_dates(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-nantes@ofii.fr", "Convocation OFII",
	    "GUIDE DE LA VISITE\n"
	    "Votre convocation indique un jour et une heure. Par exemple, "
	    "une convocation\npour le vendredi 12 avril 2024 à 10h30 "
	    "demande d'arriver à 10h15.\n\n"
	    "Monsieur DIALLO Ousmane,\n"
	    "Vous êtes convoqué le jeudi 19 octobre 2023 à 9h15 :\n"
	    "OFII - Service médical, 3 rue Arthur III, 44200 Nantes.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 19, 9, 15);
	convocation_free(c);
}

/* A reschedule as a table: one column per appointment, its header says
   which one is old. */
static void
test_w_table_old_new_columns(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("dt-rouen@ofii.fr", "Modification de rendez-vous",
	    "Madame SOW Aminata,\n"
	    "Votre rendez-vous de visite médicale est modifié :\n"
	    "\tRendez-vous précédent\tNouveau rendez-vous\n"
	    "Date\t10/10/2023\t24/10/2023\n"
	    "Heure\t8h30\t13h45\n"
	    "Lieu\tOFII - Service médical, 10 rue Jeanne d'Arc, "
	    "76000 Rouen\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 24, 13, 45);
	check_wt(&c->previous_start, 2023, 10, 10, 8, 30);
	convocation_free(c);
}

/* An acknowledgement that refers to the coming visit summons nobody. */
static void
test_w_ack_mentions_visit(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-lille@ofii.fr", "RE: documents",
	    "Monsieur AHMADI,\n\nNous avons bien reçu vos comptes rendus "
	    "d'hospitalisation. Le médecin les consultera lors de votre "
	    "visite du 16 octobre 2023 à 10h00.\n\nService médical - OFII "
	    "Lille\n");
	assert_int_equal(c->kind, KIND_ACKNOWLEDGEMENT);
	assert_int_equal(c->nappts, 0);
	assert_string_equal(c->person, "AHMADI");
	convocation_free(c);
}

/* A radiology practice confirming its own booking is not OFII's. */
static void
test_w_radiology_own_booking(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("rdv@imagerie-gambetta.fr", "Votre rendez-vous",
	    "Centre d'imagerie Gambetta\n\nBonjour Monsieur KIM,\n\n"
	    "Votre radiographie du thorax est confirmée le mercredi 11 "
	    "octobre 2023 à 16h10.\nAdresse : Centre d'imagerie Gambetta, "
	    "5 place Gambetta, 33000 Bordeaux\n"
	    "Apportez votre convocation OFII.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->person);
	convocation_free(c);
}

/* The person's own message about their appointment. */
static void
test_w_first_person_request(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("l.martins@example.org", "Demande de report",
	    "Bonjour,\n\nJ'ai été convoquée le lundi 16 octobre 2023 à 14h00 "
	    "au service médical de l'OFII, 2 rue Paul Bellamy, 44000 Nantes. "
	    "Je serai à l'hôpital ce jour-là.\nPouvez-vous me donner une "
	    "autre date ?\n\nLuana Martins\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
}

/* "Tout retard entraînera l'annulation": a warning, not a cancellation. */
static void
test_w_cancel_threat(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-metz@ofii.fr", "Convocation",
	    "Madame PETROVA Anna,\n"
	    "Vous êtes convoquée le mardi 17 octobre 2023 à 8h30 à l'OFII, "
	    "5 rue Maurice Barrès, 57000 Metz.\n"
	    "Toute absence non justifiée entraînera l'annulation de votre "
	    "rendez-vous.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	convocation_free(c);
}

/* "Si vous ne pouvez pas venir, demandez une nouvelle convocation":
   advice, not a reschedule; the same words stating a move still are. */
static void
test_w_resched_advice(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-nancy@ofii.fr", "Convocation",
	    "Monsieur OKAFOR Chidi,\n"
	    "Vous êtes convoqué le jeudi 12 octobre 2023 à 9h15 à l'OFII, "
	    "10 rue Saint-Léon, 54000 Nancy.\n"
	    "Si vous ne pouvez pas vous présenter, demandez une nouvelle "
	    "convocation par courriel.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	assert_string_equal(c->appts[0].person, "Chidi OKAFOR");
	convocation_free(c);
	c = extract_from("sm-nancy@ofii.fr", "Convocation",
	    "Monsieur OKAFOR Chidi,\n"
	    "Votre rendez-vous est reporté : vous recevrez une nouvelle "
	    "convocation pour le jeudi 19 octobre 2023 à 9h15 à l'OFII, "
	    "10 rue Saint-Léon, 54000 Nancy.\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	convocation_free(c);
	/* the advice written after the word: what will happen if */
	c = extract_from("sm-nancy@ofii.fr", "Convocation",
	    "Vous êtes convoqué le jeudi 12 octobre 2023 à 9h15 à l'OFII, "
	    "10 rue Saint-Léon, 54000 Nancy.\nUne nouvelle date vous sera "
	    "communiquée sur demande. En cas d'absence, une nouvelle "
	    "convocation ne pourra vous être adressée que dans plusieurs "
	    "semaines ; votre dossier sera clôturé sans nouvelle "
	    "convocation.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	convocation_free(c);
}

/* The date and time only in the subject, which the body points to; the
   place is the labelled address. */
static void
test_w_date_in_subject(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("convocation@ofii.fr",
	    "Visite médicale OFII - le 20/10/2023 à 9h45",
	    "Madame, Monsieur,\n\nVous êtes convoqué(e) à la date et à "
	    "l'heure indiquées dans l'objet de ce message.\n\n"
	    "Lieu :\tOFII - Service médical, 12 rue Saint-Hélier, "
	    "35000 Rennes\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 20, 9, 45);
	assert_string_equal(c->appts[0].postal_code, "35000");
	convocation_free(c);
}

/* A relayed summary with bullets, the person named by a role label. */
static void
test_w_bullets_and_role_label(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("hr@example.com", "OFII visit",
	    "Hello,\n\nOFII has sent the convocation:\n\n"
	    "Employee: Priya NAIR\n"
	    "- Date : vendredi 20 octobre 2023\n"
	    "- Heure : 11h15\n"
	    "- Lieu : OFII - Service médical, 48 rue de la Roquette, "
	    "75011 Paris\n\nPlease bring your passport.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 20, 11, 15);
	assert_string_equal(c->appts[0].postal_code, "75011");
	assert_string_equal(c->person, "Priya NAIR");
	convocation_free(c);
}

/* The date in a framed field at the foot; the letter head's Cedex line
   repeated in the footer is not the place. */
static void
test_w_footer_field_cedex(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation OFII",
	    "OFII - Direction territoriale - CS 20001 - 21035 Dijon Cedex\n"
	    "Monsieur BALDE Ibrahima\n4 rue des Lilas\n58000 Nevers\n"
	    "Vous êtes convoqué à la visite médicale à la date indiquée en "
	    "bas de page, à l'adresse suivante :\n"
	    "OFII - Permanence de Nevers\n7 rue du Rempart\n58000 Nevers\n"
	    "Munissez-vous de votre passeport.\n"
	    "Le service médical\nVOTRE RENDEZ-VOUS\n"
	    "Date : 25/10/2023\nHeure : 10H00\n"
	    "Édité le 02/10/2023 à 11:20\n"
	    "OFII - Direction territoriale - CS 20001 - 21035 Dijon Cedex\n");
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 25, 10, 0);
	assert_string_equal(c->appts[0].place,
	    "OFII - Permanence de Nevers, 7 rue du Rempart, 58000 Nevers");
	assert_int_equal(c->items, items(ITEM_PASSPORT, -1, -1, -1));
	convocation_free(c);
}

/* The time is not next to the date: in the next sentence, in a form's
   field lines below (a table row), or the date is "demain". */
static void
test_w_time_elsewhere(void **state)
{
	struct convocation *c;
	const char *texts[1];

	(void)state;
	c = extract_from("sm-angers@ofii.fr", "Convocation",
	    "Madame,\nVotre visite médicale est fixée au jeudi 12 octobre "
	    "2023.\nVous êtes attendue à 10h00. Elle aura lieu dans nos "
	    "locaux :\nOFII - Antenne d'Angers\n14 boulevard du Roi René\n"
	    "49100 Angers\n");
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 12, 10, 0);
	assert_string_equal(c->appts[0].postal_code, "49100");
	convocation_free(c);
	/* office hours in the next sentence are no time of the visit */
	c = extract_from("sm-angers@ofii.fr", "Convocation",
	    "Vous êtes convoqué le jeudi 12 octobre 2023. Nos bureaux vous "
	    "attendent, ouverts de 9h à 12h.\n");
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
	/* a table: the date's row and, in a later block, the time's */
	c = extract_from("no-reply@rdv.ofii.fr", "Votre rendez-vous",
	    "Votre rendez-vous à l'OFII est enregistré.\nVOTRE RENDEZ-VOUS\n"
	    "Objet\tVisite médicale\nDate\t2023-10-24\n"
	    "Adresse\t1 rue du Combat des Trente, 22000 Saint-Brieuc\n"
	    "VOS INFORMATIONS\nNom\tASANTE\nPrénom\tKofi\n"
	    "Date de la demande\t2023-09-28\nValidité du visa\tdu "
	    "15/09/2023 au 14/09/2024\nHORAIRE\nHeure de passage\t11:15\n");
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 24, 11, 15);
	assert_string_equal(c->appts[0].postal_code, "22000");
	assert_string_equal(c->person, "Kofi ASANTE");
	convocation_free(c);
	/* "demain", from the mail's Date (3 October 2023) */
	texts[0] = "Rappel : votre visite médicale OFII a lieu demain à 9h, "
	    "3 rue Daniel Huet, 14000 Caen.\n";
	c = extract_parts("Rappel", T_OCT_2023, texts, NULL, 1);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 4, 9, 0);
	convocation_free(c);
	/* no Date: no day to count from */
	c = extract_parts("Rappel", (time_t)-1, texts, NULL, 1);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
}

/* A family letter: one slot per member, each with the member's name
   and birth date (no appointments, no addressee), on the slot's line or
   the line above. */
static void
test_w_family_slots(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-saint-nazaire@ofii.fr", "Convocation",
	    "Monsieur HAIDARI Farid,\nLes membres de votre famille sont "
	    "convoqués à la visite médicale de l'OFII le mercredi 25 octobre "
	    "2023, à l'adresse suivante :\n\nOFII - Antenne de Saint-Nazaire\n"
	    "2 avenue de la République\n44600 Saint-Nazaire\n\n"
	    "Chaque personne est reçue à l'horaire indiqué après son nom :\n"
	    "- M. HAIDARI Farid, né le 11/06/1986 : 8h30\n"
	    "- HAIDARI Omid, né le 30/10/2013 : 9h30\n");
	assert_int_equal(c->nappts, 2);
	check_wt(&c->appts[0].start, 2023, 10, 25, 8, 30);
	assert_string_equal(c->appts[0].person, "Farid HAIDARI");
	check_wt(&c->appts[1].start, 2023, 10, 25, 9, 30);
	assert_string_equal(c->appts[1].person, "Omid HAIDARI");
	assert_string_equal(c->appts[1].postal_code, "44600");
	assert_string_equal(c->person, "Farid HAIDARI");
	convocation_free(c);
	c = extract_from("sm-chartres@ofii.fr", "Convocation",
	    "Madame RAKOTOMALALA Voahangy\n4 allée des Lilas\n28300 "
	    "Mainvilliers\nVous-même et votre fils êtes convoqués à la visite "
	    "médicale de l'OFII, 25 rue Félibien, 28000 Chartres.\n"
	    "Les rendez-vous sont fixés comme suit :\n"
	    "RAKOTOMALALA Voahangy, née le 04/02/1988\n"
	    "Lundi 23 octobre 2023 à 9h00\n"
	    "RAKOTOMALALA Toky, né le 11/09/2009\n"
	    "Lundi 23 octobre 2023 à 9h30\n");
	assert_int_equal(c->nappts, 2);
	assert_string_equal(c->appts[0].person, "Voahangy RAKOTOMALALA");
	assert_string_equal(c->appts[1].person, "Toky RAKOTOMALALA");
	convocation_free(c);
	/* a table: a header row with the time column, the birth dates in
	   theirs */
	c = extract_from("sm-mayotte@ofii.fr", "Convocation",
	    "Vous-même et vos enfants êtes convoqués à la visite médicale le "
	    "mercredi 25 octobre 2023, à\nl'adresse suivante : OFII - Antenne "
	    "de Petite-Terre, 5 boulevard des Crabes, 97615 Dzaoudzi.\n"
	    "Chaque personne est reçue à l'heure indiquée ci-dessous :\n"
	    "Nom et prénom\tDate de naissance\tHeure\n"
	    "ABDOU Zaharia\t14/02/1989\t7h30\n"
	    "ABDOU Nadjma\t03/08/2012\t8h00\n"
	    "La radiographie est faite sur place.\n");
	assert_int_equal(c->nappts, 2);
	check_wt(&c->appts[0].start, 2023, 10, 25, 7, 30);
	assert_string_equal(c->appts[0].person, "Zaharia ABDOU");
	check_wt(&c->appts[1].start, 2023, 10, 25, 8, 0);
	assert_string_equal(c->appts[1].person, "Nadjma ABDOU");
	assert_string_equal(c->appts[1].tzid, "Indian/Mayotte");
	convocation_free(c);
}

/* Who speaks: a third party that mentions the visit, however precisely,
   is not OFII convoking the reader; OFII's message forwarded by anyone,
   or reported as OFII convoking the reader, is. */
static void
test_w_who_speaks(void **state)
{
	struct convocation *c;
	static const char letter[] =
	    "Vous êtes convoquée à la visite médicale de l'OFII le jeudi 26 "
	    "octobre 2023 à 9h00, OFII - Service médical, 2 rue Larrey, "
	    "49100 Angers.\n";
	char fwd[1024];

	(void)state;
	/* an association's workshop, with its own date, time and place */
	c = extract_from("contact@passerelles.org", "Atelier : préparer "
	    "votre visite médicale OFII",
	    "Bonjour,\nVous avez reçu votre convocation de l'OFII ? Venez "
	    "préparer votre visite médicale OFII à notre atelier le samedi "
	    "14 octobre 2023 de 10h à 12h, Maison des Familles, 3 rue Paul "
	    "Guieysse, 56100 Lorient.\nL'équipe Passerelles\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
	/* a calendar app's alert of the reader's own event, an OFII line in
	   it */
	c = extract_from("noreply@email.apple.com", "Alerte : Visite médicale "
	    "OFII", "Visite médicale OFII\njeudi 26 oct. 2023 09:00\n"
	    "OFII - Service médical, 2 rue Larrey, 49100 Angers\n"
	    "Vous recevez cette alerte car vous l'avez programmée pour cet "
	    "événement.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	convocation_free(c);
	/* a forum digest: members quote their letters */
	c = extract_from("noreply@forum.example.net", "Résumé quotidien",
	    "FORUM - résumé quotidien\nCatégorie suivie : Titre de séjour / "
	    "OFII\n1. par aminata - 02/10/2023 à 21:14\nma convocation dit : "
	    "« Vous êtes convoquée le jeudi 26 octobre 2023 à 9h00 ».\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
	/* the same letter, forwarded by a spouse: the forwarded header says
	   OFII sent it */
	snprintf(fwd, sizeof(fwd), "Regarde, c'est pour toi.\n\n"
	    "---------- Forwarded message ---------\n"
	    "De : OFII Angers <sm-angers@ofii.fr>\nDate: lun. 2 oct. 2023\n"
	    "Subject: Convocation\n\n%s", letter);
	c = extract_from("spouse@example.com", "Fwd: Convocation", fwd);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 26, 9, 0);
	convocation_free(c);
	/* ... and without the header, the mention is someone else's */
	c = extract_from("spouse@example.com", "Convocation", letter);
	assert_int_equal(c->kind, KIND_OTHER);
	convocation_free(c);
	/* a lawyer reports OFII's convocation */
	c = extract_from("contact@cabinet.example.fr", "Votre dossier",
	    "Monsieur,\nNous avons reçu la convocation de l'OFII vous "
	    "concernant :\n- Date : jeudi 26 octobre 2023\n- Heure : 9h00\n"
	    "- Lieu : OFII - Service médical, 2 rue Larrey, 49100 Angers\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	convocation_free(c);
	/* the state says the visa is validated: an acknowledgement; its
	   status page naming the visit's step is news, not a convocation */
	c = extract_from("ne-pas-repondre@interieur.gouv.fr", "Visa",
	    "Nous vous confirmons la validation de votre visa de long "
	    "séjour. Prochaine étape : l'OFII vous enverra une convocation.\n");
	assert_int_equal(c->kind, KIND_ACKNOWLEDGEMENT);
	convocation_free(c);
	c = extract_from("ne-pas-repondre@interieur.gouv.fr", "Démarche",
	    "Étape en cours : Visite médicale OFII\nRendez-vous communiqué "
	    "par l'OFII : 2023-10-26 à 09:00\n");
	assert_int_equal(c->kind, KIND_OTHER);
	convocation_free(c);
}

/* A training over days far apart from the summons, each with its place
   (one in a "rue du Docteur", no doctor's appointment); a cancelled date
   whose statement wraps over two lines. */
static void
test_w_days_and_wrapped_statement(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("cir-chartres@ofii.fr", "Formation civique",
	    "Madame BOATENG Akosua,\nDans le cadre de votre CIR, vous êtes "
	    "convoquée à la formation civique. Elle se déroule sur trois "
	    "journées, dans des lieux différents :\n\n"
	    "Journée 1 : mardi 10 octobre 2023, de 9h00 à 16h30\n"
	    "        OFII - Délégation de Chartres\n"
	    "        15 rue du Docteur Maunoury\n        28000 Chartres\n\n"
	    "Journée 2 : mercredi 11 octobre 2023, de 9h00 à 16h30\n"
	    "        Espace Soleil Levant\n        4 rue de Brétigny\n"
	    "        28000 Chartres\n\n"
	    "Journée 3 : mardi 17 octobre 2023, de 9h00 à 16h30\n"
	    "        Centre social Tahiti\n        9 place Mésirard\n"
	    "        28100 Dreux\n");
	assert_int_equal(c->nappts, 3);
	check_wt(&c->appts[2].start, 2023, 10, 17, 9, 0);
	assert_string_equal(c->appts[2].postal_code, "28100");
	assert_int_equal(c->appts[2].type, APPT_CIR);
	convocation_free(c);
	c = extract_from("sm-montauban@ofii.fr", "Report",
	    "Votre rendez-vous de visite médicale du 10.10.2023 à 9h00 ne "
	    "peut pas\nêtre maintenu en raison de l'absence du médecin. Il "
	    "est reporté au\nvendredi 27 octobre 2023.\nHeure : 10h30\n"
	    "Lieu : OFII - Antenne de Montauban, 12 rue de la Comédie, 82000 "
	    "Montauban\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 27, 10, 30);
	check_wt(&c->previous_start, 2023, 10, 10, 9, 0);
	convocation_free(c);
}

/* One date, then a sentence per visit of that day; a family's cards
   (name, birth date, labelled time); an English "tomorrow"; a visit
   "supprimée". */
static void
test_w_sentences_cards_tomorrow(void **state)
{
	struct convocation *c;
	const char *texts[1];

	(void)state;
	c = extract_from("sm-cahors@ofii.fr", "Convocation",
	    "Le mardi 24 octobre 2023, vous serez reçu en deux temps à "
	    "l'antenne de\nl'OFII de Cahors. La visite d'accueil du contrat "
	    "d'intégration républicaine commence à 8h30. La visite médicale "
	    "suivra, à 10h45.\n\nAdresse : OFII - Antenne de Cahors, 7 quai "
	    "Cavaignac, 46000 Cahors\nMunissez-vous de cette convocation.\n");
	assert_int_equal(c->nappts, 2);
	check_wt(&c->appts[0].start, 2023, 10, 24, 8, 30);
	assert_int_equal(c->appts[0].type, APPT_CIR);
	check_wt(&c->appts[1].start, 2023, 10, 24, 10, 45);
	assert_int_equal(c->appts[1].type, APPT_MEDICAL);
	convocation_free(c);
	c = extract_from("sm-alencon@ofii.fr", "Convocation",
	    "Monsieur KOUASSI Yao,\nVous-même et votre famille êtes "
	    "convoqués à la visite médicale de l'OFII le lundi 23 octobre "
	    "2023, 8 place du Général Bonet, 61000 Alençon. Chaque personne "
	    "a sa propre heure de passage :\n\nKOUASSI Yao\n"
	    "Date de naissance : 14/08/1984\nHeure de passage : 8h30\n"
	    "AKA Adjoua\nDate de naissance : 02/05/1989\n"
	    "Heure de passage : 8h50\n");
	assert_int_equal(c->nappts, 2);
	check_wt(&c->appts[1].start, 2023, 10, 23, 8, 50);
	assert_string_equal(c->appts[0].person, "Yao KOUASSI");
	assert_string_equal(c->appts[1].person, "Adjoua AKA");
	assert_string_equal(c->person, "Yao KOUASSI");
	convocation_free(c);
	texts[0] = "Dear Ms Hanna LINDQVIST,\nThis is a reminder: your OFII "
	    "medical check-up is tomorrow at 10.30am (Reunion time), at:\n"
	    "OFII - Saint-Louis Office\n18 rue Lambert\n97450 Saint-Louis\n"
	    "The office opens at 8am.\n";
	c = extract_parts("Reminder", T_OCT_2023, texts, NULL, 1);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 4, 10, 30);
	assert_string_equal(c->appts[0].tzid, "Indian/Reunion");
	convocation_free(c);
	c = extract_from("sm-montdemarsan@ofii.fr", "Visite médicale",
	    "La visite médicale à laquelle vous étiez convoquée le jeudi 26 "
	    "octobre 2023 à 14h30\nest supprimée. Merci de ne pas vous "
	    "présenter.\n");
	assert_int_equal(c->kind, KIND_CANCELLATION);
	convocation_free(c);
}

/* Phrases wrapped over lines are still phrases; a form's issue date is
   not the visit's; a list of times under "Horaire de passage :"; a
   status page naming OFII in a place or a label is no OFII letter. */
static void
test_w_wrapped_and_labels(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("ne-pas-repondre@ofii.fr", "Medical examination",
	    "Your long-stay visa has been validated. As required by law, you\n"
	    "are invited to a medical examination on Tuesday 24 October 2023 "
	    "at 2.15pm at:\nOFII Valenciennes - Medical Service\n"
	    "40 avenue de Liège\n59300 Valenciennes\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 24, 14, 15);
	convocation_free(c);
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation",
	    "CONVOCATION - VISITE MÉDICALE\nDate d'émission : 2023-10-02\n"
	    "Nom : QUISPE MAMANI\nPrénom : Edwin\n"
	    "Date du rendez-vous : 2023-10-24\nHeure de passage : 9 heures "
	    "30\nAdresse : 6 rue du Général Leclerc, 77100 Meaux\n");
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 24, 9, 30);
	convocation_free(c);
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation familiale",
	    "Madame KAMARA Fatoumata\nVous-même et votre famille êtes "
	    "convoqués à la visite médicale le mardi 24 octobre 2023, à "
	    "l'adresse suivante :\nOFII - Point d'accueil d'Arras\n"
	    "27 rue Gambetta\n62000 Arras\n"
	    "Horaire de passage de chaque personne :\n"
	    "KAMARA Fatoumata, née le 02/11/1988\nVisite médicale à 9h00\n"
	    "KAMARA Ibrahima, né le 15/06/2011\nVisite médicale à 9h40\n");
	assert_int_equal(c->nappts, 2);
	assert_string_equal(c->appts[0].person, "Fatoumata KAMARA");
	check_wt(&c->appts[1].start, 2023, 10, 24, 9, 40);
	assert_string_equal(c->appts[1].person, "Ibrahima KAMARA");
	convocation_free(c);
	c = extract_from("ne-pas-repondre@interieur.gouv.fr", "Démarche",
	    "Étape en cours : visite médicale OFII\nRendez-vous fixé par "
	    "l'OFII : le 24/10/2023 à 09:00\nLieu : OFII, 25 rue des "
	    "Récollets, 57000 Metz\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
}

/* Items after "présentez :" and "avec votre passeport et ...". */
static void
test_w_items_triggers(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-caen@ofii.fr", "Convocation",
	    "Monsieur HUSSEIN,\nVous êtes convoqué le jeudi 19 octobre 2023 "
	    "à 9h00 à l'OFII, 3 rue Daniel Huet, 14000 Caen.\n"
	    "Venez à l'heure avec votre passeport et cette convocation.\n"
	    "Le jour de la visite, présentez :\n- votre carnet de "
	    "vaccination\n");
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_VACCINATION_RECORDS, -1));
	convocation_free(c);
}

/* A word before an earlier date of the same line labels that date, not
   the appointment: the child's birth date comes first, and the date of
   the visit is wrapped over two PDF lines. */
static void
test_w_birth_date_before_visit(void **state)
{
	struct convocation *c;
	const char *texts[1] = {
	    "Nantes, le 4 octobre 2023\n"
	    "Madame, Monsieur,\n"
	    "Votre fils DIALLO Moussa, né le 12/02/2016, est convoqué à la "
	    "visite médicale le mercredi 8\n"
	    "novembre 2023 à 14h15, au centre suivant :\n"
	    "OFII - Service médical\n"
	    "7 rue Arsène Leloup\n"
	    "44100 Nantes\n" };
	const enum part_kind kinds[1] = { PART_PDF };

	(void)state;
	c = extract_parts("Convocation", T_2_OCT_2023, texts, kinds, 1);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	assert_int_equal(c->appts[0].type, APPT_MEDICAL);
	check_wt(&c->appts[0].start, 2023, 11, 8, 14, 15);
	assert_string_equal(c->appts[0].postal_code, "44100");
	convocation_free(c);
}

/* One date, then bullet lines led by a time, without ":" announcing the
   list (the sentence wraps onto the place first); office hours in a
   bullet far below are not appointments. */
static void
test_w_time_led_bullets(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("dt-dijon@ofii.fr", "Convocation",
	    "Madame PETROVA Elena,\n"
	    "Le jeudi 16 novembre 2023, vous êtes convoquée à deux "
	    "rendez-vous, à l'adresse suivante : OFII -\n"
	    "Direction territoriale, 6 rue Mably, 21000 Dijon.\n"
	    "- à 9h00 : visite médicale ;\n"
	    "- à 11h30 : entretien du contrat d'intégration républicaine.\n"
	    "Apportez votre passeport.\n"
	    "Pour toute question, écrivez-nous.\n"
	    "Nous restons à votre écoute.\n"
	    "- à 14h00 : fermeture de l'accueil.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 2);
	assert_int_equal(c->appts[0].type, APPT_MEDICAL);
	check_wt(&c->appts[0].start, 2023, 11, 16, 9, 0);
	assert_int_equal(c->appts[1].type, APPT_CIR);
	check_wt(&c->appts[1].start, 2023, 11, 16, 11, 30);
	assert_string_equal(c->appts[1].postal_code, "21000");
	convocation_free(c);
}

/* The things to bring in a separate attachment under a long title in
   capitals, numbered, without ":". */
static void
test_w_items_sheet_caps_title(void **state)
{
	struct convocation *c;
	const char *texts[2] = {
	    "Monsieur,\nVous êtes convoqué à la visite médicale le lundi 13 "
	    "novembre 2023 à 10h00 :\nOFII - Service médical\n"
	    "2 rue Jules Ferry\n80000 Amiens\n"
	    "La liste des documents figure sur la fiche jointe.\n",
	    "DOCUMENTS À PRÉSENTER OBLIGATOIREMENT LE JOUR DU RENDEZ-VOUS\n"
	    "1. Passeport\n"
	    "2. Carnet de vaccination\n"
	    "3. Justificatif de domicile\n" };
	const enum part_kind kinds[2] = { PART_PDF, PART_PDF };

	(void)state;
	c = extract_parts("Convocation", T_2_OCT_2023, texts, kinds, 2);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	assert_true((c->items & items(ITEM_PASSPORT, ITEM_VACCINATION_RECORDS,
	    ITEM_PROOF_OF_ADDRESS, -1)) == items(ITEM_PASSPORT,
	    ITEM_VACCINATION_RECORDS, ITEM_PROOF_OF_ADDRESS, -1));
	convocation_free(c);
}

/* A label table (TAB cells), the weekday and day without a year, the
   year only in the letter's date line. */
static void
test_v_label_table_yearless(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-lyon@ofii.fr", "Convocation",
	    "Lyon, le 2 octobre 2023\n\n"
	    "Monsieur OKAFOR Chinedu\n\n"
	    "Objet : convocation à la visite médicale\n\n"
	    "Date :\tmardi 7 novembre\n"
	    "Heure :\t9 h 30\n"
	    "Lieu :\tOFII - Service médical\n"
	    "Adresse :\t7 rue Quivogne, 69002 Lyon\n\n"
	    "Munissez-vous de votre passeport et de la présente convocation.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 11, 7, 9, 30);
	assert_string_equal(c->appts[0].place,
	    "OFII - Service médical, 7 rue Quivogne, 69002 Lyon");
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION, -1,
	    -1));
	assert_string_equal(c->person, "Chinedu OKAFOR");
	convocation_free(c);
}

/* English letter, 12-hour clock with dotted "p.m.", office hours with
   "a.m." as a distractor. */
static void
test_v_english_12h(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("no-reply@ofii.fr", "Your medical examination",
	    "Dear Ms Priya NAIR,\n\n"
	    "You are requested to attend the medical examination of the "
	    "French Office for Immigration and Integration (OFII) on "
	    "Thursday, October 19, 2023 at 2:30 p.m.\n\n"
	    "Address: OFII - Medical service, 48 rue de la Roquette, "
	    "75011 Paris\n\n"
	    "Please bring your passport, this notice and your glasses.\n"
	    "Our switchboard is open Monday to Friday from 9:00 a.m. to "
	    "12:00 p.m.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 19, 14, 30);
	assert_int_equal(c->appts[0].end.year, 0);
	assert_string_equal(c->appts[0].postal_code, "75011");
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_GLASSES, -1));
	assert_string_equal(c->person, "Priya NAIR");
	convocation_free(c);

	/* British "at 10.00" without am/pm */
	c = extract_from("no-reply@ofii.fr", "Appointment",
	    "Dear Sir,\nYou are invited to the OFII medical examination on "
	    "19/10/2023 at 10.00.\nOFII - Medical service, 7 rue Quivogne, "
	    "69002 Lyon\n");
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 19, 10, 0);
	assert_string_equal(c->appts[0].place,
	    "OFII - Medical service, 7 rue Quivogne, 69002 Lyon");
	convocation_free(c);
}

/* A new convocation after a missed one: the old date is a reference. */
static void
test_v_quotes_older_one(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("ne-pas-repondre@ofii.fr", "Nouvelle convocation",
	    "Madame SILVA Ana,\n\n"
	    "Vous ne vous êtes pas présentée à votre rendez-vous du 12 "
	    "septembre 2023 à 9h00.\n"
	    "Vous êtes à nouveau convoquée à la visite médicale le mardi 24 "
	    "octobre 2023 à 14h00,\n"
	    "OFII - Service médical, 3 rue Daniel Huet, 14000 Caen.\n");
	assert_true(c->kind == KIND_CONVOCATION || c->kind == KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 24, 14, 0);
	assert_string_equal(c->appts[0].city, "Caen");
	convocation_free(c);
}

/* The footer lists three offices with opening hours: the appointment's
   place is the one the letter gives, and the hours are no windows. */
static void
test_v_offices_footer(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation OFII",
	    "Bonjour Monsieur HOSSEINI Reza,\n\n"
	    "Vous êtes convoqué le lundi 16 octobre 2023 à 10h15 à l'adresse "
	    "suivante :\nOFII - Direction territoriale de Bobigny\n"
	    "18 rue de la République\n93000 Bobigny\n\n"
	    "Nos implantations en Île-de-France :\n"
	    "- OFII Paris, 48 rue de la Roquette, 75011 Paris : du lundi au "
	    "vendredi de 9h à 16h\n"
	    "- OFII Créteil, 1 avenue du Général de Gaulle, 94000 Créteil : "
	    "du lundi au jeudi de 9h à 12h\n"
	    "- OFII Cergy, 2 rue des Chauffours, 95000 Cergy : le mardi de "
	    "13h30 à 16h30\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 16, 10, 15);
	assert_int_equal(c->appts[0].end.year, 0);
	assert_string_equal(c->appts[0].place, "OFII - Direction territoriale "
	    "de Bobigny, 18 rue de la République, 93000 Bobigny");
	convocation_free(c);

	/* the same list in an information mail: nothing to attend */
	c = extract_from("information@ofii.fr", "Nos horaires d'ouverture",
	    "Madame, Monsieur,\n\nÀ compter du lundi 16 octobre 2023 à 9h00, "
	    "nos accueils changent d'horaires :\n"
	    "- OFII Paris, 48 rue de la Roquette, 75011 Paris : du lundi au "
	    "vendredi de 9h à 16h\n"
	    "- OFII Créteil, 1 avenue du Général de Gaulle, 94000 Créteil : "
	    "du lundi au jeudi de 9h à 12h\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->person);
	convocation_free(c);
}

/* Appointments that are not OFII's: a GP on Doctolib, the préfecture
   (which mentions the OFII certificate), the CAF, an employer's
   occupational health visit, a language school. */
static void
test_v_not_ofii(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("no-reply@doctolib.fr", "Rendez-vous confirmé",
	    "Bonjour Aminata DIALLO,\n\nVotre rendez-vous avec le Dr Laurent "
	    "MOREAU est confirmé le jeudi 12 octobre 2023 à 17h40.\n"
	    "Cabinet médical, 4 place Bellecour, 69002 Lyon.\n"
	    "Pensez à apporter votre carte Vitale et vos radiographies.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->person);
	convocation_free(c);

	c = extract_from("pref-sejour@rhone.gouv.fr",
	    "CONVOCATION - remise de titre de séjour",
	    "Madame DIALLO Aminata,\n\nVous êtes convoquée à la préfecture le "
	    "mardi 17 octobre 2023 à 9h30 pour la remise de votre titre de "
	    "séjour.\nPréfecture du Rhône, 18 rue de Bonnel, 69003 Lyon.\n"
	    "Apportez votre passeport, le certificat médical délivré par "
	    "l'OFII et un timbre fiscal.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	c = extract_from("ne-pas-repondre@caf.fr", "Votre rendez-vous CAF",
	    "Bonjour,\nVotre rendez-vous à la CAF est fixé au lundi 9 "
	    "octobre 2023 à 11h00, 67 boulevard Vivier Merle, 69003 Lyon.\n"
	    "Munissez-vous d'un justificatif de domicile.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	c = extract_from("convocations@sante-travail.example.fr",
	    "Convocation visite médicale d'embauche",
	    "Madame,\nVous êtes convoquée à une visite médicale d'embauche le "
	    "mardi 10 octobre 2023 à 8h30.\nLieu : Service de santé au "
	    "travail, 10 rue Général Plessier, 69002 Lyon.\n"
	    "Apportez votre carnet de vaccination et vos lunettes.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	c = extract_from("accueil@ecole-langues.example.org",
	    "Test de positionnement",
	    "Bonjour Monsieur ZHANG,\n\nVotre test de positionnement aura "
	    "lieu le lundi 16 octobre 2023 à 14h00 à l'Institut Horizon "
	    "Langues, 5 rue Mercière, 69002 Lyon.\nCe test est ouvert aux "
	    "signataires du contrat d'intégration républicaine conclu avec "
	    "l'OFII.\nFrais de dossier : 40 €.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->person);
	convocation_free(c);
}

/* "Votre rendez-vous du ... est déplacé au ...". */
static void
test_v_moved_to(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("rdv-sante@rdv.ofii.fr", "Votre rendez-vous",
	    "Madame NGUYEN Thi Lan,\n\n"
	    "Votre rendez-vous du jeudi 12 octobre 2023 à 9h00 est déplacé au "
	    "mardi 17 octobre 2023 à 14h30, au même endroit :\n"
	    "OFII - Service médical, 9 cours Bosquet, 64000 Pau.\n\n"
	    "Merci de vous munir de votre passeport.\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 17, 14, 30);
	check_wt(&c->previous_start, 2023, 10, 12, 9, 0);
	assert_string_equal(c->appts[0].city, "Pau");
	assert_int_equal(c->items, items(ITEM_PASSPORT, -1, -1, -1));
	assert_string_equal(c->person, "Thi Lan NGUYEN");
	convocation_free(c);
}

/* "Votre rendez-vous du ... est annulé." */
static void
test_v_cancelled(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("rdv-sante@rdv.ofii.fr", "Information",
	    "Monsieur,\n\nVotre rendez-vous du lundi 16 octobre 2023 à 8h30 à "
	    "l'OFII - Service médical, 2 rue de la Lionne, 45000 Orléans est "
	    "annulé en raison d'une grève.\n"
	    "Vous recevrez une nouvelle convocation.\n");
	assert_int_equal(c->kind, KIND_CANCELLATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 16, 8, 30);
	assert_string_equal(c->appts[0].postal_code, "45000");
	assert_int_equal(c->previous_start.year, 0);
	assert_int_equal(c->items, 0);
	convocation_free(c);
}

/* "TR:" with an Outlook header block, and "Fwd:" with Gmail's: the
   forward's sent dates are no appointments. */
static void
test_v_forwards(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("karim.benali@outlook.fr",
	    "TR: Convocation visite médicale",
	    "Pour info, voir ci-dessous.\n\n"
	    "________________________________\n"
	    "De : OFII Service médical <sm-lille@ofii.fr>\n"
	    "Envoyé : lundi 2 octobre 2023 10:12\n"
	    "À : karim.benali@outlook.fr\n"
	    "Objet : Convocation visite médicale\n\n"
	    "Monsieur BENALI Karim,\n\n"
	    "Vous êtes convoqué à la visite médicale le jeudi 19 octobre 2023 "
	    "à 9h40.\nOFII - Service médical, 2 rue de Tenremonde, 59000 "
	    "Lille\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 19, 9, 40);
	assert_string_equal(c->appts[0].city, "Lille");
	assert_string_equal(c->person, "Karim BENALI");
	convocation_free(c);

	c = extract_from("someone@gmail.com", "Fwd: Your OFII appointment",
	    "---------- Forwarded message ---------\n"
	    "From: OFII <no-reply@ofii.fr>\n"
	    "Date: Mon, Oct 2, 2023 at 10:12 AM\n"
	    "Subject: Your OFII appointment\n"
	    "To: <someone@gmail.com>\n\n"
	    "Dear Mr Tanaka,\n\n"
	    "Your appointment for the medical examination is scheduled on "
	    "Tuesday 24 October 2023 at 11:00 am.\n"
	    "OFII - Medical service, 12 rue Paul Bellamy, 44000 Nantes\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 24, 11, 0);
	assert_string_equal(c->person, "Tanaka");
	convocation_free(c);
}

/* Only the time changes, written after the date's own time, or as "à
   8h00 au lieu de 9h30" on the next line. */
static void
test_v_time_only_change(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("rdv-sante@rdv.ofii.fr", "Changement d'horaire",
	    "Madame,\n\nVotre rendez-vous du lundi 16 octobre 2023 à 9h30 est "
	    "avancé à 8h00.\nLe lieu ne change pas : OFII - Service médical, "
	    "86 avenue de la Libération, 86000 Poitiers.\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 16, 8, 0);
	check_wt(&c->previous_start, 2023, 10, 16, 9, 30);
	assert_string_equal(c->appts[0].city, "Poitiers");
	convocation_free(c);

	c = extract_from("rdv-sante@rdv.ofii.fr", "Modification",
	    "Monsieur,\n\nVotre visite médicale du mardi 17 octobre 2023 est "
	    "décalée :\nmerci de vous présenter à 15h00 (au lieu de 14h00).\n"
	    "OFII - Service médical, 9 cours Bosquet, 64000 Pau\n");
	assert_int_equal(c->kind, KIND_RESCHEDULE);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 17, 15, 0);
	check_wt(&c->previous_start, 2023, 10, 17, 14, 0);
	convocation_free(c);
}

/* person from labelled fields, French and English. */
static void
test_v_form_person(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation",
	    "CONVOCATION\n\nNOM : DIALLO\nPrénom : Aminata\n"
	    "Né(e) le : 03/04/1995\n\n"
	    "Vous êtes convoquée le 19/10/2023 à 10h00 à l'OFII - Service "
	    "médical, 7 rue Quivogne, 69002 Lyon.\n");
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 19, 10, 0);
	assert_string_equal(c->person, "Aminata DIALLO");
	convocation_free(c);

	c = extract_from("ne-pas-repondre@ofii.fr", "Notice to attend",
	    "NOTICE TO ATTEND\n\nFirst name(s): Jean Baptiste\n"
	    "Surname: MUKENDI\n\n"
	    "You are invited to attend the medical examination on Monday 23 "
	    "October 2023 at 9:15 am, OFII - Medical service, 8 rue Jean "
	    "Jaurès, 87000 Limoges.\n");
	assert_int_equal(c->nappts, 1);
	assert_string_equal(c->person, "Jean Baptiste MUKENDI");
	convocation_free(c);
}

/* An OFII information mail with a dated group meeting: nobody is
   summoned. */
static void
test_v_info_meeting(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("information@ofii.fr", "Réunion d'information",
	    "Madame, Monsieur,\n\nL'OFII organise une réunion d'information "
	    "sur l'emploi le jeudi 19 octobre 2023 à 14h00,\n"
	    "OFII - Direction territoriale de Lyon, 7 rue Quivogne, 69002 "
	    "Lyon.\nEntrée libre. Pensez à votre passeport pour l'accès au "
	    "bâtiment.\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_int_equal(c->items, 0);
	convocation_free(c);
}

/* Items enumerated without a trigger word. */
static void
test_v_enumerated_items(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation",
	    "Madame OLIVEIRA Maria,\n\nVotre visite médicale OFII aura lieu le "
	    "lundi 23 octobre 2023 à 9h00, OFII - Service médical, 2 rue de "
	    "la Lionne, 45000 Orléans.\n\n"
	    "Le jour J : passeport, carnet de vaccination, lunettes et "
	    "justificatif de domicile.\n");
	assert_int_equal(c->nappts, 1);
	assert_int_equal(c->items, items(ITEM_PASSPORT,
	    ITEM_VACCINATION_RECORDS, ITEM_GLASSES, ITEM_PROOF_OF_ADDRESS));
	convocation_free(c);
}

/* Two training days, then one "Lieu :" for both. */
static void
test_v_sessions_one_place(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("integration@cir.ofii.fr", "Formation civique",
	    "Madame KONE Awa,\n\nVous êtes convoquée à la formation civique "
	    "du contrat d'intégration républicaine :\n"
	    "- Session 1 : lundi 16 octobre 2023 de 9h00 à 17h00\n"
	    "- Session 2 : lundi 23 octobre 2023 de 9h00 à 17h00\n\n"
	    "Lieu : Centre Arc-en-ciel\n4 rue Sainte-Catherine\n"
	    "33000 Bordeaux\n");
	assert_int_equal(c->nappts, 2);
	assert_int_equal(c->appts[0].type, APPT_CIR);
	assert_int_equal(c->appts[1].type, APPT_CIR);
	check_wt(&c->appts[0].end, 2023, 10, 16, 17, 0);
	check_wt(&c->appts[1].start, 2023, 10, 23, 9, 0);
	assert_string_equal(c->appts[0].place,
	    "Centre Arc-en-ciel, 4 rue Sainte-Catherine, 33000 Bordeaux");
	assert_string_equal(c->appts[1].place, c->appts[0].place);
	convocation_free(c);
}

/* A short text summary without the office name, the letter (PDF, two
   columns read line by line) with it. */
static void
test_v_two_columns_name_elsewhere(void **state)
{
	const char *texts[2] = {
	    "Bonjour,\nRDV visite médicale OFII : le 19/10/2023 à 10h30, "
	    "15 rue Chanzy, 72000 Le Mans.\nDétails dans la convocation "
	    "jointe.\n",
	    "Office français de l'immigration et de l'intégration\n"
	    "Monsieur PEREIRA Paulo\tVOTRE RENDEZ-VOUS\n"
	    "Monsieur,\tDate : jeudi 19 octobre 2023\n"
	    "vous êtes convoqué à la visite médicale\tHeure : 10h30\n"
	    "Radiographie pulmonaire\t72000 Le Mans\n"
	    "Faites réaliser une radiographie au Cabinet Gambetta, 8 rue "
	    "Gambetta, 72000 Le Mans, tél.\n02 43 28 11 90.\n"
	    "Lieu :\nOFII - Service médical\n15 rue Chanzy\n" };
	const enum part_kind kinds[2] = { PART_TEXT, PART_PDF };
	struct convocation *c;

	(void)state;
	c = extract_parts("Votre convocation", T_2_OCT_2023, texts, kinds, 2);
	check_clean(c);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 19, 10, 30);
	assert_string_equal(c->appts[0].place,
	    "OFII - Service médical, 15 rue Chanzy, 72000 Le Mans");
	assert_non_null(c->xray);
	assert_string_equal(c->xray->name, "Cabinet Gambetta");
	assert_string_equal(c->xray->address, "8 rue Gambetta, 72000 Le Mans");
	assert_string_equal(c->xray->phone, "02 43 28 11 90");
	assert_string_equal(c->person, "Paulo PEREIRA");
	convocation_free(c);
}

/* OFII acknowledges a postponement request: the quoted appointment is
   no new one. */
static void
test_v_ack_postponement(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("sm-lyon@ofii.fr", "RE: report",
	    "Madame ABEBE Selam,\n\nNous accusons bonne réception de votre "
	    "demande de report du rendez-vous du jeudi 12 octobre 2023 à "
	    "9h00.\nElle sera étudiée par le service médical.\n\n"
	    "OFII - Direction territoriale de Lyon\n");
	assert_int_equal(c->kind, KIND_ACKNOWLEDGEMENT);
	assert_int_equal(c->nappts, 0);
	assert_int_equal(c->items, 0);
	convocation_free(c);
}

/* A weekday confirms the year of a yearless date. */
static void
test_v_weekday_year(void **state)
{
	const char *texts[1] = {
	    "Monsieur,\n\nVous êtes convoqué le lundi 5 juin à 9h00 à l'OFII "
	    "- Service médical, 3 rue Daniel Huet, 14000 Caen.\n" };
	struct convocation *c;

	(void)state;
	/* mailed 2023-05-22: 5 June 2023 is a Monday */
	c = extract_parts("Convocation", (time_t)1684749600, texts, NULL, 1);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 6, 5, 9, 0);
	convocation_free(c);

	/* read on 2023-07-25: 5 June 2024 is a Wednesday, so "lundi 5 juin"
	   is the past one, not an appointment next year */
	c = extract_parts("Convocation", (time_t)1690279200, texts, NULL, 1);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
}

/* Repeated day lines, streets and keywords: every look-around stays
   bounded (no quadratic scan over candidates x addresses x keywords). */
static void
test_v_hostile_repetition(void **state)
{
	static const char day[] = "Journée : lundi 16 octobre 2023 de 9h00 à "
	    "17h00, convocation\n";
	static const char street[] = "12 rue de la Paix\nOFII - Service "
	    "médical\n12 rue de la Paix, 75002 Paris\n";
	size_t n = 4000, i, o = 0, dl = strlen(day), sl = strlen(street);
	char *text;
	struct convocation *c;
	clock_t t0;

	(void)state;
	text = malloc(n * (dl + sl) + 1);
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		memcpy(text + o, i % 2 ? street : day, i % 2 ? sl : dl);
		o += i % 2 ? sl : dl;
	}
	text[o] = '\0';
	t0 = clock();
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation", text);
	/* generous: ASan, a loaded machine */
	assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
	assert_true(c->nappts <= CONVOCATION_MAX_APPTS);
	convocation_free(c);
	free(text);
}

/*
 * A date without a year takes it from the letter's own date ("Lyon, le
 * 28 juin 2023", "Paris, le 28/11/2023", "Fait à ..., le ...") before the
 * mail's Date header: a letter forwarded months later, or a mail without
 * a usable Date header, still gives the letter's year.
 */
static void
test_x_letter_date_year(void **state)
{
	const char *texts[1];
	struct convocation *c;

	(void)state;
	/* forwarded three months later: the Date header says October */
	texts[0] = "---------- Forwarded message ---------\n"
	    "De : OFII Lyon <sm-lyon@ofii.fr>\nDate : 29 juin 2023\n"
	    "Objet : Convocation visite médicale\n\n"
	    "Direction territoriale de Lyon\n"
	    "Lyon, le 28 juin 2023\n\n"
	    "Madame,\nVous êtes convoquée à la visite médicale de l'OFII le "
	    "11 juillet à 14h00, Service médical de l'OFII, 7 rue Quivogne, "
	    "69002 Lyon.\n";
	c = extract_parts("Fwd: Convocation visite médicale", T_OCT_2023,
	    texts, NULL, 1);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 7, 11, 14, 0);
	assert_string_equal(c->appts[0].postal_code, "69002");
	convocation_free(c);

	/* no Date header; a numeric letter date late in the year */
	texts[0] = "OFII - Direction territoriale de Paris\n"
	    "Paris, le 28/11/2023\n\n"
	    "Monsieur,\nVotre rendez-vous est fixé le mardi 9 janvier à 9h30 "
	    "pour la visite médicale, OFII, 48 rue de la Roquette, 75011 "
	    "Paris.\n";
	c = extract_parts("Convocation OFII", (time_t)-1, texts, NULL, 1);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2024, 1, 9, 9, 30);
	convocation_free(c);

	/* "Fait à ..., le ..." at the foot of the letter */
	texts[0] = "CONVOCATION\n\nMadame,\nVous êtes convoquée le 4 janvier "
	    "à 10h00 pour l'entretien d'accueil du contrat d'intégration "
	    "républicaine, OFII, 61 boulevard Rabatau, 13008 Marseille.\n\n"
	    "Fait à Marseille, le 12 décembre 2023\n"
	    "Le directeur territorial\n";
	c = extract_parts("Convocation CIR", (time_t)-1, texts, NULL, 1);
	assert_int_equal(c->nappts, 1);
	assert_int_equal(c->appts[0].type, APPT_CIR);
	check_wt(&c->appts[0].start, 2024, 1, 4, 10, 0);
	convocation_free(c);

	/* a dated sentence is not the letter's date */
	texts[0] = "Madame,\nRendez-vous le 12 mars 2023 : votre dossier a "
	    "été validé.\nVous êtes convoquée le 20 octobre à 9h00 à l'OFII, "
	    "7 rue Quivogne, 69002 Lyon.\n";
	c = extract_parts("Convocation OFII", T_OCT_2023, texts, NULL, 1);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2023, 10, 20, 9, 0);
	convocation_free(c);
}

/* "Nom et prénom : KOWALSKA Agnieszka" on one line: the family name is
   the word in capitals, wherever it stands. */
static void
test_x_name_one_line(void **state)
{
	static const char *const lines[] = {
		"Nom et prénom : KOWALSKA Agnieszka\n",
		"Nom et prénom(s) : KOWALSKA Agnieszka\n",
		"Nom et prénoms :\tAgnieszka KOWALSKA\n",
		"Name: KOWALSKA Agnieszka\n",
		"Full name: Agnieszka KOWALSKA\n",
	};
	char text[512];
	struct convocation *c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(text, sizeof(text), "CONVOCATION - VISITE MÉDICALE\n\n"
		    "%s\nVous êtes convoquée le 19/10/2023 à 10h00 à l'OFII - "
		    "Service médical, 7 rue Quivogne, 69002 Lyon.\n", lines[i]);
		c = extract_from("ne-pas-repondre@ofii.fr", "Convocation",
		    text);
		assert_int_equal(c->nappts, 1);
		assert_non_null(c->person);
		assert_string_equal(c->person, "Agnieszka KOWALSKA");
		convocation_free(c);
	}
	/* several given names, civility kept out */
	c = extract_from("ne-pas-repondre@ofii.fr", "Convocation",
	    "Nom et prénom : Madame NOWAK Anna Maria\n\nVous êtes convoquée "
	    "le 19/10/2023 à 10h00 à l'OFII, 7 rue Quivogne, 69002 Lyon.\n");
	assert_string_equal(c->person, "Anna Maria NOWAK");
	convocation_free(c);
}

/* An OFII information mail inviting the public ("venez nous rencontrer
   ... rendez-vous le 12 mars à 14h à la mairie") summons nobody; "Votre
   rendez-vous le 12 mars à 14h" does. */
static void
test_x_public_rendez_vous(void **state)
{
	struct convocation *c;

	(void)state;
	c = extract_from("communication@ofii.fr", "L'OFII à votre rencontre",
	    "Bonjour,\n\nDans le cadre de la semaine de l'intégration, les "
	    "équipes de l'OFII de Lyon viennent à la rencontre des nouveaux "
	    "arrivants. Venez nous rencontrer et poser vos questions sur le "
	    "contrat d'intégration républicaine et l'apprentissage du "
	    "français : rendez-vous le 12 mars à 14h à la mairie du 3e "
	    "arrondissement, 215 rue Duguesclin, 69003 Lyon.\n\n"
	    "L'équipe de l'OFII Lyon\n");
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	/* the same invitation in a mail that also speaks of "votre visite" */
	c = extract_from("communication@ofii.fr", "Semaine de l'intégration",
	    "Bonjour,\n\nVous avez validé votre visa : votre visite médicale "
	    "vous sera proposée prochainement.\n\nEn attendant, venez nous "
	    "rencontrer : rendez-vous le 12 mars à 14h à la mairie du 3e "
	    "arrondissement, 215 rue Duguesclin, 69003 Lyon.\n");
	assert_int_equal(c->nappts, 0);
	convocation_free(c);

	c = extract_from("sm-lyon@ofii.fr", "Visite médicale OFII",
	    "Madame,\n\nVotre rendez-vous le 12 mars à 14h pour la visite "
	    "médicale est confirmé : Service médical de l'OFII, 7 rue "
	    "Quivogne, 69002 Lyon.\nMunissez-vous de votre passeport.\n");
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2024, 3, 12, 14, 0);
	assert_string_equal(c->appts[0].postal_code, "69002");
	convocation_free(c);
}

/*
 * The keyword table is built once for the process: extractions running
 * at once in several threads (the first ones racing to build it) give the
 * same result as one alone.  No cmocka assertion in the threads.
 */
struct x_run {
	pthread_t	 th;
	int		 rc, kind, y, mo, d, h, mi;
	size_t		 nappts;
};

static void *
x_run_one(void *arg)
{
	static const char text[] = "Madame,\nVous êtes convoquée le jeudi "
	    "19 octobre 2023 à 10h00 à l'OFII - Service médical, 7 rue "
	    "Quivogne, 69002 Lyon.\n";
	struct x_run *r = arg;
	struct mail ml;
	struct convocation *c = NULL;
	const char *texts[1] = { text };
	char *err = NULL;

	mail_init(&ml, "Convocation", T_OCT_2023, texts, NULL, 1);
	r->rc = convocation_extract(&ml.m, NULL, &c, &err);
	free(err);
	if (r->rc == 0) {
		r->kind = c->kind;
		r->nappts = c->nappts;
		if (c->nappts > 0) {
			r->y = c->appts[0].start.year;
			r->mo = c->appts[0].start.month;
			r->d = c->appts[0].start.day;
			r->h = c->appts[0].start.hour;
			r->mi = c->appts[0].start.minute;
		}
		convocation_free(c);
	}
	return NULL;
}

static void
test_x_threads_keyword_table(void **state)
{
	struct x_run r[4];
	size_t i;

	(void)state;
	memset(r, 0, sizeof(r));
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&r[i].th, NULL, x_run_one,
		    &r[i]), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(r[i].th, NULL), 0);
		assert_int_equal(r[i].rc, 0);
		assert_int_equal(r[i].kind, KIND_CONVOCATION);
		assert_int_equal(r[i].nappts, 1);
		assert_int_equal(r[i].y, 2023);
		assert_int_equal(r[i].mo, 10);
		assert_int_equal(r[i].d, 19);
		assert_int_equal(r[i].h, 10);
		assert_int_equal(r[i].mi, 0);
	}
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(conv_kind_name(KIND_CONVOCATION), "convocation");
	assert_string_equal(conv_kind_name(KIND_RESCHEDULE), "reschedule");
	assert_string_equal(conv_kind_name(KIND_CANCELLATION), "cancellation");
	assert_string_equal(conv_kind_name(KIND_ACKNOWLEDGEMENT),
	    "acknowledgement");
	assert_string_equal(conv_kind_name(KIND_OTHER), "other");
	assert_string_equal(appt_type_name(APPT_MEDICAL), "medical");
	assert_string_equal(appt_type_name(APPT_CIR), "cir");
	assert_string_equal(appt_type_name(APPT_XRAY), "xray");
	assert_string_equal(item_name(ITEM_PASSPORT), "passport");
	assert_string_equal(item_name(ITEM_CHEST_XRAY), "chest_xray");
	assert_string_equal(item_name(ITEM_VACCINATION_RECORDS),
	    "vaccination_records");
	assert_string_equal(item_name(ITEM_PROOF_OF_ADDRESS), "proof_of_address");
	assert_string_equal(item_name(ITEM_TAX_STAMP), "tax_stamp");
	assert_string_equal(item_name(ITEM_COUNT), "");
}

/* Items are words ("hospitalier" is no hospital report, "photocopie" no
   photo, "timbrée" no tax stamp; "vaccin" is a stem); "présentez cette
   convocation" asks to bring it; "la radio" is the chest X-ray; an X-ray
   taken on site is nothing to bring, unless the sentence asks to bring
   it. */
static void
test_items_as_words(void **state)
{
	struct convocation *c;
	static const char head[] = "Madame OKAFOR Ada,\n\nVous êtes "
	    "convoquée à la visite médicale le jeudi 23 novembre 2023 à 9h00, "
	    "OFII - Service médical, 2 rue Valentin Haüy, 34500 Béziers "
	    "(entrée du centre hospitalier, pavillon 4).\n\n";
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text), "%sApportez passeport + résultat de la "
	    "radio + vos vaccinations, l'original du passeport et non une "
	    "photocopie, une enveloppe timbrée ; au centre hospitalier, "
	    "suivez les panneaux.\nPrésentez cette convocation à l'accueil.\n",
	    head);
	c = extract1("Convocation OFII", text);
	assert_int_equal(c->nappts, 1);
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION,
	    ITEM_CHEST_XRAY, ITEM_VACCINATION_RECORDS));
	convocation_free(c);

	snprintf(text, sizeof(text), "%sApportez les comptes rendus de vos "
	    "séjours dans les hôpitaux et les clichés de la radiographie "
	    "lors de la visite.\n", head);
	c = extract1("Convocation OFII", text);
	assert_int_equal(c->items, items(ITEM_HOSPITAL_REPORTS,
	    ITEM_CHEST_XRAY, -1, -1));
	assert_int_equal(c->xray_on_site, 0);
	convocation_free(c);

	snprintf(text, sizeof(text), "%sLa radiographie pulmonaire sera "
	    "réalisée sur place.\n\nÀ apporter : passeport, convocation, "
	    "radiographie pulmonaire.\n", head);
	c = extract1("Convocation OFII", text);
	assert_int_equal(c->xray_on_site, 1);
	assert_int_equal(c->items, items(ITEM_PASSPORT, ITEM_CONVOCATION, -1,
	    -1));
	assert_null(c->xray);
	convocation_free(c);
}

/* A child convoked through its parent: the name under (or after)
   "Représentant légal de", without civility, is the person; a label
   alone on its line names the person on the line below. */
static void
test_person_under_label(void **state)
{
	struct convocation *c;
	static const char *const tails[] = {
	    "Représentant légal de\nYUSUF Amina\n",
	    "Représentant légal de YUSUF Amina\n",
	    "Nom :\nYUSUF Amina\n",
	};
	char text[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(text, sizeof(text), "OFII - Antenne de Brest\n%s"
		    "7 rue Jean Macé\n29200 Brest\n\nMadame, Monsieur,\n"
		    "Votre enfant est convoquée à la visite médicale le lundi "
		    "20 novembre 2023 à 10h30, à l'adresse suivante :\n"
		    "OFII - Antenne de Brest\n18 rue de Lyon\n29200 Brest\n",
		    tails[i]);
		c = extract1("Convocation OFII", text);
		assert_int_equal(c->nappts, 1);
		assert_non_null(c->person);
		assert_string_equal(c->person, "Amina YUSUF");
		convocation_free(c);
	}
	/* a label alone above a line that is no name: nobody */
	c = extract1("Convocation OFII", "Représentant légal de\n"
	    "l'enfant mineur\n\nVotre enfant est convoqué à la visite "
	    "médicale le lundi 20 novembre 2023 à 10h30, OFII - Antenne de "
	    "Brest, 18 rue de Lyon, 29200 Brest.\n");
	assert_null(c->person);
	convocation_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* first: the threads race to build the keyword table */
		cmocka_unit_test(test_x_threads_keyword_table),
		cmocka_unit_test(test_window_on_site),
		cmocka_unit_test(test_pdf_xray_centre_dedupe),
		cmocka_unit_test(test_reschedule),
		cmocka_unit_test(test_cancellation),
		cmocka_unit_test(test_acknowledgement_and_other),
		cmocka_unit_test(test_not_fooled),
		cmocka_unit_test(test_reply_and_forward),
		cmocka_unit_test(test_medical_and_cir_sorted),
		cmocka_unit_test(test_fixed_xray_and_overseas),
		cmocka_unit_test(test_items_as_words),
		cmocka_unit_test(test_person_under_label),
		cmocka_unit_test(test_household_and_yearless),
		cmocka_unit_test(test_one_date_two_visits),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_v_label_table_yearless),
		cmocka_unit_test(test_v_english_12h),
		cmocka_unit_test(test_v_quotes_older_one),
		cmocka_unit_test(test_v_offices_footer),
		cmocka_unit_test(test_v_not_ofii),
		cmocka_unit_test(test_v_moved_to),
		cmocka_unit_test(test_v_cancelled),
		cmocka_unit_test(test_v_forwards),
		cmocka_unit_test(test_v_time_only_change),
		cmocka_unit_test(test_v_form_person),
		cmocka_unit_test(test_v_info_meeting),
		cmocka_unit_test(test_v_enumerated_items),
		cmocka_unit_test(test_v_sessions_one_place),
		cmocka_unit_test(test_v_two_columns_name_elsewhere),
		cmocka_unit_test(test_v_ack_postponement),
		cmocka_unit_test(test_v_weekday_year),
		cmocka_unit_test(test_v_hostile_repetition),
		cmocka_unit_test(test_w_example_dates),
		cmocka_unit_test(test_w_table_old_new_columns),
		cmocka_unit_test(test_w_ack_mentions_visit),
		cmocka_unit_test(test_w_radiology_own_booking),
		cmocka_unit_test(test_w_first_person_request),
		cmocka_unit_test(test_w_cancel_threat),
		cmocka_unit_test(test_w_resched_advice),
		cmocka_unit_test(test_w_date_in_subject),
		cmocka_unit_test(test_w_bullets_and_role_label),
		cmocka_unit_test(test_w_footer_field_cedex),
		cmocka_unit_test(test_w_time_elsewhere),
		cmocka_unit_test(test_w_family_slots),
		cmocka_unit_test(test_w_who_speaks),
		cmocka_unit_test(test_w_days_and_wrapped_statement),
		cmocka_unit_test(test_w_sentences_cards_tomorrow),
		cmocka_unit_test(test_w_wrapped_and_labels),
		cmocka_unit_test(test_w_items_triggers),
		cmocka_unit_test(test_w_birth_date_before_visit),
		cmocka_unit_test(test_w_time_led_bullets),
		cmocka_unit_test(test_w_items_sheet_caps_title),
		cmocka_unit_test(test_x_letter_date_year),
		cmocka_unit_test(test_x_name_one_line),
		cmocka_unit_test(test_x_public_rendez_vous),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
