/* SPDX-License-Identifier: MIT */
/*
 * keel-check: check a Keel config (compiled with dtc) on the host, before
 * anything boots, with the same code Keel runs at boot (core/bundle.c,
 * core/config_check.c), against a description of the board. Images without
 * a *-crc32 property get one (a config written by hand has none; Keel
 * requires them in the bundle).
 *
 *   keel-check [options] CONFIG.dtb
 *     --cpus N          physical CPUs of the board (default 4, QEMU virt's most)
 *     --ram BASE,MIB    the board's RAM (default 0x40000000,1024: QEMU virt -m 1024)
 *     --keel-mib N      RAM from its base that Keel, the DTB and the bundle may use
 *                       (default 256; Keel checks the exact layout at boot)
 *     --seal OUT        also write CONFIG with the missing *-crc32 properties
 *                       added (the boot bundle tools/keel-pack appends)
 *     -q                print nothing when the config is good
 *
 * Exit status: 0 good, 1 refused (one line saying which node and property), 2 usage.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <keel/config.h>
#include <keel/image.h>

/* core/image.c reports through Keel's printk: here that is stderr. */
void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void usage(void)
{
	fprintf(stderr, "usage: keel-check [--cpus N] [--ram BASE,MIB] [--keel-mib N] "
		"[--seal OUT] [-q] CONFIG.dtb\n");
	exit(2);
}

static void *read_file(const char *path, size_t *len, size_t extra)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "keel-check: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	buf = calloc(1, n + extra);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		fprintf(stderr, "keel-check: %s: cannot read it\n", path);
		exit(2);
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Add kernel-crc32 (etc.) next to every image that has none. */
static int seal(void *fdt)
{
	static const char *const images[] = { "kernel", "initrd", "dtb" };
	int parts = fdt_subnode_offset(fdt, 0, "partitions"), node;

	if (parts < 0)
		return 0;   /* bundle_parse says what is missing */
	fdt_for_each_subnode(node, fdt, parts) {
		for (unsigned i = 0; i < 3; i++) {
			char prop[32];
			const void *data;
			int len, err;

			data = fdt_getprop(fdt, node, images[i], &len);
			snprintf(prop, sizeof(prop), "%s-crc32", images[i]);
			if (!data || fdt_getprop(fdt, node, prop, NULL))
				continue;
			err = fdt_setprop_u32(fdt, node, prop, crc32(data, len));
			if (err) {
				fprintf(stderr, "keel-check: cannot add %s: %s\n", prop, fdt_strerror(err));
				return -1;
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct board_limits lim = { .nr_cpus = 4, .nr_ram = 1,
				    .ram = { { 0x40000000ull, MiB(1024) } } };
	unsigned long keel_mib = 256;
	const char *path = NULL, *seal_out = NULL;
	static struct keel_config cfg;
	char why[256];
	bool quiet = false;
	size_t len;
	void *fdt;

	for (int i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--cpus") && i + 1 < argc) {
			lim.nr_cpus = strtoul(argv[++i], &end, 0);
			if (*end || !lim.nr_cpus)
				usage();
		} else if (!strcmp(argv[i], "--ram") && i + 1 < argc) {
			lim.ram[0].base = strtoull(argv[++i], &end, 0);
			if (*end != ',')
				usage();
			lim.ram[0].size = MiB(strtoull(end + 1, &end, 0));
			if (*end)
				usage();
		} else if (!strcmp(argv[i], "--keel-mib") && i + 1 < argc) {
			keel_mib = strtoul(argv[++i], &end, 0);
			if (*end)
				usage();
		} else if (!strcmp(argv[i], "--seal") && i + 1 < argc) {
			seal_out = argv[++i];
		} else if (!strcmp(argv[i], "-q")) {
			quiet = true;
		} else if (argv[i][0] == '-' || path) {
			usage();
		} else {
			path = argv[i];
		}
	}
	if (!path)
		usage();
	/* QEMU virt's devices Keel keeps for itself, and where it boots. */
	lim.owned[0] = (struct cfg_region){ 0x08000000, 0x50000 };
	lim.owned_what[0] = "the GIC";
	lim.owned[1] = (struct cfg_region){ 0x09000000, 0x1000 };
	lim.owned_what[1] = "Keel's console UART";
	lim.owned[2] = (struct cfg_region){ lim.ram[0].base, MiB(keel_mib) };
	lim.owned_what[2] = "where Keel, the DTB and the boot bundle are loaded";
	lim.nr_owned = 3;
	lim.owned_irqs[0] = 33;
	lim.nr_owned_irqs = 1;

	/* A config from dtc has no CRCs yet: they are added (in memory) first. */
	fdt = read_file(path, &len, 4096);
	if (fdt_magic(fdt) == FDT_MAGIC && len >= fdt_totalsize(fdt)) {
		if (fdt_open_into(fdt, fdt, len + 4096) || seal(fdt) || fdt_pack(fdt))
			return 1;
		len = fdt_totalsize(fdt);
	}
	if (seal_out) {
		FILE *f = fopen(seal_out, "wb");

		if (!f || fwrite(fdt, 1, len, f) != len || fclose(f)) {
			fprintf(stderr, "keel-check: %s: cannot write it\n", seal_out);
			return 2;
		}
	}
	if (bundle_parse(fdt, len, &cfg, why, sizeof(why)) ||
	    config_check(&cfg, &lim, why, sizeof(why))) {
		fprintf(stderr, "keel-check: %s: %s\n", path, why);
		return 1;
	}
	for (unsigned i = 0; i < cfg.nr_vms; i++) {
		const struct vm_config *c = &cfg.vm[i];

		if (image_check(c->name, "kernel image", &c->kernel, true) ||
		    (c->initrd.size && image_check(c->name, "initrd", &c->initrd, false)))
			return 1;
	}
	if (quiet)
		return 0;
	printf("keel-check: %s: good: %u partition%s, %u channel%s\n", path, cfg.nr_vms,
	       cfg.nr_vms > 1 ? "s" : "", cfg.nr_chans, cfg.nr_chans == 1 ? "" : "s");
	for (unsigned i = 0; i < cfg.nr_vms; i++) {
		const struct vm_config *c = &cfg.vm[i];

		printf("  %-16s %u vCPU%s %-11s on CPU", c->name, c->nr_vcpus,
		       c->nr_vcpus > 1 ? "s" : " ", c->sched == SCHED_PINNED ? "pinned" : "time-sliced");
		for (unsigned v = 0; v < c->nr_vcpus; v++)
			printf("%s%u", v ? "," : " ", c->affinity[v]);
		printf(", %llu MiB%s\n", (unsigned long long)(c->ram_size >> 20),
		       c->ram_base ? " (1:1)" : "");
	}
	return 0;
}
