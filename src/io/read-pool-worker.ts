// The reader thread of read-pool.ts: claims requests in order and preads them through
// the shim (as the caller does, so the simulator and every other interposer see the same
// reads). It never writes anything but the slots, and stops when the pool closes.
import { describeErrno, preadRaw } from "../native/io.ts";
import { CLAIMED, CLOSING, PUBLISHED, READER_SLEEPS, readSlot, type PoolMemory } from "./read-pool.ts";

declare const self: Worker;

self.onmessage = (e: MessageEvent<PoolMemory>) => {
  const m = e.data;
  const control = new Int32Array(m.control);
  const state = new Int32Array(m.state);
  const meta = new Float64Array(m.meta);
  const views = Array.from({ length: m.slots }, (_, i) => new Uint8Array(m.data, i * m.slotBytes, m.slotBytes));
  // Load the shim before claiming anything (a reader that cannot read claims nothing), by a
  // call that reads nothing: a simulator counts every read.
  describeErrno(0);
  const read = (view: Uint8Array, length: number, offset: number) => preadRaw(m.fd, view, length, offset);
  for (;;) {
    if (Atomics.load(control, CLOSING)) return;
    const published = Atomics.load(control, PUBLISHED);
    const ticket = Atomics.load(control, CLAIMED);
    if (ticket >= published) {
      Atomics.store(control, READER_SLEEPS, 1);
      if (Atomics.load(control, PUBLISHED) === published && !Atomics.load(control, CLOSING)) Atomics.wait(control, PUBLISHED, published, 1000);
      Atomics.store(control, READER_SLEEPS, 0);
    } else if (Atomics.compareExchange(control, CLAIMED, ticket, ticket + 1) === ticket) readSlot(control, state, meta, ticket % m.slots, read, views);
  }
};
