#!/usr/bin/env bash
# Runs before `npm test`: the dashboard tests drive a real Chromium (Debian's package, launched by
# playwright-core), which a fresh machine does not have. Install it when we may (root, or sudo without a
# password); otherwise say in one line what to run.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "The dashboard tests need Debian's chromium: run 'sudo apt-get install -y chromium', then npm test again." >&2
  exit 1
fi
echo "Installing Debian's chromium for the dashboard tests (once)..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
