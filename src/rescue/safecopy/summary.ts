// safecopy's number formatting and closing summary.
import type { EngineResult } from "./types.ts";

/** C integer division (truncates toward zero; positions can briefly be negative). */
export const cdiv = (a: number, b: number) => Math.trunc(a / b);

/** safecopy prints its counters with %llu: a negative value shows as its 64-bit two's complement. */
export const u64 = (n: number) => (n < 0 ? (2n ** 64n + BigInt(n)).toString() : String(n));

/** "Blocks (bytes) copied" is the last write position, not a byte count (reference §12.3). */
export function summary(r: EngineResult, blockSize: number): string {
  const head = r.aborted === 1 ? "Aborted by user request!" : r.aborted === 2 ? "Aborted because of error!" : "Done!";
  return (
    `\n${head}\nRecovered bad blocks: ${r.softErrors}\nUnrecoverable bad blocks (bytes): ${r.hardErrors} (${u64(r.damage)})\n` +
    `Blocks (bytes) copied: ${u64(cdiv(r.written, blockSize))} (${u64(r.written)})\n`
  );
}
