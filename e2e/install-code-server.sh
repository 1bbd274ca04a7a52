#!/usr/bin/env bash
# Installs code-server 4.100.3 (= VS Code 1.100.3) and Debian's Chromium for the end-to-end test,
# following /work/shared/recipes/real-vscode.md step by step. The install is cached in
# ${LOGFUNNEL_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/logfunnel-e2e} and reused when complete
# (a marker file is written only after the final check passes), so CI pays ~2 minutes once.
# Prints the path of code-server's entry.js on its last line.
set -euo pipefail

VERSION=4.100.3
CACHE="${LOGFUNNEL_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/logfunnel-e2e}"
DIR="$CACHE/code-server-$VERSION"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
MARKER="$DIR/.installed"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  # Step 1: libkrb5-dev for the kerberos native module, ripgrep for @vscode/ripgrep, chromium.
  echo "installing Debian packages: ${need_apt[*]}" >&2
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_apt[@]}" >&2
fi

if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"logfunnel-e2e-code-server","private":true}' > package.json

# Step 2: 4.101+ need Node 22; the postinstall refuses root without --unsafe-perm.
npm install --no-audit --no-fund --unsafe-perm --ignore-scripts "code-server@$VERSION" >&2

cd node_modules/code-server/lib/vscode
# Step 3.
npm install --no-audit --no-fund --unsafe-perm --omit=dev --ignore-scripts >&2
# Step 4: @vscode/ripgrep's postinstall downloads a binary; an existing bin/ makes it skip.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# Step 5: native modules (node-pty, spdlog, watcher, kerberos ...).
npm_config_yes=true npm rebuild >&2
# Step 6: the rest of code-server's postinstall.sh.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --no-audit --no-fund --unsafe-perm --omit=dev >&2)

cd "$DIR"
# Step 7.
npm_config_yes=true npm rebuild argon2 >&2

# Step 8.
version_line="$(node "$ENTRY" --version)"
echo "$version_line" >&2
case "$version_line" in
  *"$VERSION"*"Code 1.100.3"*) ;;
  *) echo "unexpected code-server version: $version_line" >&2; exit 1 ;;
esac
touch "$MARKER"
echo "$ENTRY"
