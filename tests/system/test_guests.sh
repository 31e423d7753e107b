#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bare-metal guests in one partition: console, hypercalls, every load/store
# form against an emulated device (syndrome and decoder paths), aborts the
# guest must receive, PSCI power-off, exit status.
source "$(dirname "$0")/lib.sh"

# (a) hello through the emulated PL011, prefixed with the partition's name
t_hello() {
	keel hello --kernel "$GUESTS/hello.bin" --name hello
	expect_rc 0
	expect_line '^\[hello\] Hello from a Keel partition$'
	expect_line '^\[hello\] PASS: hello$'
	expect_line "^keel: partition 'hello' exited \(hypercall\); exit status 0$"
	expect_line '^keel: no partition left to run; powering off$'
}

# the partition's exit code is keel-run's exit status
t_exit_status() {
	keel exitcode --kernel "$GUESTS/exitcode.bin" --name exitcode
	expect_rc 42
	expect_line "^keel: partition 'exitcode' exited \(hypercall\); exit status 42$"
}

# (b) hypercall ABI v0 and PSCI through HVC and SMC, good and bad arguments
t_hypercalls() {
	keel hypercall --kernel "$GUESTS/hypercall.bin" --name hc
	expect_rc 0
	expect_no_line '^\[hc\] FAIL'
	for c in hc_version hc_version_magic hc_console_write hc_console_write_outside_ram \
		 hc_console_write_below_ram hc_console_write_too_long hc_console_write_empty \
		 hc_console_putc hc_console_putc_range hc_unknown_keel_id hc_unknown_smccc_id \
		 psci_version_hvc psci_version_smc psci_features_version psci_features_system_off \
		 psci_features_unknown psci_migrate_info_type hc_preserves_r4_r14_hvc \
		 hc_preserves_r4_r14_smc; do
		expect_line "^\[hc\] PASS: $c( |$)"
	done
}

ldst_checks() { # NAME
	expect_rc 0
	expect_no_line "^\[$1\] FAIL"
	expect_line "^\[$1\] PASS: arm_ldr_sp_pre( |$)"
	expect_line "^\[$1\] PASS: t2_ldrd_imm( |$)"
	expect_line "^\[$1\] DONE: [0-9]+ passed, 0 failed$"
	local n
	n=$(sed -n "s/^\[$1\] DONE: \([0-9]*\) passed.*/\1/p" "$LOG")
	[ "${n:-0}" -ge 100 ] || fail "only ${n:-0} load/store cases ran"
}

# (c) every load/store form against the emulated test device
t_ldst() {
	keel ldst --kernel "$GUESTS/ldst.bin" --name ldst --test-device
	ldst_checks ldst
	# writeback and LDRD/STRD forms arrive without a syndrome: the decoder ran
	expect_line "^keel: stats 'ldst' vcpu 0: .* mmio_decoded=[1-9][0-9]* "
}

# (c) again, with the decoder checked against the hardware syndrome on every access
t_ldst_check_decoder() {
	keel ldst-check --kernel "$GUESTS/ldst.bin" --name ldst --test-device --check-decoder
	ldst_checks ldst
	expect_no_line 'decoder disagrees'
}

# (c) an access the decoder does not know stops the partition with a report
t_decoder_refuses() {
	keel decoder-refuse --kernel "$GUESTS/decoder_refuse.bin" --name refuse --test-device
	expect_rc 125
	expect_line "^keel: partition 'refuse' vcpu 0: cannot emulate ARM instruction 0x[0-9a-f]{8} at pc 0x[0-9a-f]{8}: not a single or dual load/store$"
	expect_line '^  pc=0x[0-9a-f]{8} cpsr=0x[0-9a-f]{8} .*HSR=0x9[0-9a-f]{7}: EC 0x24 stage-2 data abort'
	expect_no_line 'ldm survived'
	expect_line '^keel: no partition left to run; powering off$'
}

# (d) aborts outside the partition's RAM reach the guest's own handlers
t_aborts() {
	keel abort --kernel "$GUESTS/abort.bin" --name abort
	expect_rc 0
	expect_no_line '^\[abort\] FAIL'
	local f c
	for f in ldr str thumb_ldrb thumb2_ldr; do
		for c in taken dfar dfsr wnr lr spsr resumed; do
			expect_line "^\[abort\] PASS: abort_${f}_$c( |$)"
		done
	done
	for c in taken ifar ifsr lr spsr resumed; do
		expect_line "^\[abort\] PASS: abort_pabt_$c( |$)"
	done
	expect_line '^\[abort\] PASS: abort_alive( |$)'
	expect_line "^keel: partition 'abort' vcpu 0: data read abort at IPA 0x30000000 \(va 0x30000000, pc 0x[0-9a-f]{8}\): nothing mapped there; HSR 0x9[0-9a-f]{7}$"
	expect_line "^keel: partition 'abort' vcpu 0: data write abort at IPA 0x30000004 "
	expect_line "^keel: partition 'abort' vcpu 0: instruction fetch abort at IPA 0x30000000 \(va 0x30000000, pc 0x30000000\)"
}

# (d) without a handler the partition is stopped; Keel carries on
t_abort_no_handler() {
	keel abort-nohandler --kernel "$GUESTS/abort_nohandler.bin" --name nohandler
	expect_rc 125
	expect_line '^\[nohandler\] about to fault$'
	expect_line "^keel: partition 'nohandler' vcpu 0: faulted again inside its own abort handler$"
	expect_line "^keel: partition 'nohandler' stopped: faulted again inside its own abort handler; exit status -1$"
	expect_no_line 'survived'
	expect_line '^keel: no partition left to run; powering off$'
}

# (e) PSCI SYSTEM_OFF ends the partition and QEMU with exit code 0
t_psci_off() {
	local via
	for via in psci_off psci_off_hvc; do
		keel "$via" --kernel "$GUESTS/$via.bin" --name off
		expect_rc 0
		expect_line '^\[off\] PASS: psci_off(_hvc)? about to power off$'
		expect_line "^keel: partition 'off' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
		expect_no_line 'FAIL'
	done
}

# CP15 accesses Keel emulates, one it refuses (undefined in the guest), WFI/WFE
t_sysreg() {
	keel sysreg --kernel "$GUESTS/sysreg.bin" --name sysreg
	expect_rc 0
	expect_no_line '^\[sysreg\] FAIL'
	for c in actlr_write_ignored l2ctlr_one_cpu midr_arm_a15_or_a7 set_way_ops_emulated \
		 c15_read_as_zero c15_no_undef c15_write_undef_taken c15_write_undef_lr \
		 c15_write_undef_from_svc cntpct_is_virtual_count cntpct_since_partition_start \
		 cntp_ctl_write_refused cntp_tval_read_refused wfi_returns wfi_woken_by_vtimer_irq \
		 vtimer_irq_done_after_eoi wfe_returns; do
		expect_line "^\[sysreg\] PASS: $c$"
	done
	# ACTLR (HCR.TAC), the c15 read (HSTR.T15) and the three physical timer and
	# counter accesses (CNTHCTL) reach Keel. QEMU 7.2 implements no TSW/TIDCP
	# traps and UNDEFs the c15 write itself: the guest sees the same.
	expect_line "^keel: stats 'sysreg' vcpu 0: .* sysreg=7/"
	# WFI trapped and blocked until the virtual timer's interrupt arrived
	expect_line "^keel: stats 'sysreg' vcpu 0: .* wfi=1/"
}

# PSCI SYSTEM_RESET restarts only the partition, from its images
t_reset() {
	keel reset --kernel "$GUESTS/reset.bin" --name reset
	expect_rc 0
	expect_count '^\[reset\] first boot: timer interrupt left pending, asking for PSCI SYSTEM_RESET$' 1
	expect_line "^keel: partition 'reset' restarting \(PSCI SYSTEM_RESET\)$"
	expect_count '^\[reset\] PASS: bss_cleared_on_boot$' 2
	expect_line '^\[reset\] PASS: second_boot_after_reset$'
	expect_line '^\[reset\] PASS: vtimer_fires_after_reset$'
	expect_count '^keel: Keel ' 1
}

# what `make run` shows
t_demo() {
	keel demo --kernel "$GUESTS/demo.bin" --name demo --test-device
	expect_rc 0
	expect_line '^\[demo\] Keel hypercall ABI version 0\.1, magic 4b45454c$'
	expect_line '^\[demo\] this line went through KEEL_HC_CONSOLE_WRITE$'
	expect_line '^\[demo\] emulated device: ldr r, \[base, #4\]! read 00c0ffee, base is now 0b000004$'
	expect_line '^\[demo\] reading 0x30000000 \(nothing there\) gave my abort handler DFAR 30000000$'
	expect_line "^keel: partition 'demo' powered off \(PSCI SYSTEM_OFF\); exit status 0$"
}

# what is typed on Keel's console reaches the partition's UART
t_console_input() {
	keel_typing echo '^\[echo\] echo: type lines' 'hello keel\nsecond line\nq\n' \
		--kernel "$GUESTS/echo.bin" --name echo
	expect_rc 0
	expect_line '^\[echo\] got: hello keel$'
	expect_line '^\[echo\] got: second line$'
	expect_line '^\[echo\] PASS: echo_quit$'
}

# PSCI CPU_ON / AFFINITY_INFO / CPU_OFF in a partition of 2 vCPUs, on
# t_psci_smp HOST_CPUS physical CPUs (1: they share it; 2: one each)
t_psci_smp() {
	keel "psci-smp-$1-cpu" --kernel "$GUESTS/psci_smp.bin" --name smp --cpus 2 --host-cpus "$1"
	expect_rc 0
	expect_no_line '^\[smp\] FAIL'
	for c in primary_mpidr affinity_off_before cpu_on_unknown_cpu cpu_on_entry_outside_ram \
		 cpu_on_self_already_on affinity_bad_level cpu_on cpu_on_again_pending_or_on \
		 secondary_ran cpu_on_again_already_on affinity_on secondary_mpidr \
		 secondary_context_id affinity_off_after cpu_off_did_not_return; do
		expect_line "^\[smp\] PASS: $c$"
	done
	expect_line "^keel: stats 'smp' vcpu 1: hvc=[1-9]"
	if [ "$1" = 2 ]; then
		expect_line "^keel: 2 CPUs, "
		expect_line "^keel: partition 'smp': 2 vCPUs, .*; on CPU 0,1$"
	fi
}

# SGIs between two vCPUs (target list, all-but-self, self), on 1 or 2 physical CPUs
t_sgi() {
	keel "sgi-$1-cpu" --kernel "$GUESTS/sgi.bin" --name sgi --cpus 2 --host-cpus "$1"
	expect_rc 0
	expect_no_line '^\[sgi\] FAIL'
	for c in cpu_on secondary_listening sgi_6_from_vcpu1 sgi_6_source_is_1 secondary_done \
		 vcpu1_got_sgi_5 vcpu1_sgi_5_source_is_0 vcpu1_got_sgi_7 all_but_self_skipped_me \
		 sgi_8_to_self sgi_8_source_is_0 nothing_left; do
		expect_line "^\[sgi\] PASS: $c$"
	done
}

# the exit-stats device (`keel,exit-stats`) in a 2-vCPU partition on
# t_exit_stats HOST_CPUS physical CPUs: its map, a latched copy against
# KEEL_HC_EXIT_STATS, exact growth between latches, the partition's sum over
# both vCPUs, and forbidden accesses each an abort the guest survives
t_exit_stats() {
	keel "exit-stats-$1-cpu" --kernel "$GUESTS/exitstats.bin" --name xs --cpus 2 \
		--host-cpus "$1" --exit-stats
	expect_rc 0
	expect_no_line '^\[xs\] FAIL'
	for c in id version freq rows self_is_a_device_row self_name self_reason_dabt \
		 name_hvc_rest name_version name_exit_stats name_psci name_psci_smc name_pl011 \
		 counts_match_hypercall ticks_match_hypercall copy_holds_still seq_counts_latches \
		 monotonic version_calls uart_reads self_row_counts_own_accesses vcpu1_done \
		 scope_partition partition_adds_vcpu1_calls write_id write_count write_seq \
		 latch_bad_scope read_latch read_byte write_byte read_halfword read_header_gap \
		 read_row_gap read_past_rows read_page_end alive; do
		expect_line "^\[xs\] PASS: statdev_$c$"
	done
	expect_line '^\[xs\] DONE: [0-9]+ passed, 0 failed$'
	# the 12 forbidden accesses were aborts given to the guest, Keel carried on
	expect_line "^keel: stats 'xs' vcpu 0: .* aborts_injected=12 "
	# and Keel's log names the device that refused, not "nothing mapped there"
	expect_line "^keel: partition 'xs' vcpu 0: data write abort at IPA 0x0b001000 \(va 0x0b001000, pc 0x[0-9a-f]{8}\): refused by emulated device 'exit-stats'; HSR 0x9[0-9a-f]{7}$"
	expect_no_line "^keel: partition 'xs' .*abort at IPA 0x0b001.*nothing mapped there"
	expect_line "^keel: stats 'xs' vcpu 0 by call and device: .*exit-stats=[0-9]+/"
	expect_line "^keel: partition 'xs' exited \(hypercall\); exit status 0$"
}

# the same guest on the other CPU the board offers
t_cortex_a7() {
	keel hello-a7 --kernel "$GUESTS/hello.bin" --name hello --qemu-cpu cortex-a7
	expect_rc 0
	expect_line '^\[hello\] PASS: hello$'
}

run_case hello t_hello
run_case exit-status t_exit_status
run_case hypercalls t_hypercalls
run_case ldst t_ldst
run_case ldst-check-decoder t_ldst_check_decoder
run_case decoder-refuses t_decoder_refuses
run_case aborts t_aborts
run_case abort-no-handler t_abort_no_handler
run_case psci-system-off t_psci_off
run_case sysreg t_sysreg
run_case psci-system-reset t_reset
run_case demo t_demo
run_case console-input t_console_input
run_case psci-smp-1-cpu t_psci_smp 1
run_case psci-smp-2-cpus t_psci_smp 2
run_case sgi-1-cpu t_sgi 1
run_case sgi-2-cpus t_sgi 2
run_case exit-stats-1-cpu t_exit_stats 1
run_case exit-stats-2-cpus t_exit_stats 2
run_case cortex-a7 t_cortex_a7
