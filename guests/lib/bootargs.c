/* SPDX-License-Identifier: MIT */
/*
 * bootargs and keel,restart-count from /chosen of the guest's DTB, with a
 * walker just big enough for that: the structure block's top-level "chosen"
 * node only. The DTB is read a byte at a time (big-endian, and with the MMU
 * off every access must be aligned). Each answer is looked up again, which is
 * cheap next to printing it.
 */
#include "bootargs.h"
#include "guest.h"

#define FDT_MAGIC	0xd00dfeedu
#define FDT_BEGIN_NODE	1u
#define FDT_END_NODE	2u
#define FDT_PROP	3u
#define FDT_NOP		4u
#define FDT_MAX_SIZE	0x400000u	/* sanity bound; Keel's are far smaller */

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static unsigned str_len(const char *s, unsigned max)
{
	unsigned n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* /chosen/<name>: its value and length, or NULL. */
static const uint8_t *chosen_prop(const char *name, uint32_t *len)
{
	const uint8_t *fdt = (const uint8_t *)guest_dtb, *p, *end;
	const char *strings;
	uint32_t size, off_struct, off_strings, size_struct;
	unsigned depth = 0;
	bool in_chosen = false;

	if (guest_dtb < GUEST_RAM_BASE || (guest_dtb & 3) || be32(fdt) != FDT_MAGIC)
		return NULL;
	size = be32(fdt + 4);
	off_struct = be32(fdt + 8);
	off_strings = be32(fdt + 12);
	size_struct = be32(fdt + 36);           /* version >= 17 */
	if (size > FDT_MAX_SIZE || be32(fdt + 20) < 17 || off_struct > size ||
	    size_struct > size - off_struct || off_strings >= size)
		return NULL;
	p = fdt + off_struct;
	end = p + size_struct;
	strings = (const char *)fdt + off_strings;

	while (p + 4 <= end) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *n = (const char *)p;
			unsigned l = str_len(n, (unsigned)(end - p));

			depth++;
			in_chosen = depth == 2 && str_eq(n, "chosen");
			p += (l + 4) & ~3u;
		} else if (tok == FDT_END_NODE) {
			if (in_chosen || depth == 0)
				return NULL;    /* /chosen ended without it */
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t plen, nameoff;

			if (p + 8 > end)
				return NULL;
			plen = be32(p);
			nameoff = be32(p + 4);
			p += 8;
			if (plen > (uint32_t)(end - p) || nameoff >= size - off_strings)
				return NULL;
			if (in_chosen && str_eq(strings + nameoff, name)) {
				*len = plen;
				return p;
			}
			p += (plen + 3) & ~3u;
		} else if (tok != FDT_NOP) {
			return NULL;            /* FDT_END or garbage */
		}
	}
	return NULL;
}

const char *bootargs(void)
{
	uint32_t len;
	const uint8_t *v = chosen_prop("bootargs", &len);

	if (!v || len == 0 || v[len - 1] != '\0')
		return "";
	return (const char *)v;
}

uint32_t restart_count(void)
{
	uint32_t len;
	const uint8_t *v = chosen_prop("keel,restart-count", &len);

	return v && len == 4 ? be32(v) : 0;
}

/* The value of word "key=value" (not NUL-terminated: ends at a space), or NULL;
 * for a bare "key", points at the empty string. */
static const char *find(const char *key, unsigned *vlen)
{
	const char *s = bootargs();

	while (*s) {
		const char *w = s, *k = key;

		while (*s && *s != ' ')
			s++;
		while (*k && w < s && *w == *k)
			w++, k++;
		if (!*k && (w == s || *w == '=')) {
			if (w < s)
				w++;
			*vlen = (unsigned)(s - w);
			return w;
		}
		while (*s == ' ')
			s++;
	}
	return NULL;
}

bool bootarg_flag(const char *key)
{
	unsigned n;

	return find(key, &n) != NULL;
}

uint32_t bootarg_u32(const char *key, uint32_t def)
{
	unsigned n, i = 0, base = 10;
	const char *v = find(key, &n);
	uint32_t x = 0;

	if (!v || n == 0)
		return def;
	if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < n; i++) {
		char c = v[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return def;
		x = x * base + d;
	}
	return x;
}

bool bootarg_is(const char *key, const char *value)
{
	unsigned n, i;
	const char *v = find(key, &n);

	if (!v)
		return false;
	for (i = 0; i < n && value[i]; i++)
		if (v[i] != value[i])
			return false;
	return i == n && value[i] == '\0';
}

bool bootarg_str(const char *key, char *buf, unsigned size)
{
	unsigned n, i;
	const char *v = find(key, &n);

	if (!v || size == 0)
		return false;
	for (i = 0; i < n && i + 1 < size; i++)
		buf[i] = v[i];
	buf[i] = '\0';
	return true;
}
