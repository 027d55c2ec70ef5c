/* The binary read record: one struct sim_read_record per read of the device, so that
 * `salvage simulate score` can tell when each byte was first recovered.
 *
 * The driver creates the file exclusively (mode 0600) and writes its header; here it is only
 * opened for appending, never created and never through a symlink. Before each write the
 * descriptor is checked against the file the driver made (device and inode): a tool that
 * closes every descriptor, or dup2()s over ours, must never get records in its own files. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sim.h"

_Static_assert(sizeof(struct sim_read_record) == 40, "the read record is 40 bytes (src/sim/read-record.ts)");

static int record_fd = -1;

static int is_record_file(int fd)
{
	struct stat st;
	return fd >= 0 && real.fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_dev == sim->record_dev &&
	       (uint64_t)st.st_ino == sim->record_ino;
}

/* The descriptor to append to, (re)opened when it is no longer our file; -1 when none. */
static int record_target(void)
{
	int fd = __atomic_load_n(&record_fd, __ATOMIC_ACQUIRE);
	if (is_record_file(fd))
		return fd;
	int mine = (int)syscall(SYS_openat, AT_FDCWD, sim->record, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (mine < 0)
		return -1;
	if (!is_record_file(mine)) {
		syscall(SYS_close, mine);
		return -1;
	}
	/* Another thread may have reopened it meanwhile: keep one descriptor. A stale
	 * number in record_fd belongs to someone else now, so it is not closed. */
	if (!__atomic_compare_exchange_n(&record_fd, &fd, mine, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) && is_record_file(fd)) {
		syscall(SYS_close, mine);
		return fd;
	}
	return mine;
}

void sim_record(uint64_t off, size_t len, ssize_t result, uint64_t start_ns, uint64_t end_ns, uint32_t flags)
{
	if (!sim->record[0])
		return;
	int saved = errno;
	struct sim_read_record r = {
		.offset = off,
		.length = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
		.result = (int32_t)result,
		.start_ns = start_ns,
		.end_ns = end_ns,
		.flags = flags,
		.pid = (uint32_t)getpid(),
	};
	int fd = record_target();
	if (fd >= 0)
		syscall(SYS_write, fd, &r, sizeof r);
	errno = saved;
}
