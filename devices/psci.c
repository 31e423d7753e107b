/* SPDX-License-Identifier: MIT */
/*
 * PSCI as a partition sees it (PSCI 1.0, SMC32 function ids, reached by HVC
 * or SMC). Power state is the partition's, never the board's: SYSTEM_OFF ends
 * the partition, SYSTEM_RESET restarts it; the board goes off only when Keel
 * has no partition left. CPU_ON starts one of the partition's own vCPUs at
 * a guest address (validated, like every argument, with the error codes of
 * the PSCI specification, DEN0022D 5.1.4-5.1.5); CPU_OFF stops the calling
 * vCPU, and a partition whose vCPUs are all off has ended.
 *
 * The target of CPU_ON may live on another physical CPU, which alone may
 * touch its registers: the request is recorded and that CPU kicked; until it
 * has started the vCPU, AFFINITY_INFO says ON_PENDING. Called with the
 * partition's lock held.
 */
#include <keel/hypercall.h>
#include <keel/printf.h>
#include <keel/hypercall_impl.h>
#include <keel/arch.h>
#include <keel/sched.h>
#include <keel/trap.h>
#include <keel/vm.h>

static bool psci_implemented(uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_ON:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return true;
	default:
		return false;
	}
}

#define AFFINITY_ON        0
#define AFFINITY_OFF       1
#define AFFINITY_ON_PENDING 2

/* The partition's vCPU with this MPIDR (Aff0 = index, other levels 0), or NULL. */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint32_t mpidr)
{
	uint32_t idx = mpidr & 0xff;

	if ((mpidr & 0x00ffff00u) || idx >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpus[idx];
}

static int32_t cpu_on(struct vcpu *v)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, arch_vcpu_get_reg(v, 1));
	uint32_t entry = arch_vcpu_get_reg(v, 2);

	if (!t)
		return PSCI_RET_INVALID_PARAMETERS;
	if (t->on_pending)
		return PSCI_RET_ON_PENDING;
	if (t->state != VCPU_OFF)
		return PSCI_RET_ALREADY_ON;
	/* The entry point must be code the partition can run: in its RAM. */
	if (!vm_ram_ptr(v->vm, entry, 4))
		return PSCI_RET_INVALID_ADDRESS;
	t->on_entry = entry;
	t->on_ctx = arch_vcpu_get_reg(v, 3);
	WRITE_ONCE(t->on_pending, true);
	vcpu_kick(t);
	return PSCI_RET_SUCCESS;
}

static int32_t affinity_info(struct vcpu *v)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, arch_vcpu_get_reg(v, 1));

	/* Only affinity level 0 (CPUs) exists in a partition. */
	if (!t || arch_vcpu_get_reg(v, 2) != 0)
		return PSCI_RET_INVALID_PARAMETERS;
	if (t->on_pending)
		return AFFINITY_ON_PENDING;
	return t->state == VCPU_OFF ? AFFINITY_OFF : AFFINITY_ON;
}

static int32_t cpu_off(struct vcpu *v)
{
	struct vm *vm = v->vm;

	v->state = VCPU_OFF;
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].state != VCPU_OFF || vm->vcpus[i].on_pending)
			return PSCI_RET_SUCCESS;   /* not seen by the caller: it is off */
	vm_stop(vm, 0, "powered off (PSCI CPU_OFF on its last CPU)");
	return PSCI_RET_SUCCESS;
}

int32_t psci_handle(struct vcpu *v, uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_0;
	case PSCI_FEATURES:
		/* 0: implemented, no feature flags (none of ours has any). */
		return psci_implemented(arch_vcpu_get_reg(v, 1)) ? 0 : PSCI_RET_NOT_SUPPORTED;
	case PSCI_MIGRATE_INFO_TYPE:
		return 2;   /* no Trusted OS to migrate */
	case PSCI_CPU_SUSPEND:
		/*
		 * Every state is entered as standby: the vCPU waits for an
		 * interrupt and the call returns, which the spec allows for a
		 * power-down state too (a wake-up came before power went).
		 */
		vcpu_wait_for_interrupt(v);
		return PSCI_RET_SUCCESS;
	case PSCI_CPU_ON:
		return cpu_on(v);
	case PSCI_CPU_OFF:
		return cpu_off(v);
	case PSCI_AFFINITY_INFO:
		return affinity_info(v);
	case PSCI_SYSTEM_OFF:
		vm_stop(v->vm, 0, "powered off (PSCI SYSTEM_OFF)");
		return PSCI_RET_SUCCESS;
	case PSCI_SYSTEM_RESET:
		snprintf(v->vm->reset_why, sizeof(v->vm->reset_why), "PSCI SYSTEM_RESET");
		v->vm->reset_requested = true;
		return PSCI_RET_SUCCESS;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}
