/**
 * The demo teaches (issue 15): its default run uses the remedy set, which ends healthy on most seeds
 * (bench/RESULTS-demo.md), and says so; its first progress line shows no made-up "0 steps/s"; and its
 * closing suggestion shows something the run did not: a broken balance after a healthy run, the
 * controller after a run the discriminator won.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEMO_DEFAULTS, demoNext } from "../src/cli/demo-command.ts";
import { createProgress } from "../src/cli/progress.ts";
import { messages } from "../src/i18n/index.ts";
import type { MonitorReport } from "../src/monitor/types.ts";
import { DEFAULT_CONFIG } from "../src/train/config.ts";
import { runCli } from "./helpers/cli.ts";
import { TINY_FLAGS } from "./helpers/tiny-config.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-demo-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** A terminal that is not a TTY (a log, CI, `npm start` piped): what the progress lines say. */
function plainStream() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(...s.split("\n").filter(Boolean)) };
  return { stream: stream as unknown as NodeJS.WriteStream, lines };
}

test("the first progress line has no rate to show; the next ones have one", async () => {
  for (const lang of ["en", "zh"] as const) {
    const { stream, lines } = plainStream();
    const p = createProgress(100, messages(lang), stream);
    p.update(0, 1.2, 0.8);
    await new Promise((r) => setTimeout(r, 20));
    p.update(10, 1.1, 0.9);
    assert.equal(lines.length, 2);
    assert.doesNotMatch(lines[0], /steps\/s|步\/秒/, lines[0]);
    assert.match(lines[1], lang === "en" ? /\d+ steps\/s$/ : /\d+ 步\/秒$/);
    assert.doesNotMatch(lines[1], / 0 (steps\/s|步\/秒)$/);
  }
});

const verdict = (health: string, primary: string) =>
  ({ verdict: { health, primary } }) as unknown as MonitorReport;

test("the closing suggestion shows what the run did not", () => {
  const m = messages("en");
  const healthy = demoNext(verdict("healthy", "balanced"), "runs/x", m);
  assert.match(healthy, /nashboard watch runs\/x/);
  assert.match(healthy, /nashboard train --lr-d 1e-2 --d-steps 3/, "after a balanced run: break it");
  for (const [health, state] of [
    ["unhealthy", "d_dominant"],
    ["warning", "d_dominant"],
    ["unhealthy", "collapse_suspected"],
    ["warning", "oscillating"],
  ]) {
    const next = demoNext(verdict(health, state), "runs/x", m);
    assert.doesNotMatch(next, /--lr-d/, `${health} ${state}: not "break the balance" again`);
    assert.match(next, /nashboard demo --compare/);
  }
  assert.match(demoNext(verdict("unhealthy", "d_dominant"), "runs/x", m), /discriminator won/);
  assert.match(demoNext(verdict("unhealthy", "d_dominant"), "runs/x", messages("zh")), /判别器赢了/);
});

test("demo trains with the remedy set by default, says so, and ends with the suggestion for its own outcome", async () => {
  assert.deepEqual([DEFAULT_CONFIG.r1, DEFAULT_CONFIG.lrDecay], [0, 0], "train's own defaults are unchanged");
  const dir = join(root, "demo");
  const quick = ["--steps", "80", "--log-interval", "5", "--eval-interval", "0"];
  const r = await runCli(["demo", ...TINY_FLAGS, ...quick, "--out", dir]);
  assert.equal(r.code, 0, r.stderr);
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  assert.deepEqual(
    [config.r1, config.lrD, config.lrG, config.lrDecay],
    [DEMO_DEFAULTS.r1, DEMO_DEFAULTS.lrD, DEMO_DEFAULTS.lrG, DEMO_DEFAULTS.lrDecay],
  );
  assert.equal(config.latent, 8, "a flag given (TINY_FLAGS' --latent 8) wins over the demo's default");
  assert.match(
    r.stdout,
    /an R1 penalty .*\(--r1 0\.1\), learning rates 2e-3 for D and 2e-3 for G, both falling over the last 50% of the run/,
  );
  assert.doesNotMatch(r.stdout, /--latent/, "the latent is the user's, not the demo's: not claimed");
  const first = r.stderr.split("\n").find((l) => /^step \d+\/80/.test(l)) ?? "";
  assert.match(first, /^step 5\/80 {2}loss_disc [\d.]+ {2}loss_gen [\d.]+$/, "no rate on the first line");
  const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as MonitorReport;
  const expected = demoNext(report, dir, messages("en"));
  assert.ok(r.stdout.trimEnd().endsWith(expected), `${r.stdout}\n---\n${expected}`);

  const plain = join(root, "no-decay");
  const trainDefaults = ["--r1", "0", "--lr-d", "1e-3", "--lr-g", "1e-3", "--lr-decay", "0"];
  const r0 = await runCli(["demo", ...TINY_FLAGS, ...quick, ...trainDefaults, "--out", plain]);
  assert.equal(r0.code, 0, r0.stderr);
  assert.equal(JSON.parse(readFileSync(join(plain, "config.json"), "utf8")).lrDecay, 0);
  assert.doesNotMatch(r0.stdout, /It trains with the settings/, "no settings claimed that are not in effect");
});
