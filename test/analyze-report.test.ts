import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-report-"));
after(() => rmSync(root, { recursive: true, force: true }));
const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const svc = fixture("real-logs/vits-family/wsywsy979_SVC__32k_train.log");

test("analyze --json follows the documented schema: equilibrium, timeline, verdict, alerts per run", async () => {
  const r = await runCli(["analyze", svc, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.schema, "nashboard.analyze.report/1");
  assert.equal(j.runs.length, 1);
  const run = j.runs[0];
  assert.equal(run.id, "wsywsy979_SVC__32k_train.log");
  assert.equal(run.format, "rvc-log");
  assert.equal(run.lossFamily, "lsgan");
  assert.equal(run.discriminators, 6); // so-vits-svc rows: K = 6
  assert.deepEqual(run.equilibrium, { loss_disc: 3, loss_gen: 1.5 });
  assert.ok(run.timeline.length >= 1);
  for (const e of run.timeline) {
    assert.ok(e.fromStep <= e.toStep);
    assert.ok(
      [
        "warmup",
        "balanced",
        "d_dominant",
        "g_dominant",
        "collapse_suspected",
        "diverged",
        "oscillating",
        "stalled",
      ].includes(e.state),
    );
    assert.ok(e.confidence >= 0 && e.confidence <= 1);
    assert.ok(Array.isArray(e.evidence));
  }
  assert.ok(["healthy", "warning", "unhealthy"].includes(run.verdict.health));
  assert.equal(typeof run.verdict.summary, "string");
  assert.ok(
    Array.isArray(run.verdict.advice) && run.verdict.advice.every((a: unknown) => typeof a === "string"),
  );
  assert.ok(Array.isArray(run.alerts));
  // The run's known shape (SOURCES.md: disc 2.23 -> 1.94, gen 2.57 -> 3.06): D gains over the run.
  assert.equal(run.report.drift.loss_disc.direction, "falling");
  assert.equal(run.report.drift.loss_gen.direction, "rising");
});

test("JSON verdict.primary is always a state: the problem, or balanced / warmup when there is none", async () => {
  const primary = async (path: string) => {
    const r = await runCli(["analyze", fixture(path), "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout).runs[0].verdict;
    return [v.health, v.primary];
  };
  assert.deepEqual(await primary("real-world/pasted/art-dcgan-issue4-torch-err-g-err-d.log"), [
    "healthy",
    "balanced",
  ]);
  assert.deepEqual(await primary("real-logs/RVC-WebUI-issue1464.log"), ["warning", "warmup"]);
  assert.deepEqual(await primary("real-logs/fumiama-RVC-WebUI-issue135.log"), ["unhealthy", "diverged"]);
});

test("--loss and --discriminators override what was detected", async () => {
  const r = await runCli(["analyze", svc, "--json", "--loss", "lsgan", "--discriminators", "9"]);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout).runs[0];
  assert.equal(run.discriminators, 9);
  assert.deepEqual(run.equilibrium, { loss_disc: 4.5, loss_gen: 2.25 });
  const bad = await runCli(["analyze", svc, "--discriminators", "0"]);
  assert.equal(bad.code, 2);
});

test("--html writes one self-contained page: curves, equilibrium lines, state band, verdict", async () => {
  const html = join(root, "report.html");
  const r = await runCli(["analyze", svc, "--html", html]);
  assert.equal(r.code, 0, r.stderr);
  // The terminal says where the page went, in one line, instead of printing the report again.
  assert.equal(r.stdout, `wrote ${html}: the report of 1 run(s), one self-contained page\n`);
  const page = readFileSync(html, "utf8");
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /<svg [^>]*aria-label="loss_disc, loss_gen"/);
  assert.match(page, /loss_disc equilibrium 3</, "the equilibrium line for K = 6, labelled");
  assert.match(
    page,
    /<title>steps \d+–\d+: balanced \(confidence [\d.]+; D&#39;s lead .*loss_disc against its equilibrium/,
  );
  assert.doesNotMatch(page, /loss_disc\.rel|d_gap\.abs|trend_z/, "the evidence in words, not identifiers");
  assert.doesNotMatch(page, /<script|<link|src="http|href="http/, "nothing external, no script");
});

test("--html shows a one-line paste as its values, not as an empty chart", async () => {
  const html = join(root, "paste.html");
  const r = await runCli(["analyze", fixture("real-logs/fumiama-RVC-WebUI-issue135.log"), "--html", html]);
  assert.equal(r.code, 0, r.stderr);
  const page = readFileSync(html, "utf8");
  assert.doesNotMatch(page, /aria-label="loss_disc, loss_gen"/, "one point per loss: no chart");
  assert.match(page, /<td>loss_disc<\/td><td>3\.32 at step 0; not a finite number at step 1<\/td>/);
  assert.match(page, /loss_disc equilibrium 4\.5, loss_gen equilibrium 2\.25/);
  assert.match(page, /turn off fp16/);
  // loss_mel has two finite points: a chart, on an axis of whole steps
  const mel = /<svg [^>]*aria-label="loss_mel, loss_fm, loss_kl"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? "";
  const xTicks = [...mel.matchAll(/text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
  assert.deepEqual(xTicks, ["0", "1"]);
});

test("the report speaks Chinese with --lang zh", async () => {
  const r = await runCli(["--lang", "zh", "analyze", fixture("real-logs/fumiama-RVC-WebUI-issue135.log")]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /结论：/);
  assert.match(r.stdout, /fp16/);
});
