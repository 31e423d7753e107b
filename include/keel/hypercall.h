/* SPDX-License-Identifier: MIT */
/*
 * Keel hypercall ABI v0, shared by the hypervisor and its guests.
 *
 * Calls follow the SMC Calling Convention (SMCCC, AArch32): the function id
 * goes in r0, arguments in r1-r3, the guest issues `hvc #0`, results come back
 * in r0-r3. Keel's own calls live in the "vendor specific hypervisor service"
 * range (owning entity 6, fast calls): 0x86000000 + n. PSCI uses its own
 * standard range (0x84000000 + n) and is reached by HVC or SMC.
 * docs/hypercalls.md is the reference; keep the two in step.
 */
#ifndef KEEL_HYPERCALL_H
#define KEEL_HYPERCALL_H

#define KEEL_HC_BASE            0x86000000u
#define KEEL_HC_VERSION         (KEEL_HC_BASE + 0)  /* -> r0 = ABI version, r1 = KEEL_HC_MAGIC */
#define KEEL_HC_CONSOLE_WRITE   (KEEL_HC_BASE + 1)  /* r1 = IPA, r2 = len -> r0 = bytes written */
#define KEEL_HC_EXIT            (KEEL_HC_BASE + 2)  /* r1 = status; does not return */
#define KEEL_HC_CONSOLE_PUTC    (KEEL_HC_BASE + 3)  /* r1 = byte -> r0 = 0 */
#define KEEL_HC_CHANNEL_NOTIFY  (KEEL_HC_BASE + 4)  /* r1 = channel id -> r0 = 0 */
#define KEEL_HC_WATCHDOG_PET    (KEEL_HC_BASE + 5)  /* -> r0 = 0 */
#define KEEL_HC_EXIT_STATS      (KEEL_HC_BASE + 6)  /* r1 = exit reason -> r1 = count, r2:r3 = ticks in Keel */
#define KEEL_HC_COUNT           7

/*
 * KEEL_HC_EXIT_STATS rows: the exit reasons, as in the stats lines
 * (include/keel/exit.h), and their names (also the exit-stats device's
 * reasons, <keel/statdev.h>).
 */
#define KEEL_EXIT_ROWS          11
#define KEEL_EXIT_NAMES \
	"hvc", "smc", "dabt", "iabt", "wfi", "wfe", "sysreg", "irq", "fiq", "vfp", "undef"

#define KEEL_ABI_VERSION        0x00000001u          /* major 0 (bits 31:16), minor 1 */
#define KEEL_HC_MAGIC           0x4b45454cu          /* "KEEL" */
#define KEEL_HC_CONSOLE_MAX     4096u                /* longest CONSOLE_WRITE */

/* Results (r0). SMCCC's own codes first; Keel adds its own below them. */
#define KEEL_HC_OK              0
#define KEEL_HC_ENOTSUP         (-1)   /* unknown function id */
#define KEEL_HC_EINVAL          (-3)   /* an argument is out of range */
#define KEEL_HC_EFAULT          (-4)   /* a guest address is outside the guest's RAM */

/* PSCI function ids (PSCI 1.0, SMC32 calling convention). */
#define PSCI_VERSION            0x84000000u
#define PSCI_CPU_SUSPEND        0x84000001u
#define PSCI_CPU_OFF            0x84000002u
#define PSCI_CPU_ON             0x84000003u
#define PSCI_AFFINITY_INFO      0x84000004u
#define PSCI_MIGRATE_INFO_TYPE  0x84000006u
#define PSCI_SYSTEM_OFF         0x84000008u
#define PSCI_SYSTEM_RESET       0x84000009u
#define PSCI_FEATURES           0x8400000au

#define PSCI_RET_SUCCESS            0
#define PSCI_RET_NOT_SUPPORTED      (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED             (-3)
#define PSCI_RET_ALREADY_ON         (-4)
#define PSCI_RET_ON_PENDING         (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT        (-7)
#define PSCI_RET_DISABLED           (-8)
#define PSCI_RET_INVALID_ADDRESS    (-9)

#define PSCI_VERSION_1_0        0x00010000u

#endif
