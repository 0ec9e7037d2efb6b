import assert from "node:assert/strict";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { corpusFiles, expectsNothing } from "../bench/real-world/corpus.ts";
import { diagnose } from "../src/cli/analyze-report.ts";
import type { MonitorReport } from "../src/monitor/types.ts";
import { createFollowProvider, type FollowProvider } from "../src/server/follow-provider.ts";
import { readRuns } from "../src/sources/run-source.ts";

// Same input, same answer (issue 15, item 1): the dashboard's report of a run, once its follower has
// read to the end, is analyze's report of it, to the last line; and it stays so line by line.
const REAL = fileURLToPath(new URL("./fixtures/real-logs/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "nashboard-judgement-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** What a user reads off a report: the verdict, the states with their steps, the figures it rests on. */
function gist(r: MonitorReport) {
  return {
    family: r.lossFamily,
    k: r.discriminators,
    steps: [r.completedSteps, r.firstStep, r.lastStep],
    verdict: [r.verdict.health, r.verdict.primary, r.verdict.summary.key],
    timeline: r.timeline.map((e) => `${e.state} ${e.fromStep}-${e.toStep}`),
    alerts: r.alerts.map((a) => `${a.kind}@${a.step}`),
  };
}

/**
 * analyze's report of what a follower can read: the whole file, but a last line without its line
 * break, which live waits for (its writer may be in the middle of it), is left out.
 */
async function offline(path: string) {
  const read = await readRuns(completeLines(path));
  return new Map(diagnose(read, { lang: "en" }).map(({ run, report }) => [run.id, gist(report)]));
}

/** The provider's report of every run, once each has caught up with what is on disk. */
async function live(provider: FollowProvider, want: Map<string, ReturnType<typeof gist>>) {
  const got = new Map<string, ReturnType<typeof gist>>();
  for (let i = 0; i < 200; i++) {
    got.clear();
    for (const run of provider.runs()) got.set(run.id, gist(provider.report(run.key)!));
    const same = [...want].every(([id, g]) => JSON.stringify(got.get(id)) === JSON.stringify(g));
    if (same) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return got;
}

let copies = 0;
function completeLines(path: string): string {
  if (!path.endsWith(".log") && !path.endsWith(".txt") && !path.endsWith(".out")) return path;
  const bytes = readFileSync(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 10) return path;
  const copy = join(tmp, `${copies++}`, path.split("/").at(-1)!);
  mkdirSync(join(copy, ".."), { recursive: true });
  writeFileSync(copy, bytes.subarray(0, bytes.lastIndexOf(10) + 1));
  return copy;
}

const realLogs = [
  ...readdirSync(REAL).filter((f) => f.endsWith(".log")),
  ...readdirSync(join(REAL, "vits-family"))
    .filter((f) => f.endsWith(".log"))
    .map((f) => `vits-family/${f}`),
  "dcgan/pytorch-dcgan-tutorial-apachecn-zh-1.7.log",
].map((f) => join(REAL, f));
const corpus = corpusFiles()
  .filter((f) => !expectsNothing(f) && !f.readWith)
  .map((f) => f.path);

test(`the dashboard reports what analyze reports, on ${realLogs.length} real-log fixtures and ${corpus.length} real-world logs`, async () => {
  for (const path of [...realLogs, ...corpus]) {
    const want = await offline(path);
    const provider = await createFollowProvider(path, { pollMs: 20, controlPollMs: 60_000 });
    try {
      const got = await live(provider, want);
      for (const [id, g] of want) assert.deepEqual(got.get(id), g, `${path} (${id})`);
    } finally {
      await provider.close();
    }
  }
});

test("line by line, a NaN last: after each append the live report is analyze's report of the file so far", async () => {
  const source = readFileSync(join(REAL, "fumiama-RVC-WebUI-issue135.log"), "utf8");
  const lines = source
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .slice(0, 12);
  lines.push(
    "[Epoch 13/200] [Batch 1/938] [D loss: nan] [G loss: nan]".replace(
      /.*/,
      lines.at(-1)!.replace(/[\d.]+(?=,|$)/g, "nan"),
    ),
  );
  const path = join(tmp, "growing.log");
  writeFileSync(path, "");
  const provider = await createFollowProvider(path, { pollMs: 20, controlPollMs: 60_000 });
  try {
    for (const line of lines) {
      appendFileSync(path, `${line}\n`);
      const want = await offline(path);
      const got = await live(provider, want);
      for (const [id, g] of want) assert.deepEqual(got.get(id), g, `after: ${line}`);
    }
  } finally {
    await provider.close();
  }
});
