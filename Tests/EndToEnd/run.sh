#!/usr/bin/env bash
# End-to-end scenarios against the real ndpd binary, in network namespaces.
#
#   usage: NDPD=/path/to/ndpd [E2E_WORKDIR=dir] [E2E_PIDFILE=file] bash run.sh SCENARIO
#   SCENARIO: one of scenarios.txt, which lists each with the checks it reports (live_*: live.sh)
#
# Needs root. Builds the ARCHITECTURE.md test bed (see testbed.sh) under a unique namespace prefix,
# runs one scenario, prints `CHECK <scenario>/<name> PASS|FAIL: detail` lines and a final
# `SCENARIO <name> PASS|FAIL ...` line, and always deletes the namespaces (trap on EXIT).
# Exit status: 0 if every check passed. Tests/EndToEndTests runs each scenario as one test case.
set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCEN=${1:-}
# shellcheck source=testbed.sh
. "$HERE/testbed.sh"
# shellcheck source=live.sh
. "$HERE/live.sh"

# ---------------------------------------------------------------------------------------------
# Shared checks

# expect_resolved NAME ADDR [SECONDS]: the router's kernel resolves ADDR to the bridge MAC.
expect_resolved() {
  local name=$1 addr=$2 out t0; t0=$(now)
  if out=$(resolve "$addr" "${3:-5}"); then
    pass "$name" "router neigh after $(elapsed "$t0") s: $out"
  else
    fail "$name" "router did not resolve $addr to $BR_MAC within ${3:-5} s: $out"
  fi
}

# expect_unresolved NAME ADDR...: the router asks, nobody answers (INCOMPLETE/FAILED).
expect_unresolved() {
  local name=$1 out; shift
  if out=$(unresolved "$@"); then
    pass "$name" "no link-layer address: $(tr '\n' ';' <<<"$out")"
  else
    fail "$name" "answered although it must not be: $(tr '\n' ';' <<<"$out")"
  fi
}

# expect_na_captured NAME FILE TARGET: at least one NA for TARGET, each from the bridge MAC with
# TLLA = bridge MAC.
expect_na_captured() {
  local name=$1 file=$2 target=$3 lines bad
  lines=$(na_for "$file" "$target")
  bad=$(awk -F'|' -v m="$BR_MAC" '$2 != m || $12 != m' <<<"$lines")
  if [ -n "$lines" ] && [ -z "$bad" ]; then
    pass "$name" "$(grep -c . <<<"$lines") NA(s) for $target in $(basename "$file"), from $BR_MAC, TLLA $BR_MAC"
  else
    fail "$name" "NAs for $target in $(basename "$file") (frame|eth.src|eth.dst|src|dst|hlim|target|cksum|R|S|O|TLLA): ${lines:-none}"
  fi
}

# expect_no_na_captured NAME FILE TARGET: the router asked (NS seen) and no NA came back.
expect_no_na_captured() {
  local name=$1 file=$2 target=$3 lines asked
  lines=$(na_for "$file" "$target")
  asked=$(count_ns "$file" "$target")
  if [ -z "$lines" ] && [ "$asked" -ge 1 ]; then
    pass "$name" "$asked NS for $target in $(basename "$file"), no NA"
  else
    fail "$name" "$asked NS for $target, NAs: ${lines:-none}"
  fi
}

# expect_dad_completes NAME ADDR T0 SECONDS [NS]: waits (at most SECONDS after T0) for the DAD of
# ADDR in the guest namespace NS (default: the guest) to end, then checks that the address ended
# neither dadfailed nor tentative.
expect_dad_completes() {
  local name=$1 addr=$2 t0=$3 limit=$4 ns=${5:-$G} l
  while :; do
    l=$(ip -n "$ns" -6 -o addr show dev "$G_IF" to "$addr/128")
    [[ $l == *tentative* && $l != *dadfailed* ]] || break
    awk -v e="$(elapsed "$t0")" -v m="$limit" 'BEGIN { exit !(e > m) }' && break
    sleep 0.1
  done
  if [ -n "$l" ] && [[ $l != *tentative* && $l != *dadfailed* ]]; then
    pass "$name" "$addr left tentative $(elapsed "$t0") s after it was added, not dadfailed: $(awk '{$1=$2=""; print}' <<<"$l" | tr -s ' ')"
  else
    fail "$name" "$addr after $(elapsed "$t0") s: ${l:-gone}"
  fi
}

ping_summary() { grep -Eo '[0-9]+ packets transmitted, [0-9]+ received' <<<"$1" | head -n1; }

# expect_ping NAME COUNT: the router pings the guest COUNT times, all answered.
expect_ping() {
  local name=$1 count=$2 out sum
  out=$(inR ping -6 -n -c "$count" -i 0.3 -W 2 "$GUEST_ADDR" 2>&1)
  sum=$(ping_summary "$out")
  if [[ $sum == "$count packets transmitted, $count received" ]]; then
    pass "$name" "router -> guest: $sum"
  else
    fail "$name" "router -> guest: ${sum:-$(tail -n 3 <<<"$out" | tr '\n' ' ')}"
  fi
}

# metric FILE NAME [LABEL_SUBSTRING]: the sum of a Prometheus family's samples (0 if absent).
metric() {
  awk -v n="$2" -v l="${3:-}" '$1 == n || (index($1, n "{") == 1 && index($1, l) > 0) { s += $NF } END { print s + 0 }' "$1" 2>/dev/null || echo 0
}

rss_kib() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# 1. Resolution

sc_resolution() {
  local rand; rand=$(random_in_prefix)
  cap_start resolution "$R" "$R_IF" || return
  ndpd_start "${DEFAULT_ARGS[@]}" || return
  expect_resolved guest-128 "$GUEST_ADDR"
  expect_resolved random-in-64 "$rand"
  expect_unresolved unconfigured-and-excluded "$UNCONFIGURED" "$EXCLUDED"
  ndpd_stop sigterm-clean-exit
  cap_stop
  expect_na_captured capture-guest "$CAP_FILE" "$GUEST_ADDR"
  expect_na_captured capture-random "$CAP_FILE" "$rand"
  expect_no_na_captured capture-unconfigured "$CAP_FILE" "$UNCONFIGURED"
  expect_no_na_captured capture-excluded "$CAP_FILE" "$EXCLUDED"

  # The same with 40k more exact targets (in 3fff::/20, nothing on this link): the table
  # outgrows the cache, so the engine holds solicitations back to prefetch their table lines.
  # Each capture batch must still be answered before ndpd sleeps again, not when later traffic
  # pushes it out.
  local conf="$WORK/large.toml"
  python3 "$ROOT/scripts/random-targets.py" 3fff 40000 3 >"$WORK/extra-targets"
  printf '[[proxy]]\ninterface = "%s"\ntargets = ["%s", "%s"]\nexclude = ["%s"]\ntargets-file = "%s"\n' \
    "$BR" "$PREFIX" "$GW" "$EXCLUDED" "$WORK/extra-targets" >"$conf"
  rand=$(random_in_prefix)
  ndpd_start --config "$conf" || return
  expect_resolved large-table-guest-128 "$GUEST_ADDR"
  expect_resolved large-table-random-in-64 "$rand"
  expect_unresolved large-table-unconfigured-and-excluded "$UNCONFIGURED" "$EXCLUDED"
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# 2. A real client: ndisc6 (1.0.5 accepts only an NA whose IPv6 source is the target)

sc_client() {
  local rand out rc lines; rand=$(random_in_prefix)

  cap_start client-target "$R" "$R_IF" || return
  ndpd_start "${DEFAULT_ARGS[@]}" --source target || return
  local a
  for a in "$GUEST_ADDR" "$rand"; do
    out=$(inR ndisc6 -1 -n -r 3 -w 1000 "$a" "$R_IF" 2>&1); rc=$?
    info "ndisc6 $a $R_IF (source = target): status $rc: $(tr '\n' ' ' <<<"$out")"
    if [ "$rc" = 0 ] && grep -qi "Target link-layer address: $BR_MAC" <<<"$out"; then
      pass "ndisc6-source-target-$([ "$a" = "$GUEST_ADDR" ] && echo guest || echo random)" "ndisc6 printed $BR_MAC for $a"
    else
      fail "ndisc6-source-target-$([ "$a" = "$GUEST_ADDR" ] && echo guest || echo random)" "ndisc6 status $rc: $(tr '\n' ' ' <<<"$out")"
    fi
  done
  ndpd_stop
  cap_stop
  lines=$(na_for "$CAP_FILE" "$GUEST_ADDR")
  if [ -n "$lines" ] && awk -F'|' -v t="$GUEST_ADDR" -v m="$BR_MAC" '$4 != t || $8 != 1 || $12 != m { bad = 1 } END { exit bad }' <<<"$lines"; then
    pass capture-source-is-target "NA IPv6 source = target $GUEST_ADDR, checksum good: $(head -n1 <<<"$lines")"
  else
    fail capture-source-is-target "NAs for $GUEST_ADDR: ${lines:-none}"
  fi

  # The default source (auto): ndisc6's NS comes from the router's link-local, so the NA comes
  # from br0's link-local; ndisc6 ignores it although it is valid.
  cap_start client-auto "$R" "$R_IF" || return
  ndpd_start "${DEFAULT_ARGS[@]}" || return
  out=$(inR ndisc6 -1 -n -r 2 -w 1000 "$GUEST_ADDR" "$R_IF" 2>&1); rc=$?
  info "ndisc6 $GUEST_ADDR $R_IF (source = auto): status $rc: $(tr '\n' ' ' <<<"$out")"
  if [ "$rc" != 0 ] && grep -qi "no response" <<<"$out"; then
    pass ndisc6-source-auto-no-response "ndisc6 says: $(grep -i 'no response' <<<"$out" | head -n1) (expected with ndisc6 1.0.5)"
  else
    fail ndisc6-source-auto-no-response "expected ndisc6 to report no response; status $rc: $(tr '\n' ' ' <<<"$out")"
  fi
  ndpd_stop
  cap_stop
  lines=$(na_for "$CAP_FILE" "$GUEST_ADDR")
  if [ -n "$lines" ] && awk -F'|' -v ll="$BR_LL" -v d="$R_LL" -v m="$BR_MAC" \
      '$4 != ll || $5 != d || $6 != 255 || $8 != 1 || $9 != 1 || $10 != 1 || $11 != 0 || $12 != m { bad = 1 } END { exit bad }' <<<"$lines"; then
    pass capture-valid-na-arrived "a valid NA arrived anyway (src $BR_LL -> $R_LL, checksum good, R=1 S=1 O=0, TLLA $BR_MAC): $(head -n1 <<<"$lines")"
  else
    fail capture-valid-na-arrived "NAs for $GUEST_ADDR (want src $BR_LL, dst $R_LL, hlim 255, good checksum, R=1 S=1 O=0): ${lines:-none}"
  fi
}

# ---------------------------------------------------------------------------------------------
# 3. Forwarding

sc_forwarding() {
  local v1 v2 proxies out
  v1=$(inH sysctl -n net.ipv6.conf.all.proxy_ndp); v2=$(inH sysctl -n "net.ipv6.conf.$BR.proxy_ndp")
  proxies=$(ip -n "$H" -6 neigh show proxy)
  if [ "$v1" = 0 ] && [ "$v2" = 0 ] && [ -z "$proxies" ] && [ "$(inH sysctl -n net.ipv6.conf.all.forwarding)" = 1 ]; then
    pass kernel-proxy-off "host: all.proxy_ndp=0, $BR.proxy_ndp=0, no proxy neighbour entries, forwarding=1"
  else
    fail kernel-proxy-off "all.proxy_ndp=$v1 $BR.proxy_ndp=$v2 proxy entries: $proxies"
  fi
  # Control: without ndpd nothing answers for the guest (the ports are isolated).
  out=$(inR ping -6 -n -c1 -W1 "$GUEST_ADDR" 2>&1)
  if ! grep -q '1 received' <<<"$out" && neigh_unresolved "$GUEST_ADDR"; then
    pass control-without-ndpd "no ndpd: $(ping_summary "$out"), router neigh: $(neigh "$GUEST_ADDR")"
  else
    fail control-without-ndpd "the guest was reachable without ndpd: $(ping_summary "$out"), $(neigh "$GUEST_ADDR")"
  fi
  neigh_del "$GUEST_ADDR"

  cap_start forwarding "$R" "$R_IF" || return
  ndpd_start "${DEFAULT_ARGS[@]}" || return
  expect_ping ping-router-to-guest 3
  if neigh_is_bridge "$GUEST_ADDR"; then
    pass router-neigh-is-bridge "router: $(neigh "$GUEST_ADDR")"
  else
    fail router-neigh-is-bridge "router: $(neigh "$GUEST_ADDR")"
  fi
  local gl; gl=$(ip -n "$G" -6 neigh show "$GW" dev "$G_IF")
  if [[ $gl == *"lladdr $BR_MAC"* ]]; then
    pass guest-neigh-gateway-is-bridge "guest: $gl (ndpd answered the guest for the gateway too)"
  else
    fail guest-neigh-gateway-is-bridge "guest: ${gl:-no entry}"
  fi
  cap_stop
  local from_guest others
  from_guest=$(tshark -r "$CAP_FILE" -Y "eth.src == $G_MAC" -T fields -e frame.number 2>/dev/null | grep -c .)
  others=$(nas "$CAP_FILE" "icmpv6.nd.na.target_address == $GUEST_ADDR && eth.src != $BR_MAC")
  if [ "$from_guest" = 0 ] && [ -z "$others" ] && [ -n "$(na_for "$CAP_FILE" "$GUEST_ADDR")" ]; then
    pass only-ndpd-answers "router side: every NA for $GUEST_ADDR is from $BR_MAC, no frame from the guest's MAC"
  else
    fail only-ndpd-answers "frames from $G_MAC: $from_guest; other NAs: ${others:-none}; ndpd NAs: $(na_for "$CAP_FILE" "$GUEST_ADDR" | grep -c .)"
  fi
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# 4. Guest reboot: the guest deletes and re-adds its address, with DAD on

sc_reboot() {
  ndpd_start "${DEFAULT_ARGS[@]}" || return
  expect_resolved before-reboot "$GUEST_ADDR"
  cap_start reboot-guest "$G" "$G_IF" || return
  local gcap=$CAP_FILE gpid=$CAP_PID
  cap_start reboot-router "$R" "$R_IF" || return
  local rcap=$CAP_FILE rpid=$CAP_PID
  # The router keeps pinging the guest throughout.
  # (ip netns exec directly, not the inR function: a backgrounded function runs in a subshell
  # that ignores SIGINT, and ping prints its summary on SIGINT.)
  ip netns exec "$R" ping -6 -n -i 0.2 -w 30 "$GUEST_ADDR" >"$WORK/background-ping.txt" 2>&1 &
  local bping=$!; BG_PIDS+=("$bping")

  [ "$(inG sysctl -n "net.ipv6.conf.$G_IF.accept_dad")" != 0 ] || inG sysctl -qw "net.ipv6.conf.$G_IF.accept_dad=1"
  ip -n "$G" -6 addr del "$GUEST_ADDR/64" dev "$G_IF"
  sleep 0.5
  ip -n "$G" -6 addr add "$GUEST_ADDR/64" dev "$G_IF" # DAD on
  local t0; t0=$(now)
  info "guest right after re-adding: $(ip -n "$G" -6 -o addr show dev "$G_IF" to "$GUEST_ADDR/128" | awk '{$1=$2=""; print}')"
  # ndpd answers the router while the guest's address is tentative.
  local out tent
  if out=$(resolve "$GUEST_ADDR" 3); then
    tent=$(ip -n "$G" -6 addr show dev "$G_IF" to "$GUEST_ADDR/128" tentative)
    pass answered-during-dad "router resolved $GUEST_ADDR $(elapsed "$t0") s after the re-add (guest address $([ -n "$tent" ] && echo "still tentative" || echo "already past DAD")): $out"
  else
    fail answered-during-dad "router could not resolve $GUEST_ADDR during the guest's DAD: $out"
  fi
  expect_dad_completes dad-completes "$GUEST_ADDR" "$t0" 8
  guest_routes
  expect_ping ping-after-reboot 3
  kill -INT "$bping" 2>/dev/null; wait "$bping" 2>/dev/null
  info "background ping during the reboot: $(ping_summary "$(cat "$WORK/background-ping.txt")") (losses while the address is away/tentative are expected)"
  cap_stop "$gpid"; cap_stop "$rpid"
  # The guest's DAD probe went out, and nothing answered it (no NA for its address reached it).
  local dad nas_g
  dad=$(tshark -r "$gcap" -Y "icmpv6.type == 135 && ipv6.src == :: && icmpv6.nd.ns.target_address == $GUEST_ADDR" -T fields -e frame.number 2>/dev/null | grep -c .)
  nas_g=$(nas "$gcap" "icmpv6.nd.na.target_address == $GUEST_ADDR && eth.src != $G_MAC")
  if [ "$dad" -ge 1 ] && [ -z "$nas_g" ]; then
    pass dad-probe-not-answered "guest sent $dad DAD NS (src ::) for $GUEST_ADDR; no NA for it reached the guest"
  else
    fail dad-probe-not-answered "DAD NS seen: $dad; NAs for $GUEST_ADDR at the guest: ${nas_g:-none}"
  fi
  local bad
  bad=$(nas "$rcap" "icmpv6.nd.na.target_address == $GUEST_ADDR && eth.src != $BR_MAC")
  if [ -z "$bad" ] && [ -n "$(na_for "$rcap" "$GUEST_ADDR")" ]; then
    pass router-side-answers "$(na_for "$rcap" "$GUEST_ADDR" | grep -c .) NA(s) for $GUEST_ADDR on the router side during the reboot, all from $BR_MAC"
  else
    fail router-side-answers "foreign NAs: ${bad:-none}; ndpd NAs: $(na_for "$rcap" "$GUEST_ADDR" | grep -c .)"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# 5. Answer format

sc_format() {
  local rands=() i
  for i in 1 2 3; do rands+=("$(random_in_prefix)"); done
  # DEFAULT_ARGS as a file, with the unsolicited advertisements (off by default) on, and the
  # host's kernel knowing its gateway, so that they have an upstream router to go to.
  local conf="$WORK/ndpd.toml"
  printf '[[proxy]]\ninterface = "%s"\ntargets = ["%s", "%s"]\nexclude = ["%s"]\nunsolicited-na = true\n' \
    "$BR" "$PREFIX" "$GW" "$EXCLUDED" >"$conf"
  inH ping -6 -n -c1 -W1 "$GW" >/dev/null 2>&1
  cap_start format "$R" "$R_IF" || return
  local t0; t0=$(now)
  ndpd_start --config "$conf" || return
  expect_resolved resolve-guest "$GUEST_ADDR"
  for i in "${rands[@]}"; do expect_resolved "resolve-random" "$i"; done
  # One NS from a link-local source (ndisc6) for an answer with the link-local source.
  inR ndisc6 -1 -n -r 1 -w 500 "${rands[0]}" "$R_IF" >/dev/null 2>&1
  # Let the unsolicited NAs of the start (up to 3, 1 s apart) arrive.
  while awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e < 3.5) }'; do sleep 0.1; done
  cap_stop
  ndpd_stop

  local all; all=$(nas "$CAP_FILE")
  info "NAs on the router side (frame|eth.src|eth.dst|src|dst|hlim|target|cksum|R|S|O|TLLA):"
  sed 's/^/INFO   /' <<<"$all"
  local badck
  badck=$(awk -F'|' '$8 != 1' <<<"$all" | grep . )
  if [ -n "$all" ] && [ -z "$badck" ]; then
    pass checksums-good "all $(grep -c . <<<"$all") NAs on the router side: tshark icmpv6.checksum.status = 1 (Good)"
  else
    fail checksums-good "NAs with a checksum status other than Good: ${badck:-no NAs at all}"
  fi
  # ndpd's answers: from the bridge MAC, for a proxied target.
  local solicited=0 unsolicited=0 badf="" line f
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    IFS='|' read -r -a f <<<"$line"
    [ "${f[1]}" = "$BR_MAC" ] && proxied "${f[6]}" || continue
    local why=""
    [ "${f[5]}" = 255 ] || why+=" hlim=${f[5]}"
    [ "${f[11]}" = "$BR_MAC" ] || why+=" tlla=${f[11]}"
    [ "${f[8]}" = 1 ] || why+=" R=${f[8]}"
    [ "${f[10]}" = 0 ] || why+=" O=${f[10]}"
    if [[ ${f[4]} == ff* ]]; then
      unsolicited=$((unsolicited + 1))
      [ "${f[9]}" = 0 ] || why+=" S=${f[9]} to multicast"
      [ "${f[4]}" = ff02::1 ] || why+=" dst=${f[4]}"
      # Announcements go to the upstream router's MAC only, never to the all-nodes group.
      [ "${f[2]}" = "$R_MAC" ] || why+=" eth.dst=${f[2]}"
    else
      solicited=$((solicited + 1))
      [ "${f[9]}" = 1 ] || why+=" S=${f[9]}"
      [ "${f[2]}" = "$R_MAC" ] || why+=" eth.dst=${f[2]}"
      # source = auto: a global of br0 for a global solicitor, else its link-local.
      if [[ ${f[4]} == fe80:* ]]; then
        [ "${f[3]}" = "$BR_LL" ] || why+=" src=${f[3]} (want $BR_LL)"
      else
        [ "${f[3]}" = "$HOST_ADDR" ] || why+=" src=${f[3]} (want $HOST_ADDR)"
      fi
    fi
    [ -z "$why" ] || badf+="frame ${f[0]}:$why; "
  done <<<"$all"
  if [ "$solicited" -ge 4 ] && [ -z "$badf" ]; then
    pass solicited-flags "$solicited answers to the router's NS: hlim 255, R=1 S=1 O=0, TLLA $BR_MAC, to $R_MAC, source $HOST_ADDR (global NS) or $BR_LL (link-local NS)"
  else
    fail solicited-flags "$solicited solicited answers (want >= 4); problems: ${badf:-none}"
  fi
  if [ "$unsolicited" -ge 1 ] && [ -z "$badf" ]; then
    pass unsolicited-flags "$unsolicited unsolicited NA(s) to ff02::1 at $R_MAC (exact target $GW): S=0, R=1, O=0, hlim 255"
  else
    fail unsolicited-flags "problems: $badf"
  fi
  # Nothing from the bridge MAC for a target ndpd must not answer (the host's own answers aside).
  local foreign
  foreign=$(awk -F'|' -v m="$BR_MAC" -v h="$HOST_ADDR" -v ll="$BR_LL" '$2 == m && $7 != h && $7 != ll' <<<"$all" |
    while IFS='|' read -r -a f; do proxied "${f[6]}" || echo "frame ${f[0]} target ${f[6]}"; done)
  if [ -z "$foreign" ]; then
    pass only-proxied-targets "every NA from $BR_MAC is for a proxied target or the host's own address"
  else
    fail only-proxied-targets "$foreign"
  fi
}

# ---------------------------------------------------------------------------------------------
# 6. Reload (SIGHUP)

write_config() { # write_config FILE TARGET...: atomically (write, then rename)
  local file=$1; shift
  local list="" t
  for t in "$@"; do list+="${list:+, }\"$t\""; done
  printf '[[proxy]]\ninterface = "%s"\ntargets = [%s]\nexclude = ["%s"]\n' "$BR" "$list" "$EXCLUDED" >"$file.tmp"
  mv "$file.tmp" "$file"
}

sc_reload() {
  local conf="$WORK/ndpd.toml" new=2001:db8:0:96ce::77 never=2001:db8:0:96ce::88
  write_config "$conf" "$GUEST_ADDR" "$GW"
  ndpd_start --config "$conf" || return
  expect_resolved before-reload-guest "$GUEST_ADDR"
  expect_unresolved before-reload-new-target "$new"

  write_config "$conf" "$GUEST_ADDR" "$GW" "$new"
  local t0; t0=$(now)
  kill -HUP "$NDPD_PID"
  expect_resolved reload-answers-new-target "$new" 6
  info "reload took effect within $(elapsed "$t0") s; log: $(tail -n 3 "$NDPD_LOG" | tr '\n' ' ')"

  # A broken file: a new valid target plus a bad address. Nothing of it may be applied.
  local size; size=$(stat -c %s "$NDPD_LOG")
  write_config "$conf" "$GUEST_ADDR" "$GW" "$new" "$never" "not-an-address"
  kill -HUP "$NDPD_PID"
  local said="" i
  for i in $(seq 50); do
    said=$(tail -c +"$((size + 1))" "$NDPD_LOG" | grep -E 'not-an-address|ndpd\.toml:[0-9]+' | head -n 3)
    [ -n "$said" ] && break
    sleep 0.1
  done
  if [ -n "$said" ]; then
    pass broken-config-reported "log: $(tr '\n' ' ' <<<"$said")"
  else
    fail broken-config-reported "no line naming the problem (not-an-address / ndpd.toml:LINE) within 5 s; new log: $(tail -c +"$((size + 1))" "$NDPD_LOG" | tr '\n' ' ')"
  fi
  ndpd_alive_check alive-after-broken-config
  expect_resolved broken-keeps-new-target "$new"
  expect_resolved broken-keeps-guest "$GUEST_ADDR"
  expect_unresolved broken-not-applied "$never"
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# 7. Bridge deleted and recreated while ndpd runs

sc_bridge() {
  ndpd_start "${DEFAULT_ARGS[@]}" || return
  expect_resolved before-delete "$GUEST_ADDR"
  ip -n "$H" link del "$BR" || { fail delete-bridge "ip link del $BR failed"; return; }
  sleep 1
  ndpd_alive_check alive-without-bridge
  bridge_up || { fail recreate-bridge "could not recreate $BR"; return; }
  local t0 out; t0=$(now)
  if out=$(resolve "$GUEST_ADDR" 10); then
    pass answers-after-recreate "answered again $(elapsed "$t0") s after $BR was recreated: $out"
  else
    fail answers-after-recreate "no answer within 10 s of recreating $BR: $out"
  fi
  expect_resolved random-after-recreate "$(random_in_prefix)"
  expect_ping ping-after-recreate 2
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# 8. Flood: 100k NS for random targets at top speed

FLOOD_COUNT=${E2E_FLOOD_COUNT:-100000}
RSS_BOUND_MIB=${E2E_RSS_BOUND_MIB:-64}

sc_flood() {
  local pcap="$WORK/flood.pcap" py=/usr/bin/python3
  [ -x "$py" ] || py=python3
  if ! "$py" "$ROOT/Benchmarks/tools/gen_ns_pcap.py" --count "$FLOOD_COUNT" --out "$pcap" --seed $$ 2>"$WORK/gen.err"; then
    fail generate "gen_ns_pcap.py failed: $(cat "$WORK/gen.err")"; return
  fi
  info "$(cat "$WORK/gen.err")"
  local metrics="$WORK/metrics.prom"
  ndpd_start "${DEFAULT_ARGS[@]}" --metrics-file "$metrics" || return
  expect_resolved before-flood "$GUEST_ADDR"
  info "ndpd before the flood: VmRSS $(rss_kib "$NDPD_PID" VmRSS) KiB, VmHWM $(rss_kib "$NDPD_PID" VmHWM) KiB"
  local rx0 rx1 out rc
  rx0=$(inR cat "/sys/class/net/$R_IF/statistics/rx_packets")
  local br0rx br0drop
  br0rx=$(inH cat "/sys/class/net/$BR/statistics/rx_packets"); br0drop=$(inH cat "/sys/class/net/$BR/statistics/rx_dropped")
  out=$(inR tcpreplay -t -i "$R_IF" "$pcap" 2>&1); rc=$?
  info "tcpreplay: status $rc: $(grep -E 'Actual|Rated|Failed|Truncated' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
  if [ "$rc" = 0 ] && grep -q "Actual: $FLOOD_COUNT packets" <<<"$out"; then
    pass flood-sent "$FLOOD_COUNT NS sent at top speed"
  else
    fail flood-sent "tcpreplay status $rc: $(tail -n 5 <<<"$out" | tr '\n' ' ')"
  fi
  ndpd_alive_check alive-after-flood
  [ -n "$NDPD_PID" ] || return
  expect_resolved answers-after-flood "$GUEST_ADDR"
  expect_resolved answers-random-after-flood "$(random_in_prefix)"
  sleep 0.5
  rx1=$(inR cat "/sys/class/net/$R_IF/statistics/rx_packets")
  info "router $R_IF received $((rx1 - rx0)) frames since the flood started (the NAs; ~90% of the NS are for proxied targets)"
  info "host $BR: $(( $(inH cat "/sys/class/net/$BR/statistics/rx_packets") - br0rx )) frames received, $(( $(inH cat "/sys/class/net/$BR/statistics/rx_dropped") - br0drop )) dropped by the kernel since the flood started"
  local rss hwm bound=$((RSS_BOUND_MIB * 1024))
  rss=$(rss_kib "$NDPD_PID" VmRSS); hwm=$(rss_kib "$NDPD_PID" VmHWM)
  if [ -n "$hwm" ] && [ "$hwm" -lt "$bound" ] && [ "$rss" -lt "$bound" ]; then
    pass rss-bounded "VmHWM $hwm KiB, VmRSS $rss KiB < bound $RSS_BOUND_MIB MiB"
  else
    fail rss-bounded "VmHWM ${hwm:-?} KiB, VmRSS ${rss:-?} KiB, bound $RSS_BOUND_MIB MiB"
  fi
  # Every NS of the flood is accounted for: seen by the engine, or counted as a capture drop
  # (the metrics file is rewritten every few seconds).
  local seen=0 drops=0 t0; t0=$(now)
  while :; do
    seen=$(metric "$metrics" ndpd_frames_total); drops=$(metric "$metrics" ndpd_capture_drops_total)
    [ $((seen + drops)) -ge "$FLOOD_COUNT" ] && break
    awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e > 8) }' && break
    sleep 0.2
  done
  if [ $((seen + drops)) -ge "$FLOOD_COUNT" ]; then
    pass flood-accounted "metrics: $seen frames seen + $drops capture drops >= $FLOOD_COUNT sent; answered $(metric "$metrics" ndpd_decisions_total 'decision="answer"'), send errors $(metric "$metrics" ndpd_send_errors_total)"
  else
    fail flood-accounted "metrics after $(elapsed "$t0") s: $seen frames seen + $drops capture drops < $FLOOD_COUNT sent ($(wc -c <"$metrics" 2>/dev/null || echo no) bytes in $metrics)"
  fi
  # Answers decided and answers sent are two figures: every answer was sent, or its send failed
  # (send errors also count failed unsolicited advertisements, hence at most).
  local answers sent errors
  answers=$(metric "$metrics" ndpd_decisions_total 'decision="answer"')
  sent=$(metric "$metrics" ndpd_advertisements_sent_total); errors=$(metric "$metrics" ndpd_send_errors_total)
  if [ "$answers" -gt 0 ] && [ "$sent" -le "$answers" ] && [ $((answers - sent)) -le "$errors" ]; then
    pass answers-sent-accounted "metrics: $answers answers decided, $sent sent, $errors send errors"
  else
    fail answers-sent-accounted "metrics: $answers answers decided, $sent sent, $errors send errors"
  fi
  local size; size=$(stat -c %s "$NDPD_LOG")
  kill -USR1 "$NDPD_PID"; sleep 0.5
  info "counters (SIGUSR1): $(tail -c +"$((size + 1))" "$NDPD_LOG" | tr '\n' ' ' | cut -c1-1500)"
  ndpd_stop sigterm-after-flood
}


# ---------------------------------------------------------------------------------------------
# 9. DAD: no NA for a guest's address reaches that guest while its DAD runs

DAD_ADDR=2001:db8:0:96ce::5
DAD_OTHER=2001:db8:0:96ce::6

# dad_config FILE EXTRA_LINE TARGET...: a config with unsolicited advertisements on, the worst case.
dad_config() {
  local file=$1 extra=$2; shift 2
  local list="" t
  for t in "$@"; do list+="${list:+, }\"$t\""; done
  printf '[[proxy]]\ninterface = "%s"\ntargets = [%s]\nunsolicited-na = true\n%s\n' "$BR" "$list" "$extra" >"$file.tmp"
  mv "$file.tmp" "$file"
}

# The host's kernel learns the upstream router (its default gateway), as a hosting server's has:
# a neighbour entry flagged `router`, which is where ndpd sends its announcements.
host_knows_router() {
  inH ping -6 -n -c1 -W1 "$GW" >/dev/null 2>&1
  local l; l=$(inH ip -6 neigh show "$GW" dev "$BR")
  if [[ $l == *"lladdr $R_MAC"*router* ]]; then
    pass host-knows-router "host neigh: $l"
  else
    fail host-knows-router "host neigh for $GW: ${l:-none}"
  fi
}

# guest_add_with_dad TRANSMITS: the guest adds DAD_ADDR with DAD on (TRANSMITS probes, 1 s apart).
guest_add_with_dad() {
  inG sysctl -qw "net.ipv6.conf.$G_IF.accept_dad=1" "net.ipv6.conf.$G_IF.dad_transmits=$1"
  ip -n "$G" -6 addr add "$DAD_ADDR/64" dev "$G_IF"
  DAD_T0=$(now)
}

# dad_outcome: the guest's DAD for DAD_ADDR ends neither dadfailed nor tentative.
dad_outcome() { expect_dad_completes no-dadfailed "$DAD_ADDR" "$DAD_T0" 10; }

# guest_wire_checks GUEST_CAP: the guest's DAD probes went out, and its wire carried no NA from
# the host for its address, nor any advertisement from the host to all-nodes.
guest_wire_checks() {
  local gcap=$1 probes mine allnodes
  probes=$(tshark -r "$gcap" -Y "icmpv6.type == 135 && ipv6.src == :: && icmpv6.nd.ns.target_address == $DAD_ADDR" -T fields -e frame.time_relative 2>/dev/null | grep -c .)
  if [ "$probes" -ge 1 ]; then
    pass dad-ran "the guest sent $probes DAD probe(s) for $DAD_ADDR"
  else
    fail dad-ran "no DAD probe for $DAD_ADDR on the guest's wire"
  fi
  mine=$(nas "$gcap" "icmpv6.nd.na.target_address == $DAD_ADDR && eth.src == $BR_MAC")
  allnodes=$(nas "$gcap" "ipv6.dst == ff02::1 && eth.src == $BR_MAC")
  if [ -z "$mine" ] && [ -z "$allnodes" ]; then
    pass guest-wire-clean "no NA from $BR_MAC for $DAD_ADDR, and none to ff02::1, on the guest's wire"
  else
    fail guest-wire-clean "NAs from the host on the guest's wire (frame|eth.src|eth.dst|src|dst|hlim|target|cksum|R|S|O|TLLA): ${mine:-} ${allnodes:-}"
  fi
}

# router_gets_announcements ROUTER_CAP TARGET: unsolicited NAs for TARGET reached the router,
# Ethernet-unicast to its MAC, IPv6 to ff02::1, S=0.
router_gets_announcements() {
  local rcap=$1 target=$2 lines bad
  lines=$(nas "$rcap" "icmpv6.nd.na.target_address == $target && ipv6.dst == ff02::1 && eth.src == $BR_MAC")
  bad=$(awk -F'|' -v r="$R_MAC" '$3 != r || $10 != 0 || $6 != 255' <<<"$lines" | grep .)
  if [ -n "$lines" ] && [ -z "$bad" ]; then
    pass router-gets-announcements "$(grep -c . <<<"$lines") unsolicited NA(s) for $target at the router: eth.dst $R_MAC, ff02::1, S=0, hlim 255"
  else
    fail router-gets-announcements "unsolicited NAs for $target at the router: ${lines:-none}; wrong: ${bad:-none}"
  fi
}

# dad_boot TRANSMITS: the host boots while a guest's DAD runs: ndpd starts 0.3 s after the guest
# added its address.
dad_boot() {
  local conf="$WORK/ndpd.toml"
  dad_config "$conf" "" "$PREFIX" "$DAD_ADDR" "$DAD_OTHER"
  host_knows_router
  cap_start dad-guest "$G" "$G_IF" || return
  local gcap=$CAP_FILE gpid=$CAP_PID
  cap_start dad-router "$R" "$R_IF" || return
  local rcap=$CAP_FILE rpid=$CAP_PID
  guest_add_with_dad "$1"
  sleep 0.3
  ndpd_start --config "$conf" || return
  dad_outcome
  sleep 0.5
  cap_stop "$gpid"; cap_stop "$rpid"
  guest_wire_checks "$gcap"
  router_gets_announcements "$rcap" "$DAD_OTHER"
  info "ndpd: $(grep -h 'unsolicited advertisements' "$NDPD_LOG" | tr '\n' ' ')"
  ndpd_alive_check still-running
  ndpd_stop
}

sc_dad_boot() { dad_boot 1; }
sc_dad_boot3() { dad_boot 3; }

# A guest boots with dad_transmits=3; the admin adds its address to the file and reloads 0.2 s later.
sc_dad_reload() {
  local conf="$WORK/ndpd.toml"
  dad_config "$conf" "" "$PREFIX" "$DAD_OTHER"
  host_knows_router
  ndpd_start --config "$conf" || return
  sleep 3.5 # the start's announcements are over
  cap_start dad-guest "$G" "$G_IF" || return
  local gcap=$CAP_FILE gpid=$CAP_PID
  cap_start dad-router "$R" "$R_IF" || return
  local rcap=$CAP_FILE rpid=$CAP_PID
  guest_add_with_dad 3
  sleep 0.2
  dad_config "$conf" "" "$PREFIX" "$DAD_ADDR" "$DAD_OTHER"
  kill -HUP "$NDPD_PID"
  dad_outcome
  sleep 0.5
  cap_stop "$gpid"; cap_stop "$rpid"
  guest_wire_checks "$gcap"
  router_gets_announcements "$rcap" "$DAD_OTHER"
  info "ndpd: $(grep -h 'unsolicited advertisements\|reloaded' "$NDPD_LOG" | tr '\n' ' ')"
  ndpd_alive_check still-running
  ndpd_stop
}

# dad = "defend": the guest that owns the address reboots and probes from its own MAC.
sc_dad_defend() {
  local conf="$WORK/ndpd.toml"
  dad_config "$conf" 'dad = "defend"' "$PREFIX" "$DAD_ADDR" "$GW"
  host_knows_router
  ip -n "$G" -6 addr add "$DAD_ADDR/64" dev "$G_IF" nodad
  ndpd_start --config "$conf" --log-level debug || return
  # The guest speaks from its address (it resolves the gateway): ndpd learns its MAC as the owner.
  inG ping -6 -n -c1 -W2 -I "$DAD_ADDR" "$GW" >/dev/null 2>&1
  cap_start dad-guest "$G" "$G_IF" || return
  local gcap=$CAP_FILE gpid=$CAP_PID
  ip -n "$G" -6 addr del "$DAD_ADDR/64" dev "$G_IF"
  sleep 0.3
  guest_add_with_dad 1
  dad_outcome
  sleep 0.5
  cap_stop "$gpid"
  guest_wire_checks "$gcap"
  local said; said=$(grep -c "who-has $DAD_ADDR: ignore dad-from-owner" "$NDPD_LOG")
  if [ "$said" -ge 1 ]; then
    pass owner-probe-ignored "ndpd logged $said probe(s) for $DAD_ADDR as ignore dad-from-owner"
  else
    fail owner-probe-ignored "no 'ignore dad-from-owner' for $DAD_ADDR in the log: $(grep "$DAD_ADDR" "$NDPD_LOG" | tail -n 5 | tr '\n' ' ')"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}

sc_control() {
  local conf="$WORK/ndpd.toml" new=2001:db8:0:96ce::77 never=2001:db8:0:96ce::88 sock="$WORK/ctl.sock"
  local out rc mac
  write_config "$conf" "$GUEST_ADDR" "$GW"
  ndpd_start --config "$conf" --control-socket "$sock" || return
  expect_resolved resolve-guest "$GUEST_ADDR"
  mac=$(ip -n "$H" link show "$BR" | awk '/link\/ether/ { print $2 }')

  out=$("$NDPD" status --socket "$sock" 2>&1); rc=$?
  info "ndpd status (exit $rc): $(tr '\n' '|' <<<"$out")"
  check status-text "exit $rc; $BR up with MAC $mac, 2 addresses, answers counted" \
    bash -c '[ "$1" -eq 0 ] && grep -qx "$2: up, MAC $3" <<<"$4" && grep -q "rules: 2 addresses, 0 prefixes" <<<"$4" \
      && grep -Eq "solicitations: [0-9]+ answered" <<<"$4" && ! grep -q "solicitations: 0 answered" <<<"$4"' \
    _ "$rc" "$BR" "$mac" "$out"
  out=$("$NDPD" status --json --socket "$sock" 2>&1); rc=$?
  check status-json "exit $rc; one JSON object naming $BR, up, $mac" python3 -c '
import json, sys
report = json.loads(sys.argv[1])
interface = report["interfaces"][0]
assert interface["name"] == sys.argv[2] and interface["state"] == "up" and interface["mac"] == sys.argv[3], interface
assert interface["rules"]["addresses"] == 2 and interface["counters"]["answered"] >= 1, interface
assert report["configuration"]["path"] == sys.argv[4], report["configuration"]
' "$out" "$BR" "$mac" "$conf"

  write_config "$conf" "$GUEST_ADDR" "$GW" "$new"
  out=$("$NDPD" reload --socket "$sock" 2>&1); rc=$?
  check reload-ok "exit $rc, said: $out" test "$rc" -eq 0 -a "$out" = reloaded
  expect_resolved reload-answers-new-target "$new" 3

  write_config "$conf" "$GUEST_ADDR" "$GW" "$new" "$never" "not-an-address"
  out=$("$NDPD" reload --socket "$sock" 2>&1); rc=$?
  check reload-broken-fails "exit $rc, said: $(tr '\n' '|' <<<"$out")" \
    bash -c '[ "$1" -eq 1 ] && grep -q "not-an-address" <<<"$2" && grep -q "previous configuration stays in force" <<<"$2"' _ "$rc" "$out"
  expect_resolved broken-keeps-new-target "$new"
  expect_unresolved broken-not-applied "$never"

  out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$NDPD" status --socket "$sock" 2>&1); rc=$?
  check stranger-refused "exit $rc, said: $out" test "$rc" -eq 3

  # Bad clients: 1000 connections that never write, and 200 that send garbage or too much, while
  # the router resolves the guest again. The answers must not wait for them.
  local storm="$WORK/storm.py"
  cat >"$storm" <<'PY'
import socket, sys, time
path = sys.argv[1]
held = []
for i in range(1200):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(path)
        if i % 6 == 0:
            s.send(b"\x00garbage" if i % 12 == 0 else b"A" * 4096)
    except OSError:
        pass
    held.append(s)
time.sleep(3)
for s in held:
    s.close()
PY
  bg python3 "$storm" "$sock"
  local storm_pid=${BG_PIDS[-1]}
  sleep 0.5
  neigh_del "$GUEST_ADDR"
  expect_resolved storm-answers-guest "$GUEST_ADDR" 3
  expect_resolved storm-answers-new-target "$new" 3
  wait "$storm_pid" 2>/dev/null
  local i answered=""
  for i in $(seq 30); do
    if out=$("$NDPD" status --socket "$sock" 2>&1); then answered=yes; break; fi
    sleep 0.2
  done
  check status-after-storm "answered again after the storm: ${answered:-no}; last: $(head -n 1 <<<"$out")" test -n "$answered"
  ndpd_alive_check alive-after-storm
  ndpd_stop
  check socket-removed "no $sock after SIGTERM" test ! -e "$sock"
}

# ---------------------------------------------------------------------------------------------
# 10. As strict as the kernel: THC's IPv6 fuzzer against the host's own address, each frame's
#     fate in the host kernel beside ndpd's verdict on the same capture

# The fuzzer's passes: NS fuzzing with the IP header fuzzed (-I), and with each extension header
# it adds and fuzzes: fragment, hop-by-hop, destination options, routing, Router Alert, Jumbo.
# `-x` tries all 256 values of each flag and byte field, so every pass is a fixed list of cases
# (3,000 to 5,700 frames; about 33,000 in all).
KERNEL_PASSES=(I F H D S R J)

# kernel_judge NAME CAPTURE: each frame of CAPTURE sent again alone, with the host's answer
# counted (kernel_verdicts.py), then ndpd's verdicts on the same capture compared with the
# kernel's (kernel_compare.py). One check, NAME.
kernel_judge() {
  local name=$1 cap=$2 verdicts="${2%.pcap}.kernel" out="${2%.pcap}.jsonl" result
  if ! inR python3 "$HERE/kernel_verdicts.py" "$cap" "$R_IF" "$KERNEL_HOST_PID" "$R_MAC" "$BR_MAC" "$GW" "$HOST_ADDR" \
       "$verdicts" >"$verdicts.log" 2>&1; then
    fail "$name" "kernel_verdicts.py failed: $(tail -c 300 "$verdicts.log")"
    return
  fi
  "$NDPD" --replay "$cap" --config "$WORK/kernel.toml" --json 2>/dev/null | grep -v '^{"summary"' >"$out"
  if result=$(python3 "$HERE/kernel_compare.py" "$cap" "$verdicts" "$out" "$HOST_ADDR" "$HERE/kernel-differences.txt"); then
    pass "$name" "$(cat "$verdicts.log"); $(tr '\n' ' ' <<<"$result")"
  else
    fail "$name" "$(tr '\n' ' ' <<<"$result")"
  fi
}

sc_kernel() {
  local pass cap
  # ndpd answers for the host's own address, as the host's kernel does (proxy_ndp off).
  printf '[[proxy]]\ninterface = "%s"\nmac = "%s"\ntargets = ["%s"]\n' "$BR" "$BR_MAC" "$HOST_ADDR" >"$WORK/kernel.toml"
  # The host forwards, so it holds the subnet-router anycast address (RFC 4291 §2.6.1), and the
  # kernel answers an NS for an anycast target after a random delay (proxy_delay, up to 0.8 s):
  # that answer would be counted for a later frame. Without the delay it comes at once.
  inH sysctl -qw "net.ipv6.neigh.$BR.proxy_delay=0"
  # A process in the host namespace: /proc/PID/net/snmp6 is the host's ICMPv6 counters.
  ip netns exec "$H" sleep 3600 &
  KERNEL_HOST_PID=$!
  BG_PIDS+=("$KERNEL_HOST_PID")
  for pass in "${KERNEL_PASSES[@]}"; do
    cap="$WORK/kernel-fuzz-$pass.pcap"
    # What the router sends (the fuzzer's frames and its own kernel's), every IPv6 frame: the
    # `icmp6` filter would miss NS behind extension headers.
    ip netns exec "$R" tcpdump --immediate-mode -U -Z root -n -Q out -i "$R_IF" -w "$cap" ip6 2>"$cap.err" &
    local tpid=$!
    BG_PIDS+=("$tpid")
    local i
    for i in $(seq 100); do grep -q "listening on" "$cap.err" 2>/dev/null && break; sleep 0.05; done
    inR timeout 120 atk6-fuzz_ip6 -2 -x -a "-$pass" "$R_IF" "$HOST_ADDR" >"$WORK/fuzz-$pass.out" 2>&1
    local rc=$?
    sleep 0.3
    cap_stop "$tpid"
    if [ "$rc" != 0 ]; then
      fail "pass-$pass" "atk6-fuzz_ip6 -2 -x -a -$pass exited with $rc: $(tail -c 300 "$WORK/fuzz-$pass.out")"
      continue
    fi
    kernel_judge "pass-$pass" "$cap"
  done
  # The rules the fuzzer does not reach, one frame each (kernel_options.py).
  python3 "$HERE/kernel_options.py" "$WORK/kernel-options.pcap"
  kernel_judge options "$WORK/kernel-options.pcap"
}

# ---------------------------------------------------------------------------------------------

main() {
  local scenarios
  scenarios=$(awk '$1 == "scenario" { printf "%s ", $2 }' "$HERE/scenarios.txt")
  if [[ " $scenarios " != *" $SCEN "* ]] || [ -z "$SCEN" ]; then
    echo "usage: NDPD=path bash $0 $(tr ' ' '|' <<<"${scenarios% }")" >&2; exit 2
  fi
  if [ "$(id -u)" != 0 ]; then echo "run.sh: needs root" >&2; exit 2; fi
  install_traps
  reap_stale
  if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/ndpd-e2e.XXXXXX); fi
  mkdir -p "$WORK"
  info "scenario $SCEN, ndpd $NDPD, work dir $WORK, namespace prefix $PFX"
  if require_tools && bed_up; then
    "sc_$SCEN"
  fi
  finish
}

main
