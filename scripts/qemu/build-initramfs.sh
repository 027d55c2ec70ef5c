#!/bin/bash
# Build the guest's base initramfs once and cache it: busybox, the kernel modules for
# IDE/ATAPI, floppy, virtio and scsi_debug, glibc for the Bun-compiled binary, and /init.
#   scripts/qemu/build-initramfs.sh KERNEL_ROOT   -> prints the .cpio.gz path
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kroot=$1
CACHE=${SALVAGE_QEMU_CACHE:-$HOME/.cache/salvage-qemu}
kver=$(ls "$kroot/lib/modules" | head -1)
modules="ata_piix sd_mod sr_mod cdrom floppy virtio_pci virtio_blk isofs scsi_debug"
libs="libc.so.6 libpthread.so.0 libdl.so.2 libm.so.6"
busybox=$(command -v busybox)

# The cache key covers everything that goes in, so an edited /init rebuilds it.
key=$( (echo "$kver $modules $libs"; cat "$here/init.sh"; sha256sum "$busybox" /lib64/ld-linux-x86-64.so.2) | sha256sum | cut -c1-16)
out="$CACHE/initramfs-$key.cpio.gz"
if [ -f "$out" ]; then echo "$out"; exit 0; fi

root=$(mktemp -d "$CACHE/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,mnt,payload,lib64,lib/x86_64-linux-gnu,lib/modules/$kver}
cp "$busybox" "$root/bin/busybox"
for applet in sh mount umount insmod modprobe mkdir sleep cat ls poweroff; do ln -s busybox "$root/bin/$applet"; done
cp "$here/init.sh" "$root/init" && chmod +x "$root/init"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
for l in $libs; do cp -L "/lib/x86_64-linux-gnu/$l" "$root/lib/x86_64-linux-gnu/"; done

# Each module plus everything modules.dep says it needs; busybox modprobe loads the order.
dep="$kroot/lib/modules/$kver/modules.dep"
cp "$dep" "$root/lib/modules/$kver/"
files=""
for m in $modules; do
  line=$(grep -E "/$m\.ko(\.[a-z]+)?:" "$dep")
  files="$files ${line%%:*} ${line#*:}"
done
for f in $(echo $files | tr ' ' '\n' | sort -u); do
  mkdir -p "$root/lib/modules/$kver/$(dirname "$f")"
  cp "$kroot/lib/modules/$kver/$f" "$root/lib/modules/$kver/$f"
done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -6) > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
