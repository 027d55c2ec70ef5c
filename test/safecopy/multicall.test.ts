// The compiled binary called through a link named `safecopy` is safecopy: same help text
// (naming the program as typed), same behaviour as Debian safecopy 1.7 (recorded, and live
// when installed). Needs the build (`npm test` builds it).
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { multicallArgs, multicallRecipe, runLinked } from "./cli-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";

const built = join(import.meta.dir, "../../dist/salvage");
const recording = loadOracle<ReturnType<typeof runLinked>>(multicallRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

describe.skipIf(skipBecause(!existsSync(built) && "dist/salvage not built (npm run build; npm test builds it)"))("`safecopy` link to the salvage binary", () => {
  for (const args of multicallArgs) {
    const key = `./safecopy ${args.join(" ")}`.trim();
    test(key, () => {
      const mine = runLinked(built, args);
      expect(mine).toEqual(recorded(recording, multicallRecipe.name, key));
      if (live) expect(mine).toEqual(runLinked(live, args));
    });
  }
});
