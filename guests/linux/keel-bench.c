// SPDX-License-Identifier: MIT
/*
 * keel-bench: the macro-benchmark workloads tools/bench.sh runs in Debian's
 * Linux, natively on QEMU and in a Keel partition, under -icount shift=0.
 * Each workload does a fixed amount of work and prints the time it took on
 * CLOCK_MONOTONIC (the architected timer: one nanosecond per instruction
 * executed on the board, the hypervisor's included):
 *
 *   keel-bench: <workload> <ns>
 *
 *   cpu        integer work in registers and L1 (no system calls)
 *   forkexec   fork + exec of /bin/true, waited for, N times
 *   memory     touch fresh pages (page faults), then copy between buffers
 *   timer      the cpu loop with a 4 kHz interval timer (SIGALRM) running
 *
 * In a Keel partition with the exit-stats device (`keel,exit-stats`,
 * include/keel/statdev.h; found in /proc/device-tree, mapped through
 * /dev/mem) it also prints where Keel's time went: at its start, every exit
 * since the partition started ("boot"), and for each workload the exits
 * between a snapshot just before its timed part and one just after (the
 * snapshots stay outside the timing):
 *
 *   keel-bench: exits <what> all=<count>/<ns>ns <reason>=<count>/<ns>ns ...
 *   keel-bench: exits-detail <what> <row>=<count>/<ns>ns ...
 *
 * by exit reason (KEEL_EXIT_NAMES), then the rows that refine hvc, smc and
 * dabt as Keel's own stats lines name them (each call, psci, each emulated
 * device, hvc-unknown, dabt-injected); rows without exits are left out, and
 * so are the snapshots' own reads of the device. <ns> is the time Keel spent
 * handling those exits. Without the device it says so once and only times.
 *
 * usage: keel-bench [workload...]   (default: all, in the order above)
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../../include/keel/hypercall.h"
#include "../../include/keel/statdev.h"

#define CPU_ROUNDS    4000000u
#define FORK_ROUNDS   100
#define MEM_BYTES     (16u << 20)
#define MEM_COPIES    4
#define TIMER_HZ      4000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static volatile uint32_t sink;

/* A mixing loop the compiler cannot fold: every round depends on the last. */
static void cpu_work(void)
{
	uint32_t x = 0x12345678u, y = 0x9abcdef0u;

	for (uint32_t i = 0; i < CPU_ROUNDS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		y = y * 1664525u + 1013904223u + (x & 0xff);
	}
	sink = x ^ y;
}

static int forkexec_work(void)
{
	for (int i = 0; i < FORK_ROUNDS; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return -1;
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			return -1;
	}
	return 0;
}

static int memory_work(void)
{
	uint8_t *a = mmap(NULL, MEM_BYTES, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *b = mmap(NULL, MEM_BYTES, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a == MAP_FAILED || b == MAP_FAILED)
		return -1;
	for (uint32_t off = 0; off < MEM_BYTES; off += 4096) {   /* first touch: faults */
		a[off] = (uint8_t)off;
		b[off] = 0;
	}
	for (int i = 0; i < MEM_COPIES; i++)
		memcpy(i & 1 ? a : b, i & 1 ? b : a, MEM_BYTES);
	sink = a[4096] + b[8192];
	munmap(a, MEM_BYTES);
	munmap(b, MEM_BYTES);
	return 0;
}

static volatile uint32_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static int timer_work(void)
{
	struct itimerval it = { { 0, 1000000 / TIMER_HZ }, { 0, 1000000 / TIMER_HZ } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	signal(SIGALRM, on_alarm);
	ticks = 0;
	if (setitimer(ITIMER_REAL, &it, NULL))
		return -1;
	cpu_work();
	setitimer(ITIMER_REAL, &off, NULL);
	return ticks ? 0 : -1;   /* the timer did fire */
}

/* ---- Keel's cost model, through the exit-stats device ---------------- */

#define DT_ROOT "/proc/device-tree"

static volatile uint32_t *statdev;   /* NULL: not in Keel, or no device */
static uint32_t stat_rows, stat_self, stat_freq;
static uint32_t stat_reason[STATDEV_ROWS_MAX];
static char stat_name[STATDEV_ROWS_MAX][STATDEV_NAME_MAX];
static bool refined[KEEL_EXIT_ROWS];   /* the reason has finer rows (calls, devices) */

struct snap {
	uint64_t count[STATDEV_ROWS_MAX], ticks[STATDEV_ROWS_MAX];
};

static uint32_t reg(uint32_t off)
{
	return statdev[off / 4];
}

static uint64_t reg64(uint32_t off)
{
	return reg(off) | (uint64_t)reg(off + 4) << 32;
}

/* A whole DTB property file into buf; its length, or -1. */
static ssize_t read_prop(const char *node, const char *prop, void *buf, size_t size)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), DT_ROOT "/%s/%s", node, prop);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size);
	close(fd);
	return n;
}

static uint64_t be_cells(const uint8_t *p, unsigned cells)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 4 * cells; i++)
		v = v << 8 | p[i];
	return v;
}

/* The device's base address from the DTB (a node under the root), or 0. */
static uint64_t statdev_find(void)
{
	DIR *dir = opendir(DT_ROOT);
	struct dirent *e;
	uint64_t base = 0;
	uint8_t cells[4], regs[16];
	unsigned ac = 2;

	if (!dir)
		return 0;
	if (read_prop(".", "#address-cells", cells, 4) == 4)
		ac = (unsigned)be_cells(cells, 1);
	while (!base && ac >= 1 && ac <= 2 && (e = readdir(dir)) != NULL) {
		char compat[128];
		ssize_t n = read_prop(e->d_name, "compatible", compat, sizeof(compat) - 1);
		bool match = false;

		for (ssize_t at = 0; n > 0 && at < n; at += (ssize_t)strlen(compat + at) + 1) {
			compat[n] = '\0';
			match |= !strcmp(compat + at, "keel,exit-stats");
		}
		if (match && read_prop(e->d_name, "reg", regs, sizeof(regs)) >= (ssize_t)(4 * ac))
			base = be_cells(regs, ac);
	}
	closedir(dir);
	return base;
}

/*
 * Map the device at base, once, for good (NULL, or why not). A snapshot is
 * then only loads and a store, with nothing for the kernel to do: mapping it
 * anew for each one left the kernel freeing the old mapping (after an RCU
 * grace period) inside the next timed part, 18,000 instructions of the cpu
 * workload. Forks leave it out (MADV_DONTFORK), so that forkexec's do the
 * same work as natively: a fork copies a device mapping's page table.
 */
static const char *statdev_map(uint64_t base)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	void *map;

	if (fd < 0)
		return "cannot open /dev/mem";
	map = mmap(NULL, STATDEV_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)base);
	close(fd);   /* the mapping holds the file */
	if (map == MAP_FAILED)
		return "cannot map it through /dev/mem";
	if (madvise(map, STATDEV_SIZE, MADV_DONTFORK)) {
		munmap(map, STATDEV_SIZE);
		return "cannot keep it out of forks (madvise)";
	}
	statdev = map;
	if (reg(STATDEV_ID) != STATDEV_MAGIC || reg(STATDEV_VERSION) != STATDEV_VERSION_1) {
		munmap(map, STATDEV_SIZE);
		statdev = NULL;
		return "it is not a version 1 exit-stats device";
	}
	return NULL;
}

/* Find and map the device and learn its rows; says once why there is no breakdown. */
static void statdev_open(void)
{
	uint64_t base = statdev_find();
	const char *why = base ? statdev_map(base)
			       : "no keel,exit-stats node in " DT_ROOT " (not in a Keel "
				 "partition with keel,exit-stats)";

	if (why) {
		printf("keel-bench: no exit breakdown: %s\n", why);
		return;
	}
	stat_rows = reg(STATDEV_ROWS);
	stat_rows = stat_rows < STATDEV_ROWS_MAX ? stat_rows : STATDEV_ROWS_MAX;
	stat_self = reg(STATDEV_SELF);
	stat_freq = reg(STATDEV_FREQ);
	for (uint32_t i = 0; i < stat_rows; i++) {
		stat_reason[i] = reg(STATDEV_ROW(i) + STATDEV_REASON);
		for (uint32_t k = 0; k < STATDEV_NAME_MAX; k += 4) {
			uint32_t w = reg(STATDEV_ROW(i) + STATDEV_NAME + k);

			memcpy(&stat_name[i][k], &w, 4);   /* little-endian, as the device */
		}
		stat_name[i][STATDEV_NAME_MAX - 1] = '\0';
		if (i >= KEEL_EXIT_ROWS && stat_reason[i] < KEEL_EXIT_ROWS)
			refined[stat_reason[i]] = true;
	}
}

/* The partition's counters now (all its vCPUs); read again if another latch came in between. */
static void snapshot(struct snap *s)
{
	uint32_t seq;

	do {
		statdev[STATDEV_LATCH / 4] = STATDEV_SCOPE_PARTITION;
		seq = reg(STATDEV_SEQ);
		for (uint32_t i = 0; i < stat_rows; i++) {
			s->count[i] = reg64(STATDEV_ROW(i) + STATDEV_COUNT_LO);
			s->ticks[i] = reg64(STATDEV_ROW(i) + STATDEV_TICKS_LO);
		}
	} while (reg(STATDEV_SEQ) != seq);
}

static uint64_t ticks_ns(uint64_t t)
{
	return stat_freq ? t / stat_freq * 1000000000u + t % stat_freq * 1000000000u / stat_freq
			 : 0;
}

/* " name=count/<ns>ns" appended to line (n characters so far). */
static int cell(char *line, int n, size_t size, const char *name, uint64_t count,
		uint64_t ticks)
{
	if (n < 0 || (size_t)n >= size)
		return n;
	return n + snprintf(line + n, size - (size_t)n, " %s=%llu/%lluns", name,
			    (unsigned long long)count, (unsigned long long)ticks_ns(ticks));
}

/* The exits between a and b (a NULL: since the partition started), two lines. */
static void print_exits(const char *what, const struct snap *a, const struct snap *b)
{
	static const char *const reasons[KEEL_EXIT_ROWS] = { KEEL_EXIT_NAMES };
	uint64_t count[KEEL_EXIT_ROWS] = { 0 }, ticks[KEEL_EXIT_ROWS] = { 0 }, all_n = 0, all_t = 0;
	char line[2048] = "";
	int n = 0;

	for (uint32_t i = 0; i < stat_rows; i++) {
		uint32_t r = stat_reason[i];

		if (i == stat_self || r >= KEEL_EXIT_ROWS)
			continue;
		count[r] += b->count[i] - (a ? a->count[i] : 0);
		ticks[r] += b->ticks[i] - (a ? a->ticks[i] : 0);
	}
	for (uint32_t r = 0; r < KEEL_EXIT_ROWS; r++) {
		all_n += count[r];
		all_t += ticks[r];
	}
	n = cell(line, n, sizeof(line), "all", all_n, all_t);
	for (uint32_t r = 0; r < KEEL_EXIT_ROWS; r++)
		if (count[r])
			n = cell(line, n, sizeof(line), reasons[r], count[r], ticks[r]);
	printf("keel-bench: exits %s%s\n", what, line);
	n = 0;
	line[0] = '\0';
	for (uint32_t i = 0; i < stat_rows; i++) {
		uint64_t c = b->count[i] - (a ? a->count[i] : 0);
		uint32_t r = stat_reason[i];

		if (c && i != stat_self && r < KEEL_EXIT_ROWS && refined[r])
			n = cell(line, n, sizeof(line), stat_name[i], c,
				 b->ticks[i] - (a ? a->ticks[i] : 0));
	}
	printf("keel-bench: exits-detail %s%s\n", what, line);
}

/* ---- the workloads ------------------------------------------------------- */

struct workload {
	const char *name;
	int (*run)(void);
};

static int cpu_run(void)
{
	cpu_work();
	return 0;
}

static const struct workload workloads[] = {
	{ "cpu", cpu_run }, { "forkexec", forkexec_work },
	{ "memory", memory_work }, { "timer", timer_work },
};

/* One workload, timed; with the device, a snapshot on either side of the timing. */
static int run(const struct workload *w)
{
	static struct snap before, after;
	uint64_t t0, t;
	int r;

	if (statdev)
		snapshot(&before);
	t0 = now_ns();
	r = w->run();
	t = now_ns() - t0;
	if (statdev)
		snapshot(&after);

	if (r) {
		printf("keel-bench: %s FAILED\n", w->name);
		return 1;
	}
	printf("keel-bench: %s %llu\n", w->name, (unsigned long long)t);
	if (statdev)
		print_exits(w->name, &before, &after);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	size_t n = sizeof(workloads) / sizeof(workloads[0]);
	static struct snap boot;

	statdev_open();
	if (statdev) {
		snapshot(&boot);
		print_exits("boot", NULL, &boot);
	}
	fflush(stdout);
	if (argc < 2) {
		for (size_t i = 0; i < n; i++)
			bad |= run(&workloads[i]);
		return bad;
	}
	for (int a = 1; a < argc; a++) {
		size_t i;

		for (i = 0; i < n && strcmp(argv[a], workloads[i].name); i++)
			;
		if (i == n) {
			fprintf(stderr, "keel-bench: no workload '%s'\n", argv[a]);
			return 2;
		}
		bad |= run(&workloads[i]);
	}
	return bad;
}
