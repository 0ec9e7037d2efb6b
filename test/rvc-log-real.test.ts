import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RvcLogParser } from "../src/sources/rvc-log.ts";
import type { ReadProblem, ScalarPoint } from "../src/types.ts";

/**
 * Facts read off the real logs in test/fixtures/real-logs (sources on their first line or in
 * vits-family/SOURCES.md), checked against what the parser makes of them.
 */

function read(name: string) {
  const parser = new RvcLogParser(name);
  const bytes = readFileSync(new URL(`./fixtures/real-logs/${name}`, import.meta.url));
  const first = parser.push(bytes);
  const last = parser.end(true);
  const points: ScalarPoint[] = [...first.points, ...last.points];
  const problems: ReadProblem[] = [...first.problems, ...last.problems];
  const tag = (t: string) => points.filter((p) => p.tag === t);
  return { points, problems, meta: parser.meta(), tag };
}

const mean = (ps: ScalarPoint[]) => ps.reduce((s, p) => s + p.value, 0) / ps.length;

test("Gabrysiewicz: the complete 20-epoch RVC console run", () => {
  const { points, problems, meta, tag } = read("Gabrysiewicz-S8P_RVC-README-full20epochs.log");
  assert.deepEqual(problems, []);
  const disc = tag("loss_disc");
  assert.equal(disc.length, 14);
  assert.equal(points.length, 14 * 6); // five losses and the lr of each [global_step, lr]
  assert.deepEqual(
    disc.map((p) => p.step),
    Array.from({ length: 14 }, (_, i) => i * 200),
  );
  // 136 steps per epoch: step 200 is in epoch 2, 600 in epoch 5; epochs 4, 7, ... have no loss line.
  assert.deepEqual(
    disc.map((p) => p.epoch),
    [1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20],
  );
  const first = points.filter((p) => p.step === 0);
  assert.deepEqual(
    first.map((p) => [p.tag, p.value, p.lowerBound ?? false]),
    [
      ["lr", 0.0001, false],
      ["loss_disc", 4.107, false],
      ["loss_gen", 4.434, false],
      ["loss_fm", 10.796, false],
      ["loss_mel", 26.703, false],
      ["loss_kl", 9, true],
    ],
  );
  assert.equal(points.filter((p) => p.lowerBound).length, 1);
  assert.equal(tag("lr").at(-1)!.value, 9.976276699833672e-5);
  assert.equal(disc.at(-1)!.value, 4.007);
  assert.ok(points.every((p) => p.segment === 0 && p.wallTime === undefined));
  assert.deepEqual(meta.checkpoints, [
    { epoch: 5, step: 680, file: "G_680.pth" },
    { epoch: 10, step: 1360, file: "G_1360.pth" },
    { epoch: 15, step: 2040, file: "G_2040.pth" },
    { epoch: 20, step: 2720, file: "G_2720.pth" },
  ]);
  assert.equal(meta.lossFamily, "lsgan");
  assert.equal(meta.discriminators, undefined); // v1 or v2 is not in the text
  assert.ok(meta.notes!.includes("Training is done. The program is closed."));
});

test("RVC-WebUI#507: console paste with loss_kl clamped at 9, cut mid-line at the end", () => {
  const { problems, tag, meta } = read("RVC-WebUI-issue507.log");
  assert.deepEqual(problems, []);
  const kl = tag("loss_kl");
  assert.deepEqual(
    kl.map((p) => [p.step, p.epoch, p.value, p.lowerBound ?? false]),
    [
      [200, 2, 1.27, false],
      [400, 3, 9, true],
      [600, 4, 9, true],
    ],
  );
  assert.deepEqual(
    tag("loss_gen").map((p) => p.value),
    [3.076, 4.051, 4.726],
  );
  assert.ok(meta.notes!.some((n) => n.includes("loss_kl at RVC's clamp 9 in 2 line(s)")));
});

test("fumiama#135: loss_disc, loss_gen and loss_fm turn NaN while mel stays finite", () => {
  const { points, problems, tag } = read("fumiama-RVC-WebUI-issue135.log");
  assert.deepEqual(problems, []); // the ", loss_mel=" with a space parses like upstream's ",loss_mel="
  assert.equal(points.length, 10);
  assert.equal(points.filter((p) => Number.isNaN(p.value)).length, 3);
  const second = points.filter((p) => p.step === 1);
  assert.deepEqual(
    second.map((p) => p.tag),
    ["loss_disc", "loss_gen", "loss_fm", "loss_mel", "loss_kl"],
  );
  assert.ok(Number.isNaN(second[0].value) && Number.isNaN(second[1].value) && Number.isNaN(second[2].value));
  assert.equal(tag("loss_mel")[1].value, 23.44);
  assert.deepEqual(
    tag("loss_kl").map((p) => p.lowerBound),
    [true, true],
  );
});

test("RVC-WebUI#2735: per-batch loss lines without [global_step, lr] are counted 0..12 in epoch 2", () => {
  const { tag, meta, problems } = read("RVC-WebUI-issue2735.log");
  assert.deepEqual(problems, []);
  const disc = tag("loss_disc");
  assert.deepEqual(
    disc.map((p) => p.step),
    Array.from({ length: 13 }, (_, i) => i),
  );
  assert.ok(disc.every((p) => p.epoch === 2)); // they follow "====> Epoch: 1"
  assert.equal(Math.max(...disc.map((p) => p.value)), 4.803);
  assert.equal(tag("loss_kl").at(-1)!.value, 1.2);
  assert.ok(meta.notes!.some((n) => n.startsWith("13 loss line(s) had no [global_step, lr]")));
});

test("the single-line pastes: RVC-WebUI#1464, RVC#11 (epoch 478) and Mangio#12", () => {
  const bare = read("RVC-WebUI-issue1464.log");
  assert.deepEqual(
    bare.points.map((p) => [p.tag, p.value, p.step, p.epoch]),
    [
      ["loss_disc", 2.583, 0, undefined],
      ["loss_gen", 3.318, 0, undefined],
      ["loss_fm", 13.223, 0, undefined],
      ["loss_mel", 24.893, 0, undefined],
      ["loss_kl", 1.822, 0, undefined],
    ],
  );
  const late = read("RVC-Project-RVC-issue11.log");
  assert.deepEqual(late.points.map((p) => [p.tag, p.step, p.epoch]).slice(0, 2), [
    ["lr", 110200, 478],
    ["loss_disc", 110200, 478],
  ]);
  assert.equal(late.tag("lr")[0].value, 9.421142503636453e-5);
  const mangio = read("Mangio-RVC-Fork-issue12.log");
  assert.deepEqual(
    mangio.points.map((p) => [p.tag, p.value, p.step, p.epoch]),
    [
      ["lr", 9.995000937421877e-5, 200, 5],
      ["loss_disc", 3.761, 200, 5],
      ["loss_gen", 3.288, 200, 5],
      ["loss_fm", 8.147, 200, 5],
      ["loss_mel", 21.058, 200, 5],
      ["loss_kl", 1.65, 200, 5],
    ],
  );
});

test("Applio PR#431: per-epoch records, lowest_value, the overtraining counter and best-epoch saves", () => {
  const { points, problems, meta } = read("Applio-pr431.log");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points.map((p) => [p.tag, p.value, p.step, p.epoch]),
    [
      ["lowest_value", 27.87265396118164, 80, 2],
      ["overtraining_epochs_left", 10, 80, 2],
      ["lowest_value", 25.2319278717041, 120, 3],
      ["overtraining_epochs_left", 10, 120, 3],
    ],
  );
  assert.deepEqual(meta.checkpoints, [
    { epoch: 1, step: 40, file: "Prueba1_1e_40s_best_epoch.pth" },
    { epoch: 2, step: 80, file: "Prueba1_2e_80s_best_epoch.pth" },
    { epoch: 3, step: 120, file: "Prueba1_3e_120s_best_epoch.pth" },
  ]);
  assert.ok(
    meta.notes!.includes(
      "Applio: lowest generator loss (loss_gen_all) 25.2319278717041 at epoch 3, step 116",
    ),
  );
});

test("wsywsy979 so-vits-svc train.log: 245 rows over 48,800 steps, the trend SOURCES.md reports", () => {
  const { points, problems, meta, tag } = read("vits-family/wsywsy979_SVC__32k_train.log");
  assert.deepEqual(problems, []);
  const disc = tag("loss_disc");
  assert.equal(disc.length, 245);
  assert.equal(points.length, 245 * 6);
  assert.equal(disc[0].step, 0);
  assert.equal(disc.at(-1)!.step, 48800);
  assert.equal(disc.at(-1)!.epoch, 3051);
  assert.deepEqual(
    points.filter((p) => p.step === 0).map((p) => [p.tag, p.sourceTag, p.value]),
    [
      ["lr", "lr", 0.0001],
      ["loss_disc", "losses[0]", 2.243164300918579],
      ["loss_gen", "losses[1]", 2.672638416290283],
      ["loss_fm", "losses[2]", 13.907665252685547],
      ["loss_mel", "losses[3]", 41.03352355957031],
      ["loss_kl", "losses[4]", 13.584056854248047],
    ],
  );
  // train.log's asctime "2023-03-26 21:08:35,153", read as UTC.
  assert.equal(disc[0].wallTime, Date.UTC(2023, 2, 26, 21, 8, 35) / 1000 + 0.153);
  assert.equal(disc[1].epoch, 13); // "Train Epoch: 13 [50%]" before step 200
  assert.ok(points.every((p) => p.segment === 0 && !p.lowerBound)); // so-vits-svc does not clamp
  // First vs last quarter (61 rows each): disc 2.23 -> 1.94, gen 2.57 -> 3.06, mel 18.5 -> 14.7.
  const q = 61;
  const trend = (t: string) => [mean(tag(t).slice(0, q)), mean(tag(t).slice(-q))].map((v) => v.toFixed(2));
  assert.deepEqual(trend("loss_disc"), ["2.23", "1.94"]);
  assert.deepEqual(trend("loss_gen"), ["2.57", "3.06"]);
  assert.deepEqual(trend("loss_mel"), ["18.54", "14.69"]);
  assert.equal(meta.discriminators, 6);
  assert.equal(meta.checkpoints!.length, 49);
  assert.deepEqual(meta.checkpoints![0], { epoch: 1, step: 0, file: "G_0.pth" });
  assert.deepEqual(meta.checkpoints!.at(-1), { epoch: 3001, step: 48000, file: "G_48000.pth" });
});

test("SKwths so-vits-svc train.log: four resumes make five segments, two of them at a repeated step", () => {
  const { problems, meta, tag } = read("vits-family/SKwths_so-vits-svc-dodo__32k_train.log");
  assert.deepEqual(problems, []);
  const disc = tag("loss_disc");
  assert.equal(disc.length, 107);
  assert.equal(disc[0].step, 0);
  assert.equal(disc.at(-1)!.step, 20000);
  const starts = disc.filter((p, i) => i === 0 || p.segment !== disc[i - 1].segment);
  assert.deepEqual(
    starts.map((p) => [p.segment, p.step, p.epoch]),
    [
      [0, 0, 1],
      [1, 6000, 121], // went back from 6200
      [2, 10000, 201], // restarted at the same step 10000
      [3, 11000, 221], // restarted at the same step 11000
      [4, 19000, 381], // went back from 19200
    ],
  );
  // Each resume saved its checkpoint again: 25 G_ saves, G_6000 twice.
  assert.equal(meta.checkpoints!.length, 25);
  assert.equal(meta.checkpoints!.filter((c) => c.file === "G_6000.pth").length, 2);
  assert.ok(meta.notes!.includes("the step counter went back or restarted 4 time(s): segments 0..4"));
});

test("AustingDong so-vits-svc train.log: log_interval 20, two rows per epoch", () => {
  const { problems, tag, meta } = read("vits-family/AustingDong_CatGPT__32k_train.log");
  assert.deepEqual(problems, []);
  const disc = tag("loss_disc");
  assert.equal(disc.length, 233);
  assert.deepEqual(
    disc.slice(0, 5).map((p) => [p.step, p.epoch]),
    [
      [0, 1],
      [20, 1],
      [40, 2],
      [60, 2],
      [80, 3],
    ],
  );
  assert.equal(disc.at(-1)!.step, 4640);
  assert.equal(disc[1].value, 2.326375961303711);
  assert.equal(meta.checkpoints!.length, 10);
});

test("Jiawch vits-vae: generator-only rows [mel, dur, kl, step, lr], three restarts at step 0", () => {
  const { points, problems, meta } = read("vits-family/Jiawch_vits-vae__ljs_base_train.log");
  assert.deepEqual(problems, []);
  assert.equal(points.length, 12);
  assert.deepEqual(
    points.filter((p) => p.tag !== "lr").map((p) => [p.tag, p.sourceTag, p.segment]),
    [
      ["loss_mel", "losses[0]", 0],
      ["loss_dur", "losses[1]", 0],
      ["loss_kl", "losses[2]", 0],
      ["loss_mel", "losses[0]", 1],
      ["loss_dur", "losses[1]", 1],
      ["loss_kl", "losses[2]", 1],
      ["loss_mel", "losses[0]", 2],
      ["loss_dur", "losses[1]", 2],
      ["loss_kl", "losses[2]", 2],
    ],
  );
  assert.ok(points.every((p) => p.step === 0 && p.epoch === 1));
  assert.equal(points.find((p) => p.segment === 1 && p.tag === "loss_mel")!.value, 6.712876319885254);
  assert.equal(meta.discriminators, undefined);
  assert.ok(meta.notes!.some((n) => n.includes("no discriminator loss")));
});

test("linslime MYTTS: an 8-number VITS row, NaN from the first step", () => {
  const { points, problems, meta } = read("vits-family/linslime_MYTTS__ljs_base_train.log");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points.map((p) => [p.tag, Number.isNaN(p.value) ? "NaN" : p.value]),
    [
      ["lr", 0.0002],
      ["loss_disc", "NaN"],
      ["loss_gen", "NaN"],
      ["loss_fm", "NaN"],
      ["loss_mel", "NaN"],
      ["loss_dur", 1.350276231765747],
      ["loss_kl", 134.32485961914062],
    ],
  );
  assert.equal(meta.discriminators, 6);
});

test("yh-hacker SVC-Nahida (Paddle port): Chinese epoch, loss and save lines", () => {
  const { points, problems, meta } = read("vits-family/yh-hacker_SVC-Nahida__44k_train.log");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points.map((p) => [p.tag, p.value, p.step, p.epoch]),
    [
      ["lr", 0.0001, 0, 1],
      ["loss_disc", 2.723755359649658, 0, 1],
      ["loss_gen", 2.7280983924865723, 0, 1],
      ["loss_fm", 7.272645950317383, 0, 1],
      ["loss_mel", 30.232248306274414, 0, 1],
      ["loss_kl", 3.609935998916626, 0, 1],
    ],
  );
  assert.deepEqual(meta.checkpoints, [{ epoch: 1, step: 0, file: "G_0.pdparams" }]);
  assert.equal(meta.discriminators, 6);
});
