#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Download the Linux guest assets into the cache (never committed):
#   Debian's linux-image-*-armmp-lpae:armhf (a zImage + its modules),
#   busybox-static:armhf (one static binary for the initramfs) and what
#   building an out-of-tree module for exactly that kernel needs:
#   linux-headers-<version>:armhf, linux-headers-<abi>-common and
#   linux-kbuild-X.Y for the host's architecture, all three at the kernel
#   package's Debian version.
# Leaves stable paths in ${KEEL_CACHE:-~/.cache/keel}/linux/:
#   vmlinuz    the kernel (zImage)
#   modules/   the kernel's /lib/modules/<version> tree
#   busybox    the static busybox binary
#   headers/   the three header packages unpacked: src/linux-headers-*,
#              lib/linux-kbuild-X.Y (host programs: fixdep, modpost, ...)
#   build      -> headers/src/linux-headers-<version>, the KDIR for
#              make -C .../build M=DIR ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-
#   VERSION    the kernel version string (uname -r)
#   PACKAGES   the Debian packages and versions they came from
# Does nothing when all of that is already there (use --force to fetch again);
# a cache that has the kernel but not its headers gets just the headers.
# The kernel package name is looked up with apt-cache, so ABI bumps
# (6.1.0-NN) need no change here.
set -euo pipefail

usage() {
	cat <<EOF
usage: tools/fetch-linux.sh [--force]
Downloads Debian's armmp-lpae kernel, its headers (to build modules for it)
and busybox-static (armhf) into \${KEEL_CACHE:-\$HOME/.cache/keel}/linux/
(now: $DIR).
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

# The headers are there, for the kernel in VERSION, with the host programs.
headers_complete() {
	[ -s "$DIR/VERSION" ] && [ -f "$DIR/build/.config" ] &&
		[ -f "$DIR/build/Makefile" ] && [ -x "$DIR/build/scripts/mod/modpost" ] &&
		[ -x "$DIR/build/scripts/basic/fixdep" ] &&
		grep -qx "#define UTS_RELEASE \"$(cat "$DIR/VERSION")\"" \
			"$DIR/build/include/generated/utsrelease.h" 2>/dev/null
}

fetch_kernel=1
if [ $force -eq 0 ] && complete; then
	headers_complete && exit 0
	fetch_kernel=0
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

mkdir -p "$DIR"
tmp=$(mktemp -d "$DIR/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
show_apt_log() { sed 's/^/  apt: /' "$tmp/apt.log" >&2; }

# ---- the kernel and busybox ----------------------------------------------
# Leaves $version (uname -r) and $kdebver (the kernel package's Debian version).

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

# apt-get download of the two packages into $tmp/deb.
try_download() {
	rm -rf "$tmp/deb"
	mkdir -p "$tmp/deb"
	(cd "$tmp/deb" && apt-get download -q "$kpkg:armhf" busybox-static:armhf) \
		>"$tmp/apt.log" 2>&1
}

if [ $fetch_kernel -eq 1 ]; then
	kpkg=$(kernel_pkg)
	if [ -z "$kpkg" ]; then
		is_root || need_root "apt knows no linux-image-*-armmp-lpae:armhf package (stale or missing package lists)" \
			"apt-get update"
		apt_update
		kpkg=$(kernel_pkg)
		[ -n "$kpkg" ] || die "no linux-image-*-armmp-lpae:armhf package in apt's lists, even after apt-get update"
	fi

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
	kdebver=$(dpkg-deb -f "$kdeb" Version)

	# Replace the old assets (and the old kernel's headers); VERSION last,
	# so an interrupted run is seen as incomplete and done again.
	rm -rf "$DIR/VERSION" "$DIR/vmlinuz" "$DIR/modules" "$DIR/busybox" "$DIR/PACKAGES" \
		"$DIR/build" "$DIR/headers"
	mv "$vmlinuz" "$DIR/vmlinuz"
	mv "$moddir" "$DIR/modules"
	mv "$busybox" "$DIR/busybox"
	chmod 0755 "$DIR/busybox"
	{
		dpkg-deb -f "$kdeb" Package Version Architecture | paste -sd' '
		dpkg-deb -f "$bdeb" Package Version Architecture | paste -sd' '
	} | sed 's/Package: //; s/ Version: / /; s/ Architecture: / /' >"$DIR/PACKAGES"
	printf '%s\n' "$version" >"$DIR/VERSION"
	rm -rf "$tmp/k" "$tmp/b" "$tmp/deb"

	echo "fetch-linux: kernel $version in $DIR/vmlinuz (modules in $DIR/modules)"
	echo "fetch-linux: busybox in $DIR/busybox"
else
	version=$(cat "$DIR/VERSION")
	kdebver=$(awk -v p="linux-image-$version" '$1 == p { print $2; exit }' "$DIR/PACKAGES" 2>/dev/null)
	[ -n "$kdebver" ] ||
		die "$DIR/PACKAGES does not say which linux-image-$version was fetched: run tools/fetch-linux.sh --force"
fi

# ---- the headers, for building modules -----------------------------------
# linux-headers-<version> (armhf) holds the kernel's .config, Module.symvers
# and generated headers, and includes linux-headers-<abi>-common's Makefile
# by absolute path; both link scripts/ and tools/ to linux-kbuild-X.Y's host
# programs. All three are pinned to the kernel's Debian version ($kdebver),
# so a module built with them has the kernel's vermagic and symbol CRCs.
hpkg=linux-headers-$version
harch=$(dpkg --print-architecture)

# try_get PKG...: apt-get download PKG... into $tmp/hdeb (emptied first)
try_get() {
	rm -rf "$tmp/hdeb"
	mkdir -p "$tmp/hdeb"
	(cd "$tmp/hdeb" && apt-get download -q "$@") >"$tmp/apt.log" 2>&1
}
# get PKG...: try_get, with one apt-get update (as root) on failure
get() {
	try_get "$@" && return 0
	if ! is_root; then
		show_apt_log
		need_root "apt-get download $* failed (package lists may be stale)" "apt-get update"
	fi
	if [ $updated -eq 0 ]; then
		apt_update
		try_get "$@" && return 0
	fi
	show_apt_log
	[ $fetch_kernel -eq 1 ] ||
		die "cannot download $* (Debian may have replaced kernel $kdebver): run tools/fetch-linux.sh --force for the current kernel and its headers"
	die "apt-get download $* failed"
}

echo "fetch-linux: downloading $hpkg:armhf=$kdebver"
get "$hpkg:armhf=$kdebver"
hdeb=$(ls "$tmp"/hdeb/"$hpkg"_*_armhf.deb 2>/dev/null | head -n 1)
[ -n "$hdeb" ] || die "apt-get download gave no $hpkg .deb"
mv "$hdeb" "$tmp/"
hdeb=$tmp/${hdeb##*/}
# The other two are named in its Depends (else guessed from the version).
hdeps=$(dpkg-deb -f "$hdeb" Depends | tr ',' '\n')
common=$(printf '%s\n' "$hdeps" | sed -n 's/^ *\(linux-headers-[^ ]*-common\)\( .*\)\{0,1\}$/\1/p' | head -n 1)
kbuild=$(printf '%s\n' "$hdeps" | sed -n 's/^ *\(linux-kbuild-[0-9][0-9.]*\)\( .*\)\{0,1\}$/\1/p' | head -n 1)
: "${common:=linux-headers-${version%-armmp-lpae}-common}"
: "${kbuild:=linux-kbuild-$(printf '%s' "$version" | cut -d. -f1,2)}"

echo "fetch-linux: downloading $common=$kdebver and $kbuild:$harch=$kdebver"
get "$common=$kdebver" "$kbuild:$harch=$kdebver"
cdeb=$(ls "$tmp"/hdeb/"$common"_*.deb 2>/dev/null | head -n 1)
bdeb=$(ls "$tmp"/hdeb/"$kbuild"_*_"$harch".deb 2>/dev/null | head -n 1)
[ -n "$cdeb" ] || die "apt-get download gave no $common .deb"
[ -n "$bdeb" ] || die "apt-get download gave no $kbuild .deb"

echo "fetch-linux: unpacking the headers"
for d in "$hdeb" "$cdeb" "$bdeb"; do
	dpkg-deb -x "$d" "$tmp/h" || die "cannot unpack $d"
done
src=$tmp/h/usr/src
[ -f "$src/$hpkg/Makefile" ] && [ -f "$src/$hpkg/.config" ] ||
	die "$hpkg has no usr/src/$hpkg/{Makefile,.config}"
[ -f "$src/$common/Makefile" ] || die "$common has no usr/src/$common/Makefile"
[ -x "$tmp/h/usr/lib/$kbuild/scripts/mod/modpost" ] ||
	die "$kbuild has no usr/lib/$kbuild/scripts/mod/modpost"
# The version's Makefile is one line, "include /usr/src/<common>/Makefile":
# include it relative to where that Makefile really is instead.
sed -i "s|^include /usr/src/$common/Makefile\$|include \$(dir \$(realpath \$(lastword \$(MAKEFILE_LIST))))../$common/Makefile|" \
	"$src/$hpkg/Makefile"
grep -q "^include .*\.\./$common/Makefile\$" "$src/$hpkg/Makefile" ||
	die "unexpected $hpkg/Makefile: $(head -c 200 "$src/$hpkg/Makefile")"
# scripts/ and tools/ of both trees lead into the unpacked kbuild (the
# packages have relative links already; made again here so that a change in
# how they spell them cannot leave them pointing at the host's /usr).
for t in "$src/$hpkg" "$src/$common"; do
	for l in scripts tools; do
		rm -rf "${t:?}/$l"
		ln -s "../../lib/$kbuild/$l" "$t/$l"
	done
done
[ -x "$src/$hpkg/scripts/basic/fixdep" ] || die "$hpkg/scripts does not lead to $kbuild's programs"
# The packages' /lib/modules/<version>/{build,source} are absolute links
# into the host's /usr/src; the docs are not needed.
rm -rf "$tmp/h/lib" "$tmp/h/usr/share"

rm -rf "$DIR/build" "$DIR/headers"
mv "$tmp/h/usr" "$DIR/headers"
ln -s "headers/src/$hpkg" "$DIR/build"
# PACKAGES: the kernel's and busybox's lines, then the headers'.
grep -v '^linux-headers-\|^linux-kbuild-' "$DIR/PACKAGES" >"$tmp/packages" || true
for d in "$hdeb" "$cdeb" "$bdeb"; do
	dpkg-deb -f "$d" Package Version Architecture | paste -sd' ' |
		sed 's/Package: //; s/ Version: / /; s/ Architecture: / /'
done >>"$tmp/packages"
mv "$tmp/packages" "$DIR/PACKAGES"
headers_complete || die "the headers in $DIR/build are incomplete"

echo "fetch-linux: headers for $version in $DIR/build ($kbuild for $harch)"
sed 's/^/fetch-linux:   /' "$DIR/PACKAGES"
