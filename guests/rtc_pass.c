/* SPDX-License-Identifier: MIT */
/*
 * rtc_pass: a device handed to one partition (passthrough-mmio and
 * passthrough-irqs): QEMU virt's PL031 RTC at 0x09010000, its alarm on
 * INTID 34 (SPI 2, level). The partition sees the real device's id
 * registers and clock, sets the alarm one second ahead and takes the
 * interrupt through its own GIC distributor:
 *   rtc: id ok, time T
 *   rtc: alarm interrupt ok
 * then exits 0 ("rtc: FAIL ..." and 1 otherwise; no interrupt within 3 s of
 * virtual time is a failure).
 * With bootargs "probe-only" it only reads the id registers, for a partition
 * that does not own the RTC: there the read must fault, and its abort
 * handler prints "rtc: abort at 0x09010fe0 (dfsr ...)" and exits 0. Should
 * the read succeed it prints what it got and exits 1.
 */
#include "guest.h"
#include "gic.h"
#include "timer.h"
#include "bootargs.h"

#define RTC_BASE	0x09010000u
#define RTC_DR		0x00
#define RTC_MR		0x04
#define RTC_CR		0x0c
#define RTC_IMSC	0x10
#define RTC_MIS		0x18
#define RTC_ICR		0x1c
#define RTC_ID		0xfe0	/* PeriphID0-3, PCellID0-3: one byte per word */
#define RTC_IRQ		34
#define RTC_ALARM	1u
#define TIMEOUT_US	3000000u

#define GICD_ITARGETSR	0x800

static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static volatile uint32_t alarm_mis, alarms, timeouts;

static void read_id(uint8_t id[8])
{
	for (unsigned i = 0; i < 8; i++)
		id[i] = (uint8_t)mmio_read32(RTC_BASE + RTC_ID + 4 * i);
}

static void print_id(const char *what, const uint8_t id[8])
{
	printf("rtc: %s", what);
	for (unsigned i = 0; i < 8; i++)
		printf(" %02x", id[i]);
	printf("\n");
}

static void on_probe_abort(struct exc_frame *f)
{
	(void)f;
	printf("rtc: abort at 0x%08x (dfsr %03x)\n", read_dfar(), read_dfsr());
	guest_exit(0);
}

static int probe_only(void)
{
	uint8_t id[8];

	exc_set_handler(EXC_DABT, on_probe_abort);
	read_id(id);
	print_id("probe read without an abort, id", id);
	return 1;
}

/* The alarm: read why (MIS), clear it at the RTC so the level drops, then EOI. */
static void on_irq(struct exc_frame *f)
{
	uint32_t iar = gic_ack(), id = iar & 0x3ff;

	(void)f;
	if (id == IRQ_SPURIOUS)
		return;
	if (id == RTC_IRQ) {
		alarm_mis = mmio_read32(RTC_BASE + RTC_MIS);
		mmio_write32(RTC_BASE + RTC_ICR, RTC_ALARM);
		alarms++;
	} else if (id == VTIMER_IRQ) {
		vtimer_stop();
		timeouts++;
	}
	gic_eoi(iar);
}

int main(void)
{
	uint32_t tgt = GICD_BASE + GICD_ITARGETSR + RTC_IRQ / 4 * 4, t;
	uint8_t id[8];

	if (bootarg_flag("probe-only"))
		return probe_only();

	read_id(id);
	for (unsigned i = 0; i < 8; i++) {
		if (id[i] != pl031_id[i]) {
			print_id("FAIL not a PL031, id", id);
			return 1;
		}
	}
	t = mmio_read32(RTC_BASE + RTC_DR);
	if (t == 0) {
		printf("rtc: FAIL RTCDR reads 0\n");
		return 1;
	}
	printf("rtc: id ok, time %u\n", t);

	exc_set_handler(EXC_IRQ, on_irq);
	if (!(mmio_read32(RTC_BASE + RTC_CR) & 1))
		mmio_write32(RTC_BASE + RTC_CR, 1);            /* start the counter */
	mmio_write32(RTC_BASE + RTC_IMSC, 0);
	mmio_write32(RTC_BASE + RTC_ICR, RTC_ALARM);
	mmio_write32(RTC_BASE + RTC_MR, mmio_read32(RTC_BASE + RTC_DR) + 1);
	mmio_write32(RTC_BASE + RTC_IMSC, RTC_ALARM);

	/* SPIs reset targeting no CPU: this one goes to vCPU 0. */
	mmio_write32(tgt, (mmio_read32(tgt) & ~(0xffu << (RTC_IRQ % 4 * 8))) |
		     1u << (RTC_IRQ % 4 * 8));
	gic_enable(VTIMER_IRQ);
	gic_enable(RTC_IRQ);
	vtimer_at(cntvct() + us_to_ticks(TIMEOUT_US, cntfrq()));
	__asm__ volatile("cpsie i" ::: "memory");
	while (!alarms && !timeouts)
		__asm__ volatile("wfi" ::: "memory");
	__asm__ volatile("cpsid i" ::: "memory");
	vtimer_stop();
	mmio_write32(RTC_BASE + RTC_IMSC, 0);

	if (!alarms) {
		printf("rtc: FAIL no interrupt\n");
		return 1;
	}
	if (alarm_mis != RTC_ALARM) {
		printf("rtc: FAIL RTCMIS %08x in the handler, want 1\n", alarm_mis);
		return 1;
	}
	printf("rtc: alarm interrupt ok\n");
	return 0;
}
