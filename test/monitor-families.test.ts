import assert from "node:assert/strict";
import { test } from "node:test";
import { equilibrium, LOSS_FAMILIES, TRAINED_FAMILIES } from "../src/losses/equilibrium.ts";
import { estimateDOutputs, gapOf, resolveReference } from "../src/monitor/signals/reference.ts";
import { bceSteps, feed } from "./helpers/monitor-streams.ts";

/**
 * The relativistic average families (issue 14, item 5) and the family inferred from the values. The
 * expected numbers are worked out here from the losses' definitions, not read from the implementation.
 */

const softplus = (x: number) => Math.log1p(Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

test("relativistic equilibria: 2 ln 2 for both RaGAN players, 2 for both RaHinge players, K times for K", () => {
  // At C(x) - mean C(G(z)) = 0 each softplus term is softplus(0) = ln 2; each hinge term relu(1) = 1.
  assert.deepEqual(equilibrium("ragan"), { loss_disc: 2 * softplus(0), loss_gen: 2 * softplus(0) });
  assert.deepEqual(equilibrium("rahinge"), { loss_disc: 2, loss_gen: 2 });
  assert.deepEqual(equilibrium("rahinge", 3), { loss_disc: 6, loss_gen: 6 });
  // the monitor judges them; the trainer does not train them
  assert.ok(LOSS_FAMILIES.includes("ragan") && LOSS_FAMILIES.includes("rahinge"));
  assert.ok(!(TRAINED_FAMILIES as readonly string[]).includes("ragan"));
});

test("RaGAN's D outputs from its losses: the relative margin is half the difference of the two losses", () => {
  // A D whose real scores sit `delta` above the mean fake score, and the fakes `delta` below the mean
  // real one: D's loss 2 softplus(-delta), G's loss 2 softplus(delta).
  const ref = resolveReference({ optionFamily: "ragan", rvcLike: false, negativeGen: false });
  for (const delta of [-1, 0, 0.5, 2]) {
    const d = estimateDOutputs(ref, 2 * softplus(-delta), 2 * softplus(delta));
    assert.ok(d);
    assert.ok(Math.abs(d.dReal - sigmoid(delta)) < 1e-12, `delta ${delta}: dReal ${d.dReal}`);
    assert.ok(Math.abs(d.dFake - sigmoid(-delta)) < 1e-12, `delta ${delta}: dFake ${d.dFake}`);
    assert.ok(Math.abs((gapOf(ref, d) as number) - (2 * sigmoid(delta) - 1)) < 1e-12);
  }
});

test("RaHinge's D outputs: inside the margins D's loss is 2 - 2·delta and G's 2 + 2·delta", () => {
  const ref = resolveReference({ optionFamily: "rahinge", rvcLike: false, negativeGen: false });
  const d = estimateDOutputs(ref, 2 - 2 * 0.4, 2 + 2 * 0.4);
  assert.ok(d);
  assert.ok(Math.abs(d.dReal - 0.4) < 1e-12 && Math.abs(d.dFake + 0.4) < 1e-12);
  // halved like hinge's scores: a D at the margins (delta 1) has the gap of a perfect D
  assert.ok(Math.abs((gapOf(ref, { dReal: 1, dFake: -1 }) as number) - 1) < 1e-12);
});

/** A RaGAN game: D's relative margin `delta` with batch noise. */
const raganSteps = (delta: number, n = 300) =>
  bceSteps(n, { disc: 2 * softplus(-delta), gen: 2 * softplus(delta) }, 0.02, 5);

test("a RaGAN run at its equilibrium (both losses at 2 ln 2) reads balanced, at the equilibrium, as ragan", () => {
  const asRagan = feed(raganSteps(0), { lossFamily: "ragan" });
  assert.equal(asRagan.states.at(-1), "balanced");
  assert.equal(asRagan.report.verdict.health, "healthy");
  assert.equal(asRagan.report.verdict.summary.key, "healthy");
  assert.ok(asRagan.report.notes.some((n) => n.key === "atEquilibrium"));
  // told BCE, G's 2 ln 2 is twice BCE's equilibrium: not "near the equilibrium", no such note
  const asBce = feed(raganSteps(0), { lossFamily: "bce" });
  assert.equal(asBce.report.verdict.summary.key, "healthyOffEq");
  assert.ok(!asBce.report.notes.some((n) => n.key === "atEquilibrium"));
});

test("a RaGAN run whose D wins outright reads D dominant, a warning: a relativistic G keeps its gradient", () => {
  // D's relative margin grows from 0 to 3 over the first 300 steps (D's loss 0.1, G's 6.1)
  const steps = bceSteps(400, { disc: 0, gen: 0 }, 0.02, 5).map((v, i) => {
    const delta = 3 * Math.min(1, i / 300);
    return { loss_disc: 2 * softplus(-delta) + v.loss_disc, loss_gen: 2 * softplus(delta) + v.loss_gen };
  });
  const f = feed(steps, { lossFamily: "ragan" });
  assert.equal(f.states.at(-1), "d_dominant");
  assert.equal(f.report.verdict.primary, "d_dominant");
  assert.equal(f.report.verdict.health, "warning");
  // the same numbers from a BCE game (a non-saturating G whose D wins): unhealthy
  const bce = feed(steps, { lossFamily: "bce" });
  assert.equal(bce.report.verdict.health, "unhealthy");
});

test("no family given: a negative loss_disc is a Wasserstein critic, and the note says why", () => {
  const steps = bceSteps(120, { disc: -0.8, gen: 0.3 }, 0.05, 2);
  const f = feed(steps);
  assert.equal(f.report.reference.family, "wasserstein");
  const note = f.report.notes.find((n) => n.key === "familyAssumed");
  assert.equal(note?.params.evidence, "negative_disc");
  // a non-negative D loss with a negative G loss stays the BCE minimax reading
  const minimax = feed(bceSteps(120, { disc: 1.3, gen: -0.7 }, 0.03, 2));
  assert.equal(minimax.report.reference.family, "bce_minimax");
});

test("losses that no family member can write are 'cannot judge', with the bound they miss", async () => {
  const { familyMisfit } = await import("../src/monitor/rules/family-fit.ts");
  const ref = (family: "bce" | "bce_minimax" | "lsgan" | "hinge" | "ragan", k = 1) =>
    resolveReference({ optionFamily: family, optionK: k, rvcLike: false, negativeGen: false });
  // BCE: a D loss of 0.012 needs D(G(z)) <= 1 - e^-0.012, so a G loss >= -ln(1 - e^-0.012) = 4.43
  const bce = familyMisfit(ref("bce"), 0.012, 0.7);
  assert.ok(bce && Math.abs(bce.bound - 4.4296) < 1e-3, JSON.stringify(bce));
  assert.equal(familyMisfit(ref("bce"), 0.012, 4.6), undefined);
  assert.equal(familyMisfit(ref("bce"), 2 * Math.LN2, Math.LN2), undefined); // the equilibrium fits
  // minimax: -loss_gen is a term of loss_disc
  assert.ok(familyMisfit(ref("bce_minimax"), 0.3, -0.9));
  assert.equal(familyMisfit(ref("bce_minimax"), 1.2, -0.6), undefined);
  // least squares, K = 9 (RVC v2): √(D/9) + √(G/9) >= 1; RVC's usual 2.5 / 3.8 fits, 0.5 / 0.5 cannot
  assert.equal(familyMisfit(ref("lsgan", 9), 2.5, 3.8), undefined);
  assert.ok(familyMisfit(ref("lsgan", 9), 0.5, 0.5));
  // hinge: D + G >= K; relativistic BCE: D + G >= 4 ln 2
  assert.ok(familyMisfit(ref("hinge"), 0.2, 0.3));
  assert.equal(familyMisfit(ref("hinge"), 0.2, 0.9), undefined);
  assert.ok(familyMisfit(ref("ragan"), 0.5, 1.0));
  assert.equal(familyMisfit(ref("ragan"), 0.3, 6), undefined);
});

test("a BCE-labelled log with loss_disc 0.012 and loss_gen 0.7: cannot judge, not 'balanced near the equilibrium'", () => {
  const f = feed(bceSteps(200, { disc: 0.012, gen: 0.7 }, 0.002, 3), { lossFamily: "bce" });
  const v = f.report.verdict;
  assert.equal(v.summary.key, "cannotJudge");
  assert.equal(v.health, "warning");
  assert.ok(v.advice.some((a) => a.key === "nameFamily"));
  assert.ok(!f.report.notes.some((n) => n.key === "atEquilibrium"));
});

test("real SRGAN logs whose 'G loss' is mostly the image loss read 'cannot judge', in English and Chinese", async () => {
  const { runCli } = await import("./helpers/cli.ts");
  const { fileURLToPath } = await import("node:url");
  // Loss_G = MSE + perceptual + 0.001 x adversarial: 0.004-0.02 against a BCE D at 0.6-1.0
  const csv = fileURLToPath(
    new URL(
      "./fixtures/real-world/committed/hwr9912_BrainCT_SRGAN__statistics-srf_4_train_results.csv",
      import.meta.url,
    ),
  );
  const json = await runCli(["analyze", csv, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const summary = JSON.parse(json.stdout).runs[0].report.verdict.summary;
  assert.equal(summary.key, "cannotJudge");
  assert.equal(summary.params.family, "bce");
  const zh = await runCli(["--lang", "zh", "analyze", csv]);
  assert.match(zh.stdout, /无法判断/);
  assert.match(zh.stdout, /--loss/);
});

test("D's logged accuracy stands in for D(x) / D(G(z)): 2·acc - 1, a percentage read as a fraction", () => {
  // at chance (50%) the gap is 0; always right (99%) the gap is 0.98, D dominant however the losses read
  const steps = (acc: number) =>
    bceSteps(120, { disc: 2 * Math.LN2, gen: Math.LN2 }, 0.02, 9).map((v) => ({ ...v, d_acc: acc }));
  const chance = feed(steps(50), { lossFamily: "bce" });
  assert.equal(chance.report.dOutputs?.source, "accuracy");
  assert.ok(chance.report.dOutputs?.series.every((p) => Math.abs(p.gap) < 1e-12));
  assert.ok(chance.report.notes.some((n) => n.key === "gapFromAccuracy"));
  const right = feed(steps(0.99), { lossFamily: "bce" });
  assert.equal(right.states.at(-1), "d_dominant");
  // real and fake accuracies apart: acc_real + acc_fake - 1
  const apart = feed(
    bceSteps(40, { disc: 1.2, gen: 0.9 }, 0.02, 9).map((v) => ({ ...v, d_acc_real: 0.9, d_acc_fake: 0.6 })),
    { lossFamily: "bce" },
  );
  assert.ok(apart.report.dOutputs?.series.every((p) => Math.abs(p.gap - 0.5) < 1e-9));
});
