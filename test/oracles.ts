// Every recorded oracle (test/fixtures/oracles/), for scripts/record-oracles.ts.
import type { Recipe } from "./helpers/oracle.ts";
import { differentialRecipe } from "./safecopy/differential-cases.ts";
import { badInputRecipe, multicallRecipe, syncRecipe } from "./safecopy/cli-cases.ts";
import { ttyRecipe } from "./safecopy/tty-cases.ts";
import { endlessRecipe } from "./safecopy/endless-cases.ts";
import { rootOnlyRecipe } from "./safecopy/safety-cases.ts";
import { fromTimingRecipe } from "./sim/from-timing-cases.ts";
import { ddrescueRecipe } from "./rescue/ddrescue-cases.ts";
import { ddrescuelogRecipe } from "./rescue/map-cases.ts";
import { screenRecipe } from "./rescue/screen-cases.ts";
import { optionsRecipe } from "./rescue/ddrescue-option-cases.ts";
import { mapToolsRecipe } from "./rescue/map-tools-cases.ts";
import { tskRecipe } from "./ffs/tsk-cases.ts";
import { deletedNamesRecipe, manyDeletedRecipe } from "./ffs/makefs-cases.ts";
import { partitionTablesRecipe } from "./partitions/table-cases.ts";
import { fsNamesRecipe } from "./partitions/fs-name-cases.ts";
import { dumpe2fsRecipe, extBlklsRecipe, extFirstRecipe, extMetadataRecipe } from "./fsmap/ext-cases.ts";
import { ufsUsedRecipe } from "./fsmap/ufs-cases.ts";
import { dosfstoolsRecipe, exfatprogsRecipe, ntfs3gRecipe, tskFsRecipe } from "./fsmap/oracle-cases.ts";

export const recipes: Recipe<any>[] = [
  differentialRecipe,
  badInputRecipe,
  multicallRecipe,
  syncRecipe,
  ttyRecipe,
  endlessRecipe,
  rootOnlyRecipe,
  fromTimingRecipe,
  ddrescueRecipe,
  ddrescuelogRecipe,
  screenRecipe,
  optionsRecipe,
  tskRecipe,
  manyDeletedRecipe,
  deletedNamesRecipe,
  partitionTablesRecipe,
  fsNamesRecipe,
  dumpe2fsRecipe,
  extBlklsRecipe,
  extMetadataRecipe,
  extFirstRecipe,
  ufsUsedRecipe,
  mapToolsRecipe,
  tskFsRecipe,
  dosfstoolsRecipe,
  exfatprogsRecipe,
  ntfs3gRecipe,
];
