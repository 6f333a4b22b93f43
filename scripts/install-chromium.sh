#!/usr/bin/env bash
# The browser the Web UI test (test/integration/web-ui.test.ts) drives through playwright-core: Debian's chromium.
# Idempotent: does nothing when /usr/bin/chromium is there. Needs root (or sudo) and the Debian package mirrors.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: /usr/bin/chromium already installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown')), nothing to do"
  exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "install-chromium: installed Debian's chromium at /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
