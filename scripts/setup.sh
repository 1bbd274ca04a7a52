#!/usr/bin/env bash
# Sets up a fresh machine of this kind (Debian, Node 20, Python 3.11): the Debian packages the
# tests need (listed one per line in .ci/apt-*.txt), the npm tree from the lock file, and the
# pinned Python packages of the runtime library's tests and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in $(cat .ci/apt-*.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | sort -u); do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

npm ci --no-fund --no-audit
if [ -f runtime/python/requirements-dev.txt ]; then
  python3 -m pip install -q --disable-pip-version-check -r runtime/python/requirements-dev.txt
fi
