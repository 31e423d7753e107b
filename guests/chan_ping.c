/* SPDX-License-Identifier: MIT */
/*
 * chan_ping: the bare-metal end of a Keel channel (shared memory plus a
 * doorbell whose ring is the peer's interrupt), playing ping or pong for
 * `rounds` rounds (bootargs role=ping|role=pong, rounds=N, default 100). It
 * uses the partition's first channel: shared memory at IPA 0x0c000000,
 * doorbell page at 0x0c100000, INTID 144.
 *
 * Wire format (what a Linux peer must speak too). The shared memory (at
 * least 4 KiB) holds two 2048-byte slots:
 *   offset    0: the message, ping -> pong
 *   offset 2048: the reply,   pong -> ping
 * Each slot, little-endian 32-bit words:
 *   +0x00 header    message: the round number i (1, 2, ... rounds)
 *                   reply:   i | 0x80000000
 *   +0x04 length    payload bytes, 1..2032
 *   +0x08 checksum  over the payload bytes b[0..length): c = 0, then for
 *                   each byte c = c * 31 + b (mod 2^32)
 *   +0x0c reserved  0
 *   +0x10 payload   length bytes
 * Round i's message: length = 1 + (i * 97) % 2032, b[j] = (i * 7 + j) & 0xff.
 * The reply has the same length, b[j] + 1 (mod 256) for every byte, and the
 * checksum of those bytes. A writer fills length, checksum and payload,
 * then (after a barrier) the header, then rings the peer. A reader waits
 * until the header is the one it expects (the interrupt only says "look
 * now"), then (after a barrier) reads the rest. So a ring that arrives
 * before the reader is listening is not lost: it finds the header already
 * there. Ping clears the reply header before sending round i.
 *
 * A ring is either KEEL_HC_CHANNEL_NOTIFY with the channel's id (from the
 * doorbell page's CHANNEL_ID) or a store to the doorbell's NOTIFY register:
 * both ends use the hypercall on odd rounds and the store on even ones.
 *
 * Output: "chan: foreign channel refused" (NOTIFY on channel 7, not ours,
 * must return -3), "chan: <role> round N ok" every 10 rounds,
 * "chan: <role> done, N rounds, data checked", exit 0; "chan: FAIL ..." and
 * exit 1 on any mismatch or a 5 s wait without the expected message (the
 * first message: first-wait-s=, for a peer that boots Linux first).
 */
#include <stdarg.h>
#include "guest.h"
#include "gic.h"
#include "timer.h"
#include "bootargs.h"
#include "chan_wire.h"

#ifndef KEEL_HC_CHANNEL_NOTIFY
#define KEEL_HC_CHANNEL_NOTIFY	(KEEL_HC_BASE + 4)
#endif

#define SHM_BASE	0x0c000000u
#define DOORBELL	0x0c100000u
#define DB_NOTIFY	0x00
#define DB_CHANNEL_ID	0x04
#define DB_SHM_SIZE	0x08
#define DB_PEER_ALIVE	0x0c
#define CHAN_IRQ	144

#define WAIT_US		5000000u
#define FOREIGN_ID	7

static uint32_t chan_id;
static uint64_t wait_ticks, first_wait_ticks;
static uint32_t first_wait_s;

static volatile uint32_t *word(uint32_t slot, uint32_t off)
{
	return chan_wire_word((volatile uint8_t *)SHM_BASE, slot, off);
}

static __attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...)
{
	va_list ap;

	printf("chan: FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	guest_exit(1);
}

/* The channel's interrupt, and the timer that ends a wait too long. */
static void irq_setup(void)
{
	gic_enable_edge_spi(CHAN_IRQ);
	gic_enable(VTIMER_IRQ);
}

static void ring(uint32_t round)
{
	int32_t r;

	__asm__ volatile("dsb" ::: "memory");   /* the slot is written before the ring */
	if (round & 1) {
		r = hvc_call(KEEL_HC_CHANNEL_NOTIFY, chan_id, 0, 0);
		if (r != 0)
			fail("notify hypercall on channel %u returned %d (round %u)",
			     chan_id, (int)r, round);
	} else {
		mmio_write32(DOORBELL + DB_NOTIFY, round);
	}
}

/* Sleep until slot's header reads want; the channel interrupt wakes us up,
 * the virtual timer ends a wait that took too long. IRQs stay masked. */
static void wait_header(uint32_t slot, uint32_t want, uint32_t round)
{
	/* A Linux peer needs its boot before round 1: first-wait-s= allows for it. */
	vtimer_at(cntvct() + (round == 1 ? first_wait_ticks : wait_ticks));
	while (*word(slot, 0) != want) {
		uint32_t iar = gic_ack(), id = iar & 0x3ff;

		if (id == IRQ_SPURIOUS) {
			__asm__ volatile("wfi");
			continue;
		}
		if (id == VTIMER_IRQ)
			vtimer_stop();
		gic_eoi(iar);
		if (id == VTIMER_IRQ && *word(slot, 0) != want)
			fail("round %u: no message in %u s (header %08x, want %08x)",
			     round, round == 1 ? first_wait_s : WAIT_US / 1000000u,
			     *word(slot, 0), want);
	}
	vtimer_stop();
	chan_wire_barrier();   /* header before the rest */
}

/* Check the slot holds round i's message (reply: its answer). */
static void check(uint32_t slot, uint32_t i, bool reply)
{
	struct chan_wire_result r = chan_wire_check((volatile uint8_t *)SHM_BASE, slot, i, reply);

	if (r.error == CHAN_WIRE_LENGTH)
		fail("round %u: length %u, want %u", i, r.got, r.want);
	if (r.error == CHAN_WIRE_BYTE)
		fail("round %u: byte %u is %02x, want %02x", i, r.index, r.got, r.want);
	if (r.error == CHAN_WIRE_CHECKSUM)
		fail("round %u: checksum %08x, computed %08x", i, r.got, r.want);
}

static void put(uint32_t slot, uint32_t i, bool reply)
{
	chan_wire_put((volatile uint8_t *)SHM_BASE, slot, i, reply);
}

int main(void)
{
	uint32_t rounds = bootarg_u32("rounds", 100), shm_size;
	bool ping = bootarg_is("role", "ping");
	const char *role = ping ? "ping" : "pong";
	int32_t r;

	if (!ping && !bootarg_is("role", "pong"))
		fail("bootargs need role=ping or role=pong");
	wait_ticks = us_to_ticks(WAIT_US, cntfrq());
	first_wait_s = bootarg_u32("first-wait-s", WAIT_US / 1000000u);
	if (first_wait_s > 600)
		first_wait_s = 600;
	first_wait_ticks = us_to_ticks(first_wait_s * 1000000u, cntfrq());
	chan_id = mmio_read32(DOORBELL + DB_CHANNEL_ID);
	shm_size = mmio_read32(DOORBELL + DB_SHM_SIZE);
	printf("chan: %s on channel %u, %u bytes shared, peer %s\n", role, chan_id,
	       shm_size, mmio_read32(DOORBELL + DB_PEER_ALIVE) ? "alive" : "not running");
	if (shm_size < 2 * SLOT_SIZE)
		fail("shared memory of %u bytes, need %u", shm_size, 2 * SLOT_SIZE);

	r = hvc_call(KEEL_HC_CHANNEL_NOTIFY, FOREIGN_ID, 0, 0);
	if (r != KEEL_HC_EINVAL)
		fail("notify on channel %u returned %d, want -3", FOREIGN_ID, (int)r);
	printf("chan: foreign channel refused\n");

	irq_setup();   /* before looking at the slots: no ring goes unseen */
	for (uint32_t i = 1; i <= rounds; i++) {
		if (ping) {
			*word(SLOT_PONG, 0) = 0;
			put(SLOT_PING, i, false);
			ring(i);
			wait_header(SLOT_PONG, i | HDR_REPLY, i);
			check(SLOT_PONG, i, true);
		} else {
			wait_header(SLOT_PING, i, i);
			check(SLOT_PING, i, false);
			put(SLOT_PONG, i, true);
			ring(i);
		}
		if (i % 10 == 0)
			printf("chan: %s round %u ok\n", role, i);
	}
	printf("chan: %s done, %u rounds, data checked\n", role, rounds);
	return 0;
}
