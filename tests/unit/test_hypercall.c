/* SPDX-License-Identifier: MIT */
/*
 * Hypercall and PSCI dispatch (core/hypercall.c, devices/psci.c) on the host.
 * A test-owned partition has 64 KiB of "RAM" at IPA 0x40000000 backed by a
 * host buffer; the fakes (fakes.c) hold the registers in the vCPU and record
 * console bytes, vm_stop and instruction skips. Expected values come from the
 * ABI header and the SMCCC/PSCI specifications, not from the code under test.
 */
#include "unit.h"
#include "fakes.h"
#include <keel/hypercall.h>
#include <keel/hypercall_impl.h>
#include <keel/vm.h>

#define RAM_IPA   0x40000000ull
#define RAM_SIZE  0x10000ull

static struct vm vm;
static uint8_t ram[RAM_SIZE];

static struct vcpu *setup(void)
{
	fake_reset();
	memset(&vm, 0, sizeof(vm));
	memset(ram, 0, sizeof(ram));
	snprintf(vm.name, sizeof(vm.name), "hc");
	vm.state = VM_RUNNING;
	vm.ram_ipa = RAM_IPA;
	vm.ram_size = RAM_SIZE;
	vm.ram = ram;
	vm.nr_vcpus = 1;
	vm.vcpus[0].vm = &vm;
	vm.vcpus[0].state = VCPU_RUNNABLE;
	vm.vcpus[0].arch.regs.pc = 0x40010000u;
	return &vm.vcpus[0];
}

/*
 * Issue fn with arguments a1-a3 as HVC (smc = false) or SMC, the way
 * core/trap.c does (an HVC tries the fast path first); returns r0.
 */
static uint32_t call(struct vcpu *v, uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3,
		     bool smc)
{
	v->arch.regs.r[0] = fn;
	v->arch.regs.r[1] = a1;
	v->arch.regs.r[2] = a2;
	v->arch.regs.r[3] = a3;
	fake.regs_written = 0;
	if (smc || !hypercall_fast(v))
		hypercall_handle(v, smc);
	return v->arch.regs.r[0];
}

/* ---- guest_range_ok ------------------------------------------------------ */

TEST(guest_range_ok_edges)
{
	static const struct {
		const char *label;
		uint64_t base, size, ipa, len;
		bool ok;
	} cases[] = {
		{ "inside",                0x1000, 0x1000, 0x1100, 0x10, true },
		{ "whole range",           0x1000, 0x1000, 0x1000, 0x1000, true },
		{ "first byte",            0x1000, 0x1000, 0x1000, 1, true },
		{ "last byte",             0x1000, 0x1000, 0x1fff, 1, true },
		{ "exact fit at end",      0x1000, 0x1000, 0x1f00, 0x100, true },
		{ "one byte past end",     0x1000, 0x1000, 0x1f00, 0x101, false },
		{ "starts at end",         0x1000, 0x1000, 0x2000, 1, false },
		{ "ipa below base",        0x1000, 0x1000, 0x0fff, 1, false },
		{ "straddles base",        0x1000, 0x1000, 0x0fff, 2, false },
		{ "far below base",        0x1000, 0x1000, 0, 0x10, false },
		{ "len 0 inside",          0x1000, 0x1000, 0x1800, 0, true },
		{ "len 0 at base",         0x1000, 0x1000, 0x1000, 0, true },
		{ "len 0 at end",          0x1000, 0x1000, 0x2000, 0, true },
		{ "len 0 past end",        0x1000, 0x1000, 0x2001, 0, false },
		{ "len 0 below base",      0x1000, 0x1000, 0x0fff, 0, false },
		{ "len > size",            0x1000, 0x1000, 0x1000, 0x1001, false },
		{ "len huge",              0x1000, 0x1000, 0x1000, UINT64_MAX, false },
		{ "ipa+len wraps 64 bits", 0x1000, 0x1000, 0x1800, UINT64_MAX - 0x7ff, false },
		{ "ipa max, len 2",        0, UINT64_MAX, UINT64_MAX, 2, false },
		{ "ipa max, len 1",        0, UINT64_MAX, UINT64_MAX - 1, 1, true },
		{ "top of space, fits",    UINT64_MAX - 0xff, 0x100, UINT64_MAX - 0xf, 0x10, true },
		{ "top of space, wraps",   UINT64_MAX - 0xff, 0x100, UINT64_MAX - 0xf, 0x11, false },
		{ "size 0, len 0 at base", 0x1000, 0, 0x1000, 0, true },
		{ "size 0, len 1",         0x1000, 0, 0x1000, 1, false },
		{ "ipa far above",         0x1000, 0x1000, 0xffffffff00000000ull, 0x10, false },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_EQ_MSG(guest_range_ok(cases[i].base, cases[i].size, cases[i].ipa,
					    cases[i].len), cases[i].ok, cases[i].label);
}

/* ---- Keel calls ---------------------------------------------------------- */

/* A channel's doorbell: the id goes to channel_notify, its refusal is EINVAL. */
TEST(channel_notify_passes_id_and_refusal)
{
	struct vcpu *v = setup();

	CHECK_EQ(call(v, KEEL_HC_CHANNEL_NOTIFY, 3, 0, 0, false), (uint32_t)KEEL_HC_OK);
	CHECK_EQ(fake.notify_calls, 1);
	CHECK_EQ(fake.notify_id, 3);
	fake.notify_ret = -1;
	CHECK_EQ(call(v, KEEL_HC_CHANNEL_NOTIFY, 7, 0, 0, false), (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(fake.notify_id, 7);
	/* over SMC it is not Keel's call */
	CHECK_EQ(call(v, KEEL_HC_CHANNEL_NOTIFY, 3, 0, 0, true), (uint32_t)KEEL_HC_ENOTSUP);
	CHECK_EQ(fake.notify_calls, 2);
}

/* Petting the watchdog moves its deadline watchdog-ms ahead; without one, nothing. */
TEST(watchdog_pet)
{
	struct vcpu *v = setup();

	fake.now = 5000;
	CHECK_EQ(call(v, KEEL_HC_WATCHDOG_PET, 0, 0, 0, false), (uint32_t)KEEL_HC_OK);
	CHECK_EQ(vm.watchdog_due, 0);
	vm.cfg.watchdog_ms = 40;
	CHECK_EQ(call(v, KEEL_HC_WATCHDOG_PET, 0, 0, 0, false), (uint32_t)KEEL_HC_OK);
	CHECK_EQ(vm.watchdog_due, 5000 + 40000);
}

/*
 * The cost model read back by the guest: its own vCPU's reason totals (the
 * reason's own row plus the finer ones), nothing past the last reason.
 */
TEST(exit_stats)
{
	struct vcpu *v = setup();

	v->stats.row[EXIT_DABT].count = 3;              /* aborts injected */
	v->stats.row[EXIT_DABT].ticks = 2;
	v->stats.row[ROW_DEVICE + 1].count = 4;         /* MMIO to the second device */
	v->stats.row[ROW_DEVICE + 1].ticks = 0x100000000ull;
	v->stats.row[EXIT_IRQ].count = 0x100000005ull;
	v->stats.row[ROW_CALL].count = 9;               /* HVC rows stay out of DABT's */
	CHECK_EQ(call(v, KEEL_HC_EXIT_STATS, EXIT_DABT, 0, 0, false), (uint32_t)KEEL_HC_OK);
	CHECK_EQ(v->arch.regs.r[1], 7);
	CHECK_EQ(v->arch.regs.r[2], 2);
	CHECK_EQ(v->arch.regs.r[3], 1);
	CHECK_EQ(call(v, KEEL_HC_EXIT_STATS, EXIT_HVC, 0, 0, false), (uint32_t)KEEL_HC_OK);
	CHECK_EQ(v->arch.regs.r[1], 9);
	CHECK_EQ(call(v, KEEL_HC_EXIT_STATS, EXIT_IRQ, 0, 0, false), (uint32_t)KEEL_HC_OK);
	CHECK_EQ(v->arch.regs.r[1], 0xffffffffu);   /* saturated */
	CHECK_EQ(call(v, KEEL_HC_EXIT_STATS, EXIT_NR, 9, 9, false), (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(v->arch.regs.r[1], EXIT_NR);       /* untouched on error */
	CHECK_EQ(call(v, KEEL_HC_EXIT_STATS, 0xffffffffu, 0, 0, false), (uint32_t)KEEL_HC_EINVAL);
}

TEST(version)
{
	struct vcpu *v = setup();

	CHECK_EQ(call(v, KEEL_HC_VERSION, 0, 0, 0, false), KEEL_ABI_VERSION);
	CHECK_EQ(v->arch.regs.r[1], KEEL_HC_MAGIC);
	CHECK_EQ(KEEL_HC_MAGIC, 0x4b45454cu);   /* "KEEL" */
	CHECK_EQ(fake.regs_written, 0x3);       /* r0 and r1 only */
	CHECK_EQ(fake.skip_calls, 0);
	CHECK_EQ(fake.bad_reg_calls, 0);
}

TEST(console_write_good_buffer)
{
	struct vcpu *v = setup();
	static const char msg[] = "hello, keel\n";
	char out[64];

	memcpy(ram + 0x100, msg, sizeof(msg) - 1);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, RAM_IPA + 0x100, sizeof(msg) - 1, 0, false),
		 sizeof(msg) - 1);
	CHECK_EQ(fake_console_of(&vm, out, sizeof(out)), sizeof(msg) - 1);
	CHECK(!strcmp(out, msg));
	CHECK_EQ(fake.console_len, sizeof(msg) - 1);   /* nothing for another vm */
	CHECK_EQ(fake.regs_written, 0x1);              /* only r0 */
	CHECK_EQ(fake.skip_calls, 0);
}

TEST(console_write_bytes_verbatim)
{
	struct vcpu *v = setup();
	char out[300];

	/* Every byte value goes through unchanged, NUL and high bytes included. */
	for (unsigned i = 0; i < 256; i++)
		ram[0x200 + i] = (uint8_t)i;
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, RAM_IPA + 0x200, 256, 0, false), 256);
	CHECK_EQ(fake_console_of(&vm, out, sizeof(out)), 256);
	for (unsigned i = 0; i < 256; i++)
		CHECK_EQ_MSG((uint8_t)out[i], i, "byte");
}

TEST(console_write_limits)
{
	struct vcpu *v = setup();

	/* The longest allowed write, ending on the last byte of RAM. */
	memset(ram + RAM_SIZE - KEEL_HC_CONSOLE_MAX, 'x', KEEL_HC_CONSOLE_MAX);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, RAM_IPA + RAM_SIZE - KEEL_HC_CONSOLE_MAX,
		      KEEL_HC_CONSOLE_MAX, 0, false), KEEL_HC_CONSOLE_MAX);
	CHECK_EQ(fake.console_len, KEEL_HC_CONSOLE_MAX);

	/* One byte more is refused before anything is printed. */
	fake_reset();
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, RAM_IPA, KEEL_HC_CONSOLE_MAX + 1, 0, false),
		 (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, RAM_IPA, 0xffffffffu, 0, false),
		 (uint32_t)KEEL_HC_EINVAL);
	/* Too long and outside RAM: the length is checked first. */
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, 0x1000, KEEL_HC_CONSOLE_MAX + 1, 0, false),
		 (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(fake.console_len, 0);

	/* Length 0 succeeds with 0 and prints nothing, wherever it points. */
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, RAM_IPA + 0x10, 0, 0, false), 0);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_WRITE, 0, 0, 0, false), 0);
	CHECK_EQ(fake.console_len, 0);
}

TEST(console_write_bad_pointer)
{
	static const struct {
		const char *label;
		uint32_t ipa, len;
	} cases[] = {
		{ "below RAM",             0x30000000u, 16 },
		{ "address 0",             0, 16 },
		{ "just below RAM",        (uint32_t)RAM_IPA - 16, 16 },
		{ "straddles RAM start",   (uint32_t)RAM_IPA - 1, 2 },
		{ "at end of RAM",         (uint32_t)(RAM_IPA + RAM_SIZE), 1 },
		{ "past RAM",              (uint32_t)(RAM_IPA + RAM_SIZE) + 0x1000, 8 },
		{ "straddles RAM end",     (uint32_t)(RAM_IPA + RAM_SIZE) - 2, 4 },
		{ "one byte too long",     (uint32_t)RAM_IPA + 0x100, 0, },  /* filled below */
		{ "top of 32-bit space",   0xfffffff0u, 0x20 },
		{ "UART page",             0x09000000u, 4 },
	};
	char label[64];

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vcpu *v = setup();
		uint32_t ipa = cases[i].ipa, len = cases[i].len;

		if (!len) {       /* a full-size write that ends one byte past RAM */
			ipa = (uint32_t)(RAM_IPA + RAM_SIZE) - KEEL_HC_CONSOLE_MAX + 1;
			len = KEEL_HC_CONSOLE_MAX;
		}
		memset(ram, 'r', sizeof(ram));
		snprintf(label, sizeof(label), "%s: r0", cases[i].label);
		CHECK_EQ_MSG(call(v, KEEL_HC_CONSOLE_WRITE, ipa, len, 0, false),
			     (uint32_t)KEEL_HC_EFAULT, label);
		snprintf(label, sizeof(label), "%s: printed", cases[i].label);
		CHECK_EQ_MSG(fake.console_len, 0, label);
		CHECK_EQ_MSG(fake.stop_calls, 0, label);
	}
}

TEST(console_putc)
{
	struct vcpu *v = setup();
	char out[8];

	CHECK_EQ(call(v, KEEL_HC_CONSOLE_PUTC, 'K', 0, 0, false), KEEL_HC_OK);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_PUTC, 0, 0, 0, false), KEEL_HC_OK);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_PUTC, 0xff, 0, 0, false), KEEL_HC_OK);
	CHECK_EQ(fake.regs_written, 0x1);
	CHECK_EQ(fake_console_of(&vm, out, sizeof(out)), 3);
	CHECK_EQ(out[0], 'K');
	CHECK_EQ(out[1], 0);
	CHECK_EQ((uint8_t)out[2], 0xff);

	fake_reset();
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_PUTC, 0x100, 0, 0, false), (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_PUTC, 0x141, 0, 0, false), (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(call(v, KEEL_HC_CONSOLE_PUTC, 0xffffffffu, 0, 0, false),
		 (uint32_t)KEEL_HC_EINVAL);
	CHECK_EQ(fake.console_len, 0);
}

TEST(exit_status_reaches_vm_stop)
{
	static const uint32_t statuses[] = { 0, 1, 42, 0x7fffffffu, 0xfffffff9u, 0x80000000u };

	for (unsigned i = 0; i < ARRAY_SIZE(statuses); i++) {
		struct vcpu *v = setup();

		CHECK_EQ(call(v, KEEL_HC_EXIT, statuses[i], 0, 0, false), KEEL_HC_OK);
		CHECK_EQ_MSG(fake.stop_calls, 1, "stop calls");
		CHECK(fake.stop_vm == &vm);
		CHECK_EQ_MSG((uint32_t)fake.stop_status, statuses[i], "status");
		CHECK_EQ_MSG((uint32_t)vm.exit_status, statuses[i], "vm status");
		CHECK(fake.stop_reason[0] != '\0');
		CHECK_EQ(fake.skip_calls, 0);
	}
}

TEST(unknown_ids_not_supported)
{
	static const uint32_t ids[] = {
		KEEL_HC_BASE + KEEL_HC_COUNT, KEEL_HC_BASE + 0x7f, KEEL_HC_BASE + 0xffff,
		KEEL_HC_BASE + 0xffffff, KEEL_HC_BASE - 1, 0x12345678u, 0, 1, 0xffffffffu,
		0x80000000u,            /* SMCCC_VERSION: not offered */
		0xc6000000u,            /* Keel's VERSION as an SMC64 id */
		0x06000000u,            /* Keel's VERSION as a yielding call */
		0x85000000u, 0x87000000u, 0xb0000000u, 0xbf000000u,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		struct vcpu *v = setup();
		char label[32];

		snprintf(label, sizeof(label), "id 0x%08x", ids[i]);
		for (int smc = 0; smc < 2; smc++) {
			CHECK_EQ_MSG(call(v, ids[i], 1, 2, 3, smc), (uint32_t)KEEL_HC_ENOTSUP, label);
			CHECK_EQ_MSG(fake.regs_written, 0x1, label);
			CHECK_EQ_MSG(v->arch.regs.r[1], 1, label);
		}
		CHECK_EQ_MSG(fake.console_len, 0, label);
		CHECK_EQ_MSG(fake.stop_calls, 0, label);
		CHECK_EQ_MSG(vm.reset_requested, 0, label);
	}
}

TEST(keel_calls_are_hvc_only)
{
	static const uint32_t ids[] = {
		KEEL_HC_VERSION, KEEL_HC_CONSOLE_WRITE, KEEL_HC_EXIT, KEEL_HC_CONSOLE_PUTC,
	};
	struct vcpu *v = setup();

	memcpy(ram, "abcd", 4);
	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		uint32_t arg1 = ids[i] == KEEL_HC_CONSOLE_PUTC ? 'z' : (uint32_t)RAM_IPA;
		unsigned skips = fake.skip_calls;
		uint32_t pc = v->arch.regs.pc;

		CHECK_EQ_MSG(call(v, ids[i], arg1, 4, 0, true), (uint32_t)KEEL_HC_ENOTSUP, "smc");
		CHECK_EQ_MSG(v->arch.regs.r[1], arg1, "smc leaves r1");
		CHECK_EQ_MSG(fake.skip_calls, skips + 1, "smc skips once");
		CHECK_EQ_MSG(v->arch.regs.pc, pc + 4, "smc pc");
	}
	CHECK_EQ(fake.console_len, 0);
	CHECK_EQ(fake.stop_calls, 0);
	CHECK_EQ(vm.state, VM_RUNNING);
}

TEST(hvc_never_skips_smc_always_does)
{
	static const uint32_t ids[] = {
		KEEL_HC_VERSION, KEEL_HC_CONSOLE_PUTC, 0x12345678u, PSCI_VERSION, PSCI_FEATURES,
		PSCI_MIGRATE_INFO_TYPE, PSCI_CPU_ON, 0xc4000003u,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		struct vcpu *v = setup();
		uint32_t pc = v->arch.regs.pc;

		call(v, ids[i], 'a', 0, 0, false);
		CHECK_EQ_MSG(fake.skip_calls, 0, "hvc");
		CHECK_EQ_MSG(v->arch.regs.pc, pc, "hvc pc");
		call(v, ids[i], 'a', 0, 0, true);
		CHECK_EQ_MSG(fake.skip_calls, 1, "smc");
		CHECK_EQ_MSG(v->arch.regs.pc, pc + 4, "smc pc");
	}
}

/* ---- PSCI ---------------------------------------------------------------- */

TEST(psci_version_both_conduits)
{
	struct vcpu *v = setup();

	CHECK_EQ(PSCI_VERSION_1_0, 0x10000u);
	CHECK_EQ(call(v, PSCI_VERSION, 0, 0, 0, false), 0x10000u);
	CHECK_EQ(fake.regs_written, 0x1);
	CHECK_EQ(call(v, PSCI_VERSION, 0, 0, 0, true), 0x10000u);
	CHECK_EQ(fake.regs_written, 0x1);
}

TEST(psci_features)
{
	static const struct {
		uint32_t fn;
		uint32_t want;
	} cases[] = {
		{ PSCI_VERSION, 0 },
		{ PSCI_FEATURES, 0 },
		{ PSCI_MIGRATE_INFO_TYPE, 0 },
		{ PSCI_SYSTEM_OFF, 0 },
		{ PSCI_SYSTEM_RESET, 0 },
		{ PSCI_CPU_ON, 0 },
		{ PSCI_CPU_OFF, 0 },
		{ PSCI_CPU_SUSPEND, 0 },
		{ PSCI_AFFINITY_INFO, 0 },
		{ 0x8400ffffu, (uint32_t)PSCI_RET_NOT_SUPPORTED },
		{ 0xc4000003u, (uint32_t)PSCI_RET_NOT_SUPPORTED },     /* CPU_ON, SMC64 */
		{ 0xc4000008u, (uint32_t)PSCI_RET_NOT_SUPPORTED },     /* SYSTEM_OFF as SMC64 */
		{ 0x04000000u, (uint32_t)PSCI_RET_NOT_SUPPORTED },     /* yielding call */
		{ KEEL_HC_VERSION, (uint32_t)PSCI_RET_NOT_SUPPORTED }, /* not a PSCI function */
		{ 0, (uint32_t)PSCI_RET_NOT_SUPPORTED },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		char label[32];

		snprintf(label, sizeof(label), "FEATURES(0x%08x)", cases[i].fn);
		for (int smc = 0; smc < 2; smc++) {
			struct vcpu *v = setup();

			CHECK_EQ_MSG(call(v, PSCI_FEATURES, cases[i].fn, 0, 0, smc), cases[i].want,
				     label);
			CHECK_EQ_MSG(fake.stop_calls, 0, label);
			CHECK_EQ_MSG(vm.reset_requested, 0, label);
		}
	}
}

TEST(psci_migrate_info_type)
{
	struct vcpu *v = setup();

	CHECK_EQ(call(v, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, false), 2);
	CHECK_EQ(call(v, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, true), 2);
}

TEST(psci_unimplemented_functions)
{
	static const uint32_t ids[] = {
		0x84000005u, 0x84000007u, 0x8400000bu, 0x8400001fu, 0x8400ffffu,
		0xc4000003u, 0xc4000000u, 0xc4000008u, 0xc4000009u, 0xc4000001u,
		0x04000000u, 0x04000008u,    /* yielding calls in PSCI's range */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		char label[32];

		snprintf(label, sizeof(label), "id 0x%08x", ids[i]);
		for (int smc = 0; smc < 2; smc++) {
			struct vcpu *v = setup();

			CHECK_EQ_MSG(call(v, ids[i], 0x40010000u, 0, 0, smc),
				     (uint32_t)PSCI_RET_NOT_SUPPORTED, label);
			CHECK_EQ_MSG(fake.stop_calls, 0, label);
			CHECK_EQ_MSG(vm.reset_requested, 0, label);
			CHECK_EQ_MSG(vm.state, VM_RUNNING, label);
		}
	}
}

/* A partition with n vCPUs: vCPU 0 runs, the others are off. */
static struct vcpu *setup_smp(unsigned n)
{
	struct vcpu *v = setup();

	vm.nr_vcpus = n;
	for (unsigned i = 1; i < n; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].idx = i;
		vm.vcpus[i].state = VCPU_OFF;
	}
	return v;
}

/* What the target's own CPU does with a CPU_ON request (core/sched.c). */
static void start_pending(struct vcpu *t)
{
	CHECK(t->on_pending);
	t->on_pending = false;
	t->state = VCPU_RUNNABLE;
}

TEST(psci_cpu_on)
{
	for (int smc = 0; smc < 2; smc++) {
		struct vcpu *v = setup_smp(2);

		CHECK_EQ(call(v, PSCI_AFFINITY_INFO, 1, 0, 0, smc), 1);       /* OFF */
		CHECK_EQ(call(v, PSCI_CPU_ON, 1, RAM_IPA + 0x8000, 0xc0de, smc), PSCI_RET_SUCCESS);
		/* Recorded for vCPU 1's own CPU, which is kicked; nothing reset here. */
		CHECK(vm.vcpus[1].on_pending);
		CHECK_EQ(vm.vcpus[1].on_entry, RAM_IPA + 0x8000);
		CHECK_EQ(vm.vcpus[1].on_ctx, 0xc0de);                         /* context id */
		CHECK_EQ(fake.kick_calls, 1);
		CHECK(fake.kick_vcpu == &vm.vcpus[1]);
		CHECK_EQ(fake.reset_calls, 0);
		CHECK_EQ(call(v, PSCI_AFFINITY_INFO, 1, 0, 0, smc), 2);       /* ON_PENDING */
		CHECK_EQ(call(v, PSCI_CPU_ON, 1, RAM_IPA, 0, smc), (uint32_t)PSCI_RET_ON_PENDING);
		start_pending(&vm.vcpus[1]);
		CHECK_EQ(call(v, PSCI_AFFINITY_INFO, 1, 0, 0, smc), 0);       /* ON */
		CHECK_EQ(call(v, PSCI_AFFINITY_INFO, 0, 0, 0, smc), 0);       /* the caller */
		/* Again, and on the caller itself: already on. */
		CHECK_EQ(call(v, PSCI_CPU_ON, 1, RAM_IPA, 0, smc), (uint32_t)PSCI_RET_ALREADY_ON);
		CHECK_EQ(call(v, PSCI_CPU_ON, 0, RAM_IPA, 0, smc), (uint32_t)PSCI_RET_ALREADY_ON);
		CHECK_EQ(fake.kick_calls, 1);
	}
}

TEST(psci_cpu_on_bad_arguments)
{
	static const struct {
		const char *label;
		uint32_t mpidr, entry, want;
	} cases[] = {
		{ "no such cpu",       2, RAM_IPA, (uint32_t)PSCI_RET_INVALID_PARAMETERS },
		{ "aff1 set",          0x101, RAM_IPA, (uint32_t)PSCI_RET_INVALID_PARAMETERS },
		{ "aff2 set",          0x10001, RAM_IPA, (uint32_t)PSCI_RET_INVALID_PARAMETERS },
		{ "huge",              0xffffffffu, RAM_IPA, (uint32_t)PSCI_RET_INVALID_PARAMETERS },
		{ "entry below RAM",   1, RAM_IPA - 4, (uint32_t)PSCI_RET_INVALID_ADDRESS },
		{ "entry past RAM",    1, RAM_IPA + RAM_SIZE, (uint32_t)PSCI_RET_INVALID_ADDRESS },
		{ "entry last bytes",  1, RAM_IPA + RAM_SIZE - 2, (uint32_t)PSCI_RET_INVALID_ADDRESS },
		{ "entry 0",           1, 0, (uint32_t)PSCI_RET_INVALID_ADDRESS },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vcpu *v = setup_smp(2);

		CHECK_EQ_MSG(call(v, PSCI_CPU_ON, cases[i].mpidr, cases[i].entry, 0, false),
			     cases[i].want, cases[i].label);
		CHECK_EQ_MSG(vm.vcpus[1].on_pending, false, cases[i].label);
		CHECK_EQ_MSG(fake.kick_calls, 0, cases[i].label);
		CHECK_EQ_MSG(vm.vcpus[1].state, VCPU_OFF, cases[i].label);
	}
	/* AFFINITY_INFO: unknown CPU, or an affinity level above 0. */
	CHECK_EQ(call(setup_smp(2), PSCI_AFFINITY_INFO, 5, 0, 0, false),
		 (uint32_t)PSCI_RET_INVALID_PARAMETERS);
	CHECK_EQ(call(setup_smp(2), PSCI_AFFINITY_INFO, 1, 1, 0, false),
		 (uint32_t)PSCI_RET_INVALID_PARAMETERS);
}

/* Every power state is entered as standby: wait for an interrupt, then return 0. */
TEST(psci_cpu_suspend_is_standby)
{
	const uint32_t states[] = { 0, 1u << 16 /* power-down */ };

	for (unsigned i = 0; i < ARRAY_SIZE(states); i++) {
		struct vcpu *v = setup();

		CHECK_EQ(call(v, PSCI_CPU_SUSPEND, states[i], RAM_IPA, 0, false), PSCI_RET_SUCCESS);
		CHECK_EQ(fake.wait_calls, 1);
		CHECK(fake.wait_vcpu == v);
		CHECK_EQ(fake.stop_calls, 0);
	}
}

TEST(psci_cpu_off)
{
	struct vcpu *v = setup_smp(2);

	CHECK_EQ(call(v, PSCI_CPU_ON, 1, RAM_IPA, 0, false), PSCI_RET_SUCCESS);
	start_pending(&vm.vcpus[1]);
	/* vCPU 1 goes off: the partition goes on with vCPU 0. */
	call(&vm.vcpus[1], PSCI_CPU_OFF, 0, 0, 0, false);
	CHECK_EQ(vm.vcpus[1].state, VCPU_OFF);
	CHECK_EQ(fake.stop_calls, 0);
	CHECK_EQ(call(v, PSCI_AFFINITY_INFO, 1, 0, 0, false), 1);
	/* It can be started again. A vCPU about to start keeps the partition alive. */
	CHECK_EQ(call(v, PSCI_CPU_ON, 1, RAM_IPA, 0, false), PSCI_RET_SUCCESS);
	call(v, PSCI_CPU_OFF, 0, 0, 0, false);
	CHECK_EQ(fake.stop_calls, 0);
	start_pending(&vm.vcpus[1]);
	v->state = VCPU_RUNNABLE;
	/* The last vCPU going off ends the partition with status 0. */
	call(&vm.vcpus[1], PSCI_CPU_OFF, 0, 0, 0, false);
	call(v, PSCI_CPU_OFF, 0, 0, 0, false);
	CHECK_EQ(fake.stop_calls, 1);
	CHECK_EQ(fake.stop_status, 0);
}

TEST(psci_system_off)
{
	for (int smc = 0; smc < 2; smc++) {
		struct vcpu *v = setup();

		vm.exit_status = 99;
		CHECK_EQ(call(v, PSCI_SYSTEM_OFF, 5, 6, 7, smc), PSCI_RET_SUCCESS);
		CHECK_EQ(fake.stop_calls, 1);
		CHECK(fake.stop_vm == &vm);
		CHECK_EQ(fake.stop_status, 0);
		CHECK_EQ(vm.exit_status, 0);
		CHECK_EQ(vm.state, VM_STOPPED);
		CHECK_EQ(vm.reset_requested, 0);
		CHECK_EQ(fake.skip_calls, (unsigned)smc);
	}
}

TEST(psci_system_reset)
{
	for (int smc = 0; smc < 2; smc++) {
		struct vcpu *v = setup();

		CHECK_EQ(call(v, PSCI_SYSTEM_RESET, 0, 0, 0, smc), PSCI_RET_SUCCESS);
		CHECK_EQ(vm.reset_requested, 1);
		CHECK_EQ(fake.stop_calls, 0);
		CHECK_EQ(vm.state, VM_RUNNING);
		CHECK_EQ(fake.skip_calls, (unsigned)smc);
	}
}

/* Each call names its cost-model row; ids no one implements stay in the reason's own. */
TEST(hypercall_rows)
{
	struct vcpu *v = setup();
	static const struct {
		uint32_t fn;
		bool smc;
		unsigned row;
	} calls[] = {
		{ KEEL_HC_VERSION, false, ROW_CALL },
		{ KEEL_HC_VERSION, true, EXIT_SMC },            /* Keel's calls are HVC only */
		{ 0x12345678u, false, EXIT_HVC },
		{ PSCI_VERSION, true, ROW_PSCI_SMC },
		{ PSCI_CPU_ON, false, ROW_PSCI_HVC },
		{ KEEL_HC_CONSOLE_PUTC, false, ROW_CALL + 3 },
		{ KEEL_HC_CONSOLE_WRITE, false, ROW_CALL + 1 },
		{ KEEL_HC_EXIT_STATS, false, ROW_CALL + 6 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(calls); i++) {
		v->exit.row = calls[i].smc ? EXIT_SMC : EXIT_HVC;   /* as core/sched.c sets it */
		call(v, calls[i].fn, 'x', 0, 0, calls[i].smc);
		CHECK_EQ_MSG(v->exit.row, calls[i].row, "row");
	}
}
