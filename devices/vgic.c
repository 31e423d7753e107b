/* SPDX-License-Identifier: MIT */
/*
 * The distributor of a virtual GICv2 (IHI 0048B chapter 4), as a model the
 * arch code drives: guest accesses to the distributor page, interrupt lines
 * from emulated devices, and the list-register (LR) traffic of the hardware
 * virtual CPU interface (chapter 5). The register map is a table: offset,
 * length, bits per interrupt, whether bytes may be accessed, and a read and a
 * write handler per interrupt field; the single registers are one-field rows.
 *
 * Every interrupt follows the state machine of IHI 0048B 3.2.4. State handed
 * to the guest lives in an LR (in_lr, with lr_pend/lr_act as last synced);
 * the model's pend/act hold the rest (a second edge while the first sits in
 * an LR, an ISPENDR latch on a level irq, active state that was evicted).
 * Active state is in one place only, and an SPI in at most one LR. SGIs keep
 * all of it per source CPU, so each source gets its own LR, as the LR's
 * CPUID field allows.
 */
#include <string.h>
#include <keel/errno.h>
#include <devices/vgic.h>

/* Distributor register map, IHI 0048B Table 4-1. */
enum { GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008,
       GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180,
       GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
       GICD_ICACTIVER = 0x380, GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800,
       GICD_ICFGR = 0xc00, GICD_SGIR = 0xf00, GICD_CPENDSGIR = 0xf10,
       GICD_SPENDSGIR = 0xf20, GICD_ICPIDR2 = 0xfe8 };

#define TYPER_ITLINES    (VGIC_NR_IRQS / 32 - 1)
#define ICPIDR2_ARCHREV2 0x20       /* ArchRev [7:4] = 2: GICv2 (4.3.18) */
#define NO_VCPU          0xff       /* an SPI's active state owned by nobody */
#define SGIR_FILTER(v)   (((v) >> 24) & 3)
#define SGIR_LIST(v)     (((v) >> 16) & 0xff)
#define SGIR_ID(v)       ((v) & 0xf)

static struct vgic_irq *irq_at(struct vgic *d, unsigned vcpu, unsigned id)
{
	return id < 32 ? &d->priv[vcpu][id] : &d->spi[id - 32];
}

static const struct vgic_irq *cirq_at(const struct vgic *d, unsigned vcpu, unsigned id)
{
	return id < 32 ? &d->priv[vcpu][id] : &d->spi[id - 32];
}

static uint8_t vcpu_mask(const struct vgic *d)
{
	return (uint8_t)(BIT(d->nr_vcpus) - 1);
}

/* SGIs have one state per source CPU; everything else uses source 0. */
static unsigned nr_sources(const struct vgic *d, unsigned id)
{
	return id < VGIC_NR_SGIS ? d->nr_vcpus : 1;
}

/*
 * Whose LR holds the irq: a private irq only ever sits in its own vCPU's
 * LRs, an SPI records the vCPU it went to.
 */
static unsigned holder(const struct vgic_irq *p, unsigned id, unsigned bank)
{
	return id < 32 ? bank : p->vcpu;
}

/*
 * Edge-triggered interrupts keep their pending state in the latch, and so do
 * hw-mapped ones (the physical interrupt's own active state stands for the
 * line). For emulated level-sensitive ones the line is the pending state and
 * the latch is only what ISPENDR set (4.3.7).
 */
static bool latched(const struct vgic_irq *p)
{
	return p->edge || p->hw;
}

static bool line_pending(const struct vgic_irq *p)
{
	return !latched(p) && p->line;
}

static bool src_pending(const struct vgic_irq *p, unsigned src)
{
	return (p->pend & BIT(src)) || (src == 0 && line_pending(p));
}

/* Pending as the guest reads it back: model, line, or an LR. */
static bool view_pending(const struct vgic_irq *p)
{
	return p->pend || p->lr_pend || line_pending(p);
}

/*
 * What vgic_collect() on vcpu would do with one source of one irq:
 * INACTIVE for nothing. Active state anywhere keeps new pending state out of
 * the LRs (3.2.4: active and pending is not signalled), except in the entry
 * restoring that active state itself.
 */
static enum vgic_lr_state candidate(const struct vgic *d, unsigned vcpu,
				    const struct vgic_irq *p, unsigned id, unsigned src)
{
	uint8_t bit = BIT(src);
	bool pend;

	if (p->in_lr & bit)
		return VGIC_LR_INACTIVE;   /* an SPI: in some vCPU's LR already */
	pend = d->enabled && p->enabled && src_pending(p, src) &&
	       (id < 32 || (p->targets & BIT(vcpu)));
	if (p->act & bit) {
		if (id >= 32 && p->vcpu != vcpu)
			return VGIC_LR_INACTIVE;
		return pend ? VGIC_LR_PENDING_ACTIVE : VGIC_LR_ACTIVE;
	}
	if (p->act || p->lr_act)
		return VGIC_LR_INACTIVE;
	return pend ? VGIC_LR_PENDING : VGIC_LR_INACTIVE;
}

/* The irq may now hold state: find_best() must look at it. */
static void mark_live(struct vgic *d, unsigned id, unsigned bank)
{
	if (id < 32)
		d->live_priv[bank] |= BIT(id);
	else
		d->live_spi[(id - 32) / 32] |= BIT((id - 32) % 32);
}

/* ---- kicks ---------------------------------------------------------------- */

/*
 * Note the vCPUs for which irq is now deliverable; kicked on the way out.
 * Every change that can give an irq state ends here (or in mark_live).
 */
static void refresh(struct vgic *d, const struct vgic_irq *p, unsigned id, unsigned bank)
{
	mark_live(d, id, bank);
	/* Pending again while an LR still holds it: that vCPU must sync the LR. */
	if (p->in_lr & p->pend)
		d->kicks |= BIT(holder(p, id, bank));
	if (id < 32) {
		for (unsigned s = 0; s < nr_sources(d, id); s++)
			if (candidate(d, bank, p, id, s) == VGIC_LR_PENDING)
				d->kicks |= BIT(bank);
		return;
	}
	for (unsigned v = 0; v < d->nr_vcpus; v++)
		if (candidate(d, v, p, id, 0) == VGIC_LR_PENDING)
			d->kicks |= BIT(v);
}

static void flush_kicks(struct vgic *d)
{
	uint8_t k = d->kicks;

	d->kicks = 0;
	for (unsigned v = 0; v < d->nr_vcpus; v++)
		if ((k & BIT(v)) && d->kick)
			d->kick(d->kick_ctx, v);
}

/*
 * The model withdraws LR entries (sources in m): the holder must come out
 * and sync them, and the sync drops them (vgic_lr_sync returns false).
 */
static void take_back(struct vgic *d, struct vgic_irq *p, unsigned id, unsigned bank,
		      uint8_t m)
{
	m &= p->in_lr;
	if (!m)
		return;
	p->stale |= m;
	d->kicks |= BIT(holder(p, id, bank));
}

/*
 * Pending state the distributor no longer forwards (irq or distributor
 * disabled, SPI retargeted) is retracted from entries the guest has not
 * taken yet; it stays pending, back in the model.
 */
static void recall(struct vgic *d, struct vgic_irq *p, unsigned id, unsigned bank,
		   uint8_t m)
{
	take_back(d, p, id, bank, m & p->lr_pend & ~p->lr_act);
}

/* ---- register fields -------------------------------------------------------- */

/* Handlers get one interrupt's field; id is an SGI number for the SGIR pending regs. */
typedef uint32_t (*rd_fn)(struct vgic *d, unsigned vcpu, unsigned id);
typedef void (*wr_fn)(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val);

static uint32_t rd_ctlr(struct vgic *d, unsigned vcpu, unsigned id)
{
	(void)vcpu, (void)id;
	return d->enabled;
}

/*
 * GICD_CTLR (4.3.1). Without the Security Extensions bit 0 is EnableGrp0 and
 * bit 1 EnableGrp1; like KVM's model, bit 0 gates both groups and bit 1 is
 * RAZ/WI.
 */
static void wr_ctlr(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	bool en = val & 1;

	(void)vcpu, (void)id;
	if (en == d->enabled)
		return;
	d->enabled = en;
	for (unsigned v = 0; v < d->nr_vcpus; v++) {
		for (unsigned i = 0; i < 32; i++) {
			struct vgic_irq *p = &d->priv[v][i];

			if (en)
				refresh(d, p, i, v);
			else
				recall(d, p, i, v, 0xff);
		}
	}
	for (unsigned i = 32; i < VGIC_NR_IRQS; i++) {
		if (en)
			refresh(d, &d->spi[i - 32], i, 0);
		else
			recall(d, &d->spi[i - 32], i, 0, 1);
	}
}

/* GICD_TYPER (4.3.2): no Security Extensions, no LSPIs. */
static uint32_t rd_typer(struct vgic *d, unsigned vcpu, unsigned id)
{
	(void)vcpu, (void)id;
	return ((d->nr_vcpus - 1) << 5) | TYPER_ITLINES;
}

static uint32_t rd_iidr(struct vgic *d, unsigned vcpu, unsigned id)
{
	(void)d, (void)vcpu, (void)id;
	return VGIC_IIDR;
}

static uint32_t rd_icpidr2(struct vgic *d, unsigned vcpu, unsigned id)
{
	(void)d, (void)vcpu, (void)id;
	return ICPIDR2_ARCHREV2;
}

/* GICD_IGROUPR (4.3.4): read/write for every interrupt without the Security Extensions. */
static uint32_t rd_group(struct vgic *d, unsigned vcpu, unsigned id)
{
	return irq_at(d, vcpu, id)->group1;
}

static void wr_group(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	irq_at(d, vcpu, id)->group1 = val & 1;
}

/* GICD_IS/ICENABLER (4.3.5, 4.3.6); SGI enables are RAO/WI (implementation defined). */
static uint32_t rd_enable(struct vgic *d, unsigned vcpu, unsigned id)
{
	return id < VGIC_NR_SGIS || irq_at(d, vcpu, id)->enabled;
}

static void wr_set_enable(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);

	if (!val || id < VGIC_NR_SGIS)
		return;
	p->enabled = true;
	refresh(d, p, id, vcpu);
}

static void wr_clear_enable(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);

	if (!val || id < VGIC_NR_SGIS)
		return;
	p->enabled = false;
	recall(d, p, id, vcpu, 0xff);
}

/*
 * GICD_IS/ICPENDR (4.3.7, 4.3.8). SGI bits are WI here: their pending state
 * is per source, set and cleared through SPENDSGIR/CPENDSGIR. Clearing does
 * not touch a level irq's asserted line.
 */
static uint32_t rd_pending(struct vgic *d, unsigned vcpu, unsigned id)
{
	return view_pending(irq_at(d, vcpu, id));
}

static void wr_set_pending(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);

	if (!val || id < VGIC_NR_SGIS)
		return;
	p->pend |= 1;
	refresh(d, p, id, vcpu);
}

/* Clear pending of the sources in m, including what their LR entries hold. */
static void clear_pending(struct vgic *d, struct vgic_irq *p, unsigned id, unsigned bank,
			  uint8_t m)
{
	p->pend &= ~m;
	if (line_pending(p))
		m &= (uint8_t)~1u; /* the line keeps it pending, in the LR too */
	m &= p->in_lr & p->lr_pend;
	p->clr_pend |= m;
	p->lr_pend &= ~m;
	take_back(d, p, id, bank, m);
}

static void wr_clear_pending(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	if (val && id >= VGIC_NR_SGIS)
		clear_pending(d, irq_at(d, vcpu, id), id, vcpu, 1);
}

/*
 * GICD_IS/ICACTIVER (4.3.9, 4.3.10). An SGI set active counts as coming from
 * the writing vCPU; an SPI set active is owned by its lowest target, which
 * gets it into an LR (vgic_collect) so the guest can deactivate it.
 */
static uint32_t rd_active(struct vgic *d, unsigned vcpu, unsigned id)
{
	const struct vgic_irq *p = irq_at(d, vcpu, id);

	return (p->act | p->lr_act) != 0;
}

static uint8_t lowest_target(const struct vgic_irq *p)
{
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++)
		if (p->targets & BIT(v))
			return (uint8_t)v;
	return NO_VCPU;
}

static void wr_set_active(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);
	uint8_t bit = BIT(id < VGIC_NR_SGIS ? vcpu : 0);

	if (!val || ((p->act | p->lr_act) & bit))
		return;
	if (p->in_lr & bit) {
		p->set_act |= bit;
		p->clr_act &= ~bit;
		p->lr_act |= bit;
		take_back(d, p, id, vcpu, bit);
		return;
	}
	p->act |= bit;
	mark_live(d, id, vcpu);
	if (id >= 32)
		p->vcpu = lowest_target(p);
}

static void wr_clear_active(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);
	uint8_t m = p->lr_act;

	if (!val)
		return;
	p->act = 0;
	p->set_act = 0;
	p->clr_act |= m;
	p->lr_act = 0;
	take_back(d, p, id, vcpu, m);
	refresh(d, p, id, vcpu);
}

/* GICD_IPRIORITYR (4.3.11): unimplemented low-order bits are RAZ/WI (3.3). */
static uint32_t rd_priority(struct vgic *d, unsigned vcpu, unsigned id)
{
	return irq_at(d, vcpu, id)->priority;
}

static void wr_priority(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	irq_at(d, vcpu, id)->priority = val & VGIC_PRIO_MASK;
}

/*
 * GICD_ITARGETSR (4.3.12): the private bytes are read-only and read as the
 * accessing CPU's own bit; SPI bits for CPUs that do not exist are RAZ/WI.
 */
static uint32_t rd_targets(struct vgic *d, unsigned vcpu, unsigned id)
{
	return id < 32 ? BIT(vcpu) : irq_at(d, vcpu, id)->targets;
}

static void wr_targets(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);

	if (id < 32)
		return;
	p->targets = (uint8_t)(val & vcpu_mask(d));
	if ((p->in_lr & 1) && !(p->targets & BIT(p->vcpu)))
		recall(d, p, id, vcpu, 1);
	refresh(d, p, id, vcpu);
}

/*
 * GICD_ICFGR (4.3.13): two bits per interrupt, only the high one (edge)
 * means anything in GICv2. SGIs are fixed edge; PPIs are treated as fixed
 * level (programmable PPI config is implementation defined).
 */
static uint32_t rd_config(struct vgic *d, unsigned vcpu, unsigned id)
{
	return irq_at(d, vcpu, id)->edge ? 2 : 0;
}

static void wr_config(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);

	if (id < 32)
		return;
	p->edge = val & 2;
	refresh(d, p, id, vcpu);
}

/*
 * GICD_SGIR (4.3.15): the SGI becomes pending on each target with the
 * writer as its source. Filter 3 is reserved: nothing is sent.
 */
static void wr_sgir(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	unsigned sgi = SGIR_ID(val);
	unsigned targets;

	(void)id;
	switch (SGIR_FILTER(val)) {
	case 0:
		targets = SGIR_LIST(val);
		break;
	case 1:
		targets = ~BIT(vcpu);
		break;
	case 2:
		targets = BIT(vcpu);
		break;
	default:
		return;
	}
	targets &= vcpu_mask(d);
	for (unsigned t = 0; t < d->nr_vcpus; t++) {
		if (!(targets & BIT(t)))
			continue;
		d->priv[t][sgi].pend |= BIT(vcpu);
		refresh(d, &d->priv[t][sgi], sgi, t);
	}
}

/* GICD_CPENDSGIR/SPENDSGIR (4.3.16, 4.3.17): one byte of source CPUs per SGI. */
static uint32_t rd_sgi_pending(struct vgic *d, unsigned vcpu, unsigned id)
{
	const struct vgic_irq *p = irq_at(d, vcpu, id);

	return (p->pend | p->lr_pend) & vcpu_mask(d);
}

static void wr_sgi_set(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	struct vgic_irq *p = irq_at(d, vcpu, id);

	p->pend |= (uint8_t)(val & vcpu_mask(d));
	refresh(d, p, id, vcpu);
}

static void wr_sgi_clear(struct vgic *d, unsigned vcpu, unsigned id, uint32_t val)
{
	clear_pending(d, irq_at(d, vcpu, id), id, vcpu, (uint8_t)(val & vcpu_mask(d)));
}

/* ---- the register map ------------------------------------------------------- */

struct dist_reg {
	uint16_t offset;
	uint16_t len;       /* bytes the register (array) spans */
	uint8_t bits;       /* bits per interrupt; 32 for a single register */
	bool bytes;         /* byte-accessible as well as word-accessible */
	rd_fn read;         /* NULL: write-only, reads as zero */
	wr_fn write;        /* NULL: read-only, writes ignored */
};

/*
 * Arrays span their full architectural range; fields past VGIC_NR_IRQS are
 * RAZ/WI, like offsets with no row. Byte access is allowed only where
 * IHI 0048B calls a register byte-accessible.
 */
static const struct dist_reg dist_map[] = {
	{ GICD_CTLR,       4,     32, false, rd_ctlr,        wr_ctlr },
	{ GICD_TYPER,      4,     32, false, rd_typer,       NULL },
	{ GICD_IIDR,       4,     32, false, rd_iidr,        NULL },
	{ GICD_IGROUPR,    0x80,  1,  false, rd_group,       wr_group },
	{ GICD_ISENABLER,  0x80,  1,  false, rd_enable,      wr_set_enable },
	{ GICD_ICENABLER,  0x80,  1,  false, rd_enable,      wr_clear_enable },
	{ GICD_ISPENDR,    0x80,  1,  false, rd_pending,     wr_set_pending },
	{ GICD_ICPENDR,    0x80,  1,  false, rd_pending,     wr_clear_pending },
	{ GICD_ISACTIVER,  0x80,  1,  false, rd_active,      wr_set_active },
	{ GICD_ICACTIVER,  0x80,  1,  false, rd_active,      wr_clear_active },
	{ GICD_IPRIORITYR, 0x3fc, 8,  true,  rd_priority,    wr_priority },
	{ GICD_ITARGETSR,  0x3fc, 8,  true,  rd_targets,     wr_targets },
	{ GICD_ICFGR,      0x100, 2,  false, rd_config,      wr_config },
	{ GICD_SGIR,       4,     32, false, NULL,           wr_sgir },
	{ GICD_CPENDSGIR,  0x10,  8,  true,  rd_sgi_pending, wr_sgi_clear },
	{ GICD_SPENDSGIR,  0x10,  8,  true,  rd_sgi_pending, wr_sgi_set },
	{ GICD_ICPIDR2,    4,     32, false, rd_icpidr2,     NULL },
};

static const struct dist_reg *find_reg(uint32_t off)
{
	for (unsigned i = 0; i < ARRAY_SIZE(dist_map); i++)
		if (off >= dist_map[i].offset && off - dist_map[i].offset < dist_map[i].len)
			return &dist_map[i];
	return NULL;
}

enum mmio_result vgic_dist_access(struct vgic *d, unsigned vcpu, struct mmio_access *a)
{
	uint32_t off = a->offset;
	const struct dist_reg *r;
	unsigned first, fields, order;
	uint32_t fmask;

	if (vcpu >= d->nr_vcpus || off >= VGIC_DIST_SIZE)
		return MMIO_UNHANDLED;
	/* Word and (where allowed) byte only; the GIC answers others with an error. */
	if ((a->size != 4 && a->size != 1) || (off & (a->size - 1)))
		return MMIO_GUEST_FAULT;
	r = find_reg(off);
	if (a->size == 1 && !(r && r->bytes))
		return MMIO_GUEST_FAULT;
	if (!a->is_write)
		a->value = 0;
	if (!r || (a->is_write ? !r->write : !r->read))
		return MMIO_OK;                 /* reserved, RO or WO: RAZ/WI */

	/* bits is a power of two: shifts keep libgcc's division out. */
	order = (unsigned)__builtin_ctz(r->bits);
	first = ((off - r->offset) * 8) >> order;
	fields = (a->size * 8) >> order;
	fmask = r->bits == 32 ? ~0u : BIT(r->bits) - 1;
	for (unsigned i = 0; i < fields && first + i < VGIC_NR_IRQS; i++) {
		unsigned shift = i * r->bits;

		if (a->is_write)
			r->write(d, vcpu, first + i, (a->value >> shift) & fmask);
		else
			a->value |= (r->read(d, vcpu, first + i) & fmask) << shift;
	}
	flush_kicks(d);
	return MMIO_OK;
}

/* ---- init and reset --------------------------------------------------------- */

static void reset_irq(struct vgic_irq *p, unsigned id)
{
	bool hw = p->hw;
	uint16_t hw_id = p->hw_id;

	memset(p, 0, sizeof(*p));
	p->hw = hw;                 /* board wiring, not guest state */
	p->hw_id = hw_id;
	p->vcpu = NO_VCPU;
	p->enabled = id < VGIC_NR_SGIS;
	p->edge = id < VGIC_NR_SGIS;
}

void vgic_reset(struct vgic *d)
{
	d->enabled = false;
	d->kicks = 0;
	for (unsigned v = 0; v < VGIC_MAX_VCPUS; v++)
		for (unsigned i = 0; i < 32; i++)
			reset_irq(&d->priv[v][i], i);
	for (unsigned i = 32; i < VGIC_NR_IRQS; i++)
		reset_irq(&d->spi[i - 32], i);
}

void vgic_init(struct vgic *d, unsigned nr_vcpus)
{
	memset(d, 0, sizeof(*d));
	d->nr_vcpus = nr_vcpus < 1 ? 1 : nr_vcpus > VGIC_MAX_VCPUS ? VGIC_MAX_VCPUS : nr_vcpus;
	vgic_reset(d);
}

/* ---- device side ------------------------------------------------------------ */

/* The irq a device may drive: a PPI of an existing vCPU, or an SPI. */
static struct vgic_irq *device_irq(struct vgic *d, unsigned vcpu, unsigned irq)
{
	if (irq < VGIC_NR_SGIS || irq >= VGIC_NR_IRQS || (irq < 32 && vcpu >= d->nr_vcpus))
		return NULL;
	return irq_at(d, irq < 32 ? vcpu : 0, irq);
}

int vgic_set_level(struct vgic *d, unsigned vcpu, unsigned irq, bool level)
{
	struct vgic_irq *p = device_irq(d, vcpu, irq);

	if (!p)
		return -KEEL_EINVAL;
	if (level && !p->line && latched(p))
		p->pend |= 1;                    /* rising edge */
	p->line = level;
	if (!level && !latched(p) && !(p->pend & 1))
		clear_pending(d, p, irq, vcpu, 1);   /* deasserted: withdrawn from the LR too */
	refresh(d, p, irq, vcpu);
	flush_kicks(d);
	return 0;
}

int vgic_pulse(struct vgic *d, unsigned vcpu, unsigned irq)
{
	struct vgic_irq *p = device_irq(d, vcpu, irq);

	if (!p)
		return -KEEL_EINVAL;
	p->pend |= 1;
	refresh(d, p, irq, vcpu);
	flush_kicks(d);
	return 0;
}

/* LR PhysicalID is 10 bits; SGIs cannot be hw (GICH_LRn, IHI 0048B 5.3). */
int vgic_map_hw(struct vgic *d, unsigned vcpu, unsigned irq, unsigned hw_id)
{
	struct vgic_irq *p = device_irq(d, vcpu, irq);

	if (!p || hw_id < VGIC_NR_SGIS || hw_id > 1019)
		return -KEEL_EINVAL;
	p->hw = true;
	p->hw_id = (uint16_t)hw_id;
	return 0;
}

/* ---- list registers --------------------------------------------------------- */

struct pick {
	unsigned id, src;
	enum vgic_lr_state state;
};

/* The live-set word w (0: vcpu's private irqs, then the SPIs). */
static uint32_t *live_word(struct vgic *d, unsigned vcpu, unsigned w)
{
	return w == 0 ? &d->live_priv[vcpu] : &d->live_spi[w - 1];
}

/* Drop irqs with no pending, active or line state left from vcpu's live set. */
static void prune_live(struct vgic *d, unsigned vcpu)
{
	for (unsigned w = 0; w < VGIC_NR_IRQS / 32; w++) {
		uint32_t *live = live_word(d, vcpu, w);

		for (uint32_t bits = *live; bits; bits &= bits - 1) {
			unsigned bit = (unsigned)__builtin_ctz(bits);
			const struct vgic_irq *p = cirq_at(d, vcpu, w * 32 + bit);

			if (!p->pend && !p->act && !p->line)
				*live &= ~BIT(bit);
		}
	}
}

/*
 * The best collectable (id, source) for vcpu: lowest priority value, then
 * id, then source. Only live irqs can be collectable (candidate() needs
 * pending or active state).
 */
static bool find_best(const struct vgic *d, unsigned vcpu, struct pick *best, bool pending_only)
{
	unsigned prio = ~0u;

	for (unsigned w = 0; w < VGIC_NR_IRQS / 32; w++) {
		uint32_t bits = w == 0 ? d->live_priv[vcpu] : d->live_spi[w - 1];

		for (; bits; bits &= bits - 1) {
			unsigned id = w * 32 + (unsigned)__builtin_ctz(bits);
			const struct vgic_irq *p = cirq_at(d, vcpu, id);

			if (p->priority >= prio)
				continue;                /* ties go to the lower id/source */
			for (unsigned s = 0; s < nr_sources(d, id); s++) {
				enum vgic_lr_state st = candidate(d, vcpu, p, id, s);

				if (st == VGIC_LR_INACTIVE || (pending_only && st != VGIC_LR_PENDING))
					continue;
				*best = (struct pick){ id, s, st };
				prio = p->priority;
				break;
			}
		}
	}
	return prio != ~0u;
}

/* Hand one (id, source) to an LR. */
static void take(struct vgic *d, unsigned vcpu, const struct pick *k, struct vgic_lr_req *r)
{
	struct vgic_irq *p = irq_at(d, vcpu, k->id);
	uint8_t bit = BIT(k->src);
	bool pend = k->state == VGIC_LR_PENDING || k->state == VGIC_LR_PENDING_ACTIVE;
	bool act = k->state == VGIC_LR_ACTIVE || k->state == VGIC_LR_PENDING_ACTIVE;

	*r = (struct vgic_lr_req){
		.irq = (uint16_t)k->id,
		.source = (uint8_t)k->src,
		.priority = p->priority,
		.hw = p->hw,
		.hw_id = p->hw_id,
		.eoi_notify = !latched(p),   /* level, emulated: resample at EOI */
		.group1 = p->group1,
		.state = k->state,
	};
	p->in_lr |= bit;
	p->act &= ~bit;
	p->lr_pend = pend ? p->lr_pend | bit : p->lr_pend & ~bit;
	p->lr_act = act ? p->lr_act | bit : p->lr_act & ~bit;
	if (pend && latched(p))
		p->pend &= ~bit;             /* the LR holds this pending state now */
	if (k->id >= 32)
		p->vcpu = (uint8_t)vcpu;
}

unsigned vgic_collect(struct vgic *d, unsigned vcpu, struct vgic_lr_req *out, unsigned max)
{
	struct pick k;
	unsigned n = 0;

	if (vcpu >= d->nr_vcpus)
		return 0;
	prune_live(d, vcpu);
	while (n < max && find_best(d, vcpu, &k, false))
		take(d, vcpu, &k, &out[n++]);
	return n;
}

/*
 * A take() of one PPI of vcpu, pending from this very pulse, without the
 * search vgic_collect() makes: the caller knows nothing else of vcpu's is
 * waiting outside its LRs. Anything that keeps the PPI out of an LR (in one
 * already, active, disabled) leaves it pending as vgic_pulse() would.
 */
bool vgic_pulse_take(struct vgic *d, unsigned vcpu, unsigned irq, struct vgic_lr_req *r)
{
	struct vgic_irq *p = device_irq(d, vcpu, irq);

	if (!p || irq < VGIC_NR_SGIS || irq >= 32)
		return false;
	p->pend |= 1;
	if (candidate(d, vcpu, p, irq, 0) != VGIC_LR_PENDING) {
		refresh(d, p, irq, vcpu);
		flush_kicks(d);
		return false;
	}
	take(d, vcpu, &(struct pick){ irq, 0, VGIC_LR_PENDING }, r);
	return true;
}

/*
 * What vgic_lr_sync() of the finished entry and vgic_pulse_take() would do
 * together, for the case they are made for: nothing happened to the irq
 * since the entry went in but the guest finishing it (no pending or active
 * state, no distributor write), so the same entry goes back in, pending.
 */
bool vgic_lr_refire(struct vgic *d, unsigned vcpu, struct vgic_lr_req *r)
{
	unsigned id = r->irq;
	struct vgic_irq *p;

	if (vcpu >= d->nr_vcpus || id < VGIC_NR_SGIS || id >= 32)
		return false;
	p = &d->priv[vcpu][id];
	/* One test for all the state that must be clear (bitwise: no branch each). */
	if (p->in_lr != 1 || (p->pend | p->act | p->lr_act | p->stale | p->clr_pend |
			      p->clr_act | p->set_act) || !latched(p) || !(d->enabled & p->enabled))
		return false;
	p->lr_pend = 1;
	/* The rest of the entry (id, source, hw, EOI notify) cannot have changed. */
	r->priority = p->priority;
	r->group1 = p->group1;
	r->state = VGIC_LR_PENDING;
	return true;
}

bool vgic_has_pending(const struct vgic *d, unsigned vcpu)
{
	struct pick k;

	return vcpu < d->nr_vcpus && find_best(d, vcpu, &k, true);
}

bool vgic_lr_sync(struct vgic *d, unsigned vcpu, const struct vgic_lr_req *req,
		  enum vgic_lr_state state, bool keep_in_lr)
{
	unsigned id = req->irq, src = id < VGIC_NR_SGIS ? req->source : 0;
	bool pend = state == VGIC_LR_PENDING || state == VGIC_LR_PENDING_ACTIVE;
	bool act = state == VGIC_LR_ACTIVE || state == VGIC_LR_PENDING_ACTIVE;
	struct vgic_irq *p;
	uint8_t bit;
	bool stale;

	if (vcpu >= d->nr_vcpus || id >= VGIC_NR_IRQS || src >= d->nr_vcpus)
		return false;
	p = irq_at(d, vcpu, id);
	bit = BIT(src);
	if (!(p->in_lr & bit) || holder(p, id, vcpu) != vcpu)
		return false;

	/* The guest's distributor writes since the entry went in win. */
	if (p->clr_pend & bit)
		pend = false;
	if (p->clr_act & bit)
		act = false;
	if (p->set_act & bit)
		act = true;
	stale = p->stale & bit;
	p->stale &= ~bit;
	p->clr_pend &= ~bit;
	p->clr_act &= ~bit;
	p->set_act &= ~bit;
	/* A level irq's ISPENDR latch is used up once the guest has taken it. */
	if (!pend && !latched(p))
		p->pend &= ~bit;

	if (keep_in_lr && !stale && (pend || act)) {
		p->lr_pend = pend ? p->lr_pend | bit : p->lr_pend & ~bit;
		p->lr_act = act ? p->lr_act | bit : p->lr_act & ~bit;
		return true;
	}

	p->in_lr &= ~bit;
	p->lr_pend &= ~bit;
	p->lr_act &= ~bit;
	if (pend && latched(p))
		p->pend |= bit;
	if (act)
		p->act |= bit;                   /* p->vcpu still names its owner */
	if (!p->pend && !p->act && !line_pending(p))
		return false;                    /* finished with: nothing it could hand on */
	refresh(d, p, id, vcpu);
	d->kicks &= (uint8_t)~BIT(vcpu);         /* it is about to collect anyway */
	flush_kicks(d);
	return false;
}
