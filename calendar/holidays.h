/*
 * holidays: French public holidays (jours fériés) and business days, for
 * the "book your chest X-ray now" event: the radiology centre is called on
 * the next business day, at 09:00 its local time.
 *
 * Metropolitan holidays: 1 Jan, Easter Monday, 1 May, 8 May, Ascension,
 * Whit Monday, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec (Code du travail
 * L3133-1).  Extra local ones, chosen by the postal code:
 *  - Alsace-Moselle (57, 67, 68): Good Friday and 26 December;
 *  - abolition of slavery day (décret 83-1003 and its amendments):
 *    Guadeloupe 971 27 May, Martinique 972 22 May, Guyane 973 10 June,
 *    La Réunion 974 20 December, Mayotte 976 27 April.
 */
#ifndef OFII_HOLIDAYS_H
#define OFII_HOLIDAYS_H

#include <time.h>

/* Easter Sunday (Gregorian, anonymous algorithm), month 3..4. */
void	easter_sunday(int year, int *month, int *day);

/*
 * Name of the public holiday on that day ("Lundi de Pâques", ...) for a
 * place with this postal code (NULL or "": metropolitan France), or NULL
 * when it is not a holiday.
 */
const char *holiday_name(int year, int month, int day,
	    const char *postal_code);

/* Not a Saturday, Sunday or public holiday there. */
int	is_business_day(int year, int month, int day, const char *postal_code);

/*
 * The first business day strictly after the local date of the instant
 * `after` in zone `tzid` (an Olson name such as "Europe/Paris").  0 and
 * the date, or -1 and *errstr (unknown zone).
 */
int	next_business_day(time_t after, const char *tzid,
	    const char *postal_code, int *year, int *month, int *day,
	    char **errstr);

#endif
