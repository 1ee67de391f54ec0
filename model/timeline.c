/*
 * timeline: see timeline.h.
 */
#include "lib/civil.h"
#include "model/timeline.h"

#define DAY	86400L

static struct civil_date
civil_of(const struct config_date *d)
{
	return (struct civil_date){ d->year, d->month, d->day };
}

struct civil_date
timeline_validation_deadline(const struct config_date *arrival)
{
	return civil_add_months(civil_of(arrival), TIMELINE_VALIDATION_MONTHS);
}

struct civil_date
timeline_renewal_opens(const struct config_date *valid_until)
{
	return civil_add_months(civil_of(valid_until),
	    -TIMELINE_RENEWAL_OPENS_MONTHS);
}

struct civil_date
timeline_renewal_deadline(const struct config_date *valid_until)
{
	return civil_add_months(civil_of(valid_until),
	    -TIMELINE_RENEWAL_DEADLINE_MONTHS);
}

struct civil_date
timeline_after_validation(const struct config_date *validated_on, long after)
{
	return civil_add_days(civil_of(validated_on), after / DAY);
}
