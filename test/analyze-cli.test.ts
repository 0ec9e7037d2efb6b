import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createReadProgress } from "../src/cli/read-progress.ts";
import { messages } from "../src/i18n/index.ts";
import { runCli } from "./helpers/cli.ts";

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const root = mkdtempSync(join(tmpdir(), "nashboard-analyze-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** An RVC experiment whose train.log has a damaged loss line and whose event file was cut mid-record. */
function damagedExperiment(): string {
  const dir = join(root, "logs/exp");
  mkdirSync(join(dir, "eval"), { recursive: true });
  const log = readFileSync(fixture("real-logs/Gabrysiewicz-S8P_RVC-README-full20epochs.log"), "utf8").split(
    "\n",
  );
  log.splice(
    5,
    0,
    "INFO:Kamyk-12M:loss_disc=4.1x07, loss_gen=oops, loss_fm=10.796,loss_mel=26.703, loss_kl=9.000",
  );
  writeFileSync(join(dir, "train.log"), log.join("\n"));
  const tf = readFileSync(
    fixture(
      "tfevents/linslime_MYTTS__logs_ljs_base__events.out.tfevents.1731057626.linslime-Lenovo-Legion-R7000-2020.30734.0",
    ),
  );
  writeFileSync(join(dir, "events.out.tfevents.1731057626.host.1.0"), tf.subarray(0, tf.length - 10));
  copyFileSync(
    fixture(
      "tfevents/linslime_MYTTS__logs_ljs_base_eval__events.out.tfevents.1731057626.linslime-Lenovo-Legion-R7000-2020.30734.1",
    ),
    join(dir, "eval/events.out.tfevents.1731057626.host.1.1"),
  );
  return join(root, "logs");
}

test("analyze --series lists runs, series and every problem with where it was met", async () => {
  const logs = damagedExperiment();
  const [series, plain, json] = await Promise.all([
    runCli(["analyze", logs, "--series"]),
    runCli(["analyze", logs]),
    runCli(["analyze", logs, "--series", "--json"]),
  ]);
  assert.equal(series.code, 0, series.stderr);
  const text = series.stdout;
  assert.match(text, /^1 run\(s\), \d+ series, \d+ points$/m);
  assert.match(text, /^Run exp \(rvc-log\+tfevents, 3 file\(s\)\)$/m);
  // The RVC log's 14 loss lines, steps 0..2600 (one every 200 steps); the damaged line has no loss_disc.
  assert.match(text, /^ {2}loss_disc\s+14\s+0\s+2600\s+0$/m);
  assert.match(text, /^ {2}d_real_k\/0\s+loss\/d_r\/0\s+1\s+0\s+0\s+0$/m);
  assert.match(text, /train\.log, line 6: damaged loss line: loss_gen has no number \('oops'\)/);
  assert.match(text, /events\.out\.tfevents\.1731057626\.host\.1\.0, byte \d+: file ends inside a record/);
  // Without --series, analyze diagnoses: the same run, judged by the monitor.
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^== exp \(rvc-log\+tfevents\) ==$/m);
  assert.match(plain.stdout, /^Verdict: (HEALTHY|WARNING|UNHEALTHY)/m);

  assert.equal(json.code, 0, json.stderr);
  const j = JSON.parse(json.stdout);
  assert.equal(j.schema, "nashboard.analyze.series/1");
  assert.equal(j.path, logs);
  assert.equal(j.runs.length, 1);
  const run = j.runs[0];
  assert.deepEqual(
    run.files.map((f: { role: string }) => f.role),
    ["train-log", "events", "eval-events"],
  );
  const disc = run.series.find((s: { tag: string }) => s.tag === "loss_disc");
  assert.deepEqual(
    {
      points: disc.points,
      firstStep: disc.firstStep,
      lastStep: disc.lastStep,
      nan: disc.nan,
      segments: disc.segments,
    },
    { points: 14, firstStep: 0, lastStep: 2600, nan: 0, segments: 1 },
  );
  const nanGen = run.series.find((s: { tag: string }) => s.tag === "grad_norm_d");
  assert.equal(nanGen.nan, 1, "the diverged VITS run's NaN is counted");
  const lineProblem = run.problems.find((p: { line?: number }) => p.line === 6);
  assert.ok(lineProblem && lineProblem.fatal === false);
  const byteProblem = run.problems.find((p: { offset?: number }) => p.offset !== undefined);
  assert.ok(byteProblem && /events\.out/.test(byteProblem.path));
  assert.equal(run.hints.lossFamily, "lsgan");
});

test("analyze speaks Chinese with --lang zh", async () => {
  const r = await runCli([
    "--lang",
    "zh",
    "analyze",
    fixture("real-logs/RVC-WebUI-issue1464.log"),
    "--series",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1 个运行，\d+ 条序列，\d+ 个点$/m);
  assert.match(r.stdout, /标签\s+原始标签\s+点数\s+首步\s+末步\s+NaN/);
});

test("a missing path, an unknown --format or an empty directory is one line and exit code 2", async () => {
  const empty = join(root, "empty-dir");
  mkdirSync(empty);
  const cases: [string[], RegExp][] = [
    [["analyze", join(root, "missing")], /^error: no such file or directory: .*missing$/],
    [
      ["analyze", root, "--format", "xml"],
      /Allowed choices are tfevents, rvc-log, dcgan-console, csv, jsonl/,
    ],
    [["analyze", empty], /no training logs under .*empty-dir/],
    [["--lang", "zh", "analyze", join(root, "missing")], /^错误: 文件或目录不存在/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0].join(" ")}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.match(r.stderr.trim(), cases[i][1]);
    assert.equal(r.stdout, "");
  });
});

test("the progress line shows on a terminal only, and only after a second of reading", () => {
  const m = messages("en");
  let now = 0;
  const written: string[] = [];
  const tty = { isTTY: true, write: (s: string) => written.push(s) > 0 };
  const progress = createReadProgress(m, tty, () => now);
  now = 900;
  progress.update(50e6, 200e6);
  assert.deepEqual(written, [], "nothing within the first second");
  now = 1000;
  progress.update(100e6, 200e6);
  assert.equal(written.length, 1);
  assert.match(written[0], /\[#{12}-{12}\] reading logs: 100\.0 of 200\.0 MB, 100 MB\/s/);
  now = 1050;
  progress.update(110e6, 200e6);
  assert.equal(written.length, 1, "at most ten redraws a second");
  progress.done();
  assert.equal(written.at(-1), "\r\x1b[2K", "done() clears the line");

  const piped: string[] = [];
  const pipe = { isTTY: false, write: (s: string) => piped.push(s) > 0 };
  let later = 0;
  const quiet = createReadProgress(m, pipe, () => later);
  later = 5000;
  quiet.update(1, 2);
  quiet.done();
  assert.deepEqual(piped, [], "not a terminal: nothing");
});
