/* SPDX-License-Identifier: MIT */
/*
 * The boot bundle: one flattened device tree (built by tools/keel-pack with
 * dtc) that describes the partitions and carries their images as properties.
 * The boot loader hands it over as an initrd (QEMU's -initrd, U-Boot's bootz
 * second argument). docs/boot-bundle.md describes the format.
 */
#ifndef KEEL_BUNDLE_H
#define KEEL_BUNDLE_H

#include <keel/vm.h>

#define BUNDLE_MAX_PARTITIONS VM_MAX

/*
 * Check the bundle at blob (at most max bytes) and fill one vm_config per
 * partition. Image checksums are verified. On error returns negative and
 * writes one line naming the partition and property into why.
 */
int bundle_parse(const void *blob, uint64_t max, struct vm_config *cfgs,
		 unsigned *count, char *why, size_t why_len);

#endif
