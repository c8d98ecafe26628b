# shellcheck shell=bash
# Test bed for recording ndpd's fixtures (sourced by record.sh; see ../README.md).
#
#   router ns  eth0 02:00:00:00:0a:01  2001:db8:0:96ff:ff:ff:ff:ff/56   (provider gateway)
#      |  veth
#   host ns    up0 --[br0 02:00:00:00:00:01, 2001:db8:0:96ce::1/64]-- vm0 (both ports isolated,
#              no IPv6 on the ports, mcast_snooping 0, forwarding 1, proxy_ndp 0)  + vm1 (intruder)
#      |  veth
#   guest ns   eth0 02:00:00:00:0b:02  2001:db8:0:96ce::2/64, on-link route to the gateway + default
#   intruder   eth0 02:00:00:00:0c:03  (no global address until a scenario claims one)
#
# Every name lives inside the namespaces (veths are created straight into them), so nothing is
# added to the caller's namespace. Namespace names carry a unique prefix (ndpfx<pid>-).

TB_PREFIX="${TB_PREFIX:-ndpfx$$-}"
R="${TB_PREFIX}router"
H="${TB_PREFIX}host"
G="${TB_PREFIX}guest"
I="${TB_PREFIX}intruder"

GW=2001:db8:0:96ff:ff:ff:ff:ff
HOST_ADDR=2001:db8:0:96ce::1
GUEST_ADDR=2001:db8:0:96ce::2

rx() { ip netns exec "$R" "$@"; }
hx() { ip netns exec "$H" "$@"; }
gx() { ip netns exec "$G" "$@"; }
ix() { ip netns exec "$I" "$@"; }

tb_down() {
    local ns
    for ns in "$R" "$H" "$G" "$I"; do
        ip netns del "$ns" 2>/dev/null || true
    done
}

tb_up() {
    local ns
    for ns in "$R" "$H" "$G" "$I"; do ip netns add "$ns"; done
    for ns in "$R" "$H" "$G" "$I"; do ip -n "$ns" link set lo up; done

    # Veths are born inside their namespaces: no name is ever taken in the caller's namespace.
    ip link add name eth0 netns "$R" address 02:00:00:00:0a:01 type veth \
        peer name up0 netns "$H" address 02:00:00:00:0a:fe
    ip link add name eth0 netns "$G" address 02:00:00:00:0b:02 type veth \
        peer name vm0 netns "$H" address 02:00:00:00:0b:fe
    ip link add name eth0 netns "$I" address 02:00:00:00:0c:03 type veth \
        peer name vm1 netns "$H" address 02:00:00:00:0c:fe

    # host: the bridge holds the host's address; the ports carry no IPv6 of their own.
    hx sysctl -qw net.ipv6.conf.all.forwarding=1
    hx sysctl -qw net.ipv6.conf.all.proxy_ndp=0
    hx sysctl -qw net.ipv6.conf.default.proxy_ndp=0
    ip -n "$H" link add br0 address 02:00:00:00:00:01 type bridge mcast_snooping 0
    hx sysctl -qw net.ipv6.conf.br0.proxy_ndp=0
    for p in up0 vm0 vm1; do
        hx sysctl -qw "net.ipv6.conf.$p.disable_ipv6=1"
        ip -n "$H" link set "$p" master br0
        ip -n "$H" link set "$p" up
        ip netns exec "$H" bridge link set dev "$p" isolated on
    done
    # The real host's default route goes to the provider's gateway, on-link.
    tb_attach "$H" br0 "$HOST_ADDR"

    # router: the provider's gateway; the whole /56 is on-link for it.
    rx sysctl -qw net.ipv6.conf.all.forwarding=1
    ip -n "$R" link set eth0 up
    ip -n "$R" -6 addr add "$GW/56" dev eth0 nodad

    # guest: as the provider tells guests to configure themselves.
    gx sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
    tb_attach "$G" eth0 "$GUEST_ADDR"

    # intruder: a second VM that will try to take the guest's address.
    ix sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
    ip -n "$I" link set eth0 up

    # Let link-local DAD and the MLD reports of the link-up settle before any capture starts.
    tb_settle
}

# tb_attach NS DEV ADDR: DEV up in NS with ADDR/64 (no DAD), the gateway on-link and the default
# route through it.
tb_attach() {
    ip -n "$1" link set "$2" up
    ip -n "$1" -6 addr add "$3/64" dev "$2" nodad
    ip -n "$1" -6 route add "$GW" dev "$2"
    ip -n "$1" -6 route add default via "$GW" dev "$2"
}

# wait_dad NS ADDR: wait (8 s at most) until ADDR is no longer tentative in namespace NS (DAD done).
wait_dad() {
    local ns="$1" addr="$2" i
    for i in $(seq 1 80); do
        if ip -n "$ns" -6 addr show | grep -q "inet6 $addr/" &&
            ! ip -n "$ns" -6 addr show tentative | grep -q "inet6 $addr/"; then
            return 0
        fi
        sleep 0.1
    done
    echo "$(basename "$0"): $addr still tentative in $ns" >&2
    return 1
}

# Wait until no namespace has a tentative address left.
tb_settle() {
    local i ns busy
    for i in $(seq 1 50); do
        busy=0
        for ns in "$R" "$H" "$G" "$I"; do
            if ip -n "$ns" -6 addr show tentative | grep -q inet6; then busy=1; fi
        done
        [ "$busy" = 0 ] && break
        sleep 0.2
    done
    sleep 1
}

# Stop every pending solicitation: a kernel keeps retransmitting NS for an INCOMPLETE entry after
# ping gives up, and those would leak into the next capture. Flushing drops those entries.
tb_quiesce() {
    ip -n "$R" -6 neigh flush dev eth0 2>/dev/null || true
    ip -n "$G" -6 neigh flush dev eth0 2>/dev/null || true
    ip -n "$I" -6 neigh flush dev eth0 2>/dev/null || true
    ip -n "$H" -6 neigh flush dev br0 2>/dev/null || true
    sleep 0.2
}

# cap_start FILE [tcpdump args...]: capture in the host namespace; default on br0. No filter:
# the bed is quiet, and build.py picks the frames it wants (a BPF 'vlan' filter would also
# shift the offsets of the untagged alternative).
CAP_PID=""
cap_start() {
    local file="$1"; shift
    local args=("$@")
    tb_quiesce
    if [ "${#args[@]}" = 0 ]; then args=(-i br0); fi
    ip netns exec "$H" tcpdump --immediate-mode -U -n -s 0 "${args[@]}" -w "$file" \
        2>"$file.log" &
    CAP_PID=$!
    # Wait until tcpdump says it is listening.
    local i
    for i in $(seq 1 50); do
        grep -q "listening on" "$file.log" 2>/dev/null && break
        sleep 0.1
    done
    sleep 0.3
}

cap_stop() {
    sleep 0.5
    if [ -n "$CAP_PID" ]; then
        kill -INT "$CAP_PID" 2>/dev/null || true
        wait "$CAP_PID" 2>/dev/null || true
        CAP_PID=""
    fi
}

# Make the router forget its neighbours and solicit ADDR (kernel NS, as the provider's router does).
router_resolve() {
    ip -n "$R" -6 neigh flush dev eth0 2>/dev/null || true
    rx ping -6 -c1 -W1 "$@" >/dev/null 2>&1 || true
}
