# Rescue checks, sourced by guest-checks.sh: `salvage copy` (safecopy-compatible) on the
# emulated CD, floppy and disks. Each prints its summary, the bad-block list and the
# SHA-256 of the image; the host test compares them with the injected damage.
rescue() { # name device options...
  name=$1 dev=$2; shift 2
  wanted $name || return 0
  t0=$(uptime_s)
  echo "== CHECK $name"
  $S copy "$@" -o /tmp/$name.bad $dev /tmp/$name.img > /tmp/$name.out 2> /tmp/$name.err
  rc=$?
  tail -n 4 /tmp/$name.out
  grep -E "CDROM|Floppy|FDRESET|FDTWADDLE|Warning" /tmp/$name.err | sort | uniq -c | sed 's/^ */  stderr: /'
  echo "badblocks: $(tr '\n' ' ' < /tmp/$name.bad)"
  echo "sha256: $(sha256sum < /tmp/$name.img | cut -d' ' -f1)"
  echo "size: $(stat -c %s /tmp/$name.img)"
  echo "time: $(awk -v a=$t0 -v b=$(uptime_s) 'BEGIN{printf "%.1f", b-a}') s"
  echo "== END $name rc=$rc"
  rm -f /tmp/$name.img
}

# CD: whole disc through raw reads; plain reads of the damaged disc (the kernel loses the
# 4 KiB page around the bad LBA); then -L 1, where the drive is reset after the error and
# the reads after it go raw until one succeeds.
rescue cd-copy-L2 /dev/sr0 -L 2
rescue cd-bad-L0 /dev/sr1 -L 0 -b 2048 -f 1* -r 1* -R 2 -Z 1
rescue cd-bad-L1 /dev/sr1 -L 1 -b 2048 -f 1* -r 1* -R 2 -Z 1 --debug 2

# Floppy: the whole disk through -L 1 (detection does the blocking open the driver needs
# before O_NONBLOCK reads work), then read errors from the controller: the 720 KB format
# node (type 4 "D720", minor 16) asks for a data rate and sector layout the 1.44 MB disk
# does not have, so every read fails in the controller (see make-media.sh for why blkdebug
# cannot damage a floppy). Reset and twaddle after each error are shown by --debug.
rescue fd-copy-L1 /dev/fd0 -L 1 --sync -b 512
mknod /dev/fd0u720 b 2 16
rescue fd-error-L1 /dev/fd0u720 -L 1 --sync -b 512 -f 1* -r 1* -R 1 -Z 0 -l 2 --debug 2

# Disks at -b 512 with O_DIRECT (--sync).
rescue sda-sync /dev/sda --sync -b 512 -R 1
rescue vda-sync /dev/vda --sync -b 512 -R 1
if wanted sdb-sync; then
  t0=$(uptime_s)
  dd if=$P/sdb.img of=/dev/sdb bs=65536 conv=fsync 2>&1 | tail -n 1
  echo "RIG: filled /dev/sdb in $(awk -v a=$t0 -v b=$(uptime_s) 'BEGIN{printf "%.1f", b-a}') s"
fi
rescue sdb-sync /dev/sdb --sync -b 512 -R 1
