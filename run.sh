#!/usr/bin/env bash
# Runs Guichet with a demo branch on https://localhost:5443, data in ./data.
# Any extra arguments go to `guichet serve` (e.g. --data-dir, --urls, --tls-cert).
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project src/Guichet -c Release -- serve --demo "$@"
