/* SPDX-License-Identifier: MIT */
/*
 * PSCI as a partition sees it (PSCI 1.0, SMC32 function ids, reached by HVC
 * or SMC). Power state is the partition's, never the board's: SYSTEM_OFF ends
 * the partition, SYSTEM_RESET restarts it; the board goes off only when Keel
 * has no partition left. CPU_ON/CPU_OFF/AFFINITY_INFO come with SMP guests.
 */
#include <keel/hypercall.h>
#include <keel/hypercall_impl.h>
#include <keel/arch.h>
#include <keel/vm.h>

static bool psci_implemented(uint32_t fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return true;
	default:
		return false;
	}
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
	case PSCI_SYSTEM_OFF:
		vm_stop(v->vm, 0, "powered off (PSCI SYSTEM_OFF)");
		return PSCI_RET_SUCCESS;
	case PSCI_SYSTEM_RESET:
		v->vm->reset_requested = true;
		return PSCI_RET_SUCCESS;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}
