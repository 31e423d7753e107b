/* SPDX-License-Identifier: MIT */
/*
 * Keel's hypercall ABI v0 (include/keel/hypercall.h, docs/hypercalls.md).
 * Function ids follow SMCCC: PSCI's standard range goes to devices/psci.c,
 * Keel's vendor-hypervisor range goes to the table below, anything else is
 * NOT_SUPPORTED. Every guest-supplied value is checked before use: a pointer
 * must lie wholly inside the partition's own RAM.
 */
#include <keel/arch.h>
#include <keel/channel.h>
#include <keel/console.h>
#include <keel/hypercall.h>
#include <keel/hypercall_impl.h>
#include <keel/stats.h>
#include <keel/vm.h>

#define SMCCC_OWNER(fn)      (((fn) >> 24) & 0x3f)
#define SMCCC_OWNER_STD      4      /* standard secure services: PSCI */
#define SMCCC_FAST_CALL      (1u << 31)

bool guest_range_ok(ipa_t base, uint64_t size, ipa_t ipa, uint64_t len)
{
	return ipa >= base && len <= size && ipa - base <= size - len;
}

static int32_t hc_version(struct vcpu *v)
{
	vcpu_set_reg(v, 1, KEEL_HC_MAGIC);
	return KEEL_ABI_VERSION;
}

static int32_t hc_console_write(struct vcpu *v)
{
	uint32_t ipa = vcpu_reg(v, 1), len = vcpu_reg(v, 2);
	const char *buf;

	if (len > KEEL_HC_CONSOLE_MAX)
		return KEEL_HC_EINVAL;
	if (!len)
		return 0;
	buf = vm_ram_ptr(v->vm, ipa, len);
	if (!buf)
		return KEEL_HC_EFAULT;
	for (uint32_t i = 0; i < len; i++)
		console_guest_putc(v->vm, buf[i]);
	return (int32_t)len;
}

static int32_t hc_exit(struct vcpu *v)
{
	int32_t status = (int32_t)vcpu_reg(v, 1);

	vm_stop(v->vm, status, "exited (hypercall)");
	return KEEL_HC_OK;
}

static int32_t hc_putc(struct vcpu *v)
{
	uint32_t c = vcpu_reg(v, 1);

	if (c > 0xff)
		return KEEL_HC_EINVAL;
	console_guest_putc(v->vm, (char)c);
	return KEEL_HC_OK;
}

static int32_t hc_channel_notify(struct vcpu *v)
{
	return channel_notify(v->vm, vcpu_reg(v, 1)) ? KEEL_HC_EINVAL : KEEL_HC_OK;
}

static int32_t hc_watchdog_pet(struct vcpu *v)
{
	vm_watchdog_pet(v->vm);
	return KEEL_HC_OK;
}

/*
 * The cost model, read by the partition itself: how often its calling vCPU
 * left the guest for one exit reason and the counter ticks Keel spent on
 * them (the count saturates at 2^32 - 1).
 */
static int32_t hc_exit_stats(struct vcpu *v)
{
	uint32_t row = vcpu_reg(v, 1);
	uint64_t n, t;

	_Static_assert(KEEL_EXIT_ROWS == EXIT_NR, "KEEL_EXIT_ROWS is the ABI's EXIT_NR");
	if (row >= EXIT_NR)
		return KEEL_HC_EINVAL;
	stats_reason(&v->stats, row, &n, &t);
	vcpu_set_reg(v, 1, n > 0xffffffffu ? 0xffffffffu : (uint32_t)n);
	vcpu_set_reg(v, 2, (uint32_t)t);
	vcpu_set_reg(v, 3, (uint32_t)(t >> 32));
	return KEEL_HC_OK;
}

/*
 * Keel's calls. Fast ones read or write only the calling vCPU's own state:
 * answered on the exit fast path, without the partition's lock and without
 * a scheduler pass (core/trap.c).
 */
static const struct {
	int32_t (*fn)(struct vcpu *);
	bool fast;
} keel_calls[KEEL_HC_COUNT] = {
	[KEEL_HC_VERSION - KEEL_HC_BASE] = { hc_version, true },
	[KEEL_HC_CONSOLE_WRITE - KEEL_HC_BASE] = { hc_console_write, false },
	[KEEL_HC_EXIT - KEEL_HC_BASE] = { hc_exit, false },
	[KEEL_HC_CONSOLE_PUTC - KEEL_HC_BASE] = { hc_putc, false },
	[KEEL_HC_CHANNEL_NOTIFY - KEEL_HC_BASE] = { hc_channel_notify, false },
	[KEEL_HC_WATCHDOG_PET - KEEL_HC_BASE] = { hc_watchdog_pet, false },
	[KEEL_HC_EXIT_STATS - KEEL_HC_BASE] = { hc_exit_stats, true },
};

static bool is_psci(uint32_t fn)
{
	return SMCCC_OWNER(fn) == SMCCC_OWNER_STD && (fn & SMCCC_FAST_CALL);
}

static bool is_keel(uint32_t fn)
{
	return fn - KEEL_HC_BASE < KEEL_HC_COUNT;
}

/* One of Keel's calls (is_keel(fn)), counted in its own cost-model row. */
static int32_t keel_call(struct vcpu *v, uint32_t fn)
{
	v->exit.row = ROW_CALL + (fn - KEEL_HC_BASE);
	return keel_calls[fn - KEEL_HC_BASE].fn(v);
}

/* Answer the call in r0-r3 if it is a fast one (or unknown); false: take the slow path. */
bool hypercall_fast(struct vcpu *v)
{
	uint32_t fn = vcpu_reg(v, 0);
	int32_t ret = KEEL_HC_ENOTSUP;

	if (is_keel(fn)) {
		if (!keel_calls[fn - KEEL_HC_BASE].fast)
			return false;
		ret = keel_call(v, fn);
	} else if (is_psci(fn)) {
		return false;
	}
	vcpu_set_reg(v, 0, (uint32_t)ret);
	return true;
}

void hypercall_handle(struct vcpu *v, bool from_smc)
{
	uint32_t fn = vcpu_reg(v, 0);
	int32_t ret = KEEL_HC_ENOTSUP;

	/* The cost model's row; an id no one implements stays in hvc/smc. */
	if (is_psci(fn)) {
		v->exit.row = from_smc ? ROW_PSCI_SMC : ROW_PSCI_HVC;
		ret = psci_handle(v, fn);
	} else if (!from_smc && is_keel(fn)) {
		ret = keel_call(v, fn);
	}
	vcpu_set_reg(v, 0, (uint32_t)ret);
	/* A trapped SMC returns to itself (B3.13.6); an HVC to the next instruction. */
	if (from_smc)
		arch_vcpu_skip_insn(v);
}
