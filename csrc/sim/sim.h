/* salvage bad-media simulator: an LD_PRELOAD library.
 *
 * All policy is decided in TypeScript (`src/sim/`): it parses the damage file and writes
 * a binary *state file* (layout below). This library maps that file shared and writable,
 * so every process of a simulated run (a shell and the tools it starts) sees the same
 * weak-sector counters, the same virtual clock and the same statistics, and the driver
 * reads the statistics back after the command exits. The only input is the environment
 * variable SALVAGE_SIM_STATE naming the state file.
 *
 * The layout must match src/sim/state-file.ts. All fields are native little-endian. */
#ifndef SALVAGE_SIM_H
#define SALVAGE_SIM_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define SIM_MAGIC "SALVSIM1"
#define SIM_PATH_MAX 1024

/* Header flags. */
#define SIM_FAIL_WHOLE   0x01 /* a read that meets damage fails entirely (EIO) instead of returning the good part */
#define SIM_COMPAT       0x02 /* safecopy simulator.cfg semantics: seek past the end is EINVAL, soft errors alternate */
#define SIM_BLOCKDEV     0x04 /* present the device as a block device in stat (st_size 0, S_IFBLK) */
#define SIM_NO_STAT      0x08 /* leave stat() of the virtual path alone (upstream simulator does not intercept it) */
#define SIM_SEEK_LIMIT   0x10 /* lseek beyond the device size fails with EINVAL, as on a block device */
#define SIM_VIRTUAL_CLOCK 0x20 /* the program's clocks run ahead by the virtual time not really slept */

/* Extent kinds. */
#define SIM_BAD  1 /* always fails */
#define SIM_WEAK 2 /* fails the first `fails` attempts, then reads */
#define SIM_SLOW 3 /* reads, costing cost_ns per sector */
#define SIM_SOFT 4 /* safecopy simulator soft error: fails `soft_fail_count` times, then alternates */

struct sim_extent {
	uint64_t first;        /* first sector */
	uint64_t count;        /* sectors */
	uint32_t kind;
	uint32_t fails;        /* SIM_WEAK: attempts that fail */
	uint64_t cost_ns;      /* extra virtual time per sector read or attempted */
	uint64_t fail_cost_ns; /* extra virtual time when a read fails on this extent */
	uint64_t counter;      /* index of this extent's first per-sector counter */
};

struct sim_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint64_t flags;
	uint64_t sector_size;
	uint64_t size;          /* device size in bytes */
	uint64_t blksize;       /* st_blksize reported by stat */
	uint64_t extent_count;
	uint64_t extent_offset; /* byte offset of struct sim_extent[extent_count], sorted, disjoint */
	uint64_t counter_offset;/* byte offset of int32_t attempts[counter_count] */
	uint64_t counter_count;
	uint64_t image_dev;
	uint64_t image_ino;
	/* timing model, nanoseconds (byte cost in picoseconds) */
	uint64_t t_read;
	uint64_t t_byte_ps;
	uint64_t t_sector;
	uint64_t t_fail;
	uint64_t t_seek;
	uint64_t t_travel;      /* per 1000 sectors of head travel */
	double sleep_scale;     /* really sleep virtual time x scale; 0 = never */
	uint64_t soft_fail_count;
	uint64_t record_dev;    /* the read record file (below), as the driver created it */
	uint64_t record_ino;
	uint64_t reserved[6];
	/* statistics, updated with atomic adds by every process */
	uint64_t st_reads;
	uint64_t st_bytes;
	uint64_t st_failed;
	uint64_t st_short;
	uint64_t st_damage_reads;
	uint64_t st_einval;
	uint64_t st_seeks;
	uint64_t st_virtual_ns;
	uint64_t st_opens;
	uint64_t st_head;       /* byte offset where the last read ended */
	uint64_t st_eof_reads;
	uint64_t st_processes;
	uint64_t st_reserved[6];
	char image[SIM_PATH_MAX];   /* backing image file */
	char as_path[SIM_PATH_MAX]; /* virtual path as the program spells it ("" = the image itself) */
	char as_abs[SIM_PATH_MAX];  /* the same, made absolute against the driver's working directory */
	char trace[SIM_PATH_MAX];   /* "" = no trace; "-" = stderr; else a file appended to */
	char record[SIM_PATH_MAX];  /* "" = no read record; else the binary record file, created by the driver */
};

/* The read record (src/sim/read-record.ts): after the driver's 32-byte file header, one
 * fixed-size record per read of the device, appended with O_APPEND by whichever process
 * or thread made the read, so records never interleave. */
#define SIM_REC_ERROR  0x01 /* a sector failed: the read failed (EIO) or stopped short at it */
#define SIM_REC_DAMAGE 0x02 /* the read reached a damaged sector (bad, weak, slow), failed or not */
#define SIM_REC_EINVAL 0x04 /* refused: O_DIRECT misalignment */
#define SIM_REC_EOF    0x08 /* at or after the end: returned 0 */
#define SIM_REC_SHORT  0x10 /* returned fewer bytes than asked (damage or the end of the device) */

struct sim_read_record {
	uint64_t offset;   /* byte offset of the request */
	uint32_t length;   /* bytes asked for (capped at 2^32-1) */
	int32_t result;    /* bytes transferred, or -errno */
	uint64_t start_ns; /* virtual clock when the read began */
	uint64_t end_ns;   /* virtual clock when it ended */
	uint32_t flags;    /* SIM_REC_* */
	uint32_t pid;      /* the process that read */
};

/* Internal to the library: only the interposed libc names are exported. */
#pragma GCC visibility push(hidden)

/* ---- state.c: the mapped state and the real libc functions ---- */
extern struct sim_header *sim;          /* NULL when not configured: everything passes through */
struct sim_extent *sim_extents(void);
int32_t *sim_counters(void);
void sim_init(void);

struct stat;
struct iovec;
struct stat64;
struct statx;

/* ioctl's request argument: unsigned long in glibc, int in musl (POSIX). */
#ifdef __GLIBC__
typedef unsigned long sim_ioctl_req;
#else
typedef int sim_ioctl_req;
#endif
struct real_fns {
	int (*open)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*close)(int);
	int (*close_range)(unsigned int, unsigned int, int);
	void (*closefrom)(int);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*pread)(int, void *, size_t, off_t);
	ssize_t (*readv)(int, const struct iovec *, int);
	ssize_t (*preadv)(int, const struct iovec *, int, off_t);
	ssize_t (*preadv2)(int, const struct iovec *, int, off_t, int);
	ssize_t (*copy_file_range)(int, off_t *, int, off_t *, size_t, unsigned int);
	ssize_t (*sendfile)(int, int, off_t *, size_t);
	ssize_t (*splice)(int, off_t *, int, off_t *, size_t, unsigned int);
	off_t (*lseek)(int, off_t, int);
	int (*ioctl)(int, sim_ioctl_req, ...);
	int (*dup)(int);
	int (*dup2)(int, int);
	int (*dup3)(int, int, int);
	int (*fcntl)(int, int, ...);
	int (*stat)(const char *, struct stat *);
	int (*lstat)(const char *, struct stat *);
	int (*fstat)(int, struct stat *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*statx)(int, const char *, int, unsigned int, struct statx *);
	int (*clock_gettime)(clockid_t, struct timespec *);
};
extern struct real_fns real;

/* ---- fdtable.c: which descriptors are the simulated device ---- */
#define SIM_FD_SIM    0x01
#define SIM_FD_DIRECT 0x02
int sim_fd_flags(int fd);
void sim_fd_set(int fd, int flags);
void sim_fd_clear(int fd);
int sim_path_matches(int dirfd, const char *path);
int sim_is_image_inode(uint64_t dev, uint64_t ino);
void sim_adopt_inherited_fds(void);

/* ---- damage.c: a read meets the damage map ---- */
/* How the good part of a read reaches the caller (read, pread, readv, preadv). */
struct sim_transfer {
	ssize_t (*fn)(const struct sim_transfer *t, size_t good);
	int fd;
	void *buf;
	const struct iovec *iov;
	int iovcnt;
	off_t off;
};
/* Count the read, apply the damage map to [off, off+len), transfer the good part with t->fn,
 * charge its virtual time. misaligned: an O_DIRECT request the device cannot take (EINVAL). */
ssize_t sim_read(const struct sim_transfer *t, uint64_t off, size_t len, int misaligned);
/* interpose_read.c: does an O_DIRECT descriptor refuse this buffer, offset or length? */
int sim_misaligned(int f, uintptr_t addr, uint64_t off, size_t len);

/* ---- timing.c: virtual clock ---- */
/* Advance the clock by ns; returns the clock after it (the end of this operation). */
uint64_t sim_charge(uint64_t ns);
uint64_t sim_seek_cost(uint64_t off);

/* ---- trace.c ---- */
void sim_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- record.c: the binary read record ---- */
/* Append one record: result is the bytes transferred or -errno. errno is preserved. */
void sim_record(uint64_t off, size_t len, ssize_t result, uint64_t start_ns, uint64_t end_ns, uint32_t flags);

#pragma GCC visibility pop

#endif
