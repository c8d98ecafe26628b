#!/usr/bin/env bash
# CI: builds the Debian package, installs it with dpkg -i, checks what an administrator would
# (version, man page, the packaged configuration), purges it, and fails if any file it brought
# is left behind. Needs root; leaves the machine as it found it.
#
#   bash Tests/package-check.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ "$(id -u)" -eq 0 ] || { echo "package-check: needs root (dpkg -i)" >&2; exit 2; }
if dpkg-query -W -f='${Status}' ndpd 2>/dev/null | grep -q "install ok installed"; then
  echo "package-check: an ndpd package is already installed; not touching it" >&2
  exit 2
fi

deb=$(bash scripts/build-deb.sh | tail -n 1)
version=$(tr -d ' \n' < VERSION)
echo "package-check: $deb ($(du -h "$deb" | cut -f1))"
[ "$(dpkg-deb -f "$deb" Depends)" = "libpcap0.8" ] || { echo "package-check: Depends is not libpcap0.8 alone" >&2; exit 1; }

# Every path on the machine whose name says ndpd, outside the work trees; compared after purge.
scan() {
  find / -xdev \( -path /proc -o -path /sys -o -path /work -o -path /tmp -o -path /root -o -path /home \
    -o -path /var/tmp -o -path /opt/swift-packages -o -path "$root" \) -prune -o -name '*ndpd*' -print 2>/dev/null | sort
}
before=$(scan)
# The package's paths that do not exist yet: each must be gone again after the purge.
absent=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' | grep -v '^\.\?$' |
  while IFS= read -r path; do [ -e "$path" ] || echo "$path"; done)
[ -n "$absent" ] || { echo "package-check: every path of the package exists already" >&2; exit 2; }

# Another process may hold dpkg's lock for a moment (a parallel apt-get): wait for it, a while.
dpkg_retry() {
  local out
  for _ in $(seq 1 30); do
    if out=$("$@" 2>&1); then echo "$out"; return 0; fi
    echo "$out" | grep -q "lock" || { echo "$out" >&2; return 1; }
    sleep 2
  done
  echo "$out" >&2
  return 1
}
dpkg_retry dpkg -i "$deb"

failed=0
check() { if "$@"; then echo "package-check: ok: $*"; else echo "package-check: FAILED: $*" >&2; failed=1; fi; }
check test "$(/usr/sbin/ndpd --version | cut -d' ' -f1-2)" = "ndpd $version"
/usr/sbin/ndpd --version
check test "$(man -w ndpd)" = /usr/share/man/man8/ndpd.8.gz
check test "$(man -w 5 ndpd.toml)" = /usr/share/man/man5/ndpd.toml.5.gz
check /usr/sbin/ndpd check --config /etc/ndpd/ndpd.toml
check test -f /lib/systemd/system/ndpd.service
check grep -q '^ExecStart=/usr/sbin/ndpd --config /etc/ndpd/ndpd.toml$' /lib/systemd/system/ndpd.service
check grep -qx /etc/ndpd/ndpd.toml /var/lib/dpkg/info/ndpd.conffiles
check test -f /usr/share/bash-completion/completions/ndpd
check test -f /usr/share/doc/ndpd/copyright
# The scan below must see what the package brings, or its empty result after the purge proves nothing.
check grep -qx /usr/sbin/ndpd <<< "$(scan)"

dpkg_retry dpkg --purge ndpd
after=$(scan)
left=$(while IFS= read -r path; do [ ! -e "$path" ] || echo "$path"; done <<< "$absent")
new=$(comm -13 <(echo "$before") <(echo "$after"))
check test -z "$left"
check test -z "$new"
[ -z "$left$new" ] || echo "package-check: left behind: $left $new" >&2
check test ! -e /etc/ndpd
check test ! -e /var/lib/systemd/deb-systemd-helper-enabled/ndpd.service.dsh-also
[ "$failed" -eq 0 ] && echo "package-check: installed, checked and purged without a trace"
exit "$failed"
