/* SPDX-License-Identifier: MIT */
/*
 * Reading the boot bundle. The bundle is untrusted input: its header is
 * checked by libfdt against the space the boot loader gave it, every
 * property must be known, sizes must be in range, and each image must match
 * the CRC-32 recorded next to it, so a damaged image is refused by name
 * instead of being run.
 *
 *   / { compatible = "keel,bundle-v1";
 *       partitions { NAME { cpus = <1>; memory-mib = <64>;
 *                           kernel = [..]; kernel-crc32 = <..>;
 *                           initrd = [..]; initrd-crc32 = <..>;    optional
 *                           dtb = [..];    dtb-crc32 = <..>;       optional
 *                           bootargs = "..";                       optional
 *                           keel,test-device; keel,check-decoder;  optional
 *       }; }; };
 */
#include <libfdt.h>
#include <string.h>
#include <keel/bundle.h>
#include <keel/errno.h>
#include <keel/image.h>
#include <keel/printf.h>

#define MEM_MIB_MAX 3072

static const char *const known_props[] = {
	"cpus", "memory-mib", "kernel", "kernel-crc32", "initrd", "initrd-crc32",
	"dtb", "dtb-crc32", "bootargs", "keel,test-device", "keel,check-decoder",
};

static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= VM_NAME_MAX)
		return false;
	for (; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') ||
		      *name == '-' || *name == '_'))
			return false;
	return true;
}

static int get_u32(const void *fdt, int node, const char *prop, uint32_t *out, bool required)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p)
		return required ? -KEEL_ENOENT : 1;
	if (len != 4)
		return -KEEL_EINVAL;
	*out = fdt32_to_cpu(*p);
	return 0;
}

#define FAIL(...) do { snprintf(why, why_len, __VA_ARGS__); return -KEEL_EINVAL; } while (0)

static int get_image(const void *fdt, int node, const char *vm, const char *prop,
		     struct vm_image *img, char *why, size_t why_len)
{
	char crc_prop[32];
	uint32_t want;
	int len, err;
	const void *data = fdt_getprop(fdt, node, prop, &len);

	img->data = NULL;
	img->size = 0;
	if (!data)
		return 0;
	snprintf(crc_prop, sizeof(crc_prop), "%s-crc32", prop);
	err = get_u32(fdt, node, crc_prop, &want, true);
	if (err)
		FAIL("partition '%s': property '%s' is %s", vm, crc_prop,
		     err == -KEEL_ENOENT ? "missing" : "not one 32-bit cell");
	if (crc32(data, len) != want) {
		snprintf(why, why_len, "partition '%s': %s image is corrupt "
			 "(CRC-32 0x%08x, the bundle says 0x%08x)", vm, prop, crc32(data, len), want);
		return -KEEL_ECORRUPT;
	}
	img->data = data;
	img->size = len;
	return 0;
}

static int parse_partition(const void *fdt, int node, struct vm_config *c,
			   char *why, size_t why_len)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	uint32_t cpus = 1, mib = 64;
	int prop, err;

	if (!name || !name_ok(name))
		FAIL("partition node '%s': a name is 1-%d characters of a-z, 0-9, '-', '_'",
		     name ? name : "?", VM_NAME_MAX - 1);
	memset(c, 0, sizeof(*c));
	c->name = name;
	if (fdt_first_subnode(fdt, node) >= 0)
		FAIL("partition '%s': unexpected node '%s'", name,
		     fdt_get_name(fdt, fdt_first_subnode(fdt, node), NULL));
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *pname;
		bool known = false;

		fdt_getprop_by_offset(fdt, prop, &pname, NULL);
		for (unsigned i = 0; i < ARRAY_SIZE(known_props); i++)
			known |= !strcmp(pname, known_props[i]);
		if (!known)
			FAIL("partition '%s': unknown property '%s'", name, pname);
	}
	if (get_u32(fdt, node, "cpus", &cpus, false) < 0 || cpus < 1 || cpus > VM_MAX_VCPUS)
		FAIL("partition '%s': property 'cpus' must be 1-%d", name, VM_MAX_VCPUS);
	if (get_u32(fdt, node, "memory-mib", &mib, false) < 0 || mib < 1 || mib > MEM_MIB_MAX)
		FAIL("partition '%s': property 'memory-mib' must be 1-%d", name, MEM_MIB_MAX);
	c->nr_vcpus = cpus;
	c->ram_size = MiB(mib);
	if ((err = get_image(fdt, node, name, "kernel", &c->kernel, why, why_len)) ||
	    (err = get_image(fdt, node, name, "initrd", &c->initrd, why, why_len)) ||
	    (err = get_image(fdt, node, name, "dtb", &c->dtb, why, why_len)))
		return err;
	if (!c->kernel.size)
		FAIL("partition '%s': property 'kernel' (the image) is missing", name);
	c->bootargs = fdt_getprop(fdt, node, "bootargs", &err);
	if (c->bootargs && (err < 1 || c->bootargs[err - 1] != '\0'))
		FAIL("partition '%s': property 'bootargs' is not a string", name);
	c->testdev = fdt_getprop(fdt, node, "keel,test-device", NULL) != NULL;
	c->check_decoder = fdt_getprop(fdt, node, "keel,check-decoder", NULL) != NULL;
	return 0;
}

int bundle_parse(const void *blob, uint64_t max, struct vm_config *cfgs,
		 unsigned *count, char *why, size_t why_len)
{
	int parts, node, err;

	*count = 0;
	if (max < sizeof(struct fdt_header) || fdt_magic(blob) != FDT_MAGIC)
		FAIL("the boot bundle is not a flattened device tree (bad magic)");
	if (fdt_totalsize(blob) > max)
		FAIL("the boot bundle is truncated (%u bytes, header says %u)",
		     (unsigned)max, fdt_totalsize(blob));
	if ((err = fdt_check_header(blob)))
		FAIL("the boot bundle's header is damaged (%s)", fdt_strerror(err));
	if (fdt_node_check_compatible(blob, 0, "keel,bundle-v1"))
		FAIL("the boot bundle is not compatible with \"keel,bundle-v1\"");
	parts = fdt_subnode_offset(blob, 0, "partitions");
	if (parts < 0)
		FAIL("the boot bundle has no /partitions node");
	fdt_for_each_subnode(node, blob, parts) {
		if (*count == BUNDLE_MAX_PARTITIONS)
			FAIL("the boot bundle has more than %d partitions", BUNDLE_MAX_PARTITIONS);
		if ((err = parse_partition(blob, node, &cfgs[*count], why, why_len)))
			return err;
		for (unsigned i = 0; i < *count; i++)
			if (!strcmp(cfgs[i].name, cfgs[*count].name))
				FAIL("two partitions are called '%s'", cfgs[i].name);
		(*count)++;
	}
	if (!*count)
		FAIL("the boot bundle describes no partition");
	return 0;
}
