#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when they are missing.
#   chromium   — browser tests (Playwright drives Debian's Chromium; no browser download)
#   softhsm2   — the PKCS#11 key provider's tests run against a private SoftHSM token
#   postgresql — storage tests against a private PostgreSQL instance on 127.0.0.1
set -euo pipefail

wanted=(chromium softhsm2 postgresql fonts-dejavu-core)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing test dependencies: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
