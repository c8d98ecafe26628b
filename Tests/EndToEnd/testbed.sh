# shellcheck shell=bash
# The end-to-end test bed of ARCHITECTURE.md ("Test bed"), as bash functions. Sourced by run.sh.
#
#   ROUTER ns                      HOST ns                                GUEST ns
#   rtr0 (02:00:00:00:0a:01) ---- up0 ]                                   eth0 (02:00:00:00:0b:02)
#   2001:db8:0:96ff:ff:ff:ff:ff/56     [ br0 (02:00:00:00:00:01)   [ vm0 -- 2001:db8:0:96ce::2/64
#                                         2001:db8:0:96ce::1/64           default via the gateway
#
# - Both bridge ports are `isolated on`: the router and the guest talk only to the host (the
#   provider's MAC filter), so every answer the router gets for a guest came from the host.
# - The ports have IPv6 disabled, the bridge has mcast_snooping 0; forwarding=1 and kernel
#   proxy_ndp=0 in the host.
# - The router MAC is the one Benchmarks/tools/gen_ns_pcap.py writes, so its link-local
#   (fe80::ff:fe00:a01, EUI-64) is the NS source of the generated flood, unchanged.
#
# Two optional parts, built only by the scenarios that need them (live mode, README "Live guests"):
#
#   guest2_up: a second bridged guest            routed_up: a routed guest behind vmbr1
#   GUEST2 ns                                    HOST ns                      RGUEST ns
#   eth0 (02:00:00:00:0b:03) -- vm1 [ br0 ]      vmbr1 (02:00:00:00:00:11) [ vm2 -- eth0 (02:00:00:00:0c:02)
#   2001:db8:0:96ce::3/64, an isolated port      not part of br0; the host      2001:db8:0:96d0::10/64,
#                                                routes 2001:db8:0:96d0::/64     default via vmbr1's fe80::ff:fe00:11
#                                                to it
#
#   The router's /56 covers 2001:db8:0:96d0::/64, so it resolves the routed guest with an NS on
#   its link, which reaches br0 (through up0) and never vmbr1: only a proxy can answer it.
#
# Output protocol (read by Tests/EndToEndTests): one line per check,
#   CHECK <scenario>/<check> PASS: <detail>     or     CHECK <scenario>/<check> FAIL: <detail>
# plus free-form `INFO ...` lines, and a final `SCENARIO <name> PASS|FAIL checks=N failed=M`.

PFX="ndpe2e$$-"
R="${PFX}router"
H="${PFX}host"
G="${PFX}guest"
R_IF=rtr0
UP_IF=up0
VM_IF=vm0
G_IF=eth0
BR=br0
BR_MAC=02:00:00:00:00:01
BR_LL=fe80::ff:fe00:1
R_MAC=02:00:00:00:0a:01
R_LL=fe80::ff:fe00:a01
G_MAC=02:00:00:00:0b:02
GW=2001:db8:0:96ff:ff:ff:ff:ff
PREFIX=2001:db8:0:96ce::/64
HOST_ADDR=2001:db8:0:96ce::1
GUEST_ADDR=2001:db8:0:96ce::2
EXCLUDED=2001:db8:0:96ce::dead
# The second bridged guest (guest2_up).
G2="${PFX}guest2"
VM2_IF=vm1
G2_MAC=02:00:00:00:0b:03
GUEST2_ADDR=2001:db8:0:96ce::3
# The routed guest (routed_up).
RG="${PFX}rguest"
VMBR1=vmbr1
VMBR1_MAC=02:00:00:00:00:11
VMBR1_LL=fe80::ff:fe00:11
RVM_IF=vm2
RG_MAC=02:00:00:00:0c:02
ROUTED_PREFIX=2001:db8:0:96d0::/64
ROUTED_ADDR=2001:db8:0:96d0::10
# Every namespace a scenario may create (cleanup deletes those that exist).
ALL_NS=("$R" "$H" "$G" "$G2" "$RG")
UNCONFIGURED=2001:db8:0:96cf::5
# The quick command line of README.md ("Running"), plus the exclude entry.
DEFAULT_ARGS=(--interface "$BR" --proxy "$PREFIX" --proxy "$GW" --exclude "$EXCLUDED")

SCEN="${SCEN:-unnamed}"
WORK="${E2E_WORKDIR:-}"
PIDFILE="${E2E_PIDFILE:-}"
NDPD="${NDPD:-}"
CHECKS=0
FAILED=0
BG_PIDS=()
NDPD_PID=""
NDPD_LOG=""
NDPD_RUNS=0
T_START=$(date +%s.%N)

# ---------------------------------------------------------------------------------------------
# Reporting

pass() { CHECKS=$((CHECKS + 1)); echo "CHECK $SCEN/$1 PASS: ${2:-}"; }
fail() {
  CHECKS=$((CHECKS + 1)); FAILED=$((FAILED + 1))
  echo "CHECK $SCEN/$1 FAIL: ${2:-}"
}
# check NAME DETAIL COMMAND...: PASS if the command succeeds.
check() { local name=$1 detail=$2; shift 2; if "$@"; then pass "$name" "$detail"; else fail "$name" "$detail"; fi; }
info() { echo "INFO $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# Namespaces

inR() { ip netns exec "$R" "$@"; }
inH() { ip netns exec "$H" "$@"; }
inG() { ip netns exec "$G" "$@"; }
inG2() { ip netns exec "$G2" "$@"; }
inRG() { ip netns exec "$RG" "$@"; }

# Runs a command in the background, remembering its PID for the cleanup.
bg() { "$@" & BG_PIDS+=($!); }

cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [ -n "$NDPD_PID" ] && [ "$FAILED" -gt 0 ]; then dump_log; fi
  local p ns
  for p in "${BG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for ns in "${ALL_NS[@]}"; do
    # Only processes inside our own, uniquely named namespaces.
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  done
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  for ns in "${ALL_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  local left
  left=$(ip netns list 2>/dev/null | grep -c "^$PFX" || true)
  [ "$left" = 0 ] || echo "INFO cleanup: $left namespaces with prefix $PFX could not be deleted"
  exit "$status"
}

install_traps() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# Namespaces left by an earlier run that was SIGKILLed (its bash PID is gone): ours, by prefix.
reap_stale() {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^ndpe2e[0-9]+-' || true); do
    pid=${ns#ndpe2e}; pid=${pid%%-*}
    if ! kill -0 "$pid" 2>/dev/null; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
      ip netns del "$ns" 2>/dev/null && info "removed stale namespace $ns"
    fi
  done
}

require_tools() {
  local missing=() t
  for t in ip bridge tcpdump tshark ndisc6 tcpreplay ping awk atk6-fuzz_ip6 python3 nsenter; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    fail preflight "missing tools: ${missing[*]} (run scripts/setup.sh)"
    return 1
  fi
  if [ -z "$NDPD" ] || [ ! -x "$NDPD" ]; then
    fail preflight "NDPD is not an executable: '$NDPD'"
    return 1
  fi
  return 0
}

# Creates (or recreates) br0 in the host with its fixed MAC, enslaves and isolates the ports,
# gives it the host's address and the routes to the gateway.
bridge_up() {
  inH ip link add "$BR" address "$BR_MAC" type bridge mcast_snooping 0 || return 1
  inH sysctl -qw "net.ipv6.conf.$BR.accept_dad=0" "net.ipv6.conf.$BR.proxy_ndp=0" || return 1
  local port
  for port in "$UP_IF" "$VM_IF"; do
    inH ip link set "$port" master "$BR" || return 1
    inH bridge link set dev "$port" isolated on || return 1
  done
  inH ip link set "$BR" up || return 1
  inH ip -6 addr add "$HOST_ADDR/64" dev "$BR" nodad || return 1
  inH ip -6 route replace "$GW" dev "$BR" || return 1
  inH ip -6 route replace default via "$GW" dev "$BR" || return 1
}

bed_up() {
  local ns
  for ns in "$R" "$H" "$G"; do
    ip netns add "$ns" || { fail testbed "ip netns add $ns failed"; return 1; }
    ip -n "$ns" link set lo up
  done
  {
    inH sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.forwarding=1 \
      net.ipv6.conf.all.proxy_ndp=0 net.ipv6.conf.default.proxy_ndp=0 \
      net.ipv6.conf.default.accept_dad=0 &&
    ip -n "$H" link add "$UP_IF" type veth peer name "$R_IF" netns "$R" &&
    ip -n "$H" link add "$VM_IF" type veth peer name "$G_IF" netns "$G" &&
    inH sysctl -qw "net.ipv6.conf.$UP_IF.disable_ipv6=1" "net.ipv6.conf.$VM_IF.disable_ipv6=1" &&
    ip -n "$R" link set "$R_IF" address "$R_MAC" &&
    ip -n "$G" link set "$G_IF" address "$G_MAC" &&
    inR sysctl -qw net.ipv6.conf.all.forwarding=1 "net.ipv6.conf.$R_IF.accept_dad=0" &&
    ip -n "$H" link set "$UP_IF" up && ip -n "$H" link set "$VM_IF" up &&
    bridge_up &&
    ip -n "$R" link set "$R_IF" up &&
    ip -n "$R" -6 addr add "$GW/56" dev "$R_IF" nodad &&
    ip -n "$G" link set "$G_IF" up &&
    ip -n "$G" -6 addr add "$GUEST_ADDR/64" dev "$G_IF" nodad &&
    guest_routes
  } || { fail testbed "setting up the namespaces failed (see stderr)"; return 1; }
  # Wait for every address to leave `tentative` (the guest's link-local still does DAD).
  local t0; t0=$(now)
  while [ -n "$(ip -n "$G" -6 addr show tentative)$(ip -n "$R" -6 addr show tentative)$(ip -n "$H" -6 addr show tentative)" ]; do
    if awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e > 10) }'; then
      fail testbed "addresses still tentative after 10 s"; return 1
    fi
    sleep 0.1
  done
  info "test bed up: namespaces $R $H $G ($(elapsed "$T_START") s)"
}

guest_routes() {
  ip -n "$G" -6 route replace "$GW" dev "$G_IF" &&
  ip -n "$G" -6 route replace default via "$GW" dev "$G_IF"
}

# wait_not_tentative NS...: every address of these namespaces has left `tentative` (10 s at most).
wait_not_tentative() {
  local t0 ns left; t0=$(now)
  while :; do
    left=""
    for ns in "$@"; do left+=$(ip -n "$ns" -6 addr show tentative 2>/dev/null); done
    [ -n "$left" ] || return 0
    if awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e > 10) }'; then
      fail testbed "addresses still tentative after 10 s: $(tr -s ' \n' ' ' <<<"$left")"; return 1
    fi
    sleep 0.1
  done
}

# guest2_link MAC: a veth from the host's br0 (VM2_IF, an isolated port) to eth0 in GUEST2, with
# MAC, up, no address yet. Also the MAC change of a "new NIC": delete VM2_IF, call it again.
guest2_link() {
  ip -n "$H" link add "$VM2_IF" type veth peer name "$G_IF" netns "$G2" &&
  inH sysctl -qw "net.ipv6.conf.$VM2_IF.disable_ipv6=1" &&
  ip -n "$G2" link set "$G_IF" address "$1" &&
  inH ip link set "$VM2_IF" master "$BR" &&
  inH bridge link set dev "$VM2_IF" isolated on &&
  ip -n "$H" link set "$VM2_IF" up &&
  ip -n "$G2" link set "$G_IF" up
}

guest2_routes() {
  ip -n "$G2" -6 route replace "$GW" dev "$G_IF" &&
  ip -n "$G2" -6 route replace default via "$GW" dev "$G_IF"
}

# guest2_up: the second bridged guest, GUEST2_ADDR on eth0 (no DAD), default via the gateway.
guest2_up() {
  {
    ip netns add "$G2" && ip -n "$G2" link set lo up &&
    guest2_link "$G2_MAC" &&
    ip -n "$G2" -6 addr add "$GUEST2_ADDR/64" dev "$G_IF" nodad &&
    guest2_routes
  } || { fail testbed "setting up the second guest failed (see stderr)"; return 1; }
  wait_not_tentative "$G2" || return 1
  info "second guest up: $G2, $G2_MAC, $GUEST2_ADDR"
}

# routed_up: vmbr1 in the host (a bridge of its own, not a port of br0) with the routed guest
# behind it; the host routes ROUTED_PREFIX to vmbr1 (routed_route). Host proxy_ndp stays 0.
routed_up() {
  {
    ip netns add "$RG" && ip -n "$RG" link set lo up &&
    inH ip link add "$VMBR1" address "$VMBR1_MAC" type bridge mcast_snooping 0 &&
    inH sysctl -qw "net.ipv6.conf.$VMBR1.accept_dad=0" "net.ipv6.conf.$VMBR1.proxy_ndp=0" &&
    ip -n "$H" link add "$RVM_IF" type veth peer name "$G_IF" netns "$RG" &&
    inH sysctl -qw "net.ipv6.conf.$RVM_IF.disable_ipv6=1" &&
    inH ip link set "$RVM_IF" master "$VMBR1" &&
    ip -n "$H" link set "$RVM_IF" up && inH ip link set "$VMBR1" up &&
    ip -n "$RG" link set "$G_IF" address "$RG_MAC" &&
    inRG sysctl -qw "net.ipv6.conf.$G_IF.accept_dad=0" &&
    ip -n "$RG" link set "$G_IF" up &&
    ip -n "$RG" -6 addr add "$ROUTED_ADDR/64" dev "$G_IF" nodad &&
    routed_route &&
    ip -n "$RG" -6 route replace default via "$VMBR1_LL" dev "$G_IF"
  } || { fail testbed "setting up the routed guest failed (see stderr)"; return 1; }
  wait_not_tentative "$RG" "$H" || return 1
  info "routed guest up: $RG, $RG_MAC, $ROUTED_ADDR behind $VMBR1 ($VMBR1_MAC, $VMBR1_LL)"
}

routed_route() { inH ip -6 route replace "$ROUTED_PREFIX" dev "$VMBR1"; }

# ---------------------------------------------------------------------------------------------
# ndpd

proc_state() { awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null; }
# Alive = exists and is not a zombie (our child until we wait for it).
alive() { local s; s=$(proc_state "$1"); [ -n "$s" ] && [ "$s" != Z ]; }

# The packet sockets (capture, injection) the process holds in the host namespace.
packet_sockets() {
  local pid=$1 inodes
  inodes=$(inH awk 'NR > 1 { print $9 }' /proc/net/packet)
  local n=0 l
  for l in /proc/"$pid"/fd/*; do
    l=$(readlink "$l" 2>/dev/null) || continue
    case $l in socket:\[*\]) l=${l#socket:[}; l=${l%]}; grep -qx "$l" <<<"$inodes" && n=$((n + 1)) ;; esac
  done
  echo "$n"
}

# ndpd_start ARGS...: starts the real binary in the host namespace, waits until it holds a packet
# socket. Returns 1 (after a FAIL line) if it exits or never opens one.
ndpd_start() {
  NDPD_RUNS=$((NDPD_RUNS + 1))
  NDPD_LOG="$WORK/ndpd-$NDPD_RUNS.log"
  : >"$NDPD_LOG"
  # Each run answers `ndpd status` in its own work dir, never at the system's /run/ndpd/ndpd.sock.
  case " $* " in *" --control-socket "*) ;; *) set -- "$@" --control-socket "$WORK/ctl-$NDPD_RUNS.sock" ;; esac
  echo "INFO ndpd #$NDPD_RUNS: ip netns exec $H $NDPD $*"
  ip netns exec "$H" "$NDPD" "$@" >>"$NDPD_LOG" 2>&1 &
  NDPD_PID=$!
  [ -z "$PIDFILE" ] || echo "$NDPD_PID" >>"$PIDFILE"
  local t0; t0=$(now)
  while :; do
    if ! alive "$NDPD_PID"; then
      wait "$NDPD_PID"; local rc=$?
      fail ndpd-start "ndpd exited with status $rc right after start: $(tail -c 400 "$NDPD_LOG" | tr '\n' ' ')"
      NDPD_PID=""
      return 1
    fi
    [ "$(packet_sockets "$NDPD_PID")" -ge 1 ] && break
    if awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e > 10) }'; then
      fail ndpd-start "ndpd (pid $NDPD_PID) holds no packet socket after 10 s"
      return 1
    fi
    sleep 0.1
  done
  sleep 0.5 # the capture filter and the injection socket come right after the first socket
  info "ndpd #$NDPD_RUNS running, pid $NDPD_PID, $(packet_sockets "$NDPD_PID") packet sockets"
}

# ndpd_stop [CHECKNAME]: SIGTERM, wait up to 3 s; with CHECKNAME, checks a clean exit within 1 s.
ndpd_stop() {
  local name=${1:-} pid=$NDPD_PID
  [ -n "$pid" ] || return 0
  local t0; t0=$(now)
  kill -TERM "$pid" 2>/dev/null
  while alive "$pid" && awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e < 3) }'; do sleep 0.02; done
  local took; took=$(elapsed "$t0")
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ -z "$name" ] || fail "$name" "ndpd still running 3 s after SIGTERM (killed)"
  else
    wait "$pid"; local rc=$?
    if [ -n "$name" ]; then
      if [ "$rc" = 0 ] && awk -v t="$took" 'BEGIN { exit !(t <= 1.0) }'; then
        pass "$name" "exit status 0 after ${took} s"
      else
        fail "$name" "exit status $rc after ${took} s (want 0 within 1 s)"
      fi
    else
      info "ndpd stopped: status $rc after ${took} s"
    fi
  fi
  NDPD_PID=""
}

ndpd_alive_check() {
  local name=$1
  if [ -n "$NDPD_PID" ] && alive "$NDPD_PID"; then
    pass "$name" "ndpd pid $NDPD_PID still running"
  else
    local rc="?"
    [ -z "$NDPD_PID" ] || { wait "$NDPD_PID" 2>/dev/null; rc=$?; }
    fail "$name" "ndpd is gone (exit status $rc): $(tail -c 600 "$NDPD_LOG" | tr '\n' ' ')"
    NDPD_PID=""
  fi
}

dump_log() {
  local f
  for f in "$WORK"/ndpd-*.log; do
    [ -f "$f" ] || continue
    echo "INFO ---- $f (last 40 lines) ----"
    tail -n 40 "$f" | sed 's/^/INFO | /'
  done
}

# ---------------------------------------------------------------------------------------------
# The router's view

# The router's neighbour entry for ADDR, e.g. "2001:db8:0:96ce::2 lladdr 02:00:00:00:00:01 router REACHABLE".
neigh() { ip -n "$R" -6 neigh show "$1" dev "$R_IF" 2>/dev/null | head -n1 | sed "s/ *$//"; }
neigh_del() { ip -n "$R" -6 neigh del "$1" dev "$R_IF" 2>/dev/null; true; }
neigh_is_bridge() {
  local l; l=$(neigh "$1")
  [[ $l == *"lladdr $BR_MAC"* ]] && [[ $l =~ (REACHABLE|STALE|DELAY|PROBE)$ ]]
}
neigh_unresolved() {
  local l; l=$(neigh "$1")
  [[ $l != *lladdr* ]]
}
# Makes the router's kernel resolve ADDR: drop its entry and send one echo request.
# (ip netns exec directly: a backgrounded shell function would make $(...) wait for it.)
poke() { neigh_del "$1"; bg ip netns exec "$R" ping -6 -n -c1 -W1 "$1" >/dev/null 2>&1; }

# resolve ADDR [SECONDS]: polls until the router's kernel has ADDR at the bridge MAC (a failed
# resolution is retried). Prints the final neighbour line. Success = exit 0.
resolve() {
  local addr=$1 limit=${2:-5} t0 tp l
  t0=$(now); tp=$t0
  poke "$addr"
  while :; do
    sleep 0.05
    if neigh_is_bridge "$addr"; then neigh "$addr"; return 0; fi
    l=$(neigh "$addr")
    if awk -v e="$(elapsed "$t0")" -v m="$limit" 'BEGIN { exit !(e > m) }'; then
      echo "${l:-no entry}"; return 1
    fi
    # FAILED (3 unanswered probes), or still no entry long after the poke: ask again.
    if [[ $l == *FAILED* ]] || { [ -z "$l" ] && awk -v e="$(elapsed "$tp")" 'BEGIN { exit !(e > 1.5) }'; }; then
      poke "$addr"; tp=$(now)
    fi
  done
}

# unresolved ADDR...: the router asks for each address; after its 3 probes (~3 s), none may have a
# link-layer address. Prints one "ADDR: neigh line" per address; exit 0 if all stayed unresolved.
unresolved() {
  local a l ok=0 all_failed t0
  for a in "$@"; do poke "$a"; done
  t0=$(now)
  while awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e < 4.5) }'; do
    all_failed=1
    for a in "$@"; do
      l=$(neigh "$a")
      [[ $l == *lladdr* ]] && break 2
      [[ $l == *FAILED* ]] || all_failed=0
    done
    [ "$all_failed" = 1 ] && break
    sleep 0.1
  done
  for a in "$@"; do
    echo "$a: $(neigh "$a")"
    neigh_unresolved "$a" || ok=1
  done
  return $ok
}

# A random address of the proxied /64 (never ::1, ::2 or the excluded one).
random_in_prefix() {
  printf '2001:db8:0:96ce:%x:%x:%x:%x\n' $((RANDOM | 0x100)) $RANDOM $RANDOM $((RANDOM | 1))
}

# ---------------------------------------------------------------------------------------------
# Captures

# cap_start NAME NS IF: tcpdump (immediate mode, unbuffered: nothing lost at stop) of ICMPv6.
# Sets CAP_PID and CAP_FILE.
cap_start() {
  local name=$1 ns=$2 ifname=$3
  CAP_FILE="$WORK/$name.pcap"
  # -Z root: no switch to the tcpdump user, which may not write into the work dir.
  ip netns exec "$ns" tcpdump --immediate-mode -U -Z root -n -i "$ifname" -w "$CAP_FILE" icmp6 2>"$CAP_FILE.err" &
  CAP_PID=$!
  BG_PIDS+=("$CAP_PID")
  local i
  for i in $(seq 100); do
    grep -q "listening on" "$CAP_FILE.err" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "capture-$name" "tcpdump did not start: $(cat "$CAP_FILE.err")"
  return 1
}

# cap_stop [PID]: SIGINT (tcpdump flushes and exits), bounded: SIGKILL after 5 s.
cap_stop() {
  local pid=${1:-$CAP_PID} i
  kill -INT "$pid" 2>/dev/null
  for i in $(seq 100); do alive "$pid" || break; sleep 0.05; done
  if alive "$pid"; then
    echo "INFO tcpdump $pid ignored SIGINT for 5 s (blocked signals?): killed"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  true
}

# nas FILE [EXTRA_FILTER]: the NAs in FILE, one per line, '|'-separated:
# frame|eth.src|eth.dst|ipv6.src|ipv6.dst|hlim|target|checksum.status|R|S|O|TLLA
nas() {
  local filter="icmpv6.type == 136"
  [ -z "${2:-}" ] || filter="$filter && ($2)"
  tshark -r "$1" -Y "$filter" -T fields -E separator='|' \
    -e frame.number -e eth.src -e eth.dst -e ipv6.src -e ipv6.dst -e ipv6.hlim \
    -e icmpv6.nd.na.target_address -e icmpv6.checksum.status \
    -e icmpv6.nd.na.flag.r -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o \
    -e icmpv6.opt.linkaddr 2>/dev/null
}
# count_ns FILE TARGET: NSs for TARGET in FILE.
count_ns() {
  tshark -r "$1" -Y "icmpv6.type == 135 && icmpv6.nd.ns.target_address == $2" -T fields -e frame.number 2>/dev/null | grep -c .
}
# na_for FILE TARGET: the NAs for TARGET.
na_for() { nas "$1" "icmpv6.nd.na.target_address == $2"; }

# Is ADDR one of the targets ndpd serves with DEFAULT_ARGS? (prefix match on the compressed form)
proxied() {
  local t=$1
  [[ $t == "$GW" ]] && return 0
  [[ $t == 2001:db8:0:96ce:* && $t != "$HOST_ADDR" && $t != "$EXCLUDED" ]]
}

finish() {
  local result=PASS
  [ "$FAILED" = 0 ] && [ "$CHECKS" -gt 0 ] || result=FAIL
  echo "SCENARIO $SCEN $result checks=$CHECKS failed=$FAILED time=$(elapsed "$T_START")s"
  [ "$result" = PASS ]
}
