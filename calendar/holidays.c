/*
 * holidays: see holidays.h.  Pure date arithmetic (lib/civil), except for
 * the zone lookup of next_business_day (libical reads /usr/share/zoneinfo).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "calendar/holidays.h"
#include "lib/civil.h"
#include "lib/errstr.h"

void
easter_sunday(int year, int *month, int *day)
{
	int a, b, c, d, e, f, g, h, i, k, l, m;

	a = year % 19;
	b = year / 100;
	c = year % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	*month = (h + l - 7 * m + 114) / 31;
	*day = (h + l - 7 * m + 114) % 31 + 1;
}

/* Which local list applies, from the postal code's first digits. */
static int
department(const char *postal_code)
{
	if (postal_code == NULL || strlen(postal_code) != 5)
		return 0;
	if (strncmp(postal_code, "97", 2) == 0)
		return atoi(postal_code) / 100;		/* 971 .. 976 */
	return (postal_code[0] - '0') * 10 + (postal_code[1] - '0');
}

const char *
holiday_name(int year, int month, int day, const char *postal_code)
{
	static const struct {
		int		 month, day;
		const char	*name;
	} fixed[] = {
		{ 1, 1, "Jour de l'an" },
		{ 5, 1, "Fête du Travail" },
		{ 5, 8, "Victoire 1945" },
		{ 7, 14, "Fête nationale" },
		{ 8, 15, "Assomption" },
		{ 11, 1, "Toussaint" },
		{ 11, 11, "Armistice 1918" },
		{ 12, 25, "Noël" },
	};
	static const struct {
		int		 dept, month, day;
		const char	*name;
	} local[] = {
		{ 971, 5, 27, "Abolition de l'esclavage" },
		{ 972, 5, 22, "Abolition de l'esclavage" },
		{ 973, 6, 10, "Abolition de l'esclavage" },
		{ 974, 12, 20, "Abolition de l'esclavage" },
		{ 976, 4, 27, "Abolition de l'esclavage" },
		{ 57, 12, 26, "Saint-Étienne" },
		{ 67, 12, 26, "Saint-Étienne" },
		{ 68, 12, 26, "Saint-Étienne" },
	};
	int em, ed, dept = department(postal_code);
	long n, easter;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (fixed[i].month == month && fixed[i].day == day)
			return fixed[i].name;
	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (local[i].dept == dept && local[i].month == month &&
		    local[i].day == day)
			return local[i].name;
	easter_sunday(year, &em, &ed);
	easter = civil_days(year, em, ed);
	n = civil_days(year, month, day);
	if (n == easter + 1)
		return "Lundi de Pâques";
	if (n == easter + 39)
		return "Ascension";
	if (n == easter + 50)
		return "Lundi de Pentecôte";
	if (n == easter - 2 && (dept == 57 || dept == 67 || dept == 68))
		return "Vendredi saint";
	return NULL;
}

int
is_business_day(int year, int month, int day, const char *postal_code)
{
	int wd = civil_weekday(year, month, day);

	if (wd == 0 || wd == 6)
		return 0;
	return holiday_name(year, month, day, postal_code) == NULL;
}

int
next_business_day(time_t after, const char *tzid, const char *postal_code,
    int *year, int *month, int *day, char **errstr)
{
	icaltimezone *zone;
	struct icaltimetype t;
	struct civil_date d;
	int i;

	if ((zone = icaltimezone_get_builtin_timezone(tzid)) == NULL) {
		errstr_set(errstr, "unknown time zone '%s'", tzid);
		return -1;
	}
	t = icaltime_from_timet_with_zone(after, 1, zone);
	d = (struct civil_date){ t.year, t.month, t.day };
	/* A year never has more than a few holidays in a row. */
	for (i = 0; i < 30; i++) {
		d = civil_add_days(d, 1);
		if (is_business_day(d.year, d.month, d.day, postal_code)) {
			*year = d.year;
			*month = d.month;
			*day = d.day;
			return 0;
		}
	}
	errstr_set(errstr, "no business day found after %lld",
	    (long long)after);
	return -1;
}
