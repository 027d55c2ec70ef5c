#!/bin/sh
# Guest /init: bring up the emulated devices, run the checks from the payload disk,
# report the exit status on the serial console and power off.
export PATH=/bin LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo "RIG: /init at $(cut -d' ' -f1 /proc/uptime)s"
modprobe ata_piix; modprobe sd_mod; modprobe sr_mod; modprobe floppy
modprobe virtio_pci; modprobe virtio_blk; modprobe isofs
# scsi_debug after the IDE disk so it is sdb; its medium errors give real ENODATA.
sleep 1
modprobe scsi_debug dev_size_mb=2 delay=0 opts=2 medium_error_start=3500 medium_error_count=2
for i in $(seq 1 100); do
  [ -b /dev/sda ] && [ -b /dev/sdb ] && [ -b /dev/sr0 ] && [ -b /dev/sr1 ] && [ -b /dev/sr2 ] && [ -b /dev/fd0 ] && [ -b /dev/vda ] && [ -b /dev/vdb ] && break
  sleep 0.1
done
echo "RIG: devices at $(cut -d' ' -f1 /proc/uptime)s: $(cd /dev && echo fd0 sd? sr? vd?)"
status=99
if mount -t iso9660 -o ro /dev/vdb /payload; then
  sh /payload/guest-checks.sh
  status=$?
else
  echo "RIG: cannot mount the payload disk"
fi
echo "RIG: done at $(cut -d' ' -f1 /proc/uptime)s"
echo "RIG-EXIT-STATUS=$status"
poweroff -f
