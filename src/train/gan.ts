/**
 * The two players and one update of each. A D update scores a real batch and a detached generated
 * batch and moves only D's variables; a G update scores a fresh generated batch through D and moves only
 * G's variables. Every returned metric is a tensor kept for the caller, so no step forces a host sync;
 * the loop reads them back only on logged steps.
 *
 * The remedies (remedies.ts) take a second code path in each update, so a run without them keeps the
 * first one, the fast path, bit for bit.
 */
import { type AdversarialLoss, gradientPenalty, lossFor, r1Penalty } from "../losses/index.ts";
import type { Rng } from "../rng.ts";
import { tf } from "./backend.ts";
import type { TrainConfig } from "./config.ts";
import { Discriminator } from "./discriminator.ts";
import { fusedOps } from "./fused-ops.ts";
import { Mlp } from "./mlp.ts";
import { createOptimizer, type Optimizer } from "./optimizers.ts";
import { candidatesFor, keepHighestScored } from "./rejection.ts";
import { discLoss, featureMatchingTerm } from "./remedies.ts";
import { WeightAverage } from "./weight-average.ts";

/** The metrics of one D update, as scalar tensors owned by the caller. */
export interface DStepResult {
  lossDisc: tf.Scalar;
  /** Mean D output on the real and the generated batch (probabilities for BCE, scores otherwise). */
  dReal: tf.Scalar;
  dFake: tf.Scalar;
  gradNorm: tf.Scalar;
  /** The gradient penalties added to D's loss (R1, WGAN-GP), when any is on; not in lossDisc. */
  penalty?: tf.Scalar;
}

export interface GStepResult {
  /** G's adversarial loss (without the feature-matching term). */
  lossGen: tf.Scalar;
  gradNorm: tf.Scalar;
  /** The feature-matching term ||E f(x) - E f(G(z))||², unweighted, when feature matching is on. */
  lossFm?: tf.Scalar;
}

export class Gan {
  readonly g: Mlp;
  readonly d: Discriminator;
  readonly optG: Optimizer;
  readonly optD: Optimizer;
  readonly loss: AdversarialLoss;
  /** The moving average of G's weights that samples come from, when `gEma` is on. */
  readonly gAverage?: WeightAverage;
  /** True when some remedy other than R1 changes D's update (its forward pass, its loss, WGAN-GP). */
  private readonly remedyInD: boolean;
  /** R1's weight gamma: the configuration's, unless the controller switches R1 on (0: off). */
  r1: number;
  /** True when some remedy changes G's update (D's forward pass, or feature matching). */
  private readonly remedyInG: boolean;

  constructor(
    readonly config: TrainConfig,
    rng: Rng,
    dataDim = 2,
  ) {
    this.loss = lossFor(config.loss);
    this.g = new Mlp(
      { input: config.latent, hidden: config.gHidden, output: dataDim, activation: config.gActivation },
      rng,
      "G",
    );
    this.d = new Discriminator(config, rng, dataDim);
    this.remedyInG = !this.d.plain || config.featureMatching > 0;
    this.remedyInD = !this.d.plain || config.labelSmoothing > 0 || config.gradientPenalty > 0;
    this.r1 = config.r1;
    if (config.gEma > 0) this.gAverage = new WeightAverage(this.g, config.gEma);
    const opt = { name: config.optimizer, beta1: config.beta1, beta2: config.beta2, eps: 1e-8 };
    this.optD = createOptimizer({ ...opt, lr: config.lrD }, this.d.variables);
    this.optG = createOptimizer({ ...opt, lr: config.lrG }, this.g.variables);
  }

  /**
   * One discriminator update on real x: [n, dim] and noise z: [n, latent]. `alpha` (one value in [0, 1)
   * per pack, from the trainer's RNG) places WGAN-GP's points between real and generated packs.
   */
  dStep(x: tf.Tensor2D, z: tf.Tensor2D, alpha?: Float32Array): DStepResult {
    if (this.remedyInD || this.r1 > 0) return this.dStepWithRemedies(x, z, alpha);
    return tf.tidy(() => {
      const fake = this.g.apply(z); // outside the gradient: G is held fixed (PyTorch's .detach())
      // D scores both batches as one: one forward and one backward pass instead of two (half the ops,
      // no summing of two gradient sets), and each row's output is what it would be alone, since the
      // MLP has no layer that mixes rows.
      const both = tf.concat([x, fake]);
      let dReal!: tf.Scalar;
      let dFake!: tf.Scalar;
      const { value, grads } = tf.variableGrads(() => {
        const [realOut, fakeOut] = tf.split(this.d.apply(both), [x.shape[0], fake.shape[0]]); // [n, 1] each
        // kept, so the gradient scope does not dispose them before the caller reads them
        dReal = tf.keep(this.loss.meanOutput(realOut));
        dFake = tf.keep(this.loss.meanOutput(fakeOut));
        return this.loss.disc(realOut, fakeOut);
      }, this.d.variables);
      const gradList = this.d.variables.map((v) => grads[v.name]);
      this.optD.apply(this.d.variables, gradList);
      return { lossDisc: value, dReal, dFake, gradNorm: globalNorm(gradList) };
    });
  }

  /**
   * One generator update on noise z: [n, latent]; D's variables are read, never written. Feature
   * matching compares with the real batch `real` (required then).
   */
  gStep(z: tf.Tensor2D, real?: tf.Tensor2D): GStepResult {
    const result = this.remedyInG ? this.gStepWithRemedies(z, real) : this.gStepPlain(z);
    this.gAverage?.update();
    return result;
  }

  private gStepPlain(z: tf.Tensor2D): GStepResult {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => this.loss.gen(this.d.apply(this.g.apply(z))),
        this.g.variables,
      );
      const gradList = this.g.variables.map((v) => grads[v.name]);
      this.optG.apply(this.g.variables, gradList);
      return { lossGen: value, gradNorm: globalNorm(gradList) };
    });
  }

  private dStepWithRemedies(x: tf.Tensor2D, z: tf.Tensor2D, alpha?: Float32Array): DStepResult {
    const { gradientPenalty: gp, labelSmoothing } = this.config;
    const r1 = this.r1;
    if (gp > 0 && alpha === undefined) throw new Error("dStep: the gradient penalty needs alpha");
    return tf.tidy(() => {
      const fake = this.g.apply(z);
      const vs = this.d.vectors(true); // spectral norm's one power iteration for this update
      const realPacks = this.d.packed(x);
      const fakePacks = this.d.packed(fake);
      const k = realPacks.shape[0];
      let dReal!: tf.Scalar;
      let dFake!: tf.Scalar;
      let adversarial!: tf.Scalar;
      let penalty: tf.Scalar | undefined;
      const { grads } = tf.variableGrads(() => {
        // One pass over both batches, as on the fast path; the std feature keeps them apart (groups: 2).
        const { out } = this.d.judgePacked(tf.concat([realPacks, fakePacks]), { groups: 2, vs });
        const [realOut, fakeOut] = tf.split(out, [k, k]);
        dReal = tf.keep(this.loss.meanOutput(realOut));
        dFake = tf.keep(this.loss.meanOutput(fakeOut));
        adversarial = tf.keep(discLoss(this.loss, realOut, fakeOut, labelSmoothing));
        // The penalties differentiate D with respect to its input packs, in plain tfjs ops (generic).
        const judge = (xs: tf.Tensor2D) => this.d.judgePacked(xs, { vs, generic: true }).out;
        const terms: tf.Scalar[] = [];
        if (r1 > 0) terms.push(r1Penalty(judge, realPacks, r1));
        if (gp > 0) terms.push(gradientPenalty(judge, realPacks, fakePacks, alpha!, gp));
        if (terms.length === 0) return adversarial;
        penalty = tf.keep(terms.length === 1 ? terms[0] : (tf.addN(terms) as tf.Scalar));
        return tf.add(adversarial, penalty) as tf.Scalar;
      }, this.d.variables);
      const gradList = this.d.variables.map((v) => grads[v.name]);
      this.optD.apply(this.d.variables, gradList);
      return {
        lossDisc: adversarial,
        dReal,
        dFake,
        gradNorm: globalNorm(gradList),
        ...(penalty ? { penalty } : {}),
      };
    });
  }

  private gStepWithRemedies(z: tf.Tensor2D, real?: tf.Tensor2D): GStepResult {
    const weight = this.config.featureMatching;
    if (weight > 0 && real === undefined) throw new Error("gStep: feature matching needs a real batch");
    return tf.tidy(() => {
      const vs = this.d.vectors(false);
      let adversarial!: tf.Scalar;
      let lossFm: tf.Scalar | undefined;
      const { grads } = tf.variableGrads(() => {
        const judged = this.d.judge(this.g.apply(z), { ...(vs ? { vs } : {}), features: weight > 0 });
        adversarial = tf.keep(this.loss.gen(judged.out));
        if (weight === 0) return adversarial;
        // The real features depend on D's variables only, which this update does not move: constants.
        const realFeatures = this.d.judge(real!, { ...(vs ? { vs } : {}), features: true }).features!;
        lossFm = tf.keep(featureMatchingTerm(realFeatures, judged.features!));
        return tf.add(adversarial, tf.mul(weight, lossFm)) as tf.Scalar;
      }, this.g.variables);
      const gradList = this.g.variables.map((v) => grads[v.name]);
      this.optG.apply(this.g.variables, gradList);
      return { lossGen: adversarial, gradNorm: globalNorm(gradList), ...(lossFm ? { lossFm } : {}) };
    });
  }

  /**
   * n generated points as a flat [x0, y0, x1, y1, ...] array (noise drawn from `rng`), from the
   * averaged generator when there is one. With `reject` > 0 they come through D (rejection.ts):
   * n / (1 - reject) are drawn and the n that D scores highest are kept.
   */
  async generate(n: number, rng: Rng, latent: number, reject = 0): Promise<Float32Array> {
    const m = candidatesFor(n, reject);
    const z = rng.fillNormal(new Float32Array(m * latent));
    const out = tf.tidy(() => this.g.apply(tf.tensor2d(z, [m, latent]), this.gAverage?.layers()));
    const points = (await out.data()) as Float32Array;
    if (m === n) {
      out.dispose();
      return points;
    }
    const scored = this.d.apply(out);
    const scores = (await scored.data()) as Float32Array;
    tf.dispose([out, scored]);
    return keepHighestScored(points, scores, n);
  }

  dispose(): void {
    this.g.dispose();
    this.d.dispose();
    this.optG.dispose();
    this.optD.dispose();
    this.gAverage?.dispose();
  }
}

/** The L2 norm of all gradients together, as torch.nn.utils.clip_grad_norm_ reports it. */
function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  const fused = fusedOps().globalNorm;
  if (fused) return fused(grads);
  return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}
