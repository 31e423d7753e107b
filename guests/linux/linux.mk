# SPDX-License-Identifier: MIT
# Linux guest parts built by Keel: the channel driver keel_channel.ko (an
# out-of-tree module for Debian's armmp-lpae kernel, built against the
# headers tools/fetch-linux.sh unpacks into the cache) and keel-chan (a
# static armhf program). Included by the top-level Makefile; not part of
# `make all` (the headers are a download):
#
#   make linux-channel    build/linux/keel_channel.ko and build/linux/keel-chan
#   make linux-bench      build/linux/keel-bench (tools/bench.sh's workloads)
#
# tools/mkinitramfs.sh --channel puts both into an initramfs.

LINUX_CACHE := $(KEEL_CACHE)/linux
LINUX_KDIR  := $(LINUX_CACHE)/build
LINUX_OUT   := $(BUILD)/linux
# kbuild writes its objects next to the sources: build them in a copy.
LINUX_MOD   := $(LINUX_OUT)/module

LINUX_CHAN_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -static -s

.PHONY: linux-channel linux-bench
linux-channel: $(LINUX_OUT)/keel_channel.ko $(LINUX_OUT)/keel-chan
# the macro-benchmark workloads (tools/bench.sh); needs no kernel headers
linux-bench: $(LINUX_OUT)/keel-bench

# The kernel and its headers (the .config marks a complete header tree).
$(LINUX_KDIR)/.config $(LINUX_CACHE)/VERSION:
	@tools/fetch-linux.sh

$(LINUX_OUT)/keel_channel.ko: guests/linux/keel_channel.c guests/linux/Kbuild \
		$(LINUX_KDIR)/.config $(LINUX_CACHE)/VERSION
	@mkdir -p $(LINUX_MOD)
	@cp guests/linux/keel_channel.c guests/linux/Kbuild $(LINUX_MOD)/
	@echo "  KMOD    $@ ($$(cat $(LINUX_CACHE)/VERSION))"
	@$(MAKE) -s -C $(LINUX_KDIR) M=$(abspath $(LINUX_MOD)) ARCH=arm \
		CROSS_COMPILE=$(CROSS) modules
	@cp $(LINUX_MOD)/keel_channel.ko $@

# Static armhf programs: keel-chan, keel-bench.
$(LINUX_OUT)/keel-chan: guests/lib/chan_wire.h
$(LINUX_OUT)/keel-bench: include/keel/statdev.h include/keel/hypercall.h
$(LINUX_OUT)/keel-%: guests/linux/keel-%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@test -f "$$($(CC) -print-file-name=libc.a)" || { \
		echo "keel-$* needs the armhf C library: apt-get install libc6-dev-armhf-cross" >&2; \
		exit 1; }
	@$(CC) $(LINUX_CHAN_CFLAGS) -o $@ $<

