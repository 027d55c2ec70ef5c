/* Byte scans for text carving: pure functions over a caller's buffer, no policy. They run
 * over every free fragment and every reassembly window, where the cost of a loop that a
 * JIT has not compiled yet shows; what the results mean is decided by the caller. */
#include <errno.h>
#include <stdint.h>

/* Set bit h of set[0, 512) for the 14-bit hash h of every byte 4-gram of b[0, len):
 * h = (big-endian u32 of the 4 bytes * 2654435761) mod 2^32 >> 18. Returns the 4-gram count. */
long long shim_text_gram_set(const uint8_t *b, long long len, uint32_t *set)
{
	if (!b || !set || len < 0)
		return -EINVAL;
	long long n = 0;
	for (long long i = 0; i + 4 <= len; i++, n++) {
		uint32_t x = (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 | (uint32_t)b[i + 2] << 8 | b[i + 3];
		uint32_t h = (x * 2654435761u) >> 18;
		set[h >> 5] |= 1u << (h & 31);
	}
	return n;
}

/* C0 controls that text files do not contain: all but NUL, BEL, BS, TAB, LF, VT, FF, CR, ESC. */
static int not_text(uint8_t c)
{
	return c < 32 && c != 0 && !(c >= 7 && c <= 13) && c != 27;
}

/* For each whole `unit`-byte piece of b[0, len): flags[i] = 1 when such a control character
 * comes before the piece's first NUL (binary data), else 0. Returns the pieces examined. */
long long shim_text_control_map(const uint8_t *b, long long len, long long unit, uint8_t *flags)
{
	if (!b || !flags || unit <= 0 || len < 0)
		return -EINVAL;
	long long n = len / unit;
	for (long long i = 0; i < n; i++) {
		const uint8_t *p = b + i * unit;
		uint8_t bad = 0;
		for (long long k = 0; k < unit; k++) {
			uint8_t c = p[k];
			if (c >= 32)
				continue;
			if (c == 0)
				break;
			if (not_text(c)) {
				bad = 1;
				break;
			}
		}
		flags[i] = bad;
	}
	return n;
}
