/**
 * How much of the world's logs Nashboard reads (issue 13): every file of test/fixtures/real-world, read
 * through the same path as `nashboard analyze`, its D and G loss points compared with the counts its
 * manifest gives (a grep written down beside each file, never the reader), and the diagnosis run on what
 * was read. Shares per part of the corpus: `pasted` and `committed` are the logs the reader was built on;
 * `held-out` was collected after it was frozen, to measure it on logs it was not tuned on.
 *
 *   node --import tsx bench/real-world.ts [--markdown bench/RESULTS-real-world.md]
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type CorpusFile,
  corpusFiles,
  expectsNothing,
  type FileOutcome,
  readCorpusFile,
} from "./real-world/corpus.ts";

const { values: args } = parseArgs({ options: { markdown: { type: "string" } } });

interface Tally {
  files: number;
  read: number;
  judged: number;
  silent: number;
  shapes: Set<string>;
}

const tallies = new Map<string, Tally>();
const rows: string[] = [];
for (const f of corpusFiles()) {
  const o = await readCorpusFile(f);
  for (const key of [f.part, "all"]) tally(key, f, o);
  rows.push(row(f, o));
}

function tally(key: string, f: CorpusFile, o: FileOutcome): void {
  const t = tallies.get(key) ?? { files: 0, read: 0, judged: 0, silent: 0, shapes: new Set<string>() };
  tallies.set(key, t);
  const none = expectsNothing(f);
  t.files++;
  t.shapes.add(f.shape);
  if (o.countsMatch) t.read++;
  // Judged: every game read gets a verdict from enough data; a file without losses is judged by its error.
  if (none ? o.read.length === 0 : o.countsMatch && o.verdicts.every((v) => v.enoughData)) t.judged++;
  if (!none && o.read.length === 0) t.silent++;
}

function row(f: CorpusFile, o: FileOutcome): string {
  const verdict = expectsNothing(f)
    ? "error: no D or G loss (as expected)"
    : o.verdicts.map((v) => v.health + (v.enoughData ? "" : " (too little)")).join(", ");
  const cells = [
    `${f.part}/${f.file}`,
    f.shape,
    o.expected.join(" ") || "none",
    o.read.join(" ") || "none",
    o.countsMatch ? "yes" : "**no**",
    verdict,
  ];
  return `| ${cells.join(" | ")} |`;
}

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(0)}%`;
// The parts in corpus order, then the whole.
const ordered = [...tallies].sort(([a], [b]) => Number(a === "all") - Number(b === "all"));
const summary = ordered.map(
  ([part, t]) =>
    `- **${part}**: ${t.files} files, ${t.shapes.size} shapes; read (D/G counts as the manifest's) ${t.read} (${pct(t.read, t.files)}); ` +
    `judged with enough data ${t.judged} (${pct(t.judged, t.files)}); files with losses read as nothing: ${t.silent}`,
);
const lines = [
  "# The world's GAN logs: what Nashboard reads (issue 13)",
  "",
  `Generated ${new Date().toISOString()} by \`node --import tsx bench/real-world.ts --markdown bench/RESULTS-real-world.md\` on test/fixtures/real-world (sources in each part's SOURCES.md). Read: every game's D and G point counts equal the manifest's (for a file without losses: nothing read, an error). Judged with enough data: every game's verdict rests on at least the monitor's minimum of judged steps; the rest get a verdict saying the data are too few.`,
  "",
  // The protocol and the held-out figures are a record written by hand when each was measured: kept
  // in their own file so that rerunning this script never loses them.
  readFileSync("bench/real-world/protocol.md", "utf8").trimEnd(),
  "",
  "## Now",
  "",
  ...summary,
  "",
  "| file | shape | D/G points (manifest) | D/G points read | read | verdict |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
];
if (args.markdown) {
  writeFileSync(args.markdown, lines.join("\n"));
  // The repo's formatter pads markdown tables; written as it keeps them, the file passes `biome check`.
  spawnSync("npx", ["biome", "format", "--write", args.markdown], { stdio: "ignore" });
}
process.stdout.write(`${summary.join("\n")}\n`);
