#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make linux`: Debian's Linux kernel with a busybox shell in a Keel partition.
# Type into it; `poweroff -f` ends the partition (and QEMU).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
make -s all
tools/fetch-linux.sh
cache=${KEEL_CACHE:-$HOME/.cache/keel}
tools/mkinitramfs.sh build/linux-shell.cpio.gz >/dev/null
echo "== booting Keel with Debian's Linux in a partition; 'poweroff -f' to stop"
exec tools/keel-run --kernel "$cache/linux/vmlinuz" --initrd build/linux-shell.cpio.gz \
	--append "console=ttyAMA0" --mem 256 --name linux --timeout 0
