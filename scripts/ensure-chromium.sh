#!/usr/bin/env bash
# The browser tests (test/browser/) drive Debian's Chromium through playwright-core; this
# installs it when it is missing, with a Japanese font so that the wallet's Japanese text
# and the yen sign render (and appear in docs/screenshots/) as glyphs, not empty boxes.
# Idempotent: nothing is fetched when both are already there.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "ensure-chromium: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
chromium --version
