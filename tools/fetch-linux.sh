#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Download the Linux guest assets into the cache (never committed):
#   Debian's linux-image-*-armmp-lpae:armhf (a zImage + its modules) and
#   busybox-static:armhf (one static binary for the initramfs).
# Leaves stable paths in ${KEEL_CACHE:-~/.cache/keel}/linux/:
#   vmlinuz    the kernel (zImage)
#   modules/   the kernel's /lib/modules/<version> tree
#   busybox    the static busybox binary
#   VERSION    the kernel version string (uname -r)
#   PACKAGES   the Debian packages and versions they came from
# Does nothing when all of that is already there (use --force to fetch again).
# The kernel package name is looked up with apt-cache, so ABI bumps
# (6.1.0-NN) need no change here.
set -euo pipefail

usage() {
	cat <<EOF
usage: tools/fetch-linux.sh [--force]
Downloads Debian's armmp-lpae kernel and busybox-static (armhf) into
\${KEEL_CACHE:-\$HOME/.cache/keel}/linux/ (now: $DIR).
  --force   fetch again even if the cache is complete (picks up a newer kernel)
EOF
}

CACHE=${KEEL_CACHE:-$HOME/.cache/keel}
DIR=$CACHE/linux
force=0
for a in "$@"; do
	case $a in
	--force) force=1 ;;
	-h|--help) usage; exit 0 ;;
	*) echo "fetch-linux: unknown argument '$a'" >&2; usage >&2; exit 2 ;;
	esac
done

die() { echo "fetch-linux: error: $*" >&2; exit 1; }

complete() {
	[ -f "$DIR/vmlinuz" ] && [ -d "$DIR/modules/kernel" ] &&
		[ -x "$DIR/busybox" ] && [ -s "$DIR/VERSION" ]
}

if [ $force -eq 0 ] && complete; then
	exit 0
fi

for c in apt-get apt-cache dpkg dpkg-deb; do
	command -v "$c" >/dev/null 2>&1 || die "'$c' not found: this needs a Debian (or derived) host"
done

is_root() { [ "$(id -u)" -eq 0 ]; }

# What a non-root user must run before we can go on.
need_root() {
	echo "fetch-linux: error: $1" >&2
	echo "fetch-linux: run as root:" >&2
	echo "  $2" >&2
	echo "fetch-linux: then run tools/fetch-linux.sh again." >&2
	exit 1
}

updated=0
apt_update() {
	updated=1
	echo "fetch-linux: apt-get update"
	# The armhf index of the security suite is sometimes out of sync with the
	# mirror and apt-get update then exits non-zero, although the main suite's
	# index (all we need) was updated: tolerate it.
	apt-get update -q >/dev/null 2>&1 ||
		echo "fetch-linux: warning: apt-get update reported errors; going on" >&2
}

if ! dpkg --print-foreign-architectures | grep -qx armhf; then
	is_root || need_root "the armhf architecture is not enabled in dpkg" \
		"dpkg --add-architecture armhf && apt-get update"
	echo "fetch-linux: dpkg --add-architecture armhf"
	dpkg --add-architecture armhf
	apt_update
fi

# The current kernel package: what the metapackage depends on, else the
# highest versioned linux-image-X.Y.Z-N-armmp-lpae apt knows.
kernel_pkg() {
	local p
	p=$(apt-cache depends linux-image-armmp-lpae:armhf 2>/dev/null |
		sed -n 's/^ *Depends: *<\{0,1\}\(linux-image-[0-9][0-9.]*-[0-9][0-9]*-armmp-lpae\)\(:armhf\)\{0,1\}>\{0,1\} *$/\1/p' |
		sort -V | tail -n 1)
	if [ -z "$p" ]; then
		p=$(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-armmp-lpae$' 2>/dev/null |
			awk '{print $1}' | sort -V | tail -n 1)
	fi
	printf '%s\n' "$p"
}

kpkg=$(kernel_pkg)
if [ -z "$kpkg" ]; then
	is_root || need_root "apt knows no linux-image-*-armmp-lpae:armhf package (stale or missing package lists)" \
		"apt-get update"
	apt_update
	kpkg=$(kernel_pkg)
	[ -n "$kpkg" ] || die "no linux-image-*-armmp-lpae:armhf package in apt's lists, even after apt-get update"
fi

mkdir -p "$DIR"
tmp=$(mktemp -d "$DIR/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# apt-get download of the two packages into $tmp/deb.
try_download() {
	rm -rf "$tmp/deb"
	mkdir -p "$tmp/deb"
	(cd "$tmp/deb" && apt-get download -q "$kpkg:armhf" busybox-static:armhf) \
		>"$tmp/apt.log" 2>&1
}
show_apt_log() { sed 's/^/  apt: /' "$tmp/apt.log" >&2; }

echo "fetch-linux: downloading $kpkg:armhf and busybox-static:armhf"
if ! try_download; then
	# Most likely stale lists naming a file the archive no longer has.
	if ! is_root; then
		show_apt_log
		need_root "apt-get download failed (package lists may be stale)" "apt-get update"
	fi
	[ $updated -eq 0 ] || { show_apt_log; die "apt-get download failed"; }
	apt_update
	kpkg=$(kernel_pkg)
	[ -n "$kpkg" ] || die "no linux-image-*-armmp-lpae:armhf package in apt's lists after apt-get update"
	echo "fetch-linux: downloading $kpkg:armhf and busybox-static:armhf (after apt-get update)"
	try_download || { show_apt_log; die "apt-get download $kpkg:armhf busybox-static:armhf failed"; }
fi

kdeb=$(ls "$tmp"/deb/"$kpkg"_*_armhf.deb 2>/dev/null | head -n 1)
bdeb=$(ls "$tmp"/deb/busybox-static_*_armhf.deb 2>/dev/null | head -n 1)
[ -n "$kdeb" ] || die "apt-get download gave no $kpkg .deb"
[ -n "$bdeb" ] || die "apt-get download gave no busybox-static .deb"

echo "fetch-linux: unpacking"
dpkg-deb -x "$kdeb" "$tmp/k" || die "cannot unpack $kdeb"
dpkg-deb -x "$bdeb" "$tmp/b" || die "cannot unpack $bdeb"

# The kernel: /boot/vmlinuz-<version>; its modules in /lib or /usr/lib.
vmlinuz=$(ls "$tmp"/k/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || die "$kpkg has no /boot/vmlinuz-*"
version=${vmlinuz##*/vmlinuz-}
moddir=
for d in "$tmp/k/lib/modules/$version" "$tmp/k/usr/lib/modules/$version"; do
	[ -d "$d" ] && { moddir=$d; break; }
done
[ -n "$moddir" ] || die "$kpkg has no lib/modules/$version"
busybox=
for f in "$tmp/b/bin/busybox" "$tmp/b/usr/bin/busybox"; do
	[ -f "$f" ] && { busybox=$f; break; }
done
[ -n "$busybox" ] || die "busybox-static has no bin/busybox"

# Replace the old assets; VERSION last, so an interrupted run is seen as
# incomplete and done again.
rm -rf "$DIR/VERSION" "$DIR/vmlinuz" "$DIR/modules" "$DIR/busybox" "$DIR/PACKAGES"
mv "$vmlinuz" "$DIR/vmlinuz"
mv "$moddir" "$DIR/modules"
mv "$busybox" "$DIR/busybox"
chmod 0755 "$DIR/busybox"
{
	dpkg-deb -f "$kdeb" Package Version Architecture | paste -sd' '
	dpkg-deb -f "$bdeb" Package Version Architecture | paste -sd' '
} | sed 's/Package: //; s/ Version: / /; s/ Architecture: / /' >"$DIR/PACKAGES"
printf '%s\n' "$version" >"$DIR/VERSION"

echo "fetch-linux: kernel $version in $DIR/vmlinuz (modules in $DIR/modules)"
echo "fetch-linux: busybox in $DIR/busybox"
sed 's/^/fetch-linux:   /' "$DIR/PACKAGES"
