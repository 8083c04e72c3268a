#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time (default 3s).
# Targets are found by name (func FuzzXxx) so a new one is picked up by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:-3s}
grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
  pkg="./$(dirname "${f#./}")"
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //' | while read -r name; do
    echo "fuzz $pkg $name ($t)"
    go test -run='^$' -fuzz="^${name}\$" -fuzztime="$t" "$pkg" >/tmp/fuzz.$$.log 2>&1 || { cat /tmp/fuzz.$$.log; exit 1; }
  done
done
