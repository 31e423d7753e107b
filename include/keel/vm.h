/* SPDX-License-Identifier: MIT */
/*
 * A partition: its memory (one RAM region backed by host RAM elsewhere and
 * mapped by stage 2), its MMIO bus of emulated devices, its vCPUs, and what
 * it needs to restart (the images it was loaded from).
 *
 *   guest IPA                     host PA
 *   0x40000000 +-----------+      +-----------+ ram_pa (from the frame
 *              | RAM       | ---> | backing   |  allocator, never Keel's
 *   +ram_size  +-----------+      +-----------+  own memory)
 *   0x08000000   GIC distributor (emulated: devices/vgic.c)
 *   0x08010000   GIC CPU interface (the hardware GICV, mapped)
 *   0x09000000   PL011      (emulated: traps to the MMIO bus)
 *   0x0b000000   test device (emulated, when the partition asks for it)
 *   0x0b001000   exit-stats device (emulated, when the partition asks for it)
 *   anything else: nothing; an access is an abort the guest sees
 */
#ifndef KEEL_VM_H
#define KEEL_VM_H

#include <keel/types.h>
#include <keel/config.h>
#include <keel/mmio.h>
#include <keel/spinlock.h>
#include <keel/vcpu.h>
#include <arch/vm_arch.h>
#include <devices/vgic.h>

#define VM_MAX CFG_MAX_VMS
#define VM_MAX_VCPUS CFG_MAX_VCPUS
#define VM_NAME_MAX CFG_NAME_MAX
#define VM_LINE_MAX 240

/* RESETTING: its vCPUs are being taken off their CPUs for a restart. */
enum vm_state { VM_FREE, VM_READY, VM_RUNNING, VM_RESETTING, VM_STOPPED };

/*
 * Several physical CPUs may run one partition's vCPUs: what they share
 * (devices, the vGIC model, the console line, vCPU power state) is changed
 * under `lock`.
 */
struct vm {
	struct rlock lock;
	unsigned id;
	char name[VM_NAME_MAX];
	vmid_t vmid;
	enum vm_state state;
	struct vm_config cfg;

	ipa_t ram_ipa;
	paddr_t ram_pa;
	uint64_t ram_size;
	uint8_t *ram;              /* Keel's mapping of the RAM */

	struct arch_vm arch;       /* stage-2 tables */
	struct mmio_bus mmio;
	struct vgic vgic;          /* its interrupt distributor */
	struct vcpu vcpus[VM_MAX_VCPUS];
	unsigned nr_vcpus;

	void *uart;                /* the emulated PL011 */
	void *testdev;
	unsigned nr_chans;         /* its channels, in guest order (core/channel.c) */
	struct channel *chans[CFG_MAX_CHANNELS];
	uint32_t doorbells;        /* rung by peers, bit k = channel slot k (atomic) */
	uint64_t watchdog_due;     /* counter ticks; 0: no watchdog */

	/* Console line buffer (console_guest_putc). */
	char line[VM_LINE_MAX];
	unsigned line_len;

	/* How it ended. */
	int exit_status;
	char stop_reason[160];
	bool reset_requested;      /* a restart (or a start, if stopped) is due */
	bool start_requested;      /* ... of a stopped partition (the shell's start) */
	char reset_why[48];        /* printed when the restart happens */
	bool panicked;             /* its kernel said it panicked (core/guest_panic.c) */
	char panic_msg[96];
	uint32_t restarts;         /* times vm_reset() ran */
	uint32_t crash_restarts;   /* restarts by the restart policy */
};

/* Whether the partition can run now (created, not stopped, not restarting). */
static inline bool vm_alive(const struct vm *vm)
{
	enum vm_state s = READ_ONCE(vm->state);

	return s == VM_READY || s == VM_RUNNING;
}

static inline void vm_lock(struct vm *vm)
{
	rlock_take(&vm->lock);
}

static inline void vm_unlock(struct vm *vm)
{
	rlock_give(&vm->lock);
}

/* Create a partition from cfg: RAM, stage 2, devices, vCPUs placed. */
struct vm *vm_create(const struct vm_config *cfg);
/* Load its images (after its channels exist) and make vCPU 0 ready (an error is fatal at boot). */
int vm_start(struct vm *vm);

/* Load the images again and put vCPU 0 back at its entry point (SYSTEM_RESET). */
int vm_reset(struct vm *vm);

/* Keel's pointer to [ipa, ipa + len) if all of it is the partition's RAM, else NULL. */
void *vm_ram_ptr(struct vm *vm, ipa_t ipa, uint64_t len);

/* End the partition: its vCPUs stop, status and reason are kept for the report. */
__attribute__((format(printf, 3, 4)))
void vm_stop(struct vm *vm, int status, const char *fmt, ...);

/*
 * The partition crashed (a fault it cannot go on from, a watchdog timeout,
 * a kernel panic): report it, then restart or stop it as its policy says.
 */
__attribute__((format(printf, 2, 3)))
void vm_crash(struct vm *vm, const char *fmt, ...);
/*
 * The decision alone (caller holds the lock and does the restart itself):
 * reports the crash; true if the policy restarts it (reset_why set), else
 * it is stopped and false.
 */
bool vm_crash_restarts(struct vm *vm, const char *why);

/* A sign of life: the watchdog (if the config gives one) starts over from now. */
void vm_watchdog_pet(struct vm *vm);

/* Restart a live partition, as PSCI SYSTEM_RESET does; why is printed with it. */
void vm_request_restart(struct vm *vm, const char *why);
/* Start a stopped partition again. 0, or -KEEL_EINVAL if it is not stopped. */
int vm_request_start(struct vm *vm);

/* Every partition slot (for iteration by the scheduler and reports). */
extern struct vm vms[VM_MAX];

#endif
