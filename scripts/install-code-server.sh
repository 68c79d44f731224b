#!/usr/bin/env bash
# Installs a real VS Code for the extension's end-to-end tests (client/test/): code-server
# 4.100.3 (= VS Code 1.100.3, the last release that runs on Node 20) from the npm registry,
# plus Debian's Chromium to drive its web UI. Nothing is downloaded at test time.
#
# The install is cached outside the repository, in $KMM_CODE_SERVER_DIR (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/kmm/code-server-4.100.3); a second run does nothing.
# Prints the code-server binary's path as its last line.
#
# Needs apt (root or sudo) for: build-essential python3 libkrb5-dev ripgrep chromium.
# code-server's own postinstall would download ripgrep from the internet: it is denied and
# its steps are done here, with Debian's rg.
set -euo pipefail

VERSION=4.100.3
DEST=${KMM_CODE_SERVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kmm/code-server-$VERSION}
BIN=$DEST/node_modules/.bin/code-server
MARKER=$DEST/.kmm-installed

SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
APT_PACKAGES=(build-essential python3 libkrb5-dev ripgrep chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-code-server: apt-get install ${missing[*]}" >&2
	if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' || true)" ]; then
		$SUDO apt-get update -q >&2
	fi
	if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
		$SUDO apt-get update -q >&2
		$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
	fi
fi

if [ -f "$MARKER" ] && [ -x "$BIN" ]; then
	echo "install-code-server: code-server $VERSION already installed" >&2
	echo "$BIN"
	exit 0
fi

echo "install-code-server: installing code-server $VERSION into $DEST (1-3 minutes)" >&2
rm -rf "$DEST"
mkdir -p "$DEST"
cd "$DEST"
cat > package.json <<'JSON'
{ "name": "code-server-host", "private": true, "version": "0.0.0",
  "allowScripts": { "argon2": true, "code-server": false } }
JSON
{
	npm install "code-server@$VERSION" --no-audit --no-fund
	cd node_modules/code-server/lib/vscode
	npm install --omit=dev --ignore-scripts --no-audit --no-fund
	mkdir -p node_modules/@vscode/ripgrep/bin
	ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
	# Native modules (spdlog, node-pty, kerberos, watcher...) build against the local Node.
	npm_config_dangerously_allow_all_scripts=true npm_config_yes=true npm rebuild
	ln -sfn node_modules node_modules.asar
	(cd bin/remote-cli && ln -sf code-linux.sh code-server)
	(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
	(cd extensions && npm install --omit=dev --no-audit --no-fund)
} >&2
"$BIN" --version >&2
touch "$MARKER"
echo "$BIN"
