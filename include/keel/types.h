/* SPDX-License-Identifier: MIT */
/*
 * Keel's basic types. Distinct names for the address spaces keep a guest
 * physical address (ipa_t) from being used where a host one (paddr_t) or a
 * hypervisor pointer (vaddr_t) is meant. Builds both freestanding (ARM) and
 * hosted (x86 unit tests).
 */
#ifndef KEEL_TYPES_H
#define KEEL_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint64_t paddr_t;   /* host physical address (LPAE: 40 bits) */
typedef uint64_t ipa_t;     /* guest (intermediate) physical address */
typedef uintptr_t vaddr_t;  /* hypervisor virtual address */
typedef uint16_t vmid_t;    /* stage-2 VMID (8 bits used on ARMv7) */

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define BIT(n)           (1u << (n))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#endif
