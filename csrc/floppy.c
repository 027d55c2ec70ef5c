/* Floppy controller ioctls (<linux/fd.h>). Thin wrappers: the value or -errno. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fd.h>

/* The floppy driver accepts FDRESET and FDTWADDLE only on a descriptor opened for
 * writing (it checks the ioctl number against FMODE_WRITE), so the controller needs
 * its own O_RDWR descriptor. O_NONBLOCK keeps the open from failing with EROFS on a
 * write-protected disk and from touching the medium. The descriptor is never used
 * for read() or write(): callers only pass it to the ioctls below. Anything but a
 * block device is refused, so this can never open a regular file for writing. */
int shim_open_control(const char *path)
{
	struct stat st;
	int fd;
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* The node could have been swapped between stat and open. */
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode)) {
		close(fd);
		return -ENOTBLK;
	}
	return fd;
}

int shim_fd_reset(int fd)
{
	return ioctl(fd, FDRESET, (unsigned long)FD_RESET_ALWAYS) < 0 ? -errno : 0;
}

int shim_fd_twaddle(int fd)
{
	return ioctl(fd, FDTWADDLE) < 0 ? -errno : 0;
}

/* Current medium geometry. out[0..8] = size (sectors), sectors per track, heads,
 * tracks, stretch, gap, rate, spec1, format gap. */
int shim_fd_get_prm(int fd, long long *out)
{
	struct floppy_struct p;
	memset(&p, 0, sizeof p);
	if (ioctl(fd, FDGETPRM, &p) < 0)
		return -errno;
	out[0] = p.size;
	out[1] = p.sect;
	out[2] = p.head;
	out[3] = p.track;
	out[4] = p.stretch;
	out[5] = p.gap;
	out[6] = p.rate;
	out[7] = p.spec1;
	out[8] = p.fmt_gap;
	return 0;
}

/* Drive type name ("H1440", ...) into out (at least 17 bytes, NUL-terminated).
 * Allowed on a read-only descriptor, so it doubles as the "is this a floppy" test. */
int shim_fd_drive_type(int fd, char *out)
{
	floppy_drive_name name;
	memset(name, 0, sizeof name);
	if (ioctl(fd, FDGETDRVTYP, name) < 0)
		return -errno;
	memcpy(out, name, sizeof name);
	out[sizeof name] = '\0';
	return 0;
}
