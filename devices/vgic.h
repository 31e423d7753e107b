/* SPDX-License-Identifier: MIT */
/*
 * The GICv2 distributor a partition sees (devices/vgic.c), as a pure model:
 * no hardware access, no allocation, no locks. The guest's CPU interface is
 * the hardware GICV; this model is the distributor the guest programs
 * through trapped MMIO, plus the bookkeeping that decides which interrupts go
 * into the list registers (LRs). Arch code encodes the LRs and calls in here.
 *
 * The caller serialises every call on one struct vgic (one partition). The
 * kick callback is made from inside vgic_* calls and must not call back into
 * the model; it only has to make the named vCPU come out of the guest (or out
 * of WFI) and go through its LR update. A vCPU is kicked when an interrupt
 * becomes deliverable to it (state PENDING for vgic_collect; nothing while
 * the distributor is disabled) or when the model takes back one of its LR
 * entries; vgic_lr_sync() never kicks the vCPU it syncs, which collects next.
 *
 * Intended use by the arch code, per vCPU, on the way back into the guest:
 *   1. for every LR in use, read its state and call vgic_lr_sync() with
 *      keep_in_lr = true; clear the LR when it returns false;
 *   2. fill free LRs from vgic_collect(), writing each request's state;
 *   3. to take LRs back (switch-out, or room for a higher priority), sync
 *      them with keep_in_lr = false and clear them.
 * Syncing after handling the exit (not before) matters: a guest write that
 * takes back state held in an LR (ICPENDR, ICENABLER, ...) is then seen by
 * step 1 and the stale LR is dropped before the guest runs again.
 */
#ifndef DEVICES_VGIC_H
#define DEVICES_VGIC_H

#include <keel/mmio.h>
#include <keel/virq.h>

#define VGIC_NR_IRQS     160   /* 32 private (SGI 0-15, PPI 16-31) + 128 SPIs: TYPER.ITLinesNumber = 4 */
#define VGIC_MAX_VCPUS   4
#define VGIC_NR_SGIS     16
#define VGIC_PRIO_MASK   0xf8  /* 5 priority bits implemented (32 levels), like GICH's VMCR.PriMask */
#define VGIC_DIST_SIZE   0x1000
#define VGIC_IIDR        0x0100043bu  /* ProductID 1, r0p0, implementer ARM (JEP106 0x43b) */

/* The state of an LR entry (GICH_LRn.State, IHI 0048B 5.3). */


/*
 * One interrupt, as seen by one vCPU (SGIs, PPIs) or by all (SPIs). State
 * that can exist once per source CPU (SGIs) is a bitmask indexed by source;
 * other interrupts use bit 0 only.
 */
struct vgic_irq {
	uint8_t priority;   /* GICD_IPRIORITYR byte, VGIC_PRIO_MASK applied */
	uint8_t targets;    /* SPIs: GICD_ITARGETSR byte, existing vCPUs only */
	uint8_t pend;       /* pending latch (edge, ISPENDR, SPENDSGIR), per source */
	uint8_t act;        /* active state held by the model, not by an LR */
	uint8_t in_lr;      /* sources sitting in an LR */
	uint8_t lr_pend;    /* LR state as last synced (or as the guest */
	uint8_t lr_act;     /*   overrode it since), for the register view */
	uint8_t stale;      /* LR entries the model took back: drop at next sync */
	uint8_t clr_pend;   /* guest overrides of LR state, applied at that sync */
	uint8_t clr_act;
	uint8_t set_act;
	uint8_t vcpu;       /* SPIs: whose LR holds it or owns its active state */
	uint16_t hw_id;     /* physical interrupt id when hw */
	bool enabled;
	bool edge;          /* GICD_ICFGR: edge-triggered */
	bool group1;        /* GICD_IGROUPR */
	bool line;          /* input line level (set_level) */
	bool hw;            /* backed by a physical interrupt (LR HW bit) */
};

struct vgic {
	bool enabled;                          /* GICD_CTLR.Enable */
	unsigned nr_vcpus;
	struct vgic_irq priv[VGIC_MAX_VCPUS][32];
	struct vgic_irq spi[VGIC_NR_IRQS - 32];
	void (*kick)(void *ctx, unsigned vcpu); /* a vCPU may have a new deliverable interrupt */
	void *kick_ctx;
	uint8_t kicks;                         /* internal: vCPUs to kick on the way out */
	/*
	 * Internal: the interrupts that may hold pending, active or line state
	 * (a superset, pruned by vgic_collect), so that finding the next one
	 * for an LR looks at those only, not at all VGIC_NR_IRQS.
	 */
	uint32_t live_priv[VGIC_MAX_VCPUS];
	uint32_t live_spi[(VGIC_NR_IRQS - 32) / 32];
};

/*
 * Reset state per IHI 0048B 4.3: distributor disabled; SGIs enabled (RAO/WI,
 * as in KVM's GICv2 model) and edge; PPIs disabled and level (ICFGR1 read-
 * only); SPIs disabled, level, priority 0, targets 0; everything group 0.
 * nr_vcpus is clamped to 1..VGIC_MAX_VCPUS. kick is cleared: set it after.
 */
void vgic_init(struct vgic *d, unsigned nr_vcpus);
/* Back to the init state; nr_vcpus, kick and the hw mappings are kept. */
void vgic_reset(struct vgic *d);

/*
 * Guest access to the distributor page (4 KiB) by vCPU vcpu (banked
 * registers). Word access everywhere; byte access only to the byte-accessible
 * registers (IPRIORITYR, ITARGETSR, CPENDSGIR, SPENDSGIR); anything else
 * (halfwords, bytes elsewhere, unaligned) is MMIO_GUEST_FAULT, the model's
 * version of the GIC's error response. MMIO_UNHANDLED for a bad vcpu or an
 * offset outside the page.
 */
enum mmio_result vgic_dist_access(struct vgic *d, unsigned vcpu, struct mmio_access *a);

/*
 * Device side. -KEEL_EINVAL for SGIs, ids >= VGIC_NR_IRQS, or (PPIs only)
 * vcpu >= nr_vcpus; vcpu is ignored for SPIs. A rising line latches pending
 * for an edge-triggered (or hw) interrupt; for a level one the line itself is
 * the pending state. For a hw-mapped interrupt the physical interrupt does
 * the resampling: inject it with vgic_pulse() each time it is taken.
 */
int vgic_set_level(struct vgic *d, unsigned vcpu, unsigned irq, bool level);
int vgic_pulse(struct vgic *d, unsigned vcpu, unsigned irq);
/* Back irq by physical interrupt hw_id (16..1019): the LR gets the HW bit. */
int vgic_map_hw(struct vgic *d, unsigned vcpu, unsigned irq, unsigned hw_id);

/* One LR's worth: what vgic_collect() asks for, what vgic_lr_sync() gets back. */


/*
 * Up to max requests for vcpu, highest priority first (lower value, then
 * lower id, then lower source), each marked as being in an LR:
 *  - state PENDING: distributor and irq enabled, pending (latch or level line
 *    high), targeted at vcpu, not already in an LR, and not active anywhere.
 *    An SPI targeted at several vCPUs goes to the first of them that
 *    collects it and is in at most one LR system-wide. Edge (and hw)
 *    interrupts hand their pending latch over to the LR; SGIs give one
 *    request per pending source.
 *  - state ACTIVE or PENDING_ACTIVE: active state that left an LR through
 *    eviction (or was set through ISACTIVER) goes back into an LR of the
 *    vCPU owning it, whether or not the irq is enabled, so the guest's
 *    EOI/deactivate finds it; PENDING_ACTIVE if it is also pending as above.
 * Returns the count.
 */
unsigned vgic_collect(struct vgic *d, unsigned vcpu, struct vgic_lr_req *out, unsigned max);

/*
 * vgic_pulse() of a PPI of vcpu that goes straight into an LR request *r (true)
 * when it is deliverable at once: for a caller that knows nothing else of
 * vcpu's waits outside its LRs, so that vgic_collect() would pick just this.
 * False when it cannot go (already in an LR, active, disabled, not a PPI):
 * then it is left pending as after vgic_pulse(), kicks included.
 */
bool vgic_pulse_take(struct vgic *d, unsigned vcpu, unsigned irq, struct vgic_lr_req *r);

/*
 * The guest is done with LR entry *r of a PPI of vcpu (the LR reads empty)
 * and the PPI fired again. True when nothing else happened to it meanwhile
 * (no pending or active state, no distributor write to it): *r, pending
 * again, goes back into the same LR, and the model is as after
 * vgic_lr_sync(INACTIVE) and vgic_pulse_take(). False: nothing changed.
 */
bool vgic_lr_refire(struct vgic *d, unsigned vcpu, struct vgic_lr_req *r);

/* True if vgic_collect(vcpu) would return a PENDING request (WFI wake-up). */
bool vgic_has_pending(const struct vgic *d, unsigned vcpu);

/*
 * An LR entry (req as collected; irq and source identify it) read back from
 * the hardware with its state. INACTIVE: the guest finished it; it leaves
 * the LR (a level irq whose line is still high becomes deliverable again).
 * Otherwise, with keep_in_lr the entry stays and the model records its state
 * for the register view; without, the state goes back into the model
 * (pending latch, active) and the irq is collectable again. Returns true if
 * the entry stays in its LR, false if the arch must clear that LR: it left,
 * or the model took it back since (the guest cleared its pending or active
 * state, set it active, disabled it or the distributor or retargeted it
 * before taking it, or its level line dropped while it was pending); the
 * change is applied to the reported state then.
 */
bool vgic_lr_sync(struct vgic *d, unsigned vcpu, const struct vgic_lr_req *req,
		  enum vgic_lr_state state, bool keep_in_lr);

#endif
