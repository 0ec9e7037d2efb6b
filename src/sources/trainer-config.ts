/**
 * What a Nashboard trainer run's config.json tells about the run before any metric is read: its loss
 * family (metrics.jsonl and the event file do not name it), and that its one discriminator is K = 1.
 */
import { readFile } from "node:fs/promises";
import type { LossFamily } from "../types.ts";
import type { RunHints } from "./parser.ts";

/** Every family, checked by the compiler against LossFamily (the list itself lives with the tfjs losses). */
const FAMILIES: Record<LossFamily, true> = {
  bce: true,
  bce_minimax: true,
  lsgan: true,
  hinge: true,
  wasserstein: true,
  ragan: true,
  rahinge: true,
};

/** Hints from the config.json at `path`, or undefined when it is missing, unreadable or not the trainer's. */
export async function trainerConfigHints(path: string): Promise<RunHints | undefined> {
  let config: unknown;
  try {
    config = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
  if (config === null || typeof config !== "object") return undefined;
  const { loss, dataset } = config as { loss?: unknown; dataset?: unknown };
  if (typeof loss !== "string" || !Object.hasOwn(FAMILIES, loss)) return undefined;
  const hints: RunHints = { lossFamily: loss as LossFamily, discriminators: 1 };
  if (typeof dataset === "string") hints.notes = [`Nashboard trainer run: ${loss} loss on ${dataset}`];
  return hints;
}
