#!/bin/sh
# SPDX-License-Identifier: MIT
# keel-bench's cpu workload with its exit breakdown (test_linux.sh t_linux_exit_stats)
keel-bench cpu
echo "keel-bench: exit $?"
