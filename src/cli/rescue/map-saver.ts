// When and how the rescue map is saved, without stopping reading.
//
// The map may only describe image data that is on disk, so a save starts by freezing the
// map (a copy-on-write snapshot, O(chunks)) and flushing the image. For a regular-file
// image the flush runs in the background (`sync --data IMAGE`, coreutils; fdatasync of
// the same inode covers our writes) while reading goes on; for a device, or when `sync`
// is missing or failed, it is done inline. Only after the flush has finished is the
// snapshot, which claims no data written after it was taken, written out: a bounded
// piece per step between reads (about a millisecond of work, up to 5 ms when reads are slow),
// into a temporary file that is fsynced on a worker thread and then renamed over the old
// map. The final save (end, signal, error) is done inline and is current.
//
// Interval: `--mapfile-interval` when given; otherwise it grows with the map as ddrescue's
// does: 30 s up to a million extents, then 30 s more per million, at most 5 minutes.
import type { Subprocess } from "bun";
import { MapfileEncoder } from "../../formats/mapfile-write.ts";
import type { MapfileHeader } from "../../formats/mapfile-header.ts";
import type { MapSnapshot, StatusMap } from "../../rescue/mapfile/status-map.ts";
import type { StatusLine } from "../../rescue/mapfile/status.ts";
import { AtomicFileStream } from "../../util/atomic-file-stream.ts";
import { systemTool } from "../../util/system-tool.ts";
import { writeLearnedNow, writeLearnedSoon } from "./learned-file.ts";
import { saveMapfileChecked } from "./map-store.ts";

export interface MapSaverOptions {
  mapPath: string;
  /** Regular-file images only: devices and /dev/null are flushed inline. */
  backgroundTarget: string | null;
  /** Fixed interval (ms), or null for the automatic one (see autoIntervalMs). */
  intervalMs: number | null;
  syncImage: () => void;
  header: () => MapfileHeader;
  /** What the engine learned, as saved beside the map (MAP.learned), taken with each map snapshot. */
  learned?: () => string;
}

/** The automatic save interval for a map of `extents` extents, ms. */
export function autoIntervalMs(extents: number): number {
  return Math.min(300_000, 30_000 * Math.max(1, Math.ceil(extents / 1_000_000)));
}

interface Save {
  snapshot: MapSnapshot;
  current: StatusLine;
  learned: string | null;
  header: MapfileHeader;
  /** Set while the image flush runs in the background. */
  flush: Subprocess | null;
  encoder: MapfileEncoder | null;
  out: AtomicFileStream | null;
  commit: Promise<void> | null;
  settled: boolean;
}

/** Extents from which the map's copy-on-write leftovers are worth a collection. */
const LARGE_MAP = 100_000;

/**
 * After a background save the snapshot's chunks that the map had copied are garbage: tens of
 * MiB on a map of millions of extents, which the collector, counting typed arrays' storage
 * lightly, left in place until the peak RSS of a 1 M-area rescue included them. A hint (not
 * a stop-the-world collection: reading goes on) returns them.
 */
function collectCopies(extents: number): void {
  if (extents >= LARGE_MAP) Bun.gc(false);
}

export class MapSaver {
  private last = performance.now();
  private lastTick = performance.now();
  private save: Save | null = null;
  private syncTool: string | null;
  /** When the map on disk was last written by this run; null: it is still the one from before. */
  lastSaved: Date | null = null;

  constructor(private readonly o: MapSaverOptions) {
    this.syncTool = o.backgroundTarget && o.intervalMs !== 0 ? systemTool("sync") : null;
  }

  private interval(map: StatusMap): number {
    return this.o.intervalMs ?? autoIntervalMs(map.count);
  }

  /** Between reads: advance a save in progress by a bounded step, or start one when it is time. */
  tick(current: StatusLine, map: StatusMap): void {
    const now = performance.now();
    const sinceLast = now - this.lastTick;
    this.lastTick = now;
    if (this.save) return this.advance(sinceLast);
    if (now - this.last < this.interval(map)) return;
    if (this.o.intervalMs === 0) return this.saveNow(current, map);
    this.start(current, map);
  }

  private start(current: StatusLine, map: StatusMap): void {
    const save: Save = { snapshot: map.snapshot(), current: { ...current }, learned: this.o.learned?.() ?? null, header: this.o.header(), flush: null, encoder: null, out: null, commit: null, settled: false };
    this.last = performance.now();
    if (this.syncTool) {
      try {
        save.flush = Bun.spawn([this.syncTool, "--data", this.o.backgroundTarget!], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      } catch {
        this.syncTool = null;
      }
    }
    if (!save.flush) this.o.syncImage();
    this.save = save;
  }

  /** One step of the save in progress: at most a few milliseconds of work. */
  private advance(sinceLastTick: number): void {
    const s = this.save!;
    if (s.flush) {
      if (s.flush.exitCode === null) return;
      // A failed flush proves nothing: drop this save; from now on flush inline, where an error is reported.
      if (s.flush.exitCode !== 0) {
        this.syncTool = null;
        this.save = null;
        return;
      }
      s.flush = null;
    }
    if (!s.out) {
      s.out = new AtomicFileStream(this.o.mapPath);
      s.encoder = new MapfileEncoder(s.snapshot, s.current, s.header);
    }
    if (s.encoder) {
      // Slow reads leave more time per step; fast ones get about a millisecond.
      const budget = Math.min(5, Math.max(1, sinceLastTick / 4));
      const t0 = performance.now();
      do {
        const piece = s.encoder.piece();
        if (!piece) {
          s.encoder = null;
          break;
        }
        s.out.write(piece);
      } while (performance.now() - t0 < budget);
      if (s.encoder) return;
      s.commit = s.out.commit().then(
        // The learned state only after its map: it belongs to that map's status line.
        async () => {
          this.lastSaved = new Date();
          if (s.learned !== null) await writeLearnedSoon(this.o.mapPath, s.learned);
          s.settled = true;
        },
        () => void (s.settled = true), // a failed save leaves the old map; the next one (or the final one) reports
      );
      return;
    }
    if (s.settled) {
      this.save = null;
      collectCopies(s.snapshot.count);
    }
  }

  /** The save at the end (or on a signal, or after an error): let a save in progress go, then save inline. */
  async final(current: StatusLine, map: StatusMap): Promise<void> {
    const s = this.save;
    this.save = null;
    if (s?.flush) await s.flush.exited;
    if (s?.commit) await s.commit;
    else s?.out?.abort();
    // The last phase may have rewritten much of a large map after the snapshot: collect the
    // copies now, once, rather than let the final save's peak include them.
    if (map.count >= LARGE_MAP) Bun.gc(true);
    this.saveNow(current, map);
  }

  /** Throws MapSaveError; the map on disk is then still the last one saved. */
  saveNow(current: StatusLine, map: StatusMap): void {
    this.o.syncImage();
    const learned = this.o.learned?.() ?? null;
    saveMapfileChecked(this.o.mapPath, map, current, this.o.header());
    this.lastSaved = new Date();
    if (learned !== null) writeLearnedNow(this.o.mapPath, learned);
    this.last = performance.now();
  }
}
