/**
 * A small random forest (Breiman 2001): CART trees split on Gini impurity, each grown on a bootstrap
 * draw of the rows and choosing each split among a random √d of the features. It is here to estimate
 * how well *any* reader of the losses could separate healthy from unhealthy runs on the corpus
 * (ceiling.ts), not to judge runs: a fitted model carries no explanation a user could check, which is
 * why the monitor's rules stay rules. Written out because the bench has no Python ML stack and the
 * estimate needs only this much; seeded, so a rerun gives the same figures.
 */
import { Rng } from "../../src/rng.ts";

export interface ForestOptions {
  trees?: number;
  /** A node with fewer rows is a leaf. */
  minSplit?: number;
  maxDepth?: number;
  seed?: number;
}

type Node = { leaf: number } | { feature: number; threshold: number; left: Node; right: Node };

/** A fitted forest: the share of its trees' leaves voting "unhealthy" for a row. */
export interface Forest {
  predict(row: readonly number[]): number;
}

export function fitForest(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  { trees = 200, minSplit = 4, maxDepth = 12, seed = 14 }: ForestOptions = {},
): Forest {
  if (rows.length === 0) throw new Error("fitForest: no rows");
  const rng = new Rng(seed);
  const d = rows[0].length;
  const tried = Math.max(1, Math.round(Math.sqrt(d)));
  const grown: Node[] = [];
  for (let t = 0; t < trees; t++) {
    const sample = Array.from({ length: rows.length }, () => rng.int(rows.length));
    grown.push(grow(rows, labels, sample, 0, { tried, minSplit, maxDepth, rng, d }));
  }
  return {
    predict(row) {
      let sum = 0;
      for (const tree of grown) sum += leafOf(tree, row);
      return sum / grown.length;
    },
  };
}

interface GrowContext {
  tried: number;
  minSplit: number;
  maxDepth: number;
  rng: Rng;
  d: number;
}

function grow(
  rows: readonly (readonly number[])[],
  labels: readonly boolean[],
  idx: number[],
  depth: number,
  c: GrowContext,
): Node {
  const positives = idx.reduce((n, i) => n + (labels[i] ? 1 : 0), 0);
  const share = positives / idx.length;
  if (idx.length < c.minSplit || depth >= c.maxDepth || positives === 0 || positives === idx.length) {
    return { leaf: share };
  }
  let best: { feature: number; threshold: number; impurity: number } | undefined;
  for (const feature of pickFeatures(c)) {
    const sorted = idx.slice().sort((a, b) => rows[a][feature] - rows[b][feature]);
    let leftPos = 0;
    for (let k = 1; k < sorted.length; k++) {
      if (labels[sorted[k - 1]]) leftPos++;
      const lo = rows[sorted[k - 1]][feature];
      const hi = rows[sorted[k]][feature];
      if (lo === hi) continue;
      const impurity =
        gini(leftPos, k) * k + gini(positives - leftPos, sorted.length - k) * (sorted.length - k);
      if (!best || impurity < best.impurity) best = { feature, threshold: (lo + hi) / 2, impurity };
    }
  }
  if (!best) return { leaf: share };
  const { feature, threshold } = best;
  const left = idx.filter((i) => rows[i][feature] <= threshold);
  const right = idx.filter((i) => rows[i][feature] > threshold);
  return {
    feature,
    threshold,
    left: grow(rows, labels, left, depth + 1, c),
    right: grow(rows, labels, right, depth + 1, c),
  };
}

function pickFeatures(c: GrowContext): number[] {
  const all = Array.from({ length: c.d }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = c.rng.int(i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, c.tried);
}

/** Gini impurity of a node with `pos` positives among `n` rows. */
function gini(pos: number, n: number): number {
  if (n === 0) return 0;
  const p = pos / n;
  return 2 * p * (1 - p);
}

function leafOf(node: Node, row: readonly number[]): number {
  let at = node;
  while (!("leaf" in at)) at = row[at.feature] <= at.threshold ? at.left : at.right;
  return at.leaf;
}
