# SPDX-License-Identifier: MIT
# Keel: build the hypervisor image, the test guests and the host tools.
#
#   make          build/keel.bin (raw image with a zImage header) and guests
#   make run      build everything and boot Keel with Debian's Linux (a shell)
#                 beside a bare-metal partition, in QEMU
#   make test     the whole suite (host unit tests + QEMU system tests)
#   make unit     host unit tests only
#
# Third-party parts (libfdt for armhf) are downloaded by tools/setup.sh into
# $(KEEL_CACHE); nothing downloaded is ever committed.

KEEL_CACHE ?= $(HOME)/.cache/keel
CROSS      ?= arm-linux-gnueabihf-
HOSTCC     ?= gcc
BUILD      := build

.SECONDEXPANSION:

CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy

FDT_DIR  := $(KEEL_CACHE)/libfdt
FDT_INC  := $(FDT_DIR)/usr/include
FDT_LIB  := $(FDT_DIR)/usr/lib/arm-linux-gnueabihf/libfdt.a
LIBGCC    = $(shell $(CC) -print-libgcc-file-name)
GCC_INC   = $(shell $(CC) -print-file-name=include)

# Keel runs in ARM state with only core registers: it must never touch the
# guest's VFP/NEON state. The hard-float ABI tag matches Debian's libfdt.a.
# Code that may run before the CPU check is plain ARMv7-A (the rest: below), so
# a CPU without the Virtualization Extensions (and without their divide
# instructions) still gets to print why Keel cannot run on it.
MARCH      := armv7-a+fp
ARCH_FLAGS  = -march=$(MARCH) -mtune=cortex-a15 -marm -mfloat-abi=hard -mgeneral-regs-only
CFLAGS   = -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdinc \
	   -isystem $(GCC_INC) -Ilib/include -Iinclude -Iarch/arm32/include -I. -I$(FDT_INC) \
	   -fno-pic -fno-common -fno-stack-protector -fno-strict-aliasing \
	   -ffunction-sections -fdata-sections -flto $(ARCH_FLAGS)
ASFLAGS  = $(ARCH_FLAGS) -Iinclude -Iarch/arm32/include -I. -D__ASSEMBLY__
# Linked through gcc with link-time optimisation: the exit path crosses core and
# arch files (arch_vcpu_run -> trap_handle -> the handler), and inlining across
# them took a fifth off a null hypercall (docs/benchmarks.md). -flto=auto: the
# LTRANS jobs in parallel, without a warning.
LDFLAGS  = -O2 -flto=auto $(ARCH_FLAGS) -nostdlib -static -Wl,-T,arch/arm32/keel.ld \
	   -Wl,--gc-sections -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack -Wl,--build-id=none

KEEL_SRCS := $(wildcard arch/arm32/*.c arch/arm32/*.S core/*.c devices/*.c platform/*.c lib/*.c)
KEEL_OBJS := $(patsubst %,$(BUILD)/keel/%.o,$(basename $(KEEL_SRCS)))

.PHONY: bench all keel guests tools unit unit-bins test run clean setup
all: keel guests tools

setup:
	@tools/setup.sh

$(FDT_LIB):
	@tools/setup.sh

keel: $(BUILD)/keel.bin

# What only runs once the CPU check has passed (the partitions, their exits,
# the devices) is built like arch/, for ARMv7VE: LTO can then inline arch code
# into the exit path (an ARMv7-A caller may not inline an ARMv7VE callee), e.g.
# arch_vcpu_run() into the scheduler's loop and the GIC accesses into core/irq.c.
# The files the check's own refusal runs through (boot_main, printk, the UART,
# the DTB's early console) stay ARMv7-A, with platform/ and lib/.
PRECHECK_OBJS := $(BUILD)/keel/core/main.o $(BUILD)/keel/core/console.o
$(BUILD)/keel/arch/%.o $(BUILD)/keel/core/%.o $(BUILD)/keel/devices/%.o: MARCH := armv7ve+fp
$(PRECHECK_OBJS): MARCH := armv7-a+fp
# libgcc's division helpers call into this file after LTO has run: plain object code.
$(BUILD)/keel/lib/libgcc_glue.o: CFLAGS += -fno-lto

$(BUILD)/keel/%.o: %.c $(FDT_LIB)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/keel/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/keel.elf: $(KEEL_OBJS) arch/arm32/keel.ld $(FDT_LIB)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $(KEEL_OBJS) $(FDT_LIB) $(LIBGCC)

$(BUILD)/keel.bin: $(BUILD)/keel.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

-include $(KEEL_OBJS:.o=.d)

# ---- test guests (bare metal, see guests/) ---------------------------------
include guests/guests.mk
include guests/linux/linux.mk

# ---- host unit tests -------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Iinclude -Iarch/arm32/include -I. \
	       -Itests/unit -DKEEL_HOST_TEST -D_DEFAULT_SOURCE -fsanitize=address,undefined -fno-sanitize-recover=all

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit_main.c tests/unit/unit.h $$(shell cat tests/unit/$$*.deps 2>/dev/null)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< tests/unit/unit_main.c $(shell cat tests/unit/$*.deps 2>/dev/null) -lfdt

# ---- host tools ------------------------------------------------------------
# keel-check runs the config rules Keel runs at boot, so it builds from the same files.
KEEL_CHECK_SRCS := tools/keel-check.c core/bundle.c core/config_check.c core/image.c

$(BUILD)/tools/keel-check: $(KEEL_CHECK_SRCS) $(wildcard include/keel/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOSTCC) -std=c11 -O2 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Iinclude -o $@ \
		$(KEEL_CHECK_SRCS) -lfdt

tools: $(BUILD)/tools/keel-check

unit-bins: $(UNIT_TESTS)

unit: $(UNIT_TESTS)
	@tests/run-unit.sh $(UNIT_TESTS)

test:
	@tests/run.sh

run:
	@tools/demo.sh

# Keel against the bare board under -icount (docs/benchmarks.md)
bench:
	@tools/bench.sh


clean:
	rm -rf $(BUILD)

