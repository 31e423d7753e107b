#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Keel's whole test suite: set-up, build, host unit tests, QEMU system tests.
# Prints one PASS:/FAIL: line per test and ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

tools/setup.sh || { echo "FAIL: setup"; echo "0 passed, 1 failed"; exit 1; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT

echo "== build"
mkdir -p build
if ! make -s all unit-bins >build/build.log 2>&1; then
	cat build/build.log
	echo "FAIL: build"
	echo "0 passed, 1 failed"
	exit 1
fi

echo "== unit tests"
tests/run-unit.sh build/unit/test_* | tee -a "$results" | grep -v '^unit:'

echo "== system tests"
for t in tests/system/test_*.sh; do
	bash "$t"
	rc=$?
	# A script that died (signal, syntax error) must not vanish from the count.
	[ "$rc" -eq 0 ] || echo "FAIL: system/$(basename "$t" .sh) ended with status $rc"
done | tee -a "$results"

pass=$(grep -c '^PASS: ' "$results")
fail=$(grep -c '^FAIL: ' "$results")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
