/* How one read request meets the damage map.
 *
 * The request is processed sector by sector in order, like one drive command: good
 * sectors transfer, a slow sector costs time, a weak sector fails until it has been
 * attempted often enough, a bad sector always fails. The first failing sector ends the
 * command: if it is the first sector of the request the read fails with EIO, otherwise the
 * good part before it is returned (a short read), or, with SIM_FAIL_WHOLE, the whole read
 * fails as some drivers report it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include "sim.h"

/* First extent that ends after `sector` (extents are sorted and disjoint). */
static uint64_t first_extent_after(const struct sim_extent *ex, uint64_t n, uint64_t sector)
{
	uint64_t lo = 0, hi = n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ex[mid].first + ex[mid].count <= sector)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* safecopy's simulator: a soft sector read first fails `soft_fail_count` times, then
 * recovers once; after that its counter drops by two, so failures and recoveries alternate. */
static int soft_attempt(int32_t *counter)
{
	int32_t before = __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	if (before < (int32_t)sim->soft_fail_count)
		return -1;
	__atomic_sub_fetch(counter, 2, __ATOMIC_RELAXED);
	return 0;
}

struct walk {
	uint64_t fail_sector; /* UINT64_MAX = no failure */
	uint64_t cost_ns;
	int touched;          /* the request reached a damaged sector */
	uint32_t fail_kind;   /* extent kind of the failing sector */
	int soft_recovered;   /* the first sector was soft and read this time (for the trace) */
};

/* Visit the damaged sectors of [first, last] in order until one fails. */
static struct walk walk_damage(uint64_t first, uint64_t last)
{
	struct walk w = { UINT64_MAX, 0, 0, 0, 0 };
	struct sim_extent *ex = sim_extents();
	int32_t *counters = sim_counters();
	uint64_t n = sim->extent_count;
	for (uint64_t i = first_extent_after(ex, n, first); i < n && ex[i].first <= last; i++) {
		const struct sim_extent *e = &ex[i];
		uint64_t from = e->first > first ? e->first : first;
		uint64_t to = e->first + e->count - 1 < last ? e->first + e->count - 1 : last;
		w.touched = 1;
		for (uint64_t s = from; s <= to; s++) {
			uint64_t ci = e->counter + (s - e->first);
			int32_t *counter = ci < sim->counter_count ? &counters[ci] : 0;
			int failed;
			if (e->kind == SIM_SOFT) {
				/* upstream only rolls the dice for the first sector; a soft sector
				 * further on just ends the read before it */
				failed = s == first && counter ? soft_attempt(counter) : (s != first);
				if (s == first)
					w.soft_recovered = !failed;
			} else {
				int32_t attempt = counter ? __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED) : 1;
				failed = e->kind == SIM_BAD || (e->kind == SIM_WEAK && (uint32_t)attempt <= e->fails);
			}
			w.cost_ns += e->cost_ns;
			if (failed) {
				w.fail_sector = s;
				w.fail_kind = e->kind;
				w.cost_ns += e->fail_cost_ns;
				return w;
			}
		}
	}
	return w;
}

/* Charge the read's virtual time and record it; a failed read (result -1) sets errno to err. */
static ssize_t finish(uint64_t off, size_t len, ssize_t result, int err, uint64_t cost, uint32_t flags)
{
	uint64_t end = cost ? sim_charge(cost) : __atomic_load_n(&sim->st_virtual_ns, __ATOMIC_RELAXED);
	sim_record(off, len, result < 0 ? -err : result, end - cost, end, flags);
	if (result < 0)
		errno = err;
	return result;
}

ssize_t sim_read(const struct sim_transfer *t, uint64_t off, size_t len, int misaligned)
{
	uint64_t ss = sim->sector_size;
	size_t asked = len;
	__atomic_add_fetch(&sim->st_reads, 1, __ATOMIC_RELAXED);
	if (misaligned) {
		/* O_DIRECT: the kernel refuses what the device cannot transfer as whole sectors */
		__atomic_add_fetch(&sim->st_einval, 1, __ATOMIC_RELAXED);
		sim_trace(" O_DIRECT misaligned: EINVAL\n");
		return finish(off, asked, -1, EINVAL, 0, SIM_REC_EINVAL);
	}
	if (len == 0 || off >= sim->size) {
		__atomic_add_fetch(&sim->st_eof_reads, 1, __ATOMIC_RELAXED);
		sim_trace(" reads zero!\n");
		return finish(off, asked, 0, 0, 0, len ? SIM_REC_EOF : 0);
	}
	if (len > sim->size - off)
		len = (size_t)(sim->size - off);

	uint64_t cost = sim_seek_cost(off) + sim->t_read;
	struct walk w = walk_damage(off / ss, (off + len - 1) / ss);
	cost += w.cost_ns;
	uint32_t flags = w.touched ? SIM_REC_DAMAGE : 0;
	if (w.touched)
		__atomic_add_fetch(&sim->st_damage_reads, 1, __ATOMIC_RELAXED);

	if (w.soft_recovered)
		sim_trace(" simulated soft recovery:");
	size_t good = len;
	if (w.fail_sector != UINT64_MAX) {
		flags |= SIM_REC_ERROR;
		uint64_t fail_at = w.fail_sector * ss;
		good = fail_at > off ? (size_t)(fail_at - off) : 0;
		if (good == 0 || (sim->flags & SIM_FAIL_WHOLE)) {
			uint64_t sectors = good ? (good + ss - 1) / ss : 0;
			cost += sim->t_fail + sectors * sim->t_sector + good * sim->t_byte_ps / 1000;
			__atomic_store_n(&sim->st_head, fail_at + ss, __ATOMIC_RELAXED);
			__atomic_add_fetch(&sim->st_failed, 1, __ATOMIC_RELAXED);
			sim_trace(w.fail_kind == SIM_BAD ? " simulated hard failure!\n" : " simulated soft failure!\n");
			return finish(off, asked, -1, EIO, cost, flags);
		}
		sim_trace(" shrinks due to upcoming failure and");
	}
	ssize_t got = t->fn(t, good);
	if (got < 0)
		return finish(off, asked, -1, errno, 0, flags);
	if ((size_t)got < asked)
		flags |= SIM_REC_SHORT;
	if ((size_t)got < len)
		__atomic_add_fetch(&sim->st_short, 1, __ATOMIC_RELAXED);
	uint64_t sectors = ((off + (uint64_t)got + ss - 1) / ss) - off / ss;
	cost += sectors * sim->t_sector + (uint64_t)got * sim->t_byte_ps / 1000;
	__atomic_add_fetch(&sim->st_bytes, (uint64_t)got, __ATOMIC_RELAXED);
	__atomic_store_n(&sim->st_head, off + (uint64_t)got, __ATOMIC_RELAXED);
	sim_trace(" reads %zd bytes\n", got);
	return finish(off, asked, got, 0, cost, flags);
}
