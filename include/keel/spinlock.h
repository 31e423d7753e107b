/* SPDX-License-Identifier: MIT */
/*
 * Locks between physical CPUs. Keel runs with interrupts masked, so a lock
 * is never wanted by an interrupt handler on its own CPU; holders are short.
 * Built on the compiler's atomics: LDREX/STREX with barriers on ARMv7 (Hyp
 * memory is Normal, inner shareable, so exclusives work across CPUs), and
 * the same code runs in the host unit tests.
 *
 * A recursive lock lets a path that holds a partition's lock call another
 * that takes it (vm_stop from a hypercall, printk inside a guest line).
 */
#ifndef KEEL_SPINLOCK_H
#define KEEL_SPINLOCK_H

#include <keel/types.h>

unsigned arch_cpu_id(void);
/*
 * One turn of a spin loop: a hint that this CPU waits for another (YIELD on
 * ARMv7). It matters on a board that runs its CPUs in turns, as QEMU does
 * under -icount: a CPU that spins without it holds the board for its whole
 * turn while the one it waits for cannot run.
 */
void arch_relax(void);

typedef struct {
	uint32_t locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

struct rlock {
	spinlock_t lock;
	uint32_t owner;       /* CPU id + 1; 0 when free */
	uint32_t depth;
};

static inline void rlock_take(struct rlock *r)
{
	uint32_t me = arch_cpu_id() + 1;

	if (__atomic_load_n(&r->owner, __ATOMIC_RELAXED) != me) {
		spin_lock(&r->lock);
		__atomic_store_n(&r->owner, me, __ATOMIC_RELAXED);
	}
	r->depth++;
}

static inline void rlock_give(struct rlock *r)
{
	if (--r->depth)
		return;
	__atomic_store_n(&r->owner, 0, __ATOMIC_RELAXED);
	spin_unlock(&r->lock);
}

/* A plain read or write another CPU may be doing at the same time. */
#define READ_ONCE(x)     __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)

#endif
