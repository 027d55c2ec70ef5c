/* read/pread/lseek/ioctl on the simulated device. Every other descriptor goes straight to
 * libc after one table lookup, so the tool's own files (and the runtime's) stay fast. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "sim.h"

static ssize_t by_read(const struct sim_transfer *t, size_t good) { return real.read(t->fd, t->buf, good); }
static ssize_t by_pread(const struct sim_transfer *t, size_t good) { return real.pread(t->fd, t->buf, good, t->off); }

int sim_misaligned(int f, uintptr_t addr, uint64_t off, size_t len)
{
	uint64_t ss = sim->sector_size;
	return (f & SIM_FD_DIRECT) && ((addr % ss) || (off % ss) || (len % ss));
}

/* read(2) uses and advances the kernel's file offset, which dup'ed descriptors share;
 * the transfer is a read(2) at that offset, so it advances it too. */
static ssize_t read_here(int fd, void *buf, size_t len, int f)
{
	off_t pos = real.lseek(fd, 0, SEEK_CUR);
	if (pos < 0)
		return -1;
	sim_trace("reading from debug file: %zu at position %lld", len, (long long)pos);
	struct sim_transfer t = { by_read, fd, buf, 0, 0, pos };
	return sim_read(&t, (uint64_t)pos, len, sim_misaligned(f, (uintptr_t)buf, (uint64_t)pos, len));
}

static ssize_t pread_common(int fd, void *buf, size_t len, off_t off)
{
	sim_init();
	int f = sim_fd_flags(fd);
	if (!f)
		return real.pread(fd, buf, len, off);
	if (off < 0) {
		errno = EINVAL;
		return -1;
	}
	sim_trace("reading from debug file: %zu at position %lld", len, (long long)off);
	struct sim_transfer t = { by_pread, fd, buf, 0, 0, off };
	return sim_read(&t, (uint64_t)off, len, sim_misaligned(f, (uintptr_t)buf, (uint64_t)off, len));
}

ssize_t read(int fd, void *buf, size_t len)
{
	sim_init();
	int f = sim_fd_flags(fd);
	return f ? read_here(fd, buf, len, f) : real.read(fd, buf, len);
}

ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	(void)buflen;
	return read(fd, buf, len);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off) { return pread_common(fd, buf, len, off); }
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
ssize_t pread64(int fd, void *buf, size_t len, off_t off) { return pread_common(fd, buf, len, off); }
#endif

ssize_t __pread_chk(int fd, void *buf, size_t len, off_t off, size_t buflen)
{
	(void)buflen;
	return pread_common(fd, buf, len, off);
}

#ifdef __GLIBC__
ssize_t __pread64_chk(int fd, void *buf, size_t len, off_t off, size_t buflen)
{
	(void)buflen;
	return pread_common(fd, buf, len, off);
}
#endif

static const char *whence_name(int whence)
{
	switch (whence) {
	case SEEK_SET: return "SEEK_SET";
	case SEEK_CUR: return "SEEK_CUR";
	case SEEK_END: return "SEEK_END";
	default: return "SEEK_?";
	}
}

/* Offsets are checked against the simulated size, which may differ from the image's. */
static off_t lseek_common(int fd, off_t off, int whence)
{
	sim_init();
	if (!sim_fd_flags(fd))
		return real.lseek(fd, off, whence);
	int64_t size = (int64_t)sim->size, target;
	switch (whence) {
	case SEEK_SET: target = off; break;
	case SEEK_CUR: target = real.lseek(fd, 0, SEEK_CUR) + off; break;
	case SEEK_END: target = size + off; break;
	case SEEK_DATA: if (off >= size) { errno = ENXIO; return -1; } target = off; break;
	case SEEK_HOLE: if (off >= size) { errno = ENXIO; return -1; } target = size; break;
	default: errno = EINVAL; return -1;
	}
	/* upstream's trace prints the prefix first and nothing more when the seek fails */
	sim_trace("seeking in debug: %s to ", whence_name(whence));
	if (target < 0 || ((sim->flags & SIM_SEEK_LIMIT) && target > size)) {
		errno = EINVAL;
		return -1;
	}
	sim_trace("%lld\n", (long long)target);
	return real.lseek(fd, target, SEEK_SET);
}

off_t lseek(int fd, off_t off, int whence) { return lseek_common(fd, off, whence); }
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
off_t lseek64(int fd, off_t off, int whence) { return lseek_common(fd, off, whence); }
#endif

/* The block-device questions a rescue tool asks, answered from the damage model. */
static int answer_ioctl(unsigned long req, void *arg)
{
	switch (req) {
	case BLKGETSIZE64: *(uint64_t *)arg = sim->size; return 0;
	case BLKGETSIZE: *(unsigned long *)arg = (unsigned long)(sim->size / 512); return 0;
	case BLKSSZGET: *(int *)arg = (int)sim->sector_size; return 0;
	case BLKPBSZGET: *(unsigned int *)arg = (unsigned int)sim->sector_size; return 0;
	case BLKBSZGET: *(int *)arg = (int)sim->blksize; return 0;
	case BLKIOMIN: *(unsigned int *)arg = (unsigned int)sim->sector_size; return 0;
	case BLKIOOPT: *(unsigned int *)arg = 0; return 0;
	case BLKROGET: *(int *)arg = 1; return 0;
	case BLKFLSBUF: return 0;
	default: return 1;
	}
}

int ioctl(int fd, sim_ioctl_req req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	sim_init();
	if (sim_fd_flags(fd) && arg) {
		int r = answer_ioctl((unsigned int)req, arg) /* request numbers are 32-bit; musl passes an int */;
		if (r <= 0)
			return r;
	}
	return real.ioctl(fd, req, arg);
}
