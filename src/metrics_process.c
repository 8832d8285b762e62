/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "loop.h"
#include "metrics_process.h"

static atomic_ullong	requests_ok, requests_error;
static struct timespec	started;

void
metrics_process_init(void)
{
	clock_gettime(CLOCK_REALTIME, &started);
}

double
metrics_process_started(void)
{
	return (double)started.tv_sec + (double)started.tv_nsec / 1e9;
}

void
metrics_count_request(int ok)
{
	atomic_fetch_add_explicit(ok ? &requests_ok : &requests_error, 1,
	    memory_order_relaxed);
}

void
metrics_family(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

/* Fields 14, 15 (utime, stime) and 22 (starttime) of /proc/self/stat, in
 * clock ticks.  The command name in field 2 may hold spaces: skip past its
 * closing parenthesis. */
static int
proc_stat(unsigned long long *cpu, unsigned long long *start)
{
	char			 buf[1024], *p;
	unsigned long long	 ut, st;
	FILE			*f;
	size_t			 n;

	if ((f = fopen("/proc/self/stat", "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 2,
	    "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
	    "%*d %*d %*d %*d %*d %*d %llu", &ut, &st, start) != 3)
		return -1;
	*cpu = ut + st;
	return 0;
}

/* The boot time, for a start time in seconds since the epoch. */
static unsigned long long
boot_time(void)
{
	char			 line[256];
	unsigned long long	 btime = 0;
	FILE			*f;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "btime %llu", &btime) == 1)
			break;
	fclose(f);
	return btime;
}

/*
 * The entries of /proc/self/fd, read in large batches: a daemon holding
 * thousands of connections lists thousands of them each scrape, and
 * nothing about them but their number matters.
 */
static long
open_fds_listed(void)
{
	char			 buf[64 * 1024] __attribute__((aligned(8)));
	const struct dirent64	*e;
	ssize_t			 len, off;
	long			 n = 0;
	int			 fd;

	if ((fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return -1;
	while ((len = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < len; off += e->d_reclen) {
			e = (const struct dirent64 *)(buf + off);
			if (e->d_name[0] != '.')
				n++;
		}
	}
	close(fd);
	return len == -1 ? -1 : n - 1;	/* the directory's own descriptor */
}

/* Since Linux 6.2 the directory's size is the number of descriptors, which
 * spares the kernel a lookup for each; before, the size is 0. */
static long
open_fds(void)
{
	struct stat	st;

	if (stat("/proc/self/fd", &st) == 0 && st.st_size > 0)
		return (long)st.st_size;
	return open_fds_listed();
}

static void
process_memory(struct evbuffer *b)
{
	unsigned long long	 size, resident;
	long			 page = sysconf(_SC_PAGESIZE);
	FILE			*f;

	if ((f = fopen("/proc/self/statm", "r")) == NULL)
		return;
	if (fscanf(f, "%llu %llu", &size, &resident) == 2) {
		metrics_family(b, "process_virtual_memory_bytes", "gauge",
		    "Virtual memory size in bytes.");
		evbuffer_add_printf(b, "process_virtual_memory_bytes %llu\n",
		    size * (unsigned long long)page);
		metrics_family(b, "process_resident_memory_bytes", "gauge",
		    "Resident memory size in bytes.");
		evbuffer_add_printf(b, "process_resident_memory_bytes %llu\n",
		    resident * (unsigned long long)page);
	}
	fclose(f);
}

static void
process_render(struct evbuffer *b)
{
	unsigned long long	 cpu, start;
	long			 tck = sysconf(_SC_CLK_TCK);
	struct rlimit		 rl;

	if (proc_stat(&cpu, &start) == 0 && tck > 0) {
		metrics_family(b, "process_cpu_seconds_total", "counter",
		    "Total user and system CPU time spent in seconds.");
		evbuffer_add_printf(b, "process_cpu_seconds_total %.2f\n",
		    (double)cpu / (double)tck);
		metrics_family(b, "process_start_time_seconds", "gauge",
		    "Start time of the process since unix epoch in seconds.");
		evbuffer_add_printf(b, "process_start_time_seconds %.2f\n",
		    (double)boot_time() + (double)start / (double)tck);
	}
	process_memory(b);
	metrics_family(b, "process_open_fds", "gauge",
	    "Number of open file descriptors.");
	evbuffer_add_printf(b, "process_open_fds %ld\n", open_fds());
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		metrics_family(b, "process_max_fds", "gauge",
		    "Maximum number of open file descriptors.");
		evbuffer_add_printf(b, "process_max_fds %llu\n",
		    (unsigned long long)rl.rlim_cur);
	}
}

void
metrics_process_render(struct evbuffer *b)
{
	metrics_family(b, "wsbench_build_info", "gauge",
	    "Always 1, labelled with the version of wsbenchd.");
	evbuffer_add_printf(b, "wsbench_build_info{version=\"%s\"} 1\n",
	    PACKAGE_VERSION);
	metrics_family(b, "wsbench_start_time_seconds", "gauge",
	    "Start time of the daemon since unix epoch in seconds.");
	evbuffer_add_printf(b, "wsbench_start_time_seconds %lld.%03ld\n",
	    (long long)started.tv_sec, started.tv_nsec / 1000000);
	metrics_family(b, "wsbench_worker_threads", "gauge",
	    "Worker threads holding connections.");
	evbuffer_add_printf(b, "wsbench_worker_threads %d\n", loop_nworkers());
	metrics_family(b, "wsbench_control_requests_total", "counter",
	    "Requests on the control socket, by result.");
	evbuffer_add_printf(b,
	    "wsbench_control_requests_total{result=\"ok\"} %llu\n"
	    "wsbench_control_requests_total{result=\"error\"} %llu\n",
	    (unsigned long long)atomic_load(&requests_ok),
	    (unsigned long long)atomic_load(&requests_error));
	process_render(b);
}
