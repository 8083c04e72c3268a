#!/usr/bin/env bash
# The benchmark suite behind `make bench` (DESIGN §6): starts an OCI core and
# edges on loopback ports it picks, loads them, runs every ocibench scenario
# against them (each figure back to back with its baseline), runs the hit-path
# Go benchmark, and writes BENCHMARKS.md from the JSON reports.
#
#   make build && ./scripts/bench.sh        (what `make bench` does)
#
# Environment:
#   OUT=FILE      the table (default BENCHMARKS.md)
#   KEEP=1        keep the work directory (data, logs, JSON reports)
#   QUICK=1       shorter runs, fewer rounds (a smoke test, not a measurement)
#   WRK=PATH      wrk for the cross-check (default: wrk on the PATH)
#   PROFILE=1     afterwards, CPU-profile the Go benchmark behind each figure
#                 (top of each profile in $WORK/profiles/; implies KEEP=1)
#
# Processes: the script owns the core and the edges (their ids are in
# $WORK/*.pid) and stops them on exit, failure or Ctrl-C. The outage scenario
# kills the core and starts it again itself (ocibench --core-pid-file, which
# it rewrites with the new id, and --core-cmd), so the cleanup stops the
# restarted core too. Every ocibench call runs under `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=bin
OUT=${OUT:-BENCHMARKS.md}
WRK=${WRK:-wrk}
ADMIN=bench-admin
ORG=f_ecom_zzzz_001

for b in ocicore ociedge ocibench; do
  [ -x "$BIN/$b" ] || { echo "bench: $BIN/$b is missing: run make build" >&2; exit 2; }
done
command -v curl >/dev/null || { echo "bench: curl is needed" >&2; exit 2; }
command -v "$WRK" >/dev/null || echo "bench: $WRK not found: the cross-check is skipped (apt-get install wrk)" >&2

# Durations. DESIGN §6: a noisy 2-core machine; short rounds, medians.
if [ "${QUICK:-0}" = 1 ]; then
  ROUNDS=1 D=1s W=0s BD=1s FRESH_D=3s OUTAGE_D=6s FILL_RECORDS=200000 CROUNDS=1 CD=1s
else
  ROUNDS=3 D=3s W=1s BD=3s FRESH_D=10s OUTAGE_D=12s FILL_RECORDS=1000000 CROUNDS=5 CD=2s
fi

mkdir -p tmp
WORK=$(mktemp -d "$PWD/tmp/bench.XXXXXX") # on the repository's disk: fsync is real there
START=$SECONDS
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
log() { printf 'bench [%3ds] %s\n' $((SECONDS - START)) "$*" >&2; }

NAME=bench
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for f in "$WORK"/*.pid; do [ -e "$f" ] && stop_pidfile "$f"; done
  if [ "${KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
    echo "bench: work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# set_mode EDGE MODE: asks the edge's admin API for MODE; prints the status code.
set_mode() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d "{\"mode\":\"$2\"}" "$1/admin/api/oci/mode"
}

# run_bench LABEL SECONDS ARGS...: one ocibench scenario, bounded, its JSON
# report to $WORK/LABEL.json; a failure is logged and the suite goes on.
REPORTS=()
run_bench() {
  local label=$1 limit=$2
  shift 2
  log "$label: ocibench $*"
  if timeout --kill-after=10 "$limit" "$BIN/ocibench" "$@" --json "$WORK/$label.json" >"$WORK/$label.txt" 2>"$WORK/$label.log"; then
    REPORTS+=("$label=$WORK/$label.json")
  elif [ -s "$WORK/$label.json" ]; then
    REPORTS+=("$label=$WORK/$label.json") # a failed check: the report says which
    log "$label: a check failed (see $label.txt)"
  else
    log "$label: failed:"; tail -5 "$WORK/$label.log" >&2
  fi
  grep -E '^  [a-zA-Z].*(ratio|bound|\[)' "$WORK/$label.txt" >&2 || true
}

# --- the hit path's allocations (Go benchmark; compiles the proxy tests) ---
log "go benchmark: BenchmarkAvailabilityHit1 (allocations on the hit path)"
if ! timeout 300 go test -run '^$' -bench '^BenchmarkAvailabilityHit(1|24)$' -benchmem -benchtime 200000x -count 1 ./proxy/ >"$WORK/gobench.txt" 2>&1; then
  log "go benchmark failed:"; tail -5 "$WORK/gobench.txt" >&2
fi
grep '^Benchmark' "$WORK/gobench.txt" >&2 || true

# --- the core, with the demo's graph and a bulk location for the fill ---
free_port CORE_PORT; free_port EDGE_PORT; free_port FILL_PORT
CORE=http://127.0.0.1:$CORE_PORT EDGE=http://127.0.0.1:$EDGE_PORT FILL=http://127.0.0.1:$FILL_PORT
cat >"$WORK/graph.json" <<EOF
{"locations":[{"id":"wh-east","type":"Warehouse"},{"id":"wh-west","type":"Warehouse"},
  {"id":"store-phoenix","type":"Store"},{"id":"store-austin","type":"Store"},{"id":"store-seattle","type":"Store"},
  {"id":"bulk","type":"Warehouse"}],
 "groups":[{"id":"online-us","locations":["wh-east","wh-west"]}]}
EOF
CORE_CMD="$BIN/ocicore --addr 127.0.0.1:$CORE_PORT --data $WORK/core --graph $WORK/graph.json --dev-client dev:dev-secret"
log "core on $CORE"
$CORE_CMD >>"$WORK/core.log" 2>&1 &
echo $! >"$WORK/core.pid"
disown # the outage kills it: no job notice; the cleanup stops it by its pid file
wait_http "$CORE/readyz" 30

# The demo's shape: skus sku-000001…sku-010000 at both warehouses and the
# three stores, with stock enough for every reservation the suite makes.
log "load: 10,000 skus at 5 locations"
timeout 120 $BIN/ocibench core-import --target "$CORE" --locations wh-east,wh-west,store-phoenix,store-austin,store-seattle \
  --skus 10000 --records 50000 --on-hand 1000000 --no-baselines --quiet >"$WORK/load.txt"

# --- the edge, configured for the demo's lists, walked to OCI mode ---
write_edge_config "$WORK/edge.yaml" "$ORG" "$CORE" "$ADMIN"
log "edge on $EDGE"
$BIN/ociedge --addr "127.0.0.1:$EDGE_PORT" --data "$WORK/edge" --config "$WORK/edge.yaml" >"$WORK/edge.log" 2>&1 &
echo $! >"$WORK/edge.pid"
disown
wait_http "$EDGE/healthz" 30
[ "$(set_mode "$EDGE" OCI_CACHE_ENABLED)" = 200 ] || { echo "bench: the edge refused OCI_CACHE_ENABLED" >&2; exit 1; }
deadline=$((SECONDS + 60))
until [ "$(set_mode "$EDGE" OMNICHANNEL_INVENTORY)" = 200 ]; do
  [ $SECONDS -lt $deadline ] || { echo "bench: the edge did not reach OMNICHANNEL_INVENTORY" >&2; exit 1; }
  sleep 0.2
done
EDGE_PID=$(cat "$WORK/edge.pid")

# --- storefront lookups: the cross-check, then the figures ---
if command -v "$WRK" >/dev/null; then
  run_bench crosscheck 120 crosscheck --target "$EDGE" --connections 64 --duration "$CD" --rounds "$CROUNDS" \
    --lookup-sizes 1 --wrk "$WRK"
  run_bench crosscheck-24 120 crosscheck --target "$EDGE" --connections 64 --duration "$CD" --rounds "$CROUNDS" \
    --lookup-sizes 24 --wrk "$WRK"
fi
run_bench browse-1 180 browse --target "$EDGE" --closed --connections 64 --lookup-sizes 1 --lists site \
  --duration "$D" --warmup "$W" --baseline-duration "$BD" --rounds "$ROUNDS" --half-max --edge-pid "$EDGE_PID"
run_bench browse-24 180 browse --target "$EDGE" --closed --connections 64 --lookup-sizes 24 --lists site \
  --duration "$D" --warmup "$W" --baseline-duration "$BD" --rounds "$ROUNDS" --edge-pid "$EDGE_PID"

# --- freshness: 1,000 changes/s at the core, watched at the edge ---
run_bench freshness 120 freshness --target "$EDGE" --core "$CORE" --rate 1000 --duration "$FRESH_D" --warmup 2s \
  --fresh-list store-seattle

# --- orders through the edge (OCI mode: each reserves at the core) ---
run_bench checkout 180 checkout --target "$EDGE" --closed --connections 64 --no-basket-reserve \
  --duration "$D" --warmup "$W" --baseline-duration "$BD" --rounds "$ROUNDS"
run_bench flashsale 120 flashsale --target "$EDGE" --core "$CORE" --closed --connections 64 \
  --flash-sku flash-000001 --stock 100 --duration "$D" --warmup 0s --baseline-duration 1s

# --- reservations at the core, 64 clients, against one writer's fsync ---
run_bench core-reserve 180 core-reserve --target "$CORE" --groups online-us --closed --connections 64 --zipf 0 \
  --duration "$D" --warmup "$W" --rounds "$ROUNDS" --fsync-dir "$WORK" --fsync-duration 1s

# --- the core stopped mid-run: lookups from cache, orders 503, recovery ---
run_bench outage 150 outage --target "$EDGE" --core "$CORE" --rate 500 --connections 64 --duration "$OUTAGE_D" \
  --warmup 2s --no-basket-reserve --core-pid-file "$WORK/core.pid" --core-cmd "$CORE_CMD" --core-log "$WORK/core.log" \
  --admin-token "$ADMIN"
wait_http "$CORE/readyz" 60
stop_pidfile "$WORK/edge.pid" # the imports and the fill measure the core and a new edge alone

# --- import: NDJSON files into the core (the fill's 1,000,000 records) ---
run_bench core-import 240 core-import --target "$CORE" --locations bulk --skus "$FILL_RECORDS" \
  --records $((FILL_RECORDS / 2)) --rounds 2 --fsync-dir "$WORK" --fsync-duration 1s

# --- cache fill and memory: a fresh edge whose one list is the bulk location ---
cat >"$WORK/fill.yaml" <<EOF
organizationId: $ORG
core: {url: "$CORE", tenantGroupId: tenant1, clientId: dev, clientSecret: dev-secret}
admin: {token: $ADMIN}
sites:
  - {id: RefArch, inventoryList: bulk}
inventoryLists:
  - {id: bulk}
EOF
log "fill edge on $FILL"
$BIN/ociedge --addr "127.0.0.1:$FILL_PORT" --data "$WORK/fill" --config "$WORK/fill.yaml" >"$WORK/fill.log" 2>&1 &
echo $! >"$WORK/fill.pid"
disown
wait_http "$FILL/healthz" 30
run_bench fill 360 fill --target "$FILL" --admin-token "$ADMIN" --records "$FILL_RECORDS" --fill-list bulk \
  --edge-pid "$(cat "$WORK/fill.pid")"
stop_pidfile "$WORK/fill.pid"

# --- the table ---
NOTE="Each server ran as its own process on loopback, sharing the machine's cores with the load tool (ocibench: Go, its own keep-alive HTTP/1.1 client)"
NOTE="$NOTE; the bare fixed-JSON baseline server ran as its own process too (ocibench baseline-server)."
$BIN/ocibench table --out "$OUT" --gobench "$WORK/gobench.txt" --command "make build && make bench" --note "$NOTE" \
  --note "Total wall time of this run: $((SECONDS - START)) s; load average (1, 5, 15 min) at the start $LOAD0, at the end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown): other work on the machine shares its cores and moves every figure." \
  "${REPORTS[@]}"
log "wrote $OUT in $((SECONDS - START))s"

# --- optional: where the time goes, from the Go benchmark behind each figure ---
# (no pprof endpoint in the servers: each package's own benchmark, profiled)
profile() {
  local name=$1 pkg=$2 bench=$3 times=$4
  shift 4
  log "profile $name: go test -bench '$bench' $pkg"
  if timeout 600 go test -run '^$' -bench "$bench" -benchtime "$times" -count 1 -benchmem \
    -cpuprofile "$WORK/profiles/$name.cpu" -o "$WORK/profiles/$name.test" "$@" "$pkg" >"$WORK/profiles/$name.bench" 2>&1; then
    go tool pprof -top -nodecount=25 "$WORK/profiles/$name.test" "$WORK/profiles/$name.cpu" >"$WORK/profiles/$name.txt" 2>/dev/null || true
  fi
}
if [ "${PROFILE:-0}" = 1 ]; then
  KEEP=1
  mkdir -p "$WORK/profiles"
  profile lookup ./proxy/ '^BenchmarkAvailabilityHit(1|24)$' 3s
  profile orders ./proxy/orders/ 'CreateOrder/clients=64/basketReserved=false' 20000x \
    -blockprofile "$WORK/profiles/orders.block"
  profile reservations ./oci/ 'DurableReservations/writers=64' 20000x
  profile import ./oci/impex/ '^BenchmarkImport$' 1x
  profile memory ./cache/ 'MemoryPerRecord' 1x
  profile freshness ./cache/ 'Freshness' 3000x
  log "profiles in $WORK/profiles (go tool pprof -top FILE.test FILE.cpu)"
fi
