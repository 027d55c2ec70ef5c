/* salvage native shim: thin wrappers over Linux syscalls and ioctls.
 *
 * Contract for every function: the result, or -errno on failure. No policy,
 * no retries, no allocation beyond what the caller asks for. errno is never
 * left for the caller to read, because JS code can run between an FFI call
 * returning and a later errno lookup. */
#ifndef SALVAGE_SHIM_H
#define SALVAGE_SHIM_H

#include <stdint.h>

/* Open flags are our own bits, translated in C, because the numeric values of
 * O_DIRECT and friends differ between architectures (x86-64 vs arm64). */
#define SHIM_O_DIRECT    0x01
#define SHIM_O_SYNC      0x02
#define SHIM_O_NONBLOCK  0x04
#define SHIM_O_CREATE    0x08
#define SHIM_O_TRUNC     0x10
#define SHIM_O_EXCL      0x20
#define SHIM_O_RDWR      0x40 /* targets only; sources are always read-only */

/* File kinds reported by shim_stat/shim_fstat. */
enum shim_kind {
	SHIM_KIND_OTHER = 0,
	SHIM_KIND_REGULAR = 1,
	SHIM_KIND_BLOCK = 2,
	SHIM_KIND_CHAR = 3,
	SHIM_KIND_FIFO = 4,
	SHIM_KIND_DIRECTORY = 5,
	SHIM_KIND_SOCKET = 6,
	SHIM_KIND_SYMLINK = 7,
};

/* Flat stat summary; all fields 64-bit so the TS side reads it with one
 * DataView layout on every architecture. */
struct shim_stat {
	int64_t kind;
	int64_t mode;
	int64_t size;
	int64_t blksize;
	int64_t dev;
	int64_t ino;
	int64_t rdev;
	int64_t blocks;
};

#endif
