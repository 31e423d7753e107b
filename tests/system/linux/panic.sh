#!/bin/sh
# SPDX-License-Identifier: MIT
# Inside the Linux partition: crash the kernel on purpose. Keel must end the
# partition with the panic's log intact, not restart it (panic=-1 asks for
# a reboot) and not disturb anything else.
echo "check: crashing the kernel"
echo c > /proc/sysrq-trigger
echo "check: still alive after the crash"
