/* The common loop of the scan primitives (uniform fragments, directory candidates, control
 * characters): one flag per whole `unit`-byte piece of a buffer, decided by `test`. */
#ifndef SALVAGE_UNIT_MAP_H
#define SALVAGE_UNIT_MAP_H

#include <errno.h>
#include <stdint.h>

typedef uint8_t (*unit_test)(const uint8_t *piece, long long unit, const void *ctx);

/* flags[i] = test(piece i) for each whole piece of b[0, len); the count examined, or -EINVAL. */
static inline long long unit_map(const uint8_t *b, long long len, long long unit, uint8_t *flags, unit_test test, const void *ctx)
{
	if (!b || !flags || unit <= 0 || len < 0)
		return -EINVAL;
	long long n = len / unit;
	for (long long i = 0; i < n; i++)
		flags[i] = test(b + i * unit, unit, ctx);
	return n;
}

#endif
