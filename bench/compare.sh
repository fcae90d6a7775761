#!/usr/bin/env bash
# Compares this checkout's Release build with another commit's, scenario by scenario, in
# alternating pairs: pair 1 runs this checkout first, pair 2 the other commit first, and so on.
# On these shared machines the second server of a back-to-back pair has run 5-10 % faster
# whatever it was, so a pair always in the same order measures the order
# (docs/benchmarks.md, "Machine and run").
#
#   bench/compare.sh <commit> "<scenarios>" [pairs] [driver options...]
#   bench/compare.sh dd2f2fa "ceiling issue" 4
#
# The other commit is checked out into a temporary worktree and built there; each run's
# figures go to a JSON file under bench-results/ and one summary line per run is printed.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: bench/compare.sh <commit> \"<scenarios>\" [pairs] [driver options...]" >&2
  exit 2
fi

base_commit=$1
scenarios=$2
pairs=${3:-4}
shift $(( $# < 3 ? $# : 3 ))
if ! [[ $pairs =~ ^[1-9][0-9]*$ ]]; then
  echo "pairs must be a positive whole number, not '$pairs'" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
base_sha=$(git rev-parse --verify --quiet "$base_commit^{commit}") || { echo "no such commit: $base_commit" >&2; exit 2; }
head_sha=$(git rev-parse --short HEAD)

worktree=$(mktemp -d -t guichet-compare-XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$worktree" >/dev/null 2>&1 || true; rm -rf "$worktree"; }
trap cleanup EXIT

echo "building this checkout ($head_sha) and $base_commit in $worktree"
# Quiet builds still print their errors; set -e stops at the first that fails.
dotnet build Guichet.slnx -c Release -nologo -v quiet
git worktree add --detach --force "$worktree" "$base_sha" >/dev/null 2>&1
dotnet build "$worktree/src/Guichet" -c Release -nologo -v quiet

driver=bench/Guichet.LoadDriver/bin/Release/net10.0/guichet-load.dll
base_server=$worktree/src/Guichet/bin/Release/net10.0/guichet.dll
results=bench-results/compare-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"

run() {
  local label=$1 pair=$2 server_args=()
  shift 2
  [[ $label == base ]] && server_args=(--server "$base_server")
  local out=$results/$pair-$label.json
  dotnet "$driver" $scenarios --seconds 20 --json "$out" "${server_args[@]}" "$@" >"$results/$pair-$label.txt" 2>&1
  printf '%s %-4s %s\n' "$pair" "$label" "$(grep -E 'throughput|CPU per|p99 |duplicates |lost |peak while|ratio' "$results/$pair-$label.txt" | sed 's/│//g;s/  */ /g' | tr '\n' ';')"
}

for pair in $(seq 1 "$pairs"); do
  if (( pair % 2 == 1 )); then order=(new base); else order=(base new); fi
  for label in "${order[@]}"; do
    run "$label" "$pair" "$@"
  done
done
echo "new = $head_sha, base = $base_commit; full output and JSON in $results"
