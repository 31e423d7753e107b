#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make bench: what virtualization costs, Keel against the same board without
# a hypervisor, in guest instructions (QEMU -icount shift=0: one instruction
# is one nanosecond of the counter, so every figure repeats exactly).
#
#   tools/bench.sh [--quick]
#
# Micro-benchmarks: guests/bench.c natively (-M virt, bootargs "native") and
# in a partition; the partition switch with two partitions on one CPU;
# Keel's own boot to its first partition. Macro-benchmarks (not with
# --quick): Debian's kernel booting to userspace and guests/linux/keel-bench's
# workloads, natively and in a 1-vCPU partition, GPR = T_native / T_Keel,
# and for each of them where the overhead went: T_Keel - T_native beside the
# exits Keel handled meanwhile and the time it spent on them, by exit reason
# and by call and device (keel-bench reads them from the partition's
# exit-stats device before and after each workload).
# Prints one table and writes it as JSON to build/bench/results.json; the
# logs stay in build/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
case ${1:-} in
--quick) quick=1 ;;
"") ;;
*) echo "usage: tools/bench.sh [--quick]" >&2; exit 2 ;;
esac

out=build/bench
cache=${KEEL_CACHE:-$HOME/.cache/keel}
rtc=${KEEL_RTC_BASE:-2026-01-01T00:00:00}
mkdir -p "$out"
tools/setup.sh >/dev/null
make -s all guests >/dev/null
source tools/bundle.sh

# Native QEMU, the way keel-run --icount runs Keel, minus the hypervisor.
native_qemu() {
	timeout --foreground 900 qemu-system-arm -M virt,gic-version=2,dtb-randomness=off \
		-cpu cortex-a15 -icount shift=0,sleep=off -rtc "base=$rtc,clock=vm" \
		-display none -monitor none -serial stdio -nic none -no-reboot "$@" \
		</dev/null | tr -d '\r'
}

# The micro rows guests/bench.c prints, each with Xen 4.17's figure on this
# board from the issue that asked for this benchmark (- when none).
micro_rows=(null-hypercall:452 smccc-version:542 mmio-read-uart:747 mmio-write-uart:-
	    mmio-read-gicd:768 cp15-read-actlr:535 virq-latency:1219 virq-latency-best:1024
	    virq-latency-wfi:- ipi-round-trip:-)

# value NAME LOG: the figure of "bench: NAME <x>" in LOG (empty if none)
value() {
	sed -n "s/^\(\[[a-z0-9_-]*\] \)\{0,1\}bench: $1 \([0-9.]*\)$/\2/p" "$2" | head -n 1
}

echo "bench: micro-benchmarks (guests/bench.c), native and in Keel"
native_qemu -smp 2 -m 256 -kernel build/guests/bench.bin -append native >"$out/micro-native.log"
tools/keel-run --kernel build/guests/bench.bin --cpus 2 --icount --timeout 300 \
	</dev/null >"$out/micro-keel.log" || true
for f in micro-native micro-keel; do
	grep -q 'bench: done' "$out/$f.log" || { echo "bench: $f run did not finish (see $out/$f.log)" >&2; exit 1; }
done

# The partition switch: guests/bench.c as two partitions time-sliced on one
# CPU, ringing each other over a channel (guests/bench_switch.c); only Keel.
echo "bench: partition switch (two partitions on one CPU), in Keel"
make_bundle "$out/switch.dtb" "$(channel_node bench switch-a switch-b 4)" \
	"$(partition_node switch-a "$PWD/build/guests/bench.bin" 'bootargs = "switch=a"')" \
	"$(partition_node switch-b "$PWD/build/guests/bench.bin" 'bootargs = "switch=b"')"
tools/keel-run --bundle "$out/switch.dtb" --host-cpus 1 --icount --timeout 120 \
	</dev/null >"$out/switch-keel.log" || true
switch=$(value partition-switch "$out/switch-keel.log")
[ -n "$switch" ] || { echo "bench: switch run did not finish (see $out/switch-keel.log)" >&2; exit 1; }

# Keel's boot: counter ticks at "boot done", 16 ns (instructions) a tick on virt.
ticks=$(sed -n 's/^keel: boot done at counter \([0-9]*\) .*/\1/p' "$out/micro-keel.log" | head -n 1)
nspt=$(sed -n 's/.*bench: start keel, counter [0-9]* Hz, \([0-9]*\) ns a tick$/\1/p' "$out/micro-keel.log" | head -n 1)
boot=$(( ${ticks:-0} * ${nspt:-0} ))

# ---------------------------------------------------------------- macro
macro=()
if [ $quick -eq 0 ]; then
	echo "bench: macro-benchmarks (Debian's Linux, 1 CPU, 256 MiB), native and in Keel"
	tools/fetch-linux.sh >/dev/null
	make -s linux-bench
	printf '#!/bin/sh\nkeel-bench\necho "keel-bench: exit $?"\n' >"$out/macro.sh"
	tools/mkinitramfs.sh "$out/macro.gz" --script "$out/macro.sh" --bin build/linux/keel-bench >/dev/null
	append="console=ttyAMA0 panic=-1"
	native_qemu -smp 1 -m 256 -kernel "$cache/linux/vmlinuz" -initrd "$out/macro.gz" \
		-append "$append" >"$out/macro-native.log"
	tools/keel-run --kernel "$cache/linux/vmlinuz" --initrd "$out/macro.gz" --append "$append" \
		--mem 256 --name linux --exit-stats --icount --timeout 900 </dev/null \
		>"$out/macro-keel.log" || true
	for f in macro-native macro-keel; do
		grep -q 'keel-bench: exit 0' "$out/$f.log" ||
			{ echo "bench: $f run did not finish its workloads (see $out/$f.log)" >&2; exit 1; }
	done
	grep -q '^\[linux\] keel-bench: exits timer all=' "$out/macro-keel.log" ||
		{ echo "bench: keel-bench read no exit statistics in Keel (see $out/macro-keel.log)" >&2; exit 1; }
	# boot: the kernel's own timestamp of "Run /init", in ns
	stamp() {
		sed -n 's/^\(\[linux\] \)\{0,1\}\[ *\([0-9.]*\)\] Run \/init as init process.*/\2/p' "$1" |
			head -n 1 | awk '{ printf "%.0f", $1 * 1e9 }'
	}
	macro+=("linux-boot $(stamp "$out/macro-native.log") $(stamp "$out/macro-keel.log")")

	for w in cpu forkexec memory timer; do
		n=$(sed -n "s/^keel-bench: $w \([0-9]*\)$/\1/p" "$out/macro-native.log")
		k=$(sed -n "s/^\[linux\] keel-bench: $w \([0-9]*\)$/\1/p" "$out/macro-keel.log")
		macro+=("linux-$w $n $k")
	done
fi

# exits WHAT [-detail]: keel-bench's " name=count/<ns>ns" cells for WHAT in Keel
exits() {
	sed -n "s/^\[linux\] keel-bench: exits${2:-} $1\( \|$\)//p" "$out/macro-keel.log" | head -n 1
}

# overhead txt|json NAME T_NATIVE T_KEEL: where one workload's overhead went,
# as a row of the table or a JSON member: T_Keel - T_native, the time Keel
# spent on the partition's exits meanwhile and the share of the difference
# it explains, the exits by reason and by call and device.
overhead() {
	awk -v mode="$1" -v m="$2" -v n="${3:-0}" -v k="${4:-0}" \
	    -v r="$(exits "${2#linux-}")" -v d="$(exits "${2#linux-}" -detail)" '
	# cells(s, name, count, ns): " a=1/2ns b=3/4ns" into arrays; how many
	function cells(s, name, count, ns,   part, np, i, j, x) {
		np = split(s, part, " ")
		for (i = 1; i <= np; i++)
			if (part[i] ~ /^[^=]+=[0-9]+\/[0-9]+ns$/) {
				x = part[i]; j++
				name[j] = substr(x, 1, index(x, "=") - 1)
				x = substr(x, index(x, "=") + 1)
				count[j] = substr(x, 1, index(x, "/") - 1)
				ns[j] = substr(x, index(x, "/") + 1, length(x) - index(x, "/") - 2)
			}
		return j
	}
	function text(nc, name, count, ns, from,   s, i) {
		for (i = from; i <= nc; i++) s = s sprintf(" %s=%s/%s", name[i], count[i], ns[i])
		return s
	}
	function json(nc, name, count, ns, from,   s, i) {
		for (i = from; i <= nc; i++)
			s = s sprintf("%s\"%s\": {\"count\": %s, \"ns\": %s}", (i > from ? ", " : ""),
				      name[i], count[i], ns[i])
		return "{" s "}"
	}
	BEGIN {
		nr = cells(r, rn, rc, rt)   # the first cell: "all"
		nd = cells(d, dn, dc, dt)
		delta = k - n; keel = nr ? rt[1] : 0
		if (mode == "txt") {
			printf "%-16s %15d %12d %9s %s\n", m, delta, keel,
				(delta > 0 ? sprintf("%.0f%%", 100 * keel / delta) : "-"), text(nr, rn, rc, rt, 2)
			if (nd) printf "%-16s %15s %12s %9s %s\n", "", "", "", "", text(nd, dn, dc, dt, 1)
		} else {
			printf "    \"%s\": {\"delta_ns\": %d, \"keel_ns\": %d, \"explained\": %s, ",
				m, delta, keel, (delta > 0 ? sprintf("%.4f", keel / delta) : "null")
			printf "\"exits\": %s, \"detail\": %s}", json(nr, rn, rc, rt, 2), json(nd, dn, dc, dt, 1)
		}
	}'
}

# ---------------------------------------------------------------- report
{
	echo "micro-benchmarks: guest instructions per operation (-icount shift=0)"
	printf '%-24s %12s %12s %10s %16s\n' metric native Keel Keel/native "Xen 4.17 (ref)"
	for row in "${micro_rows[@]}"; do
		m=${row%%:*} xen=${row#*:}
		n=$(value "$m" "$out/micro-native.log") k=$(value "$m" "$out/micro-keel.log")
		awk -v m="$m" -v n="$n" -v k="$k" -v x="$xen" 'BEGIN {
			r = (n > 0 && k != "") ? sprintf("%.1fx", k / n) : "-"
			printf "%-24s %12s %12s %10s %16s\n", m, n == "" ? "-" : n, k == "" ? "-" : k, r, x
		}'
	done
	printf '%-24s %12s %12s %10s %16s\n' partition-switch - "$switch" - -
	printf '%-24s %12s %12s %10s %16s\n' stage2-fault - "n/a" - -
	printf '%-24s %12s %12s %10s %16s\n' keel-boot-to-guest - "$boot" - 141000000
	if [ ${#macro[@]} -gt 0 ]; then
		echo
		echo "macro-benchmarks: Debian's Linux, time in guest instructions (ns), GPR = T_native / T_Keel"
		printf '%-24s %14s %14s %8s\n' workload native Keel GPR
		for l in "${macro[@]}"; do
			set -- $l
			awk -v m="$1" -v n="${2:-0}" -v k="${3:-0}" 'BEGIN {
				printf "%-24s %14d %14d %8s\n", m, n, k, (k > 0 ? sprintf("%.3f", n / k) : "-") }'
		done
		echo
		echo "where the overhead went, per workload: T_Keel - T_native, the time Keel spent on the"
		echo "partition's exits meanwhile (boot: from its start to keel-bench's), the share of the"
		echo "difference that explains; the exits as count/ns in Keel by reason, then by call and device"
		printf '%-16s %15s %12s %9s  %s\n' workload T_Keel-T_native "in Keel" explained exits
		for l in "${macro[@]}"; do
			overhead txt $l
		done
	fi
} | tee "$out/results.txt"

# JSON: the same figures
{
	printf '{\n  "method": "qemu-system-arm -icount shift=0,sleep=off; instructions = ns",\n'
	printf '  "micro": {\n'
	first=1
	for row in "${micro_rows[@]}"; do
		m=${row%%:*}
		n=$(value "$m" "$out/micro-native.log") k=$(value "$m" "$out/micro-keel.log")
		[ $first -eq 1 ] || printf ',\n'
		first=0
		printf '    "%s": {"native": %s, "keel": %s}' "$m" "${n:-null}" "${k:-null}"
	done
	printf ',\n    "partition-switch": {"native": null, "keel": %s}' "$switch"
	printf ',\n    "keel-boot-to-guest": {"native": null, "keel": %s}\n  }' "$boot"
	if [ ${#macro[@]} -gt 0 ]; then
		printf ',\n  "macro": {\n'
		first=1
		for l in "${macro[@]}"; do
			set -- $l
			[ $first -eq 1 ] || printf ',\n'
			first=0
			awk -v m="$1" -v n="${2:-0}" -v k="${3:-0}" 'BEGIN {
				printf "    \"%s\": {\"native_ns\": %d, \"keel_ns\": %d, \"gpr\": %.4f}", m, n, k, (k > 0 ? n / k : 0) }'
		done
		printf '\n  },\n  "overhead": {\n'
		first=1
		for l in "${macro[@]}"; do
			[ $first -eq 1 ] || printf ',\n'
			first=0
			overhead json $l
		done
		printf '\n  }'
	fi
	printf '\n}\n'
} >"$out/results.json"
echo "bench: results in $out/results.txt and $out/results.json"
