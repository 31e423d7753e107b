#!/bin/sh
# SPDX-License-Identifier: MIT
# Example /test.sh for a Linux guest initramfs (tools/mkinitramfs.sh --script):
# a few facts about the guest and a small CPU workload, then exit 0.
cpus=$(grep -c '^processor' /proc/cpuinfo)
echo "smoke: processors in /proc/cpuinfo: $cpus"
echo "smoke: kernel $(uname -r) on $(uname -m)"
echo "smoke: md5 of 8 MiB of zeros..."
sum=$(dd if=/dev/zero bs=1M count=8 2>/dev/null | md5sum)
echo "smoke: md5sum: ${sum%% *}"
read -r up idle </proc/uptime
echo "smoke: uptime ${up}s"
echo "smoke: done"
exit 0
