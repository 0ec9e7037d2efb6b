/**
 * The 2D panel of a trainer run: real and generated samples over D's decision map, as GAN Lab shows
 * it. Computed from a live Trainer (every few logged steps with `train --serve`) or from one restored
 * from the run's checkpoint (checkpoint-panel.ts). The noise and the real draw use fixed seeds, so
 * successive panels move only because the networks moved.
 */
import { Rng } from "../rng.ts";
import { tf } from "../train/backend.ts";
import type { Trainer } from "../train/trainer.ts";
import type { SamplePanel } from "./provider.ts";

export interface PanelOptions {
  /** Samples of each kind (default 400). */
  samples?: number;
  /** Grid cells per side for D's map (default 40). */
  grid?: number;
  source?: SamplePanel["source"];
}

const NOISE_SEED = 0x9a11e1;
const REAL_SEED = 0x5eed2d;

export async function samplePanel(trainer: Trainer, options: PanelOptions = {}): Promise<SamplePanel> {
  const n = options.samples ?? 400;
  const cells = options.grid ?? 40;
  const box = trainer.dataset.box;
  const fake = await trainer.generate(n, NOISE_SEED);
  const real = trainer.dataset.sample(n, new Rng(REAL_SEED));
  // Cell centres, row by row from yMin: [cells², 2].
  const at = new Float32Array(cells * cells * 2);
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      const k = 2 * (j * cells + i);
      at[k] = box.xMin + ((i + 0.5) * (box.xMax - box.xMin)) / cells;
      at[k + 1] = box.yMin + ((j + 0.5) * (box.yMax - box.yMin)) / cells;
    }
  }
  const probability = trainer.gan.loss.family === "bce" || trainer.gan.loss.family === "bce_minimax";
  const out = tf.tidy(() => {
    const logits = trainer.gan.d.apply(tf.tensor2d(at, [cells * cells, 2])); // [cells², 1]
    return probability ? tf.sigmoid(logits) : logits;
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return {
    step: trainer.step,
    box: { xMin: box.xMin, xMax: box.xMax, yMin: box.yMin, yMax: box.yMax },
    real: rounded(real),
    fake: rounded(fake),
    grid: { nx: cells, ny: cells, values: rounded(values), kind: probability ? "probability" : "score" },
    source: options.source ?? "live",
    ...(trainer.config.reject > 0 ? { reject: trainer.config.reject } : {}),
  };
}

/** Four decimals are finer than a pixel and keep the JSON small; NaN stays NaN. */
function rounded(a: Float32Array): number[] {
  return Array.from(a, (x) => Math.round(x * 1e4) / 1e4);
}
