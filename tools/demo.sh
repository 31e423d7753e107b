#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make run`: set up, build, and boot the demo: Keel with a bare-metal
# partition that talks to it through its emulated UART and its hypercalls.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
make -s all
echo "== booting Keel on QEMU virt (cortex-a15) with the demo partition"
exec tools/keel-run --kernel build/guests/demo.bin --name demo --test-device --timeout 60
