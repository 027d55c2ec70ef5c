/* Optional trace of every simulated operation, worded like safecopy's simulator so a trace
 * can be compared with the recorded safecopy-golden stderr. Written with write(2) in
 * whole lines' pieces; it is a debugging aid, not a log format. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "sim.h"

static int trace_fd = -2; /* -2: not opened yet, -1: no trace */

static int open_trace(void)
{
	if (!sim || !sim->trace[0])
		return -1;
	if (strcmp(sim->trace, "-") == 0)
		return 2;
	/* salvage created or checked the file (src/sim/trace-file.ts); check again here, since the
	 * name could have been swapped since: no symlink, no creation, a regular file of ours with
	 * a single link. Otherwise no trace. */
	int fd = (int)syscall(SYS_openat, AT_FDCWD, sim->trace, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (syscall(SYS_fstat, fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_nlink != 1) {
		syscall(SYS_close, fd);
		return -1;
	}
	return fd;
}

void sim_trace(const char *fmt, ...)
{
	if (trace_fd == -2)
		trace_fd = open_trace();
	if (trace_fd < 0)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > 0)
		syscall(SYS_write, trace_fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}
