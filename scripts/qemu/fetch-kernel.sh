#!/bin/bash
# Fetch Debian's kernel package into the cache and unpack it there (no install: the
# host's own kernel and /boot stay untouched). Prints the unpacked root.
#   scripts/qemu/fetch-kernel.sh            -> $CACHE/kernel/<version>
set -euo pipefail
CACHE=${SALVAGE_QEMU_CACHE:-$HOME/.cache/salvage-qemu}
mkdir -p "$CACHE/debs"

# linux-image-amd64 is a metapackage; its dependency names the real image package.
resolve() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
pkg=$(resolve)
# A fresh machine may have no package lists yet.
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 || true; pkg=$(resolve); fi
if [ -z "$pkg" ]; then
  echo "fetch-kernel: cannot resolve linux-image-amd64 (run apt-get update)" >&2
  exit 2
fi
root="$CACHE/kernel/$pkg"
if [ ! -f "$root/.complete" ]; then
  deb=$(ls "$CACHE"/debs/"${pkg}"_*.deb 2>/dev/null | head -1 || true)
  if [ -z "$deb" ]; then
    (cd "$CACHE/debs" && apt-get download "$pkg" >&2)
    deb=$(ls "$CACHE"/debs/"${pkg}"_*.deb | head -1)
  fi
  rm -rf "$root.tmp" && mkdir -p "$root.tmp"
  dpkg-deb -x "$deb" "$root.tmp"
  kver=$(ls "$root.tmp/lib/modules" | head -1)
  # The package ships no modules.dep; the initramfs builder resolves dependencies from it.
  depmod -b "$root.tmp" "$kver"
  rm -rf "$root" && mv "$root.tmp" "$root"
  touch "$root/.complete"
fi
echo "$root"
