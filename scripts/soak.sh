#!/usr/bin/env bash
# The soak behind `make soak` (not part of `make test`): an OCI core and an
# edge as processes on loopback ports, the demo's lists and stock, then
# minutes of mixed load — storefront lookups, checkouts and availability
# imports at the core — while the location graph changes (admin PUT on the
# core) and the edge is restarted (SIGTERM, started again on the same data).
# Afterwards three checks must report nothing:
#   - the core's invariant check (no violation, nothing overcommitted),
#   - `ociedge check-cache` (the cache holds what the core holds),
#   - `ociedge reconcile` (the edge's reservations are the core's).
# It prints a short summary and exits 0 only if all three are clean.
#
#   make build && ./scripts/soak.sh        (what `make soak` does)
#
# Environment:
#   DURATION=120      seconds of mixed load
#   BROWSE_RATE=300   Shopper Availability lookups/s
#   CHECKOUT_RATE=20  checkouts/s (basket → reserve → order → place or fail)
#   KEEP=1            keep the work directory (data, logs, reports); it is
#                     kept anyway when the soak fails
#
# Processes: the script owns the core, the edge, the load generators and the
# import loop (their ids are in $WORK/*.pid) and stops them, by id, on exit,
# failure or Ctrl-C. Every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=bin
ADMIN=soak-admin
ORG=f_ecom_zzzz_001
TENANT=tenant1
DURATION=${DURATION:-120}
BROWSE_RATE=${BROWSE_RATE:-300}
CHECKOUT_RATE=${CHECKOUT_RATE:-20}
SKUS=10000

for b in ocicore ociedge ocibench; do
  [ -x "$BIN/$b" ] || { echo "soak: $BIN/$b is missing: run make build" >&2; exit 2; }
done
for c in curl jq timeout; do
  command -v $c >/dev/null || { echo "soak: $c is needed" >&2; exit 2; }
done

mkdir -p tmp
WORK=$(mktemp -d "$PWD/tmp/soak.XXXXXX")
START=$SECONDS
log() { printf 'soak [%3ds] %s\n' $((SECONDS - START)) "$*" >&2; }

NAME=soak
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # the load first (the import loop starts ocibench runs), then the servers
  for f in "$WORK"/import-loop.pid "$WORK"/bench-*.pid "$WORK"/edge.pid "$WORK"/core.pid; do
    [ -e "$f" ] && stop_pidfile "$f" 10
  done
  if [ "${KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
    echo "soak: work directory kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# set_mode MODE: asks the edge's admin API for MODE; prints the status code.
set_mode() {
  curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $ADMIN" \
    -H 'Content-Type: application/json' -d "{\"mode\":\"$1\"}" "$EDGE/admin/api/oci/mode"
}

# core_token: a bearer token of the development client with every scope
# the soak needs at the core.
core_token() {
  curl -sf --max-time 10 -u dev:dev-secret \
    --data-urlencode grant_type=client_credentials \
    --data-urlencode "scope=SALESFORCE_COMMERCE_API:$TENANT sfcc.inventory.admin.rw sfcc.inventory.availability" \
    "$CORE/dwsso/oauth2/access_token" | jq -r .access_token
}

free_port CORE_PORT; free_port EDGE_PORT
CORE=http://127.0.0.1:$CORE_PORT EDGE=http://127.0.0.1:$EDGE_PORT

# --- the core, with the demo's graph ---
cat >"$WORK/graph.json" <<EOF
{"locations":[{"id":"wh-east","type":"Warehouse"},{"id":"wh-west","type":"Warehouse"},
  {"id":"store-phoenix","type":"Store"},{"id":"store-austin","type":"Store"},{"id":"store-seattle","type":"Store"}],
 "groups":[{"id":"online-us","locations":["wh-east","wh-west"]}]}
EOF
log "core on $CORE"
$BIN/ocicore --addr "127.0.0.1:$CORE_PORT" --data "$WORK/core" --graph "$WORK/graph.json" --dev-client dev:dev-secret \
  >>"$WORK/core.log" 2>&1 &
echo $! >"$WORK/core.pid"
wait_http "$CORE/readyz" 30

# The demo's shape: skus sku-000001…sku-010000 at both warehouses and the
# three stores.
log "load: $SKUS skus at 5 locations"
timeout 180 $BIN/ocibench core-import --target "$CORE" --locations wh-east,wh-west,store-phoenix,store-austin,store-seattle \
  --skus $SKUS --records $((SKUS * 5)) --on-hand 400 --no-baselines --quiet --run-id soak-load >"$WORK/load.txt" 2>&1

# --- the edge, configured for the demo's lists, walked to OCI mode ---
write_edge_config "$WORK/edge.yaml" "$ORG" "$CORE" "$ADMIN" "$TENANT"
start_edge() {
  $BIN/ociedge --addr "127.0.0.1:$EDGE_PORT" --data "$WORK/edge" --config "$WORK/edge.yaml" >>"$WORK/edge.log" 2>&1 &
  echo $! >"$WORK/edge.pid"
  wait_http "$EDGE/healthz" 30
}
log "edge on $EDGE"
start_edge
[ "$(set_mode OCI_CACHE_ENABLED)" = 200 ] || { echo "soak: the edge refused OCI_CACHE_ENABLED" >&2; exit 1; }
deadline=$((SECONDS + 60))
until [ "$(set_mode OMNICHANNEL_INVENTORY)" = 200 ]; do
  [ $SECONDS -lt $deadline ] || { echo "soak: the edge did not reach OMNICHANNEL_INVENTORY" >&2; exit 1; }
  sleep 0.2
done

# --- mixed load for DURATION seconds ---
# bench LABEL ARGS...: one ocibench run in the background, bounded.
bench() {
  local label=$1
  shift
  timeout --kill-after=10 $((DURATION + 60)) $BIN/ocibench "$@" --duration "${DURATION}s" --warmup 0s \
    --no-baselines --quiet --json "$WORK/$label.json" >"$WORK/$label.txt" 2>"$WORK/$label.log" &
  echo $! >"$WORK/bench-$label.pid"
}
log "mixed load for ${DURATION}s: browse ${BROWSE_RATE}/s, checkout ${CHECKOUT_RATE}/s, an import at the core every 20s"
LOAD_START=$SECONDS
bench browse browse --target "$EDGE" --rate "$BROWSE_RATE" --skus $SKUS --seed 11
bench checkout checkout --target "$EDGE" --rate "$CHECKOUT_RATE" --skus $SKUS --seed 12

# The import loop: a 20,000-record availability import (new record ids each
# time) into the core's impex API every 20 seconds until the load ends.
(
  k=0
  while [ $((SECONDS - LOAD_START)) -lt $((DURATION - 20)) ]; do
    k=$((k + 1))
    if timeout 60 $BIN/ocibench core-import --target "$CORE" --locations wh-east,wh-west --skus $SKUS --records 20000 \
      --on-hand 400 --no-baselines --quiet --run-id "soak-import-$k" --seed $k >"$WORK/import-$k.txt" 2>&1; then
      echo "ok" >>"$WORK/imports"
    else
      echo "failed $k" >>"$WORK/imports"
    fi
    next=$((k * 20))
    while [ $((SECONDS - LOAD_START)) -lt $next ]; do sleep 1; done
  done
) &
echo $! >"$WORK/import-loop.pid"

# A third of the way in: a location-graph change at the core — a new
# warehouse joins the online group (every stream re-imports).
until [ $((SECONDS - LOAD_START)) -ge $((DURATION / 3)) ]; do sleep 1; done
log "graph change: wh-central joins online-us"
GRAPH_STATUS=$(curl -s --max-time 30 -o "$WORK/graph-put.txt" -w '%{http_code}' -X PUT \
  -H "Authorization: Bearer $(core_token)" -H 'Content-Type: application/json' \
  --data '{"locations":[{"id":"wh-east","type":"Warehouse"},{"id":"wh-west","type":"Warehouse"},{"id":"wh-central","type":"Warehouse"},
    {"id":"store-phoenix","type":"Store"},{"id":"store-austin","type":"Store"},{"id":"store-seattle","type":"Store"}],
    "groups":[{"id":"online-us","locations":["wh-east","wh-west","wh-central"]}]}' \
  "$CORE/inventory/admin/v1/organizations/$TENANT/location-graph")
log "graph change: HTTP $GRAPH_STATUS"

# Two thirds of the way in: the edge restarts (SIGTERM, then the same
# command on the same data directory) under load.
until [ $((SECONDS - LOAD_START)) -ge $((2 * DURATION / 3)) ]; do sleep 1; done
log "edge restart: SIGTERM"
T0=$(date +%s%N)
EDGE_PID=$(cat "$WORK/edge.pid")
kill -TERM "$EDGE_PID"
RESTART_STOP=clean
for _ in $(seq 300); do kill -0 "$EDGE_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$EDGE_PID" 2>/dev/null; then
  RESTART_STOP="did not stop within 30s: killed"
  kill -9 "$EDGE_PID" 2>/dev/null || true
fi
wait "$EDGE_PID" 2>/dev/null && EDGE_EXIT=0 || EDGE_EXIT=$?
start_edge
DOWN_MS=$((($(date +%s%N) - T0) / 1000000))
wait_http "$EDGE/readyz" 60
READY_MS=$((($(date +%s%N) - T0) / 1000000))
EDGE_MODE=$(curl -s --max-time 10 -H "Authorization: Bearer $ADMIN" "$EDGE/admin/api/oci/status" | jq -r .mode)
log "edge restart: stopped ($RESTART_STOP, exit $EDGE_EXIT), serving after ${DOWN_MS}ms, ready after ${READY_MS}ms, in $EDGE_MODE"

# --- the end of the load ---
BENCH_FAIL=0
for label in browse checkout; do
  pid=$(cat "$WORK/bench-$label.pid")
  if wait "$pid"; then :; else BENCH_FAIL=$((BENCH_FAIL + 1)); fi
  rm -f "$WORK/bench-$label.pid"
done
pid=$(cat "$WORK/import-loop.pid")
wait "$pid" || true
rm -f "$WORK/import-loop.pid"
IMPORTS_OK=$(grep -c '^ok' "$WORK/imports" 2>/dev/null || true)
IMPORTS_FAILED=$(grep -c '^failed' "$WORK/imports" 2>/dev/null || true)
log "load done: $IMPORTS_OK imports ok, $IMPORTS_FAILED failed"

# The orders job settles what the restart left in flight every 10s: wait
# until reconciliation has nothing pending.
deadline=$((SECONDS + 60))
until [ "$(curl -s --max-time 60 -H "Authorization: Bearer $ADMIN" "$EDGE/admin/api/oci/reconcile" | jq -r .pending)" = 0 ]; do
  [ $SECONDS -lt $deadline ] || { log "reconcile: work still pending after 60s"; break; }
  sleep 1
done

# --- the three checks ---
INV=$(curl -s --max-time 120 -H "Authorization: Bearer $(core_token)" \
  "$CORE/inventory/admin/v1/organizations/$TENANT/invariants")
echo "$INV" >"$WORK/invariants.json"
if [ "$(echo "$INV" | jq -r '.ok == true and ((.violations // []) | length) == 0 and ((.overcommitted // []) | length) == 0')" = true ]; then
  INV_RESULT=ok
else
  INV_RESULT="FAILED: $(echo "$INV" | head -c 400)"
fi
if timeout 180 $BIN/ociedge check-cache --edge "$EDGE" --token "$ADMIN" --settle 10s >"$WORK/check-cache.json" 2>&1; then
  CC_RESULT="converged ($(jq -r '"\(.checked) records checked"' "$WORK/check-cache.json" 2>/dev/null))"
else
  CC_RESULT="FAILED: $(head -c 400 "$WORK/check-cache.json")"
fi
if timeout 180 $BIN/ociedge reconcile --edge "$EDGE" --token "$ADMIN" >"$WORK/reconcile.json" 2>&1; then
  RC_RESULT="clean ($(jq -r '"\(.edgeDocuments) documents at the edge, \(.coreDocuments) at the core"' "$WORK/reconcile.json" 2>/dev/null))"
else
  RC_RESULT="FAILED: $(head -c 400 "$WORK/reconcile.json")"
fi

# bench_table LABEL: the ops line and the per-route outcome table of a
# load report (latency from each request's intended send time).
bench_table() {
  grep -E '^window ' "$WORK/$1.txt" | sed 's/^/    /' || true
  sed -n '/^ *route  *outcome/,/^(latency/p' "$WORK/$1.txt" | grep -v '^(latency' | sed 's/^/  /' || true
}

{
  echo "soak summary ($(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s of load, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "  load:        browse ${BROWSE_RATE}/s, checkout ${CHECKOUT_RATE}/s, $IMPORTS_OK imports of 20,000 records ($IMPORTS_FAILED failed); ocibench runs failed: $BENCH_FAIL"
  echo "  browse:";   bench_table browse
  echo "  checkout:"; bench_table checkout
  echo "  graph change mid-run: HTTP $GRAPH_STATUS"
  echo "  edge restart mid-run: SIGTERM ($RESTART_STOP, exit $EDGE_EXIT); serving again after ${DOWN_MS}ms, ready after ${READY_MS}ms, in $EDGE_MODE"
  echo "  core invariants:       $INV_RESULT"
  echo "  ociedge check-cache:   $CC_RESULT"
  echo "  ociedge reconcile:     $RC_RESULT"
}
if [ "$INV_RESULT" = ok ] && [[ $CC_RESULT == converged* ]] && [[ $RC_RESULT == clean* ]]; then
  echo "  result: PASS"
  exit 0
fi
echo "  result: FAIL (logs in $WORK)"
exit 1
