#!/bin/sh
# SPDX-License-Identifier: MIT
# Inside the Linux partition: reboot once, then power off. Keel tells the guest
# how often it restarted it in /chosen/keel,restart-count.
n=$(od -An -tu1 /proc/device-tree/chosen/keel,restart-count | awk '{print $4}')
echo "check: restart-count $n"
if [ "$n" = 0 ]; then
	echo "check: rebooting"
	reboot -f
fi
echo "check: back after reboot"
