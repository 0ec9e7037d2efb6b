import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../src/rng.ts";
import { unwrapLogLine } from "../src/sources/rvc/envelope.ts";
import { isRvcLogLine, RvcLogParser } from "../src/sources/rvc-log.ts";

/**
 * Line shapes the real fixtures do not contain, written as the trainers' format strings produce them
 * (RVC `main`'s translations, Applio 2023 and 2024, so-vits-svc 4.x; notes/rvc-logs.md).
 */

function parse(log: string) {
  const parser = new RvcLogParser("console.txt");
  const a = parser.push(new TextEncoder().encode(log));
  const b = parser.end(true);
  return {
    points: [...a.points, ...b.points],
    problems: [...a.problems, ...b.problems],
    meta: parser.meta(),
  };
}

const rows = (log: string) => parse(log).points.map((p) => [p.tag, p.value, p.step, p.epoch]);

test("translated epoch lines are matched by structure: start, end, and the epoch of the loss line", () => {
  for (const [start, end] of [
    ["训练轮次：7 [40%]", "====> 轮次：7 [2026-01-02 03:04:05] | (0:01:02.3)"],
    ["Training epoch: 7 [40%]", "====> Epoch: 7 [2026-01-02 03:04:05] | (0:01:02.3)"],
    ["训练回合：7 [40%]", "====> Época: 7 [2026-01-02 03:04:05] | (0:01:02.3)"],
    ["Train Epoch: 7 [40%]", "====> エポック: 7"],
    ["Эпоха обучения: 7 [40%]", "====> Эпоха: 7"],
  ]) {
    const log = `${start}\n[280, 0.0001]\nloss_disc=3.5, loss_gen=2.5\n${end}\nloss_disc=3.4, loss_gen=2.6\n`;
    assert.deepEqual(
      rows(log),
      [
        ["lr", 0.0001, 280, 7],
        ["loss_disc", 3.5, 280, 7],
        ["loss_gen", 2.5, 280, 7],
        // After the end of epoch 7 and before the next start, a line belongs to epoch 8.
        ["loss_disc", 3.4, 281, 8],
        ["loss_gen", 2.6, 281, 8],
      ],
      start,
    );
  }
});

test("train.log lines (tabs, or tabs turned into spaces by a paste) give wall times; levels do not matter", () => {
  const log = [
    "2023-06-11 08:52:05,250\tkobo\tINFO\tTrain Epoch: 2 [1%]",
    "2023-06-11 08:52:05,251\tkobo\tINFO\t[200, 9.99875e-05]",
    "2023-06-11 08:52:06,000  kobo  WARNING  loss_disc=3.859, loss_gen=3.076",
  ].join("\n");
  const { points } = parse(log);
  const t0 = Date.UTC(2023, 5, 11, 8, 52, 5) / 1000;
  assert.deepEqual(
    points.map((p) => [p.tag, p.step, p.epoch, p.wallTime]),
    [
      ["lr", 200, 2, t0 + 0.251],
      ["loss_disc", 200, 2, t0 + 1],
      ["loss_gen", 200, 2, t0 + 1],
    ],
  );
});

test("nan, inf and -inf are values; spaces around = and after commas are optional", () => {
  const { points, problems } = parse(
    "[0, 1e-4]\nloss_disc = nan,loss_gen=inf ,  loss_fm=-inf, loss_mel=75.000,loss_kl=NaN",
  );
  assert.deepEqual(problems, []);
  const byTag = Object.fromEntries(points.map((p) => [p.tag, p]));
  assert.ok(Number.isNaN(byTag.loss_disc.value));
  assert.equal(byTag.loss_gen.value, Number.POSITIVE_INFINITY);
  assert.equal(byTag.loss_fm.value, Number.NEGATIVE_INFINITY);
  assert.equal(byTag.loss_mel.lowerBound, true);
  assert.ok(Number.isNaN(byTag.loss_kl.value));
  assert.equal(byTag.loss_kl.lowerBound, undefined);
});

test("checkpoint lines: RVC's G_ file and ckpt label are one save, translated labels, the latest-only name", () => {
  const { meta } = parse(
    [
      "INFO:root:Saving model and optimizer state at epoch 5 to ./logs\\X\\G_680.pth",
      "INFO:root:Saving model and optimizer state at epoch 5 to ./logs\\X\\D_680.pth",
      "INFO:X:saving ckpt X_e5:Success.",
      "INFO:X:正在保存检查点 X_e10：Success.",
      "INFO:root:Saving model and optimizer state at epoch 15 to ./logs/X/G_2333333.pth",
      "INFO:X:Loaded checkpoint './logs/X/G_680.pth' (iteration 5)",
      "INFO:X:.. Free up space by deleting ckpt logs/X/G_680.pth",
    ].join("\n"),
  );
  assert.deepEqual(meta.checkpoints, [
    { epoch: 5, step: 680, file: "G_680.pth" },
    { epoch: 10 },
    { epoch: 15, file: "G_2333333.pth" },
  ]);
});

test("Applio 2023: the stop-on-fit epoch summary and its loss line share the epoch's step", () => {
  const log = [
    "====> Epoch: 7 Step: 280 Learning Rate: 9.9925e-05 [2023-10-21 12:00:00] | (0:00:27.1)",
    "loss_gen_all=30.125, loss_disc=3.250, loss_gen=2.875, loss_fm=8.000, loss_mel=18.000, loss_kl=9.000",
    "New best epoch!! [e7]",
    "Train Epoch: 8 [50%]",
    "[300, 9.99e-05]",
    "[loss_disc=3.100] | [loss_gen=2.900] | [loss_fm=7.500] | [loss_mel=17.000] | [loss_kl=1.000]",
    "Mode collapse detected, model quality may be hindered.",
  ].join("\n");
  const { points, meta, problems } = parse(log);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points.slice(0, 4).map((p) => [p.tag, p.sourceTag, p.value, p.step, p.epoch]),
    [
      ["lr", "Learning Rate", 9.9925e-5, 280, 7],
      ["loss_gen_total", "loss_gen_all", 30.125, 280, 7],
      ["loss_disc", "loss_disc", 3.25, 280, 7],
      ["loss_gen", "loss_gen", 2.875, 280, 7],
    ],
  );
  assert.deepEqual(
    points.filter((p) => p.step === 300).map((p) => [p.tag, p.value, p.epoch]),
    [
      ["lr", 9.99e-5, 8],
      ["loss_disc", 3.1, 8],
      ["loss_gen", 2.9, 8],
      ["loss_fm", 7.5, 8],
      ["loss_mel", 17, 8],
      ["loss_kl", 1, 8],
    ],
  );
  assert.ok(meta.notes!.includes("Applio: New best epoch!! [e7]"));
  assert.ok(meta.notes!.includes('Applio: "Mode collapse detected" 1 time(s)'));
});

test("Applio 2024-08 detector record: both remaining-epoch counters and the smoothed losses", () => {
  const log =
    "logs/m | epoch=12 | step=480 | time=10:00:00 | training_speed=0:00:30 | lowest_value=25.5 (epoch 9 and step 350)" +
    " | Number of epochs remaining for overtraining: g/total: 40 d/total: 90 | smoothed_loss_gen=26.25 | smoothed_loss_disc=3.5";
  assert.deepEqual(rows(log), [
    ["lowest_value", 25.5, 480, 12],
    ["overtraining_epochs_left_g", 40, 480, 12],
    ["overtraining_epochs_left_d", 90, 480, 12],
    ["smoothed_loss_gen", 26.25, 480, 12],
    ["smoothed_loss_disc", 3.5, 480, 12],
  ]);
});

test("so-vits-svc 4.x labelled rows and unknown row lengths", () => {
  const { points, meta } = parse(
    [
      "Losses: [2.5, 2.25, 8.5, 18.0, 1.5], step: 400, lr: 9.99e-05, reference_loss: 32.75",
      "[1.0, 2.0, 3.0, 4.0, 600, 0.0001]",
    ].join("\n"),
  );
  assert.deepEqual(
    points.map((p) => [p.tag, p.sourceTag, p.value, p.step]),
    [
      ["lr", "lr", 9.99e-5, 400],
      ["loss_disc", "losses[0]", 2.5, 400],
      ["loss_gen", "losses[1]", 2.25, 400],
      ["loss_fm", "losses[2]", 8.5, 400],
      ["loss_mel", "losses[3]", 18, 400],
      ["loss_kl", "losses[4]", 1.5, 400],
      ["reference_loss", "reference_loss", 32.75, 400],
      ["lr", "lr", 0.0001, 600],
      ["losses[0]", "losses[0]", 1, 600],
      ["losses[1]", "losses[1]", 2, 600],
      ["losses[2]", "losses[2]", 3, 600],
      ["losses[3]", "losses[3]", 4, 600],
    ],
  );
  assert.equal(meta.discriminators, 6);
  assert.ok(meta.notes!.includes("1 rows of 4 unnamed losses, kept as losses[0..3]"));
});

test("other output is skipped without problems: config lists, word lists, warnings, progress bars", () => {
  const log = [
    "{'train': {'log_interval': 200, 'betas': [0.8, 0.99]}, 'model': {'upsample_rates': [8, 8, 2, 2]}}",
    "['speaker0', 'speaker1']",
    "WARNING:root:resblock_kernel_sizes: [3, 7, 11]",
    " 45%|████▌     | 61/136 [00:27<00:33,  2.24it/s]",
    "DEBUG:matplotlib:CONFIGDIR=C:\\Users\\x\\.matplotlib",
  ].join("\n");
  const { points, problems } = parse(log);
  assert.deepEqual(points, []);
  assert.deepEqual(problems, []);
});

test("isRvcLogLine recognises the family's lines and not other text", () => {
  for (const line of [
    "INFO:exp:loss_disc=4.107, loss_gen=4.434, loss_fm=10.796,loss_mel=26.703, loss_kl=9.000",
    "2023-03-26 21:08:35,153\t32k\tINFO\t[2.2, 2.6, 13.9, 41.0, 13.5, 0, 0.0001]",
    "INFO:exp:训练轮次：1 [0%]",
    "Prueba1 | epoch=2 | step=80 | time=12:47:14 | training_speed=0:00:22",
  ]) {
    assert.ok(isRvcLogLine(line), line);
  }
  for (const line of [
    "step,loss_disc,loss_gen",
    '{"step": 1}',
    "hello world",
    "[0/5][0/1583] Loss_D: 1.98",
  ]) {
    assert.ok(!isRvcLogLine(line), line);
  }
});

test("every line's time is its own: lines in one second, a new day at the same hour, 1 to 6 fraction digits", () => {
  const stamps = [
    ["2023-06-11 08:52:05", "250"],
    ["2023-06-11 08:52:05", "9"],
    ["2023-06-11 08:52:05", ""],
    ["2023-06-12 08:52:05", "000123"],
    ["2023-06-12 08:52:05", "12345"],
    ["2024-02-29 23:59:59", "1"],
    ["2024-03-01 00:00:00", "99"],
  ];
  const log = stamps.map(([time, fraction], i) => {
    const stamp = fraction === "" ? time : `${time},${fraction}`;
    return `${stamp}\tkobo\tINFO\t[${i}, 1e-4]`;
  });
  const { points } = parse(log.join("\n"));
  assert.deepEqual(
    points.map((p) => p.wallTime),
    stamps.map(([time, fraction]) => {
      const [date, clock] = time.split(" ");
      const [y, mo, d] = date.split("-").map(Number);
      const [h, mi, s] = clock.split(":").map(Number);
      return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + (fraction === "" ? 0 : Number(`0.${fraction}`));
    }),
  );
});

test("the train.log envelope read without patterns gives what the patterns give, for any line", () => {
  // The patterns alone, as the reader had them: the reference the quick path must agree with.
  const stamp = String.raw`(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:[,.](\d{1,6}))?`;
  const level = "DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL";
  const tabs = new RegExp(`^${stamp}\\t[^\\t]*\\t(?:${level})\\t(.*)$`);
  const spaces = new RegExp(`^${stamp}\\s+\\S+\\s+(?:${level})\\s+(.*)$`);
  const consoleLine = new RegExp(`^(?:${level}):[^:]*:(.*)$`);
  const reference = (text: string) => {
    const m = tabs.exec(text) ?? spaces.exec(text);
    if (m) {
      const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
      const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
      return { message: m[8].trim(), wallTime: Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + fraction };
    }
    const c = consoleLine.exec(text);
    return { message: (c ? c[1] : text).trim() };
  };
  const rng = new Rng(17);
  const pick = <T>(items: T[]) => items[rng.int(items.length)];
  for (let i = 0; i < 5000; i++) {
    const digits = (n: number) => Array.from({ length: n }, () => String(rng.int(10))).join("");
    const date = `${digits(4)}-${digits(2)}-${digits(2)}${pick([" ", " ", "T"])}${digits(2)}:${digits(2)}:${digits(2)}`;
    const fraction = pick(["", `,${digits(3)}`, `.${digits(1 + rng.int(8))}`, ",", ",12a"]);
    const sep = () => pick(["\t", "\t", "\t", " ", "  ", "\t\t"]);
    const name = pick(["exp", "32k", "", "a b", "x\u2028y"]);
    const lvl = pick(["INFO", "WARN", "WARNING", "ERROR", "DEBUG", "CRITICAL", "info", "INFOS", "NOTE"]);
    const message = pick([
      "loss_disc=3.1, loss_gen=2.2",
      "  [200, 1e-4] ",
      "",
      "a\u2029b",
      "x\ty",
      "Train Epoch: 1 [0%]",
    ]);
    let line = `${date}${fraction}${sep()}${name}${sep()}${lvl}${sep()}${message}`;
    if (rng.int(10) === 0) line = line.slice(0, rng.int(line.length));
    if (rng.int(20) === 0) line = `INFO:${name}:${message}`;
    assert.deepEqual(unwrapLogLine(line), reference(line), JSON.stringify(line));
  }
});
