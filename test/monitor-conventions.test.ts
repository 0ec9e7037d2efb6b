import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { familyMisfit } from "../src/monitor/rules/family-fit.ts";
import { estimateDOutputs, resolveReference } from "../src/monitor/signals/reference.ts";
import { printedGanMode } from "../src/sources/console/printed-options.ts";
import { runCli } from "./helpers/cli.ts";

/**
 * Conventions real code uses (issue 14, item 5): pytorch-CycleGAN-and-pix2pix logs CycleGAN's D loss
 * as 0.5·(MSE(D(x), 1) + MSE(D(G(z)), 0)), so a least-squares D that cannot tell the two apart
 * (D ≡ 1/2) logs 0.5·(0.25 + 0.25) = 0.25, and G's MSE(D(G(z)), 1) = 0.25. The names of its other
 * terms (cycle_A, idt_A) say which code wrote the log; --loss names the family as Nashboard writes it.
 */

/** A console log pasted in junyanz/pytorch-CycleGAN-and-pix2pix#510 (sources in its folder's SOURCES.md). */
const ISSUE_LOG = "test/fixtures/real-world/pasted/pytorch-cyclegan-issue510-console-two-games.log";
/** A user's CycleGAN training log from MASILab's fork, trained with gan_mode lsgan (its train_opt.txt). */
const CYCLEGAN_LOG =
  "test/fixtures/real-world/committed/MASILab_pytorch-CycleGAN-and-pix2pix__checkpoints-af2he_DAPI_WITH_AF-loss_log.txt";

test("CycleGAN's terms: least squares with D's loss halved, equilibrium 0.25 and 0.25", () => {
  const ref = resolveReference({ rvcLike: false, negativeGen: false, cycleganTerms: true });
  assert.equal(ref.family, "lsgan");
  assert.equal(ref.familyEvidence, "cyclegan_terms");
  assert.equal(ref.discHalved, true);
  assert.deepEqual(ref.equilibrium, { loss_disc: 0.25, loss_gen: 0.25 });
  // D at 1/2 everywhere: the halved log reads D's outputs at 1/2, and fits the family
  const d = estimateDOutputs(ref, 0.25, 0.25);
  assert.ok(d && Math.abs(d.dReal - 0.5) < 1e-12 && Math.abs(d.dFake - 0.5) < 1e-12, JSON.stringify(d));
  assert.equal(familyMisfit(ref, 0.25, 0.25), undefined);
  // D(x) = 0.9, D(G(z)) = 0.2: 0.5·(0.01 + 0.04) = 0.025 logged, G's (1 - 0.2)² = 0.64
  const lead = estimateDOutputs(ref, 0.025, 0.64);
  assert.ok(
    lead && Math.abs(lead.dReal - 0.9) < 1e-9 && Math.abs(lead.dFake - 0.2) < 1e-9,
    JSON.stringify(lead),
  );
  // --loss lsgan names the family as Nashboard writes it: the terms summed
  const told = resolveReference({
    optionFamily: "lsgan",
    rvcLike: false,
    negativeGen: false,
    cycleganTerms: true,
  });
  assert.equal(told.discHalved, undefined);
  assert.deepEqual(told.equilibrium, { loss_disc: 0.5, loss_gen: 0.25 });
});

test("a real CycleGAN log (pytorch-CycleGAN-and-pix2pix) reads as halved least squares, not as a misfit BCE", async () => {
  const out = await runCli(["analyze", CYCLEGAN_LOG, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const runs = JSON.parse(out.stdout).runs;
  assert.equal(runs.length, 2); // games A and B
  for (const r of runs) {
    assert.equal(r.lossFamily, "lsgan", r.id);
    assert.deepEqual(r.equilibrium, { loss_disc: 0.25, loss_gen: 0.25 }, r.id);
    assert.notEqual(r.report.verdict.summary.key, "cannotJudge", r.id);
  }
  const text = await runCli(["analyze", CYCLEGAN_LOG]);
  assert.match(text.stdout, /CycleGAN's cycle \/ idt terms/);
  const zh = await runCli(["--lang", "zh", "analyze", CYCLEGAN_LOG]);
  assert.match(zh.stdout, /CycleGAN 的 cycle \/ idt 项/);
  const told = JSON.parse((await runCli(["analyze", CYCLEGAN_LOG, "--loss", "lsgan", "--json"])).stdout).runs;
  assert.deepEqual(told[0].equilibrium, { loss_disc: 0.5, loss_gen: 0.25 });
});

test("CycleGAN's console form pasted in an issue thread: both games read as halved least squares, and say why", async () => {
  const out = await runCli(["analyze", ISSUE_LOG, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const runs = JSON.parse(out.stdout).runs;
  assert.deepEqual(
    runs.map((r: { lossFamily: string; equilibrium: { loss_disc: number } }) => [
      r.lossFamily,
      r.equilibrium.loss_disc,
    ]),
    [
      ["lsgan", 0.25],
      ["lsgan", 0.25],
    ],
  );
  for (const r of runs)
    assert.ok(
      r.report.notes.some(
        (n: { key: string; params: { evidence?: string } }) =>
          n.key === "familyAssumed" && n.params.evidence === "cyclegan_terms",
      ),
      r.id,
    );
});

/** pytorch-CycleGAN-and-pix2pix console logs that begin with the options block the trainer prints. */
const PRINTED_CYCLEGAN =
  "test/fixtures/real-world/held-out-2/CHETAN1KUKREJA_pytorch-CycleGAN-and-pix2pix__train.log";
const PRINTED_PIX2PIX =
  "test/fixtures/real-world/committed/NIRVANALAN_pytorch-CycleGAN-and-pix2pix__log-pix2pix.log";

test("printedGanMode: the options block's gan_mode line names the family; other lines and modes do not", () => {
  assert.deepEqual(printedGanMode("                 gan_mode: lsgan                         "), {
    mode: "lsgan",
    family: "lsgan",
  });
  assert.deepEqual(printedGanMode("gan_mode: vanilla\t[default: lsgan]"), { mode: "vanilla", family: "bce" });
  assert.deepEqual(printedGanMode("  gan_mode: wgangp"), { mode: "wgangp", family: "wasserstein" });
  assert.equal(printedGanMode("  gan_mode: foo"), undefined); // an unknown mode names nothing
  assert.equal(printedGanMode("[--beta1 BETA1] [--lr LR] [--gan_mode GAN_MODE]"), undefined); // usage text
  assert.equal(printedGanMode("(epoch: 1) D_A: 0.2 gan_mode: lsgan G_A: 0.3"), undefined);
});

test("a CycleGAN console with its printed options: the family is the log's own (gan_mode lsgan), D's loss still halved", async () => {
  const out = await runCli(["analyze", PRINTED_CYCLEGAN, "--json"]);
  assert.equal(out.code, 0, out.stderr);
  const runs = JSON.parse(out.stdout).runs;
  assert.equal(runs.length, 2);
  for (const r of runs) {
    assert.equal(r.lossFamily, "lsgan", r.id);
    assert.equal(r.report.reference.familySource, "hints", r.id);
    assert.deepEqual(r.equilibrium, { loss_disc: 0.25, loss_gen: 0.25 }, r.id);
    assert.ok(
      r.report.notes.some((n: { key: string }) => n.key === "discHalved"),
      r.id,
    );
  }
  const zh = await runCli(["--lang", "zh", "analyze", PRINTED_CYCLEGAN]);
  assert.match(zh.stdout, /判别器的损失按减半记录来读/);
});

test("a pix2pix console printing gan_mode vanilla reads BCE from the log, its D_real + D_fake unhalved", async () => {
  const runs = JSON.parse((await runCli(["analyze", PRINTED_PIX2PIX, "--json"])).stdout).runs;
  assert.equal(runs[0].lossFamily, "bce");
  assert.equal(runs[0].report.reference.familySource, "hints");
  assert.equal(runs[0].equilibrium.loss_disc, 2 * Math.LN2);
});

test("the same pix2pix console with gan_mode lsgan printed reads least squares, unhalved (no cycle terms)", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-ganmode-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "train.log");
  writeFileSync(file, readFileSync(PRINTED_PIX2PIX, "utf8").replace(/gan_mode: vanilla/, "gan_mode: lsgan"));
  const runs = JSON.parse((await runCli(["analyze", file, "--json"])).stdout).runs;
  assert.equal(runs[0].lossFamily, "lsgan");
  assert.deepEqual(runs[0].equilibrium, { loss_disc: 0.5, loss_gen: 0.25 });
  // --loss still wins over the log
  const told = JSON.parse((await runCli(["analyze", file, "--loss", "bce", "--json"])).stdout).runs;
  assert.equal(told[0].lossFamily, "bce");
});
