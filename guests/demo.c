/* SPDX-License-Identifier: MIT */
/*
 * demo: what `make run` shows. A bare-metal partition that meets Keel the
 * ways a guest can: its emulated UART, the hypercall ABI, an emulated device
 * reached with a writeback load (which Keel decodes itself), an abort Keel
 * delivers for an address with nothing behind it, and PSCI to power off.
 */
#include "guest.h"
#include <keel/testdev.h>

static volatile uint32_t fault_addr;

static void on_dabt(struct exc_frame *f)
{
	uint32_t dfar;

	__asm__ volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(dfar));
	fault_addr = dfar;
	exc_skip_insn(f);
}

int main(void)
{
	static const char msg[] = "this line went through KEEL_HC_CONSOLE_WRITE\n";
	struct smccc_res res;
	volatile uint32_t *dev = (volatile uint32_t *)TESTDEV_BASE;
	uint32_t base = TESTDEV_BASE, val;

	printf("Hello from a Keel partition (this line went through the emulated PL011)\n");
	hvc_call_res(KEEL_HC_VERSION, 0, 0, 0, &res);
	printf("Keel hypercall ABI version %u.%u, magic %08x\n",
	       (unsigned)(res.r0 >> 16), (unsigned)(res.r0 & 0xffff), (unsigned)res.r1);
	hvc_call(KEEL_HC_CONSOLE_WRITE, (uint32_t)msg, sizeof(msg) - 1, 0);

	dev[1] = 0xc0ffee;
	/* A writeback load: no syndrome for this one, Keel decodes the instruction. */
	__asm__ volatile("ldr %0, [%1, #4]!" : "=r"(val), "+r"(base) : : "memory");
	printf("emulated device: ldr r, [base, #4]! read %08x, base is now %08x\n",
	       (unsigned)val, (unsigned)base);

	exc_set_handler(EXC_DABT, on_dabt);
	(void)*(volatile uint32_t *)0x30000000u;
	printf("reading 0x30000000 (nothing there) gave my abort handler DFAR %08x\n",
	       (unsigned)fault_addr);

	printf("powering off with PSCI SYSTEM_OFF\n");
	smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	return 1;
}
