# SPDX-License-Identifier: MIT
# Test guests: bare-metal images that Keel's system tests run in partitions.
# Included by the top-level Makefile. Each guest <g> is linked from the
# runtime in guests/lib/ plus $(<g>_OBJS) into build/guests/<g>.elf and
# flattened into build/guests/<g>.bin.

GUEST_OUT := $(BUILD)/guests
GUEST_OBJ := $(GUEST_OUT)/obj

GUEST_ARCH    := -march=armv7ve+fp -mfloat-abi=hard -marm
GUEST_CFLAGS   = -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
		 -isystem $(shell $(CC) -print-file-name=include) $(GUEST_ARCH) \
		 -mgeneral-regs-only -mno-unaligned-access -fno-pic -fno-stack-protector \
		 -Iinclude -Iguests/lib
GUEST_ASFLAGS := $(GUEST_ARCH) -g -Iinclude -Iguests/lib -D__ASSEMBLY__ -Wa,--fatal-warnings
GUEST_LDFLAGS := -nostdlib -static -T guests/lib/guest.ld --no-warn-rwx-segments

GUESTS := hello hypercall ldst abort abort_nohandler psci_off psci_off_hvc \
	  exitcode decoder_refuse demo sysreg reset echo vfp_a vfp_b psci_smp sgi virt_probe \
	  rt ticker crasher chan_ping steal rtc_pass bench exitstats

guest_objs = $(patsubst guests/%,$(GUEST_OBJ)/%.o,$(basename $(1)))

GUEST_LIB_OBJS := $(call guest_objs,guests/lib/crt0.S guests/lib/vectors.S \
	guests/lib/exception.c guests/lib/smccc.S guests/lib/uart.c \
	guests/lib/printf.c guests/lib/test.c)

hello_OBJS           := $(call guest_objs,guests/hello.c)
hypercall_OBJS       := $(call guest_objs,guests/hypercall.c guests/hypercall_regs.S)
ldst_OBJS            := $(call guest_objs,guests/ldst.c guests/ldst_arm.S \
				guests/ldst_thumb2.S guests/ldst_thumb16.S)
abort_OBJS           := $(call guest_objs,guests/abort.c guests/abort_faults.S)
abort_nohandler_OBJS := $(call guest_objs,guests/abort_nohandler.c)
psci_off_OBJS        := $(call guest_objs,guests/psci_off.c)
psci_off_hvc_OBJS    := $(GUEST_OBJ)/psci_off_hvc.o
exitcode_OBJS        := $(call guest_objs,guests/exitcode.c)
decoder_refuse_OBJS  := $(call guest_objs,guests/decoder_refuse.c)
demo_OBJS            := $(call guest_objs,guests/demo.c)
sysreg_OBJS          := $(call guest_objs,guests/sysreg.c)
reset_OBJS           := $(call guest_objs,guests/reset.c)
echo_OBJS            := $(call guest_objs,guests/echo.c)
psci_smp_OBJS        := $(call guest_objs,guests/psci_smp.c guests/smp_entry.S)
sgi_OBJS             := $(call guest_objs,guests/sgi.c guests/smp_entry.S)
virt_probe_OBJS      := $(call guest_objs,guests/virt_probe.c guests/smp_entry.S)
vfp_a_OBJS           := $(GUEST_OBJ)/vfp_a.o $(GUEST_OBJ)/vfp_asm.o
vfp_b_OBJS           := $(GUEST_OBJ)/vfp_b.o $(GUEST_OBJ)/vfp_asm.o
# Guests configured by bootargs (guests/lib/bootargs.c reads them from the DTB).
rt_OBJS              := $(call guest_objs,guests/rt.c guests/lib/bootargs.c)
ticker_OBJS          := $(call guest_objs,guests/ticker.c guests/lib/bootargs.c)
crasher_OBJS         := $(call guest_objs,guests/crasher.c guests/lib/bootargs.c)
chan_ping_OBJS       := $(call guest_objs,guests/chan_ping.c guests/lib/bootargs.c)
steal_OBJS           := $(call guest_objs,guests/steal.c guests/lib/bootargs.c)
rtc_pass_OBJS        := $(call guest_objs,guests/rtc_pass.c guests/lib/bootargs.c)
exitstats_OBJS       := $(call guest_objs,guests/exitstats.c guests/smp_entry.S)
bench_OBJS           := $(call guest_objs,guests/bench.c guests/bench_switch.c guests/lib/bootargs.c \
				guests/smp_entry.S)

GUEST_ALL_OBJS := $(sort $(GUEST_LIB_OBJS) $(foreach g,$(GUESTS),$($(g)_OBJS)))
GUEST_ELFS     := $(GUESTS:%=$(GUEST_OUT)/%.elf)
GUEST_BINS     := $(GUESTS:%=$(GUEST_OUT)/%.bin)

guests: $(GUEST_BINS) $(GUEST_ELFS)

$(GUEST_OBJ)/%.o: guests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_OBJ)/%.o: guests/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(GUEST_ASFLAGS) -MMD -MP -c $< -o $@

# vfp_a, vfp_b: the vfp source with two different register patterns.
$(GUEST_OBJ)/vfp_a.o $(GUEST_OBJ)/vfp_b.o: $(GUEST_OBJ)/vfp_%.o: guests/vfp.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($*)"
	@$(CC) $(GUEST_CFLAGS) -DVFP_SEED=$(if $(filter a,$*),0x10000000u,0x7e000000u) -MMD -MP -c $< -o $@

# psci_off_hvc: the psci_off source with the HVC conduit.
$(GUEST_OBJ)/psci_off_hvc.o: guests/psci_off.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -DPSCI_OFF_HVC -MMD -MP -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_LIB_OBJS) $$($$*_OBJS) guests/lib/guest.ld
	$(LD) $(GUEST_LDFLAGS) -o $@ $(GUEST_LIB_OBJS) $($*_OBJS) $(LIBGCC)

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	$(OBJCOPY) -O binary $< $@

.SECONDARY: $(GUEST_ALL_OBJS) $(GUEST_ELFS)

-include $(GUEST_ALL_OBJS:.o=.d)
