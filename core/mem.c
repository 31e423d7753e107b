/* SPDX-License-Identifier: MIT */
/*
 * The frame allocator: a sorted list of free host-physical ranges. Reserving
 * splits a range; allocating takes from the top of the highest range that
 * fits, so partitions sit far from Keel's image at the bottom of RAM.
 * Only memory below 4 GiB is handed out (Keel's Hyp map covers 32 bits).
 */
#include <keel/errno.h>
#include <keel/mem.h>
#include <string.h>

static struct mem_range free_ranges[MEM_MAX_RANGES];
static unsigned nr_free;
/* Pages Keel took for itself (tables): the memory proof checks none is mapped. */
static struct mem_range keel_pages[MEM_MAX_RANGES];
static unsigned nr_keel_pages;
static bool keel_pages_lost;   /* more runs than keel_pages holds */

static void remove_at(unsigned i)
{
	memmove(&free_ranges[i], &free_ranges[i + 1], (nr_free - i - 1) * sizeof(free_ranges[0]));
	nr_free--;
}

static int insert_at(unsigned i, paddr_t base, uint64_t size)
{
	if (nr_free == MEM_MAX_RANGES)
		return -KEEL_ENOMEM;
	memmove(&free_ranges[i + 1], &free_ranges[i], (nr_free - i) * sizeof(free_ranges[0]));
	free_ranges[i] = (struct mem_range){ base, size };
	nr_free++;
	return 0;
}

void mem_init(const struct board *b)
{
	nr_free = 0;
	nr_keel_pages = 0;
	keel_pages_lost = false;
	for (unsigned i = 0; i < b->nr_ram; i++) {
		/* Address 0 is never handed out: mem_alloc() returns 0 for failure. */
		paddr_t base = MAX(ALIGN_UP(b->ram[i].base, 4096), (paddr_t)4096);
		uint64_t top = MIN(b->ram[i].base + b->ram[i].size, 1ull << 32);
		unsigned at = 0;

		if (top <= base)
			continue;
		top = ALIGN_DOWN(top, 4096);
		while (at < nr_free && free_ranges[at].base < base)
			at++;
		insert_at(at, base, top - base);
	}
}

int mem_reserve(paddr_t base, uint64_t size)
{
	paddr_t end;

	if (!size)
		return 0;
	if (base + size < base)
		return -KEEL_EINVAL;
	end = ALIGN_UP(base + size, 4096);

	base = ALIGN_DOWN(base, 4096);
	for (unsigned i = 0; i < nr_free; i++) {
		struct mem_range *r = &free_ranges[i];
		paddr_t r_end = r->base + r->size;

		if (end <= r->base || base >= r_end)
			continue;
		if (base > r->base && end < r_end) {
			/* punch a hole: keep the head here, the tail in a new range */
			if (insert_at(i + 1, end, r_end - end))
				return -KEEL_ENOMEM;
			r->size = base - r->base;
			return 0;
		}
		if (base <= r->base && end >= r_end) {
			remove_at(i--);
			continue;
		}
		if (base <= r->base) {
			r->size = r_end - end;
			r->base = end;
		} else {
			r->size = base - r->base;
		}
	}
	return 0;
}

paddr_t mem_alloc(uint64_t size, uint64_t align)
{
	if (!size || size > (1ull << 32))
		return 0;
	size = ALIGN_UP(size, 4096);
	for (unsigned i = nr_free; i-- > 0;) {
		struct mem_range *r = &free_ranges[i];
		paddr_t base;

		if (r->size < size)
			continue;
		base = ALIGN_DOWN(r->base + r->size - size, align);
		if (base < r->base)
			continue;
		if (mem_reserve(base, size))
			return 0;
		return base;
	}
	return 0;
}

int mem_claim(paddr_t base, uint64_t size)
{
	for (unsigned i = 0; i < nr_free; i++)
		if (base >= free_ranges[i].base &&
		    base + size <= free_ranges[i].base + free_ranges[i].size)
			return mem_reserve(base, size);
	return -KEEL_EEXIST;
}

/* Pages come from the top down, so most extend the last run downwards. */
static void note_keel_page(paddr_t pa)
{
	for (unsigned i = 0; i < nr_keel_pages; i++) {
		struct mem_range *r = &keel_pages[i];

		if (pa + 4096 == r->base || pa == r->base + r->size) {
			r->base = MIN(r->base, pa);
			r->size += 4096;
			return;
		}
	}
	if (nr_keel_pages == MEM_MAX_RANGES) {
		keel_pages_lost = true;
		return;
	}
	keel_pages[nr_keel_pages++] = (struct mem_range){ pa, 4096 };
}

unsigned mem_keel_pages(const struct mem_range **runs, bool *complete)
{
	*runs = keel_pages;
	*complete = !keel_pages_lost;
	return nr_keel_pages;
}

void *mem_alloc_page(void)
{
	paddr_t pa = mem_alloc(4096, 4096);
	void *va;

	if (!pa)
		return NULL;
	note_keel_page(pa);
	va = phys_to_virt(pa);
	memset(va, 0, 4096);
	return va;
}

uint64_t mem_free_bytes(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nr_free; i++)
		n += free_ranges[i].size;
	return n;
}
