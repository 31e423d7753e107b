/* SPDX-License-Identifier: MIT */
/*
 * exitstats: the exit-stats device (<keel/statdev.h>) as a partition with
 * `keel,exit-stats` and 2 vCPUs sees it. Its header and row names are what
 * the header says; a latched copy matches KEEL_HC_EXIT_STATS taken just
 * before it, holds still while it is read, and grows by exactly the exits
 * made between two latches; the partition's copy is the sum over both
 * vCPUs; every access the map forbids is a data abort the guest takes and
 * survives, and changes nothing.
 */
#include "guest.h"
#include "timer.h"
#include <keel/statdev.h>

#define DEV             STATDEV_BASE
#define UART_FR         0x09000018u
#define ROW_REG(i, r)   (DEV + STATDEV_ROW(i) + (r))
#define WORK_CALLS      100u
#define WORK_READS      50u
#define VCPU1_CALLS     200u
/* Rows of the cost model whose position the ABI fixes (core/stats.c names them). */
#define ROW_VERSION     11u         /* KEEL_EXIT_ROWS + KEEL_HC_VERSION - KEEL_HC_BASE */
#define ROW_EXIT_STATS  17u
#define ROW_PSCI        18u
#define ROW_PSCI_SMC    19u
#define ROW_FIRST_DEV   20u
#define ROW_UART        (ROW_FIRST_DEV + 1)   /* the bus: distributor, UART, this device */

struct row {
	uint64_t count, ticks;
};

static struct row rows[STATDEV_ROWS_MAX];
static uint32_t nrows;

void secondary_entry(void);
void secondary_main(void);
static uint8_t secondary_stack[2048] __attribute__((aligned(8)));
volatile uint32_t secondary_context;   /* r0 at entry, stored by smp_entry.S */
static volatile uint32_t vcpu1_done;

static volatile struct {
	unsigned count;
	uint32_t far, fsr;
} seen;

static void on_dabt(struct exc_frame *f)
{
	seen.count++;
	seen.far = read_dfar();
	seen.fsr = read_dfsr();
	exc_skip_insn(f);
}

static uint64_t rd64(uint32_t lo)
{
	return mmio_read32(lo) | (uint64_t)mmio_read32(lo + 4) << 32;
}

/* Latch with scope and read every row into rows[]. */
static void snapshot(uint32_t scope)
{
	mmio_write32(DEV + STATDEV_LATCH, scope);
	nrows = mmio_read32(DEV + STATDEV_ROWS);
	if (nrows > STATDEV_ROWS_MAX)
		nrows = STATDEV_ROWS_MAX;
	for (uint32_t i = 0; i < nrows; i++) {
		rows[i].count = rd64(ROW_REG(i, STATDEV_COUNT_LO));
		rows[i].ticks = rd64(ROW_REG(i, STATDEV_TICKS_LO));
	}
}

static uint32_t reason_of(uint32_t row)
{
	return mmio_read32(ROW_REG(row, STATDEV_REASON));
}

/* A reason's total over the rows that belong to it. */
static struct row reason_total(uint32_t reason)
{
	struct row t = { 0, 0 };

	for (uint32_t i = 0; i < nrows; i++)
		if (reason_of(i) == reason) {
			t.count += rows[i].count;
			t.ticks += rows[i].ticks;
		}
	return t;
}

/* Row i's name into buf (STATDEV_NAME_MAX bytes). */
static void row_name(uint32_t i, char *buf)
{
	for (uint32_t k = 0; k < STATDEV_NAME_MAX; k += 4) {
		uint32_t w = mmio_read32(ROW_REG(i, STATDEV_NAME + k));

		for (unsigned b = 0; b < 4; b++)
			buf[k + b] = (char)(w >> (8 * b));
	}
	buf[STATDEV_NAME_MAX - 1] = '\0';
}

static bool streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void check_name(const char *test, uint32_t row, const char *want)
{
	char name[STATDEV_NAME_MAX];

	row_name(row, name);
	if (streq(name, want))
		test_pass(test);
	else
		test_fail(test, "row %u is '%s', want '%s'", row, name, want);
}

static void check_header(void)
{
	uint32_t self = mmio_read32(DEV + STATDEV_SELF);
	uint32_t n = mmio_read32(DEV + STATDEV_ROWS);

	CHECK_EQ("statdev_id", mmio_read32(DEV + STATDEV_ID), STATDEV_MAGIC);
	CHECK_EQ("statdev_version", mmio_read32(DEV + STATDEV_VERSION), STATDEV_VERSION_1);
	CHECK_EQ("statdev_freq", mmio_read32(DEV + STATDEV_FREQ), cntfrq());
	/* the distributor, the UART and this device: one row each after the fixed ones */
	CHECK_EQ("statdev_rows", n, ROW_FIRST_DEV + 3);
	CHECK("statdev_self_is_a_device_row", self >= ROW_FIRST_DEV && self < n);
	check_name("statdev_self_name", self, "exit-stats");
	CHECK_EQ("statdev_self_reason_dabt", reason_of(self), 2);
	check_name("statdev_name_hvc_rest", 0, "hvc-unknown");
	check_name("statdev_name_wfi", 4, "wfi");
	check_name("statdev_name_version", ROW_VERSION, "version");
	check_name("statdev_name_exit_stats", ROW_EXIT_STATS, "exit_stats");
	check_name("statdev_name_psci", ROW_PSCI, "psci");
	check_name("statdev_name_psci_smc", ROW_PSCI_SMC, "psci-smc");
	check_name("statdev_name_pl011", ROW_UART, "pl011");
	CHECK_EQ("statdev_reason_version_hvc", reason_of(ROW_VERSION), 0);
	CHECK_EQ("statdev_reason_psci_smc", reason_of(ROW_PSCI_SMC), 1);
	CHECK_EQ("statdev_reason_wfi", reason_of(4), 4);
}

/*
 * For each reason, KEEL_HC_EXIT_STATS and then at once a latch: the copy
 * holds what the call said plus the call itself (an hvc exit, counted when
 * Keel was done with it).
 */
static void check_matches_hypercall(void)
{
	static const char *const names[KEEL_EXIT_ROWS] = { KEEL_EXIT_NAMES };
	bool counts_ok = true, ticks_ok = true;

	for (uint32_t r = 0; r < KEEL_EXIT_ROWS; r++) {
		struct smccc_res res;
		struct row t;
		uint64_t hc_ticks;

		hvc_call_res(KEEL_HC_EXIT_STATS, r, 0, 0, &res);
		snapshot(STATDEV_SCOPE_VCPU);
		t = reason_total(r);
		hc_ticks = res.r2 | (uint64_t)res.r3 << 32;
		if (t.count != res.r1 + (r == 0)) {
			counts_ok = false;
			printf("statdev: %s: device %u, hypercall %u\n", names[r],
			       (uint32_t)t.count, res.r1);
		}
		if (r == 0 ? t.ticks < hc_ticks : t.ticks != hc_ticks) {
			ticks_ok = false;
			printf("statdev: %s: device %u ticks, hypercall %u\n", names[r],
			       (uint32_t)t.ticks, (uint32_t)hc_ticks);
		}
	}
	CHECK("statdev_counts_match_hypercall", counts_ok);
	CHECK("statdev_ticks_match_hypercall", ticks_ok);
	CHECK("statdev_dabt_seen", reason_total(2).count > 0);
}

/* Known work between two latches shows up exactly; nothing goes down; reads hold still. */
static void check_monotonic(void)
{
	static struct row before[STATDEV_ROWS_MAX];
	uint32_t self = mmio_read32(DEV + STATDEV_SELF), seq, n, accesses;
	bool mono = true, still = true;

	snapshot(STATDEV_SCOPE_VCPU);
	n = nrows;
	for (uint32_t i = 0; i < n; i++)
		before[i] = rows[i];
	/* the copy does not move while it is read (the reads are exits too) */
	for (uint32_t i = 0; i < n; i++)
		if (rd64(ROW_REG(i, STATDEV_COUNT_LO)) != before[i].count ||
		    rd64(ROW_REG(i, STATDEV_TICKS_LO)) != before[i].ticks)
			still = false;
	seq = mmio_read32(DEV + STATDEV_SEQ);
	for (uint32_t i = 0; i < WORK_CALLS; i++)
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
	for (uint32_t i = 0; i < WORK_READS; i++)
		mmio_read32(UART_FR);
	snapshot(STATDEV_SCOPE_VCPU);
	CHECK("statdev_copy_holds_still", still);
	CHECK_EQ("statdev_seq_counts_latches", mmio_read32(DEV + STATDEV_SEQ), seq + 1);
	CHECK_EQ("statdev_scope_vcpu0", mmio_read32(DEV + STATDEV_SCOPE), STATDEV_SCOPE_VCPU);
	for (uint32_t i = 0; i < n; i++)
		if (rows[i].count < before[i].count || rows[i].ticks < before[i].ticks)
			mono = false;
	CHECK("statdev_monotonic", mono);
	CHECK_EQ("statdev_version_calls", rows[ROW_VERSION].count - before[ROW_VERSION].count,
		 WORK_CALLS);
	CHECK("statdev_version_ticks",
	      rows[ROW_VERSION].ticks > before[ROW_VERSION].ticks);
	CHECK_EQ("statdev_uart_reads",
		 rows[ROW_UART].count - before[ROW_UART].count, WORK_READS);
	/*
	 * This device's row: the first latch, the reads of its copy (ROWS and
	 * 4 a row), the second pass over it (4 a row) and the SEQ read.
	 */
	accesses = 1 + 1 + 4 * n + 4 * n + 1;
	CHECK_EQ("statdev_self_row_counts_own_accesses", rows[self].count - before[self].count,
		 accesses);
}

void secondary_main(void)
{
	for (uint32_t i = 0; i < VCPU1_CALLS; i++)
		hvc_call(KEEL_HC_VERSION, 0, 0, 0);
	__asm__ volatile("dmb" ::: "memory");
	vcpu1_done = 1;
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

/* The partition's copy: vCPU 0's plus vCPU 1's 200 calls. */
static void check_partition_scope(void)
{
	uint32_t stack_top = (uint32_t)(secondary_stack + sizeof(secondary_stack));
	uint64_t mine;
	bool sum_ok = true;
	static struct row own[STATDEV_ROWS_MAX];

	CHECK_EQ("statdev_cpu_on", hvc_call(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, stack_top),
		 PSCI_RET_SUCCESS);
	for (uint32_t i = 0; i < 100000000u && !vcpu1_done; i++)
		;
	CHECK("statdev_vcpu1_done", vcpu1_done);
	__asm__ volatile("dmb" ::: "memory");
	snapshot(STATDEV_SCOPE_VCPU);
	mine = rows[ROW_VERSION].count;
	for (uint32_t i = 0; i < nrows; i++)
		own[i] = rows[i];
	snapshot(STATDEV_SCOPE_PARTITION);
	CHECK_EQ("statdev_scope_partition", mmio_read32(DEV + STATDEV_SCOPE),
		 STATDEV_SCOPE_PARTITION);
	CHECK_EQ("statdev_partition_adds_vcpu1_calls", rows[ROW_VERSION].count - mine, VCPU1_CALLS);
	for (uint32_t i = 0; i < nrows; i++)
		if (rows[i].count < own[i].count)
			sum_ok = false;
	CHECK("statdev_partition_at_least_vcpu0", sum_ok);
}

/* One forbidden access: an abort at addr, taken by the guest, and the device unchanged. */
static void hostile(const char *name, uint32_t addr, void (*access)(uint32_t))
{
	uint32_t seq = mmio_read32(DEV + STATDEV_SEQ);

	seen.count = 0;
	seen.far = seen.fsr = 0;
	access(addr);
	if (seen.count == 1 && seen.far == addr && FSR_STATUS(seen.fsr) == FSR_SYNC_EXT &&
	    mmio_read32(DEV + STATDEV_SEQ) == seq)
		test_pass(name);
	else
		test_fail(name, "aborts %u, DFAR 0x%08x, DFSR 0x%08x", seen.count, seen.far,
			  seen.fsr);
}

static void do_read32(uint32_t a) { mmio_read32(a); }
static void do_write32(uint32_t a) { mmio_write32(a, 1); }
static void do_write_latch2(uint32_t a) { mmio_write32(a, 2); }
static void do_read8(uint32_t a) { mmio_read8(a); }
static void do_write8(uint32_t a) { mmio_write8(a, 0); }
static void do_read16(uint32_t a)
{
	uint32_t v;

	__asm__ volatile("ldrh %0, [%1]" : "=r"(v) : "r"(a) : "memory");
}

static void check_hostile(void)
{
	uint32_t n = mmio_read32(DEV + STATDEV_ROWS);

	exc_set_handler(EXC_DABT, on_dabt);
	hostile("statdev_write_id", DEV + STATDEV_ID, do_write32);
	hostile("statdev_write_count", ROW_REG(0, STATDEV_COUNT_LO), do_write32);
	hostile("statdev_write_seq", DEV + STATDEV_SEQ, do_write32);
	hostile("statdev_latch_bad_scope", DEV + STATDEV_LATCH, do_write_latch2);
	hostile("statdev_read_latch", DEV + STATDEV_LATCH, do_read32);
	hostile("statdev_read_byte", DEV + STATDEV_ID + 1, do_read8);
	hostile("statdev_write_byte", DEV + STATDEV_LATCH, do_write8);
	hostile("statdev_read_halfword", DEV + STATDEV_ROW(0) + 2, do_read16);
	hostile("statdev_read_header_gap", DEV + 0x20, do_read32);
	hostile("statdev_read_row_gap", ROW_REG(0, 0x14), do_read32);
	hostile("statdev_read_past_rows", ROW_REG(n, STATDEV_COUNT_LO), do_read32);
	hostile("statdev_read_page_end", DEV + STATDEV_SIZE - 4, do_read32);
	exc_set_handler(EXC_DABT, NULL);
	/* still there and still right after all that */
	CHECK_EQ("statdev_alive", mmio_read32(DEV + STATDEV_ID), STATDEV_MAGIC);
}

int main(void)
{
	check_header();
	check_matches_hypercall();
	check_monotonic();
	check_partition_scope();
	check_hostile();
	return test_summary();
}
