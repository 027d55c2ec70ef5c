/* Which file descriptors are the simulated device, and which paths name it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include "sim.h"

/* One byte per descriptor. Descriptors above the table are never simulated: a rescue
 * tool opens its source early, so it always gets a small number. */
#define SIM_MAX_FD 65536
static unsigned char fd_flags[SIM_MAX_FD];

int sim_fd_flags(int fd)
{
	if (fd < 0 || fd >= SIM_MAX_FD)
		return 0;
	return __atomic_load_n(&fd_flags[fd], __ATOMIC_RELAXED);
}

void sim_fd_set(int fd, int flags)
{
	if (fd >= 0 && fd < SIM_MAX_FD)
		__atomic_store_n(&fd_flags[fd], (unsigned char)flags, __ATOMIC_RELAXED);
}

void sim_fd_clear(int fd) { sim_fd_set(fd, 0); }

/* The virtual path matches as the program spells it, or as the same absolute path. */
int sim_path_matches(int dirfd, const char *path)
{
	if (!sim || !path || !sim->as_path[0])
		return 0;
	if (strcmp(path, sim->as_path) == 0)
		return dirfd == AT_FDCWD || path[0] == '/';
	return path[0] == '/' && strcmp(path, sim->as_abs) == 0;
}

int sim_is_image_inode(uint64_t dev, uint64_t ino)
{
	return sim && !sim->as_path[0] && dev == sim->image_dev && ino == sim->image_ino;
}

/* A shell may open the device (`dd <debug`) and hand the descriptor to the program it
 * starts; the new process must treat it as simulated too. Checking low descriptors is
 * enough for redirections. */
void sim_adopt_inherited_fds(void)
{
	for (int fd = 0; fd < 64; fd++) {
		struct stat st;
		if (real.fstat(fd, &st) != 0)
			continue;
		if ((uint64_t)st.st_dev == sim->image_dev && (uint64_t)st.st_ino == sim->image_ino) {
			int fl = real.fcntl(fd, F_GETFL);
			if (fl >= 0 && (fl & O_ACCMODE) == O_RDONLY)
				sim_fd_set(fd, SIM_FD_SIM);
		}
	}
}
