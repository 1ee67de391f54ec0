/*
 * civil: see civil.h.
 */
#include <string.h>
#include <time.h>

#include "lib/civil.h"

int
civil_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
civil_month_days(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && civil_is_leap(year));
}

int
civil_valid(int year, int month, int day)
{
	return day >= 1 && day <= civil_month_days(year, month);
}

/* Floor division: -1 / 12 is -1 here, not 0. */
static long
floor_div(long a, long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

long
civil_days(int year, int month, int day)
{
	long y = (long)year - (month <= 2), era, yoe, doy, doe;

	/* Years counted from March, so the leap day ends a year. */
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct civil_date
civil_from_days(long days)
{
	struct civil_date d;
	long z = days + 719468, era, doe, yoe, doy, mp;

	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

int
civil_weekday(int year, int month, int day)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((civil_days(year, month, day) % 7) + 7 + 4) % 7);
}

struct civil_date
civil_add_months(struct civil_date d, int months)
{
	long total = (long)d.year * 12 + (d.month - 1) + months, y;
	struct civil_date r;
	int len;

	y = floor_div(total, 12);
	r.year = (int)y;
	r.month = (int)(total - y * 12) + 1;
	len = civil_month_days(r.year, r.month);
	r.day = d.day > len ? len : d.day;
	return r;
}

struct civil_date
civil_add_days(struct civil_date d, long days)
{
	return civil_from_days(civil_days(d.year, d.month, d.day) + days);
}

time_t
civil_local_time(struct civil_date d, int hour)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_hour = hour;
	tm.tm_isdst = -1;	/* the offset in force then, DST or not */
	return mktime(&tm);
}
