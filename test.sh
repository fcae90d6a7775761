#!/usr/bin/env bash
# Runs every test of Guichet. On a fresh Debian machine with the .NET 10 SDK it first
# installs what the tests need and is missing (chromium for browser tests, softhsm2 for the
# PKCS#11 key provider, postgresql for the PostgreSQL storage tests).
set -euo pipefail
cd "$(dirname "$0")"

bash scripts/install-test-dependencies.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

echo "== build"
dotnet build Guichet.slnx -c Release -nologo -v quiet

echo "== format check"
dotnet format Guichet.slnx --verify-no-changes --no-restore -v quiet

echo "== tests"
results="$(mktemp -d)"
status=0
dotnet test Guichet.slnx -c Release --no-build --logger "trx" --results-directory "$results" "$@" || status=$?

# One closing line for the whole run, summed over every test project's results file.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
