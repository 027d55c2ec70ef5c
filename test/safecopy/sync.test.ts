// --sync: O_DIRECT reads into block-aligned buffers. With a block size the device cannot do
// directly (-b 1000), every read fails with EINVAL and safecopy treats it as a bad block
// (reference §12.13); salvage must do the same. Compared with Debian safecopy 1.7 (recorded,
// and live when installed) on a filesystem that supports O_DIRECT (/var/tmp; tmpfs does not).
import { describe, expect, test } from "bun:test";
import { noDirectIo, oursArgv, runSync, syncArgs, syncRecipe } from "./cli-cases.ts";
import { loadOracle, recorded } from "../helpers/oracle.ts";
import { peer, skipBecause, usesLivePeer } from "../helpers/needs.ts";

const recording = loadOracle<ReturnType<typeof runSync>>(syncRecipe.name);
const live = peer("safecopy");
if (live) usesLivePeer("safecopy");

describe.skipIf(skipBecause(noDirectIo()))("--sync (O_DIRECT) like safecopy", () => {
  for (const args of syncArgs) {
    test(args.join(" "), () => {
      const mine = runSync(oursArgv, args);
      expect(mine).toEqual(recorded(recording, syncRecipe.name, args.join(" ")));
      if (live) expect(mine).toEqual(runSync([live], args));
    });
  }
});
