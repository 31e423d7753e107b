/* SPDX-License-Identifier: MIT */
/*
 * The narrow interface between Keel's arch-free core and the CPU back end
 * (today arch/arm32, ARMv7 with the Virtualization Extensions). core/ and
 * devices/ use the CPU only through these calls; a second back end
 * (ARMvisor-style, without the extensions) would implement the same list.
 */
#ifndef KEEL_ARCH_H
#define KEEL_ARCH_H

#include <keel/types.h>
#include <keel/exit.h>
#include <keel/mmio.h>
#include <keel/virq.h>

struct vcpu;
struct vm;
struct board;

/* ---- boot and the physical CPU ----------------------------------------- */

/* NULL when this CPU can host partitions, else one line saying why not. */
const char *arch_boot_check(uint32_t boot_cpsr);
/* Hyp stage-1 tables (identity map of RAM and the board's devices), MMU and caches on. */
int arch_mmu_init(const struct board *b);
/* Per-CPU Hyp state: vectors, trap configuration, stage-2 control. */
void arch_cpu_init(unsigned cpu);
unsigned arch_cpu_id(void);
/* The devicetree compatible of this CPU's core ("arm,cortex-a15"), for guest DTBs; NULL: unknown. */
const char *arch_cpu_compatible(void);
/* Start secondary CPU `cpu` (board MPIDR mpidr) at secondary_main(cpu). 0 or a PSCI error. */
int arch_cpu_start(unsigned cpu, uint32_t mpidr);
/* Make another CPU take an interrupt (arch_kick_irq()): out of a guest or of idle. */
void arch_kick_cpu(unsigned cpu);
unsigned arch_kick_irq(void);
/* A secondary CPU's Hyp stage 1: the tables CPU 0 built, MMU and caches on. */
void arch_mmu_enable(void);
/* The interrupt controller: Keel's own side and the virtual interface. 0 or negative. */
int arch_irq_init(const struct board *b);
/* This CPU's side of the interrupt controller (secondaries; arch_irq_init does CPU 0's). */
void arch_irq_cpu_init(const struct board *b);
/*
 * Counter ticks (for the cost model, inline: it is read on every exit) and
 * their frequency in Hz; one exit counted into a cost-model row
 * (struct stats_cell as {count, ticks}: count + 1, ticks + delta).
 */
#ifdef KEEL_HOST_TEST
uint64_t arch_now(void);
void arch_count_exit(void *pair, uint32_t delta);
#else
#include <arch/counter.h>
#endif
uint32_t arch_counter_freq(void);
/* Keel's own timer (the Hyp timer): interrupt at this counter value / never. */
void arch_wakeup_at(uint64_t ticks);
void arch_wakeup_cancel(void);
/* Its interrupt id, so the interrupt code can recognise it. */
unsigned arch_wakeup_irq(void);
/* Sleep until a physical interrupt is pending (interrupts stay masked). */
void arch_idle(void);
/* Turn the board off through the host's PSCI; never returns. */
__attribute__((noreturn)) void arch_power_off(void);
/* Make freshly written guest memory visible to a guest running with caches off. */
void arch_sync_guest_memory(void *va, uint64_t size);

/* ---- physical interrupts ------------------------------------------------ */

#define ARCH_IRQ_SPURIOUS 1023
/* Acknowledge the highest-priority pending interrupt: an opaque token, and its id. */
uint32_t arch_irq_ack(void);
unsigned arch_irq_id(uint32_t token);
/* Done with it; deactivate = false when a guest's virtual EOI will deactivate it. */
void arch_irq_eoi(uint32_t token, bool deactivate);
void arch_irq_enable(unsigned id);
/* Send shared interrupt id to physical CPU cpu only; clear its active state. */
void arch_irq_route(unsigned id, unsigned cpu);
void arch_irq_clear_active(unsigned id);
/* Deactivate a physical interrupt whose virtual copy was taken back. */
void arch_irq_deactivate(unsigned id);
/* The physical interrupt that tells Keel about list-register events. */
unsigned arch_irq_maintenance_id(void);

/* ---- virtual interrupts: the list registers of the loaded vCPU --------- */

unsigned arch_virq_slots(void);
void arch_virq_write(unsigned slot, const struct vgic_lr_req *r);
enum vgic_lr_state arch_virq_state(unsigned slot);
/* The same for any vCPU: its list registers if loaded, else their saved copy. */
enum vgic_lr_state arch_vcpu_virq_state(const struct vcpu *v, unsigned slot);
/* Is the vCPU's state in this CPU's registers? */
bool arch_vcpu_is_loaded(const struct vcpu *v);
void arch_virq_clear(unsigned slot);
/* The loaded vCPU's list registers that hold nothing (done with by the guest, or unused). */
uint32_t arch_virq_empty(void);
/* Ask for a maintenance interrupt when the list registers run (nearly) empty. */
void arch_virq_underflow(bool on);

/* ---- partitions --------------------------------------------------------- */

int arch_vm_init(struct vm *vm);
/* Map [ipa, ipa+size) to host [pa, pa+size); flags are S2_* from the arch. */
int arch_vm_map_ram(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size);
/* Map a physical device region (Device memory, never executable). */
int arch_vm_map_device(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size);
/* Host physical address behind ipa, or -KEEL_ENOENT. */
/* Call fn for each leaf of vm's stage-2 tables, in IPA order; stops when fn returns non-zero. */
typedef int (*arch_vm_walk_fn)(void *arg, ipa_t ipa, paddr_t pa, uint64_t size);
int arch_vm_walk(struct vm *vm, arch_vm_walk_fn fn, void *arg);
int arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa);

/* ---- vCPUs -------------------------------------------------------------- */

/* Architectural reset: SVC mode, MMU off, PC = entry, r0-r2 as a boot loader sets them. */
void arch_vcpu_reset(struct vcpu *v, uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2);
/* Make v the vCPU of this CPU (restores its banked and CP15 state) / save it back. */
void arch_vcpu_load(struct vcpu *v);
void arch_vcpu_put(struct vcpu *v);
/* Run v until its next trap; fills v->exit. */
void arch_vcpu_run(struct vcpu *v);

/*
 * When a vCPU that is not loaded wants its virtual timer to fire: true and
 * the counter value (physical) of that moment, or false if its timer is off.
 */
bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *ticks);

/* Guest general-purpose register n (0-15) as the guest's current mode sees it. */
uint32_t arch_vcpu_get_reg(struct vcpu *v, unsigned n);
void arch_vcpu_set_reg(struct vcpu *v, unsigned n, uint32_t val);
uint32_t arch_vcpu_pc(const struct vcpu *v);

/* Step over the trapped instruction (PC and IT state). */
void arch_vcpu_skip_insn(struct vcpu *v);
/* Whether the trapped instruction failed its condition and must just be skipped. */
bool arch_exit_cond_failed(const struct vcpu *v);

/* Fill an abort exit's va and permission (only reports and injection need them). */
void arch_exit_fault_detail(struct vcpu *v);
/* Deliver an abort as the hardware would have (exit holds address and kind, with its detail). */
enum inject_result { INJECT_OK, INJECT_NESTED };
enum inject_result arch_inject_abort(struct vcpu *v, const struct vcpu_exit *e);
void arch_inject_undef(struct vcpu *v);

/* Give v the VFP/NEON registers (lazy switch on its first use). */
void arch_vfp_switch(struct vcpu *v);
/* Forget v's VFP state on this CPU (it restarts with a clean one). */
void arch_vfp_release(struct vcpu *v);

/* Emulate a trapped CP15/CP14 access. false: not emulated (caller injects undef). */
bool arch_emulate_sysreg(struct vcpu *v);

/*
 * The MMIO access behind a stage-2 data abort, as its syndrome describes it
 * (address, size, direction, a write's value): false when there is no
 * syndrome or the decoder is to be checked against it (arch_emulate_mmio).
 * After the device's part, arch_mmio_syndrome_done() puts a read's value in
 * its register and steps over the instruction.
 */
bool arch_mmio_from_syndrome(struct vcpu *v, struct mmio_access *a, bool check_decoder);
void arch_mmio_syndrome_done(struct vcpu *v, const struct mmio_access *a);

/*
 * Emulate it by decoding the guest's instruction instead: call `bus` for
 * each access (two for LDRD/STRD), write back loaded registers and the base
 * register, step over the instruction. `why` receives a reason when the
 * instruction cannot be emulated.
 */
enum mmio_emul { MMIO_EMUL_DONE, MMIO_EMUL_FAULT, MMIO_EMUL_UNDECODABLE };
typedef enum mmio_result (*mmio_bus_fn)(void *ctx, struct mmio_access *a);
enum mmio_emul arch_emulate_mmio(struct vcpu *v, mmio_bus_fn bus, void *ctx, char *why,
				 size_t why_len);

/* The raw syndrome of the vCPU's last trap (HSR on ARMv7), for reports. */
uint32_t arch_exit_syndrome(const struct vcpu *v);
/* One-line dump of the trap syndrome and the vCPU's registers, for reports. */
void arch_vcpu_report(struct vcpu *v);

#endif
