/**
 * How much of the world's logs Nashboard reads (issue 13): every file of test/fixtures/real-world, read
 * through the same path as `nashboard analyze`, its D and G loss points compared with the counts its
 * manifest gives (a grep written down beside each file, never the reader), and the diagnosis run on what
 * was read. Prints a markdown table and the shares for the README.
 *
 *   node --import tsx bench/real-world.ts [--markdown bench/RESULTS-real-world.md]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { corpusFiles, expectsNothing, readCorpusFile } from "./real-world/corpus.ts";

const { values: args } = parseArgs({ options: { markdown: { type: "string" } } });
const files = corpusFiles();
const rows: string[] = [];
let read = 0;
let judged = 0;
let silent = 0;
const shapes = new Set<string>();
for (const f of files) {
  const o = await readCorpusFile(f);
  shapes.add(f.shape);
  const none = expectsNothing(f);
  if (o.countsMatch) read++;
  // Judged: every game read gets a verdict from enough data; a file without losses is judged by its error.
  const isJudged = none ? o.read.length === 0 : o.countsMatch && o.verdicts.every((v) => v.enoughData);
  if (isJudged) judged++;
  if (!none && o.read.length === 0) silent++;
  const verdict = none
    ? "error: no D or G loss (as expected)"
    : o.verdicts.map((v) => v.health + (v.enoughData ? "" : " (too little)")).join(", ");
  rows.push(
    `| ${f.part}/${f.file} | ${f.shape} | ${o.expected.join(" ") || "none"} | ${o.read.join(" ") || "none"} | ${o.countsMatch ? "yes" : "**no**"} | ${verdict} |`,
  );
}
const pct = (n: number) => `${((100 * n) / files.length).toFixed(0)}%`;
const lines = [
  `# The world's GAN logs: what Nashboard reads (issue 13)`,
  "",
  `Generated ${new Date().toISOString()} by \`node --import tsx bench/real-world.ts\` on the corpus in test/fixtures/real-world (sources in its SOURCES.md files).`,
  "",
  `- files: ${files.length}, line shapes: ${shapes.size}`,
  `- read (every game's D and G point counts equal the manifest's): ${read} of ${files.length} (${pct(read)})`,
  `- read and judged with enough data (every game's verdict rests on at least the monitor's minimum of judged steps; a file without losses: its error): ${judged} of ${files.length} (${pct(judged)}); the rest get a verdict that says the data are too few to judge the balance`,
  `- files with losses from which nothing was read: ${silent}`,
  "",
  "| file | shape | D/G points (manifest) | D/G points read | read | verdict |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
];
if (args.markdown) writeFileSync(args.markdown, lines.join("\n"));
process.stdout.write(`${lines.slice(0, 9).join("\n")}\n`);
