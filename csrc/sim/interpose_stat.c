/* The stat family: the simulated device reports the simulated size and st_blksize, and
 * optionally presents itself as a block device. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "sim.h"

#define SIM_MAJOR 240 /* "local/experimental use" in the Linux device list */

static void patch(struct stat *st)
{
	st->st_blksize = (blksize_t)sim->blksize;
	if (sim->flags & SIM_BLOCKDEV) {
		st->st_mode = (st->st_mode & 07777) | S_IFBLK;
		st->st_size = 0;
		st->st_blocks = 0;
		st->st_rdev = makedev(SIM_MAJOR, 0);
	} else {
		st->st_size = (off_t)sim->size;
		st->st_blocks = (blkcnt_t)((sim->size + 511) / 512);
	}
}

/* struct statx arrived in musl only with 1.2.5; without it there is no statx to intercept. */
#ifdef STATX_TYPE
static void patch_statx(struct statx *stx)
{
	stx->stx_blksize = (uint32_t)sim->blksize;
	if (sim->flags & SIM_BLOCKDEV) {
		stx->stx_mode = (uint16_t)((stx->stx_mode & 07777) | S_IFBLK);
		stx->stx_size = 0;
		stx->stx_blocks = 0;
		stx->stx_rdev_major = SIM_MAJOR;
		stx->stx_rdev_minor = 0;
	} else {
		stx->stx_size = sim->size;
		stx->stx_blocks = (sim->size + 511) / 512;
	}
}
#endif

/* fstatat/statx with AT_EMPTY_PATH and "" ask about the descriptor itself. */
static int is_fd_query(const char *path, int flags) { return (flags & AT_EMPTY_PATH) && path && !path[0]; }

static int virtual_path(int dirfd, const char *path)
{
	return sim && !(sim->flags & SIM_NO_STAT) && sim_path_matches(dirfd, path);
}

/* After a real stat: is this the image itself (when no virtual path is used)? */
static int is_image(const struct stat *st)
{
	return sim && !(sim->flags & SIM_NO_STAT) && sim_is_image_inode((uint64_t)st->st_dev, (uint64_t)st->st_ino);
}

static int stat_at(int dirfd, const char *path, struct stat *st, int flags)
{
	sim_init();
	if (is_fd_query(path, flags)) {
		int r = real.fstat(dirfd, st);
		if (r == 0 && sim_fd_flags(dirfd))
			patch(st);
		return r;
	}
	if (virtual_path(dirfd, path)) {
		int r = real.stat(sim->image, st);
		if (r == 0)
			patch(st);
		return r;
	}
	int r = real.fstatat(dirfd, path, st, flags);
	if (r == 0 && is_image(st))
		patch(st);
	return r;
}

int stat(const char *path, struct stat *st) { return stat_at(AT_FDCWD, path, st, 0); }
int lstat(const char *path, struct stat *st) { return stat_at(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW); }
int fstatat(int dirfd, const char *path, struct stat *st, int flags) { return stat_at(dirfd, path, st, flags); }

int fstat(int fd, struct stat *st)
{
	sim_init();
	int r = real.fstat(fd, st);
	if (r == 0 && sim_fd_flags(fd) && !(sim->flags & SIM_NO_STAT))
		patch(st);
	return r;
}

#ifdef __GLIBC__
/* On 64-bit Linux struct stat64 is struct stat. */
int stat64(const char *path, struct stat64 *st) { return stat(path, (struct stat *)st); }
int lstat64(const char *path, struct stat64 *st) { return lstat(path, (struct stat *)st); }
int fstat64(int fd, struct stat64 *st) { return fstat(fd, (struct stat *)st); }
int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags) { return stat_at(dirfd, path, (struct stat *)st, flags); }
#endif

#ifdef STATX_TYPE
int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx)
{
	sim_init();
	if (is_fd_query(path, flags)) {
		int r = real.statx(dirfd, path, flags, mask, stx);
		if (r == 0 && sim_fd_flags(dirfd) && !(sim->flags & SIM_NO_STAT))
			patch_statx(stx);
		return r;
	}
	if (virtual_path(dirfd, path)) {
		int r = real.statx(AT_FDCWD, sim->image, flags & ~AT_SYMLINK_NOFOLLOW, mask, stx);
		if (r == 0)
			patch_statx(stx);
		return r;
	}
	int r = real.statx(dirfd, path, flags, mask, stx);
	if (r == 0 && sim && !(sim->flags & SIM_NO_STAT) &&
	    sim_is_image_inode(makedev(stx->stx_dev_major, stx->stx_dev_minor), stx->stx_ino))
		patch_statx(stx);
	return r;
}
#endif
