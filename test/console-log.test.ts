import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import { corpusFiles } from "../bench/real-world/corpus.ts";
import { keyMeaning, keyMeaningInPath } from "../src/sources/console/aliases.ts";
import { ConsoleLogParser } from "../src/sources/console/console-log.ts";
import { linePairs, linePairsUncached } from "../src/sources/console/line-pairs.ts";
import { StepClock } from "../src/sources/console/step-clock.ts";
import { readRuns } from "../src/sources/run-source.ts";

// The generic console reader's parts, table-driven; the real logs are in test/real-world-logs.test.ts.
const utf8 = (s: string) => new TextEncoder().encode(s);
const REAL_WORLD = new URL("./fixtures/real-world/", import.meta.url).pathname;

/** A real-world file's series as the reader reads them, by tag: [step, value] pairs. */
async function seriesOf(file: string): Promise<Map<string, [number, number][]>> {
  const { runs } = await readRuns(`${REAL_WORLD}${file}`);
  assert.equal(runs.length, 1, file);
  return new Map(runs[0].series.map((s) => [s.tag, [...s.steps].map((step, i) => [step, s.values[i]])]));
}

test("one alias table: the ecosystem's spellings of D's and G's losses, positions and games", () => {
  const cases: [string, string | undefined, string?][] = [
    ["D loss", "loss_disc"],
    ["d_loss", "loss_disc"],
    ["Loss_D", "loss_disc"],
    ["lossD", "loss_disc"],
    ["errD", "loss_disc"],
    ["Dis_loss", "loss_disc"],
    ["disc_loss", "loss_disc"],
    ["Discriminator Loss", "loss_disc"],
    ["train/d_loss", "loss_disc"],
    ["critic_loss", "loss_disc"],
    ["errG", "loss_gen"],
    ["Gen_loss", "loss_gen"],
    ["G_GAN", "loss_gen"],
    ["D(x)", "d_real"],
    ["D(G(z))", "d_fake"],
    ["D_real", "loss_disc_real"],
    ["d1", "loss_disc_real"],
    ["acc.", "d_acc"],
    ["D_A", "loss_disc", "A"],
    ["G_B", "loss_gen", "B"],
    ["D_x", "d_real"],
    ["d_loss_step", "loss_disc"],
    ["d_loss_epoch", undefined],
    ["avg_loss_disc", undefined],
    ["cycle_A", undefined],
    ["G_L1", undefined],
    // held-out-2: SPADE's `GAN` is G's adversarial loss (`GAN_Feat` its feature matching).
    ["GAN", "loss_gen"],
    ["GAN_Feat", undefined],
    ["G/loss_fake", "loss_gen"],
  ];
  for (const [key, tag, game = ""] of cases) {
    const m = keyMeaning(key);
    assert.equal(m?.role.kind === "tag" ? m.role.tag : undefined, tag, key);
    if (tag) assert.equal(m?.game, game, key);
  }
  // A console key's slash-path scopes are dropped (tensorpack), but not one that says "average" or "eval".
  const inPath = (key: string) => {
    const m = keyMeaningInPath(key);
    return m?.role.kind === "tag" ? m.role.tag : undefined;
  };
  assert.equal(inPath("GAN_loss/discrim/loss"), "loss_disc");
  assert.equal(inPath("GAN_loss/gen/loss"), "loss_gen");
  assert.equal(inPath("GAN_loss/gen/final-g-loss"), undefined);
  assert.equal(inPath("loss_avg_50/d/adv"), undefined);
  assert.equal(inPath("val/d_loss"), undefined);
  assert.equal(keyMeaning("GAN_loss/discrim/loss"), undefined, "keyMeaning reads the key whole");
  assert.equal(keyMeaning("Epoch")?.role.kind, "epoch");
  assert.equal(keyMeaning("iteration")?.role.kind, "step");
  assert.equal(keyMeaning("iters")?.role.kind, "counter");
});

test("a line's pairs: wrapped values, percentages, totals, lists, thousands, names then values", () => {
  const pairs = (line: string) => linePairs(line).pairs.map((p) => [p.key, p.value, p.total, p.percent]);
  assert.deepEqual(pairs("[Epoch 3/200] [D loss: 0.4120] [G loss: nan]"), [
    ["Epoch", 3, 200, false],
    ["D loss", 0.412, undefined, false],
    ["G loss", Number.NaN, undefined, false],
  ]);
  assert.deepEqual(pairs("{'d_loss': tensor(0.41, grad_fn=<AddBackward0>), 'acc': 54.5%}"), [
    ["d_loss", 0.41, undefined, false],
    ["acc", 54.5, undefined, true],
  ]);
  assert.deepEqual(pairs("d_loss: <tf.Tensor: shape=(), dtype=float32, numpy=0.6925>").slice(0, 1), [
    ["d_loss", 0.6925, undefined, false],
  ]);
  assert.deepEqual(pairs("iter:  20,100, lr: 1e-4"), [
    ["iter", 20100, undefined, false],
    ["lr", 1e-4, undefined, false],
  ]);
  const list = linePairs("D-Loss=[0.94, 0.51] DG-Loss=0.5").pairs[0];
  assert.deepEqual([list.key, list.parts, Math.round(list.value * 100)], ["D-Loss", 2, 145]);
  assert.deepEqual(
    linePairs("D: 0.1, 0.2, 0.3 | G: 0.4, 0.5, 0.6 |").pairs.map((p) => p.list),
    [
      [0.1, 0.2, 0.3],
      [0.4, 0.5, 0.6],
    ],
  );
  assert.deepEqual(
    pairs("Batch 1/2 generator loss | discriminator loss : 3.75 | 0.99 - took 2.1 s").slice(0, 3),
    [
      ["generator loss", 3.75, undefined, false],
      ["discriminator loss", 0.99, undefined, false],
      ["Batch", 1, 2, false],
    ],
  );
  // `44ms` is no key `ms`; `0.39...` ends a number; `1.2.3` is no number.
  assert.deepEqual(pairs("938/938 - 41s 44ms/step - d_loss: 0.39... v1.2.3"), [
    ["d_loss", 0.39, undefined, false],
  ]);
});

test("the step: explicit, epoch × batches + batch, a per-epoch counter learned at its first turn, line order", () => {
  const clock = new StepClock();
  assert.deepEqual(clock.resolve({ epoch: 2, batch: 5, batchTotal: 100 }), {
    step: 205,
    epoch: 2,
    source: "epoch-batch",
  });
  const perEpoch = new StepClock();
  const steps = [
    [1, 100],
    [1, 200],
    [2, 100],
    [2, 200],
    [5, 100], // epochs 3 and 4 elided: they keep their room
  ].map(([epoch, counter]) => perEpoch.resolve({ epoch, counter }).step);
  assert.deepEqual(steps, [100, 200, 400, 500, 1300]);
  const global = new StepClock();
  assert.deepEqual(
    [global.resolve({ epoch: 1, step: 900 }).step, global.resolve({ epoch: 2, step: 1800 }).step],
    [900, 1800],
  );
  const lines = new StepClock();
  const both = ["loss_disc", "loss_gen"];
  assert.deepEqual(
    [0, 1, 2].map(() => lines.resolve({}, both).step),
    [0, 1, 2],
  );
  // One record over two lines (D, then G): one step; the next D starts the next.
  const wrapped = new StepClock();
  const tags = [["loss_disc"], ["loss_gen"], ["loss_disc"], ["loss_gen"]];
  assert.deepEqual(
    tags.map((t) => wrapped.resolve({}, t).step),
    [0, 0, 1, 1],
  );
  const summaries = new StepClock();
  assert.deepEqual(
    [3, 4].map((epoch) => summaries.resolve({ epoch }).step),
    [3, 4],
  );
  const several = new StepClock();
  assert.deepEqual(
    [1, 1, 1, 2].map((epoch) => several.resolve({ epoch }).step),
    [1, 2, 3, 4],
  );
});

test("held-out-2's shapes: a one-element tensor's bracketed value, slash-path keys kept whole and nameable", () => {
  const pairs = (line: string) => linePairs(line).pairs.map((p) => [p.key, p.value]);
  // ESPnet's GAN trainer prints its stats dict with one-element tensors.
  assert.deepEqual(
    pairs("INFO: {'discriminator_loss': tensor([427.9323], device='cuda:0'), 'x': tensor([0.5])}").slice(
      0,
      1,
    ),
    [["discriminator_loss", 427.9323]],
  );
  assert.deepEqual(pairs('{"GAN_loss/discrim/loss": 0.656, "GAN_loss/gen/loss": 0.975}'), [
    ["GAN_loss/discrim/loss", 0.656],
    ["GAN_loss/gen/loss", 0.975],
  ]);
  // A user's --d-tag / --g-tag may name a slash-path key by its last part, as before paths were kept whole.
  const parser = new ConsoleLogParser("x.log", { d: "dis_out", g: "gen_out" });
  const out = parser.push(
    utf8("step 1 a/dis_out: 0.5 a/gen_out: 0.7\nstep 2 a/dis_out: 0.4 a/gen_out: 0.8\n"),
  );
  assert.deepEqual(
    ["loss_disc", "loss_gen"].map((tag) => out.points.filter((p) => p.tag === tag).map((p) => p.value)),
    [
      [0.5, 0.4],
      [0.7, 0.8],
    ],
  );
});

test("a step printed on its own line serves the loss lines under it once; an elision starts a new segment", () => {
  const parser = new ConsoleLogParser("x.log");
  const text = [
    "t = 246 / 4200",
    "  [D] D_total_loss: 1.386",
    "  [G] G_discriminator_loss: 0.693",
    "...",
    "t = 800 / 4200",
    "  [D] D_total_loss: 1.2",
    "  [D] D_total_loss: 1.1", // no position again: the carried step is stale, line order takes over
    "",
  ].join("\n");
  const out = parser.push(utf8(text));
  const d = out.points.filter((p) => p.tag === "loss_disc");
  assert.deepEqual(
    d.map((p) => [p.step, p.segment]),
    [
      [246, 0],
      [800, 1],
      [801, 1],
    ],
  );
  assert.deepEqual(
    out.points.filter((p) => p.tag === "loss_gen").map((p) => p.step),
    [246],
  );
});

test("a line filled from its template's recipe reads as the patterns read it, on every line of the corpus", () => {
  let lines = 0;
  for (const f of corpusFiles()) {
    if (!existsSync(f.path) || statSync(f.path).isDirectory()) continue;
    for (const line of readFileSync(f.path, "utf8").split(/\r\n|\r|\n/)) {
      assert.deepEqual(linePairs(line), linePairsUncached(line), `${f.file}: ${line}`);
      lines++;
    }
  }
  assert.ok(lines > 50_000, `${lines} lines`);
  // The one rule that reads numbers, not their places: `20,100` is one counter, `5,7` two numbers.
  for (const line of ["iter: 5,7 d_loss: 1", "iter: 20,100 d_loss: 1", "iter: 5,7 d_loss: 1"])
    assert.deepEqual(linePairs(line), linePairsUncached(line), line);
});

test("a gradient penalty says Wasserstein only beside a negative loss; a critic says it alone", () => {
  const family = (text: string) => {
    const parser = new ConsoleLogParser("x.log");
    parser.push(utf8(text));
    parser.end(true);
    return parser.meta().lossFamily;
  };
  // lightweight-gan: hinge losses with a GP term (issue 23 of its repository), all positive.
  assert.equal(family("1: G: 1.37 | D: 1.80 | GP: 0.97\n2: G: 1.30 | D: 1.75 | GP: 0.90\n"), undefined);
  // WGAN-GP: the critic's loss goes negative.
  assert.equal(
    family("step 1 d_loss: -3.2 g_loss: 1.1 gp: 0.4\nstep 2 d_loss: -2.9 g_loss: 1.3 gp: 0.3\n"),
    "wasserstein",
  );
  assert.equal(family("step 1 critic_loss: 0.5 gen_loss: 0.2\n"), "wasserstein");
});

test("held-out-3's shapes: a `loss` word adds nothing to a player's loss name; a value in brackets after its key", async () => {
  const tag = (key: string) => {
    const m = keyMeaning(key);
    return m?.role.kind === "tag" ? m.role.tag : undefined;
  };
  assert.equal(tag("G GAN Loss"), "loss_gen");
  assert.equal(tag("loss_G_adv"), "loss_gen");
  assert.equal(tag("G total loss"), "loss_gen_total", "G's total stays G's total");
  assert.equal(tag("GAN loss"), undefined, "one word left does not say whose loss it is");
  assert.equal(tag("acc loss"), undefined, "only a loss's name is read without `loss`");
  // neural-colorization: `[D loss: 50.000000] [G total loss: 16.745750] [G GAN Loss: 0.000000]`.
  const colorization = await seriesOf(
    "held-out-3/neural-colorization-issue13-bracket-d-loss-g-total-g-gan-stuck.log",
  );
  assert.deepEqual(
    colorization.get("loss_gen")?.map(([, v]) => v),
    Array(8).fill(0),
  );
  assert.deepEqual(colorization.get("loss_gen_total")?.[0], [3, 16.74575]);

  const pairs = (line: string) => linePairs(line).pairs.map((p) => [p.key, p.value]);
  // TUNIT: `D[0.00] G[0.00] C[2.61]`, each value in brackets right after its key.
  const tunit = await seriesOf("held-out-3/tunit-issue4-avg-loss-d-bracket-value-backtick.log");
  assert.deepEqual(
    ["loss_disc", "loss_gen", "C"].map((t) => tunit.get(t)),
    [[[10500, 0]], [[10500, 0]], [[10500, 2.61]]],
    "epoch 10 × 1000 batches + batch 500",
  );
  // Not an index, not tqdm's time bracket, not a wrapper's parenthesis.
  assert.deepEqual(pairs("losses[3]: 0.5"), []);
  assert.deepEqual(pairs("Epoch 0:  0%|  | xx/xx[00:15<10,  7.53s/it, loss=75.8]"), [
    ["Epoch", 0],
    ["loss", 75.8],
  ]);
  assert.deepEqual(pairs("`tensor([0.41])`"), []);
});

test("held-out-3's shapes: `disc` and `gen` are D and G when both are on the line; a position is a count", async () => {
  // x-vits: `I have a problem：”b=3.985, disc=nan, gen=nan, fm=nan,“.` with `epoch=170` before it.
  const xvits = await seriesOf("held-out-3/x-vits-issue5-disc-gen-nan-in-sentence-fullwidth-quotes.log");
  assert.deepEqual(xvits.get("loss_disc"), [[170, Number.NaN]]);
  assert.deepEqual(xvits.get("loss_gen"), [[170, Number.NaN]]);
  assert.deepEqual(xvits.get("b"), [[170, 3.985]], "`b=3.985` is no batch index: kept as its own series");
  // A junyanz loss_log whose D and G are `disc:` and `gen:` (held-out-2).
  const polar = await seriesOf("held-out-2/PolarJE_conditional-style-transfer__JE_cartoonize-loss_log.txt");
  assert.deepEqual(
    [polar.get("loss_disc")?.[0], polar.get("loss_gen")?.[0], polar.get("loss_disc")?.length],
    [[500, 0.743], [500, 1.621], 1196],
  );
  // Alone, `gen` is not G's loss: Paddle's DCGAN prints the generated samples as `gen=[...]`.
  const read = (text: string, names = {}) => {
    const parser = new ConsoleLogParser("x.log", names);
    return [...parser.push(utf8(text)).points, ...parser.end(true).points].map((p) => [p.tag, p.value]);
  };
  assert.deepEqual(read(" gen=[-0.00035, -0.0779]\n gen=[0.5, 0.6]\n"), []);
  assert.deepEqual(read("step 1 disc: 0.5\n"), []);
  // A user who names the players' keys means the table's guesses are not them.
  assert.deepEqual(read("step 1 disc: 0.5 gen: 0.7 d_out: 0.2\n", { d: "d_out" }), [
    ["disc", 0.5],
    ["gen", 0.7],
    ["loss_disc", 0.2],
  ]);
});

test("held-out-3's shapes: a record printed one `key: value` per line is read as the one line it stands for", async () => {
  // pix2pixHD's console line, reformatted one key per line: D is D_real + D_fake, at the record's step.
  // (G_GAN: 1.442, written 1442e-3: the linter takes 1.442 for a rounded log2(e).)
  const hd = await seriesOf("held-out-3/pix2pixhd-issue332-one-key-per-line-reformatted.log");
  assert.deepEqual(
    ["loss_disc", "loss_gen", "loss_disc_real", "G_GAN_Feat"].map((t) => hd.get(t)),
    [[[3200, 1.121 + 1.027]], [[3200, 1442e-3]], [[3200, 1.121]], [[3200, 9.491]]],
  );
  // Chainer's LogReport, pretty-printed: `"loss_gen"` comes before the record's `"iteration"`, which
  // line by line put D and G at different steps; as records, both are at each record's iteration.
  const chainer = await seriesOf("committed/nat-chan_my-chainer-gan__result_dcgan64-log");
  const steps = (t: string) => chainer.get(t)?.map(([step]) => step);
  assert.deepEqual(steps("loss_disc"), steps("loss_gen"));
  assert.deepEqual(steps("loss_disc")?.slice(0, 3), [100, 200, 300]);
  // A key met again starts the next record; a line of another kind, or a blank line, ends one.
  const parser = new ConsoleLogParser("x.log");
  const text = [
    "iter: 1",
    "D_real: 0.5",
    "D_fake: 0.25",
    "G_GAN: 0.75",
    "iter: 2",
    "D_real: 0.5",
    "D_fake: 0.5",
    "",
  ];
  const points = [...parser.push(utf8(text.join("\n"))).points, ...parser.end(false).points];
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_disc").map((p) => [p.step, p.value]),
    [
      [1, 0.75],
      [2, 1],
    ],
  );
  // Each record's last point ends its step, the record at the end of the text too.
  assert.deepEqual(
    points.filter((p) => p.stepEnd).map((p) => p.step),
    [1, 2],
  );
});
