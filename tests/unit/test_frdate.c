/*
 * frdate: folding, dates, times and windows in French and English text.
 */
#include "testutil.h"

#include "lib/civil.h"
#include "parsers/frdate.h"

/* Scan s and return the tokens (the test frees them). */
static struct frdate_token *
scan(const char *s, size_t *n)
{
	struct frdate_token *t = NULL;
	char *err = NULL;

	assert_int_equal(frdate_scan_text(s, strlen(s), &t, n, &err), 0);
	assert_null(err);
	return t;
}

static void
check_date(const struct frdate_token *t, int y, int m, int d)
{
	assert_int_equal(t->kind, FRDATE_DATE);
	assert_int_equal(t->year, y);
	assert_int_equal(t->month, m);
	assert_int_equal(t->day, d);
}

static void
check_time(const struct frdate_token *t, int h, int m)
{
	assert_int_equal(t->kind, FRDATE_TIME);
	assert_int_equal(t->hour, h);
	assert_int_equal(t->minute, m);
}

static void
check_window(const struct frdate_token *t, int h1, int m1, int h2, int m2)
{
	assert_int_equal(t->kind, FRDATE_WINDOW);
	assert_int_equal(t->hour, h1);
	assert_int_equal(t->minute, m1);
	assert_int_equal(t->end_hour, h2);
	assert_int_equal(t->end_minute, m2);
}

static void
test_fold(void **state)
{
	const char *in = "Février\xc2\xa0" "AOÛT d\xe2\x80\x99" "accueil \xc5\x93uvre "
	    "\xef\xac\x81" "che 1\xe1\xb5\x89\xca\xb3 \xe2\x80\x93 \xe2\x80\xa2\r\nx\x01" "y";
	struct folded_text f;
	char *err = NULL;

	(void)state;
	assert_int_equal(frdate_fold(in, strlen(in), &f, &err), 0);
	assert_string_equal(f.s, "fevrier aout d'accueil oeuvre fiche 1er - *\nx y");
	/* offsets point back at the original characters */
	assert_int_equal(f.off[0], 0);
	assert_int_equal(f.off[1], 1);		/* 'e' from "é" (2 bytes) */
	assert_int_equal(f.off[2], 3);		/* 'v' */
	assert_int_equal(f.off[f.len], strlen(in));
	frdate_fold_free(&f);

	/* invalid UTF-8 becomes '?', one per byte */
	assert_int_equal(frdate_fold("a\xff\xc3z", 4, &f, &err), 0);
	assert_string_equal(f.s, "a??z");
	frdate_fold_free(&f);
}

static void
test_french_dates(void **state)
{
	struct frdate_token *t;
	size_t n;
	const char *s = "le mardi 8 mars 2022 et le 1er avril 2023, puis 08/03/2022, "
	    "08/03/22, 8.3.2022, 2022-03-09 ; DATE : Jeudi 26 octobre 2023";

	(void)state;
	t = scan(s, &n);
	assert_int_equal(n, 7);
	check_date(&t[0], 2022, 3, 8);
	assert_int_equal(t[0].weekday, 1);
	assert_int_equal(t[0].start, 3);	/* "mardi ..." */
	assert_int_equal(t[0].end, 20);
	check_date(&t[1], 2023, 4, 1);
	assert_int_equal(t[1].weekday, -1);
	check_date(&t[2], 2022, 3, 8);
	assert_int_equal(t[2].numeric, 1);
	check_date(&t[3], 2022, 3, 8);
	check_date(&t[4], 2022, 3, 8);
	check_date(&t[5], 2022, 3, 9);
	check_date(&t[6], 2023, 10, 26);
	assert_int_equal(t[6].weekday, 3);
	free(t);
}

static void
test_accents_and_case(void **state)
{
	struct frdate_token *t;
	size_t n;
	const char *s = "3 FÉVRIER 2024, 3 fevrier 2024, 15 août 2023, 15 AOUT 2023, "
	    "1er décembre 2023, 2 déc. 2023";

	(void)state;
	t = scan(s, &n);
	assert_int_equal(n, 6);
	check_date(&t[0], 2024, 2, 3);
	check_date(&t[1], 2024, 2, 3);
	check_date(&t[2], 2023, 8, 15);
	check_date(&t[3], 2023, 8, 15);
	check_date(&t[4], 2023, 12, 1);
	check_date(&t[5], 2023, 12, 2);
	/* offsets are in the original bytes: "3 FÉVRIER 2024" is 15 bytes */
	assert_int_equal(t[0].start, 0);
	assert_int_equal(t[0].end, 15);
	free(t);
}

static void
test_english_dates(void **state)
{
	struct frdate_token *t;
	size_t n;
	const char *s = "Tuesday, March 8, 2022 / March 8th 2022 / 8 March 2022 / "
	    "on Tuesday, March 7,\n2023, then";

	(void)state;
	t = scan(s, &n);
	assert_int_equal(n, 4);
	check_date(&t[0], 2022, 3, 8);
	assert_int_equal(t[0].weekday, 1);
	check_date(&t[1], 2022, 3, 8);
	check_date(&t[2], 2022, 3, 8);
	check_date(&t[3], 2023, 3, 7);		/* wrapped over a line break */
	free(t);
}

static void
test_invalid_dates(void **state)
{
	struct frdate_token *t;
	size_t n;

	(void)state;
	/* no 31 April, no 29 February 2023, no month 13 */
	t = scan("31 avril 2023, 29 février 2023, 31/04/2023, 12/13/2023", &n);
	assert_int_equal(n, 0);
	free(t);
	/* leap day is fine */
	t = scan("29 février 2024", &n);
	assert_int_equal(n, 1);
	check_date(&t[0], 2024, 2, 29);
	free(t);
	/* phone numbers, versions and IPs are not dates */
	t = scan("02.41.44.86.17 01.02.03.04.05 0590 82 47 16 6.8.1 192.0.2.53", &n);
	assert_int_equal(n, 0);
	free(t);
	/* a month and a year is not a date */
	t = scan("Février 2024", &n);
	assert_int_equal(n, 0);
	free(t);
	assert_int_equal(frdate_valid(2023, 4, 31), 0);
	assert_int_equal(frdate_valid(2024, 2, 29), 1);
	assert_int_equal(frdate_valid(1900, 2, 29), 0);
	assert_int_equal(frdate_valid(2000, 2, 29), 1);
}

static void
test_yearless_date(void **state)
{
	struct frdate_token *t;
	size_t n;

	(void)state;
	t = scan("prévu le 7 février à 10h", &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 0, 2, 7);
	check_time(&t[1], 10, 0);
	free(t);
}

static void
test_times(void **state)
{
	struct frdate_token *t;
	size_t n;
	const char *s = "9h30, 09:30, 9 h 30, 09H30, 9:30 am, 2 pm, 14h, 14 heures, "
	    "14 heures 30, 12:15 pm, 12 am, 9.45 pm, 10h15min, à midi";

	(void)state;
	t = scan(s, &n);
	assert_int_equal(n, 14);
	check_time(&t[0], 9, 30);
	check_time(&t[1], 9, 30);
	check_time(&t[2], 9, 30);
	check_time(&t[3], 9, 30);
	check_time(&t[4], 9, 30);
	check_time(&t[5], 14, 0);
	check_time(&t[6], 14, 0);
	check_time(&t[7], 14, 0);
	check_time(&t[8], 14, 30);
	check_time(&t[9], 12, 15);
	check_time(&t[10], 0, 0);
	check_time(&t[11], 21, 45);
	check_time(&t[12], 10, 15);
	check_time(&t[13], 12, 0);
	free(t);
	/* durations and counts are not times */
	t = scan("48 heures, 24h/24, 25:00, 9:75, 13 pm", &n);
	assert_int_equal(n, 0);
	free(t);
	/* British dotted times after "at"/"à"; prices and versions are not */
	t = scan("at 10.30, à 9.45, s'élève à 10.00 €, à 12.50 euros, "
	    "version 2.10, 3.15", &n);
	assert_int_equal(n, 2);
	check_time(&t[0], 10, 30);
	check_time(&t[1], 9, 45);
	free(t);
}

static void
test_windows(void **state)
{
	struct frdate_token *t;
	size_t n;
	const char *s = "de 13h à 16h, entre 13h00 et 16h00, 13h-16h, de 13 à 16h, "
	    "de 8 h 30 à 11 h 30, 10:30 - 11:30, from 9am to 11am, "
	    "between 1 pm and 4 pm, 1-4 pm, de 9h à midi";

	(void)state;
	t = scan(s, &n);
	assert_int_equal(n, 10);
	check_window(&t[0], 13, 0, 16, 0);
	assert_int_equal(t[0].start, 3);
	assert_int_equal(t[0].end, 13);		/* "13h à 16h", à is 2 bytes */
	check_window(&t[1], 13, 0, 16, 0);
	check_window(&t[2], 13, 0, 16, 0);
	check_window(&t[3], 13, 0, 16, 0);
	check_window(&t[4], 8, 30, 11, 30);
	check_window(&t[5], 10, 30, 11, 30);
	check_window(&t[6], 9, 0, 11, 0);
	check_window(&t[7], 13, 0, 16, 0);
	check_window(&t[8], 13, 0, 16, 0);
	check_window(&t[9], 9, 0, 12, 0);
	free(t);
	/* "et" joins two times only after "entre"; a backwards window is two
	   separate times */
	t = scan("9h et 10h, 16h-13h", &n);
	assert_int_equal(n, 4);
	check_time(&t[0], 9, 0);
	check_time(&t[1], 10, 0);
	check_time(&t[2], 16, 0);
	check_time(&t[3], 13, 0);
	free(t);
}

/* PDF text wraps a window after its separator word; a line break after a
   dash starts a list item, never the end of a window. */
static void
test_window_wrapped(void **state)
{
	struct frdate_token *t;
	size_t n;

	(void)state;
	t = scan("ouvert de 14h15 jusqu'à\n17h45 et de 8 h à\n  10 h 30", &n);
	assert_int_equal(n, 2);
	check_window(&t[0], 14, 15, 17, 45);
	check_window(&t[1], 8, 0, 10, 30);
	free(t);
	t = scan("accueil 8h30 -\n- 11h00 : examen", &n);
	assert_int_equal(n, 2);
	check_time(&t[0], 8, 30);
	check_time(&t[1], 11, 0);
	free(t);
	/* one line break only: a blank line ends the sentence */
	t = scan("de 9h à\n\n12h", &n);
	assert_int_equal(n, 2);
	check_time(&t[0], 9, 0);
	free(t);
}

static void
test_date_then_time(void **state)
{
	struct frdate_token *t;
	size_t n;
	const char *s = "Nous vous attendons le jeudi 26 octobre 2023 à 14 h 45.";

	(void)state;
	t = scan(s, &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 2023, 10, 26);
	check_time(&t[1], 14, 45);
	assert_memory_equal(s + t[1].start, "14 h 45", 7);
	assert_int_equal(t[1].end - t[1].start, 7);
	free(t);
}

static void
test_weekday_days(void **state)
{
	(void)state;
	assert_int_equal(frdate_weekday(2022, 3, 8), 1);	/* Tuesday */
	assert_int_equal(frdate_weekday(2023, 10, 26), 3);	/* Thursday */
	assert_int_equal(frdate_weekday(1970, 1, 1), 3);
	assert_int_equal(frdate_days(1970, 1, 1), 0);
	assert_int_equal(frdate_days(2024, 3, 1) - frdate_days(2024, 2, 28), 2);
}

static void
test_big_input_linear(void **state)
{
	size_t len = 3 * 1024 * 1024, i, n;
	struct frdate_token *t;
	char *big, *err = NULL;

	(void)state;
	/* digits, separators and month names everywhere: every scanner is
	   tried at every position, the work must stay bounded */
	big = malloc(len + 1);
	assert_non_null(big);
	for (i = 0; i < len; i++)
		big[i] = "1/.h:9 mars-"[i % 12];
	big[len] = '\0';
	assert_int_equal(frdate_scan_text(big, len, &t, &n, &err), 0);
	free(t);
	free(big);
}

/* A year-less "dd/mm" is a date only after a written weekday. */
static void
test_yearless_numeric_after_weekday(void **state)
{
	struct frdate_token *t;
	size_t n;

	(void)state;
	t = scan("Rappel : rendez-vous demain jeudi 19/10 à 10h15.", &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 0, 10, 19);
	assert_int_equal(t[0].weekday, 3);
	check_time(&t[1], 10, 15);
	free(t);
	/* alone, a ratio or a score */
	t = scan("Score 19/10, dossier 3/4 complet.", &n);
	assert_int_equal(n, 0);
	free(t);
	/* no invented day/month, nor a phone or a longer number */
	t = scan("lundi 45/13 puis mardi 12/10/2023", &n);
	assert_int_equal(n, 1);
	check_date(&t[0], 2023, 10, 12);
	free(t);
}

/* Relative dates count from the day the mail was written. */
static struct frdate_token *
scan_ref(const char *s, int y, int m, int d, size_t *n)
{
	struct civil_date ref = { y, m, d };
	struct folded_text f;
	struct frdate_token *t = NULL;

	assert_int_equal(frdate_fold(s, strlen(s), &f, NULL), 0);
	assert_int_equal(frdate_scan_ref(f.s, f.len, &ref, &t, n, NULL), 0);
	frdate_fold_free(&f);
	return t;
}

static void
test_relative_dates(void **state)
{
	struct frdate_token *t;
	size_t n;

	(void)state;
	/* Thursday 19 March 2026 */
	t = scan_ref("Votre visite a lieu demain à 9h.", 2026, 3, 19, &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 2026, 3, 20);
	assert_int_equal(t[0].relative, 1);
	assert_int_equal(t[0].weekday, 4);
	check_time(&t[1], 9, 0);
	free(t);
	t = scan_ref("après-demain à 8h30", 2026, 12, 31, &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 2027, 1, 2);
	free(t);
	/* Monday 23 March 2026: "ce jeudi" is the 26th, "jeudi prochain"
	   the next Thursday too; on a Thursday, "ce jeudi" is today and
	   "jeudi prochain" a week later */
	t = scan_ref("convoquée ce jeudi à 14h30", 2026, 3, 23, &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 2026, 3, 26);
	free(t);
	t = scan_ref("ce jeudi", 2026, 3, 26, &n);
	check_date(&t[0], 2026, 3, 26);
	free(t);
	t = scan_ref("jeudi prochain", 2026, 3, 26, &n);
	assert_int_equal(n, 1);
	check_date(&t[0], 2026, 4, 2);
	free(t);
	/* Wednesday 25 February 2026 */
	t = scan_ref("lundi prochain à 9 heures 30", 2026, 2, 25, &n);
	assert_int_equal(n, 2);
	check_date(&t[0], 2026, 3, 2);
	check_time(&t[1], 9, 30);
	free(t);
	t = scan_ref("See you next Monday at 2pm, or tomorrow.", 2026, 2, 25,
	    &n);
	assert_int_equal(n, 3);
	check_date(&t[0], 2026, 3, 2);
	check_time(&t[1], 14, 0);
	check_date(&t[2], 2026, 2, 26);
	free(t);
	/* a written date wins over the relative word next to it */
	t = scan_ref("demain jeudi 19/10 à 10h15, ce jeudi 26 mars, "
	    "lundi prochain 21 juillet", 2023, 10, 18, &n);
	assert_int_equal(n, 4);
	check_date(&t[0], 0, 10, 19);
	assert_int_equal(t[0].relative, 0);
	check_date(&t[2], 0, 3, 26);
	check_date(&t[3], 0, 7, 21);
	assert_int_equal(t[3].weekday, 0);
	free(t);
	/* no reference, no relative dates; abbreviations are not enough */
	t = scan("demain à 9h, ce jeudi", &n);
	assert_int_equal(n, 1);
	check_time(&t[0], 9, 0);
	free(t);
	t = scan_ref("ce jeu. et ce mar. à demain", 2026, 3, 19, &n);
	assert_int_equal(n, 1);
	check_date(&t[0], 2026, 3, 20);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_french_dates),
		cmocka_unit_test(test_accents_and_case),
		cmocka_unit_test(test_english_dates),
		cmocka_unit_test(test_invalid_dates),
		cmocka_unit_test(test_yearless_date),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_window_wrapped),
		cmocka_unit_test(test_date_then_time),
		cmocka_unit_test(test_weekday_days),
		cmocka_unit_test(test_big_input_linear),
		cmocka_unit_test(test_yearless_numeric_after_weekday),
		cmocka_unit_test(test_relative_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
