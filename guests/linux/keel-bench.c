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
 * usage: keel-bench [workload...]   (default: all, in the order above)
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

static int run(const struct workload *w)
{
	uint64_t t0 = now_ns();
	int r = w->run();
	uint64_t t = now_ns() - t0;

	if (r) {
		printf("keel-bench: %s FAILED\n", w->name);
		return 1;
	}
	printf("keel-bench: %s %llu\n", w->name, (unsigned long long)t);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;
	size_t n = sizeof(workloads) / sizeof(workloads[0]);

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
