// What `salvage rescue --help` says after the option list: how to write the numbers, and
// the commands people start from (a ddrescue user's first, second and last run).
export const rescueHelpEpilog = [
  "",
  "UNITS",
  "",
  "  Sizes and positions are bytes: 4096, or with a binary unit: 64KiB (= 64k), 4MiB (= 4M), 1GiB (= 1G).",
  "  Rates (--min-read-rate) are bytes per second, with the same units: 1MiB.",
  "  Durations (--timeout, --mapfile-interval): seconds, or with s, m, h or d: 30s, 5m, 2h.",
  "  The mapfile itself is GNU ddrescue's (hexadecimal bytes), readable by ddrescue, ddrescuelog and ddrescueview.",
  "",
  "EXAMPLES",
  "",
  "  salvage rescue /dev/sdb disk.img disk.map            # good data first; rerun the same command to resume",
  "  salvage rescue -n /dev/sdb disk.img disk.map         # a quick first pass: no scraping (ddrescue -n)",
  "  salvage rescue -r 3 /dev/sdb disk.img disk.map       # then retry the bad sectors three times",
  "  salvage rescue -X 100 -T 5m /dev/sdb disk.img disk.map   # stop after 100 failed reads or 5 minutes of none working",
  "  salvage rescue -m part.map /dev/sdb disk.img disk.map    # only the '+' blocks of part.map (e.g. used space)",
  "  salvage map show disk.map;  salvage map -D disk.map && echo complete   # how far it got",
  "",
].join("\n");
