/*
 * test_holidays: French public holidays (Easter-based ones computed), local
 * extras, and the next business day across weekends, holidays, zones and
 * DST changes.
 */
#include <time.h>

#include "testutil.h"

#include "calendar/holidays.h"

static void
test_easter_2022_2030(void **state)
{
	static const int want[][3] = {
		{ 2022, 4, 17 }, { 2023, 4, 9 }, { 2024, 3, 31 },
		{ 2025, 4, 20 }, { 2026, 4, 5 }, { 2027, 3, 28 },
		{ 2028, 4, 16 }, { 2029, 4, 1 }, { 2030, 4, 21 },
	};
	size_t i;
	int m, d;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		easter_sunday(want[i][0], &m, &d);
		assert_int_equal(m, want[i][1]);
		assert_int_equal(d, want[i][2]);
	}
}

static void
test_moving_holidays(void **state)
{
	/* Easter Monday, Ascension (+39), Whit Monday (+50), 2022-2030. */
	static const struct {
		int	 y, m, d;
		const char *name;
	} want[] = {
		{ 2022, 4, 18, "Lundi de Pâques" }, { 2022, 5, 26, "Ascension" },
		{ 2022, 6, 6, "Lundi de Pentecôte" },
		{ 2023, 4, 10, "Lundi de Pâques" }, { 2023, 5, 18, "Ascension" },
		{ 2023, 5, 29, "Lundi de Pentecôte" },
		{ 2024, 4, 1, "Lundi de Pâques" }, { 2024, 5, 9, "Ascension" },
		{ 2024, 5, 20, "Lundi de Pentecôte" },
		{ 2025, 4, 21, "Lundi de Pâques" }, { 2025, 5, 29, "Ascension" },
		{ 2025, 6, 9, "Lundi de Pentecôte" },
		{ 2026, 4, 6, "Lundi de Pâques" }, { 2026, 5, 14, "Ascension" },
		{ 2026, 5, 25, "Lundi de Pentecôte" },
		{ 2027, 3, 29, "Lundi de Pâques" }, { 2027, 5, 6, "Ascension" },
		{ 2027, 5, 17, "Lundi de Pentecôte" },
		{ 2028, 4, 17, "Lundi de Pâques" }, { 2028, 5, 25, "Ascension" },
		{ 2028, 6, 5, "Lundi de Pentecôte" },
		{ 2029, 4, 2, "Lundi de Pâques" }, { 2029, 5, 10, "Ascension" },
		{ 2029, 5, 21, "Lundi de Pentecôte" },
		{ 2030, 4, 22, "Lundi de Pâques" }, { 2030, 5, 30, "Ascension" },
		{ 2030, 6, 10, "Lundi de Pentecôte" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *n = holiday_name(want[i].y, want[i].m, want[i].d,
		    NULL);

		assert_non_null(n);
		assert_string_equal(n, want[i].name);
		assert_false(is_business_day(want[i].y, want[i].m, want[i].d,
		    "75011"));
	}
	/* The days around are not holidays. */
	assert_null(holiday_name(2024, 4, 2, NULL));
	assert_null(holiday_name(2024, 3, 31 - 2, NULL));	/* Good Friday */
	assert_null(holiday_name(2024, 5, 8 + 2, NULL));
}

static void
test_fixed_and_local(void **state)
{
	(void)state;
	assert_string_equal(holiday_name(2023, 1, 1, NULL), "Jour de l'an");
	assert_string_equal(holiday_name(2023, 5, 1, "69007"),
	    "Fête du Travail");
	assert_string_equal(holiday_name(2023, 5, 8, NULL), "Victoire 1945");
	assert_string_equal(holiday_name(2023, 7, 14, NULL), "Fête nationale");
	assert_string_equal(holiday_name(2023, 8, 15, NULL), "Assomption");
	assert_string_equal(holiday_name(2023, 11, 1, NULL), "Toussaint");
	assert_string_equal(holiday_name(2023, 11, 11, NULL),
	    "Armistice 1918");
	assert_string_equal(holiday_name(2023, 12, 25, NULL), "Noël");
	assert_null(holiday_name(2023, 12, 26, NULL));
	assert_null(holiday_name(2023, 12, 26, "75001"));
	/* Alsace-Moselle */
	assert_string_equal(holiday_name(2023, 12, 26, "67000"),
	    "Saint-Étienne");
	assert_string_equal(holiday_name(2024, 3, 29, "57000"),
	    "Vendredi saint");
	assert_null(holiday_name(2024, 3, 29, "69007"));
	/* Abolition of slavery, overseas only. */
	assert_string_equal(holiday_name(2023, 5, 27, "97110"),
	    "Abolition de l'esclavage");
	assert_string_equal(holiday_name(2023, 5, 22, "97200"),
	    "Abolition de l'esclavage");
	assert_string_equal(holiday_name(2023, 6, 10, "97300"),
	    "Abolition de l'esclavage");
	assert_string_equal(holiday_name(2023, 12, 20, "97400"),
	    "Abolition de l'esclavage");
	assert_string_equal(holiday_name(2023, 4, 27, "97600"),
	    "Abolition de l'esclavage");
	assert_null(holiday_name(2023, 5, 27, "97200"));
	assert_null(holiday_name(2023, 12, 20, "75001"));
	assert_null(holiday_name(2023, 12, 20, NULL));
	/* Weekends */
	assert_false(is_business_day(2023, 12, 23, NULL));	/* Saturday */
	assert_false(is_business_day(2023, 12, 24, NULL));	/* Sunday */
	assert_true(is_business_day(2023, 12, 22, NULL));	/* Friday */
}

static void
expect_next(time_t after, const char *tzid, const char *pc, int y, int m,
    int d)
{
	int gy = 0, gm = 0, gd = 0;
	char *err = NULL;

	assert_int_equal(next_business_day(after, tzid, pc, &gy, &gm, &gd,
	    &err), 0);
	assert_null(err);
	assert_int_equal(gy, y);
	assert_int_equal(gm, m);
	assert_int_equal(gd, d);
}

static void
test_next_business_day(void **state)
{
	char *err = NULL;
	int y, m, d;

	(void)state;
	/* Friday evening -> Monday */
	expect_next(testutil_utc(2022, 3, 4, 17, 0), "Europe/Paris", NULL, 2022, 3, 7);
	/* Thursday 23:30 Paris = 22:30Z: the next day is Friday. */
	expect_next(testutil_utc(2022, 3, 3, 22, 30), "Europe/Paris", NULL, 2022, 3, 4);
	/* 2022-04-14T22:00Z is Friday 00:00 CEST: Easter Monday skipped */
	expect_next(testutil_utc(2022, 4, 14, 22, 0), "Europe/Paris", NULL,
	    2022, 4, 19);
	/* Saturday before the October DST change -> Monday */
	expect_next(testutil_utc(2022, 10, 29, 12, 0), "Europe/Paris", NULL,
	    2022, 10, 31);
	/* Saturday before the March DST change -> Monday */
	expect_next(testutil_utc(2022, 3, 26, 12, 0), "Europe/Paris", NULL,
	    2022, 3, 28);
	/* 8 May (Wed) and Ascension (Thu 9 May 2024) both skipped */
	expect_next(testutil_utc(2024, 5, 7, 10, 0), "Europe/Paris", "75011",
	    2024, 5, 10);
	/* Christmas weekend 2022: Monday 26 is a workday, not in Alsace */
	expect_next(testutil_utc(2022, 12, 23, 10, 0), "Europe/Paris", "69007",
	    2022, 12, 26);
	expect_next(testutil_utc(2022, 12, 23, 10, 0), "Europe/Paris", "67000",
	    2022, 12, 27);
	/* The same instant is Thursday evening in Cayenne, Friday in Paris */
	expect_next(testutil_utc(2022, 3, 4, 2, 0), "America/Cayenne", "97300",
	    2022, 3, 4);
	expect_next(testutil_utc(2022, 3, 4, 2, 0), "Europe/Paris", NULL, 2022, 3, 7);
	/* Réunion: 20 December 2022 (Tuesday) is a holiday there only */
	expect_next(testutil_utc(2022, 12, 19, 10, 0), "Indian/Reunion", "97400",
	    2022, 12, 21);
	expect_next(testutil_utc(2022, 12, 19, 10, 0), "Europe/Paris", "75001",
	    2022, 12, 20);
	/* Unknown zone */
	assert_int_equal(next_business_day(0, "Nowhere/Bogus", NULL, &y, &m,
	    &d, &err), -1);
	assert_string_equal(err, "unknown time zone 'Nowhere/Bogus'");
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_easter_2022_2030),
		cmocka_unit_test(test_moving_holidays),
		cmocka_unit_test(test_fixed_and_local),
		cmocka_unit_test(test_next_business_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
