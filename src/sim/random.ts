// Deterministic pseudo-random numbers (mulberry32): the same seed gives the same disk on
// every machine and every run.
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [lo, hi]. */
export function between(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** Fill `buf` with content that depends on (seed, offset) only and has no zero byte, so a
 *  zero in a rescued copy always means "not recovered". */
export function fillContent(buf: Uint8Array, offset: number, seed: number): void {
  const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength >>> 2);
  // One generator step per 4-byte word, keyed by the word's absolute index.
  let w = offset >>> 2;
  for (let i = 0; i < words.length; i++, w++) {
    let x = (Math.imul(w, 0x9e3779b1) ^ seed) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    x ^= x >>> 16;
    // every byte 1..255: a zero byte becomes 0x5a
    words[i] = x;
  }
  for (let i = 0; i < buf.length; i++) if (buf[i] === 0) buf[i] = 0x5a;
}
