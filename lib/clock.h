/*
 * clock: "now" for everything that depends on the date (alerts, DTSTAMP,
 * the X-ray nudge).  OFII_WATCH_NOW=YYYY-MM-DDTHH:MM[:SS] (local time, or
 * UTC with a trailing Z) overrides the system clock, for tests and for
 * diagnosing "what would it say on that day".
 */
#ifndef OFII_CLOCK_H
#define OFII_CLOCK_H

#include <time.h>

/* Read OFII_WATCH_NOW once.  -1 + *errstr when it is set but malformed. */
int	clock_init(char **errstr);
time_t	clock_now(void);
/* Parse "YYYY-MM-DDTHH:MM[:SS][Z]" (local time unless Z). */
int	clock_parse(const char *, time_t *);

#endif
