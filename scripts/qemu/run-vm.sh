#!/bin/bash
# Boot the emulated test machine once and run scripts/qemu/guest-checks.sh inside it
# with the real dist/salvage. The serial console log goes to stdout (and WORK/console.log);
# the exit status is the guest's (RIG-EXIT-STATUS), 124 on timeout.
#   scripts/qemu/run-vm.sh [SALVAGE_BINARY]      (default dist/salvage)
# Environment: SALVAGE_QEMU_CACHE (downloads, default ~/.cache/salvage-qemu),
#              SALVAGE_QEMU_WORK (per-run files, default build/qemu), SALVAGE_QEMU_TIMEOUT (s, default 300).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BIN=$(realpath "${1:-$repo/dist/salvage}")
W=${SALVAGE_QEMU_WORK:-$repo/build/qemu}
for tool in qemu-system-x86_64 busybox genisoimage mkfs.fat mcopy cpio depmod; do
  command -v $tool > /dev/null || { echo "run-vm: $tool missing (see docs/devices.md for the packages)" >&2; exit 125; }
done
[ -x "$BIN" ] || { echo "run-vm: $BIN missing: run bun scripts/build.ts" >&2; exit 125; }

kroot=$("$here/fetch-kernel.sh")
initrd=$("$here/build-initramfs.sh" "$kroot")
kernel=$(ls "$kroot"/boot/vmlinuz-* | head -1)
rm -rf "$W" && mkdir -p "$W"
"$here/make-media.sh" "$W" "$BIN"

# KVM in a nested VM can hang instead of failing, so use it only when the CPU says it can.
accel=tcg
grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ] && accel=kvm
bd() { echo "file=blkdebug:$W/$1.rules:$W/$2,format=raw,if=none,rerror=report,id=$1"; }
start=$(date +%s.%N)
set +e
timeout "${SALVAGE_QEMU_TIMEOUT:-300}" qemu-system-x86_64 -machine pc -accel $accel -cpu max -m 768 -smp 1 \
  -display none -monitor none -serial stdio -no-reboot \
  -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 quiet loglevel=1 panic=-1" \
  -drive "$(bd sda sda.img)" -device ide-hd,drive=sda,bus=ide.0,unit=0 \
  -drive file="$W/cd.iso",format=raw,if=none,media=cdrom,readonly=on,id=cd0 -device ide-cd,drive=cd0,bus=ide.0,unit=1 \
  -drive "$(bd cd cd.iso),readonly=on" -device ide-cd,drive=cd,bus=ide.1,unit=0 \
  -drive if=none,media=cdrom,id=cdempty -device ide-cd,drive=cdempty,bus=ide.1,unit=1 \
  -drive file="$W/fd.img",format=raw,if=none,id=fd -device floppy,drive=fd,unit=0 \
  -drive "$(bd vda vda.img)" -device virtio-blk-pci,drive=vda \
  -drive file="$W/payload.iso",format=raw,if=none,readonly=on,id=payload -device virtio-blk-pci,drive=payload \
  < /dev/null 2>&1 | tee "$W/console.log"
qemu_status=${PIPESTATUS[0]}
set -e
echo "RIG: host wall time $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
[ "$qemu_status" = 124 ] && { echo "run-vm: timed out" >&2; exit 124; }
status=$(sed -n 's/^RIG-EXIT-STATUS=\([0-9]*\).*/\1/p' "$W/console.log" | tail -1)
exit "${status:-3}"
