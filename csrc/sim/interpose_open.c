/* open/close/dup/fcntl: follow which descriptors refer to the simulated device. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/close_range.h>
#include "sim.h"

static int wants_write(int flags) { return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC); }

static int mark(int fd, int flags)
{
	sim_fd_set(fd, SIM_FD_SIM | ((flags & O_DIRECT) ? SIM_FD_DIRECT : 0));
	__atomic_add_fetch(&sim->st_opens, 1, __ATOMIC_RELAXED);
	sim_trace("opening debug\n");
	return fd;
}

/* The device is read-only: a rescue tool never writes its source, and a tool that tries
 * must not damage the image the simulation runs on. */
static int refuse_write(void)
{
	errno = EROFS;
	return -1;
}

/* O_DIRECT is checked by us against the simulated sector size, so the real descriptor
 * is opened without it: the image may live on tmpfs, which refuses O_DIRECT. */
static int open_virtual(int flags)
{
	if (wants_write(flags))
		return refuse_write();
	int fd = real.openat(AT_FDCWD, sim->image, O_RDONLY | (flags & (O_CLOEXEC | O_NONBLOCK | O_NOCTTY)));
	return fd < 0 ? fd : mark(fd, flags);
}

static int open_common(int dirfd, const char *path, int flags, mode_t mode)
{
	sim_init();
	if (!sim)
		return real.openat(dirfd, path, flags, mode);
	if (sim_path_matches(dirfd, path))
		return open_virtual(flags);
	int fd = real.openat(dirfd, path, flags, mode);
	int retried = 0;
	if (fd < 0 && errno == EINVAL && (flags & O_DIRECT) && !sim->as_path[0]) {
		/* maybe the image on tmpfs, which refuses O_DIRECT: we emulate it instead */
		fd = real.openat(dirfd, path, flags & ~O_DIRECT, mode);
		retried = 1;
		if (fd < 0) {
			errno = EINVAL;
			return -1;
		}
	}
	if (fd >= 0)
		sim_fd_clear(fd); /* a number reused after a close we did not see */
	if (fd < 0 || sim->as_path[0])
		return fd;
	struct stat st;
	if (real.fstat(fd, &st) != 0 || !sim_is_image_inode((uint64_t)st.st_dev, (uint64_t)st.st_ino)) {
		if (!retried)
			return fd;
		real.close(fd); /* the retry without O_DIRECT was for the image only */
		errno = EINVAL;
		return -1;
	}
	if (wants_write(flags)) {
		real.close(fd);
		return refuse_write();
	}
	if (flags & O_DIRECT)
		real.fcntl(fd, F_SETFL, real.fcntl(fd, F_GETFL) & ~O_DIRECT);
	return mark(fd, flags);
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

/* open and open64 are the same call on 64-bit Linux; so are openat and openat64. */
#define DEFINE_OPEN(name)                                         \
	int name(const char *path, int flags, ...)                \
	{                                                         \
		va_list ap;                                       \
		va_start(ap, flags);                              \
		mode_t mode = mode_arg(flags, ap);                \
		va_end(ap);                                       \
		return open_common(AT_FDCWD, path, flags, mode);  \
	}

#define DEFINE_OPENAT(name)                                       \
	int name(int dirfd, const char *path, int flags, ...)     \
	{                                                         \
		va_list ap;                                       \
		va_start(ap, flags);                              \
		mode_t mode = mode_arg(flags, ap);                \
		va_end(ap);                                       \
		return open_common(dirfd, path, flags, mode);     \
	}

DEFINE_OPEN(open)
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
DEFINE_OPEN(open64)
#endif
DEFINE_OPENAT(openat)
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
DEFINE_OPENAT(openat64)
#endif

/* Fortified entry points (_FORTIFY_SOURCE builds call these when there is no mode). */
int __open_2(const char *path, int flags) { return open_common(AT_FDCWD, path, flags, 0); }
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
int __open64_2(const char *path, int flags) { return open_common(AT_FDCWD, path, flags, 0); }
#endif
int __openat_2(int dirfd, const char *path, int flags) { return open_common(dirfd, path, flags, 0); }
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
int __openat64_2(int dirfd, const char *path, int flags) { return open_common(dirfd, path, flags, 0); }
#endif

int close(int fd)
{
	sim_init();
	if (sim_fd_flags(fd)) {
		sim_fd_clear(fd);
		sim_trace("closing debug\n");
	}
	return real.close(fd);
}

/* Closing many descriptors at once (glibc 2.34+, used by process spawners). */
int close_range(unsigned int first, unsigned int last, int flags)
{
	sim_init();
	int r = real.close_range(first, last, flags);
	if (r == 0 && !(flags & CLOSE_RANGE_CLOEXEC))
		for (unsigned int fd = first; fd <= last && fd < 65536; fd++)
			sim_fd_clear((int)fd);
	return r;
}

void closefrom(int lowfd)
{
	sim_init();
	for (int fd = lowfd < 0 ? 0 : lowfd; fd < 65536; fd++)
		sim_fd_clear(fd);
	real.closefrom(lowfd);
}

/* A duplicate shares the open file, so it is the device too (dd moves its input to fd 0). */
static int copy_flags(int from, int to)
{
	if (to >= 0)
		sim_fd_set(to, sim_fd_flags(from));
	return to;
}

int dup(int fd)
{
	sim_init();
	return copy_flags(fd, real.dup(fd));
}

int dup2(int fd, int to)
{
	sim_init();
	return copy_flags(fd, real.dup2(fd, to));
}

int dup3(int fd, int to, int flags)
{
	sim_init();
	return copy_flags(fd, real.dup3(fd, to, flags));
}

static int fcntl_common(int fd, int cmd, void *arg)
{
	sim_init();
	int f = sim_fd_flags(fd);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return copy_flags(fd, real.fcntl(fd, cmd, arg));
	case F_GETFL: {
		int r = real.fcntl(fd, cmd);
		return r >= 0 && (f & SIM_FD_DIRECT) ? r | O_DIRECT : r;
	}
	case F_SETFL:
		if (f) {
			int want = (int)(intptr_t)arg;
			sim_fd_set(fd, SIM_FD_SIM | ((want & O_DIRECT) ? SIM_FD_DIRECT : 0));
			return real.fcntl(fd, cmd, want & ~O_DIRECT);
		}
		return real.fcntl(fd, cmd, arg);
	default:
		return real.fcntl(fd, cmd, arg);
	}
}

/* The third argument is an int or a pointer; both travel in one 64-bit register. */
#define DEFINE_FCNTL(name)                        \
	int name(int fd, int cmd, ...)            \
	{                                         \
		va_list ap;                       \
		va_start(ap, cmd);                \
		void *arg = va_arg(ap, void *);   \
		va_end(ap);                       \
		return fcntl_common(fd, cmd, arg);\
	}

DEFINE_FCNTL(fcntl)
/* glibc exports separate *64 and fortified (_chk/_2) symbols; musl maps them to the plain
 * names with macros, so defining them there would redefine open, pread, ... */
#ifdef __GLIBC__
DEFINE_FCNTL(fcntl64)
#endif
