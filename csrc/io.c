/* File and device I/O: open, read, write, seek, sync, truncate, stat. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

#define RET(expr) do { long long r_ = (long long)(expr); return r_ < 0 ? -errno : r_; } while (0)

static int common_flags(int flags)
{
	int f = O_CLOEXEC;
	if (flags & SHIM_O_DIRECT)
		f |= O_DIRECT;
	if (flags & SHIM_O_SYNC)
		f |= O_SYNC;
	if (flags & SHIM_O_NONBLOCK)
		f |= O_NONBLOCK;
	return f;
}

/* A source is opened read-only, always: no flag combination can change it. */
int shim_open_read(const char *path, int flags)
{
	RET(open(path, O_RDONLY | common_flags(flags)));
}

/* A directory, read-only (to name its filesystem to syncfs). */
int shim_open_directory(const char *path) { RET(open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)); }

int shim_open_target(const char *path, int flags, int mode)
{
	int f = common_flags(flags) | ((flags & SHIM_O_RDWR) ? O_RDWR : O_WRONLY);
	if (flags & SHIM_O_CREATE)
		f |= O_CREAT;
	if (flags & SHIM_O_TRUNC)
		f |= O_TRUNC;
	if (flags & SHIM_O_EXCL)
		f |= O_EXCL;
	RET(open(path, f, mode));
}

int shim_close(int fd) { RET(close(fd)); }

long long shim_pread(int fd, void *buf, long long len, long long off) { RET(pread(fd, buf, (size_t)len, (off_t)off)); }
long long shim_pwrite(int fd, const void *buf, long long len, long long off) { RET(pwrite(fd, buf, (size_t)len, (off_t)off)); }
long long shim_read(int fd, void *buf, long long len) { RET(read(fd, buf, (size_t)len)); }
long long shim_write(int fd, const void *buf, long long len) { RET(write(fd, buf, (size_t)len)); }
/* Copy up to len bytes at offset off of in_fd to out_fd (at its position) inside the kernel,
 * never through user memory. Bytes copied (short at the end of in_fd or before an error),
 * or -errno: EINVAL/ENOSYS/ESPIPE... when these two descriptors cannot do it. */
long long shim_sendfile(int out_fd, int in_fd, long long off, long long len)
{
	off_t o = (off_t)off;
	RET(sendfile(out_fd, in_fd, &o, (size_t)len));
}
long long shim_lseek(int fd, long long off, int whence) { RET(lseek(fd, (off_t)off, whence)); }
int shim_fsync(int fd) { RET(fsync(fd)); }
int shim_fdatasync(int fd) { RET(fdatasync(fd)); }
/* Flush every file of fd's filesystem at once (one writeback for hundreds of new files). */
int shim_syncfs(int fd) { RET(syncfs(fd)); }
int shim_ftruncate(int fd, long long len) { RET(ftruncate(fd, (off_t)len)); }
/* Reserve blocks without changing the data (mode 0 keeps the contents, extends the size if needed). */
int shim_fallocate(int fd, long long off, long long len) { RET(fallocate(fd, 0, (off_t)off, (off_t)len)); }
/* Start writeback of a range without waiting for it (SYNC_FILE_RANGE_WRITE). */
int shim_start_writeback(int fd, long long off, long long len) { RET(sync_file_range(fd, (off_t)off, (off_t)len, SYNC_FILE_RANGE_WRITE)); }
int shim_access(const char *path, int mode) { RET(access(path, mode)); }
int shim_rename(const char *from, const char *to) { RET(rename(from, to)); }

static void fill_stat(const struct stat *st, struct shim_stat *out)
{
	memset(out, 0, sizeof *out);
	switch (st->st_mode & S_IFMT) {
	case S_IFREG: out->kind = SHIM_KIND_REGULAR; break;
	case S_IFBLK: out->kind = SHIM_KIND_BLOCK; break;
	case S_IFCHR: out->kind = SHIM_KIND_CHAR; break;
	case S_IFIFO: out->kind = SHIM_KIND_FIFO; break;
	case S_IFDIR: out->kind = SHIM_KIND_DIRECTORY; break;
	case S_IFSOCK: out->kind = SHIM_KIND_SOCKET; break;
	case S_IFLNK: out->kind = SHIM_KIND_SYMLINK; break;
	default: out->kind = SHIM_KIND_OTHER; break;
	}
	out->mode = st->st_mode & 07777;
	out->size = st->st_size;
	out->blksize = st->st_blksize;
	out->dev = (int64_t)st->st_dev;
	out->ino = (int64_t)st->st_ino;
	out->rdev = (int64_t)st->st_rdev;
	out->blocks = st->st_blocks;
}

int shim_fstat(int fd, struct shim_stat *out)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	fill_stat(&st, out);
	return 0;
}

/* stat, not lstat: a symlink to a device is the device, as for dd. */
int shim_stat(const char *path, struct shim_stat *out)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	fill_stat(&st, out);
	return 0;
}

int shim_sizeof_stat(void) { return (int)sizeof(struct shim_stat); }
