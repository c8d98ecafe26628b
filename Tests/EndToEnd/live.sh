# shellcheck shell=bash
# The live-mode scenarios (ARCHITECTURE.md "Live guests", `mode = "live"`): ndpd answers a prefix
# only for the addresses that really exist on the guest side. Sourced by run.sh after testbed.sh.
#
# What these scenarios expect from ndpd, in one place:
#
# Configuration keys, per [[proxy]] block: `mode = "live"`, `guest-interfaces = ["br0"]` (a list
# of interfaces) or `guest-interfaces = "routes"`, `uplink-port = "up0"`, and the table
# [proxy.live] with reachable, idle, probes, probe-interval, negative, max-entries, max-probing,
# probe-rate (durations as strings: "2s", "500ms"). `ndpd check --config FILE` accepts such a file.
#
# The caps as ARCHITECTURE.md "Live guests" sets them: max-entries bounds LIVE + STALE + TENTATIVE,
# max-probing bounds PROBING + INVALID; probe-rate counts probe frames a second.
#
# Metrics (`--metrics-file`, Prometheus text, rewritten every few seconds). Each family carries the
# label interface="<the [[proxy]] block's interface>" on every sample; the scenarios sum over it.
#   ndpd_live_entries{interface,state}              gauge: entries by state, state one of
#                                                   "probing", "live", "stale", "tentative", "invalid"
#   ndpd_live_probes_sent_total{interface,kind}     counter: probe NS sent, kind "first-contact"
#                                                   (an unknown address) or "re-probe" (a STALE one)
#   ndpd_live_probes_refused_total{interface,kind}  counter: probes the budget refused, same kinds
#   ndpd_live_evictions_total{interface}            counter: STALE entries evicted for room
#   ndpd_live_probe_rtt_seconds{interface}          histogram: _bucket{le=...}, _sum, _count, from
#                                                   a probe to the guest's NA that answered it
#   ndpd_decisions_total{interface,decision="ignore",reason=...} gains the new reason words,
#   of which these scenarios read "not-live" and "no-guest-route".
#
# The scenarios judge ndpd by what the wires carry (router side, guest side), by the kernels'
# neighbour tables and addresses, and by those metrics; they read no log line.
#
# Timers are shortened where a scenario would otherwise wait long (reachable = "2s" unless said),
# never in a way that changes what a check means.

# The [proxy.live] values of every scenario unless it says otherwise.
LIVE_DEFAULTS=(reachable='"2s"' idle='"30s"' probes=3 probe-interval='"500ms"' negative='"3s"'
  max-entries=65536 max-probing=1024 probe-rate=200)
LIVE_KEYS=(reachable idle probes probe-interval negative max-entries max-probing probe-rate)
METRICS=""

# live_config FILE TARGETS GUESTS [KEY=VALUE...]: one [[proxy]] block on br0 in live mode.
# TARGETS: the body of the TOML list; GUESTS: the value of guest-interfaces, as TOML; each
# KEY=VALUE replaces a [proxy.live] default (VALUE as TOML).
live_config() {
  local file=$1 targets=$2 guests=$3; shift 3
  declare -A v=()
  local kv k
  for kv in "${LIVE_DEFAULTS[@]}" "$@"; do v[${kv%%=*}]=${kv#*=}; done
  {
    printf '[[proxy]]\ninterface = "%s"\ntargets = [%s]\n' "$BR" "$targets"
    [[ $targets != *"$PREFIX"* ]] || printf 'exclude = ["%s"]\n' "$EXCLUDED"
    printf 'mode = "live"\nguest-interfaces = %s\nuplink-port = "%s"\n\n[proxy.live]\n' "$guests" "$UP_IF"
    for k in "${LIVE_KEYS[@]}"; do printf '%s = %s\n' "$k" "${v[$k]}"; done
  } >"$file.tmp"
  mv "$file.tmp" "$file"
}

# The bridged configuration: the /64 and the gateway, guests on br0.
bridged_config() { live_config "$1" "\"$PREFIX\", \"$GW\"" "[\"$BR\"]" "${@:2}"; }

# live_start CONF [ARGS...]: `ndpd check` must accept CONF (else one clear FAIL and return 1:
# the scenario stops at once), then ndpd runs with it and a metrics file ($METRICS).
live_start() {
  local conf=$1 out rc; shift
  out=$("$NDPD" check --config "$conf" 2>&1); rc=$?
  if [ "$rc" != 0 ]; then
    fail config-accepted "ndpd check refused the live configuration (status $rc), so live mode is not there: $(tr '\n' ' ' <<<"$out" | cut -c1-600)"
    return 1
  fi
  [ "$NDPD_RUNS" -gt 0 ] || pass config-accepted "ndpd check accepted $(basename "$conf"): $(grep -c . "$conf") lines, mode = \"live\""
  METRICS="$WORK/metrics.prom"
  ndpd_start --config "$conf" --metrics-file "$METRICS" "$@"
}

# metrics_fresh: waits (7 s at most) for the metrics file to be rewritten (a new inode: it is
# written, then renamed), so that it holds what happened until now.
metrics_fresh() {
  local before t0; before=$(stat -c %i "$METRICS" 2>/dev/null); t0=$(now)
  while [ "$(stat -c %i "$METRICS" 2>/dev/null)" = "$before" ]; do
    awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e > 7) }' && { info "metrics file not rewritten within 7 s"; return 1; }
    sleep 0.1
  done
}

# m NAME [LABEL_SUBSTRING]: a family's sum in the current metrics file.
m() { metric "$METRICS" "$@"; }

# Whether the current metrics file has a family at all (a sample line, not only HELP/TYPE).
has_family() { grep -q "^$1[{ ]" "$METRICS" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Wire analysis

# few LINES: at most the first 3 lines, on one line, for a check's detail ("none" if empty).
few() { [ -n "$1" ] && echo "$(grep -c . <<<"$1") line(s), first: $(head -n 3 <<<"$1" | tr '\n' ';' | cut -c1-500)" || echo none; }

# nd FILE [FILTER]: the NS and NA in FILE, one per line, '|'-separated:
# time|type|eth.src|eth.dst|ipv6.src|ipv6.dst|hlim|target|checksum.status|lladdr option
nd() {
  local filter="icmpv6.type == 135 || icmpv6.type == 136"
  [ -z "${2:-}" ] || filter="($filter) && ($2)"
  tshark -r "$1" -Y "$filter" -T fields -E separator='|' -e frame.time_epoch -e icmpv6.type \
    -e eth.src -e eth.dst -e ipv6.src -e ipv6.dst -e ipv6.hlim \
    -e icmpv6.nd.ns.target_address -e icmpv6.nd.na.target_address -e icmpv6.checksum.status \
    -e icmpv6.opt.linkaddr 2>/dev/null |
    awk -F'|' -v OFS='|' '{ t = ($8 != "") ? $8 : $9; print $1, $2, $3, $4, $5, $6, $7, t, $10, $11 }'
}

# The awk functions every analysis shares: expand(a) writes an IPv6 address as 32 hex digits;
# solnode_mac(a) and solnode_group(a) are the Ethernet and IPv6 destinations of an NS for a
# (RFC 4291 §2.7.1: ff02::1:ff00:0/104 plus the last 24 bits; RFC 2464 §7: 33:33 plus the last
# 32 bits of the group).
AWK_LIB='
function expand(a,   n, i, parts, head, tail, hp, tp, h, t, missing, out) {
  a = tolower(a)
  if (index(a, "::")) {
    head = substr(a, 1, index(a, "::") - 1); tail = substr(a, index(a, "::") + 2)
    h = (head == "") ? 0 : split(head, hp, ":"); t = (tail == "") ? 0 : split(tail, tp, ":")
    missing = 8 - h - t; out = ""
    for (i = 1; i <= h; i++) out = out sprintf("%4s", hp[i])
    for (i = 1; i <= missing; i++) out = out "0000"
    for (i = 1; i <= t; i++) out = out sprintf("%4s", tp[i])
  } else {
    n = split(a, parts, ":"); out = ""
    for (i = 1; i <= n; i++) out = out sprintf("%4s", parts[i])
  }
  gsub(/ /, "0", out)
  return out
}
function solnode_mac(a,   x) { x = expand(a); return "33:33:ff:" substr(x, 27, 2) ":" substr(x, 29, 2) ":" substr(x, 31, 2) }
function solnode_group(a) { return "ff0200000000000000000001ff" substr(expand(a), 27, 6) }
'

# probes_before GUEST_CAP ROUTER_CAP TARGET FROM [ASKED]: NS for TARGET sent by the host (eth.src =
# a host MAC) on the guest's wire after FROM and before the first NA for TARGET that reached the
# router after ASKED (default FROM; the whole capture if none did). The host's kernel never
# solicits TARGET before the router has its answer (it forwards nothing to TARGET until then), so
# these are ndpd's probes.
probes_before() {
  local gcap=$1 rcap=$2 target=$3 from=$4 until
  until=$(first_na_after "$rcap" "$target" "${5:-$from}")
  nd "$gcap" "icmpv6.type == 135 && (eth.src == $BR_MAC || eth.src == $VMBR1_MAC) && icmpv6.nd.ns.target_address == $target" |
    awk -F'|' -v f="$from" -v u="${until:-9e18}" '$1 >= f && $1 < u' | grep -c .
}

# first_na_after ROUTER_CAP TARGET FROM: the time of the first NA for TARGET from br0 after FROM.
first_na_after() {
  nd "$1" "icmpv6.type == 136 && eth.src == $BR_MAC && icmpv6.nd.na.target_address == $2" |
    awk -F'|' -v f="$3" '$1 >= f { print $1; exit }'
}

# host_nas_to_guest GUEST_CAP TARGET: NAs for TARGET from a host MAC on a guest's wire (the DAD
# rule: none may ever reach the guest that owns TARGET).
host_nas_to_guest() {
  nd "$1" "icmpv6.type == 136 && (eth.src == $BR_MAC || eth.src == $VMBR1_MAC) && icmpv6.nd.na.target_address == $2"
}

# host_nd_count GUEST_CAP: NS and NA from a host MAC on a guest's wire (the figure behind "none
# of them was an NA for the guest's address").
host_nd_count() { nd "$1" "eth.src == $BR_MAC || eth.src == $VMBR1_MAC" | grep -c .; }

# ask ADDR: the router sends one NS for ADDR (ndisc6, from its link-local: nothing is forwarded
# to ADDR afterwards, so the host's kernel adds no NS of its own) and waits 250 ms.
ask() { inR ndisc6 -1 -n -r 1 -w 250 "$1" "$R_IF" >/dev/null 2>&1; true; }

# ping_to NAME ADDR COUNT: the router pings ADDR COUNT times, all must be answered.
ping_to() {
  local name=$1 addr=$2 count=$3 out sum
  out=$(inR ping -6 -n -c "$count" -i 0.3 -W 2 "$addr" 2>&1)
  sum=$(ping_summary "$out")
  if [[ $sum == "$count packets transmitted, $count received" ]]; then
    pass "$name" "router -> $addr: $sum, $(grep -Eo 'rtt .*' <<<"$out")"
  else
    fail "$name" "router -> $addr: ${sum:-$(tail -n 3 <<<"$out" | tr '\n' ' ')}"
  fi
}

# resolved NAME ADDR [SECONDS]: expect_resolved with the router's entry dropped first.
resolved() { neigh_del "$2"; expect_resolved "$@"; }

# dad_add NS ADDR TRANSMITS: the guest in NS adds ADDR/64 with DAD (TRANSMITS probes 1 s apart).
dad_add() {
  ip netns exec "$1" sysctl -qw "net.ipv6.conf.$G_IF.accept_dad=1" "net.ipv6.conf.$G_IF.dad_transmits=$3"
  ip -n "$1" -6 addr add "$2/64" dev "$G_IF"
}

# dad_probes GUEST_CAP ADDR: the guest's DAD probes for ADDR (source ::).
dad_probes() {
  nd "$1" "icmpv6.type == 135 && ipv6.src == :: && icmpv6.nd.ns.target_address == $2" | grep -c .
}

# ---------------------------------------------------------------------------------------------
# L1. Unknown live guest: first contact through a probe

FIRST_CONTACT_PER_GUEST=${E2E_FIRST_CONTACT_PER_GUEST:-100}

sc_live_first_contact() {
  guest2_up || return
  # 100 more addresses on each guest: 2001:db8:0:96ce::1:N on the first, ::2:N on the second.
  local i a targets=()
  for i in $(seq 1 "$FIRST_CONTACT_PER_GUEST"); do
    a=$(printf '2001:db8:0:96ce::1:%x' "$i"); echo "address add $a/64 dev $G_IF nodad"
  done | ip -n "$G" -batch - || { fail testbed "adding the first guest's addresses failed"; return; }
  for i in $(seq 1 "$FIRST_CONTACT_PER_GUEST"); do
    a=$(printf '2001:db8:0:96ce::2:%x' "$i"); echo "address add $a/64 dev $G_IF nodad"
  done | ip -n "$G2" -batch - || { fail testbed "adding the second guest's addresses failed"; return; }
  for i in $(seq 1 "$FIRST_CONTACT_PER_GUEST"); do
    targets+=("$(printf '2001:db8:0:96ce::1:%x' "$i")" "$(printf '2001:db8:0:96ce::2:%x' "$i")")
  done
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  cap_start fc-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  cap_start fc-guest1 "$G" "$G_IF" || return; local g1cap=$CAP_FILE g1pid=$CAP_PID
  cap_start fc-guest2 "$G2" "$G_IF" || return; local g2cap=$CAP_FILE g2pid=$CAP_PID
  # One ping per address, one after the other: each is the router's first contact. Bounded: after
  # the first 10 all failed, or after 40 s, the rest are not tried (and count as unanswered).
  local ok=0 tried=0 t0; t0=$(now)
  for a in "${targets[@]}"; do
    inR ping -6 -n -c1 -W2 "$a" >/dev/null 2>&1 && ok=$((ok + 1))
    tried=$((tried + 1))
    if { [ "$tried" = 10 ] && [ "$ok" = 0 ]; } || awk -v e="$(elapsed "$t0")" 'BEGIN { exit !(e > 40) }'; then
      info "first-contact pings stopped after $tried: $ok answered in $(elapsed "$t0") s"; break
    fi
  done
  info "$tried of ${#targets[@]} first-contact pings tried in $(elapsed "$t0") s, $ok answered"
  sleep 0.3
  cap_stop "$rpid"; cap_stop "$g1pid"; cap_stop "$g2pid"
  if [ "$ok" = "${#targets[@]}" ]; then
    pass pings-answered "$ok of ${#targets[@]} first-contact pings (two guests) answered"
  else
    fail pings-answered "$ok of ${#targets[@]} first-contact pings answered"
  fi

  # Per target: the router's first and second NS, br0's first NA at the router; the first NS
  # the host sent on the guest's wire (the probe) and the guest's first NA for the target.
  printf '%s\n' "${targets[@]}" >"$WORK/fc-targets"
  nd "$rcap" >"$WORK/fc-router.txt"
  { nd "$g1cap"; nd "$g2cap"; } >"$WORK/fc-guests.txt"
  local report
  report=$(awk -F'|' -v br="$BR_MAC" -v ll="$BR_LL" -v rmac="$R_MAC" -v g1="$G_MAC" -v g2="$G2_MAC" "$AWK_LIB"'
    FILENAME == ARGV[1] { want[$1] = 1; order[++n] = $1; next }
    FILENAME == ARGV[2] {
      if (!($8 in want)) next
      if ($2 == 135 && $3 == rmac) { if (!(($8) in ns1)) ns1[$8] = $1; else if (!(($8) in ns2)) ns2[$8] = $1 }
      if ($2 == 136 && $3 == br && !(($8) in na)) na[$8] = $1
      next
    }
    {
      if (!($8 in want)) next
      # A probe is the host'"'"'s NS before the router had its answer: the host'"'"'s kernel solicits
      # the guest too, but only once it forwards the router'"'"'s packet, after that answer.
      if ($2 == 135 && $3 == br && !(($8) in probe) && (!(($8) in na) || $1 < na[$8])) { probe[$8] = $1; pline[$8] = $0 }
      if ($2 == 136 && ($3 == g1 || $3 == g2) && !(($8) in gna)) gna[$8] = $1
    }
    END {
      for (i = 1; i <= n; i++) {
        t = order[i]
        if (!(t in na)) { unanswered++; if (ua == "") ua = t; continue }
        if ((t in ns2) && ns2[t] < na[t]) { late++; if (lt == "") lt = t }
        lat[++k] = (na[t] - ns1[t]) * 1000
        if (!(t in probe)) { noprobe++; if (np == "") np = t; continue }
        split(pline[t], f, "|")
        why = ""
        if (f[4] != solnode_mac(t)) why = why " eth.dst=" f[4] " (want " solnode_mac(t) ")"
        if (f[5] != ll) why = why " src=" f[5] " (want " ll ")"
        if (expand(f[6]) != solnode_group(t)) why = why " dst=" f[6]
        if (f[7] != 255) why = why " hlim=" f[7]
        if (f[9] != 1) why = why " checksum-status=" f[9]
        if (f[10] != br) why = why " slla=" f[10] " (want " br ")"
        if (why != "") { badprobe++; if (bp == "") { bp = t ":" why; gsub(/ /, ",", bp) } }
        if (probe[t] < ns1[t]) { early++ }
        if (!(t in gna) || gna[t] > na[t]) { before++; if (bf == "") bf = t; continue }
        relay[++rn] = (na[t] - gna[t]) * 1000
      }
      for (i = 2; i <= rn; i++) { v = relay[i]; j = i - 1; while (j > 0 && relay[j] > v) { relay[j + 1] = relay[j]; j-- } relay[j + 1] = v }
      relay_med = rn ? relay[int((rn + 1) / 2)] : -1
      # Sort the latencies (insertion sort: 200 values).
      for (i = 2; i <= k; i++) { v = lat[i]; j = i - 1; while (j > 0 && lat[j] > v) { lat[j + 1] = lat[j]; j-- } lat[j + 1] = v }
      med = k ? (k % 2 ? lat[(k + 1) / 2] : (lat[k / 2] + lat[k / 2 + 1]) / 2) : -1
      p99 = k ? lat[int(0.99 * k + 0.999999)] : -1
      printf "n=%d answered=%d unanswered=%d first_unanswered=%s late=%d first_late=%s noprobe=%d first_noprobe=%s badprobe=%d first_badprobe=%s probe_before_ns=%d answer_before_guest_na=%d first_answer_before_guest_na=%s median_ms=%.3f p99_ms=%.3f max_ms=%.3f relay_median_ms=%.3f\n", \
        n, k, unanswered, ua, late, lt, noprobe, np, badprobe, bp, early, before, bf, med, p99, (k ? lat[k] : -1), relay_med
    }' "$WORK/fc-targets" "$WORK/fc-router.txt" "$WORK/fc-guests.txt")
  info "first contact: $report"
  local -A r=()
  local kv
  for kv in $report; do r[${kv%%=*}]=${kv#*=}; done
  if [ "${r[answered]}" = "${#targets[@]}" ] && [ "${r[late]}" = 0 ]; then
    pass first-ns-answered "each of ${#targets[@]} addresses (two guests) answered before the router's second NS; router-side latency NS -> NA: median ${r[median_ms]} ms, p99 ${r[p99_ms]} ms, max ${r[max_ms]} ms"
  else
    fail first-ns-answered "answered ${r[answered]} of ${#targets[@]} (first unanswered ${r[first_unanswered]}); answered only after the router's second NS: ${r[late]} (first ${r[first_late]}); median ${r[median_ms]} ms, p99 ${r[p99_ms]} ms"
  fi
  if [ "${r[answered]}" -gt 0 ] && [ "${r[noprobe]}" = 0 ] && [ "${r[answer_before_guest_na]}" = 0 ] && [ "${r[probe_before_ns]}" = 0 ]; then
    pass answered-after-guest-na "for each of ${r[answered]} answered addresses, a probe went to the guest after the router's NS and br0's NA left after the guest's NA (median ${r[relay_median_ms]} ms later)"
  else
    fail answered-after-guest-na "no probe seen: ${r[noprobe]} (first ${r[first_noprobe]}); upstream NA before the guest's NA (or none from the guest): ${r[answer_before_guest_na]} (first ${r[first_answer_before_guest_na]}); probe before the router asked: ${r[probe_before_ns]}"
  fi
  if [ "${r[answered]}" -gt 0 ] && [ "${r[noprobe]}" = 0 ] && [ "${r[badprobe]}" = 0 ]; then
    pass probe-fields "all ${r[answered]} probes on the guests' wires: eth.src $BR_MAC, eth.dst 33:33:ff + the target's last 24 bits, src $BR_LL, dst its solicited-node group, hop limit 255, checksum good, SLLA $BR_MAC"
  else
    fail probe-fields "probes with a wrong field: ${r[badprobe]} (first: ${r[first_badprobe]}); no probe seen: ${r[noprobe]}"
  fi

  # The same figures from ndpd's side.
  metrics_fresh
  local sent rtt live stale
  sent=$(m ndpd_live_probes_sent_total 'kind="first-contact"'); rtt=$(m ndpd_live_probe_rtt_seconds_count)
  live=$(m ndpd_live_entries 'state="live"'); stale=$(m ndpd_live_entries 'state="stale"')
  if has_family ndpd_live_probes_sent_total && has_family ndpd_live_probe_rtt_seconds_count \
      && [ "$sent" -ge "${#targets[@]}" ] && [ "$rtt" -ge "${#targets[@]}" ] && [ $((live + stale)) -ge "${#targets[@]}" ]; then
    pass metrics "ndpd_live_probes_sent_total{kind=first-contact} $sent, ndpd_live_probe_rtt_seconds_count $rtt (sum $(awk '$1 ~ /^ndpd_live_probe_rtt_seconds_sum/ { s += $2 } END { print s + 0 }' "$METRICS") s), entries live $live + stale $stale >= ${#targets[@]}"
  else
    fail metrics "want >= ${#targets[@]} each: first-contact probes sent $sent, RTT histogram count $rtt, live + stale entries $live + $stale; families in $METRICS: $(grep -o '^ndpd_live[a-z_]*' "$METRICS" 2>/dev/null | sort -u | tr '\n' ' ')"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L2. Absent address: never answered, probed at most `probes` times per `negative` window

ABSENT=2001:db8:0:96ce::a:b5e

sc_live_absent() {
  local py=/usr/bin/python3; [ -x "$py" ] || py=python3
  if ! "$py" "$HERE/scan-ns-pcap.py" --count 3000 --target "$ABSENT" --out "$WORK/absent.pcap" 2>"$WORK/gen.err"; then
    fail generate "scan-ns-pcap.py failed: $(cat "$WORK/gen.err")"; return
  fi
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  cap_start absent-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  cap_start absent-guest "$G" "$G_IF" || return; local gcap=$CAP_FILE gpid=$CAP_PID
  # The router asks as often as it can for 8 s: its kernel (a ping every 0.2 s re-resolves
  # after each FAILED), ndisc6 (an NS every 0.2 s), and 500 NS a second for 6 s (tcpreplay).
  local t0; t0=$(now)
  # The router's entry, sampled every 0.1 s while it asks: the kernel may collect a FAILED entry
  # soon after its last resolution, so the end state alone cannot be relied on.
  (while :; do neigh "$ABSENT" | awk '{ print $NF }'; sleep 0.1; done) >"$WORK/absent-states.txt" 2>/dev/null &
  local sp=$!; BG_PIDS+=("$sp")
  ip netns exec "$R" ping -6 -n -i 0.2 -w 8 "$ABSENT" >"$WORK/absent-ping.txt" 2>&1 &
  local pp=$!; BG_PIDS+=("$pp")
  ip netns exec "$R" tcpreplay --pps=500 -i "$R_IF" "$WORK/absent.pcap" >"$WORK/absent-replay.txt" 2>&1 &
  local rp=$!; BG_PIDS+=("$rp")
  inR ndisc6 -n -r 40 -w 200 "$ABSENT" "$R_IF" >/dev/null 2>&1
  wait "$pp" 2>/dev/null; wait "$rp" 2>/dev/null
  local asking; asking=$(elapsed "$t0")
  # The router's last resolution ends FAILED 3 s after its first NS at most.
  local l i
  for i in $(seq 40); do l=$(neigh "$ABSENT"); [[ $l == *FAILED* ]] && break; sleep 0.1; done
  kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null
  local states; states=$(sort "$WORK/absent-states.txt" | uniq -c | tr -s ' \n' ' ')
  cap_stop "$rpid"; cap_stop "$gpid"
  local asked nas
  asked=$(nd "$rcap" "icmpv6.type == 135 && eth.src == $R_MAC && icmpv6.nd.ns.target_address == $ABSENT" | grep -c .)
  info "tcpreplay: $(grep -E 'Actual|Rated' "$WORK/absent-replay.txt" | tr -s ' ' | tr '\n' ' ')"
  nas=$(nd "$rcap" "icmpv6.type == 136 && icmpv6.nd.na.target_address == $ABSENT")
  if [ "$asked" -ge 3000 ] && [ -z "$nas" ]; then
    pass no-na-upstream "the router sent $asked NS for $ABSENT in $asking s; no NA for it on its link"
  else
    fail no-na-upstream "router NS: $asked (want >= 3000); NAs (time|type|eth.src|eth.dst|src|dst|hlim|target|cksum|lladdr): $(few "$nas")"
  fi
  # FAILED at the end, or seen FAILED while it asked (and collected since); never with an address.
  if { [[ $l == *FAILED* ]] || grep -qx FAILED "$WORK/absent-states.txt"; } &&
    ! grep -Eqx 'REACHABLE|STALE|DELAY|PROBE' "$WORK/absent-states.txt"; then
    pass router-entry-failed "router: ${l:-no entry (collected)}; states sampled while it asked: $states($(ping_summary "$(cat "$WORK/absent-ping.txt")"))"
  else
    fail router-entry-failed "router: ${l:-no entry}; states sampled while it asked: ${states:-none}"
  fi
  # Probes: the host's NS for ABSENT on the guest's wire (nothing is ever forwarded to ABSENT).
  local times worst
  times=$(nd "$gcap" "icmpv6.type == 135 && eth.src == $BR_MAC && icmpv6.nd.ns.target_address == $ABSENT" | cut -d'|' -f1)
  worst=$(awk -v w=3 '{ t[NR] = $1 } END { for (i = 1; i <= NR; i++) { c = 0; for (j = i; j <= NR && t[j] < t[i] + w; j++) c++; if (c > m) m = c } print m + 0 }' <<<"$times")
  local offsets; offsets=$(awk -v s="$t0" '{ printf "%.2f ", $1 - s }' <<<"$times")
  if [ -n "$times" ] && [ "$worst" -le 3 ]; then
    pass probes-per-negative-window "$(grep -c . <<<"$times") probes for $ABSENT while the router asked for $asking s, at most $worst in any 3 s (negative) window (probes = 3); at s: $offsets"
  else
    fail probes-per-negative-window "probes: $(grep -c . <<<"$times"), at most $worst in a 3 s window (want 1..3); at s: ${offsets:-none}"
  fi
  metrics_fresh
  local notlive; notlive=$(m ndpd_decisions_total 'reason="not-live"')
  if [ "$notlive" -ge 1 ]; then
    pass not-live-counted "ndpd_decisions_total{reason=\"not-live\"} $notlive"
  else
    fail not-live-counted "ndpd_decisions_total{reason=\"not-live\"} $notlive: $(grep 'not-live' "$METRICS" 2>/dev/null | head -n 2 | tr '\n' ' ')"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L3. New address in a guest: learned from its DAD, answered with no probe once DAD is done

NEW_ADDR=2001:db8:0:96ce::5:1

sc_live_new_address() {
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  cap_start new-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  cap_start new-guest "$G" "$G_IF" || return; local gcap=$CAP_FILE gpid=$CAP_PID
  # Three DAD probes 1 s apart, the first within 1 s (rtr_solicit_delay): the address is
  # tentative from about 1 s to at least 3 s after it was added.
  local t0 tq tent td; t0=$(now)
  dad_add "$G" "$NEW_ADDR" 3
  sleep 1.5
  tq=$(now); tent=$(ip -n "$G" -6 -o addr show dev "$G_IF" to "$NEW_ADDR/128" tentative | grep -c .)
  ask "$NEW_ADDR"
  expect_dad_completes no-dadfailed "$NEW_ADDR" "$t0" 8 "$G"
  td=$(elapsed "$t0")
  sleep 1.5 # TENTATIVE becomes LIVE 1.2 s after the last DAD probe
  local ta out; ta=$(now)
  if out=$(resolve "$NEW_ADDR" 3); then
    pass answered-after-dad "router resolved $NEW_ADDR $(elapsed "$t0") s after it was added: $out"
  else
    fail answered-after-dad "router could not resolve $NEW_ADDR after its DAD: $out"
  fi
  sleep 0.2
  cap_stop "$rpid"; cap_stop "$gpid"
  local early; early=$(first_na_after "$rcap" "$NEW_ADDR" "$tq")
  if [ "$tent" = 1 ] && { [ -z "$early" ] || awk -v a="$early" -v b="$ta" 'BEGIN { exit !(a >= b) }'; }; then
    pass tentative-not-answered "the router's NS $(awk -v a="$tq" -v s="$t0" 'BEGIN { printf "%.2f", a - s }') s after the add (address tentative; DAD over at $td s) got no NA; the next NA came $(awk -v a="$(first_na_after "$rcap" "$NEW_ADDR" "$tq")" -v s="$t0" 'BEGIN { printf "%.2f", a - s }') s after the add, once asked again"
  else
    fail tentative-not-answered "address tentative when asked: $tent; first NA at $(awk -v a="${early:-0}" -v s="$t0" 'BEGIN { printf "%.2f", a - s }') s after the add (asked at 1.5 s, resolved from $(awk -v a="$ta" -v s="$t0" 'BEGIN { printf "%.2f", a - s }') s)"
  fi
  local dads probes nas
  dads=$(dad_probes "$gcap" "$NEW_ADDR")
  probes=$(probes_before "$gcap" "$rcap" "$NEW_ADDR" "$t0" "$ta")
  if [ "$dads" -ge 1 ] && [ "$probes" = 0 ] && [ -n "$(first_na_after "$rcap" "$NEW_ADDR" "$ta")" ]; then
    pass learned-from-dad-no-probe "the guest sent $dads DAD probe(s); no probe from the host for $NEW_ADDR before the router had its answer"
  else
    fail learned-from-dad-no-probe "DAD probes: $dads; host NS for $NEW_ADDR before the router's answer: $probes; answered: $([ -n "$(first_na_after "$rcap" "$NEW_ADDR" "$ta")" ] && echo yes || echo no)"
  fi
  nas=$(host_nas_to_guest "$gcap" "$NEW_ADDR")
  if [ -z "$nas" ]; then
    pass guest-wire-clean "no NA from the host for $NEW_ADDR reached the guest ($(host_nd_count "$gcap") NS/NA from the host on its wire in all)"
  else
    fail guest-wire-clean "NAs from the host for $NEW_ADDR at the guest (time|type|eth.src|eth.dst|src|dst|hlim|target|cksum|lladdr): $(few "$nas")"
  fi
  # `ndpd status --live` lists the address at the guest's MAC, as known: LIVE, or STALE once
  # `reachable` (2 s here) has passed since the evidence.
  local listed
  listed=$(ip netns exec "$H" "$NDPD" status --live --socket "$WORK/ctl-$NDPD_RUNS.sock" 2>&1)
  if grep -Eq "^ +$NEW_ADDR +$G_MAC +(live|stale) +[0-9]+ s$" <<<"$listed"; then
    pass status-live-lists "ndpd status --live: $(grep -E "^ +$NEW_ADDR " <<<"$listed" | sed 's/^ *//'); $(grep -E '^  live:' <<<"$listed" | sed 's/^ *//')"
  else
    fail status-live-lists "no 'ADDRESS MAC live|stale N s' line for $NEW_ADDR in: $(sed -n '/^  live:/,$p' <<<"$listed" | tr '\n' ';' | cut -c1-600) (first lines: $(head -n 3 <<<"$listed" | tr '\n' ';'))"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L4. Address removed, guest namespace deleted: once STALE, answers stop within 4 s of the next NS

REMOVED_ADDR=2001:db8:0:96ce::44

# answers_stop NAME ADDR RCAP: ADDR's entry is STALE (reachable, 2 s, has passed). The router
# asks every 250 ms for 7 s; the first NS must be answered (STALE is answered at once) and no
# NS asked more than 4 s after the first may be.
answers_stop() {
  local name=$1 addr=$2 t0 i; t0=$(now)
  for i in $(seq 28); do ask "$addr"; done
  local lines
  lines=$(nd "$3" "icmpv6.nd.ns.target_address == $addr || icmpv6.nd.na.target_address == $addr" |
    awk -F'|' -v s="$t0" -v r="$R_MAC" -v b="$BR_MAC" '
      $1 < s { next }
      $2 == 135 && $3 == r { ns[++n] = $1; next }
      $2 == 136 && $3 == b { na[++m] = $1 }
      END {
        # Each NA answers the latest NS before it.
        for (j = 1; j <= m; j++) { k = 0; for (i = 1; i <= n; i++) if (ns[i] <= na[j]) k = i; if (k) answered[k] = 1 }
        first = (1 in answered) ? 1 : 0
        last = 0; for (i = 1; i <= n; i++) if (i in answered) last = i
        after = 0; for (i = last + 1; i <= n; i++) after++
        delay = -1; for (j = 1; j <= m; j++) if (na[j] >= ns[1]) { delay = (na[j] - ns[1]) * 1000; break }
        printf "%d %d %.2f %d %.3f\n", n, first, (last ? ns[last] - ns[1] : -1), after, delay
      }')
  local n first last after delay
  read -r n first last after delay <<<"$lines"
  if [ "${first:-0}" = 1 ]; then
    pass "$name-stale-answered" "the first NS for $addr after it went STALE was answered, ${delay} ms after it"
  else
    fail "$name-stale-answered" "the first of $n NS for $addr (STALE by now) was not answered"
  fi
  # 4 s, plus 0.1 s for a timer that fires a little late on a busy machine.
  if [ "${first:-0}" = 1 ] && awk -v l="$last" 'BEGIN { exit !(l <= 4.1) }' && [ "${after:-0}" -ge 8 ]; then
    pass "$name-answers-stop" "the last answered NS was asked $last s after the first (<= 4 s + 0.1 s); the $after NS after it (until 7 s) got no NA"
  else
    fail "$name-answers-stop" "of $n NS: the last answered was asked $last s after the first (want <= 4 s + 0.1 s), $after unanswered after it (want >= 8)"
  fi
}

sc_live_removed() {
  guest2_up || return
  ip -n "$G" -6 addr add "$REMOVED_ADDR/64" dev "$G_IF" nodad
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  cap_start removed-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  # Address removed: LIVE first, then gone from the guest.
  ping_to live-before-removal "$REMOVED_ADDR" 2
  ip -n "$G" -6 addr del "$REMOVED_ADDR/64" dev "$G_IF"
  sleep 3 # reachable (2 s) passes: STALE
  answers_stop removed "$REMOVED_ADDR" "$rcap"
  # Guest namespace deleted, with its veth: the second guest and its address.
  ping_to live-before-deletion "$GUEST2_ADDR" 2
  ip netns del "$G2"
  sleep 3
  answers_stop deleted "$GUEST2_ADDR" "$rcap"
  cap_stop "$rpid"
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L5. Guest reboot (address deleted and re-added with DAD), and a MAC change (a new veth)

NEW_G2_MAC=02:00:00:00:0b:13

sc_live_reboot() {
  guest2_up || return
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  resolved before-reboot "$GUEST_ADDR"
  cap_start reboot-guest "$G" "$G_IF" || return; local gcap=$CAP_FILE gpid=$CAP_PID
  # The router keeps pinging the guest throughout (losses while the address is away are expected).
  ip netns exec "$R" ping -6 -n -i 0.2 -w 12 "$GUEST_ADDR" >"$WORK/reboot-ping.txt" 2>&1 &
  local bping=$!; BG_PIDS+=("$bping")
  ip -n "$G" -6 addr del "$GUEST_ADDR/64" dev "$G_IF"
  sleep 0.5
  local t0; t0=$(now)
  dad_add "$G" "$GUEST_ADDR" 1
  expect_dad_completes reboot-no-dadfailed "$GUEST_ADDR" "$t0" 6 "$G"
  guest_routes
  sleep 1.5
  resolved reboot-answered "$GUEST_ADDR"
  ping_to reboot-ping "$GUEST_ADDR" 3
  kill -INT "$bping" 2>/dev/null; wait "$bping" 2>/dev/null
  info "background ping during the reboot: $(ping_summary "$(cat "$WORK/reboot-ping.txt")")"
  cap_stop "$gpid"
  local nas dads
  nas=$(host_nas_to_guest "$gcap" "$GUEST_ADDR"); dads=$(dad_probes "$gcap" "$GUEST_ADDR")
  if [ "$dads" -ge 1 ] && [ -z "$nas" ]; then
    pass reboot-guest-wire-clean "the guest sent $dads DAD probe(s); no NA from the host for $GUEST_ADDR reached it ($(host_nd_count "$gcap") NS/NA from the host on its wire)"
  else
    fail reboot-guest-wire-clean "DAD probes: $dads; NAs from the host at the guest: $(few "$nas")"
  fi

  # MAC change: the second guest's veth is replaced by a new one with another MAC.
  resolved before-mac-change "$GUEST2_ADDR"
  ip -n "$H" link del "$VM2_IF"
  guest2_link "$NEW_G2_MAC" || { fail mac-change-no-dadfailed "could not create the new veth"; return; }
  cap_start mac-guest "$G2" "$G_IF" || return; local mcap=$CAP_FILE mpid=$CAP_PID
  t0=$(now)
  dad_add "$G2" "$GUEST2_ADDR" 1
  expect_dad_completes mac-change-no-dadfailed "$GUEST2_ADDR" "$t0" 6 "$G2"
  guest2_routes
  sleep 1.5
  # (No ping here: the host's kernel forwards to its own neighbour entry, still the old MAC
  # until its NUD notices; that is the kernel's, not ndpd's.)
  resolved mac-change-answered "$GUEST2_ADDR"
  # Once STALE (2 s), asked: answered at once, re-probed (the old MAC is gone, the new one
  # answers); still answered after the re-probe's 4 s.
  sleep 2.5
  ask "$GUEST2_ADDR"; sleep 5
  local tl; tl=$(now)
  cap_start mac-router "$R" "$R_IF" || return; local mrcap=$CAP_FILE mrpid=$CAP_PID
  ask "$GUEST2_ADDR"; sleep 0.3
  cap_stop "$mrpid"
  if [ -n "$(first_na_after "$mrcap" "$GUEST2_ADDR" "$tl")" ]; then
    pass mac-change-live-after-reprobe "an NS for $GUEST2_ADDR 5 s after its re-probe began is answered: the new MAC $NEW_G2_MAC answers"
  else
    fail mac-change-live-after-reprobe "no NA for $GUEST2_ADDR 5 s after the re-probe began (the re-probe did not find $NEW_G2_MAC)"
  fi
  cap_stop "$mpid"
  nas=$(host_nas_to_guest "$mcap" "$GUEST2_ADDR"); dads=$(dad_probes "$mcap" "$GUEST2_ADDR")
  if [ "$dads" -ge 1 ] && [ -z "$nas" ]; then
    pass mac-change-guest-wire-clean "the new NIC sent $dads DAD probe(s); no NA from the host for $GUEST2_ADDR reached it ($(host_nd_count "$mcap") NS/NA from the host on its wire)"
  else
    fail mac-change-guest-wire-clean "DAD probes: $dads; NAs from the host at the new NIC: $(few "$nas")"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L6. Restarts: after an ndpd restart, and after the router flushes its cache, the next ping works

# first_ping NAME ADDR RCAP: the router (no entry for ADDR) pings once; answered, and its first
# NS got the answer (at worst one probe round trip: before its second NS).
first_ping() {
  local name=$1 addr=$2 rcap=$3 t0 out sum; t0=$(now)
  out=$(inR ping -6 -n -c1 -W3 "$addr" 2>&1); sum=$(ping_summary "$out")
  sleep 0.1
  local second na
  na=$(first_na_after "$rcap" "$addr" "$t0")
  second=$(nd "$rcap" "icmpv6.type == 135 && eth.src == $R_MAC && icmpv6.nd.ns.target_address == $addr" |
    awk -F'|' -v s="$t0" '$1 >= s { n++; if (n == 2) { print $1; exit } }')
  if [[ $sum == "1 packets transmitted, 1 received" ]] && [ -n "$na" ] && { [ -z "$second" ] || awk -v a="$na" -v b="$second" 'BEGIN { exit !(a < b) }'; }; then
    pass "$name" "router -> $addr: $sum, $(grep -Eo 'time=[0-9.]+ ms' <<<"$out"); its first NS answered"
  else
    fail "$name" "router -> $addr: ${sum:-no summary}; NA at ${na:-none}, second NS at ${second:-none}"
  fi
}

sc_live_restart() {
  guest2_up || return
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  ping_to live-guest1 "$GUEST_ADDR" 2
  ping_to live-guest2 "$GUEST2_ADDR" 2
  cap_start restart-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  # ndpd restarts: its state is gone; the host's kernel still knows both guests.
  ndpd_stop
  live_start "$conf" || return
  ip -n "$R" -6 neigh flush dev "$R_IF"
  first_ping restart-guest1 "$GUEST_ADDR" "$rcap"
  first_ping restart-guest2 "$GUEST2_ADDR" "$rcap"
  # The same with the host's neighbour table flushed too: ndpd learns nothing at start.
  ndpd_stop
  ip -n "$H" -6 neigh flush dev "$BR"
  live_start "$conf" || return
  ip -n "$R" -6 neigh flush dev "$R_IF"
  first_ping cold-restart-guest1 "$GUEST_ADDR" "$rcap"
  first_ping cold-restart-guest2 "$GUEST2_ADDR" "$rcap"
  # The router flushes its cache while ndpd runs, once ndpd's entries are STALE (2 s).
  sleep 2.5
  ip -n "$R" -6 neigh flush all
  first_ping flush-guest1 "$GUEST_ADDR" "$rcap"
  first_ping flush-guest2 "$GUEST2_ADDR" "$rcap"
  cap_stop "$rpid"
  ndpd_alive_check still-running
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L7. Scan: 100k NS/s for random /64 addresses while two guests are pinged

SCAN_RATE=${E2E_SCAN_RATE:-100000}
SCAN_SECONDS=${E2E_SCAN_SECONDS:-6}
SCAN_PROBE_RATE=200
SCAN_MAX_ENTRIES=256
SCAN_MAX_PROBING=64

sc_live_scan() {
  guest2_up || return
  local pcap="$WORK/scan.pcap" py=/usr/bin/python3 count=$((SCAN_RATE * SCAN_SECONDS))
  [ -x "$py" ] || py=python3
  if ! "$py" "$HERE/scan-ns-pcap.py" --count "$count" --out "$pcap" --seed $$ \
      --targets-out "$WORK/scan-sample" --targets-count 20 2>"$WORK/gen.err"; then
    fail generate "scan-ns-pcap.py failed: $(cat "$WORK/gen.err")"; return
  fi
  # The router re-confirms its entries often (reachable 0.5-1.5 s, DELAY 1 s), so that its
  # unicast NUD probes for both guests need ndpd's answers during the scan.
  inR sysctl -qw "net.ipv6.neigh.$R_IF.base_reachable_time_ms=1000" "net.ipv6.neigh.$R_IF.delay_first_probe_time=1"
  local conf="$WORK/live.toml"
  bridged_config "$conf" max-entries=$SCAN_MAX_ENTRIES max-probing=$SCAN_MAX_PROBING probe-rate=$SCAN_PROBE_RATE
  live_start "$conf" || return
  ping_to live-guest1 "$GUEST_ADDR" 2
  ping_to live-guest2 "$GUEST2_ADDR" 2
  metrics_fresh
  local p0 rss0 tp0; tp0=$(now); p0=$(m ndpd_live_probes_sent_total 'kind="first-contact"'); rss0=$(rss_kib "$NDPD_PID" VmRSS)
  cap_start scan-guest "$G" "$G_IF" || return; local gcap=$CAP_FILE gpid=$CAP_PID
  local pings=$((SCAN_SECONDS * 20 + 20))
  ip netns exec "$R" ping -6 -n -i 0.05 -W 1 -c "$pings" "$GUEST_ADDR" >"$WORK/scan-ping1.txt" 2>&1 &
  local pp1=$!; BG_PIDS+=("$pp1")
  ip netns exec "$R" ping -6 -n -i 0.05 -W 1 -c "$pings" "$GUEST2_ADDR" >"$WORK/scan-ping2.txt" 2>&1 &
  local pp2=$!; BG_PIDS+=("$pp2")
  # Entries by state, sampled while the scan runs and for 6 s after it (one file every 5 s).
  (
    end=$(( $(date +%s) + SCAN_SECONDS + 8 ))
    last=""
    while [ "$(date +%s)" -le "$end" ]; do
      i=$(stat -c %i "$METRICS" 2>/dev/null)
      if [ "$i" != "$last" ]; then
        last=$i
        echo "$(m ndpd_live_entries 'state="live"') $(m ndpd_live_entries 'state="stale"') $(m ndpd_live_entries 'state="tentative"') $(m ndpd_live_entries 'state="probing"') $(m ndpd_live_entries 'state="invalid"')"
      fi
      sleep 0.2
    done
  ) >"$WORK/scan-entries.txt" &
  local sampler=$!; BG_PIDS+=("$sampler")
  sleep 0.5
  # The router's own kernel resolves 20 of the scanned addresses during the scan.
  local t0 out rc; t0=$(now)
  ( sleep 1; while read -r a; do ip netns exec "$R" ping -6 -n -c1 -W1 "$a" >/dev/null 2>&1 & sleep 0.1; done <"$WORK/scan-sample"; wait ) &
  local sp=$!; BG_PIDS+=("$sp")
  out=$(inR tcpreplay --pps="$SCAN_RATE" -i "$R_IF" "$pcap" 2>&1); rc=$?
  local took; took=$(elapsed "$t0")
  info "tcpreplay: status $rc: $(grep -E 'Actual|Rated|Failed' <<<"$out" | tr -s ' ' | tr '\n' ' ')"
  local rated; rated=$(grep -Eo 'Rated: [0-9.]+ Bps, [0-9.]+ Mbps, [0-9.]+ pps' <<<"$out" | grep -Eo '[0-9.]+ pps' | cut -d' ' -f1)
  if [ "$rc" = 0 ] && grep -q "Actual: $count packets" <<<"$out"; then
    pass scan-sent "$count NS for random /64 addresses in $took s: tcpreplay asked for $SCAN_RATE NS/s and achieved ${rated:-?} NS/s"
  else
    fail scan-sent "tcpreplay status $rc: $(tail -n 5 <<<"$out" | tr '\n' ' ')"
  fi
  wait "$sp" 2>/dev/null
  wait "$pp1" 2>/dev/null; wait "$pp2" 2>/dev/null
  ndpd_alive_check alive-after-scan
  [ -n "$NDPD_PID" ] || return
  local s1 s2 ok=1 r1 r2
  s1=$(ping_summary "$(cat "$WORK/scan-ping1.txt")"); s2=$(ping_summary "$(cat "$WORK/scan-ping2.txt")")
  r1=$(awk '{ print $4 }' <<<"$s1"); r2=$(awk '{ print $4 }' <<<"$s2")
  for x in "${r1:-0}" "${r2:-0}"; do [ $((x * 100)) -ge $((pings * 99)) ] || ok=0; done
  if [ "$ok" = 1 ]; then
    pass pings-keep-working "during the scan: $GUEST_ADDR $s1; $GUEST2_ADDR $s2 (want >= 99% each)"
  else
    fail pings-keep-working "during the scan: $GUEST_ADDR ${s1:-?}; $GUEST2_ADDR ${s2:-?} (want >= 99% each)"
  fi
  # Probes: on the guest's wire (a multicast probe reaches every port) and in ndpd's counter.
  sleep 1.5
  local window; window=$(elapsed "$t0")
  cap_stop "$gpid"
  # The budget: probe-rate a second over the window, plus one second's worth (the bucket's burst).
  local wire budget
  wire=$(nd "$gcap" "icmpv6.type == 135 && eth.src == $BR_MAC && ipv6.src == $BR_LL && ipv6.dst == ff02::1:ff00:0/104" |
    awk -F'|' -v s="$t0" -v a="$GUEST_ADDR" -v b="$GUEST2_ADDR" '$1 >= s && $8 != a && $8 != b' | grep -c .)
  budget=$(awk -v r="$SCAN_PROBE_RATE" -v t="$window" 'BEGIN { printf "%d", r * (t + 1) }')
  wait "$sampler" 2>/dev/null
  metrics_fresh
  # ndpd's counter, between two metrics files: the first written up to 5 s before tp0.
  local p1 refused mwindow mbudget; p1=$(m ndpd_live_probes_sent_total 'kind="first-contact"'); refused=$(m ndpd_live_probes_refused_total)
  mwindow=$(awk -v a="$tp0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a + 5 }')
  mbudget=$(awk -v r="$SCAN_PROBE_RATE" -v t="$mwindow" 'BEGIN { printf "%d", r * (t + 1) }')
  if [ "$wire" -ge 1 ] && [ "$wire" -le "$budget" ] && [ $((p1 - p0)) -le "$mbudget" ] && has_family ndpd_live_probes_refused_total; then
    pass probes-within-budget "$wire multicast probes on the guest's wire in $window s <= $budget (probe-rate $SCAN_PROBE_RATE/s + one second's burst); ndpd counted $((p1 - p0)) first-contact probes in at most $mwindow s <= $mbudget; $refused refused by the budget"
  else
    fail probes-within-budget "$wire probes on the guest's wire in $window s (want 1..$budget); $((p1 - p0)) counted in $mwindow s (want <= $mbudget); refused: $refused"
  fi
  local caps
  caps=$(awk -v me="$SCAN_MAX_ENTRIES" -v mp="$SCAN_MAX_PROBING" '
    { n++; k = $1 + $2 + $3; p = $4 + $5; if (k > mk) mk = k; if (p > mp2) mp2 = p; if (k > me || p > mp) bad++ }
    END { printf "%d %d %d %d\n", n, mk, mp2, bad }' "$WORK/scan-entries.txt")
  local samples maxk maxp bad; read -r samples maxk maxp bad <<<"$caps"
  if [ "$samples" -ge 2 ] && [ "$bad" = 0 ] && has_family ndpd_live_entries; then
    pass entries-within-caps "$samples samples of ndpd_live_entries during and after the scan: known (live + stale + tentative) at most $maxk <= max-entries $SCAN_MAX_ENTRIES, probing + invalid at most $maxp <= max-probing $SCAN_MAX_PROBING; evictions $(m ndpd_live_evictions_total)"
  else
    fail entries-within-caps "$samples samples (want >= 2): known at most $maxk (cap $SCAN_MAX_ENTRIES), probing + invalid at most $maxp (cap $SCAN_MAX_PROBING), $bad over a cap"
  fi
  local rss hwm bound=$((RSS_BOUND_MIB * 1024))
  rss=$(rss_kib "$NDPD_PID" VmRSS); hwm=$(rss_kib "$NDPD_PID" VmHWM)
  if [ -n "$hwm" ] && [ "$hwm" -lt "$bound" ]; then
    pass rss-bounded "VmHWM $hwm KiB, VmRSS $rss KiB (before the scan $rss0 KiB) < bound $RSS_BOUND_MIB MiB"
  else
    fail rss-bounded "VmHWM ${hwm:-?} KiB, VmRSS ${rss:-?} KiB, bound $RSS_BOUND_MIB MiB"
  fi
  # The router's table: no entry with a link-layer address for anything but the guests.
  local held sample_states
  held=$(ip -n "$R" -6 neigh show dev "$R_IF" | awk -v a="$GUEST_ADDR" -v b="$GUEST2_ADDR" '$1 ~ /^2001:db8:0:96ce:/ && $1 != a && $1 != b && /lladdr/')
  sample_states=$(while read -r a; do neigh "$a" | awk '{ print $NF }'; done <"$WORK/scan-sample" | sort | uniq -c | tr -s ' \n' ' ')
  if [ -z "$held" ]; then
    pass no-reachable-scanned "the router holds no link-layer address for a scanned address; its 20 own resolutions of scanned addresses ended: ${sample_states:-no entries}"
  else
    fail no-reachable-scanned "router entries for scanned addresses: $(head -n 5 <<<"$held" | tr '\n' ';')"
  fi
  resolved answers-after-scan "$GUEST_ADDR"
  ndpd_stop sigterm-after-scan
}

# ---------------------------------------------------------------------------------------------
# L8. Routed: guest-interfaces = ["vmbr1"], then "routes"

# routed_probe GCAP RCAP FROM: ndpd's first probe for the routed guest on its wire after FROM and
# before the router had its answer (as probes_before says why), as time|eth.dst|ipv6.src|ipv6.dst|slla.
routed_probe() {
  local until; until=$(first_na_after "$2" "$ROUTED_ADDR" "$3")
  nd "$1" "icmpv6.type == 135 && eth.src == $VMBR1_MAC && icmpv6.nd.ns.target_address == $ROUTED_ADDR" |
    awk -F'|' -v f="$3" -v u="${until:-9e18}" -v OFS='|' '$1 >= f && $1 < u { print $1, $4, $5, $6, $10; exit }'
}

# routed_probe_ok LINE: a multicast probe from vmbr1's link-local to the solicited-node group.
routed_probe_ok() {
  awk -F'|' -v ll="$VMBR1_LL" -v mac="$VMBR1_MAC" -v t="$ROUTED_ADDR" "$AWK_LIB"'
    { if ($2 != solnode_mac(t) || $3 != ll || expand($4) != solnode_group(t) || $5 != mac) bad = 1 }
    END { exit !(NR >= 1 && !bad) }' <<<"$1"
}

sc_live_routed() {
  routed_up || return
  local conf="$WORK/live.toml"
  # reachable at its default (30 s): the entry learned from the kernel stays LIVE while asked.
  live_config "$conf" "\"$ROUTED_PREFIX\"" "[\"$VMBR1\"]" reachable='"30s"'
  # vmbr1 is down when ndpd starts, and comes up after: ndpd opens it then.
  inH ip link set "$VMBR1" down
  live_start "$conf" || return
  inH ip link set "$VMBR1" up && routed_route && wait_not_tentative "$RG" "$H" || fail testbed "vmbr1 did not come back"
  local opened
  for _ in $(seq 30); do opened=$(grep -c "guests on $VMBR1" "$NDPD_LOG"); [ "$opened" -ge 1 ] && break; sleep 0.1; done
  if grep -q "guest interface $VMBR1 is missing or down" "$NDPD_LOG" && [ "$opened" -ge 1 ]; then
    pass late-guest-interface "$VMBR1 was down at start and opened when it came up: $(grep -m1 "guests on $VMBR1" "$NDPD_LOG" | cut -c1-160)"
  else
    fail late-guest-interface "log: $(grep -E "$VMBR1" "$NDPD_LOG" | head -n 4 | tr '\n' ' ')"
  fi
  cap_start routed-guest "$RG" "$G_IF" || return; local gcap=$CAP_FILE gpid=$CAP_PID
  cap_start routed-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  # First contact: probed on vmbr1.
  local t0 p; t0=$(now)
  ping_to first-contact-ping "$ROUTED_ADDR" 3
  # The host's kernel has a REACHABLE entry on vmbr1; a restarted ndpd learns it from the dump.
  inH ping -6 -n -c1 -W1 "$ROUTED_ADDR" >/dev/null 2>&1
  local hl; hl=$(ip -n "$H" -6 neigh show "$ROUTED_ADDR" dev "$VMBR1")
  ndpd_stop
  live_start "$conf" || return
  neigh_del "$ROUTED_ADDR"
  local t1 out; t1=$(now)
  if out=$(resolve "$ROUTED_ADDR" 3); then :; fi
  local t2; t2=$(now)
  # neigh del ends it: the next NS needs a probe again.
  ip -n "$H" -6 neigh del "$ROUTED_ADDR" dev "$VMBR1"
  sleep 0.3
  neigh_del "$ROUTED_ADDR"
  local t3 out2; t3=$(now)
  out2=$(resolve "$ROUTED_ADDR" 3)
  sleep 0.2
  # vmbr1 goes down and up again (its neighbour entries go with it): its capture fails or is
  # closed, br0's is not touched, and vmbr1 is opened again; the next NS is probed there.
  local opens0; opens0=$(grep -c "listening on $BR" "$NDPD_LOG")
  inH ip link set "$VMBR1" down; sleep 0.5
  inH ip link set "$VMBR1" up && routed_route && wait_not_tentative "$RG" "$H" || fail testbed "vmbr1 did not come back"
  sleep 0.3
  neigh_del "$ROUTED_ADDR"
  local t4 out3; t4=$(now)
  out3=$(resolve "$ROUTED_ADDR" 3)
  sleep 0.2
  cap_stop "$gpid"; cap_stop "$rpid"
  local p4 opens1; p4=$(routed_probe "$gcap" "$rcap" "$t4"); opens1=$(grep -c "listening on $BR" "$NDPD_LOG")
  if [[ $out3 == *"lladdr $BR_MAC"* ]] && routed_probe_ok "$p4" && [ "$opens1" = "$opens0" ]; then
    pass guest-interface-flap "$VMBR1 down and up: br0 stayed open ($opens1 opens), the next NS was probed on $VMBR1 ($p4): $out3"
  else
    fail guest-interface-flap "after $VMBR1 flapped: router ${out3:-?}; probe: ${p4:-none}; br0 opened $opens0 -> $opens1 times; log: $(grep -E "$VMBR1|stopped" "$NDPD_LOG" | tail -n 3 | tr '\n' ' ')"
  fi
  p=$(routed_probe "$gcap" "$rcap" "$t0")
  if routed_probe_ok "$p"; then
    pass first-contact-probe-on-vmbr1 "first contact probed on $VMBR1 (time|eth.dst|src|dst|slla): $p"
  else
    fail first-contact-probe-on-vmbr1 "first probe on the routed guest's wire (time|eth.dst|src|dst|slla): ${p:-none} (want from $VMBR1_LL to the solicited-node group, SLLA $VMBR1_MAC)"
  fi
  local before; before=$(probes_before "$gcap" "$rcap" "$ROUTED_ADDR" "$t1")
  if [[ $hl == *REACHABLE* ]] && [[ $out == *"lladdr $BR_MAC"* ]] && [ "$before" = 0 ]; then
    pass kernel-entry-answered-no-probe "host: $hl; after an ndpd restart the router resolved it with no probe: $out"
  else
    fail kernel-entry-answered-no-probe "host: ${hl:-no entry}; router: ${out:-?}; probes before the answer: $before"
  fi
  p=$(routed_probe "$gcap" "$rcap" "$t3")
  if [[ $out2 == *"lladdr $BR_MAC"* ]] && routed_probe_ok "$p"; then
    pass neigh-del-ends-entry "after ip neigh del, the next NS was probed on $VMBR1 ($p) before the answer: $out2"
  else
    fail neigh-del-ends-entry "after ip neigh del: router ${out2:-?}; probe: ${p:-none}"
  fi
  ndpd_stop

  # guest-interfaces = "routes": no route to the guest at start (only the default route, back
  # out of br0), then one added at run time.
  inH ip -6 route del "$ROUTED_PREFIX" dev "$VMBR1"
  ip -n "$H" -6 neigh flush dev "$VMBR1"
  live_config "$conf" "\"$ROUTED_PREFIX\"" '"routes"' reachable='"30s"'
  live_start "$conf" || return
  cap_start routes-guest "$RG" "$G_IF" || return; gcap=$CAP_FILE; gpid=$CAP_PID
  cap_start routes-router "$R" "$R_IF" || return; rcap=$CAP_FILE; rpid=$CAP_PID
  expect_unresolved routes-no-route-no-answer "$ROUTED_ADDR"
  metrics_fresh
  local ngr; ngr=$(m ndpd_decisions_total 'reason="no-guest-route"')
  if [ "$ngr" -ge 1 ]; then
    pass routes-reason-counted "ndpd_decisions_total{reason=\"no-guest-route\"} $ngr"
  else
    fail routes-reason-counted "ndpd_decisions_total{reason=\"no-guest-route\"} $ngr"
  fi
  inH ip -6 route add "$ROUTED_ADDR/128" dev "$VMBR1"
  t0=$(now)
  resolved routes-route-added-answered "$ROUTED_ADDR"
  local shown; shown=$(ip netns exec "$H" "$NDPD" status --socket "$WORK/ctl-$NDPD_RUNS.sock" 2>&1 | grep '^  guest interfaces:')
  if [[ $shown == *"guest interfaces: $VMBR1; "*" kernel routes into the target prefixes"* ]]; then
    pass routes-status "ndpd status: $(sed 's/^ *//' <<<"$shown")"
  else
    fail routes-status "ndpd status: ${shown:-no guest interfaces line}"
  fi
  ping_to routes-ping "$ROUTED_ADDR" 2
  cap_stop "$gpid"; cap_stop "$rpid"
  p=$(routed_probe "$gcap" "$rcap" "$t0")
  if routed_probe_ok "$p"; then
    pass routes-probe-on-vmbr1 "the route added at run time named $VMBR1, probed there: $p"
  else
    fail routes-probe-on-vmbr1 "probe on the routed guest's wire after the route was added: ${p:-none}"
  fi
  ndpd_alive_check still-running
  ndpd_stop
  # A restarted ndpd finds the route in its dump at start; a route deleted at run time ends the
  # answers, whatever the host's neighbour table still holds.
  live_start "$conf" || return
  resolved routes-route-from-dump "$ROUTED_ADDR"
  inH ip -6 route del "$ROUTED_ADDR/128" dev "$VMBR1"
  sleep 0.3
  expect_unresolved routes-route-deleted-no-answer "$ROUTED_ADDR"
  ndpd_stop
}

# ---------------------------------------------------------------------------------------------
# L9. Privacy addresses: use_tempaddr = 2, an RA from the router

# send_ra: the router sends one Router Advertisement to ff02::1 with a Prefix Information option
# for the /64 (A = 1, L = 1, 300 s lifetimes) and router lifetime 0 (so that the guests keep their
# static default route). The router's port is isolated, so for the RA alone it is not: the port
# is opened, the RA sent, the port isolated again.
send_ra() {
  local py=/usr/bin/python3; [ -x "$py" ] || py=python3
  inH bridge link set dev "$UP_IF" isolated off
  inR "$py" - "$R_IF" <<'EOF'
import ipaddress, socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
index = socket.if_nametoindex(sys.argv[1])
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
# RFC 4861 §4.2 (type 134; the kernel fills in the checksum) and §4.6.2 (Prefix Information).
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0)
pio = struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 300, 300, 0) + ipaddress.IPv6Address("2001:db8:0:96ce::").packed
s.sendto(ra + pio, ("ff02::1", 0, 0, index))
EOF
  local rc=$?
  sleep 0.1
  inH bridge link set dev "$UP_IF" isolated on
  return $rc
}

# temporaries: the second guest's temporary addresses, one per line.
temporaries() { ip -n "$G2" -6 -o addr show dev "$G_IF" temporary | awk '{ sub(/\/.*/, "", $4); print $4 }'; }

PRIVACY_ROUNDS=3

sc_live_privacy() {
  guest2_up || return
  inG2 sysctl -qw "net.ipv6.conf.$G_IF.accept_ra=1" "net.ipv6.conf.$G_IF.autoconf=1" \
    "net.ipv6.conf.$G_IF.use_tempaddr=2" "net.ipv6.conf.$G_IF.accept_dad=1" "net.ipv6.conf.$G_IF.dad_transmits=1" ||
    { fail testbed "privacy sysctls failed"; return; }
  local conf="$WORK/live.toml"; bridged_config "$conf"
  live_start "$conf" || return
  cap_start privacy-router "$R" "$R_IF" || return; local rcap=$CAP_FILE rpid=$CAP_PID
  cap_start privacy-guest "$G2" "$G_IF" || return; local gcap=$CAP_FILE gpid=$CAP_PID
  local seen=() k t0 new i out
  local -a addr tadd task
  for k in $(seq 1 "$PRIVACY_ROUNDS"); do
    # Each round: an RA; the guest makes a new temporary address (the old one was deleted).
    t0=$(now)
    send_ra || { fail "temp-$k-dad" "sending the RA failed"; continue; }
    new=""
    for i in $(seq 50); do
      new=$(temporaries | grep -vxF -f <(printf '%s\n' "${seen[@]}" x) | head -n1)
      [ -n "$new" ] && break
      sleep 0.1
    done
    if [ -z "$new" ]; then
      fail "temp-$k-dad" "no new temporary address 5 s after RA $k: $(ip -n "$G2" -6 -o addr show dev "$G_IF" | awk '{print $4, $5, $6, $7, $8}' | tr '\n' ';')"
      continue
    fi
    seen+=("$new"); addr[$k]=$new; tadd[$k]=$t0
    expect_dad_completes "temp-$k-dad" "$new" "$t0" 6 "$G2"
    sleep 1.5 # TENTATIVE becomes LIVE 1.2 s after the last DAD probe
    task[$k]=$(now)
    if out=$(resolve "$new" 3); then
      pass "temp-$k-answered" "temporary address $k, $new: router resolved it: $out"
    else
      fail "temp-$k-answered" "temporary address $k, $new: router could not resolve it: $out"
    fi
    ip -n "$G2" -6 addr del "$new/64" dev "$G_IF"
  done
  sleep 0.2
  cap_stop "$rpid"; cap_stop "$gpid"
  local dads probes nas allclean=1
  for k in $(seq 1 "$PRIVACY_ROUNDS"); do
    [ -n "${addr[$k]:-}" ] || { fail "temp-$k-learned-from-dad" "no temporary address in round $k"; continue; }
    dads=$(dad_probes "$gcap" "${addr[$k]}")
    probes=$(probes_before "$gcap" "$rcap" "${addr[$k]}" "${tadd[$k]}" "${task[$k]}")
    if [ "$dads" -ge 1 ] && [ "$probes" = 0 ] && [ -n "$(first_na_after "$rcap" "${addr[$k]}" "${task[$k]}")" ]; then
      pass "temp-$k-learned-from-dad" "${addr[$k]}: $dads DAD probe(s) seen, answered with no probe"
    else
      fail "temp-$k-learned-from-dad" "${addr[$k]}: DAD probes $dads, probes before the answer $probes"
    fi
    nas=$(host_nas_to_guest "$gcap" "${addr[$k]}")
    [ -z "$nas" ] || { allclean=0; info "NAs from the host for ${addr[$k]} at the guest: $(few "$nas")"; }
  done
  if [ "$allclean" = 1 ] && [ "${#seen[@]}" -ge 1 ]; then
    pass guest-wire-clean "no NA from the host for any of the ${#seen[@]} temporary addresses reached the guest ($(host_nd_count "$gcap") NS/NA from the host on its wire)"
  else
    fail guest-wire-clean "NAs from the host for a temporary address reached the guest (see INFO), or no temporary address"
  fi
  ndpd_alive_check still-running
  ndpd_stop
}
