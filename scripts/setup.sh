#!/usr/bin/env bash
# Installs what building and testing ndpd needs on a fresh Debian 12 machine that has Swift.
# Idempotent: packages already present are not reinstalled. Needs root (or sudo).
set -euo pipefail

packages=(
  libpcap-dev      # CPcap: capture and the pcap reader/writer
  tshark           # tests: independent checksum/flag validation of the NAs we build
  tcpdump          # test bed captures
  iproute2         # network namespaces, veth, bridges
  ndisc6           # a real NS client in the end-to-end tests
  tcpreplay        # flood tests
  python3-scapy    # fixture recording scripts
  valgrind         # instruction-count benchmarks
  iputils-ping     # ping6 through the test bed
  procps           # ps/pgrep for RSS checks
  bc               # benchmark scripts: ratios
  thc-ipv6         # atk6-fuzz_ip6: the end-to-end check against the kernel's IP layer
  groff-base       # man pages: rendered with groff -ww in the tests
  man-db           # man -l / man -w on the man pages and the installed package
  zsh              # completion scripts: loaded by the tests in each shell
  fish
  lintian          # the Debian package: scripts/build-deb.sh runs it
  dpkg-dev         # dpkg-deb, dpkg-gencontrol's helpers for the package
  fakeroot         # the package's files owned by root without building as root
  prometheus       # promtool check metrics on the exposition
)
# libFuzzer needs nothing from Debian: it ships with the Swift toolchain (swiftc -sanitize=fuzzer).

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present (${packages[*]})"
