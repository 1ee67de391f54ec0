/*
 * civil: proleptic Gregorian calendar dates, the one implementation of the
 * project: leap years, month lengths, weekdays, day numbers and adding
 * months (clamped to the end of the shorter month).  Pure arithmetic, no
 * global state, no library (both programs use it); only civil_local_time()
 * asks the C library about the local time zone.
 */
#ifndef OFII_LIB_CIVIL_H
#define OFII_LIB_CIVIL_H

#include <time.h>

struct civil_date {
	int	year, month, day;	/* 2023, 1..12, 1..31 */
};

/* 1 in a leap year (every 4th, not every 100th, every 400th). */
int	civil_is_leap(int year);

/* Days in that month (28..31), 0 for a month outside 1..12. */
int	civil_month_days(int year, int month);

/* 1 if year-month-day names a day of the calendar, else 0. */
int	civil_valid(int year, int month, int day);

/*
 * Days from 1970-01-01 to the date (negative before it).  Any year, and
 * with Howard Hinnant's algorithm ("days_from_civil"), no table.
 */
long	civil_days(int year, int month, int day);

/* The date `days` days after 1970-01-01 (the inverse of civil_days). */
struct civil_date civil_from_days(long days);

/* Day of the week: 0 = Sunday .. 6 = Saturday, like struct tm's tm_wday. */
int	civil_weekday(int year, int month, int day);

/*
 * The date `months` months later (earlier when negative), the day clamped
 * to the length of the month it lands in: 31 January + 1 month is 28 (or
 * 29) February, 29 February 2024 - 12 months is 28 February 2023.
 */
struct civil_date civil_add_months(struct civil_date, int months);

/* The date `days` days later (earlier when negative). */
struct civil_date civil_add_days(struct civil_date, long days);

/*
 * The instant of hour:00 local time (TZ) on that date, the zone's offset
 * chosen by mktime() (tm_isdst = -1).  The one function here that reads
 * the time zone.
 */
time_t	civil_local_time(struct civil_date, int hour);

#endif
