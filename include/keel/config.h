/* SPDX-License-Identifier: MIT */
/*
 * The system Keel runs, as its config describes it (docs/config.md): the
 * partitions, the channels between them, console options. core/bundle.c
 * reads it from the boot bundle; core/config_check.c holds the rules a
 * config must keep (the same code runs in tools/keel-check on the host and
 * in Keel at boot), and places vCPUs on physical CPUs.
 */
#ifndef KEEL_CONFIG_H
#define KEEL_CONFIG_H

#include <keel/types.h>

#define CFG_MAX_VMS       4
#define CFG_MAX_VCPUS     4
#define CFG_MAX_CPUS      4
#define CFG_MAX_MMIO      8
#define CFG_MAX_IRQS      16
#define CFG_MAX_CHANNELS  8
#define CFG_MAX_OWNED     8
#define CFG_NAME_MAX      24

/* The guest-physical map every partition gets (QEMU virt's addresses). */
#define GUEST_RAM_IPA      0x40000000ull
#define GUEST_GICD_IPA     0x08000000ull
#define GUEST_GICD_SIZE    0x1000ull
#define GUEST_GICC_IPA     0x08010000ull   /* the hardware GICV appears here */
#define GUEST_GICC_SIZE    0x2000ull
#define GUEST_UART_IPA     0x09000000ull
#define GUEST_VTIMER_IRQ   27              /* PPI 11, as on QEMU's virt */
#define GUEST_UART_IRQ     33              /* SPI 1 */
/* Channel k: shared memory, then its doorbell page 1 MiB further; INTID 144 + k. */
#define GUEST_CHAN_IPA     0x0c000000ull
#define GUEST_CHAN_STRIDE  0x200000ull
#define GUEST_CHAN_DOORBELL_OFF 0x100000ull
#define GUEST_CHAN_IRQ     144
#define CHAN_SHM_MAX       0x100000u
/* Passthrough interrupts: SPIs below the channels' INTIDs. */
#define CFG_IRQ_MIN        32
#define CFG_IRQ_MAX        (GUEST_CHAN_IRQ - 1)

enum sched_class { SCHED_TIMESLICE, SCHED_PINNED };
enum restart_policy { RESTART_STOP, RESTART_ALWAYS };

/* Where a partition's images come from (pointers into the boot bundle). */
struct vm_image {
	const void *data;
	uint32_t size;
};

struct cfg_region {
	uint64_t base, size;
};

struct vm_config {
	const char *name;
	unsigned nr_vcpus;
	bool has_affinity;                 /* cpu-affinity given (else placed) */
	uint8_t affinity[CFG_MAX_VCPUS];   /* physical CPU of each vCPU */
	enum sched_class sched;
	uint32_t priority;                 /* timeslice: higher runs first */
	uint32_t budget_us, period_us;     /* timeslice: 0 = no budget */
	uint64_t ram_size;
	uint64_t ram_base;                 /* 0: anywhere (IPA 0x40000000); else 1:1 */
	struct vm_image kernel, initrd, dtb;
	const char *bootargs;
	bool testdev;                      /* map the emulated test device */
	bool exit_stats;                   /* map the exit-stats device (<keel/statdev.h>) */
	bool check_decoder;                /* decode every MMIO instruction and compare */
	struct cfg_region mmio[CFG_MAX_MMIO];   /* passthrough, mapped 1:1 */
	unsigned nr_mmio;
	uint16_t irqs[CFG_MAX_IRQS];       /* passthrough SPIs, forwarded 1:1 */
	unsigned nr_irqs;
	enum restart_policy restart;
	uint32_t max_restarts;
	uint32_t watchdog_ms;              /* 0: no watchdog */
};

struct chan_config {
	const char *name;
	uint8_t end[2];                    /* the two partitions (indices into vm[]) */
	uint32_t size;                     /* shared memory bytes */
};

struct keel_config {
	struct vm_config vm[CFG_MAX_VMS];
	unsigned nr_vms;
	struct chan_config chan[CFG_MAX_CHANNELS];
	unsigned nr_chans;
	bool colour;                       /* colour the partitions' prefixes */
};

/* What the board gives and what Keel keeps for itself. */
struct board_limits {
	unsigned nr_cpus;
	struct cfg_region ram[4];
	unsigned nr_ram;
	struct cfg_region owned[CFG_MAX_OWNED];   /* Keel's memory and devices */
	const char *owned_what[CFG_MAX_OWNED];
	unsigned nr_owned;
	unsigned owned_irqs[4];                    /* interrupts Keel keeps */
	unsigned nr_owned_irqs;
};

/*
 * Read a boot bundle at blob (at most max bytes) into cfg. Image checksums
 * are verified. On error returns negative and writes one line naming the
 * node and property into why.
 */
int bundle_parse(const void *blob, uint64_t max, struct keel_config *cfg,
		 char *why, size_t why_len);

/*
 * The rules across partitions and against the board: memory and devices
 * owned once, pinned vCPUs alone on their CPU, images that fit, channels
 * between two partitions. Places every vCPU (fills affinity). 0 or negative
 * with one line in why.
 */
int config_check(struct keel_config *cfg, const struct board_limits *lim,
		 char *why, size_t why_len);

/* A partition's k-th channel (its index in cfg->chan) or -1. */
int config_vm_channel(const struct keel_config *cfg, unsigned vm, unsigned k);

/* Where vm_load() puts the initrd and the DTB (offsets into RAM). */
uint64_t config_initrd_offset(uint64_t ram_size);
uint64_t config_dtb_offset(uint64_t ram_size, uint32_t initrd_size);
#define CFG_KERNEL_OFFSET 0x10000u
#define CFG_DTB_MAX       0x10000u

#endif
