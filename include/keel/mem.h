/* SPDX-License-Identifier: MIT */
/*
 * Host physical memory for partitions and tables. At boot every RAM bank of
 * the board is free except what is reserved (Keel's own image, the DTB, the
 * boot bundle); allocations are carved from the top of the free ranges, so
 * partition RAM never overlaps anything Keel uses. Nothing is freed: a
 * partition keeps its memory across restarts.
 */
#ifndef KEEL_MEM_H
#define KEEL_MEM_H

#include <keel/types.h>
#include <keel/board.h>

#define MEM_MAX_RANGES 16

/* Start with the board's RAM as free. */
void mem_init(const struct board *b);
/* Take [base, base+size) out of the free ranges. */
int mem_reserve(paddr_t base, uint64_t size);
/* Take exactly [base, base+size) (1:1 partition RAM): -KEEL_EEXIST unless all of it is free. */
int mem_claim(paddr_t base, uint64_t size);
/* Allocate size bytes aligned to align (a power of two). Returns 0 when out of
 * memory (physical page 0 is never handed out, so 0 is never an address). */
paddr_t mem_alloc(uint64_t size, uint64_t align);
/* One zeroed 4 KiB page in Keel's mapping, or NULL. */
void *mem_alloc_page(void);
/* The runs of pages mem_alloc_page() gave out; complete is false if some were not recorded. */
unsigned mem_keel_pages(const struct mem_range **runs, bool *complete);
/* Total free bytes left. */
uint64_t mem_free_bytes(void);
/* Keel's pointer for a host physical address (RAM is identity-mapped). */
static inline void *phys_to_virt(paddr_t pa) { return (void *)(uintptr_t)pa; }
static inline paddr_t virt_to_phys(const void *va) { return (paddr_t)(uintptr_t)va; }

#endif
