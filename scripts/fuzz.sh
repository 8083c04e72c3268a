#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time (default 3s),
# from its committed seed corpus. Targets are found by name (func FuzzXxx),
# so a new one is picked up by itself.
#
# Go's fuzzer sometimes ends a time-bounded run with "context deadline
# exceeded" when a worker is busy at the deadline on a loaded machine; that
# is not a finding (no failing input is written), so such a run is retried
# once. A real finding prints "Failing input written to" and fails at once.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:-3s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { go test -run='^$' -fuzz="^${2}\$" -fuzztime="$t" "$1" >"$log" 2>&1; }
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg="./$(dirname "${f#./}")"
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r name; do
    echo "fuzz $pkg $name ($t)"
    if run "$pkg" "$name"; then continue; fi
    if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written to' "$log"; then
      echo "  (deadline flake, not a finding: retrying once)"
      run "$pkg" "$name" && continue
    fi
    cat "$log"
    exit 1
  done
done
