/*
 * bench.h: the clock and the memory figure both benchmarks print.
 */
#ifndef OFII_BENCH_H
#define OFII_BENCH_H

#include <sys/resource.h>

#include <time.h>

/* Monotonic seconds. */
static inline double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident set size of this process, KiB. */
static inline long
maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

#endif
