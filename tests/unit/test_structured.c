/*
 * structured: calendar parts and schema.org data on hand-built messages
 * (structured_read), then the merge with the letter's text through
 * convocation_extract.
 */
#include "testutil.h"

#include "parsers/convocation.h"
#include "parsers/structured.h"

#define T_SEP_2025	((time_t)1758615151)	/* 2025-09-23 08:12 UTC */

struct mail {
	struct message		m;
	struct message_part	parts[4];
	struct message_header	from;
};

static void
mail_init(struct mail *ml, const char *from, const char *subject)
{
	memset(ml, 0, sizeof(*ml));
	ml->from.name = (char *)"From";
	ml->from.value = (char *)from;
	ml->m.headers = &ml->from;
	ml->m.nheaders = 1;
	ml->m.from = (char *)from;
	ml->m.from_addr = (char *)from;
	ml->m.subject = (char *)subject;
	ml->m.message_id = (char *)"<t@example.org>";
	ml->m.date = (char *)"";
	ml->m.date_utc = T_SEP_2025;
	ml->m.parts = ml->parts;
}

/* data: the part's bytes; text: its letter text (NULL for a calendar). */
static void
mail_part(struct mail *ml, enum part_kind kind, const char *data,
    const char *text)
{
	struct message_part *p = &ml->parts[ml->m.nparts++];

	p->kind = kind;
	p->content_type = (char *)(kind == PART_CALENDAR ? "text/calendar" :
	    kind == PART_HTML ? "text/html" : "text/plain");
	p->data = (char *)data;
	p->len = strlen(data);
	p->text = (char *)text;
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

/* The events of one part. */
static void
read1(enum part_kind kind, const char *data, struct structured *s)
{
	struct mail ml;

	mail_init(&ml, "a@ofii.fr", "");
	mail_part(&ml, kind, data, NULL);
	assert_int_equal(structured_read(&ml.m, "Europe/Paris", s), 0);
}

static struct convocation *
extract(struct mail *ml)
{
	struct convocation *c = NULL;
	char *err = NULL;

	assert_int_equal(convocation_extract(&ml->m, NULL, &c, &err), 0);
	assert_null(err);
	assert_non_null(c);
	return c;
}

#define CAL_HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//FR\r\n"

static const char romance_vtz[] =
    "BEGIN:VTIMEZONE\r\nTZID:Romance Standard Time\r\n"
    "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10"
    "\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\n"
    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n"
    "END:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

static void
test_windows_zone(void **state)
{
	struct structured s;
	char cal[4096];

	(void)state;
	/* Exchange: the Windows name, its VTIMEZONE, Melun */
	snprintf(cal, sizeof(cal), CAL_HEAD "METHOD:REQUEST\r\n%s"
	    "BEGIN:VEVENT\r\nUID:1\r\n"
	    "SUMMARY;LANGUAGE=fr-FR:Convocation visite m\xC3\xA9" "dicale OFII\r\n"
	    "DTSTART;TZID=Romance Standard Time:20251009T093000\r\n"
	    "DTEND;TZID=Romance Standard Time:20251009T100000\r\n"
	    "LOCATION;LANGUAGE=fr-FR:OFII - Service m\xC3\xA9" "dical\\, 14 "
	    "avenue Thiers\\, 77000 \r\n Melun\r\n"
	    "ORGANIZER;CN=HOARAU Sylvie:mailto:sylvie.hoarau@ofii.fr\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", romance_vtz);
	read1(PART_CALENDAR, cal, &s);
	assert_int_equal(s.n, 1);
	check_wt(&s.ev[0].start, 2025, 10, 9, 9, 30);
	check_wt(&s.ev[0].end, 2025, 10, 9, 10, 0);
	assert_string_equal(s.ev[0].tzid, "Europe/Paris");
	assert_string_equal(s.ev[0].place,
	    "OFII - Service m\xC3\xA9" "dical, 14 avenue Thiers, 77000 Melun");
	assert_string_equal(s.ev[0].postal_code, "77000");
	assert_string_equal(s.ev[0].city, "Melun");
	assert_int_equal(s.ev[0].type, APPT_MEDICAL);
	assert_true(s.ev[0].typed);
	assert_true(s.ev[0].ofii);
	assert_false(s.ev[0].cancelled);
	structured_free(&s);

	/* the same zone for a Mayotte office: 06:30 CET is 08:30 there */
	snprintf(cal, sizeof(cal), CAL_HEAD "%sBEGIN:VEVENT\r\n"
	    "DTSTART;TZID=Romance Standard Time:20251112T063000\r\n"
	    "LOCATION:OFII\\, 7 rue du Commerce\\, 97615 Dzaoudzi\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", romance_vtz);
	read1(PART_CALENDAR, cal, &s);
	assert_int_equal(s.n, 1);
	check_wt(&s.ev[0].start, 2025, 11, 12, 8, 30);
	assert_string_equal(s.ev[0].tzid, "Indian/Mayotte");
	assert_int_equal(s.ev[0].end.year, 0);
	structured_free(&s);

	/* the table alone (no VTIMEZONE): Guadeloupe, Réunion */
	read1(PART_CALENDAR, CAL_HEAD "BEGIN:VEVENT\r\n"
	    "DTSTART;TZID=SA Western Standard Time:20251014T074500\r\n"
	    "LOCATION:18 route de Vernou\\, 97170 Petit-Bourg\r\n"
	    "END:VEVENT\r\nBEGIN:VEVENT\r\n"
	    "DTSTART;TZID=\"Arabian Standard Time\":20251104T081500\r\n"
	    "LOCATION:41 rue de la Gare\\, 97440 Saint-Andr\xC3\xA9\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", &s);
	assert_int_equal(s.n, 2);
	check_wt(&s.ev[0].start, 2025, 10, 14, 7, 45);
	assert_string_equal(s.ev[0].tzid, "America/Guadeloupe");
	check_wt(&s.ev[1].start, 2025, 11, 4, 8, 15);
	assert_string_equal(s.ev[1].tzid, "Indian/Reunion");
	structured_free(&s);

	/* a name nobody knows: its own plain VTIMEZONE (UTC+3) is read;
	   a hostile one (minutely rule) is not, the time stays as written */
	read1(PART_CALENDAR, CAL_HEAD "BEGIN:VTIMEZONE\r\nTZID:Custom\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
	    "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\n"
	    "END:VTIMEZONE\r\nBEGIN:VTIMEZONE\r\nTZID:Hostile\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:00010101T000000\r\n"
	    "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\n"
	    "RRULE:FREQ=MINUTELY\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
	    "BEGIN:VEVENT\r\nDTSTART;TZID=Custom:20251105T100000\r\n"
	    "LOCATION:9 rue du Docteur Maunoury\\, 28000 Chartres\r\n"
	    "END:VEVENT\r\nBEGIN:VEVENT\r\n"
	    "DTSTART;TZID=Hostile:20251106T100000\r\n"
	    "LOCATION:9 rue du Docteur Maunoury\\, 28000 Chartres\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", &s);
	assert_int_equal(s.n, 2);
	check_wt(&s.ev[0].start, 2025, 11, 5, 8, 0);
	check_wt(&s.ev[1].start, 2025, 11, 6, 10, 0);
	structured_free(&s);
}

static void
test_utc_and_olson(void **state)
{
	struct structured s;

	(void)state;
	/* Z: 08:30 UTC is 09:30 in Chartres in November, 10:30 in June */
	read1(PART_CALENDAR, CAL_HEAD "METHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
	    "DTSTART:20251105T083000Z\r\nDTEND:20251105T090000Z\r\n"
	    "SUMMARY:Visite m\xC3\xA9" "dicale OFII\r\n"
	    "LOCATION:OFII - Service m\xC3\xA9" "dical\\, 9 rue du Docteur "
	    "Maunoury\\, 28000 Chartres\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nDTSTART:20260610T083000Z\r\n"
	    "DURATION:PT45M\r\nSUMMARY:Visite d'accueil CIR\r\n"
	    "LOCATION:28000 Chartres\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", &s);
	assert_int_equal(s.n, 2);
	check_wt(&s.ev[0].start, 2025, 11, 5, 9, 30);
	check_wt(&s.ev[0].end, 2025, 11, 5, 10, 0);
	check_wt(&s.ev[1].start, 2026, 6, 10, 10, 30);
	check_wt(&s.ev[1].end, 2026, 6, 10, 11, 15);
	assert_int_equal(s.ev[1].type, APPT_CIR);
	structured_free(&s);

	/* TZID=Europe/Paris (BlueMind), behind a prefix (Thunderbird), and
	   a floating time: the office's wall clock */
	read1(PART_CALENDAR, CAL_HEAD "BEGIN:VEVENT\r\n"
	    "DTSTART;TZID=Europe/Paris:20251021T084500\r\n"
	    "DTEND;TZID=Europe/Paris:20251021T123000\r\n"
	    "SUMMARY:Visite d'accueil CIR - OFII \xC3\x89vreux\r\n"
	    "LOCATION:OFII - Plateforme d'accueil\\, 2 rue Jos\xC3\xA9phine\\, "
	    "27000 \xC3\x89vreux\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n"
	    "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:"
	    "20251022T090000\r\nSUMMARY:Radiographie pulmonaire\r\n"
	    "END:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20251023T091500\r\n"
	    "SUMMARY:Rendez-vous\r\nLOCATION:97300 Cayenne\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", &s);
	assert_int_equal(s.n, 3);
	check_wt(&s.ev[0].start, 2025, 10, 21, 8, 45);
	check_wt(&s.ev[0].end, 2025, 10, 21, 12, 30);
	assert_int_equal(s.ev[0].type, APPT_CIR);
	check_wt(&s.ev[1].start, 2025, 10, 22, 9, 0);
	assert_int_equal(s.ev[1].type, APPT_XRAY);
	assert_null(s.ev[1].place);
	check_wt(&s.ev[2].start, 2025, 10, 23, 9, 15);
	assert_string_equal(s.ev[2].tzid, "America/Cayenne");
	assert_false(s.ev[2].typed);
	assert_true(s.ev[2].named);
	structured_free(&s);
}

static void
test_ical_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"BEGIN:VCALENDAR\r\n",
		"BEGIN:VEVENT\r\nDTSTART:20251009T093000Z\r\n",	/* no END */
		CAL_HEAD "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251009\r\n"
		    "SUMMARY:Visite m\xC3\xA9" "dicale\r\nEND:VEVENT\r\n"
		    "END:VCALENDAR\r\n",		/* all day */
		CAL_HEAD "BEGIN:VEVENT\r\nDTSTART:2025-10-09 9h30\r\n"
		    "END:VEVENT\r\nEND:VCALENDAR\r\n",
		CAL_HEAD "BEGIN:VEVENT\r\nDTSTART:20251309T093000\r\n"
		    "END:VEVENT\r\nEND:VCALENDAR\r\n",
		CAL_HEAD "BEGIN:VEVENT\r\nDTSTART:20251009T253000\r\n"
		    "END:VEVENT\r\nEND:VCALENDAR\r\n",
		CAL_HEAD "BEGIN:VEVENT\r\nSUMMARY:no start\r\n"
		    "DTEND:20251009T093000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		CAL_HEAD "BEGIN:VEVENT\r\nDTSTART;VALUE=TEXT:hello\r\n"
		    "STATUS:20251009\r\nMETHOD:1\r\nORGANIZER:\r\n"
		    "END:VEVENT\r\nEND:VCALENDAR\r\n",
		CAL_HEAD "BEGIN:VEVENT\r\nDTSTART;TZID=../../../etc/passwd:"
		    "20251009T093000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	};
	struct structured s;
	char *big, *p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		read1(PART_CALENDAR, bad[i], &s);
		/* the TZID with a path: floating, never a file */
		assert_true(s.n == 0 || i == sizeof(bad) / sizeof(bad[0]) - 1);
		if (s.n == 1)
			check_wt(&s.ev[0].start, 2025, 10, 9, 9, 30);
		structured_free(&s);
	}

	/* many events: STRUCT_MAX_EVENTS kept */
	big = malloc(200 * 100 + 100);
	assert_non_null(big);
	p = big + sprintf(big, CAL_HEAD);
	for (i = 0; i < 100; i++)
		p += sprintf(p, "BEGIN:VEVENT\r\nDTSTART:202510%02zuT%02zu0000Z"
		    "\r\nSUMMARY:Visite\r\nEND:VEVENT\r\n", i % 28 + 1,
		    i % 20);
	strcpy(p, "END:VCALENDAR\r\n");
	read1(PART_CALENDAR, big, &s);
	assert_int_equal(s.n, STRUCT_MAX_EVENTS);
	structured_free(&s);
	free(big);

	/* deeper than the nesting bound: not read at all */
	big = malloc(100 * 20 + 200);
	assert_non_null(big);
	p = big + sprintf(big, CAL_HEAD "BEGIN:VEVENT\r\n"
	    "DTSTART:20251009T093000Z\r\n");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "BEGIN:X\r\n");
	strcpy(p, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	read1(PART_CALENDAR, big, &s);
	assert_int_equal(s.n, 0);
	free(big);

	/* over the size bound: not read */
	n = STRUCT_MAX_CALENDAR + 10;
	big = malloc(n + 1);
	assert_non_null(big);
	p = big + sprintf(big, CAL_HEAD "BEGIN:VEVENT\r\n"
	    "DTSTART:20251009T093000Z\r\nDESCRIPTION:");
	memset(p, 'x', n - (size_t)(p - big));
	big[n] = '\0';
	read1(PART_CALENDAR, big, &s);
	assert_int_equal(s.n, 0);
	free(big);
}

static const char bourges_jsonld[] =
    "<html><head><script type=\"application/ld+json\">\n"
    "{\"@context\": \"https://schema.org\", \"@type\": \"Event\",\n"
    " \"name\": \"Visite m\xC3\xA9" "dicale obligatoire - OFII\",\n"
    " \"startDate\": \"2025-11-06T10:30:00+01:00\",\n"
    " \"location\": {\"@type\": \"Place\", \"name\": \"OFII - Service "
    "m\xC3\xA9" "dical\",\n  \"address\": {\"@type\": \"PostalAddress\", "
    "\"streetAddress\": \"6 rue Jacques Rimbault\", \"postalCode\": "
    "\"18000\", \"addressLocality\": \"Bourges\"}},\n"
    " \"organizer\": {\"@type\": \"GovernmentOrganization\", \"name\": "
    "\"OFII\"}}\n</script></head><body><p>Madame,</p>"
    "<p>Vous \xC3\xAAtes convoqu\xC3\xA9" "e \xC3\xA0 la visite m\xC3\xA9"
    "dicale de l'OFII le jeudi 6 novembre 2025 \xC3\xA0 10h,<br>"
    "OFII - Service m\xC3\xA9" "dical, 6 rue Jacques Rimbault, 18000 "
    "Bourges.</p></body></html>";

static const char bourges_text[] =
    "Madame,\n\nVous \xC3\xAAtes convoqu\xC3\xA9" "e \xC3\xA0 la visite "
    "m\xC3\xA9" "dicale de l'OFII le jeudi 6 novembre 2025 \xC3\xA0 10h,\n"
    "OFII - Service m\xC3\xA9" "dical, 6 rue Jacques Rimbault, 18000 "
    "Bourges.\n";

static void
test_jsonld(void **state)
{
	struct structured s;

	(void)state;
	read1(PART_HTML, bourges_jsonld, &s);
	assert_int_equal(s.n, 1);
	check_wt(&s.ev[0].start, 2025, 11, 6, 10, 30);
	assert_int_equal(s.ev[0].end.year, 0);
	assert_string_equal(s.ev[0].place, "OFII - Service m\xC3\xA9" "dical, "
	    "6 rue Jacques Rimbault, 18000 Bourges");
	assert_string_equal(s.ev[0].postal_code, "18000");
	assert_string_equal(s.ev[0].city, "Bourges");
	assert_true(s.ev[0].ofii);
	structured_free(&s);

	/* two reservations in a list: the X-ray at a clinic (its phone),
	   the visit; a cancelled one in a @graph */
	read1(PART_HTML, "<script type=\"application/ld+json\">[\n"
	    "{\"@type\": \"EventReservation\", \"reservationNumber\": \"R1\","
	    " \"reservationFor\": {\"@type\": \"Event\", \"name\": "
	    "\"Radiographie pulmonaire\", \"startDate\": "
	    "\"2025-10-27T08:30:00+01:00\", \"location\": {\"@type\": "
	    "\"MedicalClinic\", \"name\": \"Imagerie Saint-Front\", "
	    "\"address\": {\"streetAddress\": \"9 rue Bodin\", \"postalCode\":"
	    " 24000, \"addressLocality\": \"P\xC3\xA9rigueux\"}, "
	    "\"telephone\": \"+33 5 53 08 41 27\"}}},\n"
	    "{\"@type\": [\"Thing\", \"EventReservation\"], "
	    "\"reservationFor\": {\"@type\": \"Event\", \"name\": "
	    "\"Visite m\xC3\xA9" "dicale OFII\", \"startDate\": "
	    "\"2025-11-04T14:00\", \"endDate\": \"2025-11-04T14:30\", "
	    "\"location\": \"OFII, 17 rue du Pr\xC3\xA9sident Wilson, 24000 "
	    "P\xC3\xA9rigueux\"}}]</script>"
	    "<script type=\"application/ld+json\">{\"@graph\": [{\"@type\": "
	    "\"EventReservation\", \"reservationStatus\": "
	    "\"http://schema.org/ReservationCancelled\", \"reservationFor\": "
	    "{\"@type\": \"Event\", \"name\": \"CIR\", \"startDate\": "
	    "\"2025-12-01T09:00:00Z\"}}]}</script>", &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.ev[0].type, APPT_XRAY);
	check_wt(&s.ev[0].start, 2025, 10, 27, 8, 30);
	assert_string_equal(s.ev[0].place, "Imagerie Saint-Front, 9 rue Bodin, "
	    "24000 P\xC3\xA9rigueux");
	assert_string_equal(s.ev[0].name, "Imagerie Saint-Front");
	assert_string_equal(s.ev[0].address, "9 rue Bodin, 24000 P\xC3\xA9rigueux");
	assert_string_equal(s.ev[0].phone, "05 53 08 41 27");
	assert_string_equal(s.ev[0].uid, "R1");
	assert_false(s.ev[0].cancelled);
	check_wt(&s.ev[1].start, 2025, 11, 4, 14, 0);
	check_wt(&s.ev[1].end, 2025, 11, 4, 14, 30);
	assert_string_equal(s.ev[1].postal_code, "24000");
	assert_int_equal(s.ev[2].type, APPT_CIR);
	check_wt(&s.ev[2].start, 2025, 12, 1, 10, 0);
	assert_true(s.ev[2].cancelled);
	structured_free(&s);
}

static void
test_jsonld_malformed(void **state)
{
	static const char *const bad[] = {
		"<script type=\"application/ld+json\">{\"@type\": \"Event\", "
		    "\"startDate\": \"2025-11-06T10:30\"</script>",
		"<script type=\"application/ld+json\">{\"@type\": \"Event\", "
		    "\"startDate\": \"2025-11-06\"}</script>",	/* no time */
		"<script type=\"application/ld+json\">{\"@type\": \"Event\", "
		    "\"startDate\": \"2025-02-30T10:30\"}</script>",
		"<script type=\"application/ld+json\">{\"@type\": \"Event\", "
		    "\"startDate\": 20251106}</script>",
		"<script type=\"application/ld+json\">{\"@type\": \"Event\", "
		    "\"startDate\": \"2025-11-06T10:30+99:00\"}</script>",
		"<script type=\"application/ld+json\">{\"@type\": \"Person\", "
		    "\"startDate\": \"2025-11-06T10:30\"}</script>",
		"<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[["
		    "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
		    "</script>",
		"<script type=\"application/ld+json\"></script>",
		"<script type=\"application/ld+json\">{\"@type\": "
		    "\"EventReservation\", \"reservationFor\": 3}</script>",
		"<script type=\"text/javascript\">{\"@type\": \"Event\", "
		    "\"startDate\": \"2025-11-06T10:30\"}</script>",
	};
	struct structured s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		read1(PART_HTML, bad[i], &s);
		assert_int_equal(s.n, 0);
	}
	/* floating and "Z" times */
	assert_int_equal(structured_iso_time("2025-11-06T10:30", &(struct swhen){ 0 }), 0);
	assert_int_equal(structured_iso_time("2025-11-06 10:30:15.250Z",
	    &(struct swhen){ 0 }), 0);
	assert_int_equal(structured_iso_time("2025-11-06T10:30 junk",
	    &(struct swhen){ 0 }), -1);
}

static void
test_microdata(void **state)
{
	struct structured s;
	char *big, *p;
	size_t i;

	(void)state;
	read1(PART_HTML, "<html><body><p>Madame DLAMINI,</p>"
	    "<div itemscope itemtype=\"http://schema.org/Event\">"
	    "<meta itemprop=\"name\" content=\"Visite m\xC3\xA9" "dicale OFII\">"
	    "<p>Le <time itemprop=\"startDate\" "
	    "datetime=\"2025-11-12T09:15:00+01:00\">12 novembre \xC3\xA0 9h15"
	    "</time>.</p><p itemprop=\"location\" itemscope "
	    "itemtype=\"http://schema.org/Place\"><span itemprop=\"name\">"
	    "OFII - Service m\xC3\xA9" "dical</span><br><span "
	    "itemprop=\"address\" itemscope "
	    "itemtype=\"http://schema.org/PostalAddress\"><span "
	    "itemprop=\"streetAddress\">27 boulevard Carnot</span><br>"
	    "<span itemprop=\"postalCode\">62000</span> <span "
	    "itemprop=\"addressLocality\">Arras</span></span></p>"
	    "</div></body></html>", &s);
	assert_int_equal(s.n, 1);
	check_wt(&s.ev[0].start, 2025, 11, 12, 9, 15);
	assert_string_equal(s.ev[0].place, "OFII - Service m\xC3\xA9" "dical, "
	    "27 boulevard Carnot, 62000 Arras");
	assert_int_equal(s.ev[0].type, APPT_MEDICAL);
	structured_free(&s);

	/* many items, deep nesting: bounded */
	big = malloc(3000 * 120 + 3000 * 40 + 200);
	assert_non_null(big);
	p = big + sprintf(big, "<html><body>");
	for (i = 0; i < 3000; i++)
		p += sprintf(p, "<div itemscope itemtype=\"http://schema.org/"
		    "Event\"><time itemprop=\"startDate\" datetime=\""
		    "2025-11-%02zuT09:15\"></time></div>", i % 28 + 1);
	for (i = 0; i < 3000; i++)
		p += sprintf(p, "<div itemscope itemtype=\"x/Event\">");
	strcpy(p, "<meta itemprop=\"startDate\" content=\"2025-12-01T09:00\">"
	    "</body></html>");
	read1(PART_HTML, big, &s);
	assert_true(s.n <= STRUCT_MAX_EVENTS);
	structured_free(&s);
	free(big);
}

/* Trusted: the JSON-LD's 10:30 wins over the text's "10h", one
   appointment, the note says so.  Untrusted: nothing from the JSON-LD. */
static void
test_merge_trust(void **state)
{
	struct convocation *c;
	struct mail ml;

	(void)state;
	mail_init(&ml, "notification@ofii.fr", "Convocation visite médicale");
	mail_part(&ml, PART_HTML, bourges_jsonld, bourges_text);
	c = extract(&ml);
	assert_int_equal(c->trust, TRUST_DOMAIN);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2025, 11, 6, 10, 30);
	assert_string_equal(c->appts[0].tzid, "Europe/Paris");
	assert_int_equal(c->notes, 1u << NOTE_STRUCTURED_SOURCE_DISAGREES);
	convocation_free(c);

	mail_init(&ml, "ofii.notification@gmail.com",
	    "Convocation visite médicale");
	mail_part(&ml, PART_HTML, bourges_jsonld, bourges_text);
	c = extract(&ml);
	assert_int_equal(c->trust, TRUST_UNTRUSTED);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2025, 11, 6, 10, 0);
	assert_int_equal(c->notes, 0);
	convocation_free(c);
}

static const char quentin_cal[] =
    CAL_HEAD "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:q1\r\n"
    "SUMMARY:Convocation visite m\xC3\xA9" "dicale OFII - 11h15\r\n"
    "DTSTART;TZID=Romance Standard Time:20251017T111500\r\n"
    "DTEND;TZID=Romance Standard Time:20251017T114500\r\n"
    "LOCATION:OFII - Service m\xC3\xA9" "dical\\, 14 rue de la "
    "Sous-Pr\xC3\xA9" "fecture\\, 02100 Saint-Quentin\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

static const char quentin_text[] =
    "Madame KOVALENKO Iryna,\n\nVous \xC3\xAAtes convoqu\xC3\xA9" "e "
    "\xC3\xA0 la visite m\xC3\xA9" "dicale de l'OFII au jour indiqu\xC3\xA9"
    " dans cette invitation, \xC3\xA0 11h15.\nMunissez-vous de votre "
    "passeport.\n\nOFII Saint-Quentin\n";

/* The date only in the calendar: still a convocation (trusted); from an
   untrusted sender nothing is created. */
static void
test_calendar_only(void **state)
{
	struct convocation *c;
	struct mail ml;

	(void)state;
	mail_init(&ml, "accueil-saintquentin@ofii.fr", "Invitation");
	mail_part(&ml, PART_TEXT, quentin_text, quentin_text);
	mail_part(&ml, PART_CALENDAR, quentin_cal, NULL);
	c = extract(&ml);
	assert_int_equal(c->kind, KIND_CONVOCATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2025, 10, 17, 11, 15);
	check_wt(&c->appts[0].end, 2025, 10, 17, 11, 45);
	assert_string_equal(c->appts[0].postal_code, "02100");
	assert_string_equal(c->appts[0].city, "Saint-Quentin");
	assert_int_equal(c->notes, 0);
	convocation_free(c);

	mail_init(&ml, "accueil-saintquentin@0fii-fr.com", "Invitation");
	mail_part(&ml, PART_TEXT, quentin_text, quentin_text);
	mail_part(&ml, PART_CALENDAR, quentin_cal, NULL);
	c = extract(&ml);
	assert_int_equal(c->trust, TRUST_UNTRUSTED);
	assert_int_equal(c->nappts, 0);
	convocation_free(c);
}

/* METHOD:CANCEL with a letter that says so: the cancelled slot, at the
   calendar's place. */
static void
test_cancel(void **state)
{
	struct convocation *c;
	struct mail ml;

	(void)state;
	mail_init(&ml, "sm-valenciennes@ofii.fr",
	    "Annul\xC3\xA9 : Visite m\xC3\xA9" "dicale OFII");
	mail_part(&ml, PART_TEXT, "Monsieur,\n\nVotre rendez-vous pour la "
	    "visite m\xC3\xA9" "dicale de l'OFII du jeudi 23 octobre 2025 "
	    "\xC3\xA0 10h15 est annul\xC3\xA9.\nUne nouvelle convocation vous "
	    "sera adress\xC3\xA9" "e.\n\nOFII Valenciennes\n",
	    "Monsieur,\n\nVotre rendez-vous pour la "
	    "visite m\xC3\xA9" "dicale de l'OFII du jeudi 23 octobre 2025 "
	    "\xC3\xA0 10h15 est annul\xC3\xA9.\nUne nouvelle convocation vous "
	    "sera adress\xC3\xA9" "e.\n\nOFII Valenciennes\n");
	mail_part(&ml, PART_CALENDAR, CAL_HEAD "METHOD:CANCEL\r\n"
	    "BEGIN:VEVENT\r\nSTATUS:CANCELLED\r\n"
	    "SUMMARY:Annul\xC3\xA9 : Visite m\xC3\xA9" "dicale OFII\r\n"
	    "DTSTART:20251023T081500Z\r\nDTEND:20251023T084500Z\r\n"
	    "LOCATION:OFII - Service m\xC3\xA9" "dical\\, 2 place de "
	    "l'H\xC3\xB4pital G\xC3\xA9n\xC3\xA9ral\\, 59300 Valenciennes\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", NULL);
	c = extract(&ml);
	assert_int_equal(c->kind, KIND_CANCELLATION);
	assert_int_equal(c->nappts, 1);
	check_wt(&c->appts[0].start, 2025, 10, 23, 10, 15);
	check_wt(&c->appts[0].end, 2025, 10, 23, 10, 45);
	assert_string_equal(c->appts[0].place, "OFII - Service m\xC3\xA9"
	    "dical, 2 place de l'H\xC3\xB4pital G\xC3\xA9n\xC3\xA9ral, 59300 "
	    "Valenciennes");
	convocation_free(c);
}

/* A radiology practice's own booking (.ics) is not an OFII summons. */
static void
test_third_party(void **state)
{
	static const char text[] =
	    "Bonjour Karim BELKACEM,\n\nVotre rendez-vous est confirm\xC3\xA9.\n"
	    "\nExamen : Radiographie pulmonaire - visite m\xC3\xA9" "dicale "
	    "OFII\nDate : mercredi 29 octobre 2025 \xC3\xA0 08:40\nLieu : "
	    "Centre d'imagerie Jean Jaur\xC3\xA8s, 41 avenue Jean Jaur\xC3\xA8s,"
	    " 82000 Montauban\n";
	struct convocation *c;
	struct mail ml;

	(void)state;
	mail_init(&ml, "no-reply@rdv-imagerie.fr", "Confirmation");
	mail_part(&ml, PART_TEXT, text, text);
	mail_part(&ml, PART_CALENDAR, CAL_HEAD "METHOD:PUBLISH\r\n"
	    "BEGIN:VEVENT\r\nDTSTART:20251029T074000Z\r\n"
	    "SUMMARY:Radiographie pulmonaire\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n", NULL);
	c = extract(&ml);
	assert_int_equal(c->kind, KIND_OTHER);
	assert_int_equal(c->nappts, 0);
	assert_null(c->xray);
	assert_null(c->person);
	convocation_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_zone),
		cmocka_unit_test(test_utc_and_olson),
		cmocka_unit_test(test_ical_garbage),
		cmocka_unit_test(test_jsonld),
		cmocka_unit_test(test_jsonld_malformed),
		cmocka_unit_test(test_microdata),
		cmocka_unit_test(test_merge_trust),
		cmocka_unit_test(test_calendar_only),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_third_party),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
