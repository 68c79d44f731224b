#!/usr/bin/env bash
# Installs the real LSP clients the end-to-end tests in server/test/editors/ drive:
# Neovim (0.7 on Debian 12), Emacs without X and eglot. Idempotent: does nothing when all
# three are present. Needs root (or sudo) and apt; runs non-interactively.
# Usage: scripts/install-editors.sh
set -euo pipefail

have_all() {
	command -v nvim >/dev/null 2>&1 &&
		command -v emacs >/dev/null 2>&1 &&
		dpkg-query -W -f='${Status}' elpa-eglot 2>/dev/null | grep -q 'install ok installed'
}

if have_all; then
	echo "install-editors: nvim, emacs and eglot are already installed"
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "install-editors: needs root or sudo" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
PACKAGES=(neovim emacs-nox elpa-eglot)

# A fresh image has empty package lists: update first, and again if installing fails on
# stale lists.
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
	$SUDO apt-get update -q
fi
if ! $SUDO "${APT[@]}" install --no-install-recommends "${PACKAGES[@]}"; then
	$SUDO apt-get update -q
	$SUDO "${APT[@]}" install --no-install-recommends "${PACKAGES[@]}"
fi

have_all || { echo "install-editors: install finished but a client is still missing" >&2; exit 1; }
echo "install-editors: $(nvim --version | head -1); $(emacs --version | head -1); eglot $(dpkg-query -W -f='${Version}' elpa-eglot)"
