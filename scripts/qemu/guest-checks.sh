#!/bin/sh
# Runs inside the emulated machine (busybox sh) with the real salvage binary.
# Each check prints "== CHECK name", the commands' output, then "== END name rc=N".
# The host test (test/devices/vm.test.ts) judges the output against what was injected.
P=/payload
. $P/expect.env
S=/tmp/salvage
cp $P/salvage $S   # exec from tmpfs: faster than isofs under emulation, and a normal path
cd /tmp
failures=0

# SALVAGE_QEMU_ONLY (a grep -E pattern) on the host narrows the run while developing.
wanted() { [ -z "$ONLY" ] || echo "$1" | grep -qE "$ONLY"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

check() { # name command...
  name=$1; shift
  wanted $name || return 0
  echo "== CHECK $name"
  "$@" 2>&1
  rc=$?
  echo "== END $name rc=$rc (guest uptime $(uptime_s) s)"
}

check info-cd $S info /dev/sr0
check info-cd-json $S info --json /dev/sr0
check info-floppy $S info /dev/fd0
check info-cd-empty $S info /dev/sr2
check info-sda $S info /dev/sda
check info-sdb $S info /dev/sdb
check info-vda $S info /dev/vda
check cdraw-16 $S cdraw /dev/sr0 16
check cdraw-0 $S cdraw /dev/sr0 0
last=$(( CD_SIZE / 2048 - 1 ))
check cdraw-last $S cdraw /dev/sr0 $last
check cdraw-bad $S cdraw /dev/sr1 $CD_BAD_LBA
check cdraw-reset $S cdraw --reset /dev/sr1 $(( CD_BAD_LBA + 1 ))

if [ -f $P/guest-rescue.sh ]; then . $P/guest-rescue.sh; fi
echo "== CHECKS DONE"
exit 0
