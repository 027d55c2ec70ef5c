#!/bin/bash
# Build the emulated media for one run in WORK: a data CD (ISO), a 1.44 MB floppy,
# two disks, blkdebug rules injecting read errors at chosen sectors, and the payload
# disk carrying dist/salvage and the guest checks. The bad sectors are exported in
# expect.env so the host test compares the guest's results with what was injected.
#   scripts/qemu/make-media.sh WORK SALVAGE_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
W=$1 BIN=$2
mkdir -p "$W/cd-root" "$W/payload"

# blkdebug rules: one section per 512-byte sector; any request overlapping it fails with EIO.
rules() { # file sector...
  local f=$1; shift; : > "$f"
  for s in "$@"; do printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "%s"\nonce = "off"\n\n' "$s" >> "$f"; done
}

# Data CD: random files so a wrong sector cannot match by accident.
head -c 400000 /dev/urandom > "$W/cd-root/a.bin"
head -c 300000 /dev/urandom > "$W/cd-root/b.bin"
genisoimage -quiet -V RIGTEST_CD -o "$W/cd.iso" "$W/cd-root"
CD_BAD_LBA=200
rules "$W/cd.rules" $((CD_BAD_LBA * 4)) $((CD_BAD_LBA * 4 + 1)) $((CD_BAD_LBA * 4 + 2)) $((CD_BAD_LBA * 4 + 3))

# Floppy: FAT12 1.44 MB with one file. QEMU's floppy controller ignores read errors of
# its backing image (it hands the guest zeros), so blkdebug cannot damage a floppy; the
# guest provokes controller errors through a format node instead (guest-rescue.sh).
head -c 1474560 /dev/zero > "$W/fd.img"
mkfs.fat -n RIGFLOPPY "$W/fd.img" > /dev/null
head -c 200000 /dev/urandom > "$W/fd-file.bin"
mcopy -i "$W/fd.img" "$W/fd-file.bin" ::DATA.BIN

# Disks: 2 MiB of random data each. The bad sectors sit in the second half: after an
# error the copy reads sector by sector (4.8 ms each under emulation), so damage near
# the start would cost the suite tens of seconds and prove nothing more.
head -c 2097152 /dev/urandom > "$W/sda.img"
head -c 2097152 /dev/urandom > "$W/vda.img"
# scsi_debug starts as zeros: the guest fills it with these bytes first.
head -c 2097152 /dev/urandom > "$W/payload/sdb.img"
SDA_BAD="3000 3001 3900" VDA_BAD="3200 3900"
rules "$W/sda.rules" $SDA_BAD
rules "$W/vda.rules" $VDA_BAD

cat > "$W/payload/expect.env" <<EOT
CD_BAD_LBA=$CD_BAD_LBA
CD_SIZE=$(stat -c %s "$W/cd.iso")
CD_SHA256=$(sha256sum < "$W/cd.iso" | cut -d' ' -f1)
FD_SHA256=$(sha256sum < "$W/fd.img" | cut -d' ' -f1)
SDA_BAD="$SDA_BAD"
VDA_BAD="$VDA_BAD"
SDB_BAD="3500 3501"
ONLY="${SALVAGE_QEMU_ONLY:-}"
EOT
cp "$BIN" "$W/payload/salvage"
cp "$here/guest-checks.sh" "$here/guest-rescue.sh" "$W/payload/"
genisoimage -quiet -R -o "$W/payload.iso" "$W/payload"
