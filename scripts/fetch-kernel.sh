#!/usr/bin/env bash
# Fetches the real Linux 6.1 tree that server/test/real/*.test.ts check against: Debian's
# linux-source-6.1 (unpacked to a kernel tree), the amd64 headers whose Module.symvers
# modpost wrote for that same build, and the amd64 image with that build's .ko files. Everything lands in a cache outside the repository
# (kernel source must never be copied into the project). Downloads with `apt-get download`
# only: nothing is installed. Idempotent: a stamp per part marks a finished extraction.
#
# Usage: scripts/fetch-kernel.sh        (then, e.g.: eval "$(scripts/fetch-kernel.sh)")
# Env:   KMM_KERNEL_CACHE  cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/kmm/kernels)
# Stdout: KMM_LINUX_SRC=..., KMM_SYMVERS=... and KMM_MODULES=... lines; progress and timings go to stderr.
set -euo pipefail

VERSION=6.1.192-2
ABI=6.1.0-56
FLAVOUR=amd64
CACHE=${KMM_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kmm/kernels}
DEBS=$CACHE/debs
STAMPS=$CACHE/stamps
SRC=$CACHE/linux-source-6.1
HEADERS=$CACHE/linux-headers-$ABI
SYMVERS=$HEADERS/usr/src/linux-headers-$ABI-$FLAVOUR/Module.symvers
IMAGE=$CACHE/linux-image-$ABI-$FLAVOUR
MODULES=$IMAGE/lib/modules/$ABI-$FLAVOUR/kernel

log() { printf 'fetch-kernel: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian-based system"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
mkdir -p "$DEBS" "$STAMPS"

# Whether apt offers package $1 at $VERSION.
has_version() {
	apt-cache madison "$1" 2>/dev/null | awk -F'|' -v v="$VERSION" '{ gsub(/ /, "", $2) } $2 == v { found = 1 } END { exit !found }'
}

# Downloads package $1 into $DEBS at $VERSION, else at apt's candidate version (said loudly,
# since Debian's security archive drops superseded versions). Prints the .deb path.
download() {
	local pkg=$1 deb
	deb=$(ls "$DEBS/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
	if [[ -n $deb ]]; then
		printf '%s\n' "$deb"
		return
	fi
	local version=$VERSION t0
	# A fresh machine's package lists are empty or stale: refresh them once before settling
	# for another version (only root may; others get the fallback and the warning).
	if ! has_version "$pkg" && [[ $(id -u) == 0 && -z ${APT_UPDATED:-} ]]; then
		log "apt does not know $pkg=$VERSION: apt-get update"
		apt-get update -q >&2 || log "apt-get update failed; going on with the lists apt has"
		APT_UPDATED=1
	fi
	if ! has_version "$pkg"; then
		version=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
		if [[ -z $version || $version == '(none)' ]]; then
			die "apt knows no package $pkg. Is a Debian bookworm(-security) source configured? Run 'apt-get update' and retry."
		fi
		log "WARNING: $pkg=$VERSION is no longer in the archive; using the candidate version $version instead"
	fi
	t0=$(now)
	(cd "$DEBS" && apt-get download -q "$pkg=$version" >&2) ||
		die "apt-get download $pkg=$version failed: the Debian mirror cannot be reached (check the network or run 'apt-get update')"
	deb=$(ls "$DEBS/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
	[[ -n $deb ]] || die "apt-get download $pkg reported success but left no .deb in $DEBS"
	log "downloaded $(basename "$deb") ($(du -h "$deb" | cut -f1)) in $(elapsed "$t0")"
	printf '%s\n' "$deb"
}

# Runs "$2..." to fill directory $1 from scratch (a half-finished one, without its stamp, is
# removed first) and times it.
extract() {
	local dir=$1 t0
	shift
	rm -rf "$dir"
	t0=$(now)
	"$@"
	log "$(basename "$dir"): extracted in $(elapsed "$t0")"
}

unpack_source() {
	local deb=$1 tmp
	tmp=$(mktemp -d "$CACHE/.source.XXXXXX")
	dpkg-deb -x "$deb" "$tmp"
	local tarball=$tmp/usr/src/linux-source-6.1.tar.xz
	[[ -f $tarball ]] || die "$(basename "$deb") has no usr/src/linux-source-6.1.tar.xz"
	tar -xJf "$tarball" -C "$CACHE"
	rm -rf "$tmp"
	[[ -f $SRC/Makefile && -d $SRC/include/linux ]] || die "$tarball did not unpack to a kernel tree at $SRC"
	basename "$deb" >"$STAMPS/$(basename "$SRC")"
}

unpack_headers() {
	local deb
	mkdir -p "$HEADERS"
	for deb in "$@"; do dpkg-deb -x "$deb" "$HEADERS"; done
	[[ -f $SYMVERS ]] || die "no Module.symvers at $SYMVERS after extracting $*"
	printf '%s\n' "${@##*/}" >"$STAMPS/$(basename "$HEADERS")"
}

unpack_image() {
	mkdir -p "$IMAGE"
	dpkg-deb -x "$1" "$IMAGE"
	[[ -d $MODULES ]] || die "no $MODULES after extracting $(basename "$1")"
	basename "$1" >"$STAMPS/$(basename "$IMAGE")"
}

# Prints whether part $1 (a directory with a stamp) still needs extracting.
pending() {
	local stamp=$STAMPS/$(basename "$1")
	if [[ -f $stamp && -d $1 ]]; then
		log "$(basename "$1"): already extracted ($(tr '\n' ' ' <"$stamp"))"
		return 1
	fi
}

T0=$(now)
if pending "$SRC"; then
	SOURCE_DEB=$(download linux-source-6.1)
	extract "$SRC" unpack_source "$SOURCE_DEB"
fi
if pending "$HEADERS"; then
	# Module.symvers is in the flavour package; the common one holds the headers it links to.
	FLAVOUR_DEB=$(download "linux-headers-$ABI-$FLAVOUR")
	COMMON_DEB=$(download "linux-headers-$ABI-common")
	extract "$HEADERS" unpack_headers "$FLAVOUR_DEB" "$COMMON_DEB"
fi
if pending "$IMAGE"; then
	# The .ko files of the same build, whose .modinfo names each module and its license.
	IMAGE_DEB=$(download "linux-image-$ABI-$FLAVOUR")
	extract "$IMAGE" unpack_image "$IMAGE_DEB"
fi
log "done in $(elapsed "$T0")"

printf 'KMM_LINUX_SRC=%s\n' "$SRC"
printf 'KMM_SYMVERS=%s\n' "$SYMVERS"
printf 'KMM_MODULES=%s\n' "$MODULES"
