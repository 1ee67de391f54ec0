/*
 * monotonic: milliseconds on the monotonic clock, for deadlines of child
 * processes (PDF text, password and alert commands, the reader).  Never
 * the date: that is daemon/clock.h.
 */
#ifndef OFII_MONOTONIC_H
#define OFII_MONOTONIC_H

#include <time.h>

static inline long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
