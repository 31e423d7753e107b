/* SPDX-License-Identifier: MIT */
/*
 * Exit statistics. The counting itself happens in the scheduler loop (two
 * counter reads and two adds per exit, cheap enough to stay on); this file
 * names the exit reasons and prints the table when a partition ends.
 */
#include <keel/arch.h>
#include <keel/hypercall.h>
#include <keel/console.h>
#include <keel/printf.h>
#include <keel/stats.h>
#include <keel/vm.h>

static const char *const names[] = { KEEL_EXIT_NAMES };
_Static_assert(ARRAY_SIZE(names) == EXIT_NR, "a name for every exit reason");

const char *exit_reason_name(enum exit_reason r)
{
	return (unsigned)r < EXIT_NR ? names[r] : "?";
}

/* Keel's calls by id, for the detail line (docs/hypercalls.md). */
static const char *const call_names[KEEL_HC_COUNT] = {
	"version", "console_write", "exit", "putc", "channel_notify", "watchdog_pet", "exit_stats",
};

/* The rows that refine reason r: [*first, *end). */
static void finer_rows(enum exit_reason r, unsigned *first, unsigned *end)
{
	*first = *end = 0;
	if (r == EXIT_HVC) {
		*first = ROW_CALL;
		*end = ROW_PSCI_HVC + 1;
	} else if (r == EXIT_SMC) {
		*first = ROW_PSCI_SMC;
		*end = ROW_PSCI_SMC + 1;
	} else if (r == EXIT_DABT) {
		*first = ROW_DEVICE;
		*end = STATS_ROWS;
	}
}

void stats_reason(const struct vcpu_stats *s, enum exit_reason r, uint64_t *count,
		  uint64_t *ticks)
{
	unsigned first, end;

	*count = s->row[r].count;
	*ticks = s->row[r].ticks;
	finer_rows(r, &first, &end);
	for (unsigned i = first; i < end; i++) {
		*count += s->row[i].count;
		*ticks += s->row[i].ticks;
	}
}

enum exit_reason stats_row_reason(unsigned row)
{
	if (row < EXIT_NR)
		return row;
	if (row <= ROW_PSCI_HVC)
		return EXIT_HVC;
	return row == ROW_PSCI_SMC ? EXIT_SMC : EXIT_DABT;
}

const char *stats_row_name(const struct vm *vm, unsigned row)
{
	if (row < EXIT_NR)
		return row == EXIT_HVC ? "hvc-unknown" : row == EXIT_SMC ? "smc-refused" :
		       row == EXIT_DABT ? "dabt-injected" : names[row];
	if (row < ROW_PSCI_HVC)
		return call_names[row - ROW_CALL];
	if (row == ROW_PSCI_HVC)
		return "psci";
	if (row == ROW_PSCI_SMC)
		return "psci-smc";
	row -= ROW_DEVICE;
	return row < vm->mmio.count && vm->mmio.regions[row].name ? vm->mmio.regions[row].name
								   : "device";
}

static unsigned cell(char *line, unsigned n, unsigned size, const char *name, uint64_t count,
		     uint64_t ticks, uint32_t khz)
{
	if (!count || n >= size)
		return n;
	return n + snprintf(line + n, size - n, " %s=%llu/%lluus", name, (unsigned long long)count,
			    khz ? (unsigned long long)(ticks * 1000 / khz) : 0ull);
}

/*
 * Two lines a vCPU: each reason's total, then where the hypercalls and
 * MMIO went (each call, each device by its region's name, and what is left
 * in the reason's own row).
 */
void stats_report(struct vm *vm)
{
	uint32_t khz = arch_counter_freq() / 1000;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu_stats *s = &vm->vcpus[i].stats;
		char line[480];
		unsigned n = 0, first, end;
		uint64_t count, ticks;

		/* One printk per line: another CPU's output must not land inside it. */
		for (unsigned r = 0; r < EXIT_NR; r++) {
			stats_reason(s, r, &count, &ticks);
			n = cell(line, n, sizeof(line), names[r], count, ticks, khz);
		}
		line[MIN(n, sizeof(line) - 1)] = '\0';
		printk("keel: stats '%s' vcpu %u:%s mmio_decoded=%llu aborts_injected=%llu ran=%llums\n",
		       vm->name, i, line, (unsigned long long)s->mmio_decoded,
		       (unsigned long long)s->injected_aborts,
		       khz ? (unsigned long long)(s->run_ticks / khz) : 0ull);
		n = 0;
		for (unsigned r = 0; r < EXIT_NR; r++) {
			finer_rows(r, &first, &end);
			if (first == end)
				continue;
			for (unsigned row = first; row < end; row++)
				n = cell(line, n, sizeof(line), stats_row_name(vm, row),
					 s->row[row].count, s->row[row].ticks, khz);
			n = cell(line, n, sizeof(line), stats_row_name(vm, r), s->row[r].count,
				 s->row[r].ticks, khz);
		}
		line[MIN(n, sizeof(line) - 1)] = '\0';
		if (n)
			printk("keel: stats '%s' vcpu %u by call and device:%s\n", vm->name, i, line);
	}
}
