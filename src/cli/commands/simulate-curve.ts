// `simulate score DAMAGE RECORD...`: time to data of one or more runs recorded with
// `simulate --record`, as a table (or JSON), optionally a picture with the runs overlaid.
import { basename } from "node:path";
import { computeCurve } from "../../sim/curve.ts";
import { formatCurves } from "../../sim/curve-table.ts";
import { curvesToSvg } from "../../sim/curve-svg.ts";
import { parseDuration } from "../../sim/duration.ts";
import { loadDamage } from "../../sim/load-damage.ts";
import { parseOptions } from "../../sim/cli-options.ts";
import { writeTextAtomically } from "../../util/atomic-file.ts";
import { ExitCode, UserError } from "../exit.ts";
import { svgToPng } from "../svg-to-png.ts";
import { loadMapfile } from "../rescue/map-store.ts";
import { statusCode } from "../../rescue/mapfile/extent-chunk.ts";

import { curveUsage } from "./simulate-usage.ts";

/** Seconds from "60s", "2min", "500ms" or a bare number of seconds. */
export function budgetSeconds(text: string): number {
  const bare = /^\d+(\.\d+)?$/.test(text) ? Number(text) : null;
  const ns = bare === null ? parseDuration(text) : bare * 1e9;
  if (ns === null || !(ns > 0)) throw new UserError(`--budget: not a duration: '${text}' (examples: 60s, 2min, 90)`);
  return ns / 1e9;
}

function domainPairs(path: string): [number, number][] {
  const m = loadMapfile(path, true);
  if (!m) throw new UserError(`domain mapfile '${path}' does not exist`);
  const out: [number, number][] = [];
  m.map.scan((a, b, code) => void (code === statusCode("+") && out.push([a, b])));
  return out;
}

export async function curveMain(argv: string[]): Promise<number> {
  const { options, flags, rest } = parseOptions(argv, { labels: "string", budget: "string", domain: "string", svg: "string", png: "string", points: "boolean", json: "boolean" });
  if (rest.length < 2) throw new UserError(`expected DAMAGE RECORD...: ${curveUsage}`);
  const [damage, ...records] = rest as [string, ...string[]];
  const labels = options.labels?.split(",") ?? [];
  if (labels.length > records.length) throw new UserError(`--labels names ${labels.length} runs, but ${records.length} records were given`);
  const budget = options.budget === undefined ? undefined : budgetSeconds(options.budget);
  const model = loadDamage(damage);
  // --domain: only the '+' blocks of this mapfile count (times to 90/99/100 % of them).
  const domain = options.domain === undefined ? undefined : domainPairs(options.domain);
  const curves = records.map((r, i) => {
    try {
      return computeCurve(model, r, { label: labels[i] || basename(r), budgetSeconds: budget, domain });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code && err.path) throw new UserError(`cannot read ${err.path}: ${err.code}`);
      throw e;
    }
  });
  if (options.svg || options.png) {
    const svg = curvesToSvg(curves, { title: `time to data: ${basename(damage)}`, budgetSeconds: budget });
    if (options.svg) writeTextAtomically(options.svg, svg);
    if (options.png) svgToPng(svg, options.png);
  }
  if (flags.has("json")) process.stdout.write(JSON.stringify(flags.has("points") ? curves : curves.map(({ points: _, ...c }) => c)) + "\n");
  else process.stdout.write(formatCurves(curves, flags.has("points")));
  return curves.every((c) => c.missedBytes === 0) ? ExitCode.ok : ExitCode.incomplete;
}
