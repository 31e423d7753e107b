/* SPDX-License-Identifier: MIT */
/*
 * A reference CRC-32 for tests that build bundles (images carry their CRC):
 * reflected, polynomial 0x04c11db7, one bit at a time, independent of
 * core/image.c's table-driven one.
 */
#ifndef UNIT_REF_CRC32_H
#define UNIT_REF_CRC32_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t ref_crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc & 1) ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return crc ^ 0xffffffffu;
}

#endif
