#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run host unit-test programs; each prints PASS:/FAIL: lines per case.
# Prints a closing "N passed, N failed" line; exits non-zero on any failure.
set -u
pass=0 fail=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(grep -c '^PASS: ' <<<"$out"); f=$(grep -c '^FAIL: ' <<<"$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $(basename "$t")/crashed (exit $rc)"; f=1
	fi
	pass=$((pass + p)); fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
