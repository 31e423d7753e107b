#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Make this machine able to build and test Keel.
#  - Debian packages: QEMU, the ARM cross compiler, dtc, cpio, ...: installed when
#    run as root; otherwise the exact apt-get line is printed and we stop.
#  - libfdt for armhf (Debian's libfdt-dev:armhf), unpacked into the cache
#    ($KEEL_CACHE, default ~/.cache/keel) without installing it.
# Safe to run again: it only does what is missing.
set -euo pipefail

CACHE=${KEEL_CACHE:-$HOME/.cache/keel}
PKGS=(qemu-system-arm gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf
      device-tree-compiler cpio gcc make libc6-dev gzip
      libc6-dev-armhf-cross)   # static libc: guests/linux/keel-chan
# Host libraries for unit tests that use the same libraries as Keel.
PKGS+=(libfdt-dev)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else return 1; fi; }

apt_update() {
	# The armhf index of the security suite is sometimes out of sync; the
	# main suite's index is what we need, so a partial failure is tolerated.
	apt-get update -q >/dev/null 2>&1 || true
}

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "keel setup: missing Debian packages. Run as root:" >&2
		echo "  apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "keel setup: installing ${missing[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

fdt_lib="$CACHE/libfdt/usr/lib/arm-linux-gnueabihf/libfdt.a"
if [ ! -f "$fdt_lib" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		if ! as_root dpkg --add-architecture armhf; then
			echo "keel setup: armhf packages are needed. Run as root:" >&2
			echo "  dpkg --add-architecture armhf && apt-get update" >&2
			exit 1
		fi
		apt_update
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if ! (cd "$tmp" && apt-get download -q libfdt-dev:armhf >/dev/null 2>&1); then
		as_root true && apt_update
		(cd "$tmp" && apt-get download -q libfdt-dev:armhf >/dev/null) || {
			echo "keel setup: cannot download libfdt-dev:armhf (apt-get update as root may help)" >&2
			exit 1
		}
	fi
	mkdir -p "$CACHE/libfdt"
	dpkg-deb -x "$tmp"/libfdt-dev_*_armhf.deb "$CACHE/libfdt"
	echo "keel setup: libfdt for armhf in $CACHE/libfdt"
fi
