/* SPDX-License-Identifier: MIT */
/*
 * Lazy VFP/NEON switching. Each CPU remembers whose VFP state its registers
 * hold (the owner). A vCPU that is not the owner runs with HCPTR trapping
 * cp10/cp11, so its first VFP instruction (or FPEXC access) traps; only then
 * does Keel save the owner's 32 double registers, FPSCR and FPEXC and load
 * the vCPU's. A partition that never touches VFP never pays for it, and one
 * that has a CPU to itself pays once.
 */
#include <keel/arch.h>
#include <keel/vcpu.h>
#include <arch/percpu.h>
#include <arch/sysreg.h>

#define HCPTR_TCP10 (1u << 10)
#define HCPTR_TCP11 (1u << 11)
#define HCPTR_VFP   (HCPTR_TCP10 | HCPTR_TCP11)

void vfp_save(struct arch_vfp *s);
void vfp_load(const struct arch_vfp *s);

/* vcpu.c, on load: trap VFP unless v's state is already in the registers. */
void vfp_on_load(struct vcpu *v)
{
	write_HCPTR(this_pcpu()->vfp_owner == v ? 0 : HCPTR_VFP);
}

void arch_vfp_switch(struct vcpu *v)
{
	struct pcpu *p = this_pcpu();

	write_HCPTR(0);
	isb();
	if (p->vfp_owner != v) {
		if (p->vfp_owner)
			vfp_save(&p->vfp_owner->arch.vfp);
		vfp_load(&v->arch.vfp);
		p->vfp_owner = v;
	}
}

void arch_vfp_release(struct vcpu *v)
{
	struct pcpu *p = this_pcpu();

	v->arch.vfp = (struct arch_vfp){ 0 };
	if (p->vfp_owner == v)
		p->vfp_owner = NULL;
	if (p->current == v)
		write_HCPTR(HCPTR_VFP);
}
