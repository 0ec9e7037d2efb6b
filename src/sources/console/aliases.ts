/**
 * The one alias table: the names people's training scripts print for a GAN's quantities, mapped onto
 * the canonical tags (DESIGN.md). Every text reader that meets a free-form key asks here, so a name is
 * taught once.
 *
 * A key is compared by its words, not its spelling: `D loss`, `d_loss`, `D_loss`, `dLoss` and `d-loss`
 * are all the words `d loss`; `Loss_D`, `lossD` and `loss_d` are `loss d`. Words that only say how the
 * value was aggregated (`avg`, `mean`, `train`, `running`) are dropped first, so `Average D loss` and
 * `train/d_loss` are `d loss` too.
 *
 * A trailing game letter names one of several games in one log (CycleGAN's two: `D_A`, `G_A`, `D_B`,
 * `G_B`): A and B always, X and Y only in capitals (`D_x` is the DCGAN tutorial's D(x)).
 */

/** What a key means: a canonical tag, or a position field (step, epoch, batch within the epoch). */
export type KeyRole =
  | { kind: "tag"; tag: string }
  | { kind: "step" }
  | { kind: "epoch" }
  | { kind: "batch" }
  /** A counter that is global in some logs and per-epoch in others (pix2pix's `iters`). */
  | { kind: "counter" };

const TAG_WORDS: Record<string, string[]> = {
  loss_disc: [
    "d loss",
    "loss d",
    "d",
    "err d",
    "d err",
    "d cost",
    "dis loss",
    "loss dis",
    "disc loss",
    "loss disc",
    "discriminator loss",
    "loss discriminator",
    "discriminator",
    "lossd",
    "dloss",
    "errd",
    "d total",
    "loss d total",
    "d total loss",
    "total d loss",
    "critic loss",
    "loss critic",
    "c loss",
    "critic",
    "l d",
    "d adv loss",
    "d adv",
    "discrim loss",
    "d mse gan loss",
    "d l",
    "d real fake",
    "error d",
    "img d",
    "loss d loss",
    "disc cost",
    "critic cost",
  ],
  loss_gen: [
    "g loss",
    "loss g",
    "g",
    "err g",
    "g err",
    "g cost",
    "gen loss",
    "loss gen",
    "generator loss",
    "loss generator",
    "generator",
    "lossg",
    "gloss",
    "errg",
    "g gan",
    "g adv",
    "g adv loss",
    "l g gan",
    "l g adv",
    "adversarial loss",
    "loss adv",
    "adv loss",
    "gen loss gan",
    "gen gan loss",
    "g loss fake",
    "g loss adv",
    "g l",
    "l g",
    "l gan",
    "ad g",
    "f adv loss",
    "loss g loss",
    "dg loss",
    "g discriminator loss",
    "gen cost",
    // SPADE/GauGAN's Visualizer line: `GAN` is G's adversarial loss (beside `GAN_Feat`, `D_Fake`, `D_real`).
    "gan",
  ],
  loss_disc_real: [
    "d real",
    "d real loss",
    "d loss real",
    "loss d real",
    "err d real",
    "error d real",
    "d 1",
    "d loss 1",
    "l d real",
    "real loss",
    "loss real",
    "dr",
  ],
  loss_disc_fake: [
    "d fake",
    "d fake loss",
    "d loss fake",
    "loss d fake",
    "err d fake",
    "error d fake",
    "d 2",
    "d loss 2",
    "l d fake",
    "fake loss",
    "loss fake",
    "df",
  ],
  d_real: ["d x", "dx", "out d real", "real score", "d real score", "score real", "d out real", "real prob"],
  d_fake: [
    "d g z",
    "dgz",
    "d g z 1",
    "out d fake",
    "fake score",
    "d fake score",
    "score fake",
    "d out fake",
    "fake prob",
  ],
  d_fake_after_d_step: ["d g z 2"],
  d_acc: ["acc", "accuracy", "d acc", "d accuracy", "acc d", "dis acc", "disc acc", "discriminator accuracy"],
  d_acc_real: ["acc real", "real acc", "d acc real", "d real acc"],
  d_acc_fake: ["acc fake", "fake acc", "d acc fake", "d fake acc"],
  loss_gen_total: ["g total", "g total loss", "total g loss", "loss g total", "gen loss total"],
  lr: ["lr", "learning rate"],
  lr_d: ["lr d", "d lr", "learning rate d"],
  lr_g: ["lr g", "g lr", "learning rate g"],
  grad_norm_d: ["grad norm d", "d grad norm", "gnorm d", "d gnorm"],
  grad_norm_g: ["grad norm g", "g grad norm", "gnorm g", "g gnorm"],
  gradient_penalty: ["gp", "gradient penalty", "loss gp", "gp loss", "d gp"],
};

const POSITION_WORDS: Record<"step" | "epoch" | "batch" | "counter", string[]> = {
  step: [
    "step",
    "steps",
    "global step",
    "gstep",
    "iteration",
    "iter",
    "it",
    "total iters",
    "niter",
    "n iter",
    "t",
  ],
  epoch: ["epoch", "ep", "epochs", "epoch id", "cur epoch"],
  batch: ["batch", "b", "batch idx", "batch id", "i"],
  counter: ["iters", "iterations"],
};

/**
 * Words that do not change what a value is. Not `avg` / `mean`: an epoch's or an evaluation's average
 * (Coqui's `avg_loss_disc`) is another curve than the per-step loss, and keeps its own name.
 */
const FILLER = new Set(["train", "training", "trn", "the", "is", "current"]);

const ROLES = new Map<string, KeyRole>();
for (const [tag, names] of Object.entries(TAG_WORDS))
  for (const n of names) ROLES.set(n, { kind: "tag", tag });
for (const [kind, names] of Object.entries(POSITION_WORDS))
  for (const n of names) ROLES.set(n, { kind } as KeyRole);

/** The canonical tags this table can produce that are D's or G's loss (what makes a line a loss line). */
export const LOSS_TAGS: ReadonlySet<string> = new Set([
  "loss_disc",
  "loss_gen",
  "loss_disc_real",
  "loss_disc_fake",
]);

/** Tags whose logged value is a percentage when printed with `%`, and a fraction in the canonical stream. */
export const FRACTION_TAGS: ReadonlySet<string> = new Set(["d_acc", "d_acc_real", "d_acc_fake"]);

/**
 * The words of a printed key: camelCase and letter-digit boundaries split, everything that is not a
 * letter or digit a separator, lower case. `D(G(z))` -> `d g z`, `lossD` -> `loss d`, `d_loss1` -> `d loss 1`.
 */
export function keyWords(key: string): string[] {
  const spaced = key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Za-z])(\d)/g, "$1 $2")
    .replace(/(\d)([A-Za-z])/g, "$1 $2");
  return spaced
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => (w === "losses" ? "loss" : w)); // `losses_d`: a list of losses, each one a loss
}

export interface KeyMeaning {
  role: KeyRole;
  /** The game a key belongs to in a log of several (`A`, `B`), or "" for the only game. */
  game: string;
}

const cache = new Map<string, KeyMeaning | null>();

/** What a printed key means, or undefined when the table does not know it. Cached: logs repeat keys. */
export function keyMeaning(key: string): KeyMeaning | undefined {
  let m = cache.get(key);
  if (m === undefined) {
    m = lookUp(key) ?? null;
    if (cache.size < 10_000) cache.set(key, m);
  }
  return m ?? undefined;
}

/** Words of a scope that make what is under it another curve (`loss_avg_50/d/adv`, `val/d_loss`). */
const OTHER_CURVE = new Set([
  "avg",
  "average",
  "mean",
  "ema",
  "smoothed",
  "val",
  "valid",
  "validation",
  "eval",
  "test",
]);

/**
 * A console key that is a slash-path (`train/d_loss`, tensorpack's `GAN_loss/discrim/loss`): read whole
 * first, then without its leading scopes one at a time, since a scope only says where a value was logged;
 * never past a scope that says the value is an average or an evaluation's.
 */
export function keyMeaningInPath(key: string): KeyMeaning | undefined {
  const whole = keyMeaning(key);
  if (whole || !key.includes("/")) return whole;
  const parts = key.split("/");
  for (let i = 1; i < parts.length; i++) {
    if (keyWords(parts[i - 1]).some((w) => OTHER_CURVE.has(w))) return undefined;
    const m = keyMeaning(parts.slice(i).join("/"));
    if (m) return m;
  }
  return undefined;
}

function lookUp(key: string): KeyMeaning | undefined {
  const words = keyWords(key).filter((w) => !FILLER.has(w));
  if (words.length === 0) return undefined;
  // CycleGAN's D_A / G_B: the last word is the game, the rest must be a D or G quantity on its own.
  // Checked first, since `D_X` read as words would be `d x`, the DCGAN tutorial's D(x).
  const last = key.match(/[_\s-]([A-Za-z])$/)?.[1];
  if (last !== undefined && /^[abABXY]$/.test(last) && words.length >= 2) {
    const rest = ROLES.get(words.slice(0, -1).join(" "));
    if (rest?.kind === "tag" && LOSS_TAGS.has(rest.tag)) return { role: rest, game: last.toUpperCase() };
    if (rest?.kind === "tag" && /^[abAB]$/.test(last)) return { role: rest, game: last.toUpperCase() };
  }
  // The game letter before a `_loss` suffix: keras-io's CycleGAN logs `D_X_loss`, `D_Y_loss`.
  const inner = key.match(/^([DG])[_\s-]([ABXY])[_\s-]loss$/i);
  if (inner) {
    const tag = inner[1].toUpperCase() === "D" ? "loss_disc" : "loss_gen";
    return { role: { kind: "tag", tag }, game: inner[2].toUpperCase() };
  }
  const direct = ROLES.get(words.join(" "));
  if (direct) return { role: direct, game: "" };
  // `G GAN Loss`, `loss_G_adv`: the word `loss` says nothing that the name of one of D's or G's losses
  // does not, so a key is also read without it. Only when two words or more are left: `GAN loss` alone
  // does not say whose loss it is.
  if (words.length >= 3 && words.includes("loss")) {
    const named = ROLES.get(words.filter((w) => w !== "loss").join(" "));
    if (named?.kind === "tag" && LOSS_TAGS.has(named.tag)) return { role: named, game: "" };
  }
  // PyTorch Lightning's `self.log(..., on_step=True, on_epoch=True)` writes `d_loss_step` (the value
  // per step: the quantity itself) and `d_loss_epoch` (an epoch's mean: another curve, its own name).
  if (words.length >= 2 && words.at(-1) === "step") {
    const perStep = ROLES.get(words.slice(0, -1).join(" "));
    if (perStep?.kind === "tag") return { role: perStep, game: "" };
  }
  return undefined;
}

/**
 * Words that name D's and G's losses only as a pair: `disc` and `gen` side by side on one line (VITS'
 * `disc=…, gen=…`, a junyanz loss_log's `disc: … gen: …`) are the two players, while either alone is
 * something else too (Paddle's DCGAN prints `gen=[…]`, the generated samples, under its loss line).
 */
const PAIRED_WORDS: Record<string, string> = { disc: "loss_disc", gen: "loss_gen" };

/** The loss a key names when its pair is on the same line (`disc` → loss_disc), else undefined. */
export function pairedLossTag(key: string): string | undefined {
  const words = keyWords(key).filter((w) => !FILLER.has(w));
  return words.length === 1 ? PAIRED_WORDS[words[0]] : undefined;
}

/** The canonical tag of a key that maps to one, else undefined (positions and unknown keys). */
export function tagOfKey(key: string): string | undefined {
  const m = keyMeaning(key);
  return m?.role.kind === "tag" ? m.role.tag : undefined;
}
