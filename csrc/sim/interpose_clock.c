/* The program's clocks, with --virtual-clock: a simulated read costs virtual time, which is
 * really slept only x sleep_scale (usually 0: benchmarks run in seconds). A program that times
 * its own reads (salvage's slow-area detection, a rate display) would otherwise see a drive
 * where failing and slow reads take no time. With the flag, the wall and monotonic clocks run
 * ahead by the virtual time charged so far and not slept, as they would on the real drive.
 * Without it (and for other clocks: CPU time) they pass through. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "sim.h"

/* Nanoseconds the clocks run ahead of the real ones. */
static uint64_t ahead(void)
{
	if (!sim || !(sim->flags & SIM_VIRTUAL_CLOCK))
		return 0;
	double unslept = 1.0 - (sim->sleep_scale > 0 ? sim->sleep_scale : 0);
	if (unslept <= 0)
		return 0;
	return (uint64_t)((double)__atomic_load_n(&sim->st_virtual_ns, __ATOMIC_RELAXED) * unslept);
}

static int shifted(clockid_t c)
{
	switch (c) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return 1;
	default:
		return 0;
	}
}

int clock_gettime(clockid_t c, struct timespec *ts)
{
	sim_init();
	/* During initialisation (dlsym) the real function may not be known yet: ask the kernel. */
	int r = real.clock_gettime ? real.clock_gettime(c, ts) : (int)syscall(SYS_clock_gettime, c, ts);
	if (r != 0 || !shifted(c))
		return r;
	uint64_t ns = (uint64_t)ts->tv_nsec + ahead();
	ts->tv_sec += (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	(void)tz;
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	/* glibc declares tv non-null */
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t time(time_t *t)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (time_t)-1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}
