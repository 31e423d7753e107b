# SPDX-License-Identifier: MIT
# Shell functions (source this file) that write a boot bundle of several
# partitions (docs/config.md); tools/keel-run builds one-partition
# bundles itself.

# crc32 FILE: zlib's CRC-32 of FILE, in decimal (gzip's trailer holds it)
crc32() {
	gzip -c "$1" | tail -c 8 | od -An -tu4 -N4 | tr -d ' '
}

# partition_node NAME KERNEL [PROPERTY...]: one partition's node. A PROPERTY
# written @initrd=FILE or @dtb=FILE becomes that image with its CRC; any
# other is copied as it is ('memory-mib = <32>', 'keel,test-device').
partition_node() {
	local name=$1 kernel=$2 p
	shift 2
	printf '\t\t%s {\n\t\t\tkernel = /incbin/("%s");\n\t\t\tkernel-crc32 = <%s>;\n' \
		"$name" "$kernel" "$(crc32 "$kernel")"
	for p in "$@"; do
		case $p in
		@*=*)
			p=${p#@}
			printf '\t\t\t%s = /incbin/("%s");\n\t\t\t%s-crc32 = <%s>;\n' \
				"${p%%=*}" "${p#*=}" "${p%%=*}" "$(crc32 "${p#*=}")" ;;
		*) printf '\t\t\t%s;\n' "$p" ;;
		esac
	done
	printf '\t\t};\n'
}

# channel_node NAME A B [SIZE_KIB]: a channel between partitions A and B
# (docs/channels.md), for make_bundle.
channel_node() {
	printf '@chan\t\t%s {\n\t\t\tbetween = "%s", "%s";\n\t\t\tsize-kib = <%s>;\n\t\t};\n' \
		"$1" "$2" "$3" "${4:-4}"
}

# make_bundle OUT NODE_TEXT...: compile a bundle from partition_node and
# channel_node outputs (the source is kept next to it as OUT with .dts).
# BUNDLE_ROOT (optional) is copied into the root node ('keel,console-colour;').
make_bundle() {
	local out=$1 n chans=()
	shift
	{
		printf '/dts-v1/;\n/ {\n\tcompatible = "keel,bundle-v1";\n%s\tpartitions {\n' \
			"${BUNDLE_ROOT:+	$BUNDLE_ROOT
}"
		for n in "$@"; do
			case $n in
			@chan*) chans+=("${n#@chan}") ;;
			*) printf '%s' "$n" ;;
			esac
		done
		printf '\t};\n'
		if [ ${#chans[@]} -gt 0 ]; then
			printf '\tchannels {\n'
			printf '%s' "${chans[@]}"
			printf '\t};\n'
		fi
		printf '};\n'
	} >"${out%.dtb}.dts"
	dtc -q -I dts -O dtb -o "$out" "${out%.dtb}.dts"
}
