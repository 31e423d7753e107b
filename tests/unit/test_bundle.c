/* SPDX-License-Identifier: MIT */
/*
 * The boot bundle reader (core/bundle.c) and the image checks (core/image.c).
 * Bundles are built here with host libfdt's sequential-write API in the
 * format of bundle.c's header comment; image CRCs come from a bit-at-a-time
 * CRC-32 written here, independent of image.c's table-driven one. Every
 * refusal must return non-zero and say, in `why`, which partition and which
 * property is wrong.
 */
#include "unit.h"
#include "fakes.h"
#include "ref_crc32.h"
#include <libfdt.h>
#include <keel/config.h>
#include <keel/errno.h>
#include <keel/image.h>

#define BLOB_MAX 65536

static char blob[BLOB_MAX];
static int build_err;
static struct keel_config kc;
#define cfgs  kc.vm
#define count kc.nr_vms
static char why[256];

static const uint8_t kernel_img[64] = {
	0x00, 0x00, 0xa0, 0xe1, 0x01, 0x10, 0xa0, 0xe1, 0xfe, 0xff, 0xff, 0xea, 0x55, 0xaa,
	[40] = 0x42, [63] = 0x99,
};
static const uint8_t initrd_img[] = "initrd contents, not a real cpio";
static const uint8_t dtb_img[16] = { 0xd0, 0x0d, 0xfe, 0xed, 1, 2, 3 };

/* ---- bundle builder ------------------------------------------------------ */

#define B(x) do { int e_ = (x); if (e_ < 0 && !build_err) build_err = e_; } while (0)

static void begin_root(const char *compatible, bool with_partitions)
{
	build_err = 0;
	memset(blob, 0, sizeof(blob));
	B(fdt_create(blob, sizeof(blob)));
	B(fdt_finish_reservemap(blob));
	B(fdt_begin_node(blob, ""));
	if (compatible)
		B(fdt_property_string(blob, "compatible", compatible));
	if (with_partitions)
		B(fdt_begin_node(blob, "partitions"));
}

static void begin_bundle(void)
{
	begin_root("keel,bundle-v1", true);
}

static void finish_bundle(bool with_partitions)
{
	if (with_partitions)
		B(fdt_end_node(blob));
	B(fdt_end_node(blob));
	B(fdt_finish(blob));
	CHECK_EQ(build_err, 0);
	CHECK_EQ(fdt_check_header(blob), 0);
}

static void part_begin(const char *name)
{
	B(fdt_begin_node(blob, name));
}

static void part_end(void)
{
	B(fdt_end_node(blob));
}

static void prop_u32(const char *name, uint32_t v)
{
	B(fdt_property_u32(blob, name, v));
}

static void prop_raw(const char *name, const void *data, int len)
{
	B(fdt_property(blob, name, data, len));
}

/* An image property and its NAME-crc32 (correct unless crc_delta). */
static void prop_image(const char *name, const void *data, int len, uint32_t crc_delta)
{
	char crc_name[32];

	snprintf(crc_name, sizeof(crc_name), "%s-crc32", name);
	prop_raw(name, data, len);
	prop_u32(crc_name, ref_crc32(data, len) + crc_delta);
}

/* A partition that is fine on its own. */
static void good_part(const char *name)
{
	part_begin(name);
	prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
	part_end();
}

static int parse(uint64_t max)
{
	memset(&kc, 0xa5, sizeof(kc));
	memset(why, 0, sizeof(why));
	count = 99;
	return bundle_parse(blob, max, &kc, why, sizeof(why));
}

static int parse_all(void)
{
	return parse(fdt_totalsize(blob));
}

/* Check a refusal: non-zero result, and every word in want appears in why. */
static void check_refused(int ret, const char *label, const char *const *want)
{
	CHECK_EQ_MSG(ret < 0, 1, label);
	CHECK_EQ_MSG(why[0] != '\0', 1, label);
	check_why_has(why, sizeof(why), label, want);
}

/* ---- the good case ------------------------------------------------------- */

TEST(good_bundle_two_partitions)
{
	static const char args[] = "console=ttyAMA0 quiet";

	begin_bundle();
	part_begin("web-1");
	prop_u32("cpus", 2);
	prop_u32("memory-mib", 128);
	prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
	prop_image("initrd", initrd_img, sizeof(initrd_img), 0);
	prop_image("dtb", dtb_img, sizeof(dtb_img), 0);
	B(fdt_property_string(blob, "bootargs", args));
	prop_raw("keel,test-device", NULL, 0);
	prop_raw("keel,exit-stats", NULL, 0);
	prop_raw("keel,check-decoder", NULL, 0);
	part_end();
	good_part("db_2");
	finish_bundle(true);

	CHECK_EQ(parse_all(), 0);
	CHECK_EQ(count, 2);
	if (count != 2) {
		fprintf(stderr, "  why: %s\n", why);
		return;
	}

	CHECK(!strcmp(cfgs[0].name, "web-1"));
	CHECK_EQ(cfgs[0].nr_vcpus, 2);
	CHECK_EQ(cfgs[0].ram_size, MiB(128));
	CHECK_EQ(cfgs[0].kernel.size, sizeof(kernel_img));
	CHECK(cfgs[0].kernel.data && !memcmp(cfgs[0].kernel.data, kernel_img, sizeof(kernel_img)));
	/* Images are not copied: they point into the bundle. */
	CHECK((const char *)cfgs[0].kernel.data > blob &&
	      (const char *)cfgs[0].kernel.data < blob + fdt_totalsize(blob));
	CHECK_EQ(cfgs[0].initrd.size, sizeof(initrd_img));
	CHECK(cfgs[0].initrd.data && !memcmp(cfgs[0].initrd.data, initrd_img, sizeof(initrd_img)));
	CHECK_EQ(cfgs[0].dtb.size, sizeof(dtb_img));
	CHECK(cfgs[0].dtb.data && !memcmp(cfgs[0].dtb.data, dtb_img, sizeof(dtb_img)));
	CHECK(cfgs[0].bootargs && !strcmp(cfgs[0].bootargs, args));
	CHECK_EQ(cfgs[0].testdev, 1);
	CHECK_EQ(cfgs[0].exit_stats, 1);
	CHECK_EQ(cfgs[0].check_decoder, 1);

	/* Defaults: 1 vCPU, 64 MiB, no initrd/dtb/bootargs, no flags. */
	CHECK(!strcmp(cfgs[1].name, "db_2"));
	CHECK_EQ(cfgs[1].nr_vcpus, 1);
	CHECK_EQ(cfgs[1].ram_size, MiB(64));
	CHECK_EQ(cfgs[1].kernel.size, sizeof(kernel_img));
	CHECK(cfgs[1].kernel.data && !memcmp(cfgs[1].kernel.data, kernel_img, sizeof(kernel_img)));
	CHECK(cfgs[1].initrd.data == NULL);
	CHECK_EQ(cfgs[1].initrd.size, 0);
	CHECK(cfgs[1].dtb.data == NULL);
	CHECK_EQ(cfgs[1].dtb.size, 0);
	CHECK(cfgs[1].bootargs == NULL);
	CHECK_EQ(cfgs[1].testdev, 0);
	CHECK_EQ(cfgs[1].exit_stats, 0);
	CHECK_EQ(cfgs[1].check_decoder, 0);

	/* A larger max than the blob is fine. */
	CHECK_EQ(parse(sizeof(blob)), 0);
	CHECK_EQ(count, 2);
}

TEST(good_limits)
{
	static const struct {
		uint32_t cpus, mib;
	} cases[] = { { 1, 1 }, { 4, 3072 }, { 3, 64 } };

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		begin_bundle();
		part_begin("abcdefghijklmnopqrstuvw");      /* 23 characters: the longest */
		prop_u32("cpus", cases[i].cpus);
		prop_u32("memory-mib", cases[i].mib);
		prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
		part_end();
		finish_bundle(true);
		CHECK_EQ_MSG(parse_all(), 0, why);
		CHECK_EQ(count, 1);
		if (count != 1)
			return;
		CHECK_EQ(cfgs[0].nr_vcpus, cases[i].cpus);
		CHECK_EQ(cfgs[0].ram_size, MiB(cases[i].mib));
	}
	/* Exactly four partitions. */
	begin_bundle();
	good_part("a");
	good_part("b");
	good_part("c");
	good_part("0-9_z");
	finish_bundle(true);
	CHECK_EQ(parse_all(), 0);
	CHECK_EQ(count, 4);
	CHECK(count == 4 && !strcmp(cfgs[3].name, "0-9_z"));
	/* An empty bootargs string ("") is a string. */
	begin_bundle();
	part_begin("p");
	prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
	prop_raw("bootargs", "", 1);
	part_end();
	finish_bundle(true);
	CHECK_EQ(parse_all(), 0);
	CHECK(count == 1 && cfgs[0].bootargs && cfgs[0].bootargs[0] == '\0');
}

/* ---- bundle-level refusals ---------------------------------------------- */

TEST(bad_magic)
{
	begin_bundle();
	good_part("p");
	finish_bundle(true);
	blob[0] ^= 0xff;
	check_refused(parse_all(), "magic", WANT("magic"));
	CHECK_EQ(count, 0);

	memset(blob, 0, 64);
	check_refused(parse(BLOB_MAX), "zeros", WANT("magic"));

	/* Less room than a header, even with a good magic. */
	begin_bundle();
	good_part("p");
	finish_bundle(true);
	check_refused(parse(sizeof(struct fdt_header) - 1), "tiny", WANT("magic"));
	check_refused(parse(0), "empty", WANT("magic"));
}

TEST(truncated)
{
	uint32_t total;

	begin_bundle();
	good_part("p");
	finish_bundle(true);
	total = fdt_totalsize(blob);
	CHECK_EQ(parse(total), 0);
	check_refused(parse(total - 1), "by one", WANT("truncated"));
	check_refused(parse(total / 2), "half", WANT("truncated"));
	check_refused(parse(sizeof(struct fdt_header)), "header only", WANT("truncated"));
}

TEST(damaged_header)
{
	begin_bundle();
	good_part("p");
	finish_bundle(true);
	/* The structure block said to lie beyond the blob. */
	fdt_set_off_dt_struct(blob, fdt_totalsize(blob) + 64);
	check_refused(parse_all(), "off_dt_struct", WANT("header"));

	begin_bundle();
	good_part("p");
	finish_bundle(true);
	fdt_set_version(blob, 1);
	check_refused(parse_all(), "version", WANT("header"));
}

TEST(wrong_compatible)
{
	static const char *const compats[] = { "keel,bundle-v2", "keel,bundle", "", NULL };

	for (unsigned i = 0; i < ARRAY_SIZE(compats); i++) {
		begin_root(compats[i], true);   /* NULL: no compatible at all */
		good_part("p");
		finish_bundle(true);
		check_refused(parse_all(), compats[i] ? compats[i] : "(none)",
			      WANT("keel,bundle-v1"));
	}
	/* A list that includes it is fine. */
	build_err = 0;
	memset(blob, 0, sizeof(blob));
	B(fdt_create(blob, sizeof(blob)));
	B(fdt_finish_reservemap(blob));
	B(fdt_begin_node(blob, ""));
	prop_raw("compatible", "vendor,thing\0keel,bundle-v1", 28);
	B(fdt_begin_node(blob, "partitions"));
	good_part("p");
	finish_bundle(true);
	CHECK_EQ(parse_all(), 0);
}

TEST(no_partitions_node)
{
	begin_root("keel,bundle-v1", false);
	good_part("p");               /* a partition, but not under /partitions */
	finish_bundle(false);
	check_refused(parse_all(), "no /partitions", WANT("/partitions"));

	begin_root("keel,bundle-v1", false);
	B(fdt_begin_node(blob, "partition"));
	good_part("p");
	B(fdt_end_node(blob));
	finish_bundle(false);
	check_refused(parse_all(), "misspelt", WANT("/partitions"));
}

TEST(no_partition)
{
	begin_bundle();
	finish_bundle(true);
	check_refused(parse_all(), "empty", WANT("no partition"));
	CHECK_EQ(count, 0);
}

TEST(too_many_partitions)
{
	begin_bundle();
	good_part("a");
	good_part("b");
	good_part("c");
	good_part("d");
	good_part("e");
	finish_bundle(true);
	check_refused(parse_all(), "five", WANT("more than 4"));
}

/* ---- partition-level refusals ------------------------------------------- */

TEST(bad_names)
{
	static const char *const names[] = {
		"Web", "WEB", "web!", "a.b", "a b", "a@1", "abcdefghijklmnopqrstuvwx",
		"a-very-long-partition-name-indeed", "caf\xc3\xa9",
	};

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		begin_bundle();
		good_part("ok");
		good_part(names[i]);
		finish_bundle(true);
		check_refused(parse_all(), names[i], WANT(names[i], "name"));
	}
	/* The empty name. */
	begin_bundle();
	good_part("");
	finish_bundle(true);
	check_refused(parse_all(), "empty name", WANT("partition node ''", "name"));
}

TEST(unknown_property)
{
	static const char *const props[] = { "colour", "cpu", "kernel-crc", "memory", "name",
					     "keel,testdev", "bootarg" };

	for (unsigned i = 0; i < ARRAY_SIZE(props); i++) {
		begin_bundle();
		part_begin("vm0");
		prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
		prop_u32(props[i], 1);
		part_end();
		finish_bundle(true);
		check_refused(parse_all(), props[i], WANT("'vm0'", props[i], "unknown"));
	}
}

TEST(bad_cpus_and_memory)
{
	static const struct {
		const char *label, *prop;
		int len;
		uint32_t v;
	} cases[] = {
		{ "cpus 0",              "cpus", 4, 0 },
		{ "cpus 5",              "cpus", 4, 5 },
		{ "cpus huge",           "cpus", 4, 0xffffffffu },
		{ "cpus two cells",      "cpus", 8, 1 },
		{ "cpus half cell",      "cpus", 2, 1 },
		{ "cpus empty",          "cpus", 0, 0 },
		{ "memory-mib 0",        "memory-mib", 4, 0 },
		{ "memory-mib 3073",     "memory-mib", 4, 3073 },
		{ "memory-mib 4096",     "memory-mib", 4, 4096 },
		{ "memory-mib huge",     "memory-mib", 4, 0x80000000u },
		{ "memory-mib 2 cells",  "memory-mib", 8, 64 },
		{ "memory-mib empty",    "memory-mib", 0, 0 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		fdt32_t cells[2] = { cpu_to_fdt32(cases[i].v), cpu_to_fdt32(cases[i].v) };
		char prop_quoted[32];

		begin_bundle();
		good_part("first");
		part_begin("second");
		prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
		prop_raw(cases[i].prop, cells, cases[i].len);
		part_end();
		finish_bundle(true);
		snprintf(prop_quoted, sizeof(prop_quoted), "'%s'", cases[i].prop);
		check_refused(parse_all(), cases[i].label, WANT("'second'", prop_quoted));
	}
}

TEST(kernel_missing_or_unchecked)
{
	uint32_t zero_crc = 0;

	/* No kernel at all. */
	begin_bundle();
	part_begin("nok");
	prop_u32("cpus", 1);
	part_end();
	finish_bundle(true);
	check_refused(parse_all(), "no kernel", WANT("'nok'", "'kernel'", "missing"));

	/* An empty kernel (with the right CRC of nothing). */
	begin_bundle();
	part_begin("nok");
	prop_raw("kernel", "", 0);
	prop_u32("kernel-crc32", zero_crc);
	part_end();
	finish_bundle(true);
	check_refused(parse_all(), "empty kernel", WANT("'nok'", "'kernel'"));

	/* Only a CRC. */
	begin_bundle();
	part_begin("nok");
	prop_u32("kernel-crc32", 0x12345678);
	part_end();
	finish_bundle(true);
	check_refused(parse_all(), "crc only", WANT("'nok'", "'kernel'"));

	/* Each image without its CRC. */
	static const char *const imgs[] = { "kernel", "initrd", "dtb" };

	for (unsigned i = 0; i < ARRAY_SIZE(imgs); i++) {
		char crc_name[32];

		snprintf(crc_name, sizeof(crc_name), "'%s-crc32'", imgs[i]);
		begin_bundle();
		part_begin("img");
		if (i)
			prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
		prop_raw(imgs[i], kernel_img, 16);
		part_end();
		finish_bundle(true);
		check_refused(parse_all(), imgs[i], WANT("'img'", crc_name, "missing"));

		/* A CRC that is not one cell. */
		begin_bundle();
		part_begin("img");
		if (i)
			prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
		prop_raw(imgs[i], kernel_img, 16);
		{
			char bare[32];
			fdt64_t c = cpu_to_fdt64(ref_crc32(kernel_img, 16));

			snprintf(bare, sizeof(bare), "%s-crc32", imgs[i]);
			prop_raw(bare, &c, 8);
		}
		part_end();
		finish_bundle(true);
		check_refused(parse_all(), imgs[i], WANT("'img'", crc_name, "cell"));
	}
}

TEST(crc_mismatch_is_corrupt)
{
	static const char *const imgs[] = { "kernel", "initrd", "dtb" };
	static const uint32_t deltas[] = { 1, 0x80000000u, 0xffffffffu };

	for (unsigned i = 0; i < ARRAY_SIZE(imgs); i++) {
		for (unsigned d = 0; d < ARRAY_SIZE(deltas); d++) {
			begin_bundle();
			good_part("fine");
			part_begin("bad");
			if (i)
				prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
			prop_image(imgs[i], kernel_img, sizeof(kernel_img), deltas[d]);
			part_end();
			finish_bundle(true);
			CHECK_EQ_MSG(parse_all(), -KEEL_ECORRUPT, imgs[i]);
			check_refused(-KEEL_ECORRUPT, imgs[i], WANT("'bad'", imgs[i], "corrupt"));
		}
	}
	/* A flipped byte in the image itself. */
	begin_bundle();
	good_part("flip");
	finish_bundle(true);
	{
		int node = fdt_path_offset(blob, "/partitions/flip"), len;
		uint8_t *k = fdt_getprop_w(blob, node, "kernel", &len);

		CHECK(k && len == (int)sizeof(kernel_img));
		if (k)
			k[len / 2] ^= 0x01;
	}
	CHECK_EQ(parse_all(), -KEEL_ECORRUPT);
	check_refused(-KEEL_ECORRUPT, "flipped", WANT("'flip'", "kernel", "corrupt"));
}

TEST(bootargs_not_a_string)
{
	static const struct {
		const char *label;
		const char *data;
		int len;
	} cases[] = {
		{ "no NUL",    "console=ttyAMA0", 15 },
		{ "empty",     "", 0 },
		{ "NUL early", "abc\0def", 7 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		begin_bundle();
		part_begin("args");
		prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
		prop_raw("bootargs", cases[i].data, cases[i].len);
		part_end();
		finish_bundle(true);
		check_refused(parse_all(), cases[i].label, WANT("'args'", "'bootargs'"));
	}
}

TEST(duplicate_names_refused)
{
	begin_bundle();
	good_part("web");
	/* libfdt's sequential writer allows a second node of the same name */
	good_part("web");
	finish_bundle(true);
	check_refused(parse_all(), "duplicate", WANT("two partitions", "'web'"));
}

TEST(child_node_refused)
{
	begin_bundle();
	part_begin("p");
	prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
	B(fdt_begin_node(blob, "extra"));
	B(fdt_end_node(blob));
	part_end();
	finish_bundle(true);
	check_refused(parse_all(), "child", WANT("'p'", "unexpected node", "'extra'"));
}

TEST(short_why_buffer)
{
	char small[8];

	begin_bundle();
	part_begin("x");
	prop_u32("cpus", 9);
	prop_image("kernel", kernel_img, sizeof(kernel_img), 0);
	part_end();
	finish_bundle(true);
	memset(small, 'z', sizeof(small));
	CHECK(bundle_parse(blob, fdt_totalsize(blob), &kc, small, sizeof(small)) < 0);
	CHECK(memchr(small, '\0', sizeof(small)) != NULL);
}

/* ---- crc32 --------------------------------------------------------------- */

TEST(crc32_vectors)
{
	static const struct {
		const char *s;
		uint32_t crc;
	} cases[] = {
		{ "", 0 },
		{ "123456789", 0xcbf43926u },
		{ "a", 0xe8b7be43u },
		{ "abc", 0x352441c2u },
		{ "The quick brown fox jumps over the lazy dog", 0x414fa339u },
	};
	uint8_t buf[1000];

	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK_EQ_MSG(crc32(cases[i].s, strlen(cases[i].s)), cases[i].crc, cases[i].s);
	CHECK_EQ(crc32(NULL, 0), 0);
	/* 32 zero bytes (iSCSI/Ethernet test pattern). */
	memset(buf, 0, 32);
	CHECK_EQ(crc32(buf, 32), 0x190a55adu);
	/* Agrees with the bitwise reference on every length of a varied buffer. */
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + (i >> 3));
	for (unsigned n = 0; n <= sizeof(buf); n += 7)
		CHECK_EQ_MSG(crc32(buf, n), ref_crc32(buf, n), "vs reference");
}

/* ---- image_check --------------------------------------------------------- */

/* A zImage-like header: magic at 0x24, start at 0x28, end at 0x2c. */
static void make_zimage(uint8_t *p, size_t size, uint32_t start, uint32_t end)
{
	memset(p, 0, size);
	for (size_t i = 0; i < 0x24; i += 4) {
		p[i] = 0x00; p[i + 1] = 0x00; p[i + 2] = 0xa0; p[i + 3] = 0xe1;   /* mov r0, r0 */
	}
	p[0x24] = 0x18; p[0x25] = 0x28; p[0x26] = 0x6f; p[0x27] = 0x01;
	p[0x28] = (uint8_t)start; p[0x29] = (uint8_t)(start >> 8);
	p[0x2a] = (uint8_t)(start >> 16); p[0x2b] = (uint8_t)(start >> 24);
	p[0x2c] = (uint8_t)end; p[0x2d] = (uint8_t)(end >> 8);
	p[0x2e] = (uint8_t)(end >> 16); p[0x2f] = (uint8_t)(end >> 24);
}

static int check_img(const void *data, uint32_t size, bool is_kernel)
{
	struct vm_image img = { .data = data, .size = size };

	fake_reset();
	return image_check("guest7", is_kernel ? "kernel image" : "initrd", &img, is_kernel);
}

static void check_reported(const char *label, const char *word)
{
	CHECK_EQ_MSG(fake.printk_calls >= 1, 1, label);
	if (!strstr(fake.printk_buf, "'guest7'") || !strstr(fake.printk_buf, word)) {
		fprintf(stderr, "  [%s] printk \"%s\" lacks 'guest7' or \"%s\"\n", label,
			fake.printk_buf, word);
		CHECK_EQ_MSG(0, 1, label);
	}
}

TEST(image_check_refusals)
{
	static uint8_t elf[64] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
	static uint8_t uimage[64] = { 0x27, 0x05, 0x19, 0x56 };
	static uint8_t gz[64] = { 0x1f, 0x8b, 0x08 };
	uint8_t z[256];

	CHECK_EQ(check_img(NULL, 0, true), -KEEL_ENOENT);
	check_reported("no image", "no kernel image");
	CHECK_EQ(check_img(kernel_img, 0, true), -KEEL_ENOENT);
	check_reported("empty image", "kernel image");
	CHECK_EQ(check_img(NULL, 10, true), -KEEL_ENOENT);
	CHECK_EQ(check_img(NULL, 0, false), -KEEL_ENOENT);
	check_reported("no initrd", "initrd");

	CHECK_EQ(check_img(elf, sizeof(elf), true), -KEEL_ENOTSUP);
	check_reported("elf", "ELF");
	CHECK_EQ(check_img(elf, 4, true), -KEEL_ENOTSUP);
	CHECK_EQ(check_img(uimage, sizeof(uimage), true), -KEEL_ENOTSUP);
	check_reported("uimage", "uImage");
	CHECK_EQ(check_img(gz, sizeof(gz), true), -KEEL_ENOTSUP);
	check_reported("gzip", "gzip");
	CHECK_EQ(check_img(gz, 2, true), -KEEL_ENOTSUP);

	/* zImage whose header claims more than the image holds. */
	make_zimage(z, sizeof(z), 0, sizeof(z) + 1);
	CHECK_EQ(check_img(z, sizeof(z), true), -KEEL_ECORRUPT);
	check_reported("zimage truncated", "truncated");
	make_zimage(z, sizeof(z), 0x1000, 0x1000 + sizeof(z) * 4);
	CHECK_EQ(check_img(z, sizeof(z), true), -KEEL_ECORRUPT);
	/* end <= start. */
	make_zimage(z, sizeof(z), 0x100, 0x100);
	CHECK_EQ(check_img(z, sizeof(z), true), -KEEL_ECORRUPT);
	make_zimage(z, sizeof(z), 0x200, 0x100);
	CHECK_EQ(check_img(z, sizeof(z), true), -KEEL_ECORRUPT);
	/* end - start wraps: refused, not taken as small. */
	make_zimage(z, sizeof(z), 0xffffff00u, 0x10);
	CHECK_EQ(check_img(z, sizeof(z), true), -KEEL_ECORRUPT);
}

TEST(image_check_accepts)
{
	uint8_t z[256];
	static const uint8_t raw[] = { 0xfe, 0xff, 0xff, 0xea };   /* b . */

	make_zimage(z, sizeof(z), 0, sizeof(z));                    /* exact */
	CHECK_EQ(check_img(z, sizeof(z), true), 0);
	CHECK_EQ(fake.printk_calls, 0);
	make_zimage(z, sizeof(z), 0, 0x80);                         /* shorter than the file */
	CHECK_EQ(check_img(z, sizeof(z), true), 0);
	make_zimage(z, sizeof(z), 0x8000, 0x8000 + sizeof(z));      /* linked elsewhere */
	CHECK_EQ(check_img(z, sizeof(z), true), 0);

	CHECK_EQ(check_img(kernel_img, sizeof(kernel_img), true), 0);
	CHECK_EQ(check_img(raw, sizeof(raw), true), 0);
	CHECK_EQ(check_img(raw, 1, true), 0);
	/* Too short to be an ELF, a uImage or a zImage: just bytes. */
	CHECK_EQ(check_img("\177EL", 3, true), 0);
	CHECK_EQ(check_img("\x1f", 1, true), 0);
	CHECK_EQ(check_img("\x1f\x00\xa0\xe3", 4, true), 0);   /* 0x1f but not gzip */
	CHECK_EQ(check_img("\x7f\x45\x4c\x00", 4, true), 0);   /* almost ELF */
	CHECK_EQ(check_img("\x27\x05\x19\x57", 4, true), 0);   /* almost uImage */
	/* A zImage magic in an image shorter than the header is not looked at. */
	make_zimage(z, sizeof(z), 0, 0xffff);
	CHECK_EQ(check_img(z, 0x2f, true), 0);
	CHECK_EQ(fake.printk_calls, 0);

	/* Formats only matter for kernels: an initrd may be anything. */
	{
		static const uint8_t gz[8] = { 0x1f, 0x8b, 0x08 };
		static const uint8_t elf[8] = { 0x7f, 'E', 'L', 'F' };

		CHECK_EQ(check_img(gz, sizeof(gz), false), 0);
		CHECK_EQ(check_img(elf, sizeof(elf), false), 0);
		make_zimage(z, sizeof(z), 0, 0xffff);
		CHECK_EQ(check_img(z, sizeof(z), false), 0);
		CHECK_EQ(fake.printk_calls, 0);
	}
}
