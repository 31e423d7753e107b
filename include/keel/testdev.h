/* SPDX-License-Identifier: MIT */
/*
 * The emulated test device ("keel,test-device"): a register file that test
 * guests read and write with every load/store form, so that the MMIO path
 * (syndrome or instruction decoder) can be checked value by value.
 *
 *   0x000-0x0ff  DATA: 256 bytes of scratch; any aligned access of 1, 2 or
 *                4 bytes reads back what was written (little-endian).
 *   0x100        LAST (read-only): describes the access before this one:
 *                bits 7:0 size in bytes, bit 8 write, bits 27:16 offset.
 *   0x104        COUNT (read-only): number of accesses so far (this read
 *                not counted).
 *   0x108        RESET (write): any value clears DATA, LAST and COUNT.
 * Reads of anything else return 0; writes elsewhere are ignored.
 */
#ifndef KEEL_TESTDEV_H
#define KEEL_TESTDEV_H

#define TESTDEV_BASE        0x0b000000u  /* guest IPA, free on QEMU virt */
#define TESTDEV_SIZE        0x1000u
#define TESTDEV_DATA        0x000u
#define TESTDEV_DATA_SIZE   0x100u
#define TESTDEV_LAST        0x100u
#define TESTDEV_COUNT       0x104u
#define TESTDEV_RESET       0x108u

#define TESTDEV_LAST_SIZE(v)   ((v) & 0xffu)
#define TESTDEV_LAST_WRITE(v)  (((v) >> 8) & 1u)
#define TESTDEV_LAST_OFFSET(v) (((v) >> 16) & 0xfffu)

#endif
