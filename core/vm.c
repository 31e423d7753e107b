/* SPDX-License-Identifier: MIT */
/*
 * Partition lifecycle: create (RAM from the frame allocator mapped by stage 2,
 * emulated devices on the MMIO bus, images loaded, vCPU 0 at the entry point),
 * reset (images loaded again from the boot bundle, devices and vCPUs reset),
 * stop (status and reason kept for the report).
 *
 * Images go where QEMU's own loader puts them on the virt board, so an image
 * built for that board runs unmodified (ARM Linux booting protocol):
 *   kernel  RAM + 0x10000, entered in SVC mode with r0 = 0, r1 = ~0, r2 = DTB
 *   initrd  RAM + min(RAM size / 2, 128 MiB)
 *   DTB     after the initrd (or at the initrd address without one), 4 KiB aligned
 */
#include <stdarg.h>
#include <string.h>
#include <keel/arch.h>
#include <keel/channel.h>
#include <keel/console.h>
#include <keel/errno.h>
#include <keel/guest_dtb.h>
#include <keel/image.h>
#include <keel/irq.h>
#include <keel/board.h>
#include <keel/mem.h>
#include <keel/printf.h>
#include <keel/sched.h>
#include <keel/vm.h>
#include <devices/pl011.h>
#include <devices/statdev.h>
#include <devices/testdev.h>
#include <keel/testdev.h>
#include <keel/trap.h>

#define KERNEL_OFFSET   CFG_KERNEL_OFFSET
#define DTB_MAX         CFG_DTB_MAX   /* room for the generated DTB */

struct vm vms[VM_MAX];

void *vm_ram_ptr(struct vm *vm, ipa_t ipa, uint64_t len)
{
	if (ipa < vm->ram_ipa || len > vm->ram_size ||
	    ipa - vm->ram_ipa > vm->ram_size - len)
		return NULL;
	return vm->ram + (ipa - vm->ram_ipa);
}

void vm_stop(struct vm *vm, int status, const char *fmt, ...)
{
	va_list ap;

	vm_lock(vm);
	if (vm->state == VM_STOPPED) {
		vm_unlock(vm);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	vm->exit_status = status;
	WRITE_ONCE(vm->state, VM_STOPPED);
	/* Its vCPUs on other CPUs leave the guest now; their CPUs put them away. */
	vm_kick(vm);
	vm_unlock(vm);
}

void vm_request_restart(struct vm *vm, const char *why)
{
	vm_lock(vm);
	if (vm_alive(vm)) {
		snprintf(vm->reset_why, sizeof(vm->reset_why), "%s", why);
		vm->reset_requested = true;
		vm_kick(vm);
	}
	vm_unlock(vm);
}

int vm_request_start(struct vm *vm)
{
	int err = -KEEL_EINVAL;

	vm_lock(vm);
	if (vm->state == VM_STOPPED && !vm->reset_requested) {
		snprintf(vm->reset_why, sizeof(vm->reset_why), "started again");
		vm->start_requested = true;
		vm->reset_requested = true;
		vm_kick(vm);
		err = 0;
	}
	vm_unlock(vm);
	return err;
}

static int load_image(struct vm *vm, const char *what, const struct vm_image *img,
		      uint64_t offset)
{
	void *dst = vm_ram_ptr(vm, vm->ram_ipa + offset, img->size);

	if (!dst) {
		printk("keel: partition '%s': %s (%u bytes) does not fit in its %llu MiB of RAM "
		       "at offset 0x%llx\n", vm->name, what, img->size,
		       (unsigned long long)(vm->ram_size >> 20), (unsigned long long)offset);
		return -KEEL_ERANGE;
	}
	memcpy(dst, img->data, img->size);
	arch_sync_guest_memory(dst, img->size);
	return 0;
}

/* Put the images in RAM and vCPU 0 at the kernel's entry. */
static int vm_load(struct vm *vm)
{
	const struct vm_config *c = &vm->cfg;
	uint64_t initrd_off = config_initrd_offset(vm->ram_size);
	uint64_t dtb_off = config_dtb_offset(vm->ram_size, c->initrd.size);
	void *dtb;
	int err;

	if ((err = load_image(vm, "kernel image", &c->kernel, KERNEL_OFFSET)))
		return err;
	if (KERNEL_OFFSET + c->kernel.size > initrd_off) {
		printk("keel: partition '%s': kernel image (%u bytes) overlaps the initrd/DTB area "
		       "at RAM + 0x%llx; give the partition more RAM\n", vm->name, c->kernel.size,
		       (unsigned long long)initrd_off);
		return -KEEL_ERANGE;
	}
	if (c->initrd.size && (err = load_image(vm, "initrd", &c->initrd, initrd_off)))
		return err;
	dtb = vm_ram_ptr(vm, vm->ram_ipa + dtb_off, DTB_MAX);
	if (!dtb) {
		printk("keel: partition '%s': no room for its device tree at RAM + 0x%llx\n",
		       vm->name, (unsigned long long)dtb_off);
		return -KEEL_ERANGE;
	}
	if (c->dtb.size) {
		if ((err = load_image(vm, "device tree", &c->dtb, dtb_off)))
			return err;
	} else {
		struct guest_dtb_params p = {
			.name = vm->name, .nr_vcpus = vm->nr_vcpus,
			.ram_ipa = vm->ram_ipa, .ram_size = vm->ram_size,
			.bootargs = c->bootargs, .testdev = c->testdev,
			.exit_stats = c->exit_stats,
			.initrd_ipa = c->initrd.size ? vm->ram_ipa + initrd_off : 0,
			.initrd_size = c->initrd.size,
			.restarts = vm->restarts,
			.cpu_compatible = arch_cpu_compatible(),
			.nr_chans = vm->nr_chans,
		};

		for (unsigned k = 0; k < vm->nr_chans; k++) {
			const struct channel *ch = vm->chans[k];

			p.chans[k].id = ch->id;
			p.chans[k].size = ch->cfg->size;
			p.chans[k].label = ch->cfg->name;
			p.chans[k].peer = ch->end[ch->end[0] == vm]->name;
		}

		if ((err = guest_dtb_build(dtb, DTB_MAX, &p))) {
			printk("keel: partition '%s': cannot build its device tree (%d)\n", vm->name, err);
			return err;
		}
		arch_sync_guest_memory(dtb, DTB_MAX);
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		virq_forget(v);         /* first: it reads the list registers reset clears */
		arch_vcpu_reset(v, (uint32_t)(vm->ram_ipa + KERNEL_OFFSET), 0, 0xffffffffu,
				(uint32_t)(vm->ram_ipa + dtb_off));
		v->state = i == 0 ? VCPU_RUNNABLE : VCPU_OFF;
		v->on_pending = false;
		v->fault_streak = 0;
	}
	vm->panicked = false;
	vm_watchdog_pet(vm);
	return 0;
}

static enum mmio_result gicd_access(void *dev, struct mmio_access *a)
{
	return vgic_dist_access(dev, a->vcpu, a);
}

static void gicd_reset(void *dev)
{
	vgic_reset(dev);
}

static const struct vdev_ops gicd_ops = { .access = gicd_access, .reset = gicd_reset };

static void vgic_kick(void *ctx, unsigned vcpu)
{
	struct vm *vm = ctx;

	/* On its own CPU the vCPU is flushed before it next runs, fast path or not. */
	WRITE_ONCE(vm->vcpus[vcpu].virq_dirty, true);
	vcpu_kick(&vm->vcpus[vcpu]);
}

/* The interrupt controller: emulated distributor, the hardware's virtual CPU interface. */
static int vm_add_gic(struct vm *vm)
{
	int err;

	vgic_init(&vm->vgic, vm->nr_vcpus);
	vm->vgic.kick = vgic_kick;
	vm->vgic.kick_ctx = vm;
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vgic_map_hw(&vm->vgic, i, GUEST_VTIMER_IRQ, the_board.timer_virt_ppi);
	err = mmio_register(&vm->mmio, GUEST_GICD_IPA, VGIC_DIST_SIZE, &gicd_ops, &vm->vgic,
			    "gic-distributor");
	if (err)
		return err;
	return arch_vm_map_device(vm, GUEST_GICC_IPA, the_board.gicv, GUEST_GICC_SIZE);
}

/*
 * Devices the config hands to the partition: MMIO mapped 1:1 (the guest's
 * accesses never trap), SPIs forwarded with the HW bit to the CPU of vCPU 0
 * (the guest's EOI deactivates them; config_check made sure nobody else has
 * them).
 */
static int vm_add_passthrough(struct vm *vm)
{
	const struct vm_config *c = &vm->cfg;
	int err;

	for (unsigned i = 0; i < c->nr_mmio; i++)
		if ((err = arch_vm_map_device(vm, c->mmio[i].base, c->mmio[i].base, c->mmio[i].size)))
			return err;
	for (unsigned i = 0; i < c->nr_irqs; i++) {
		if ((err = vgic_map_hw(&vm->vgic, 0, c->irqs[i], c->irqs[i])))
			return err;
		irq_assign(c->irqs[i], vm);
	}
	return 0;
}

static int vm_add_devices(struct vm *vm)
{
	int err;

	if ((err = vm_add_gic(vm)) || (err = vm_add_passthrough(vm)))
		return err;

	vm->uart = vpl011_create(vm);
	if (!vm->uart)
		return -KEEL_ENOMEM;
	err = mmio_register(&vm->mmio, GUEST_UART_IPA, 0x1000, &vpl011_ops, vm->uart, "pl011");
	if (err)
		return err;
	if (vm->cfg.testdev) {
		vm->testdev = testdev_create();
		if (!vm->testdev)
			return -KEEL_ENOMEM;
		err = mmio_register(&vm->mmio, TESTDEV_BASE, TESTDEV_SIZE, &testdev_ops,
				    vm->testdev, "test-device");
		if (err)
			return err;
	}
	if (vm->cfg.exit_stats) {
		/* its own accesses land in the row of the region it is about to get */
		struct statdev *stats = statdev_create(vm, ROW_DEVICE + vm->mmio.count);

		if (!stats)
			return -KEEL_ENOMEM;
		err = mmio_register(&vm->mmio, STATDEV_BASE, STATDEV_SIZE, &statdev_ops, stats,
				    "exit-stats");
	}
	return err;
}

/* RAM: anywhere (at IPA 0x40000000), or at the config's base, 1:1. */
static int vm_add_ram(struct vm *vm)
{
	const struct vm_config *c = &vm->cfg;

	if (c->ram_base) {
		if (mem_claim(c->ram_base, c->ram_size)) {
			printk("keel: partition '%s': its RAM at 0x%llx (1:1) is not free\n", vm->name,
			       (unsigned long long)c->ram_base);
			return -KEEL_EEXIST;
		}
		vm->ram_pa = vm->ram_ipa = c->ram_base;
	} else {
		vm->ram_ipa = GUEST_RAM_IPA;
		vm->ram_pa = mem_alloc(vm->ram_size, MiB(2));
		if (!vm->ram_pa) {
			printk("keel: partition '%s': not enough memory for %llu MiB of RAM "
			       "(%llu MiB free)\n", vm->name, (unsigned long long)(vm->ram_size >> 20),
			       (unsigned long long)(mem_free_bytes() >> 20));
			return -KEEL_ENOMEM;
		}
	}
	vm->ram = phys_to_virt(vm->ram_pa);
	return 0;
}

struct vm *vm_create(const struct vm_config *cfg)
{
	struct vm *vm = NULL;
	int err;

	for (unsigned i = 0; i < VM_MAX; i++) {
		if (vms[i].state == VM_FREE) {
			vm = &vms[i];
			memset(vm, 0, sizeof(*vm));
			vm->id = i;
			break;
		}
	}
	if (!vm) {
		printk("keel: partition '%s': no free partition slot (at most %d)\n", cfg->name, VM_MAX);
		return NULL;
	}
	vm->cfg = *cfg;
	snprintf(vm->name, sizeof(vm->name), "%s", cfg->name);
	vm->vmid = vm->id + 1;          /* VMID 0 is never used for a guest */
	vm->nr_vcpus = cfg->nr_vcpus;
	vm->ram_size = cfg->ram_size;

	if (err = image_check(vm->name, "kernel image", &cfg->kernel, true), err)
		goto err_free;
	if (cfg->initrd.size && (err = image_check(vm->name, "initrd", &cfg->initrd, false)))
		goto err_free;
	if ((err = vm_add_ram(vm)))
		goto err_free;
	if ((err = arch_vm_init(vm)) ||
	    (err = arch_vm_map_ram(vm, vm->ram_ipa, vm->ram_pa, vm->ram_size))) {
		printk("keel: partition '%s': cannot build its stage-2 tables (%d)\n", vm->name, err);
		goto err_free;
	}
	if ((err = vm_add_devices(vm))) {
		printk("keel: partition '%s': cannot add its devices (%d)\n", vm->name, err);
		goto err_free;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].idx = i;
		vm->vcpus[i].pcpu = cfg->affinity[i];
		sched_vcpu_init(&vm->vcpus[i]);
	}
	vm->state = VM_READY;
	return vm;

err_free:
	/* Memory already taken stays reserved: Keel does not free partition RAM. */
	vm->state = VM_FREE;
	return NULL;
}

int vm_start(struct vm *vm)
{
	return vm_load(vm);
}

int vm_reset(struct vm *vm)
{
	vm->restarts++;
	vm->doorbells = 0;
	irq_release(vm);
	mmio_reset_all(&vm->mmio);
	console_guest_flush(vm);
	return vm_load(vm);
}
