/* SPDX-License-Identifier: MIT */
/*
 * steal: how much CPU time is taken from this partition. It reads the
 * virtual counter in a tight loop; while it runs, consecutive reads are well
 * under a microsecond apart, so a gap of more than 20 us is time the CPU
 * spent elsewhere (another partition, Keel) and is counted as stolen. Every
 * window-ms (default 200) of counter time one line:
 *   steal: window N stolen P permille        (P = stolen * 1000 / window)
 * The window starts again after the line, so printing (trapped UART writes)
 * is not counted. windows=N exits 0 after N lines; mode=hog instead spins
 * forever without a word: the greedy partition a scheduler must contain
 * (hog-ms=N: only for N ms of counter time, then exit 0, so that a test
 * need not wait for its timeout).
 */
#include "guest.h"
#include "timer.h"
#include "bootargs.h"

#define GAP_US	20

/* part * 1000 / whole, part <= whole, in 32 bits: both scaled down first. */
static uint32_t permille(uint64_t part, uint64_t whole)
{
	while (whole >= (1u << 22)) {
		whole >>= 1;
		part >>= 1;
	}
	return whole ? (uint32_t)part * 1000 / (uint32_t)whole : 0;
}

int main(void)
{
	uint32_t f = cntfrq(), windows = bootarg_u32("windows", 0);
	uint64_t window = ms_to_ticks(bootarg_u32("window-ms", 200), f);
	uint64_t gap = us_to_ticks(GAP_US, f);

	if (bootarg_is("mode", "hog")) {
		bool forever = !bootarg_flag("hog-ms");
		uint64_t end = cntvct() + ms_to_ticks(bootarg_u32("hog-ms", 0), f);

		while (forever || cntvct() < end)
			;
		return 0;
	}
	if (window == 0) {
		printf("steal: FAIL window-ms must be > 0\n");
		return 1;
	}

	for (uint32_t n = 1; !windows || n <= windows; n++) {
		uint64_t start = cntvct(), prev = start, now = start, stolen = 0;

		while (now - start < window) {
			now = cntvct();
			if (now - prev > gap)
				stolen += now - prev;
			prev = now;
		}
		printf("steal: window %u stolen %u permille\n", n, permille(stolen, now - start));
	}
	return 0;
}
