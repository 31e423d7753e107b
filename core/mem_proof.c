/* SPDX-License-Identifier: MIT */
/*
 * Proving the memory rules (include/keel/mem_proof.h). The config checks
 * say what should be; this looks at what is: the stage-2 tables the
 * hardware walks. A pair of runs from two partitions that share host
 * frames is allowed only inside a channel between those two (or the GIC's
 * virtual CPU interface, which every partition has); any run touching
 * Keel's memory is a violation. Either way Keel refuses to start.
 */
#include <keel/arch.h>
#include <keel/channel.h>
#include <keel/console.h>
#include <keel/errno.h>
#include <keel/mem.h>
#include <keel/mem_proof.h>
#include <keel/printf.h>
#include <keel/vm.h>

#define FAIL(...) do { snprintf(why, why_len, __VA_ARGS__); return -KEEL_EINVAL; } while (0)

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

static bool shared_ok(const struct proof_input *in, paddr_t lo, paddr_t hi, unsigned x, unsigned y)
{
	for (unsigned i = 0; i < in->nr_shared; i++) {
		const struct proof_shared *s = &in->shared[i];

		if (lo < s->pa || hi > s->pa + s->size)
			continue;
		if (s->a == PROOF_ANY || (s->a == x && s->b == y) || (s->a == y && s->b == x))
			return true;
	}
	return false;
}

int mem_proof_check(const struct proof_input *in, char *why, size_t why_len)
{
	for (unsigned i = 0; i < in->nr_maps; i++) {
		const struct proof_map *m = &in->maps[i];

		for (unsigned k = 0; k < in->nr_keel; k++)
			if (overlap(m->pa, m->size, in->keel[k].base, in->keel[k].size))
				FAIL("memory rules broken: partition '%s' maps host 0x%llx (IPA 0x%llx), "
				     "which is %s", in->names[m->owner],
				     (unsigned long long)MAX(m->pa, in->keel[k].base),
				     (unsigned long long)(m->ipa + (MAX(m->pa, in->keel[k].base) - m->pa)),
				     in->keel_what[k]);
		for (unsigned j = 0; j < i; j++) {
			const struct proof_map *o = &in->maps[j];
			paddr_t lo = MAX(m->pa, o->pa), hi = MIN(m->pa + m->size, o->pa + o->size);

			if (o->owner == m->owner || lo >= hi || shared_ok(in, lo, hi, m->owner, o->owner))
				continue;
			FAIL("memory rules broken: host 0x%llx-0x%llx is mapped into partitions '%s' and "
			     "'%s', and no channel joins them there", (unsigned long long)lo,
			     (unsigned long long)(hi - 1), in->names[o->owner], in->names[m->owner]);
		}
	}
	return 0;
}

#define PROOF_MAX_MAPS 64

struct gather {
	struct proof_map *maps;
	unsigned n;
	unsigned owner;
	bool overflow;
};

/* Consecutive leaves (IPA and PA both contiguous) make one run. */
static int gather_leaf(void *arg, ipa_t ipa, paddr_t pa, uint64_t size)
{
	struct gather *g = arg;
	struct proof_map *last = g->n ? &g->maps[g->n - 1] : NULL;

	if (last && last->owner == g->owner && last->ipa + last->size == ipa &&
	    last->pa + last->size == pa) {
		last->size += size;
		return 0;
	}
	if (g->n == PROOF_MAX_MAPS) {
		g->overflow = true;
		return 1;
	}
	g->maps[g->n++] = (struct proof_map){ g->owner, ipa, pa, size };
	return 0;
}

int mem_prove(const struct board_limits *lim, char *why, size_t why_len)
{
	static struct proof_map maps[PROOF_MAX_MAPS];
	static struct proof_shared shared[CFG_MAX_CHANNELS + 1];
	static struct cfg_region keel[CFG_MAX_OWNED + MEM_MAX_RANGES];
	static const char *keel_what[CFG_MAX_OWNED + MEM_MAX_RANGES];
	const char *names[VM_MAX];
	struct gather g = { .maps = maps };
	struct proof_input in = { .maps = maps, .shared = shared, .keel = keel,
				  .keel_what = keel_what, .names = names };
	const struct mem_range *pages;
	unsigned nr_pages, nr_vms = 0, shared_runs = 0;
	uint64_t bytes = 0;
	bool complete;

	for (unsigned i = 0; i < VM_MAX; i++) {
		names[i] = vms[i].name;
		if (vms[i].state == VM_FREE)
			continue;
		nr_vms++;
		g.owner = i;
		arch_vm_walk(&vms[i], gather_leaf, &g);
		for (unsigned k = 0; k < vms[i].nr_chans; k++) {
			const struct channel *ch = vms[i].chans[k];

			shared[ch->id] = (struct proof_shared){ ch->shm_pa, ALIGN_UP(ch->cfg->size, 4096),
								ch->end[0]->id, ch->end[1]->id };
			in.nr_shared = MAX(in.nr_shared, ch->id + 1);
		}
	}
	if (g.overflow)
		FAIL("memory rules cannot be proven: more than %d separate mappings", PROOF_MAX_MAPS);
	in.nr_maps = g.n;
	/* The GIC's virtual CPU interface: every partition's, by design (banked per CPU). */
	shared[in.nr_shared++] = (struct proof_shared){ the_board.gicv, GUEST_GICC_SIZE,
							PROOF_ANY, PROOF_ANY };
	for (unsigned i = 0; i < lim->nr_owned; i++) {
		if (lim->owned[i].base == the_board.gicv)
			continue;
		keel[in.nr_keel] = lim->owned[i];
		keel_what[in.nr_keel++] = lim->owned_what[i];
	}
	nr_pages = mem_keel_pages(&pages, &complete);
	if (!complete)
		FAIL("memory rules cannot be proven: Keel's table pages were not all recorded");
	for (unsigned i = 0; i < nr_pages; i++) {
		keel[in.nr_keel] = (struct cfg_region){ pages[i].base, pages[i].size };
		keel_what[in.nr_keel++] = "one of Keel's table pages";
	}
	if (mem_proof_check(&in, why, why_len))
		return -KEEL_EINVAL;
	for (unsigned i = 0; i < in.nr_maps; i++) {
		bytes += maps[i].size;
		for (unsigned s = 0; s + 1 < in.nr_shared; s++)
			shared_runs += overlap(maps[i].pa, maps[i].size, shared[s].pa, shared[s].size);
	}
	printk("keel: memory rules hold: %u partitions, %u mapped runs (%llu MiB), %u of them "
	       "channel memory shared by its two partitions, none of Keel's %u memory ranges mapped\n",
	       nr_vms, in.nr_maps, (unsigned long long)(bytes >> 20), shared_runs, in.nr_keel);
	return 0;
}
