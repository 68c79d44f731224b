#!/usr/bin/env bash
# Installs what the real-modpost differential test (server/test/real/modpost.test.ts) builds
# with: Debian's linux-headers-6.1.0-56-amd64 (kbuild, the 6.1.192 modpost and the
# Module.symvers of Debian's whole amd64 build) plus the toolchain those headers expect
# (gcc-12, make, ...). Needs root and a Debian bookworm(-security) apt source. Idempotent:
# installs nothing when everything is present, runs `apt-get update` only when apt does not
# know the package yet.
#
# Usage: sudo scripts/install-headers.sh
#        sudo KMM_HEADERS_PKG=linux-headers-6.12.117+deb12-amd64 scripts/install-headers.sh
#          (the newer kernel server/test/real/migrate.test.ts also builds migrated drivers
#          with: 6.12.117-1~deb12u1 from bookworm-security; it brings its own linux-kbuild and,
#          as Debian's 6.12 headers depend on it, the matching linux-image and pahole)
# Env:   KMM_HEADERS_PKG   package to install (default linux-headers-6.1.0-56-amd64)
# Stdout: the headers directory, e.g. /usr/src/linux-headers-6.1.0-56-amd64 (progress → stderr).
set -euo pipefail

PKG=${KMM_HEADERS_PKG:-linux-headers-6.1.0-56-amd64}
DIR=/usr/src/$PKG
# gcc-12 is the compiler Debian built 6.1 and bookworm's 6.12 with (their kbuild calls
# x86_64-linux-gnu-gcc-12, as CONFIG_CC_VERSION_TEXT says); the
# headers package ships scripts/ prebuilt, so M= builds need no libelf-dev, flex or bison.
TOOLS=(gcc-12 make libc6-dev binutils kmod)

log() { printf 'install-headers: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v apt-get >/dev/null || die "apt-get not found: this script needs Debian (bookworm)"
installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

missing=()
for p in "$PKG" "${TOOLS[@]}"; do
	installed "$p" || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
	[[ $(id -u) -eq 0 ]] || die "must run as root to install: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	candidate=$(apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if [[ -z $candidate || $candidate == '(none)' ]]; then
		log "apt does not know $PKG yet: apt-get update"
		apt-get update -q >&2
	fi
	log "installing ${missing[*]}"
	t0=$(date +%s)
	apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install ${missing[*]} failed (is a bookworm-security mirror configured and reachable?)"
	log "installed in $(($(date +%s) - t0))s"
else
	log "$PKG and the toolchain are already installed"
fi

[[ -f $DIR/Makefile && -f $DIR/Module.symvers && -x $DIR/scripts/mod/modpost ]] ||
	die "$DIR is incomplete after installing $PKG (no Makefile, Module.symvers or scripts/mod/modpost)"
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$DIR/.config" 2>/dev/null || true)
[[ -n $cc ]] && log "the headers were built with: $cc"
printf '%s\n' "$DIR"
