#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the Linux partition (as /test.sh of the initramfs): prints what
# tests/system/test_linux.sh checks.
echo "check: processors $(grep -c '^processor' /proc/cpuinfo)"
# per-CPU counts of the arch timer's interrupt (one column per CPU)
ncpu=$(grep -c '^processor' /proc/cpuinfo)
timer_counts() { awk -v n="$ncpu" '/arch_timer/ { s = $2; for (i = 3; i <= n + 1; i++) s = s " " $i; print s; exit }' /proc/interrupts; }
t1=$(timer_counts)
# keep every CPU busy for a moment so each takes ticks
for i in $(seq 1 "$ncpu"); do dd if=/dev/zero bs=1M count=24 2>/dev/null | md5sum >/dev/null & done
sleep 1
wait
t2=$(timer_counts)
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
