/* Loading the shared state file and finding the real libc functions. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sim.h"

struct sim_header *sim;
struct real_fns real;

struct sim_extent *sim_extents(void) { return (struct sim_extent *)((char *)sim + sim->extent_offset); }
int32_t *sim_counters(void) { return (int32_t *)((char *)sim + sim->counter_offset); }

static void resolve(void)
{
	/* RTLD_NEXT: the definitions our own ones hide (normally libc's). */
	real.open = dlsym(RTLD_NEXT, "open");
	real.openat = dlsym(RTLD_NEXT, "openat");
	real.close = dlsym(RTLD_NEXT, "close");
	real.close_range = dlsym(RTLD_NEXT, "close_range");
	real.closefrom = dlsym(RTLD_NEXT, "closefrom");
	real.read = dlsym(RTLD_NEXT, "read");
	real.pread = dlsym(RTLD_NEXT, "pread");
	real.readv = dlsym(RTLD_NEXT, "readv");
	real.preadv = dlsym(RTLD_NEXT, "preadv");
	real.preadv2 = dlsym(RTLD_NEXT, "preadv2");
	real.copy_file_range = dlsym(RTLD_NEXT, "copy_file_range");
	real.sendfile = dlsym(RTLD_NEXT, "sendfile");
	real.splice = dlsym(RTLD_NEXT, "splice");
	real.lseek = dlsym(RTLD_NEXT, "lseek");
	real.ioctl = dlsym(RTLD_NEXT, "ioctl");
	real.dup = dlsym(RTLD_NEXT, "dup");
	real.dup2 = dlsym(RTLD_NEXT, "dup2");
	real.dup3 = dlsym(RTLD_NEXT, "dup3");
	real.fcntl = dlsym(RTLD_NEXT, "fcntl");
	real.stat = dlsym(RTLD_NEXT, "stat");
	real.lstat = dlsym(RTLD_NEXT, "lstat");
	real.fstat = dlsym(RTLD_NEXT, "fstat");
	real.fstatat = dlsym(RTLD_NEXT, "fstatat");
	real.statx = dlsym(RTLD_NEXT, "statx");
	real.clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
}

/* Map the state file. Raw syscalls: our own open/close interposers are not ready yet. */
static void map_state(void)
{
	const char *path = getenv("SALVAGE_SIM_STATE");
	if (!path || !*path)
		return;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	struct stat st;
	void *p = MAP_FAILED;
	if (real.fstat && real.fstat(fd, &st) == 0 && (size_t)st.st_size >= sizeof(struct sim_header))
		p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	syscall(SYS_close, fd);
	if (p == MAP_FAILED)
		return;
	struct sim_header *h = p;
	if (memcmp(h->magic, SIM_MAGIC, 8) != 0 || h->header_size != sizeof(struct sim_header) || h->sector_size == 0) {
		munmap(p, (size_t)st.st_size);
		return;
	}
	sim = h;
	__atomic_add_fetch(&sim->st_processes, 1, __ATOMIC_RELAXED);
}

static int initialised;         /* 0: not yet, 1: in progress, 2: done */
static __thread int initialising; /* this thread is inside sim_init (dlsym may open files) */

/* Idempotent: interposers call it too, because another library's constructor may call
 * open() before ours has run. A nested call from inside initialisation passes through
 * (`sim` is still NULL then); another thread waits until the real functions are known. */
void sim_init(void)
{
	if (__atomic_load_n(&initialised, __ATOMIC_ACQUIRE) == 2 || initialising)
		return;
	int expected = 0;
	if (!__atomic_compare_exchange_n(&initialised, &expected, 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&initialised, __ATOMIC_ACQUIRE) != 2)
			sched_yield();
		return;
	}
	initialising = 1;
	resolve();
	map_state();
	if (sim)
		sim_adopt_inherited_fds();
	initialising = 0;
	__atomic_store_n(&initialised, 2, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void sim_constructor(void) { sim_init(); }
