import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { runCli } from "./helpers/cli.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-compare-"));
after(() => rmSync(root, { recursive: true, force: true }));

// Tiny networks and runs: the test is about the two processes and the words, not the GAN.
const tiny = ["--steps", "60", "--g-hidden", "8", "--d-hidden", "8", "--latent", "4", "--batch", "16"];
const quick = ["--eval-samples", "100", "--log-interval", "5"];

test("demo --compare trains the plain and the controlled GAN on the broken setting and says how they differ", async () => {
  const dir = join(root, "en");
  const r = await runCli(["demo", "--compare", ...tiny, ...quick, "--seed", "3", "--out", dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /learning rate 0\.01 and 3 discriminator updates/);
  assert.match(r.stdout, /Without the controller: the generator covers \d+ of the 8 modes/);
  assert.match(r.stdout, /With the controller: the generator covers \d+ of the 8 modes/);
  assert.match(r.stdout, /The controller made \d+ adjustment\(s\), the first at step \d+/);
  const plain = JSON.parse(readFileSync(join(dir, "plain", "config.json"), "utf8"));
  const controlled = JSON.parse(readFileSync(join(dir, "controlled", "config.json"), "utf8"));
  // Both runs share every flag given (seed, sizes) and the broken setting; only the controller differs.
  assert.deepEqual({ ...plain, controller: true }, controlled);
  assert.deepEqual([plain.lrD, plain.dSteps, plain.seed, plain.dHidden], [0.01, 3, 3, [8]]);
  assert.ok(existsSync(join(dir, "controlled", "control.jsonl")));
  const events = readFileSync(join(dir, "controlled", "control.jsonl"), "utf8")
    .trim()
    .split("\n");
  assert.ok(events.length >= 1 && JSON.parse(events[0]).reason === "d_ahead");
});

test("demo --compare speaks Chinese with --lang zh, and the user's own rates replace the broken default", async () => {
  const dir = join(root, "zh");
  const r = await runCli([
    "--lang",
    "zh",
    "demo",
    "--compare",
    ...tiny,
    ...quick,
    "--lr-d",
    "0.002",
    "--out",
    dir,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /判别器学习率 0\.002/);
  assert.match(r.stdout, /没有控制器：生成器覆盖了 8 个模式中的 \d+ 个/);
  assert.match(r.stdout, /有控制器：/);
  assert.equal(JSON.parse(readFileSync(join(dir, "plain", "config.json"), "utf8")).lrD, 0.002);
});
