// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * keel_channel: a Keel channel as a UIO device, for Linux user space.
 *
 * Keel describes each channel of a partition in the guest's device tree:
 *
 *   keel-channel@c000000 {
 *       compatible = "keel,channel";
 *       reg = <0x0c000000 SHMSIZE>, <0x0c100000 0x1000>;
 *       interrupts = <0 112 1>;              (SPI, edge rising)
 *       keel,channel-id = <ID>;
 *       keel,peer = "NAME";
 *       label = "NAME";
 *   };
 *
 * This driver turns each such node into /dev/uioN, named after `label`:
 *   map0  the shared memory (reg 0), mapped cacheable: it is normal RAM,
 *         and the peer partition maps it cacheable too;
 *   map1  the doorbell page (reg 1), mapped as device memory:
 *         0x00 NOTIFY (write: interrupt the peer), 0x04 CHANNEL_ID,
 *         0x08 SHM_SIZE, 0x0c PEER_ALIVE.
 * User space maps map N at offset N * page size (the UIO convention). The
 * interrupt (the peer rang) is an edge: nothing to acknowledge or mask, so
 * the handler only counts it and read() of /dev/uioN returns the new event
 * count. write() of a 4-byte 1 (the UIO idiom to re-enable an interrupt) is
 * accepted and does nothing.
 *
 * Debian's kernels have uio.ko but not uio_pdrv_genirq, hence this driver.
 * Built out of tree against Debian's headers: see guests/linux/linux.mk.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/mm.h>
#include <linux/uio_driver.h>

#define KEEL_CHANNEL_VERSION "1"

enum { MAP_SHM = 0, MAP_DOORBELL = 1 };

struct keel_channel {
	struct uio_info info;
	u32 id;
};

static irqreturn_t keel_channel_irq(int irq, struct uio_info *info)
{
	/* An edge: no device state to clear. UIO counts it and wakes readers. */
	return IRQ_HANDLED;
}

static int keel_channel_irqcontrol(struct uio_info *info, s32 on)
{
	/* The interrupt is never masked; accept the usual "write 1". */
	return 0;
}

/*
 * UIO's own mapping of physical memory is uncached; the shared memory must be
 * cacheable (the peer maps the same frames cacheable, and mixing attributes
 * loses coherency on real hardware). UIO has checked the index (vm_pgoff)
 * and that the length fits the region before it calls this.
 */
static int keel_channel_mmap(struct uio_info *info, struct vm_area_struct *vma)
{
	unsigned long n = vma->vm_pgoff;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct uio_mem *mem;

	if (n != MAP_SHM && n != MAP_DOORBELL)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;   /* a private copy of a channel makes no sense */
	mem = &info->mem[n];
	if (len > PAGE_ALIGN(mem->size))
		return -EINVAL;
	if (n == MAP_DOORBELL)
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, mem->addr >> PAGE_SHIFT, len,
			       vma->vm_page_prot);
}

static int keel_channel_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct keel_channel *ch;
	struct resource *shm, *bell;
	const char *label = NULL;
	int irq, ret;

	ch = devm_kzalloc(dev, sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return -ENOMEM;

	shm = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	bell = platform_get_resource(pdev, IORESOURCE_MEM, 1);
	if (!shm || !bell) {
		dev_err(dev, "needs two reg entries (shared memory, doorbell)\n");
		return -EINVAL;
	}
	if ((shm->start | bell->start) & ~PAGE_MASK) {
		dev_err(dev, "regions are not page aligned\n");
		return -EINVAL;
	}
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;

	of_property_read_u32(dev->of_node, "keel,channel-id", &ch->id);
	of_property_read_string(dev->of_node, "label", &label);
	if (!label)
		label = devm_kasprintf(dev, GFP_KERNEL, "keel-channel-%u", ch->id);
	if (!label)
		return -ENOMEM;

	ch->info.name = label;
	ch->info.version = KEEL_CHANNEL_VERSION;
	ch->info.mem[MAP_SHM].name = "shm";
	ch->info.mem[MAP_SHM].addr = shm->start;
	ch->info.mem[MAP_SHM].size = resource_size(shm);
	ch->info.mem[MAP_SHM].memtype = UIO_MEM_PHYS;
	ch->info.mem[MAP_DOORBELL].name = "doorbell";
	ch->info.mem[MAP_DOORBELL].addr = bell->start;
	ch->info.mem[MAP_DOORBELL].size = resource_size(bell);
	ch->info.mem[MAP_DOORBELL].memtype = UIO_MEM_PHYS;
	ch->info.irq = irq;
	ch->info.irq_flags = 0;
	ch->info.handler = keel_channel_irq;
	ch->info.irqcontrol = keel_channel_irqcontrol;
	ch->info.mmap = keel_channel_mmap;
	ch->info.priv = ch;

	ret = devm_uio_register_device(dev, &ch->info);
	if (ret) {
		dev_err(dev, "cannot register the UIO device: %d\n", ret);
		return ret;
	}
	platform_set_drvdata(pdev, ch);
	dev_info(dev, "channel %u '%s': %pR shared, doorbell %pR, irq %d\n",
		 ch->id, label, shm, bell, irq);
	return 0;
}

/*
 * No MODULE_DEVICE_TABLE(of, ...): the module is loaded by insmod, never
 * by alias, and Debian's host modpost (linux-kbuild for amd64) parses
 * device tables with the host's struct sizes (of_device_id is 200 bytes
 * there, 196 on ARM), so an armhf module with one fails to build.
 */
static const struct of_device_id keel_channel_of_match[] = {
	{ .compatible = "keel,channel" },
	{ }
};

static struct platform_driver keel_channel_driver = {
	.probe = keel_channel_probe,
	.driver = {
		.name = "keel_channel",
		.of_match_table = keel_channel_of_match,
	},
};
module_platform_driver(keel_channel_driver);

MODULE_DESCRIPTION("Keel channel (shared memory, doorbell, interrupt) as a UIO device");
MODULE_AUTHOR("The Keel authors");
MODULE_LICENSE("Dual MIT/GPL");
