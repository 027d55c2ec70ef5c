// Reads that a walk knows in advance (the chunks of a cylinder group's free runs), done by
// a second thread as well as the caller. On an image in the page cache, copying the bytes
// out of the cache is most of a walk's work, and one thread copies at about 6 GB/s: with a
// reader thread the copies run on two cores, and whatever the caller does with one chunk
// (scanning, carving text) overlaps the reading of the next.
//
// The reader is a Worker that preads through the shim, as the caller does, into buffers of
// one SharedArrayBuffer; slots are handed over with Atomics, so the caller stays synchronous
// (a walk is a generator); only whenNextReady() waits with the event loop running, for a
// caller that must see signals during a long read. Requests are claimed in order
// by tickets, by whichever thread is free: the reader while the caller works on a chunk, and
// the caller too when the chunk it needs is not read yet. So the caller never waits on a
// request nobody has started, and a reader that fails to start costs nothing but the thread.
//
// Only for regular files: a device that is failing is read by one reader, in order.
import type { FileSource } from "./file-source.ts";

/** Slot states. */
export const FREE = 0, PLANNED = 1, READING = 2, DONE = 3;
/**
 * Control words: requests published so far; the next request to claim (a ticket); the pool is
 * closing; the reader is (about to be) asleep; the caller is (about to be) asleep. A wake-up
 * is a futex call: each side wakes the other only when it sleeps (the flag is set before
 * the sleeper looks again, and every word is sequentially consistent, so no wake-up is lost).
 */
export const PUBLISHED = 0, CLAIMED = 1, CLOSING = 2, READER_SLEEPS = 3, CALLER_SLEEPS = 4;
/** Per slot in `meta`: offset, length, result (bytes or -errno). */
export const META = 3;

export interface PoolMemory {
  control: SharedArrayBuffer;
  state: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  data: SharedArrayBuffer;
  fd: number;
  slots: number;
  slotBytes: number;
}

export interface PooledRead {
  /** The bytes, valid until the next take() or close(). */
  buf: Uint8Array;
  /** Bytes read, or -errno: what Source.read would have returned. */
  got: number;
}

/** Slots: one with the caller, one read by each thread, one planned ahead. */
const SLOTS = 4;

export class ReadPool {
  private readonly control: Int32Array;
  private readonly state: Int32Array;
  private readonly meta: Float64Array;
  private readonly views: Uint8Array[];
  private readonly worker: Worker | null;
  private queue: Array<[number, number]> = [];
  private queued = 0;
  /** Sequence numbers: next to hand to the caller, next to publish. */
  private head = 0;
  private tail = 0;
  /** The slot whose bytes the caller holds, or -1. */
  private lent = -1;
  private closed = false;
  /** Requests the caller read itself (the rest were the reader thread's). */
  readHere = 0;

  constructor(private readonly source: FileSource, readonly slotBytes: number) {
    const memory: PoolMemory = {
      control: new SharedArrayBuffer(5 * 4),
      state: new SharedArrayBuffer(SLOTS * 4),
      meta: new SharedArrayBuffer(SLOTS * META * 8),
      data: new SharedArrayBuffer(SLOTS * slotBytes),
      fd: source.descriptor,
      slots: SLOTS,
      slotBytes,
    };
    this.control = new Int32Array(memory.control);
    this.state = new Int32Array(memory.state);
    this.meta = new Float64Array(memory.meta);
    this.views = Array.from({ length: SLOTS }, (_, i) => new Uint8Array(memory.data, i * slotBytes, slotBytes));
    this.worker = startReader(memory);
  }

  /** Reads the caller will ask for, in this order (each at most slotBytes). */
  plan(reads: Iterable<[number, number]>): void {
    for (const r of reads) this.queue.push(r);
    this.publish();
  }

  /**
   * The next planned read, if it is (offset, length): its bytes, read by either thread.
   * Null when it is not the next planned read (the caller reads it itself).
   */
  take(offset: number, length: number): PooledRead | null {
    this.release();
    if (this.head === this.tail) return null;
    const slot = this.head % SLOTS;
    const m = slot * META;
    if (this.meta[m] !== offset || this.meta[m + 1] !== length) return null;
    // Read the next unclaimed request (this one, or one after it) rather than wait.
    while (Atomics.load(this.state, slot) !== DONE) if (!this.readOneAhead()) this.sleepWhileRead(slot, 1000);
    this.lent = slot;
    this.head++;
    return { buf: this.views[slot]!.subarray(0, length), got: this.meta[m + 2]! };
  }

  /** Whether the next planned read is being read by the reader thread (take() would wait for it). */
  nextBusy(): boolean {
    return this.head < this.tail && Atomics.load(this.state, this.head % SLOTS) === READING;
  }

  /**
   * Wait up to `ms` for the reader's read of the next planned request, blocking; true if it
   * is still busy after that (a slow disk: wait with whenNextReady, the event loop running).
   * A read from the page cache takes well under a millisecond; an awaited wake-up costs
   * more than that, for every chunk.
   */
  stillBusyAfter(ms: number): boolean {
    if (this.nextBusy()) this.sleepWhileRead(this.head % SLOTS, ms);
    return this.nextBusy();
  }

  /** Resolves when the next planned read is no longer being read; the event loop runs meanwhile. */
  async whenNextReady(): Promise<void> {
    const slot = this.head % SLOTS;
    while (this.nextBusy()) {
      Atomics.store(this.control, CALLER_SLEEPS, 1);
      const r = Atomics.waitAsync(this.state, slot, READING, 1000);
      if (r.async) await r.value;
      Atomics.store(this.control, CALLER_SLEEPS, 0);
    }
  }

  /** Planned reads not taken are dropped; returns once the reader is in no read (the descriptor may then be closed). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    Atomics.store(this.control, CLOSING, 1);
    // No claim succeeds after this; wait for the reads of those claimed before it.
    const claimed = Atomics.exchange(this.control, CLAIMED, 2 ** 31 - 1);
    Atomics.notify(this.control, PUBLISHED);
    Atomics.store(this.control, CALLER_SLEEPS, 1);
    for (let seq = this.head; seq < claimed; seq++) {
      const slot = seq % SLOTS;
      while (Atomics.load(this.state, slot) !== DONE) Atomics.wait(this.state, slot, Atomics.load(this.state, slot), 1000);
    }
    this.worker?.terminate();
  }

  /** Claim the next unclaimed request and read it here (blocking); false when all are claimed. */
  readOneAhead(): boolean {
    const ticket = Atomics.load(this.control, CLAIMED);
    if (ticket >= this.tail || Atomics.compareExchange(this.control, CLAIMED, ticket, ticket + 1) !== ticket) return false;
    readSlot(this.control, this.state, this.meta, ticket % SLOTS, (view, length, offset) => this.source.read(view, length, offset), this.views);
    this.readHere++;
    return true;
  }

  /** Block up to `ms` while the reader reads `slot` (woken when it is done: CALLER_SLEEPS). */
  private sleepWhileRead(slot: number, ms: number): void {
    Atomics.store(this.control, CALLER_SLEEPS, 1);
    Atomics.wait(this.state, slot, READING, ms);
    Atomics.store(this.control, CALLER_SLEEPS, 0);
  }

  private release(): void {
    if (this.lent >= 0) Atomics.store(this.state, this.lent, FREE);
    this.lent = -1;
    this.publish();
  }

  private publish(): void {
    while (!this.closed && this.tail - this.head < SLOTS - (this.lent >= 0 ? 1 : 0) && this.queued < this.queue.length) {
      const [offset, length] = this.queue[this.queued++]!;
      if (length > this.slotBytes) throw new RangeError(`planned read of ${length} bytes, slots hold ${this.slotBytes}`);
      const slot = this.tail % SLOTS;
      const m = slot * META;
      this.meta[m] = offset;
      this.meta[m + 1] = length;
      Atomics.store(this.state, slot, PLANNED);
      this.tail++;
      Atomics.store(this.control, PUBLISHED, this.tail);
      if (Atomics.load(this.control, READER_SLEEPS)) Atomics.notify(this.control, PUBLISHED);
    }
    if (this.queued === this.queue.length) {
      this.queue = [];
      this.queued = 0;
    }
  }
}

/**
 * The reader's script. In the compiled binary every module's import.meta.url is the binary's
 * own, and scripts/build.ts embeds the worker as a second entrypoint, under the entrypoints'
 * common folder (src/), where a relative name finds it.
 */
const READER_SCRIPT = import.meta.url.includes("/$bunfs/") ? "./io/read-pool-worker.ts" : new URL("./read-pool-worker.ts", import.meta.url).href;

/** Read the request of a claimed slot with `read` (Source.read semantics), mark it done, wake a waiting caller. */
export function readSlot(control: Int32Array, state: Int32Array, meta: Float64Array, slot: number, read: (view: Uint8Array, length: number, offset: number) => number, views: Uint8Array[]): void {
  Atomics.store(state, slot, READING);
  const m = slot * META;
  meta[m + 2] = read(views[slot]!, meta[m + 1]!, meta[m]!);
  Atomics.store(state, slot, DONE);
  if (Atomics.load(control, CALLER_SLEEPS)) Atomics.notify(state, slot);
}

/** The reader thread, or null where none can start (then the caller reads everything). */
function startReader(memory: PoolMemory): Worker | null {
  try {
    const w = new Worker(READER_SCRIPT);
    w.unref();
    w.postMessage(memory);
    return w;
  } catch {
    return null;
  }
}

/** A pool for this source when reading ahead helps and is safe: a regular file, no O_DIRECT. */
export function readPoolFor(source: unknown, slotBytes: number): ReadPool | null {
  const s = source as FileSource;
  if (typeof s?.descriptor !== "number" || !s.regular || s.alignment !== 1) return null;
  return new ReadPool(s, slotBytes);
}
