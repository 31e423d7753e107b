/* SPDX-License-Identifier: MIT */
/*
 * Checks on a guest image before it is loaded: present, of a format Keel
 * loads (raw binary or zImage), not truncated. Each refusal prints one line
 * naming the partition and what is wrong.
 */
#ifndef KEEL_IMAGE_H
#define KEEL_IMAGE_H

#include <keel/config.h>

/* 0 when img can be loaded; else a negative error (already reported). */
int image_check(const char *vm_name, const char *what, const struct vm_image *img,
		bool is_kernel);

/* CRC-32 (IEEE 802.3, as zlib and gzip compute it). */
uint32_t crc32(const void *data, size_t len);

#endif
