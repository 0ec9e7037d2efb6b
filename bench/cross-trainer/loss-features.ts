/**
 * A run's logged series summarised as numbers a fitted model can split on (ceiling.ts): for each loss,
 * its level in each quarter of the run against the family's equilibrium, its spread and range, its
 * last values and how much of it is not finite; the family; the run's length. "Losses only" reads
 * loss_disc and loss_gen, as the monitor's headline figures do; "all tags" adds D's mean outputs and
 * both gradient norms, which the PyTorch runs log and many real logs do not.
 */
import { equilibrium } from "../../src/losses/equilibrium.ts";
import type { CorpusRun, CrossFamily } from "./corpus.ts";
import { MONITOR_FAMILY } from "./corpus.ts";

/** "losses-blind": the losses without the family's name, so that the fit cannot lean on how often
 *  each family fails in this corpus's grid (a property of the grid, not of a run). */
export type FeatureSet = "losses" | "losses-blind" | "all";

const FAMILIES: readonly CrossFamily[] = ["bce", "bce_minimax", "lsgan", "hinge", "wgan_gp", "ragan"];
/** A statistic of a series with no finite value: far outside any real one, so a tree can isolate it. */
const NONE = 1e6;

export function featureNames(set: FeatureSet): string[] {
  const names: string[] = [];
  for (const tag of seriesOf(set)) names.push(...perSeries.map((s) => `${tag}.${s}`));
  names.push("loss_disc~loss_gen", "log10_steps");
  if (set !== "losses-blind") names.push(...FAMILIES.map((f) => `family=${f}`));
  return names;
}

export function runFeatures(run: CorpusRun, set: FeatureSet): number[] {
  const eq = equilibrium(MONITOR_FAMILY[run.config.loss]);
  const out: number[] = [];
  for (const tag of seriesOf(set)) {
    const values = run.metrics.map((m) => m[tag]);
    const centre = tag === "loss_disc" ? eq.loss_disc : tag === "loss_gen" ? (eq.loss_gen ?? 0) : 0;
    out.push(...seriesFeatures(values, centre, tag.startsWith("grad_norm")));
  }
  out.push(
    lateCorrelation(
      run.metrics.map((m) => m.loss_disc),
      run.metrics.map((m) => m.loss_gen),
    ),
  );
  out.push(Math.log10(Math.max(1, run.config.steps)));
  if (set !== "losses-blind") for (const f of FAMILIES) out.push(run.config.loss === f ? 1 : 0);
  return out;
}

type Tag = "loss_disc" | "loss_gen" | "d_real" | "d_fake" | "grad_norm_d" | "grad_norm_g";

function seriesOf(set: FeatureSet): Tag[] {
  return set !== "all"
    ? ["loss_disc", "loss_gen"]
    : ["loss_disc", "loss_gen", "d_real", "d_fake", "grad_norm_d", "grad_norm_g"];
}

const perSeries = ["q1", "q2", "q3", "q4", "last", "q4_spread", "p05", "p95", "non_finite"] as const;

/**
 * Levels relative to `centre` in units of a scale: |centre| where the family fixes one, else the
 * series' own median size (a Wasserstein critic, D's outputs). Gradient norms are read on a log scale.
 */
function seriesFeatures(raw: readonly number[], centre: number, logScale: boolean): number[] {
  const xs = raw.map((v) => (logScale ? Math.log10(Math.max(v, 1e-12)) : v));
  const finite = xs.filter(Number.isFinite);
  const nonFinite = raw.length === 0 ? 1 : 1 - finite.length / raw.length;
  if (finite.length === 0) return [NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, nonFinite];
  const scale = Math.abs(centre) > 0 ? Math.abs(centre) : Math.max(median(finite.map(Math.abs)), 1e-9);
  const rel = (v: number) => (v - centre) / scale;
  const quarter = (q: number) => {
    const part = xs.slice(Math.floor((q * xs.length) / 4), Math.floor(((q + 1) * xs.length) / 4));
    const ok = part.filter(Number.isFinite);
    return ok.length > 0 ? rel(mean(ok)) : NONE;
  };
  const tail = xs.slice(Math.floor(0.95 * xs.length)).filter(Number.isFinite);
  const q4 = xs.slice(Math.floor((3 * xs.length) / 4)).filter(Number.isFinite);
  const sorted = finite.slice().sort((a, b) => a - b);
  return [
    quarter(0),
    quarter(1),
    quarter(2),
    quarter(3),
    tail.length > 0 ? rel(mean(tail)) : NONE,
    q4.length > 1 ? std(q4) / scale : 0,
    rel(sorted[Math.floor(0.05 * (sorted.length - 1))]),
    rel(sorted[Math.floor(0.95 * (sorted.length - 1))]),
    nonFinite,
  ];
}

/** Pearson correlation of the two losses over the last half (0 when undefined). */
function lateCorrelation(a: readonly number[], b: readonly number[]): number {
  const pairs: [number, number][] = [];
  for (let i = Math.floor(a.length / 2); i < a.length; i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i])) pairs.push([a[i], b[i]]);
  }
  if (pairs.length < 3) return 0;
  const ma = mean(pairs.map((p) => p[0]));
  const mb = mean(pairs.map((p) => p[1]));
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (const [x, y] of pairs) {
    sab += (x - ma) * (y - mb);
    saa += (x - ma) ** 2;
    sbb += (y - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
