// Placeholder: replaced by the partitions branch (MBR, GPT, BSD disklabel). Until then no
// disk has a partition table, and the whole disk is one volume.
import type { ListPartitions } from "./types.ts";

export const listPartitions: ListPartitions = () => [];
