// A GNU ddrescue mapfile as a damage source: every area whose status is not '+'
// (finished) is bad. Areas are rounded outward to whole sectors.
import { escapeText } from "../util/escape.ts";
import { DamageError, emptyModel, type DamageExtent, type DamageModel } from "./model.ts";

const dataLine = /^\s*(0x[0-9a-f]+|\d+)\s+(0x[0-9a-f]+|\d+)\s+([?*/\-+])\s*$/i;
const statusLine = /^\s*(0x[0-9a-f]+|\d+)\s+([?*/\-+FGF])(\s+\d+)?\s*$/i;

export function looksLikeDdrescueMap(text: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
  return lines.length >= 1 && statusLine.test(lines[0]!) && lines.slice(1).every((l) => dataLine.test(l));
}

export function parseDdrescueMap(text: string, file: string, sectorSize = 512): DamageModel {
  const model = emptyModel(sectorSize);
  const extents: DamageExtent[] = [];
  let seenStatus = false;
  let expected = 0;
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (!t || t.startsWith("#")) return;
    if (!seenStatus) {
      if (!statusLine.test(t)) throw new DamageError(`${file}:${line}: expected ddrescue's 'current_pos current_status' line: '${escapeText(t, 80)}'`);
      seenStatus = true;
      return;
    }
    const m = dataLine.exec(t);
    if (!m) throw new DamageError(`${file}:${line}: expected 'pos size status': '${escapeText(t, 80)}'`);
    const pos = Number(m[1]);
    const size = Number(m[2]);
    if (pos !== expected) throw new DamageError(`${file}:${line}: area starts at ${pos}, expected ${expected} (areas must be contiguous)`);
    expected = pos + size;
    if (m[3] === "+" || size === 0) return;
    const first = Math.floor(pos / sectorSize);
    const end = Math.ceil((pos + size) / sectorSize);
    const prev = extents[extents.length - 1];
    if (prev && prev.first + prev.count >= first) prev.count = Math.max(prev.count, end - prev.first);
    else extents.push({ first, count: end - first, kind: "bad", fails: 0, costNs: 0, failCostNs: 0, line });
  });
  if (!seenStatus) throw new DamageError(`${file}: empty ddrescue mapfile`);
  model.size = expected;
  model.extents = extents;
  return model;
}
