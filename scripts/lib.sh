# Shell helpers shared by scripts/bench.sh and scripts/soak.sh (sourced,
# not run). The sourcing script sets NAME (its name in messages) first.

# stop_pidfile FILE [SECONDS]: TERM the process in FILE, KILL it after
# SECONDS (default 5), and remove FILE.
stop_pidfile() {
  local f=$1 pid tenths=$(( ${2:-5} * 10 ))
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# free_port VAR: sets VAR to a loopback port nobody listens on and not
# handed out before (a variable, not output: $(free_port) would run in a
# subshell and forget what it handed out),
# below the kernel's ephemeral range: a port in that range can be taken at
# any moment by an outgoing connection (the load tool opens thousands), and
# the server started on it then fails with "address already in use".
PICKED=" "
free_port() {
  local p lo=32768 span
  read -r lo _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$lo" -gt 11024 ] || lo=32768
  span=$((lo - 11000))
  for _ in $(seq 200); do
    p=$((11000 + RANDOM % span))
    case "$PICKED" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      PICKED="$PICKED$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  echo "$NAME: no free port" >&2
  return 1
}

# wait_http URL SECONDS: until URL answers 200.
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -sf --max-time 2 -o /dev/null "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "$NAME: $1 did not answer within $2s" >&2; return 1; }
    sleep 0.1
  done
}

# write_edge_config FILE ORG CORE_URL ADMIN_TOKEN [TENANT]: the edge configuration
# of the bench and the soak: the demo's site, three stores and their lists
# (TENANT, default tenant1, on the core; its dev client).
write_edge_config() {
  cat >"$1" <<EOF
organizationId: $2
core: {url: "$3", tenantGroupId: ${5:-tenant1}, clientId: dev, clientSecret: dev-secret}
admin: {token: $4}
sites:
  - {id: RefArch, inventoryList: online-us, failNonPlacedOrdersAfter: 30m}
stores:
  - {id: phoenix, inventoryList: store-phoenix}
  - {id: austin, inventoryList: store-austin}
  - {id: seattle, inventoryList: store-seattle}
inventoryLists:
  - {id: online-us}
  - {id: store-phoenix}
  - {id: store-austin}
  - {id: store-seattle}
EOF
}
