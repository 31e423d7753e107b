/* SPDX-License-Identifier: MIT */
/*
 * hypercall: Keel's hypercall ABI and its PSCI front end, as a guest sees
 * them. One PASS/FAIL line per check (names are the first argument of each
 * CHECK below).
 */
#include "guest.h"

uint32_t hc_regs_clobbered(uint32_t id, uint32_t use_smc);

static const char console_msg[] = "hypercall: console_write works\n";
static char big_buf[KEEL_HC_CONSOLE_MAX + 16];

static void check_version(void)
{
	struct smccc_res r = { 0, 0, 0, 0 };

	hvc_call_res(KEEL_HC_VERSION, 0, 0, 0, &r);
	CHECK_EQ("hc_version", r.r0, KEEL_ABI_VERSION);
	CHECK_EQ("hc_version_magic", r.r1, KEEL_HC_MAGIC);
}

static void check_console(void)
{
	uint32_t len = sizeof(console_msg) - 1;
	bool putc_ok = true;

	CHECK_EQ("hc_console_write",
		 hvc_call(KEEL_HC_CONSOLE_WRITE, (uint32_t)console_msg, len, 0), len);
	CHECK_EQ("hc_console_write_outside_ram",
		 hvc_call(KEEL_HC_CONSOLE_WRITE, 0x30000000u, 16, 0), KEEL_HC_EFAULT);
	CHECK_EQ("hc_console_write_below_ram",
		 hvc_call(KEEL_HC_CONSOLE_WRITE, GUEST_RAM_BASE - 0x10, 32, 0),
		 KEEL_HC_EFAULT);
	CHECK_EQ("hc_console_write_too_long",
		 hvc_call(KEEL_HC_CONSOLE_WRITE, (uint32_t)big_buf,
			  KEEL_HC_CONSOLE_MAX + 1, 0), KEEL_HC_EINVAL);
	CHECK_EQ("hc_console_write_empty",
		 hvc_call(KEEL_HC_CONSOLE_WRITE, (uint32_t)console_msg, 0, 0), 0);

	for (const char *s = "hypercall: console_putc works\n"; *s; s++)
		if (hvc_call(KEEL_HC_CONSOLE_PUTC, (uint8_t)*s, 0, 0) != KEEL_HC_OK)
			putc_ok = false;
	CHECK("hc_console_putc", putc_ok);
	CHECK_EQ("hc_console_putc_range",
		 hvc_call(KEEL_HC_CONSOLE_PUTC, 0x100, 0, 0), KEEL_HC_EINVAL);
}

static void check_unknown(void)
{
	CHECK_EQ("hc_unknown_keel_id",
		 hvc_call(KEEL_HC_BASE + 0x7f, 0, 0, 0), KEEL_HC_ENOTSUP);
	CHECK_EQ("hc_unknown_smccc_id", hvc_call(0x12345678u, 0, 0, 0), -1);
}

static void check_psci(void)
{
	CHECK_EQ("psci_version_hvc", hvc_call(PSCI_VERSION, 0, 0, 0), PSCI_VERSION_1_0);
	CHECK_EQ("psci_version_smc", smc_call(PSCI_VERSION, 0, 0, 0), PSCI_VERSION_1_0);
	CHECK_EQ("psci_features_version",
		 hvc_call(PSCI_FEATURES, PSCI_VERSION, 0, 0), PSCI_RET_SUCCESS);
	CHECK_EQ("psci_features_system_off",
		 hvc_call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0), PSCI_RET_SUCCESS);
	CHECK_EQ("psci_features_unknown",
		 hvc_call(PSCI_FEATURES, 0x8400ffffu, 0, 0), PSCI_RET_NOT_SUPPORTED);
	CHECK_EQ("psci_migrate_info_type",
		 hvc_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
}

static void check_preserved(void)
{
	CHECK_EQ("hc_preserves_r4_r14_hvc", hc_regs_clobbered(KEEL_HC_VERSION, 0), 0);
	CHECK_EQ("hc_preserves_r4_r14_smc", hc_regs_clobbered(PSCI_VERSION, 1), 0);
}

int main(void)
{
	check_version();
	check_console();
	check_unknown();
	check_psci();
	check_preserved();
	return test_summary();
}
