#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make run`: set up, build, fetch Debian's kernel and busybox, and boot Keel
# on QEMU virt (3 CPUs) with two partitions side by side, consolidated:
#   linux  Debian's unmodified armhf kernel, 2 vCPUs time-sliced on CPUs 0-1,
#          256 MiB, a busybox shell (what you type goes to it)
#   rt     a bare-metal real-time partition pinned alone on CPU 2: a 1 ms
#          periodic task on its virtual timer, reporting its worst jitter
#          every second
# Ctrl-] opens Keel's shell (docs/shell.md): list, stats, stop, start,
# restart, focus. The board powers off when both partitions have ended.
# DEMO_SCRIPT=FILE runs FILE in the Linux partition instead of a shell;
# DEMO_RT_WINDOWS=N ends the real-time task after N reports. Without a
# terminal to type into (stdin not a tty), Linux runs its boot checks and the
# task ends after 5 reports, so the demo ends by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
make -s all
tools/fetch-linux.sh
cache=${KEEL_CACHE:-$HOME/.cache/keel}
if [ ! -t 0 ]; then
	DEMO_SCRIPT=${DEMO_SCRIPT:-$PWD/tests/system/linux/boot-check.sh}
	DEMO_RT_WINDOWS=${DEMO_RT_WINDOWS:-5}
fi
source tools/bundle.sh

tools/mkinitramfs.sh "$PWD/build/demo-linux.cpio.gz" ${DEMO_SCRIPT:+--script "$DEMO_SCRIPT"} >/dev/null
# Prefixes in colour when a terminal shows them.
[ -t 1 ] && export BUNDLE_ROOT='keel,console-colour;'
make_bundle build/demo-bundle.dtb \
	"$(partition_node linux "$cache/linux/vmlinuz" "@initrd=$PWD/build/demo-linux.cpio.gz" \
		'cpus = <2>' 'cpu-affinity = <0 1>' 'memory-mib = <256>' \
		'bootargs = "console=ttyAMA0"')" \
	"$(partition_node rt "$PWD/build/guests/rt.bin" 'sched-class = "pinned"' \
		'cpu-affinity = <2>' 'memory-mib = <16>' \
		"bootargs = \"period-us=1000 report=1000${DEMO_RT_WINDOWS:+ windows=$DEMO_RT_WINDOWS}\"")"
echo "== booting Keel: Debian's Linux (2 vCPUs on CPUs 0-1) beside a real-time partition"
echo "   pinned on CPU 2. Ctrl-] opens Keel's shell; 'poweroff -f' ends Linux, 'stop rt' the other."
exec tools/keel-run --bundle build/demo-bundle.dtb --host-cpus 3 --timeout "${DEMO_TIMEOUT:-0}"
