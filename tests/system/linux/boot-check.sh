#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the Linux partition (as /test.sh of the initramfs): prints what
# tests/system/test_linux.sh checks.
echo "check: processors $(grep -c '^processor' /proc/cpuinfo)"
t1=$(awk '/arch_timer/ {print $2; exit}' /proc/interrupts)
sleep 1
t2=$(awk '/arch_timer/ {print $2; exit}' /proc/interrupts)
echo "check: arch_timer interrupts $t1 then $t2"
# CPU-bound: checksum of generated data
echo "check: cpu md5 $(dd if=/dev/zero bs=1M count=16 2>/dev/null | md5sum | cut -d' ' -f1)"
# Memory: write 48 MiB into tmpfs (RAM), read it back
mkdir -p /mnt
mount -t tmpfs -o size=64m tmpfs /mnt
dd if=/dev/zero bs=1M count=48 2>/dev/null | tr '\0' 'k' > /mnt/blob
echo "check: mem md5 $(md5sum < /mnt/blob | cut -d' ' -f1) size $(wc -c < /mnt/blob)"
rm /mnt/blob
umount /mnt
echo "check: done"
