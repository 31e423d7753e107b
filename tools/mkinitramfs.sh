#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a small initramfs (gzip'd newc cpio) for Linux guests: Debian's static
# busybox and an /init that mounts proc, sys and devtmpfs, prints
# "keel-guest: init started", runs /test.sh (from --script) or an interactive
# shell, prints "keel-guest: script exited with status N" and powers off.
# With --modules it also carries the kernel's virtio modules and their
# dependencies in /lib/modules/<version> (with a modules.dep for modprobe),
# and /init loads them. With --channel it carries Keel's channel driver
# (keel_channel.ko, with the kernel's uio.ko) and the keel-chan program,
# built by `make linux-channel` into build/linux/, and /init loads the driver.
# Needs the assets of tools/fetch-linux.sh in ${KEEL_CACHE:-~/.cache/keel}/linux.
# The output depends only on the inputs (fixed owners, times and order).
set -euo pipefail

CACHE=${KEEL_CACHE:-$HOME/.cache/keel}
SRC=$CACHE/linux
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# What --channel takes (make linux-channel builds them).
CHANNEL_DIR=${KEEL_CHANNEL_DIR:-$ROOT/build/linux}
# What --modules asks for; their dependencies come along.
MODULES="virtio virtio_ring virtio_mmio virtio_blk virtio_net virtio_console"

usage() {
	cat <<EOF
usage: tools/mkinitramfs.sh OUT.cpio.gz [--script FILE] [--modules] [--channel] [--bin FILE]...
  --script FILE  copied to /test.sh; /init runs it, then powers off
                 (without it /init starts an interactive shell on the console)
  --modules      add the kernel's virtio modules and their dependencies;
                 /init loads them with modprobe. The modules:
                   $MODULES
  --channel      add Keel's channel driver and /bin/keel-chan (from
                 $CHANNEL_DIR, made by \`make linux-channel\`)
                 with the kernel's uio.ko; /init loads uio, then keel_channel
  --bin FILE     add FILE (a static armhf program) as /bin/NAME
Uses busybox and the kernel modules from $SRC (tools/fetch-linux.sh).
EOF
}

die() { echo "mkinitramfs: error: $*" >&2; exit 1; }

out= script= modules=0 channel=0 bins=()
while [ $# -gt 0 ]; do
	case $1 in
	--script)
		[ $# -ge 2 ] || { echo "mkinitramfs: --script needs a FILE" >&2; usage >&2; exit 2; }
		script=$2; shift 2 ;;
	--script=*) script=${1#--script=}; shift ;;
	--modules) modules=1; shift ;;
	--channel) channel=1; shift ;;
	--bin)
		[ $# -ge 2 ] && [ -f "$2" ] || die "--bin needs an existing FILE"
		bins+=("$2"); shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "mkinitramfs: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	*)
		[ -z "$out" ] || { echo "mkinitramfs: more than one output given" >&2; usage >&2; exit 2; }
		out=$1; shift ;;
	esac
done
[ -n "$out" ] || { usage >&2; exit 2; }
[ -z "$script" ] || [ -f "$script" ] || die "script '$script' not found"

for c in cpio gzip find sort; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' not found (tools/setup.sh installs cpio)"
done
[ -x "$SRC/busybox" ] || die "no $SRC/busybox: run tools/fetch-linux.sh first"
if [ $modules -eq 1 ] || [ $channel -eq 1 ]; then
	[ -s "$SRC/VERSION" ] && [ -d "$SRC/modules/kernel" ] ||
		die "no kernel modules in $SRC/modules: run tools/fetch-linux.sh first"
fi
if [ $channel -eq 1 ]; then
	for f in keel_channel.ko keel-chan; do
		[ -f "$CHANNEL_DIR/$f" ] || die "no $CHANNEL_DIR/$f: run 'make linux-channel' first"
	done
	# A module for another kernel would not load: say so now.
	kv=$(tr '\0' '\n' <"$CHANNEL_DIR/keel_channel.ko" | sed -n 's/^vermagic=\([^ ]*\).*/\1/p' | head -n 1)
	[ "$kv" = "$(cat "$SRC/VERSION")" ] ||
		die "$CHANNEL_DIR/keel_channel.ko is for kernel '$kv', not $(cat "$SRC/VERSION"): run 'make linux-channel' again"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/keel-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"
(cd "$root" && mkdir -p bin sbin usr/bin usr/sbin dev proc sys tmp root etc lib/modules)
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cp "$SRC/busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
# The rest of the applet links are made at boot by "busybox --install -s"
# (an armhf binary cannot be asked for its applet list here).
ln -s busybox "$root/bin/sh"
for b in ${bins[@]+"${bins[@]}"}; do
	install -m 0755 "$b" "$root/bin/${b##*/}"
done

# ---- kernel modules -------------------------------------------------------
loadlist=
builtins=
declare -A path=() builtin=() visited=() deps=()
unpacked=()
if [ $modules -eq 1 ] || [ $channel -eq 1 ]; then
	version=$(cat "$SRC/VERSION")
	msrc=$SRC/modules
	mdst=$root/lib/modules/$version
	mkdir -p "$mdst"

	# name -> path in the tree (names use '_' where files may use '-')
	while IFS= read -r f; do
		n=${f##*/}; n=${n%%.ko*}; n=${n//-/_}
		path[$n]=$f
	done < <(cd "$msrc" && find kernel -type f \( -name '*.ko' -o -name '*.ko.xz' \
		-o -name '*.ko.gz' -o -name '*.ko.zst' \) | LC_ALL=C sort)
	if [ -f "$msrc/modules.builtin" ]; then
		while IFS= read -r f; do
			n=${f##*/}; n=${n%%.ko*}; builtin[${n//-/_}]=1
		done <"$msrc/modules.builtin"
		cp "$msrc/modules.builtin" "$mdst/"
	fi
fi

# Copy one module as a plain .ko (busybox's insmod/modprobe are not
# relied on to decompress), decompressing at build time.
# copy_ko SRC-REL-PATH: sets $dst to the .ko path relative to $mdst.
copy_ko() {
	local rel=$1
	dst=${1%.xz}
	dst=${dst%.gz}; dst=${dst%.zst}
	mkdir -p "$mdst/${dst%/*}"
	case $rel in
	*.ko) cp "$msrc/$rel" "$mdst/$dst" ;;
	*.xz) command -v xz >/dev/null 2>&1 ||
		die "modules are xz-compressed and xz is not installed (apt-get install xz-utils)"
		xz -dc "$msrc/$rel" >"$mdst/$dst"; unpacked+=("$rel") ;;
	*.gz) gzip -dc "$msrc/$rel" >"$mdst/$dst"; unpacked+=("$rel") ;;
	*.zst) command -v zstd >/dev/null 2>&1 ||
		die "modules are zstd-compressed and zstd is not installed (apt-get install zstd)"
		zstd -q -dc "$msrc/$rel" >"$mdst/$dst"; unpacked+=("$rel") ;;
	esac
}

if [ $modules -eq 1 ]; then
	# Depth first: a module's dependencies (its .modinfo "depends=") are
	# added before it, so $order is a valid load order.
	order=()
	declare -A ko=()
	add_module() {
		local n=$1 d list
		[ -z "${visited[$n]:-}" ] || return 0
		visited[$n]=1
		if [ -n "${builtin[$n]:-}" ]; then
			builtins="$builtins $n"; return 0
		fi
		[ -n "${path[$n]:-}" ] || die "module $n is neither in $msrc nor built in"
		copy_ko "${path[$n]}"
		ko[$n]=$dst
		list=$(tr '\0' '\n' <"$mdst/${ko[$n]}" | sed -n 's/^depends=//p' | head -n 1)
		deps[$n]=
		for d in ${list//,/ }; do
			d=${d//-/_}
			add_module "$d"
			[ -n "${builtin[$d]:-}" ] || deps[$n]="${deps[$n]} $d"
		done
		order+=("$n")
	}
	for m in $MODULES; do add_module "$m"; done

	# All of a module's dependencies, direct or not.
	closure() {
		local n=$1 d
		for d in ${deps[$n]}; do
			case " $seen " in *" $d "*) continue ;; esac
			seen="$seen $d"
			closure "$d"
		done
	}
	# modules.dep in depmod's order: dependencies are loaded from the last
	# listed to the first, so they are written in reverse load order.
	: >"$mdst/modules.dep"
	for n in "${order[@]}"; do
		seen=
		closure "$n"
		line="${ko[$n]}:"
		for ((i = ${#order[@]} - 1; i >= 0; i--)); do
			case " $seen " in *" ${order[i]} "*) line="$line ${ko[${order[i]}]}" ;; esac
		done
		printf '%s\n' "$line" >>"$mdst/modules.dep"
	done
	for n in "${order[@]}"; do printf '%s\n' "${ko[$n]}"; done >"$mdst/modules.order"

	# What /init loads: the requested modules that are not built in
	# (modprobe brings their dependencies).
	for m in $MODULES; do
		[ -n "${builtin[$m]:-}" ] || loadlist="$loadlist $m"
	done
	printf '%s\n' $loadlist >"$root/etc/keel-modules"
	[ -z "$builtins" ] || printf '%s\n' $builtins >"$root/etc/keel-modules-builtin"
	echo "mkinitramfs: modules ($version):$(printf ' %s' "${order[@]}")"
	[ -z "$builtins" ] || echo "mkinitramfs: built into the kernel:$builtins"
fi

# ---- Keel's channel driver ------------------------------------------------
# /etc/keel-channel: the modules /init insmods, in this order (uio first:
# keel_channel uses it). keel_channel.ko goes to extra/, as an out-of-tree
# module would be installed.
if [ $channel -eq 1 ]; then
	chanlist=
	if [ -z "${builtin[uio]:-}" ]; then
		[ -n "${path[uio]:-}" ] || die "module uio is neither in $msrc nor built in"
		copy_ko "${path[uio]}"
		chanlist="/lib/modules/$version/$dst"
	fi
	mkdir -p "$mdst/extra"
	cp "$CHANNEL_DIR/keel_channel.ko" "$mdst/extra/keel_channel.ko"
	chanlist="$chanlist /lib/modules/$version/extra/keel_channel.ko"
	printf '%s\n' $chanlist >"$root/etc/keel-channel"
	cp "$CHANNEL_DIR/keel-chan" "$root/bin/keel-chan"
	chmod 0755 "$root/bin/keel-chan"
	echo "mkinitramfs: channel driver ($version): uio keel_channel, and /bin/keel-chan"
fi
if [ ${#unpacked[@]} -gt 0 ]; then
	echo "mkinitramfs: decompressed ${#unpacked[@]} compressed module(s) at build time"
fi

# ---- the test script ------------------------------------------------------
if [ -n "$script" ]; then
	cp "$script" "$root/test.sh"
	chmod 0755 "$root/test.sh"
fi

# ---- /init ----------------------------------------------------------------
cat >"$root/init" <<'EOF'
#!/bin/sh
# /init of a Keel test initramfs (made by tools/mkinitramfs.sh).
/bin/busybox --install -s
export PATH=/sbin:/usr/sbin:/bin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts 2>/dev/null
echo "keel-guest: init started"

if [ -s /etc/keel-modules ]; then
	failed=
	for m in $(cat /etc/keel-modules); do
		modprobe "$m" || failed="$failed $m"
	done
	loaded=$(while read -r name rest; do printf ' %s' "$name"; done </proc/modules)
	echo "keel-guest: modules loaded:${loaded:- none}"
	[ -z "$failed" ] || echo "keel-guest: modules that failed to load:$failed"
	[ ! -s /etc/keel-modules-builtin ] ||
		echo "keel-guest: built into the kernel:" $(cat /etc/keel-modules-builtin)
fi

if [ -s /etc/keel-channel ]; then
	failed=
	for ko in $(cat /etc/keel-channel); do
		insmod "$ko" || failed="$failed ${ko##*/}"
	done
	if [ -z "$failed" ]; then
		chans=$(keel-chan list 2>/dev/null | while read -r dev label; do printf ' %s=%s' "$label" "$dev"; done)
		echo "keel-guest: channel driver loaded; channels:${chans:- none}"
	else
		echo "keel-guest: channel driver failed to load:$failed"
	fi
fi

if [ -f /test.sh ]; then
	cd /
	sh /test.sh
	echo "keel-guest: script exited with status $?"
else
	echo "keel-guest: no /test.sh, starting a shell (exit or 'poweroff -f' to stop)"
	export PS1='guest:\w# '
	setsid cttyhack sh
	echo "keel-guest: shell exited with status $?"
fi
sync
poweroff -f
# Still here: leave, and the kernel panics (panic=-1 then reboots).
echo "keel-guest: poweroff failed"
exit 1
EOF
chmod 0755 "$root/init"

# ---- the archive ----------------------------------------------------------
# One newc entry with no data, written by hand: a /dev/console node needs
# no mknod (nor root) this way. newc_entry NAME MODE(octal) RDEVMAJ RDEVMIN
newc_entry() {
	local name=$1 mode=$2 maj=$3 min=$4 hdr
	hdr=$(printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		0 $((8#$mode)) 0 0 1 "$mtime" 0 0 0 "$maj" "$min" $((${#name} + 1)) 0)
	printf '%s%s\0' "$hdr" "$name"
	# header (110 bytes) + name + NUL, padded to a multiple of 4
	local n=$(((110 + ${#name} + 1) % 4))
	[ $n -eq 0 ] || head -c $((4 - n)) /dev/zero
}

mtime=${SOURCE_DATE_EPOCH:-0}
find "$root" -exec touch -h -d "@$mtime" {} +
{
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet)
	# A second archive after the first: the kernel unpacks both.
	newc_entry dev/console 20600 5 1
	newc_entry TRAILER!!! 0 0 0
} | gzip -n -9 >"$tmp/out.cpio.gz"
mv -f "$tmp/out.cpio.gz" "$out"
echo "mkinitramfs: $out ($(wc -c <"$out") bytes)"
