// When and how the rescue map is saved. The map may only describe image data that is on
// disk, so every save flushes the image first. Inline, that flush stalls reading for as
// long as the kernel needs to write back everything dirty (seconds on a slow target).
// So periodic saves run in the background: the map is snapshotted, `sync --data IMAGE`
// (coreutils; fdatasync of the same inode covers our writes) flushes while reading goes
// on, and the snapshot, which only claims data written before the flush began, is written
// when it finishes. The final save, and every save when `sync` is missing or failed or the
// interval is 0, is done inline.
import type { Subprocess } from "bun";
import type { Mapfile, MapfileHeader } from "../../formats/mapfile.ts";
import type { StatusMap } from "../../rescue/mapfile/status-map.ts";
import { saveMapfileChecked } from "./map-store.ts";
import { systemTool } from "../../util/system-tool.ts";

export interface MapSaverOptions {
  mapPath: string;
  /** Regular-file images only: devices and /dev/null are flushed inline. */
  backgroundTarget: string | null;
  intervalMs: number;
  syncImage: () => void;
  header: () => MapfileHeader;
}

export class MapSaver {
  private last = performance.now();
  private inflight: { proc: Subprocess; snapshot: Mapfile; header: MapfileHeader } | null = null;
  private syncTool: string | null;
  /** When the map on disk was last written by this run; null: it is still the one from before. */
  lastSaved: Date | null = null;

  constructor(private readonly o: MapSaverOptions) {
    this.syncTool = o.backgroundTarget && o.intervalMs > 0 ? systemTool("sync") : null;
  }

  /** Between reads: finish a background save that is done, start one when it is time. */
  tick(current: Mapfile["current"], map: StatusMap): void {
    if (this.inflight && this.inflight.proc.exitCode !== null) this.finishBackground();
    if (this.inflight || performance.now() - this.last < this.o.intervalMs) return;
    if (!this.syncTool) return this.saveNow(current, map);
    const snapshot: Mapfile = { current: { ...current }, blocks: map.extents() };
    try {
      const proc = Bun.spawn([this.syncTool, "--data", this.o.backgroundTarget!], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      this.inflight = { proc, snapshot, header: this.o.header() };
      this.last = performance.now();
    } catch {
      this.syncTool = null;
      this.saveNow(current, map);
    }
  }

  /** The save at the end (or on a signal, or after an error): wait for a background one, then inline. */
  async final(current: Mapfile["current"], map: StatusMap): Promise<void> {
    if (this.inflight) {
      await this.inflight.proc.exited;
      this.inflight = null;
    }
    this.saveNow(current, map);
  }

  saveNow(current: Mapfile["current"], map: StatusMap): void {
    this.o.syncImage();
    this.write({ current, blocks: map.extents() }, this.o.header());
    this.last = performance.now();
  }

  /** Throws MapSaveError; the map on disk is then still the last one saved. */
  private write(map: Mapfile, header: MapfileHeader): void {
    saveMapfileChecked(this.o.mapPath, map, header);
    this.lastSaved = new Date();
  }

  private finishBackground(): void {
    const { proc, snapshot, header } = this.inflight!;
    this.inflight = null;
    // A failed flush proves nothing: from now on save inline, where an error is reported.
    if (proc.exitCode !== 0) {
      this.syncTool = null;
      return;
    }
    this.write(snapshot, header);
  }
}
