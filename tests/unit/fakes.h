/* SPDX-License-Identifier: MIT */
/*
 * Host fakes for what core/ and devices/ call outside the file under test:
 * the vCPU register interface of <keel/arch.h>, vm_ram_ptr/vm_stop of
 * <keel/vm.h>, console_guest_putc/printk of <keel/console.h>. Each fake
 * records what it was asked so a test can check it; fake_reset() forgets it.
 *
 * Registers live in the test's own struct vcpu (v->arch.regs): r0-r12 in
 * regs.r[], r13 in banked.sp_svc, r14 in regs.lr_usr, r15 in regs.pc.
 */
#ifndef UNIT_FAKES_H
#define UNIT_FAKES_H

#include <stddef.h>
#include <stdint.h>
#include <keel/vm.h>

#define FAKE_CONSOLE_MAX 65536
#define FAKE_PRINTK_MAX 8192

struct fake_state {
	/* arch_vcpu_* */
	unsigned skip_calls;          /* arch_vcpu_skip_insn */
	uint32_t regs_written;        /* bit n: arch_vcpu_set_reg(v, n, ..) was called */
	unsigned bad_reg_calls;       /* get/set of a register number > 15 */
	/* arch_vcpu_reset */
	unsigned reset_calls;
	struct vcpu *reset_vcpu;
	uint32_t reset_entry, reset_r0;
	/* vcpu_wait_for_interrupt */
	unsigned wait_calls;
	struct vcpu *wait_vcpu;
	/* vcpu_kick */
	unsigned kick_calls;
	struct vcpu *kick_vcpu;
	/* arch_now: the counter, 1 MHz */
	uint64_t now;
	/* channel_notify */
	unsigned notify_calls;
	uint32_t notify_id;
	int notify_ret;
	/* vm_kick */
	unsigned vm_kick_calls;
	/* vm_stop */
	unsigned stop_calls;
	struct vm *stop_vm;
	int stop_status;
	char stop_reason[160];
	/* console_guest_putc, in call order */
	size_t console_len;
	struct vm *console_vm[FAKE_CONSOLE_MAX];
	char console_byte[FAKE_CONSOLE_MAX];
	/* printk, formatted and concatenated */
	char printk_buf[FAKE_PRINTK_MAX];
	size_t printk_len;
	unsigned printk_calls;
};

extern struct fake_state fake;

/* Forget everything recorded. */
void fake_reset(void);

/* The bytes console_guest_putc received for vm (NUL-terminated copy in buf). */
size_t fake_console_of(const struct vm *vm, char *buf, size_t size);

/* Last level each interrupt line was set to (vgic_set_level). */
extern bool fake_irq_level[];

#endif
