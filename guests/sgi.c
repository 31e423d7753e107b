/* SPDX-License-Identifier: MIT */
/*
 * sgi: software-generated interrupts between the two vCPUs of a partition,
 * sent through the emulated GICD_SGIR and taken from the hardware GICV, on
 * one physical CPU or two: by target list, to all others, to self. The
 * receiver sees the sender's CPU number in IAR. vCPU 1 only records what it
 * saw (one console line at a time is the primary's); vCPU 0 checks it.
 */
#include "guest.h"
#include "gic.h"

#define SGIR_TARGETS(mask)  ((uint32_t)(mask) << 16)
#define SGIR_ALL_BUT_SELF   (1u << 24)
#define SGIR_SELF           (2u << 24)
#define IAR_SOURCE(iar)     (((iar) >> 10) & 7)

void secondary_entry(void);

static uint8_t secondary_stack[2048] __attribute__((aligned(8)));
volatile uint32_t secondary_context;   /* r0 at entry, stored by smp_entry.S */
static volatile uint32_t phase;        /* 1: vCPU 1 listens, 2: it is done */
static volatile uint32_t seen_by_1[2];

static void sgi_send(uint32_t how, unsigned id)
{
	mmio_write32(GICD_BASE + GICD_SGIR, how | id);
}

/* Sleep until an interrupt is pending (CPSR.I stays set), then acknowledge it. */
static uint32_t wait_irq(void)
{
	uint32_t iar;

	for (unsigned i = 0; i < 10000; i++) {
		iar = gic_ack();
		if ((iar & 0x3ff) != IRQ_SPURIOUS)
			return iar;
		__asm__ volatile("wfi");
	}
	return IRQ_SPURIOUS;
}

/* Spin until phase == p, trapping so that one physical CPU can run both vCPUs. */
static bool wait_phase(uint32_t p)
{
	for (unsigned i = 0; i < 100000; i++) {
		if (phase == p)
			return true;
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
	}
	return false;
}

void secondary_main(void);
void secondary_main(void)
{
	uint32_t iar;

	mmio_write32(GICC_BASE + GICC_PMR, 0xff);   /* its own (banked) CPU interface */
	mmio_write32(GICC_BASE + GICC_CTLR, 1);
	phase = 1;
	iar = wait_irq();            /* SGI 5 from vCPU 0, by target list */
	seen_by_1[0] = iar;
	gic_eoi(iar);
	sgi_send(SGIR_TARGETS(1u << 0), 6);
	iar = wait_irq();            /* SGI 7 from vCPU 0, to all but itself */
	seen_by_1[1] = iar;
	gic_eoi(iar);
	__asm__ volatile("dmb" ::: "memory");
	phase = 2;
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

int main(void)
{
	uint32_t stack_top = (uint32_t)(secondary_stack + sizeof(secondary_stack));
	uint32_t iar;

	gic_enable(0);   /* distributor and this CPU interface on (SGIs are always enabled) */
	CHECK_EQ("cpu_on", hvc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, stack_top),
		 PSCI_RET_SUCCESS);
	CHECK("secondary_listening", wait_phase(1));

	sgi_send(SGIR_TARGETS(1u << 1), 5);
	iar = wait_irq();
	CHECK_EQ("sgi_6_from_vcpu1", iar & 0x3ff, 6);
	CHECK_EQ("sgi_6_source_is_1", IAR_SOURCE(iar), 1);
	gic_eoi(iar);

	sgi_send(SGIR_ALL_BUT_SELF, 7);
	CHECK("secondary_done", wait_phase(2));
	CHECK_EQ("vcpu1_got_sgi_5", seen_by_1[0] & 0x3ff, 5);
	CHECK_EQ("vcpu1_sgi_5_source_is_0", IAR_SOURCE(seen_by_1[0]), 0);
	CHECK_EQ("vcpu1_got_sgi_7", seen_by_1[1] & 0x3ff, 7);
	CHECK_EQ("all_but_self_skipped_me", gic_ack() & 0x3ff, IRQ_SPURIOUS);

	sgi_send(SGIR_SELF, 8);
	iar = wait_irq();
	CHECK_EQ("sgi_8_to_self", iar & 0x3ff, 8);
	CHECK_EQ("sgi_8_source_is_0", IAR_SOURCE(iar), 0);
	gic_eoi(iar);
	CHECK_EQ("nothing_left", gic_ack() & 0x3ff, IRQ_SPURIOUS);
	return test_summary();
}
