/* Aligned buffers: O_DIRECT needs buffer addresses aligned to the logical
 * sector size, and JS allocations give no such guarantee. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

void *shim_alloc_aligned(long long align, long long size)
{
	void *p = NULL;
	if (align <= 0 || size <= 0 || posix_memalign(&p, (size_t)align, (size_t)size) != 0)
		return NULL;
	memset(p, 0, (size_t)size);
	return p;
}

void shim_free(void *p) { free(p); }

/* Signature required by Bun's toArrayBuffer deallocator: (bytes, context). */
void shim_free_ctx(void *bytes, void *ctx) { (void)ctx; free(bytes); }
