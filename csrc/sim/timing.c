/* The virtual clock. Every simulated read adds its cost; optionally the process really
 * sleeps for that time multiplied by sleep_scale (for watching a tool in real time). */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h>
#include "sim.h"

/* Head travel: a fixed cost for leaving the sequential stream plus a cost per distance. */
uint64_t sim_seek_cost(uint64_t off)
{
	uint64_t head = __atomic_load_n(&sim->st_head, __ATOMIC_RELAXED);
	if (head == off)
		return 0;
	__atomic_add_fetch(&sim->st_seeks, 1, __ATOMIC_RELAXED);
	uint64_t distance = (head > off ? head - off : off - head) / sim->sector_size;
	return sim->t_seek + distance * sim->t_travel / 1000;
}

uint64_t sim_charge(uint64_t ns)
{
	uint64_t now = __atomic_add_fetch(&sim->st_virtual_ns, ns, __ATOMIC_RELAXED);
	if (sim->sleep_scale <= 0 || ns == 0)
		return now;
	double real_ns = (double)ns * sim->sleep_scale;
	struct timespec ts = { (time_t)(real_ns / 1e9), (long)((uint64_t)real_ns % 1000000000ULL) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
	return now;
}
