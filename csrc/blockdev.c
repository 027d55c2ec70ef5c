/* Block device geometry ioctls. Each returns the value or -errno
 * (-ENOTTY on something that is not a block device). */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>

long long shim_blk_size64(int fd)
{
	uint64_t v = 0;
	return ioctl(fd, BLKGETSIZE64, &v) < 0 ? -errno : (long long)v;
}

int shim_blk_logical_sector(int fd)
{
	int v = 0;
	return ioctl(fd, BLKSSZGET, &v) < 0 ? -errno : v;
}

int shim_blk_physical_sector(int fd)
{
	unsigned int v = 0;
	return ioctl(fd, BLKPBSZGET, &v) < 0 ? -errno : (int)v;
}

int shim_blk_readonly(int fd)
{
	int v = 0;
	return ioctl(fd, BLKROGET, &v) < 0 ? -errno : v;
}
