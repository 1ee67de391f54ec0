/*
 * timeline: the dates of the visa's life that ofii-watch acts on, from the
 * [visa] settings, in one place (the calendar's timeline events, the
 * alerts and `status` all use these):
 *  - the long-stay visa (VLS-TS) must be validated within 3 months of
 *    arrival;
 *  - its renewal is applied for between 4 and 2 months before it ends;
 *  - OFII is written to when it has not convoked the person some time
 *    after the validation ([calendar] follow_up_after, [alerts]
 *    alert_after).
 * Month arithmetic clamps the day to the month's length (lib/civil): 30
 * June - 4 months is 28 February.  Dates only; the callers pick the hour.
 */
#ifndef OFII_MODEL_TIMELINE_H
#define OFII_MODEL_TIMELINE_H

#include "config/config.h"
#include "lib/civil.h"

#define TIMELINE_VALIDATION_MONTHS	3	/* after arrival */
#define TIMELINE_RENEWAL_OPENS_MONTHS	4	/* before valid_until */
#define TIMELINE_RENEWAL_DEADLINE_MONTHS 2	/* before valid_until */

/* arrival + 3 months: the last day to validate the visa. */
struct civil_date timeline_validation_deadline(
	    const struct config_date *arrival);

/* valid_until - 4 months: the renewal can be applied for from then. */
struct civil_date timeline_renewal_opens(const struct config_date *valid_until);

/* valid_until - 2 months: the last recommended day to apply. */
struct civil_date timeline_renewal_deadline(
	    const struct config_date *valid_until);

/*
 * The day `after` seconds (a [calendar]/[alerts] duration) after
 * validated_on: whole days count, what is left of a day does not.
 */
struct civil_date timeline_after_validation(
	    const struct config_date *validated_on, long after);

#endif
