#!/usr/bin/env bash
# Builds ndpd_<version>_amd64.deb from the release build with the Swift standard library linked
# statically, so that the package depends on libpcap0.8 only, then runs lintian on it.
#
#   bash scripts/build-deb.sh [OUTDIR]      (default .build/deb; prints the package's path last)
#
# The version is the repository's VERSION file, as `ndpd --version` prints it. The package holds
# /usr/sbin/ndpd, the unit, /etc/ndpd/ndpd.toml as a conffile (answering for nothing until it is
# edited), the man pages, bash/zsh/fish completions, and /usr/share/doc/ndpd/{copyright,changelog.gz}.
# Its maintainer scripts are the ones dh_installsystemd writes for a service (dist/debian).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=$(tr -d ' \n' < VERSION)
out=${1:-$root/.build/deb}
arch=amd64
[ "$(dpkg --print-architecture)" = "$arch" ] || { echo "build-deb: builds $arch packages only" >&2; exit 2; }

swift build -c release --static-swift-stdlib --product ndpd
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/ndpd"
[ "$("$binary" --version | cut -d' ' -f2)" = "$version" ] || { echo "build-deb: $binary is not version $version" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/ndpd_${version}_$arch"
umask 022
mkdir -p "$pkg/DEBIAN"

install -D -m 0755 "$binary" "$pkg/usr/sbin/ndpd"
# Debian ships binaries without debug symbols (policy 10.1); the Swift metadata sections stay.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$pkg/usr/sbin/ndpd"
"$pkg/usr/sbin/ndpd" --version >/dev/null

sed 's|/usr/local/bin/ndpd|/usr/sbin/ndpd|g' dist/ndpd.service > "$stage/ndpd.service"
install -D -m 0644 "$stage/ndpd.service" "$pkg/lib/systemd/system/ndpd.service"
install -D -m 0644 dist/debian/ndpd.toml "$pkg/etc/ndpd/ndpd.toml"
"$pkg/usr/sbin/ndpd" check --config "$pkg/etc/ndpd/ndpd.toml" >/dev/null

for page in ndpd.8 ndpd.toml.5; do
  section=${page##*.}
  mkdir -p "$pkg/usr/share/man/man$section"
  sed "s/@VERSION@/$version/" "dist/man/$page" | gzip -9n > "$pkg/usr/share/man/man$section/$page.gz"
  chmod 0644 "$pkg/usr/share/man/man$section/$page.gz"
done

mkdir -p "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" \
  "$pkg/usr/share/fish/vendor_completions.d"
# bash-completion sources the file: no #! line (Debian's bash-completion packaging rule).
"$pkg/usr/sbin/ndpd" --generate-completion-script bash | sed '1{/^#!/d}' > "$pkg/usr/share/bash-completion/completions/ndpd"
"$pkg/usr/sbin/ndpd" --generate-completion-script zsh > "$pkg/usr/share/zsh/vendor-completions/_ndpd"
"$pkg/usr/sbin/ndpd" --generate-completion-script fish > "$pkg/usr/share/fish/vendor_completions.d/ndpd.fish"
chmod 0644 "$pkg"/usr/share/bash-completion/completions/ndpd "$pkg"/usr/share/zsh/vendor-completions/_ndpd \
  "$pkg"/usr/share/fish/vendor_completions.d/ndpd.fish

install -D -m 0644 dist/debian/lintian-overrides "$pkg/usr/share/lintian/overrides/ndpd"

doc="$pkg/usr/share/doc/ndpd"
install -D -m 0644 dist/debian/copyright "$doc/copyright"
# A native package's changelog (Debian policy 12.7), one entry for this version, dated by its commit.
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
date=$(git log -1 --format=%aD 2>/dev/null || date -R)
maintainer=$(sed -n 's/^Maintainer: //p' dist/debian/control)
{
  echo "ndpd ($version) unstable; urgency=medium"
  echo
  echo "  * Built from commit $commit; what changed is in the repository's history."
  echo
  echo " -- $maintainer  $date"
} | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"

for script in postinst prerm postrm; do install -m 0755 "dist/debian/$script" "$pkg/DEBIAN/$script"; done
echo /etc/ndpd/ndpd.toml > "$pkg/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" dist/debian/control > "$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/conffiles" "$pkg/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/ndpd_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null

if command -v lintian >/dev/null; then
  echo "build-deb: lintian $deb" >&2
  # Errors fail the build; warnings and notes are printed.
  lintian --fail-on error --display-info "$deb" >&2
fi
echo "$deb"
