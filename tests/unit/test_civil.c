/*
 * test_civil: the one calendar arithmetic (lib/civil) against the C
 * library's timegm/gmtime over four centuries, the add-months clamping
 * cases, and the visa timeline rule (model/timeline) built on it.
 */
#include <time.h>

#include "testutil.h"

#include "config/config.h"
#include "lib/civil.h"
#include "model/timeline.h"

static int
setup(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	return 0;
}

#define assert_date(d, y, m, dd) do {				\
	struct civil_date d_ = (d);				\
	assert_int_equal(d_.year, (y));				\
	assert_int_equal(d_.month, (m));			\
	assert_int_equal(d_.day, (dd));				\
} while (0)

static void
test_leap_and_month_days(void **state)
{
	(void)state;
	assert_true(civil_is_leap(2024));
	assert_true(civil_is_leap(2000));
	assert_false(civil_is_leap(1900));
	assert_false(civil_is_leap(2100));
	assert_false(civil_is_leap(2023));
	assert_int_equal(civil_month_days(2024, 2), 29);
	assert_int_equal(civil_month_days(2023, 2), 28);
	assert_int_equal(civil_month_days(2100, 2), 28);
	assert_int_equal(civil_month_days(2023, 1), 31);
	assert_int_equal(civil_month_days(2023, 4), 30);
	assert_int_equal(civil_month_days(2023, 12), 31);
	assert_int_equal(civil_month_days(2023, 0), 0);
	assert_int_equal(civil_month_days(2023, 13), 0);
	assert_true(civil_valid(2024, 2, 29));
	assert_false(civil_valid(2023, 2, 29));
	assert_false(civil_valid(2023, 4, 31));
	assert_false(civil_valid(2023, 1, 0));
}

/* Every day from 1800 to 2200 agrees with timegm and gmtime. */
static void
test_days_against_libc(void **state)
{
	struct civil_date d;
	struct tm tm;
	time_t t;
	long n;
	int y, m, day;

	(void)state;
	assert_int_equal(civil_days(1970, 1, 1), 0);
	assert_int_equal(civil_days(1969, 12, 31), -1);
	assert_int_equal(civil_days(2000, 3, 1), 11017);
	for (y = 1800; y <= 2200; y++)
		for (m = 1; m <= 12; m++)
			for (day = 1; day <= civil_month_days(y, m); day++) {
				memset(&tm, 0, sizeof(tm));
				tm.tm_year = y - 1900;
				tm.tm_mon = m - 1;
				tm.tm_mday = day;
				t = timegm(&tm);
				n = civil_days(y, m, day);
				assert_int_equal(n * 86400, t);
				assert_int_equal(civil_weekday(y, m, day),
				    tm.tm_wday);
				d = civil_from_days(n);
				assert_date(d, y, m, day);
			}
	/* and back from day numbers on both sides of the epoch */
	for (n = -200000; n <= 200000; n += 7) {
		t = (time_t)n * 86400;
		gmtime_r(&t, &tm);
		assert_date(civil_from_days(n), tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
	}
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(civil_weekday(1970, 1, 1), 4);		/* Thursday */
	assert_int_equal(civil_weekday(2022, 3, 8), 2);		/* Tuesday */
	assert_int_equal(civil_weekday(2023, 1, 1), 0);		/* Sunday */
	assert_int_equal(civil_weekday(2024, 2, 29), 4);	/* Thursday */
	assert_int_equal(civil_weekday(1969, 12, 31), 3);	/* Wednesday */
}

static void
test_add_months_clamps(void **state)
{
	(void)state;
	/* Jan 31 + 1 month: the end of February, leap or not */
	assert_date(civil_add_months((struct civil_date){ 2023, 1, 31 }, 1),
	    2023, 2, 28);
	assert_date(civil_add_months((struct civil_date){ 2024, 1, 31 }, 1),
	    2024, 2, 29);
	/* Feb 29 - 12 months, + 12 months, + 48 months */
	assert_date(civil_add_months((struct civil_date){ 2024, 2, 29 }, -12),
	    2023, 2, 28);
	assert_date(civil_add_months((struct civil_date){ 2024, 2, 29 }, 12),
	    2025, 2, 28);
	assert_date(civil_add_months((struct civil_date){ 2024, 2, 29 }, 48),
	    2028, 2, 29);
	/* 31 March - 1 month, 31 May - 3 months, 31 May - 4 months */
	assert_date(civil_add_months((struct civil_date){ 2024, 3, 31 }, -1),
	    2024, 2, 29);
	assert_date(civil_add_months((struct civil_date){ 2023, 5, 31 }, -3),
	    2023, 2, 28);
	assert_date(civil_add_months((struct civil_date){ 2023, 5, 31 }, -4),
	    2023, 1, 31);
	/* 31 October + 1 month: 30 November; 30 June - 4 months */
	assert_date(civil_add_months((struct civil_date){ 2022, 10, 31 }, 1),
	    2022, 11, 30);
	assert_date(civil_add_months((struct civil_date){ 2023, 6, 30 }, -4),
	    2023, 2, 28);
	/* across years, both ways, and whole years */
	assert_date(civil_add_months((struct civil_date){ 2023, 1, 25 }, -4),
	    2022, 9, 25);
	assert_date(civil_add_months((struct civil_date){ 2022, 11, 30 }, 3),
	    2023, 2, 28);
	assert_date(civil_add_months((struct civil_date){ 2023, 1, 15 }, -12),
	    2022, 1, 15);
	assert_date(civil_add_months((struct civil_date){ 2023, 1, 15 }, -13),
	    2021, 12, 15);
	assert_date(civil_add_months((struct civil_date){ 2023, 12, 15 }, 1),
	    2024, 1, 15);
	assert_date(civil_add_months((struct civil_date){ 2023, 7, 4 }, 0),
	    2023, 7, 4);
}

static void
test_add_days(void **state)
{
	(void)state;
	assert_date(civil_add_days((struct civil_date){ 2022, 3, 1 }, 45),
	    2022, 4, 15);
	assert_date(civil_add_days((struct civil_date){ 2024, 2, 28 }, 1),
	    2024, 2, 29);
	assert_date(civil_add_days((struct civil_date){ 2023, 2, 28 }, 1),
	    2023, 3, 1);
	assert_date(civil_add_days((struct civil_date){ 2023, 1, 1 }, -1),
	    2022, 12, 31);
	assert_date(civil_add_days((struct civil_date){ 2022, 4, 27 }, -21),
	    2022, 4, 6);
}

static void
test_local_time(void **state)
{
	(void)state;
	/* 09:00 in Paris: CET in winter, CEST in summer */
	assert_int_equal(civil_local_time((struct civil_date){ 2022, 3, 1 },
	    9), testutil_utc(2022, 3, 1, 8, 0));
	assert_int_equal(civil_local_time((struct civil_date){ 2022, 4, 15 },
	    9), testutil_utc(2022, 4, 15, 7, 0));
	assert_int_equal(civil_local_time((struct civil_date){ 2022, 3, 27 },
	    12), testutil_utc(2022, 3, 27, 10, 0));
}

static void
test_timeline(void **state)
{
	struct config_date arrival = { 2022, 11, 30 };
	struct config_date until = { 2023, 6, 30 };
	struct config_date validated = { 2022, 3, 1 };

	(void)state;
	/* arrival + 3 months, clamped */
	assert_date(timeline_validation_deadline(&arrival), 2023, 2, 28);
	arrival = (struct config_date){ 2022, 1, 26 };
	assert_date(timeline_validation_deadline(&arrival), 2022, 4, 26);
	/* valid_until - 4 and - 2 months */
	assert_date(timeline_renewal_opens(&until), 2023, 2, 28);
	assert_date(timeline_renewal_deadline(&until), 2023, 4, 30);
	until = (struct config_date){ 2023, 1, 25 };
	assert_date(timeline_renewal_opens(&until), 2022, 9, 25);
	assert_date(timeline_renewal_deadline(&until), 2022, 11, 25);
	until = (struct config_date){ 2024, 4, 29 };
	assert_date(timeline_renewal_deadline(&until), 2024, 2, 29);
	until = (struct config_date){ 2023, 4, 29 };
	assert_date(timeline_renewal_deadline(&until), 2023, 2, 28);
	/* validated_on + a duration: whole days count */
	assert_date(timeline_after_validation(&validated, 45 * 86400L),
	    2022, 4, 15);
	assert_date(timeline_after_validation(&validated, 45 * 86400L +
	    86399), 2022, 4, 15);
	assert_date(timeline_after_validation(&validated, 0), 2022, 3, 1);
	assert_date(timeline_after_validation(&validated, 3600), 2022, 3, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_and_month_days),
		cmocka_unit_test(test_days_against_libc),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_months_clamps),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_timeline),
	};

	return cmocka_run_group_tests_name("civil", tests, setup, NULL);
}
