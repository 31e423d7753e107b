/* SPDX-License-Identifier: MIT */
/*
 * The ping-pong wire format over a Keel channel (docs/channels.md), shared
 * by the bare-metal guests/chan_ping.c and Linux's guests/linux/keel-chan.c
 * so that the two ends cannot drift apart. Two 2048-byte slots in the
 * shared memory: the message (ping -> pong) at 0, the reply at 2048. A slot:
 * +0x0 header (round i; a reply i | 0x80000000), +0x4 length, +0x8 checksum
 * (c = c * 31 + byte over the payload), +0xc 0, +0x10 payload. Round i's
 * message is 1 + (i * 97) % 2032 bytes, b[j] = (i * 7 + j) & 0xff; the reply
 * has each byte + 1. The writer fills the slot, then (after a barrier) the
 * header; the reader waits for the header, then (after a barrier) reads.
 * Plain C with no library: it builds in both worlds.
 */
#ifndef CHAN_WIRE_H
#define CHAN_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#define SLOT_PING	0u
#define SLOT_PONG	2048u
#define SLOT_SIZE	2048u
#define HDR_REPLY	0x80000000u
#define PAYLOAD_OFF	0x10u
#define PAYLOAD_MAX	(SLOT_SIZE - PAYLOAD_OFF)

/* What chan_wire_check() found wrong (CHAN_WIRE_OK: nothing). */
enum chan_wire_error { CHAN_WIRE_OK, CHAN_WIRE_LENGTH, CHAN_WIRE_BYTE, CHAN_WIRE_CHECKSUM };

struct chan_wire_result {
	enum chan_wire_error error;
	uint32_t index;        /* CHAN_WIRE_BYTE: which byte */
	uint32_t got, want;
};

static inline void chan_wire_barrier(void)
{
#if defined(__arm__)
	__asm__ volatile("dmb" ::: "memory");
#else
	__sync_synchronize();
#endif
}

static inline volatile uint32_t *chan_wire_word(volatile uint8_t *shm, uint32_t slot, uint32_t off)
{
	return (volatile uint32_t *)(shm + slot + off);
}

static inline uint32_t chan_wire_len(uint32_t i)
{
	return 1 + (i * 97) % PAYLOAD_MAX;
}

/* Byte j of round i's message, or of its reply. */
static inline uint8_t chan_wire_byte(uint32_t i, uint32_t j, bool reply)
{
	return (uint8_t)(i * 7 + j + (reply ? 1 : 0));
}

/* Fill slot with round i's message (reply: its answer), header last. */
static inline void chan_wire_put(volatile uint8_t *shm, uint32_t slot, uint32_t i, bool reply)
{
	uint32_t len = chan_wire_len(i), sum = 0;
	volatile uint8_t *b = shm + slot + PAYLOAD_OFF;

	for (uint32_t j = 0; j < len; j++) {
		uint8_t v = chan_wire_byte(i, j, reply);

		b[j] = v;
		sum = sum * 31 + v;
	}
	*chan_wire_word(shm, slot, 4) = len;
	*chan_wire_word(shm, slot, 8) = sum;
	*chan_wire_word(shm, slot, 12) = 0;
	chan_wire_barrier();
	*chan_wire_word(shm, slot, 0) = reply ? (i | HDR_REPLY) : i;
}

/* Whether slot holds round i's message (reply: its answer), every byte checked. */
static inline struct chan_wire_result chan_wire_check(volatile uint8_t *shm, uint32_t slot,
						      uint32_t i, bool reply)
{
	uint32_t len = *chan_wire_word(shm, slot, 4), sum = 0;
	uint32_t want_sum = *chan_wire_word(shm, slot, 8);
	volatile uint8_t *b = shm + slot + PAYLOAD_OFF;

	if (len != chan_wire_len(i))
		return (struct chan_wire_result){ CHAN_WIRE_LENGTH, 0, len, chan_wire_len(i) };
	for (uint32_t j = 0; j < len; j++) {
		uint8_t want = chan_wire_byte(i, j, reply);

		if (b[j] != want)
			return (struct chan_wire_result){ CHAN_WIRE_BYTE, j, b[j], want };
		sum = sum * 31 + b[j];
	}
	if (sum != want_sum)
		return (struct chan_wire_result){ CHAN_WIRE_CHECKSUM, 0, want_sum, sum };
	return (struct chan_wire_result){ CHAN_WIRE_OK, 0, 0, 0 };
}

#endif
