#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make run`: set up, build, fetch Debian's kernel and busybox, and boot Keel
# on QEMU virt (2 CPUs) with two partitions side by side:
#   linux  Debian's unmodified armhf kernel, 2 vCPUs, 256 MiB, a busybox shell
#          (what you type goes to it; `poweroff -f` ends it, and then QEMU)
#   demo   a bare-metal guest that talks to Keel through its emulated UART,
#          its hypercalls and a fault, then powers itself off
# DEMO_SCRIPT=FILE runs FILE in the Linux partition instead of a shell.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
make -s all
tools/fetch-linux.sh
cache=${KEEL_CACHE:-$HOME/.cache/keel}
source tools/bundle.sh

tools/mkinitramfs.sh "$PWD/build/demo-linux.cpio.gz" ${DEMO_SCRIPT:+--script "$DEMO_SCRIPT"} >/dev/null
make_bundle build/demo-bundle.dtb \
	"$(partition_node linux "$cache/linux/vmlinuz" "@initrd=$PWD/build/demo-linux.cpio.gz" \
		'cpus = <2>' 'memory-mib = <256>' 'bootargs = "console=ttyAMA0"')" \
	"$(partition_node demo "$PWD/build/guests/demo.bin" 'keel,test-device')"
echo "== booting Keel with Debian's Linux (2 vCPUs) beside a bare-metal partition;" \
     "'poweroff -f' in the shell to stop"
exec tools/keel-run --bundle build/demo-bundle.dtb --host-cpus 2 --timeout "${DEMO_TIMEOUT:-0}"
