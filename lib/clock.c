/*
 * clock: see clock.h.  Owns the override read from the environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"

static int	clock_fixed;		/* OFII_WATCH_NOW given */
static time_t	clock_fixed_at;

int
clock_parse(const char *s, time_t *tp)
{
	struct tm tm;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (end == NULL)
		return -1;
	if (*end == ':') {
		end = strptime(end + 1, "%S", &tm);
		if (end == NULL)
			return -1;
	}
	if (strcmp(end, "Z") == 0) {
		t = timegm(&tm);
	} else if (*end == '\0') {
		struct tm check;

		tm.tm_isdst = -1;
		check = tm;
		t = mktime(&tm);
		/* mktime normalizes 2023-02-30 into March: refuse that. */
		if (t != (time_t)-1 && (tm.tm_mday != check.tm_mday ||
		    tm.tm_mon != check.tm_mon))
			return -1;
	} else
		return -1;
	if (t == (time_t)-1)
		return -1;
	*tp = t;
	return 0;
}

int
clock_init(char **errstr)
{
	const char *s = getenv("OFII_WATCH_NOW");

	clock_fixed = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (clock_parse(s, &clock_fixed_at) == -1) {
		if (errstr != NULL && asprintf(errstr, "OFII_WATCH_NOW=%s: "
		    "expected YYYY-MM-DDTHH:MM (local time) or "
		    "YYYY-MM-DDTHH:MMZ (UTC)", s) == -1)
			*errstr = NULL;
		return -1;
	}
	clock_fixed = 1;
	return 0;
}

time_t
clock_now(void)
{
	return clock_fixed ? clock_fixed_at : time(NULL);
}
