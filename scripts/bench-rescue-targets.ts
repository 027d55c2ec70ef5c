// The targets of issue 10 for the rescue strategy, checked on one benchmark case (one disk,
// one source behaviour): salvage's default run against ddrescue's default and -r3 runs.
import type { Curve, Milestone } from "../src/sim/curve.ts";

export interface Case {
  name: string;
  pattern: string;
  onError: "short" | "fail";
  seed: number;
  badSectors: number;
  weakSectors: number;
  /**
   * Failed reads that recovering every weak sector needs at least: the simulator ends a
   * read at its first failing sector, so each failed read counts one failure against one
   * sector, and a weak sector reads only after its own `fails` failed attempts.
   */
  weakFails: number;
  /** Labelled "ddrescue", "ddrescue -n", "ddrescue -r3", "salvage". */
  curves: Curve[];
}

export interface Verdict {
  target: string;
  pass: boolean;
  detail: string;
}

const never = Number.POSITIVE_INFINITY;
const time = (t: number | null) => t ?? never;
const show = (t: number | null) => (t === null ? "never" : t.toFixed(2));

export function checkTargets(c: Case): Verdict[] {
  const run = (label: string) => c.curves.find((x) => x.label === label);
  const dd = run("ddrescue");
  const r3 = run("ddrescue -r3");
  const sv = run("salvage");
  if (!dd || !sv) return [];
  const out: Verdict[] = [];
  const ms: Milestone[] = ["90", "99", "99.9"];
  const worse = ms.filter((k) => time(sv.t[k]) > time(dd.t[k]));
  out.push({
    target: "t90, t99, t99.9 <= ddrescue's",
    pass: worse.length === 0,
    detail: ms.map((k) => `t${k} ${show(sv.t[k])} vs ${show(dd.t[k])}`).join(", "),
  });
  if (c.pattern === "head" || c.pattern === "islands") {
    const factor = c.pattern === "head" && c.onError === "fail" ? 0.75 : 0.5;
    out.push({
      target: `t99 <= ${factor}x ddrescue's (${c.pattern})`,
      pass: time(sv.t["99"]) <= factor * time(dd.t["99"]),
      detail: `${show(sv.t["99"])} vs ${show(dd.t["99"])}${dd.t["99"] && sv.t["99"] !== null ? ` = ${(sv.t["99"] / dd.t["99"]).toFixed(2)}x` : ""}`,
    });
  }
  if (c.weakSectors > 0 && r3)
    out.push({
      target: "weak sectors: 0 readable bytes missed, total time <= ddrescue -r3's",
      pass: sv.missedBytes === 0 && sv.totalSeconds <= r3.totalSeconds,
      detail: `missed ${sv.missedBytes} bytes (ddrescue -r3 ${r3.missedBytes}), total ${sv.totalSeconds.toFixed(1)} s vs ${r3.totalSeconds.toFixed(1)} s`,
    });
  out.push({
    target: "error reads <= 1.1x ddrescue's",
    pass: sv.errorReads <= 1.1 * dd.errorReads,
    detail: `${sv.errorReads} vs ${dd.errorReads}${c.weakFails > 0 ? ` (missing no weak byte needs at least ${c.weakFails} failed reads)` : ""}`,
  });
  return out;
}
