// Aligned buffers for O_DIRECT. One per job, reused for every read: allocation per
// block would cost more than the read itself on healthy media.
import { toArrayBuffer, type Pointer } from "bun:ffi";
import { shim } from "./library.ts";

/**
 * A zero-filled buffer whose address is a multiple of `alignment`.
 * The memory belongs to C and is freed by the shim when the buffer is garbage-collected.
 */
export function alignedBuffer(size: number, alignment = 4096): Uint8Array {
  const s = shim();
  const p = s.shim_alloc_aligned(alignment, size);
  if (!p) throw new RangeError(`cannot allocate ${size} bytes aligned to ${alignment}`);
  // Bun's toArrayBuffer takes an undocumented (context, deallocator) pair; the typings omit it.
  // The context must be a non-null pointer; shim_free_ctx ignores it.
  const withDeallocator = toArrayBuffer as unknown as (p: Pointer, off: number, len: number, ctx: Pointer, free: unknown) => ArrayBuffer;
  return new Uint8Array(withDeallocator(p as Pointer, 0, size, p as Pointer, (s.shim_free_ctx as unknown as { ptr: unknown }).ptr));
}
