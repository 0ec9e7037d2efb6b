import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { collect, runCli } from "./helpers/cli.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-cli-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** A run of 20 steps with tiny networks: the CLI's whole path in well under a second. */
const TINY_RUN = [
  "--steps",
  "20",
  "--g-hidden",
  "8",
  "--d-hidden",
  "8",
  "--batch",
  "16",
  "--eval-samples",
  "100",
];

/** A user's mistake is one line on stderr, exit code 2, and never a stack trace. */
async function assertUsageError(args: string[], mentions: RegExp, env = {}) {
  const r = await runCli(args, env);
  assert.equal(r.code, 2, `exit code for ${args.join(" ")}: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.ok(lines.length <= 2, `one line (plus a suggestion at most): ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  assert.match(r.stderr, mentions);
  return r;
}

test("bad flags and values get a one-line error naming what is allowed, exit code 2", async () => {
  await assertUsageError(["train", "--steps", "abc"], /--steps.*whole number/);
  await assertUsageError(["train", "--loss", "fancy"], /bce, bce_minimax, lsgan, hinge, wasserstein/);
  await assertUsageError(["train", "--dataset", "ring9", "--steps", "1"], /ring8.*grid25/);
  await assertUsageError(["train", "--lr-d", "-1"], /positive number/);
  await assertUsageError(["train", "--g-hidden", "128,x"], /layer widths/);
  await assertUsageError(["train", "--no-such-flag"], /unknown option/);
  await assertUsageError(["train", "--resume", join(root, "nothing-here")], /no checkpoint/);
});

test("errors follow --lang: Chinese when asked", async () => {
  await assertUsageError(["--lang", "zh", "train", "--dataset", "ring9", "--steps", "1"], /^错误/);
  await assertUsageError(["train", "--dataset", "ring9", "--steps", "1"], /^错误/, { LANG: "zh_CN.UTF-8" });
  await assertUsageError(
    ["--lang", "zh", "train", "--steps", "abc"],
    /^错误: 选项 '--steps <n>' 的参数 'abc' 无效。应为 >= 1 的整数。/,
  );
  await assertUsageError(["--lang", "zh", "train", "--nope"], /未知选项 '--nope'/);
});

test("train --json prints one JSON object with the config, steps, seconds and the evaluator's figures", async () => {
  const out = join(root, "json-run");
  const r = await runCli([
    "train",
    "--steps",
    "30",
    "--g-hidden",
    "16",
    "--d-hidden",
    "16",
    "--batch",
    "32",
    "--eval-samples",
    "500",
    "--json",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  const j = JSON.parse(lines[0]);
  assert.equal(j.steps, 30);
  assert.equal(j.config.dataset, "ring8");
  assert.deepEqual(j.config.gHidden, [16]);
  assert.ok(j.seconds > 0);
  assert.ok(Number.isInteger(j.modes) && j.modes >= 0 && j.modes <= 8);
  assert.equal(j.modes_total, 8);
  assert.ok(j.hq >= 0 && j.hq <= 1);
  assert.ok(j.jsd >= 0 && j.jsd <= Math.LN2 + 1e-9);
  assert.ok("reverse_kl" in j);
});

test("progress goes to stderr as plain lines when not on a terminal; a completed run resumes as a no-op", async () => {
  const out = join(root, "plain-run");
  const args = ["train", ...TINY_RUN, "--out", out];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    !r.stderr.includes("\r") && !r.stderr.includes("\u001b["),
    "no terminal control characters in plain output",
  );
  assert.match(r.stderr, /step 20\/20 {2}loss_disc \d/);
  assert.match(r.stderr, /Done: 20 steps/);
  const again = await runCli(["train", "--resume", out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /already completed its 20 steps/);
});

test("a user's own CSV of 2D points trains; the evaluator then reports only the JSD", async () => {
  const csv = join(root, "points.csv");
  writeFileSync(
    csv,
    `x,y\n${Array.from({ length: 50 }, (_, i) => `${Math.cos(i)},${Math.sin(i)}`).join("\n")}\n`,
  );
  const r = await runCli(["train", "--dataset", csv, ...TINY_RUN, "--json", "--out", join(root, "csv-run")]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.modes, null);
  assert.ok(j.jsd > 0 && j.jsd <= Math.LN2 + 1e-9);
  const bad = join(root, "bad.csv");
  writeFileSync(bad, "1,2\n3,oops\n");
  // A malformed points file is a data error (exit 4), still one line that names the line.
  const r2 = await runCli(["train", "--dataset", bad, "--steps", "1"]);
  assert.equal(r2.code, 4, r2.stderr);
  assert.match(r2.stderr, /^error: line 2: expected two numbers/);
  assert.equal(r2.stderr.trim().split("\n").length, 1);
});

test("the installed bin works from any directory, as a user runs it", async () => {
  const bin = fileURLToPath(new URL("../bin/nashboard.js", import.meta.url));
  const child = spawn(
    process.execPath,
    [bin, "train", ...TINY_RUN, "--json", "--out", join(root, "bin-run")],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  const r = await collect(child);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).steps, 20);
});

test("train prints the monitor's state changes as it runs and its verdict at the end", async () => {
  const out = join(root, "dominant-run");
  const r = await runCli([
    "train",
    "--steps",
    "300",
    "--lr-d",
    "1e-2",
    "--d-steps",
    "3",
    "--g-hidden",
    "32,32",
    "--d-hidden",
    "32,32",
    "--batch",
    "64",
    "--eval-samples",
    "200",
    "--log-interval",
    "5",
    "--out",
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /step \d+: the monitor now reads discriminator dominant \(confidence [\d.]+\)/);
  assert.match(r.stderr, /^Balance: (healthy|warning|unhealthy)\. /m);
  const events = readFileSync(join(out, "monitor.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.ok(events.some((e) => e.type === "state" && e.to === "d_dominant"));
});

test("train --reject says, in the user's language, that samples come through D", async () => {
  const en = await runCli(["train", ...TINY_RUN, "--reject", "0.05", "--out", join(root, "reject-en")]);
  assert.equal(en.code, 0, en.stderr);
  assert.match(en.stderr, /through D: of G's samples, the 5\.0% D scores least real are discarded/);
  const zh = await runCli([
    "train",
    ...TINY_RUN,
    "--reject",
    "0.05",
    "--lang",
    "zh",
    "--out",
    join(root, "reject-zh"),
  ]);
  assert.equal(zh.code, 0, zh.stderr);
  assert.match(zh.stderr, /丢弃生成器样本中判别器认为最不真实的 5\.0%/);
  const plain = await runCli(["train", ...TINY_RUN, "--out", join(root, "reject-off")]);
  assert.doesNotMatch(plain.stderr, /through D/);
  await assertUsageError(["train", "--reject", "1"], /--reject/);
});
