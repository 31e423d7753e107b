#!/bin/sh
# SPDX-License-Identifier: MIT
# Inside the Linux partition (as /test.sh of an initramfs made with
# tools/mkinitramfs.sh --channel): Linux user space plays ping over the
# channel "ping-pong" against a bare-metal guests/chan_ping.c (role=pong,
# rounds=20) in the other partition. /init has loaded uio and keel_channel;
# loaded again here if it has not (an initramfs made by hand).
# Prints "check: channel OK" or "check: channel FAIL <why>"; exits 0 or 1.
LABEL=${KEEL_CHANNEL_LABEL:-ping-pong}
ROUNDS=${KEEL_CHANNEL_ROUNDS:-20}

fail() { echo "check: channel FAIL $*"; exit 1; }

if [ ! -d /sys/module/keel_channel ]; then
	for ko in $(cat /etc/keel-channel 2>/dev/null); do
		insmod "$ko" || fail "insmod $ko"
	done
fi
[ -d /sys/module/keel_channel ] || fail "keel_channel.ko is not loaded"
command -v keel-chan >/dev/null 2>&1 || fail "no keel-chan in the initramfs"

echo "check: channels: $(keel-chan list 2>&1 | tr '\n' ' ')"
keel-chan "$LABEL" info | sed 's/^/check: info /' || fail "no channel '$LABEL'"
keel-chan "$LABEL" ping "$ROUNDS"
rc=$?
irqs=$(awk -v l="$LABEL" '$0 ~ l { s = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i; print s; exit }' /proc/interrupts)
echo "check: channel interrupts ${irqs:-none}"
[ $rc -eq 0 ] || fail "keel-chan $LABEL ping $ROUNDS exited with status $rc"
echo "check: channel OK ($ROUNDS rounds)"
