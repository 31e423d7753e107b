/* SPDX-License-Identifier: MIT */
/* Host fakes shared by several unit tests (see fakes.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/vm.h>
#include "fakes.h"
#include <keel/channel.h>

struct fake_state fake;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	memset(fake_irq_level, 0, VGIC_NR_IRQS * sizeof(fake_irq_level[0]));
}

static uint32_t *reg_slot(struct vcpu *v, unsigned n)
{
	if (n < 13)
		return &v->arch.regs.r[n];
	if (n == 13)
		return &v->arch.banked.sp_svc;
	if (n == 14)
		return &v->arch.regs.lr_usr;
	if (n == 15)
		return &v->arch.regs.pc;
	return NULL;
}

uint32_t arch_vcpu_get_reg(struct vcpu *v, unsigned n)
{
	uint32_t *p = reg_slot(v, n);

	if (!p) {
		fake.bad_reg_calls++;
		return 0xdeadbeefu;
	}
	return *p;
}

void arch_vcpu_set_reg(struct vcpu *v, unsigned n, uint32_t val)
{
	uint32_t *p = reg_slot(v, n);

	if (!p) {
		fake.bad_reg_calls++;
		return;
	}
	fake.regs_written |= 1u << n;
	*p = val;
}

void arch_vcpu_skip_insn(struct vcpu *v)
{
	fake.skip_calls++;
	v->arch.regs.pc += 4;
}

/* Same contract as core/vm.c's: the whole of [ipa, ipa+len) must be RAM. */
void *vm_ram_ptr(struct vm *vm, ipa_t ipa, uint64_t len)
{
	if (ipa < vm->ram_ipa)
		return NULL;
	if (len > vm->ram_size || ipa - vm->ram_ipa > vm->ram_size - len)
		return NULL;
	return vm->ram + (ipa - vm->ram_ipa);
}

void vm_stop(struct vm *vm, int status, const char *fmt, ...)
{
	va_list ap;

	fake.stop_calls++;
	fake.stop_vm = vm;
	fake.stop_status = status;
	va_start(ap, fmt);
	vsnprintf(fake.stop_reason, sizeof(fake.stop_reason), fmt, ap);
	va_end(ap);
	if (vm->state == VM_STOPPED)
		return;
	snprintf(vm->stop_reason, sizeof(vm->stop_reason), "%s", fake.stop_reason);
	vm->exit_status = status;
	vm->state = VM_STOPPED;
}

void console_guest_putc(struct vm *vm, char c)
{
	if (fake.console_len == FAKE_CONSOLE_MAX) {
		fprintf(stderr, "fakes: console log full\n");
		abort();
	}
	fake.console_vm[fake.console_len] = vm;
	fake.console_byte[fake.console_len] = c;
	fake.console_len++;
}

size_t fake_console_of(const struct vm *vm, char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < fake.console_len; i++) {
		if (fake.console_vm[i] != vm)
			continue;
		if (buf && n + 1 < size)
			buf[n] = fake.console_byte[i];
		n++;
	}
	if (buf && size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

void printk(const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(fake.printk_buf) - fake.printk_len;
	int n;

	fake.printk_calls++;
	va_start(ap, fmt);
	n = vsnprintf(fake.printk_buf + fake.printk_len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		fake.printk_len += (size_t)n < room ? (size_t)n : room - 1;
}

/* The vGIC as the device models see it: remember the last line levels. */
bool fake_irq_level[VGIC_NR_IRQS];

int vgic_set_level(struct vgic *d, unsigned vcpu, unsigned irq, bool level)
{
	(void)d;
	(void)vcpu;
	if (irq >= VGIC_NR_IRQS)
		return -1;
	fake_irq_level[irq] = level;
	return 0;
}

/* WFI or PSCI CPU_SUSPEND (core/trap.c): recorded. */
void vcpu_wait_for_interrupt(struct vcpu *v)
{
	fake.wait_calls++;
	fake.wait_vcpu = v;
}

/* Another CPU told to look at v again (core/sched.c). */
void vcpu_kick(struct vcpu *v)
{
	fake.kick_calls++;
	fake.kick_vcpu = v;
}

/* Locks (include/keel/spinlock.h) ask which CPU this is: the host test is CPU 0. */
unsigned arch_cpu_id(void)
{
	return 0;
}

void arch_relax(void)
{
}

/* The counter: fake.now ticks at 1 MHz. */
uint64_t arch_now(void)
{
	return fake.now;
}

uint32_t arch_counter_freq(void)
{
	return 1000000;
}

/* A channel's doorbell rung (devices/channel.c): recorded, answered with notify_ret. */
int channel_notify(struct vm *from, uint32_t id)
{
	(void)from;
	fake.notify_calls++;
	fake.notify_id = id;
	return fake.notify_ret;
}

/* Every vCPU of a partition told to look again (a stop or restart): counted. */
void vm_kick(struct vm *vm)
{
	(void)vm;
	fake.vm_kick_calls++;
}

/* A vCPU put at an entry point: recorded, and its PC and r0 set. */
void arch_vcpu_reset(struct vcpu *v, uint32_t entry, uint32_t r0, uint32_t r1, uint32_t r2)
{
	fake.reset_calls++;
	fake.reset_vcpu = v;
	fake.reset_entry = entry;
	fake.reset_r0 = r0;
	v->arch.regs.pc = entry;
	v->arch.regs.r[0] = r0;
	v->arch.regs.r[1] = r1;
	v->arch.regs.r[2] = r2;
}
