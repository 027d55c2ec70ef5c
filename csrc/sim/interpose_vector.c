/* Vectored reads, and the kernel-side copies that would bypass the damage map.
 *
 * readv/preadv on the device are one request over the sum of their buffers: the damage map
 * decides how many bytes are good, and the iovec list is cut to that length. Kernel-side
 * copies (copy_file_range, sendfile, splice) never pass through read(), so for the device
 * they fail with EINVAL, which makes cat, cp and friends fall back to read(). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>
#include "sim.h"

/* The first `good` bytes of the caller's buffers, in a copy of the iovec list. */
static int cut(const struct iovec *iov, int n, size_t good, struct iovec *out)
{
	int k = 0;
	for (int i = 0; i < n && good > 0; i++, k++) {
		out[k] = iov[i];
		if (out[k].iov_len > good)
			out[k].iov_len = good;
		good -= out[k].iov_len;
	}
	return k;
}

static ssize_t by_readv(const struct sim_transfer *t, size_t good)
{
	struct iovec part[IOV_MAX];
	int k = cut(t->iov, t->iovcnt, good, part);
	return k ? real.readv(t->fd, part, k) : 0;
}

static ssize_t by_preadv(const struct sim_transfer *t, size_t good)
{
	struct iovec part[IOV_MAX];
	int k = cut(t->iov, t->iovcnt, good, part);
	return k ? real.preadv(t->fd, part, k, t->off) : 0;
}

/* Total length, and whether O_DIRECT would refuse any piece. */
static size_t total(int f, const struct iovec *iov, int n, uint64_t off, int *misaligned)
{
	size_t len = 0;
	*misaligned = sim_misaligned(f, 0, off, 0);
	for (int i = 0; i < n; i++) {
		len += iov[i].iov_len;
		*misaligned |= sim_misaligned(f, (uintptr_t)iov[i].iov_base, 0, iov[i].iov_len);
	}
	return len;
}

static ssize_t vector_read(int fd, const struct iovec *iov, int n, off_t off, int at_offset)
{
	int f = sim_fd_flags(fd);
	if (n < 0 || n > IOV_MAX || (!at_offset && off < 0)) {
		errno = EINVAL;
		return -1;
	}
	if (at_offset && (off = real.lseek(fd, 0, SEEK_CUR)) < 0)
		return -1;
	int misaligned;
	size_t len = total(f, iov, n, (uint64_t)off, &misaligned);
	sim_trace("reading from debug file: %zu at position %lld", len, (long long)off);
	struct sim_transfer t = { at_offset ? by_readv : by_preadv, fd, 0, iov, n, off };
	return sim_read(&t, (uint64_t)off, len, misaligned);
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	sim_init();
	return sim_fd_flags(fd) ? vector_read(fd, iov, n, 0, 1) : real.readv(fd, iov, n);
}

ssize_t preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	sim_init();
	return sim_fd_flags(fd) ? vector_read(fd, iov, n, off, 0) : real.preadv(fd, iov, n, off);
}

/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
ssize_t preadv64(int fd, const struct iovec *iov, int n, off_t off) { return preadv(fd, iov, n, off); }
#endif

/* preadv2 (Python's os.preadv uses it): offset -1 means the file offset, as readv.
 * The RWF_* flags (priority, no-wait hints) change nothing on a simulated disk. */
ssize_t preadv2(int fd, const struct iovec *iov, int n, off_t off, int flags)
{
	sim_init();
	if (sim_fd_flags(fd))
		return vector_read(fd, iov, n, off == -1 ? 0 : off, off == -1);
	return real.preadv2(fd, iov, n, off, flags);
}

/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
ssize_t preadv64v2(int fd, const struct iovec *iov, int n, off_t off, int flags) { return preadv2(fd, iov, n, off, flags); }
#endif

/* Kernel-side copies from the device: refuse, so the caller falls back to read(). */
static int refuse_copy(int fd_in)
{
	sim_init();
	if (!sim_fd_flags(fd_in))
		return 0;
	errno = EINVAL;
	return 1;
}

ssize_t copy_file_range(int in, off_t *in_off, int out, off_t *out_off, size_t len, unsigned int flags)
{
	return refuse_copy(in) ? -1 : real.copy_file_range(in, in_off, out, out_off, len, flags);
}

ssize_t sendfile(int out, int in, off_t *off, size_t len)
{
	return refuse_copy(in) ? -1 : real.sendfile(out, in, off, len);
}

/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
ssize_t sendfile64(int out, int in, off_t *off, size_t len) { return sendfile(out, in, off, len); }
#endif

ssize_t splice(int in, off_t *in_off, int out, off_t *out_off, size_t len, unsigned int flags)
{
	return refuse_copy(in) ? -1 : real.splice(in, in_off, out, out_off, len, flags);
}
