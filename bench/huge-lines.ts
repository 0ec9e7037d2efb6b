/**
 * Bounded memory on lines of any length (issue 13, item 6): a log whose writer died mid-line leaves a
 * tail of NUL bytes with no line break (a power cut), often hundreds of MB. Reading it through the path
 * `nashboard analyze` takes must keep the loss lines before and after, report the long lines as
 * problems, and hold memory to a bound whatever the tail's size: this script writes such a file, reads
 * it and prints the wall time and the process's peak resident memory (maxRSS).
 *
 *   node --import tsx bench/huge-lines.ts [--tail-mb 600]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readRuns } from "../src/sources/run-source.ts";

const { values: args } = parseArgs({ options: { "tail-mb": { type: "string", default: "600" } } });
const tailMb = Number(args["tail-mb"]);
const dir = mkdtempSync(join(tmpdir(), "nashboard-huge-"));
const path = join(dir, "train.log");
try {
  const fd = openSync(path, "w");
  const loss = (e: number) => `[Epoch ${e}/60] [Batch 1/1] [D loss: 0.69] [G loss: 0.70]\n`;
  for (let e = 0; e < 50; e++) writeSync(fd, loss(e));
  writeSync(fd, `${"x".repeat(3_000_000)}\n`); // a 3 MB line in the middle
  writeSync(fd, loss(50));
  const mib = new Uint8Array(1 << 20);
  for (let i = 0; i < tailMb; i++) writeSync(fd, mib); // the NUL tail, no line break
  closeSync(fd);
  const started = performance.now();
  const { runs } = await readRuns(path);
  const ms = performance.now() - started;
  const run = runs[0];
  const d = run.series.find((s) => s.tag === "loss_disc");
  const report = {
    fileMb: Math.round((tailMb * (1 << 20) + 3_000_000) / 1e6),
    lossDiscPoints: d?.steps.length ?? 0,
    problems: run.problems.map((p) => `line ${p.line}: ${p.message}`),
    ms: Math.round(ms),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
