/* SPDX-License-Identifier: MIT */
/*
 * A partition's stage-2 translation on ARMv7: tables built by stage2.c from
 * pages of the frame allocator, one VMID per partition, TLB maintenance after
 * every change. Only partition RAM is ever mapped; emulated devices stay
 * unmapped so their accesses trap, and Keel's own memory is never handed out
 * by the allocator, so it can never appear in a guest's tables.
 */
#include <keel/arch.h>
#include <keel/errno.h>
#include <keel/mem.h>
#include <keel/vm.h>
#include <arch/regs.h>
#include <arch/sysreg.h>

static void *s2_alloc(void *ctx)
{
	(void)ctx;
	return mem_alloc_page();
}

static paddr_t s2_v2p(void *ctx, void *va)
{
	(void)ctx;
	return virt_to_phys(va);
}

static void *s2_p2v(void *ctx, paddr_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

static const struct s2_mm_ops s2_ops = {
	.alloc_table = s2_alloc,
	.virt_to_phys = s2_v2p,
	.phys_to_virt = s2_p2v,
};

int arch_vm_init(struct vm *vm)
{
	vm->arch.cntvoff = read_CNTPCT();
	return s2_init(&vm->arch.s2, &s2_ops);
}

static void s2_tlb_flush(void)
{
	/* Tables live in cacheable memory and walks are cacheable (VTCR): a DSB suffices. */
	dsb_ish();
	tlbiallnsnhis(0);
	dsb_ish();
	isb();
}

int arch_vm_map_ram(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size)
{
	int err = s2_map(&vm->arch.s2, ipa, pa, size, S2_RWX);

	s2_tlb_flush();
	return err;
}

int arch_vm_map_device(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size)
{
	int err = s2_map(&vm->arch.s2, ipa, pa, size, S2_RW | S2_DEVICE);

	s2_tlb_flush();
	return err;
}

int arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa)
{
	unsigned flags;
	int err = s2_lookup(&vm->arch.s2, ipa, pa, &flags, NULL);

	if (err)
		return err;
	return (flags & S2_DEVICE) ? -KEEL_ENOENT : 0;
}

struct walk_ctx {
	arch_vm_walk_fn fn;
	void *arg;
};

static int walk_leaf(void *arg, ipa_t ipa, paddr_t pa, uint64_t size, unsigned flags)
{
	struct walk_ctx *w = arg;

	(void)flags;
	return w->fn(w->arg, ipa, pa, size);
}

int arch_vm_walk(struct vm *vm, arch_vm_walk_fn fn, void *arg)
{
	struct walk_ctx w = { fn, arg };

	return s2_walk(&vm->arch.s2, walk_leaf, &w);
}
