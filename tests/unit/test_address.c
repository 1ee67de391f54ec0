/*
 * address: postal addresses, phone numbers and time zones in text.
 */
#include "testutil.h"

#include "parsers/address.h"
#include "parsers/phone.h"

struct scanned {
	struct folded_text	 f;
	struct address		*a;
	size_t			 n;
	struct phone		*p;
	size_t			 np;
};

static void
do_scan(const char *text, struct scanned *sc)
{
	char *err = NULL;

	assert_int_equal(frdate_fold(text, strlen(text), &sc->f, &err), 0);
	assert_int_equal(address_scan(text, &sc->f, &sc->a, &sc->n, &err), 0);
	assert_int_equal(phone_scan(text, &sc->f, &sc->p, &sc->np,
	    &err), 0);
	assert_null(err);
}

static void
done(struct scanned *sc)
{
	address_free_all(sc->a, sc->n);
	phone_free_all(sc->p, sc->np);
	frdate_fold_free(&sc->f);
}

static void
check(const struct address *a, const char *name, const char *street,
    const char *cp, const char *city, const char *place)
{
	if (name == NULL)
		assert_null(a->name);
	else
		assert_string_equal(a->name, name);
	if (street == NULL)
		assert_null(a->street);
	else
		assert_string_equal(a->street, street);
	assert_string_equal(a->postal_code, cp);
	assert_string_equal(a->city, city);
	assert_string_equal(a->place, place);
}

static void
test_block_lines(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("Jeudi 26 octobre 2023 à 14 h 45\n"
	    "Service médical de l'OFII\n"
	    "22 boulevard Ayrault\n"
	    "49100 Angers\n"
	    "Radiographie du thorax", &sc);
	assert_int_equal(sc.n, 1);
	check(&sc.a[0], "Service médical de l'OFII", "22 boulevard Ayrault",
	    "49100", "Angers",
	    "Service médical de l'OFII, 22 boulevard Ayrault, 49100 Angers");
	assert_string_equal(sc.a[0].address, "22 boulevard Ayrault, 49100 Angers");
	assert_int_equal(sc.a[0].cedex, 0);
	assert_int_equal(sc.a[0].recipient, 0);
	done(&sc);
}

static void
test_one_line_with_label(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("Lieu : OFII - Direction territoriale de Créteil, 6 rue Albert "
	    "Einstein, 94000 Créteil\n"
	    "Adresse (inchangée) : OFII - Service médical, 9 cours Bosquet, "
	    "64000 Pau\n", &sc);
	assert_int_equal(sc.n, 2);
	check(&sc.a[0], "OFII - Direction territoriale de Créteil",
	    "6 rue Albert Einstein", "94000", "Créteil",
	    "OFII - Direction territoriale de Créteil, 6 rue Albert Einstein, "
	    "94000 Créteil");
	check(&sc.a[1], "OFII - Service médical", "9 cours Bosquet", "64000",
	    "Pau", "OFII - Service médical, 9 cours Bosquet, 64000 Pau");
	done(&sc);
}

static void
test_name_in_sentence(void **state)
{
	struct scanned sc;

	(void)state;
	/* the name is cut out of the sentence, even wrapped over lines */
	do_scan("Prenez rendez-vous pour une radiographie pulmonaire au\n"
	    "Centre d'imagerie de Recouvrance, 4 rue de la Porte, 29200 Brest "
	    "(tél. 02 98 43 61 29).\n\n"
	    "La radiographie doit être faite avant la visite, au Centre\n"
	    "d'imagerie Bastide, 8\navenue Thiers, 33100 Bordeaux.\n", &sc);
	assert_int_equal(sc.n, 2);
	check(&sc.a[0], "Centre d'imagerie de Recouvrance", "4 rue de la Porte",
	    "29200", "Brest",
	    "Centre d'imagerie de Recouvrance, 4 rue de la Porte, 29200 Brest");
	check(&sc.a[1], "Centre d'imagerie Bastide", "8 avenue Thiers", "33100",
	    "Bordeaux", "Centre d'imagerie Bastide, 8 avenue Thiers, 33100 Bordeaux");
	assert_int_equal(sc.np, 1);
	assert_string_equal(sc.p[0].text, "02 98 43 61 29");
	done(&sc);
}

static void
test_street_forms(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("OFII, 7, rue Yves Collet, BP 123, 75019 PARIS\n\n"
	    "au 14 bis avenue Bollée, 72000 Le Mans.\n\n"
	    "Cité administrative - 15 bis rue Dupetit-Thouars\n"
	    "49047 Angers Cedex 01\n", &sc);
	assert_int_equal(sc.n, 3);
	check(&sc.a[0], "OFII", "7, rue Yves Collet, BP 123", "75019", "PARIS",
	    "OFII, 7, rue Yves Collet, BP 123, 75019 PARIS");
	check(&sc.a[1], NULL, "14 bis avenue Bollée", "72000", "Le Mans",
	    "14 bis avenue Bollée, 72000 Le Mans");
	/* Cedex: the commune alone in city, the line as written in place */
	check(&sc.a[2], NULL, "Cité administrative - 15 bis rue Dupetit-Thouars",
	    "49047", "Angers",
	    "Cité administrative - 15 bis rue Dupetit-Thouars, 49047 Angers "
	    "Cedex 01");
	assert_int_equal(sc.a[2].cedex, 1);
	done(&sc);

	assert_int_equal(address_is_street("22 boulevard ayrault", 20), 1);
	assert_int_equal(address_is_street("7, rue yves collet", 18), 1);
	assert_int_equal(address_is_street("bp 123", 6), 1);
	assert_int_equal(address_is_street("place fontenoy", 14), 1);
	assert_int_equal(address_is_street("3 centres de sante", 18), 0);
	assert_int_equal(address_is_street("service medical", 15), 0);
}

static void
test_recipient_and_table(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("Monsieur ADEYEMI Tunde\nAppartement 12\n7 rue Lenepveu\n"
	    "49100 Angers\n"
	    "Date\tHeure\tLieu\n"
	    "10/05/2022\t09:30\tOFII - Service médical de Toulouse\n"
	    "7 rue Arnaud Vidal\n31000 TOULOUSE\n"
	    "Centre de radiologie\tAdresse\tTéléphone\n"
	    "Imagerie médicale Vauban\t27 boulevard Vauban\n"
	    "59000 Lille\t03.20.57.63.91\n", &sc);
	assert_int_equal(sc.n, 3);
	assert_int_equal(sc.a[0].recipient, 1);
	assert_string_equal(sc.a[0].street, "7 rue Lenepveu");
	assert_int_equal(sc.a[1].recipient, 0);
	check(&sc.a[1], "OFII - Service médical de Toulouse",
	    "7 rue Arnaud Vidal", "31000", "TOULOUSE",
	    "OFII - Service médical de Toulouse, 7 rue Arnaud Vidal, "
	    "31000 TOULOUSE");
	check(&sc.a[2], "Imagerie médicale Vauban", "27 boulevard Vauban",
	    "59000", "Lille",
	    "Imagerie médicale Vauban, 27 boulevard Vauban, 59000 Lille");
	assert_int_equal(sc.np, 1);
	assert_string_equal(sc.p[0].text, "03 20 57 63 91");
	done(&sc);
	/* label cells in rows: "Lieu<TAB>name" above "Adresse<TAB>street,
	   CP city"; the labels are no part of the place */
	do_scan("Date\t2026-03-10\nLieu\tOFII - Antenne de Saint-Brieuc\n"
	    "Adresse\t1 rue du Combat des Trente, 22000 Saint-Brieuc\n", &sc);
	assert_int_equal(sc.n, 1);
	check(&sc.a[0], "OFII - Antenne de Saint-Brieuc",
	    "1 rue du Combat des Trente", "22000", "Saint-Brieuc",
	    "OFII - Antenne de Saint-Brieuc, 1 rue du Combat des Trente, "
	    "22000 Saint-Brieuc");
	done(&sc);
	/* an indented block: the name above a building line still counts */
	do_scan("Merci de vous présenter au service médical :\n\n"
	    "    OFII - Service médical\n"
	    "    Immeuble Le Lamartine - 3e étage\n"
	    "    41 quai Lamartine\n    71000 Mâcon\n", &sc);
	assert_int_equal(sc.n, 1);
	assert_string_equal(sc.a[0].place, "OFII - Service médical, Immeuble "
	    "Le Lamartine - 3e étage, 41 quai Lamartine, 71000 Mâcon");
	done(&sc);
}

static void
test_not_addresses(void **state)
{
	struct scanned sc;

	(void)state;
	/* file numbers, amounts, phones, lowercase words after 5 digits */
	do_scan("Dossier : 29-2023-MED-02287, 12345 personnes, 49,00 EUR, "
	    "02 41 44 86 17, n° 1234567 Paris, 00100 Rome\n", &sc);
	assert_int_equal(sc.n, 0);
	done(&sc);
}

static void
test_phones(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("Tél. : 02 41 44 86 17 ; 0590 82 47 16 ; +33 2 40 35 71 28 ; "
	    "+33 (0)4 93 62 18 45 ; 02.41.44.86.17 ; 04-76-22-58-03 ; "
	    "0033 1 53 26 48 90 ; 0241448617 ; +590 590 81 26 47 ; "
	    "not 12 02 41 44 86 17 99 nor 01 02 03\n", &sc);
	assert_int_equal(sc.np, 9);
	assert_string_equal(sc.p[0].text, "02 41 44 86 17");
	assert_string_equal(sc.p[0].digits, "0241448617");
	assert_string_equal(sc.p[1].text, "0590 82 47 16");
	assert_string_equal(sc.p[2].text, "02 40 35 71 28");
	assert_string_equal(sc.p[2].digits, "33240357128");
	assert_string_equal(sc.p[3].text, "04 93 62 18 45");
	assert_string_equal(sc.p[4].text, "02 41 44 86 17");
	assert_string_equal(sc.p[5].text, "04 76 22 58 03");
	assert_string_equal(sc.p[6].text, "01 53 26 48 90");
	assert_string_equal(sc.p[7].text, "0241448617");
	assert_string_equal(sc.p[8].text, "0590 81 26 47");
	done(&sc);
}

static void
test_tzid(void **state)
{
	(void)state;
	assert_string_equal(address_tzid("97110"), "America/Guadeloupe");
	assert_string_equal(address_tzid("97200"), "America/Martinique");
	assert_string_equal(address_tzid("97300"), "America/Cayenne");
	assert_string_equal(address_tzid("97400"), "Indian/Reunion");
	assert_string_equal(address_tzid("97600"), "Indian/Mayotte");
	assert_string_equal(address_tzid("97500"), "Europe/Paris");
	assert_string_equal(address_tzid("49100"), "Europe/Paris");
	assert_string_equal(address_tzid(NULL), "Europe/Paris");
}

static void
test_clean(void **state)
{
	const char *s = "  OFII\t-\xc2\xa0Service\r\n m\xc3\xa9" "dical\x01\x7f \xff ";
	char *c;

	(void)state;
	c = address_clean(s, 0, strlen(s));
	assert_non_null(c);
	assert_string_equal(c, "OFII - Service médical");
	free(c);
}

static void
test_overseas(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("    OFII - Direction territoriale de Guadeloupe\n"
	    "    5 rue Achille René-Boisneuf\n"
	    "    97110 Pointe-à-Pitre\n", &sc);
	assert_int_equal(sc.n, 1);
	check(&sc.a[0], "OFII - Direction territoriale de Guadeloupe",
	    "5 rue Achille René-Boisneuf", "97110", "Pointe-à-Pitre",
	    "OFII - Direction territoriale de Guadeloupe, 5 rue Achille "
	    "René-Boisneuf, 97110 Pointe-à-Pitre");
	assert_string_equal(address_tzid(sc.a[0].postal_code),
	    "America/Guadeloupe");
	done(&sc);
}

/* Building, floor, service and BP lines of a place block are kept, each
   as its own part. */
static void
test_block_complement_lines(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("Vous êtes attendue à l'adresse suivante :\n"
	    "OFII - Pôle santé\n"
	    "Résidence Les Tilleuls, 1er étage\n"
	    "15 avenue de la Gare\n"
	    "74000 Annecy\n\n"
	    "Rendez-vous au :\n"
	    "Clinique du Lac\n"
	    "Unité de radiologie\n"
	    "8 quai Jules Philippe\n"
	    "BP 310\n"
	    "74000 Annecy\n\n"
	    "Lieu : OFII - Accueil, Salle 3, rez-de-chaussée, 2 rue Royale, "
	    "74000 Annecy\n", &sc);
	assert_int_equal(sc.n, 3);
	check(&sc.a[0], "OFII - Pôle santé, Résidence Les Tilleuls, 1er étage",
	    "15 avenue de la Gare", "74000", "Annecy",
	    "OFII - Pôle santé, Résidence Les Tilleuls, 1er étage, "
	    "15 avenue de la Gare, 74000 Annecy");
	check(&sc.a[1], "Clinique du Lac, Unité de radiologie",
	    "8 quai Jules Philippe, BP 310", "74000", "Annecy",
	    "Clinique du Lac, Unité de radiologie, 8 quai Jules Philippe, "
	    "BP 310, 74000 Annecy");
	assert_string_equal(sc.a[2].place, "OFII - Accueil, Salle 3, "
	    "rez-de-chaussée, 2 rue Royale, 74000 Annecy");
	done(&sc);
}

/* The words that bring the place in are not its name: "à l'adresse X",
   "auprès de : X" (the name wrapped over two lines); a part of a building
   after a dash completes the name above it. */
static void
test_name_after_intro_words(void **state)
{
	struct scanned sc;

	(void)state;
	do_scan("Le rendez-vous du jeudi 23 octobre 2025, prévu à l'adresse "
	    "OFII - Service médical, 2 place de l'Hôpital Général, 59300 "
	    "Valenciennes, est annulé.\n\n"
	    "Vous devez réaliser une radiographie sur rendez-vous auprès de : "
	    "Radiologie des\nArènes, 14 avenue Saint-Saëns, 34500 Béziers, "
	    "tél. 04 67 28 53 16.\n\n"
	    "Vous êtes convoquée le mardi 18 novembre 2025 à 8h30 :\n"
	    "OFII - Consultations médicales\n"
	    "Centre hospitalier de Béziers - Pavillon 4\n"
	    "2 rue Valentin Haüy\n"
	    "34500 Béziers\n\n"
	    "Your visit takes place at the address Office X, 3 rue Y, "
	    "75001 Paris.\n",
	    &sc);
	assert_int_equal(sc.n, 4);
	check(&sc.a[0], "OFII - Service médical", "2 place de l'Hôpital Général",
	    "59300", "Valenciennes", "OFII - Service médical, 2 place de "
	    "l'Hôpital Général, 59300 Valenciennes");
	check(&sc.a[1], "Radiologie des Arènes", "14 avenue Saint-Saëns",
	    "34500", "Béziers",
	    "Radiologie des Arènes, 14 avenue Saint-Saëns, 34500 Béziers");
	check(&sc.a[2], "OFII - Consultations médicales, Centre hospitalier de "
	    "Béziers - Pavillon 4", "2 rue Valentin Haüy", "34500", "Béziers",
	    "OFII - Consultations médicales, Centre hospitalier de Béziers - "
	    "Pavillon 4, 2 rue Valentin Haüy, 34500 Béziers");
	check(&sc.a[3], "Office X", "3 rue Y", "75001", "Paris",
	    "Office X, 3 rue Y, 75001 Paris");
	done(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_lines),
		cmocka_unit_test(test_one_line_with_label),
		cmocka_unit_test(test_name_in_sentence),
		cmocka_unit_test(test_street_forms),
		cmocka_unit_test(test_recipient_and_table),
		cmocka_unit_test(test_not_addresses),
		cmocka_unit_test(test_phones),
		cmocka_unit_test(test_block_complement_lines),
		cmocka_unit_test(test_name_after_intro_words),
		cmocka_unit_test(test_tzid),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_overseas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
