// What `salvage rescue --help` says after the option list: how to write the numbers, and
// the commands people start from (a ddrescue user's first, second and last run).
export const rescueHelpEpilog = [
  "",
  "UNITS",
  "",
  "  Sizes and positions are bytes, as in ddrescue: 4096, 0x100000, 8s (sectors), and k M G T (powers of",
  "  1000) or Ki Mi Gi Ti (powers of 1024), B optional: 64Ki = 65536, 1M = 1000000, 4MiB. -c counts sectors.",
  "  Rates (--min-read-rate) are bytes per second, with the same units: 1Mi.",
  "  Durations (--timeout, --delay-slow, --mapfile-interval): seconds, or with s, m, h or d, fractions too: 30s, 1.5m, 1/2h, 2d.",
  "  The mapfile itself is GNU ddrescue's (hexadecimal bytes), readable by ddrescue, ddrescuelog and ddrescueview.",
  "  Beside it, MAPFILE.learned keeps what the run learned about the drive (bad area sizes, read costs), so a",
  "  resumed run goes on knowing it; it is optional: without it a resume learns again.",
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
