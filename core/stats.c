/* SPDX-License-Identifier: MIT */
/*
 * Exit statistics. The counting itself happens in the scheduler loop (two
 * counter reads and two adds per exit, cheap enough to stay on); this file
 * names the exit reasons and prints the table when a partition ends.
 */
#include <keel/arch.h>
#include <keel/console.h>
#include <keel/printf.h>
#include <keel/stats.h>
#include <keel/vm.h>

static const char *const names[EXIT_NR] = {
	[EXIT_HVC] = "hvc", [EXIT_SMC] = "smc", [EXIT_DABT] = "dabt",
	[EXIT_IABT] = "iabt", [EXIT_WFI] = "wfi", [EXIT_WFE] = "wfe",
	[EXIT_SYSREG] = "sysreg", [EXIT_IRQ] = "irq", [EXIT_FIQ] = "fiq",
	[EXIT_VFP] = "vfp", [EXIT_UNDEF] = "undef",
};

const char *exit_reason_name(enum exit_reason r)
{
	return (unsigned)r < EXIT_NR ? names[r] : "?";
}

void stats_report(struct vm *vm)
{
	uint32_t khz = arch_counter_freq() / 1000;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu_stats *s = &vm->vcpus[i].stats;
		char line[400];
		unsigned n = 0;

		/* One printk per line: another CPU's output must not land inside it. */
		for (unsigned r = 0; r < EXIT_NR; r++)
			if (s->count[r] && n < sizeof(line))
				n += snprintf(line + n, sizeof(line) - n, " %s=%llu/%lluus", names[r],
					      (unsigned long long)s->count[r],
					      khz ? (unsigned long long)(s->ticks[r] * 1000 / khz) : 0ull);
		line[MIN(n, sizeof(line) - 1)] = '\0';
		printk("keel: stats '%s' vcpu %u:%s mmio_decoded=%llu aborts_injected=%llu ran=%llums\n",
		       vm->name, i, line, (unsigned long long)s->mmio_decoded,
		       (unsigned long long)s->injected_aborts,
		       khz ? (unsigned long long)(s->run_ticks / khz) : 0ull);
	}
}
