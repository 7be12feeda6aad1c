#!/usr/bin/env bash
# Browser for the end-to-end tests (tests/e2e): Debian's Chromium, its driver and a colour-emoji font
# (the app's icons), installed with apt-get when missing. Playwright's own browsers are never downloaded.
#
# Never fails the caller: when a package cannot be installed (not root, no apt-get, no network) it says
# so and exits 0, and the e2e tests skip themselves (they look for /usr/bin/chromium).
set -uo pipefail

PACKAGES=(chromium chromium-driver fonts-noto-color-emoji)
log() { echo "e2e_setup.sh: $*"; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for pkg in "${PACKAGES[@]}"; do
  if command -v dpkg-query >/dev/null 2>&1 && installed "$pkg"; then
    log "$pkg already installed ($(dpkg-query -W -f='${Version}' "$pkg"))"
  else
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  log "nothing to install"
elif [ "$(id -u)" -ne 0 ]; then
  log "missing: ${missing[*]}; not root, so not installing them"
elif ! command -v apt-get >/dev/null 2>&1; then
  log "missing: ${missing[*]}; no apt-get on this machine"
else
  log "installing with apt-get: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    log "installed: ${missing[*]}"
  else
    log "apt-get failed for: ${missing[*]}"
  fi
fi

if [ -x /usr/bin/chromium ]; then
  log "browser: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
else
  log "no /usr/bin/chromium: the e2e tests will skip"
fi
exit 0
