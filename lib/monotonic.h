/*
 * monotonic: milliseconds on the monotonic clock, for deadlines of child
 * processes (PDF text, password and alert commands, the reader), and the
 * CPU time those children took.  Never the date: that is daemon/clock.h.
 */
#ifndef OFII_MONOTONIC_H
#define OFII_MONOTONIC_H

#include <sys/resource.h>

#include <time.h>

static inline long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* CPU time (user and system) of the children reaped so far, ms: around a
   call that runs and reaps one child, what that child cost. */
static inline long
children_cpu_ms(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru) == -1)
		return 0;
	return (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

#endif
