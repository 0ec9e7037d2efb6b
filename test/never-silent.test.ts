import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "./helpers/cli.ts";

// Reading nothing is an error with a reason (issue 13, item 3), never a quiet "not enough data".
const root = mkdtempSync(join(tmpdir(), "nashboard-silent-"));
after(() => rmSync(root, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
};
const LINES =
  "epoch 1 lossA: 0.5 lossB: 0.3\nepoch 2 lossA: 0.4 lossB: 0.35\nepoch 3 lossA: 0.45 lossB: 0.33\n";

test("a log whose keys no reader knows is exit 4 with one line: what was tried, the loss-like line, the flags", async () => {
  const r = await runCli(["analyze", write("own-keys.log", LINES)]);
  assert.equal(r.code, 4, r.stderr);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /no D or G loss read from .*own-keys\.log/);
  assert.match(r.stderr, /tried jsonl 0, json 0, dcgan-console 0, rvc-log 0, csv 0, console 0/);
  assert.match(r.stderr, /line 1: "epoch 1 lossA: 0\.5 lossB: 0\.3"/);
  assert.match(r.stderr, /--d-tag NAME --g-tag NAME/);
});

test("--d-tag and --g-tag name the keys, and the same log is read and judged", async () => {
  const path = write("named.log", LINES);
  const r = await runCli(["analyze", path, "--d-tag", "lossA", "--g-tag", "lossB", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout).runs[0];
  assert.ok(["healthy", "warning", "unhealthy"].includes(run.verdict.health), run.verdict.health);
  assert.equal(run.timeline.at(-1).toStep, 3);
  const s = await runCli(["analyze", path, "--d-tag", "lossA", "--g-tag", "lossB", "--series", "--json"]);
  const series = JSON.parse(s.stdout).runs[0].series.map(
    (x: { tag: string; sourceTag: string; points: number }) => [x.tag, x.sourceTag, x.points],
  );
  assert.deepEqual(series.slice(0, 2), [
    ["loss_disc", "lossA", 3],
    ["loss_gen", "lossB", 3],
  ]);
});

test("--d-tag renames a CSV column too, and what the alias table had taken for D goes back to its name", async () => {
  const path = write("metrics.csv", "step,d_loss,critic\n0,0.7,-1.5\n1,0.6,-1.2\n");
  const r = await runCli(["analyze", path, "--d-tag", "critic", "--series", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const tags = JSON.parse(r.stdout).runs[0].series.map(
    (x: { tag: string; sourceTag: string }) => `${x.tag}<-${x.sourceTag}`,
  );
  assert.deepEqual(tags.sort(), ["d_loss<-d_loss", "loss_disc<-critic"]);
});

test("an empty file says it is empty; prose says no format read a loss (both exit 4)", async () => {
  const empty = await runCli(["analyze", write("empty.log", "")]);
  assert.equal(empty.code, 4);
  assert.match(empty.stderr, /empty\.log is empty/);
  const prose = await runCli(["analyze", write("notes.md", "# Notes\nNothing here is a log.\n")]);
  assert.equal(prose.code, 4);
  assert.match(prose.stderr, /no format read a D or G loss from its first lines/);
  const zh = await runCli(["--lang", "zh", "analyze", join(root, "own-keys.log")]);
  assert.match(zh.stderr, /^错误: 没有从 .* 读到判别器或生成器的损失/);
});

test("in a directory, a run without losses is left out with one line on stderr; the others are judged", async () => {
  const dir = join(root, "mixed");
  mkdirSync(dir);
  writeFileSync(join(dir, "good.log"), "[Epoch 0/2] [Batch 1/5] [D loss: 0.69] [G loss: 0.70]\n".repeat(3));
  writeFileSync(join(dir, "other.csv"), "step,accuracy_top1\n0,0.5\n1,0.6\n");
  const r = await runCli(["analyze", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    JSON.parse(r.stdout).runs.map((x: { id: string }) => x.id),
    ["good.log"],
  );
  assert.match(r.stderr, /skipped other\.csv \(csv\): no D or G loss read from it/);
});

test("--version prints the package's version", async () => {
  const r = await runCli(["--version"]);
  assert.equal(r.code, 0);
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  assert.equal(r.stdout.trim(), pkg.version);
});
