/* SPDX-License-Identifier: MIT */
/*
 * Guest image checks. A kernel is a raw binary entered at its first byte, or
 * a Linux zImage (which is a raw binary too, with a header saying how long it
 * is, so a truncated one can be caught). Formats Keel does not load (ELF,
 * U-Boot uImage, gzip) are named in the error so the user knows what to do.
 */
#include <string.h>
#include <keel/console.h>
#include <keel/errno.h>
#include <keel/image.h>

#define ZIMAGE_MAGIC_OFF 0x24
#define ZIMAGE_MAGIC     0x016f2818u
#define UIMAGE_MAGIC_BE  0x56190527u   /* 0x27051956 read little-endian */

static uint32_t le32_at(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int image_check(const char *vm_name, const char *what, const struct vm_image *img,
		bool is_kernel)
{
	const uint8_t *p = img->data;

	if (!img->data || !img->size) {
		printk("keel: partition '%s': no %s\n", vm_name, what);
		return -KEEL_ENOENT;
	}
	if (!is_kernel)
		return 0;
	if (img->size >= 4 && !memcmp(p, "\177ELF", 4)) {
		printk("keel: partition '%s': %s is an ELF file; give a raw binary "
		       "(objcopy -O binary) or a zImage\n", vm_name, what);
		return -KEEL_ENOTSUP;
	}
	if (img->size >= 4 && le32_at(p) == UIMAGE_MAGIC_BE) {
		printk("keel: partition '%s': %s is a U-Boot uImage; give the zImage inside it\n",
		       vm_name, what);
		return -KEEL_ENOTSUP;
	}
	if (img->size >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		printk("keel: partition '%s': %s is gzip-compressed; give the uncompressed "
		       "image or a zImage\n", vm_name, what);
		return -KEEL_ENOTSUP;
	}
	if (img->size >= 0x30 && le32_at(p + ZIMAGE_MAGIC_OFF) == ZIMAGE_MAGIC) {
		uint32_t start = le32_at(p + 0x28), end = le32_at(p + 0x2c);

		if (end <= start || end - start > img->size) {
			printk("keel: partition '%s': %s is a truncated or corrupt zImage "
			       "(%u bytes, its header says %u)\n", vm_name, what, img->size,
			       end - start);
			return -KEEL_ECORRUPT;
		}
	}
	return 0;
}

static uint32_t crc_table[256];

static void crc_table_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
		crc_table[n] = c;
	}
}

uint32_t crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

	if (!crc_table[1])
		crc_table_init();
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
