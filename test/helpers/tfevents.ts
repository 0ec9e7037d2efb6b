/** Reading event files in tests: a parser fed chunk by chunk, and the real files under fixtures/tfevents. */
import { readdirSync, readFileSync } from "node:fs";
import type { RunHints } from "../../src/sources/parser.ts";
import { TfEventsParser } from "../../src/sources/tfevents.ts";
import type { ReadProblem, ScalarPoint } from "../../src/types.ts";
import { parseChunks } from "./parse-all.ts";

const fixtures = new URL("../fixtures/tfevents/", import.meta.url);
/** The real event files (test/fixtures/tfevents/SOURCES.md says where each comes from). */
export const eventFiles = readdirSync(fixtures).filter((f) => f.includes("events.out.tfevents"));
export const loadEventFile = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));
/** An RVC/VITS-style file with per-sub-discriminator tags. */
export const linslime = eventFiles.find((f) => f.startsWith("linslime_MYTTS__logs_ljs_base__"))!;

export interface Parsed {
  points: ScalarPoint[];
  problems: ReadProblem[];
  hints: RunHints;
}

/** Everything a parser gives for `chunks` pushed in order, then ended as a complete file. */
export function parse(chunks: Uint8Array[], path = "run/events.out.tfevents.1"): Parsed {
  const { meta, ...rest } = parseChunks(new TfEventsParser(path), chunks);
  return { ...rest, hints: meta };
}

export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
