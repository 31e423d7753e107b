/* SPDX-License-Identifier: MIT */
/*
 * keel-chan: use a Keel channel from Linux user space, through the UIO
 * device that keel_channel.ko makes of it (docs/channels-linux.md).
 *
 *   keel-chan LABEL info          device, channel id, shared size, peer state
 *   keel-chan LABEL notify        ring the peer once
 *   keel-chan LABEL wait [MS]     block until the peer rings (default: forever)
 *   keel-chan LABEL ping ROUNDS   play ping against a pong peer
 *   keel-chan LABEL pong ROUNDS   play pong against a ping peer
 *   keel-chan list                every channel: device and label
 *
 * LABEL is the channel's name in Keel's config (the DT node's `label`, which
 * the driver makes the UIO device's name). The channel is /dev/uioN whose
 * /sys/class/uio/uioN/name is LABEL; map0 (the shared memory) is mmap'ed at
 * offset 0, map1 (the doorbell page) at offset 1 * page size. A ring from
 * the peer makes read() of /dev/uioN return (the 32-bit event count).
 *
 * ping and pong speak the wire format of the bare-metal guests/chan_ping.c,
 * so either end can be Linux or bare metal. The shared memory holds two
 * 2048-byte slots: the message (ping -> pong) at offset 0, the reply at 2048.
 * A slot: header (message: round i = 1, 2, ...; reply: i | 0x80000000),
 * length, checksum (c = c * 31 + byte over the payload), 0, then the
 * payload. Round i's message is 1 + (i * 97) % 2032 bytes,
 * b[j] = (i * 7 + j) & 0xff; the reply has each byte + 1. The writer fills
 * the rest of the slot, then (after a barrier) the header, then rings; the
 * reader waits for the header it expects (a ring only says "look now").
 * User space cannot make hypercalls: this end always rings by a store to
 * the doorbell's NOTIFY register.
 *
 * Prints "chan: <role> round N ok" every 10 rounds and "chan: <role> done,
 * N rounds, data checked" (exit 0), or "chan: FAIL ..." (exit 1) on any
 * mismatch or a wait of more than 5 s (KEEL_CHAN_WAIT_MS overrides) for
 * the next message. Exit 2: bad arguments or no such channel.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "../lib/chan_wire.h"

#define DB_NOTIFY	0x00
#define DB_CHANNEL_ID	0x04
#define DB_SHM_SIZE	0x08
#define DB_PEER_ALIVE	0x0c
#define DB_SIZE		0x1000

#define WAIT_MS		5000

#define SYS_UIO		"/sys/class/uio"

#define NAME_MAX_	256		/* a directory entry's name, with its NUL */
#define PATH_LEN	(sizeof(SYS_UIO) + 2 * NAME_MAX_ + 32)

struct chan {
	char dev[NAME_MAX_ + 8];	/* /dev/uioN */
	int fd;
	volatile uint8_t *shm;
	size_t shm_size;		/* map0's size */
	volatile uint32_t *bell;
};

static const char *role = "chan";

static __attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	va_list ap;

	printf("chan: FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "keel-chan: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

/* Barriers: the other end runs on another CPU, in another partition. */
static inline void barrier_full(void)
{
#if defined(__arm__)
	__asm__ volatile("dsb sy" ::: "memory");
#else
	__sync_synchronize();
#endif
}

/* First line of a sysfs file, without its newline; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* A UIO device of keel_channel.ko: it has a "shm" map0 and a "doorbell" map1. */
static bool is_keel_channel(const char *uio)
{
	char path[PATH_LEN], name[64];

	snprintf(path, sizeof(path), SYS_UIO "/%s/maps/map1/name", uio);
	return read_line(path, name, sizeof(name)) && strcmp(name, "doorbell") == 0;
}

/* The uioN whose name is label, into uio (size len); false if none. */
static bool find_uio(const char *label, char *uio, size_t len)
{
	DIR *d = opendir(SYS_UIO);
	struct dirent *e;
	char path[PATH_LEN], name[NAME_MAX_];
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "uio", 3) != 0)
			continue;
		snprintf(path, sizeof(path), SYS_UIO "/%s/name", e->d_name);
		if (read_line(path, name, sizeof(name)) && strcmp(name, label) == 0 &&
		    is_keel_channel(e->d_name)) {
			snprintf(uio, len, "%s", e->d_name);
			found = true;
		}
	}
	closedir(d);
	return found;
}

static unsigned long map_size(const char *uio, int n)
{
	char path[PATH_LEN], buf[64];

	snprintf(path, sizeof(path), SYS_UIO "/%s/maps/map%d/size", uio, n);
	if (!read_line(path, buf, sizeof(buf)))
		die("cannot read %s", path);
	return strtoul(buf, NULL, 0);
}

static void chan_open(struct chan *c, const char *label)
{
	char uio[NAME_MAX_];
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	if (!find_uio(label, uio, sizeof(uio)))
		die("no channel '%s' (no %s/uio*/name says so; is keel_channel.ko loaded?)",
		    label, SYS_UIO);
	snprintf(c->dev, sizeof(c->dev), "/dev/%s", uio);
	c->shm_size = map_size(uio, 0);
	if (map_size(uio, 1) < DB_SIZE)
		die("%s: doorbell map smaller than %u bytes", c->dev, DB_SIZE);
	/* Opened before anything is looked at: no ring after this is missed. */
	c->fd = open(c->dev, O_RDWR | O_CLOEXEC);
	if (c->fd < 0)
		die("cannot open %s: %s", c->dev, strerror(errno));
	p = mmap(NULL, c->shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0 * page);
	if (p == MAP_FAILED)
		die("%s: cannot map the shared memory (map0): %s", c->dev, strerror(errno));
	c->shm = p;
	p = mmap(NULL, DB_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 1 * page);
	if (p == MAP_FAILED)
		die("%s: cannot map the doorbell (map1): %s", c->dev, strerror(errno));
	c->bell = p;
}

static uint32_t bell_read(const struct chan *c, unsigned off)
{
	return c->bell[off / 4];
}

/* Ring the peer: everything written before is visible to it first. */
static void ring(const struct chan *c, uint32_t value)
{
	barrier_full();
	c->bell[DB_NOTIFY / 4] = value;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for a ring until deadline (ms, CLOCK_MONOTONIC; < 0: none). Returns
 * the event count, or -1 on timeout. */
static long long wait_ring(const struct chan *c, long long deadline)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	uint32_t count;

	for (;;) {
		int left = -1, r;

		if (deadline >= 0) {
			long long d = deadline - now_ms();

			if (d <= 0)
				return -1;
			left = d > 1000000 ? 1000000 : (int)d;
		}
		r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll %s: %s", c->dev, strerror(errno));
		if (r == 0)
			continue;   /* the deadline is checked above */
		if (read(c->fd, &count, sizeof(count)) != (ssize_t)sizeof(count))
			die("read %s: %s", c->dev, strerror(errno));
		return count;
	}
}

/* ---- the ping-pong wire format (guests/chan_ping.c) --------------------- */

static volatile uint32_t *word(const struct chan *c, uint32_t slot, uint32_t off)
{
	return chan_wire_word(c->shm, slot, off);
}

/* Wait until slot's header reads want: look, then sleep until the next ring. */
static void wait_header(const struct chan *c, uint32_t slot, uint32_t want,
			uint32_t round, int wait_ms)
{
	long long deadline = now_ms() + wait_ms;

	while (*word(c, slot, 0) != want) {
		if (wait_ring(c, deadline) < 0 && *word(c, slot, 0) != want)
			fail("%s round %u: no message in %d ms (header %08x, want %08x)",
			     role, round, wait_ms, *word(c, slot, 0), want);
	}
	chan_wire_barrier();   /* the header before the rest */
}

/* Check the slot holds round i's message (reply: its answer). */
static void check(const struct chan *c, uint32_t slot, uint32_t i, bool reply)
{
	struct chan_wire_result r = chan_wire_check(c->shm, slot, i, reply);

	if (r.error == CHAN_WIRE_LENGTH)
		fail("%s round %u: length %u, want %u", role, i, r.got, r.want);
	if (r.error == CHAN_WIRE_BYTE)
		fail("%s round %u: byte %u is %02x, want %02x", role, i, r.index, r.got, r.want);
	if (r.error == CHAN_WIRE_CHECKSUM)
		fail("%s round %u: checksum %08x, computed %08x", role, i, r.got, r.want);
}

static int play(const struct chan *c, bool ping, uint32_t rounds)
{
	const char *env = getenv("KEEL_CHAN_WAIT_MS");
	int wait_ms = env && atoi(env) > 0 ? atoi(env) : WAIT_MS;

	role = ping ? "ping" : "pong";
	printf("chan: %s on channel %u (%s), %u bytes shared, peer %s\n", role,
	       bell_read(c, DB_CHANNEL_ID), c->dev, bell_read(c, DB_SHM_SIZE),
	       bell_read(c, DB_PEER_ALIVE) ? "alive" : "not running");
	fflush(stdout);
	if (c->shm_size < 2 * SLOT_SIZE)
		fail("shared memory of %zu bytes, need %u", c->shm_size, 2 * SLOT_SIZE);
	for (uint32_t i = 1; i <= rounds; i++) {
		if (ping) {
			*word(c, SLOT_PONG, 0) = 0;
			chan_wire_put(c->shm, SLOT_PING, i, false);
			ring(c, i);
			wait_header(c, SLOT_PONG, i | HDR_REPLY, i, wait_ms);
			check(c, SLOT_PONG, i, true);
		} else {
			wait_header(c, SLOT_PING, i, i, wait_ms);
			check(c, SLOT_PING, i, false);
			chan_wire_put(c->shm, SLOT_PONG, i, true);
			ring(c, i);
		}
		if (i % 10 == 0) {
			printf("chan: %s round %u ok\n", role, i);
			fflush(stdout);
		}
	}
	printf("chan: %s done, %u rounds, data checked\n", role, rounds);
	return 0;
}

/* ---- commands ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: keel-chan LABEL info          the channel: device, id, size, peer state\n"
		"       keel-chan LABEL notify        ring the peer\n"
		"       keel-chan LABEL wait [MS]     wait for the peer to ring (exit 1 on timeout)\n"
		"       keel-chan LABEL ping ROUNDS   ping-pong with a pong peer (guests/chan_ping.c format)\n"
		"       keel-chan LABEL pong ROUNDS   ping-pong with a ping peer\n"
		"       keel-chan list                every channel (needs keel_channel.ko)\n");
}

static uint32_t number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || v > 0x7fffffffu)
		die("bad %s '%s'", what, s);
	return (uint32_t)v;
}

static int list(void)
{
	DIR *d = opendir(SYS_UIO);
	struct dirent *e;
	char path[PATH_LEN], name[NAME_MAX_];
	int n = 0;

	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, "uio", 3) != 0 || !is_keel_channel(e->d_name))
				continue;
			snprintf(path, sizeof(path), SYS_UIO "/%s/name", e->d_name);
			if (read_line(path, name, sizeof(name))) {
				printf("/dev/%s %s\n", e->d_name, name);
				n++;
			}
		}
		closedir(d);
	}
	if (n == 0)
		fprintf(stderr, "keel-chan: no channels (is keel_channel.ko loaded?)\n");
	return n ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct chan c;
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "list"))
		return list();
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	cmd = argv[2];
	if (!strcmp(cmd, "info") && argc == 3) {
		chan_open(&c, argv[1]);
		printf("label: %s\ndevice: %s\nid: %u\nsize: %u\npeer-alive: %u\n",
		       argv[1], c.dev, bell_read(&c, DB_CHANNEL_ID),
		       bell_read(&c, DB_SHM_SIZE), bell_read(&c, DB_PEER_ALIVE));
		return 0;
	}
	if (!strcmp(cmd, "notify") && argc == 3) {
		chan_open(&c, argv[1]);
		ring(&c, 1);
		return 0;
	}
	if (!strcmp(cmd, "wait") && (argc == 3 || argc == 4)) {
		long long deadline = -1, n;

		if (argc == 4)
			deadline = now_ms() + number(argv[3], "timeout");
		chan_open(&c, argv[1]);
		n = wait_ring(&c, deadline);
		if (n < 0) {
			printf("keel-chan: %s: no ring in %s ms\n", argv[1], argv[3]);
			return 1;
		}
		printf("keel-chan: %s: rung (event %lld)\n", argv[1], n);
		return 0;
	}
	if ((!strcmp(cmd, "ping") || !strcmp(cmd, "pong")) && argc == 4) {
		uint32_t rounds = number(argv[3], "ROUNDS");

		if (rounds == 0)
			die("ROUNDS must be at least 1");
		chan_open(&c, argv[1]);
		return play(&c, !strcmp(cmd, "ping"), rounds);
	}
	usage(stderr);
	return 2;
}
