import assert from "node:assert/strict";
import { test } from "node:test";
import { fmtNum, monitorEn } from "../src/i18n/monitor-en.ts";
import { monitorZh } from "../src/i18n/monitor-zh.ts";
import { monitorMessages, renderMessage } from "../src/monitor/messages.ts";
import { renderReportText } from "../src/monitor/render/render-text.ts";
import { MONITOR_THRESHOLDS } from "../src/monitor/thresholds.ts";
import { STATE_NAMES } from "../src/monitor/types.ts";
import { bceLevels, bceSteps, feed } from "./helpers/monitor-streams.ts";

test("the Chinese catalogue has every key of the English one, each a different sentence", () => {
  const walk = (en: Record<string, unknown>, zh: Record<string, unknown>, path: string) => {
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), path);
    for (const [k, v] of Object.entries(en)) {
      const z = zh[k];
      assert.equal(typeof z, typeof v, `${path}.${k}`);
      if (typeof v === "object" && v !== null)
        walk(v as Record<string, unknown>, z as Record<string, unknown>, `${path}.${k}`);
    }
  };
  walk(monitorEn, monitorZh, "monitor");
  for (const s of STATE_NAMES) assert.notEqual(monitorZh.state[s], monitorEn.state[s]);
  assert.equal(monitorMessages("zh"), monitorZh);
  const ref = {
    key: "fp16Nan",
    params: { tag: "loss_disc", step: 110200, finiteTags: "loss_mel", checkpoint: "G_110000.pth" },
  };
  assert.equal(
    renderMessage("advice", ref, "en"),
    "loss_disc became NaN at step 110200 while loss_mel stayed finite: turn off fp16 (fp16_run: false; Pascal cards such as the P40 or GTX 10xx have no proper fp16) and resume from the last checkpoint (G_110000.pth).",
  );
  assert.match(renderMessage("advice", ref, "zh"), /第 110200 步变为 NaN.*关闭 fp16.*G_110000\.pth/);
  // an unknown key (a report from a newer version) renders as itself instead of throwing
  assert.match(renderMessage("note", { key: "fromTheFuture", params: { a: 1 } }, "en"), /fromTheFuture/);
});

test("advice uses the run's own learning rate, written the way configs write it", () => {
  const en = renderMessage("advice", { key: "lowerLrD", params: { from: 1e-4, to: 5e-5 } }, "en");
  assert.equal(en, "D is too strong: lower lr_d from 1e-4 to 5e-5, or give G two steps per D step.");
  assert.match(renderMessage("advice", { key: "lowerLrD", params: {} }, "en"), /halve D's learning rate/);
});

test("the text report, in English and in Chinese", () => {
  const steps = bceSteps(120, { disc: 0.3, gen: 3, dReal: 0.9, dFake: 0.1 }).map((v) => ({
    ...v,
    lr_d: 2e-4,
    lr_g: 1e-4,
  }));
  const { report } = feed(steps, { lossFamily: "bce" });
  const en = renderReportText(report, "en");
  assert.match(en, /^Nashboard balance report/);
  assert.match(en, /Verdict: UNHEALTHY — discriminator dominant/);
  assert.match(en, /lower lr_d from 2e-4 to 1e-4/);
  // the rule's threshold as the table sets it (tunable), rendered the way numbers are: 0.5, 0.45
  const gapDominant = fmtNum(MONITOR_THRESHOLDS.gapDominant).replace(".", "\\.");
  assert.match(
    en,
    new RegExp(
      `steps 6–120: discriminator dominant \\(confidence 0\\.\\d+; D's lead \\(mean D\\(real\\) − D\\(fake\\)\\) 0\\.\\d+ ≥ ${gapDominant}`,
    ),
  );
  // the identifiers (d_gap, loss_disc.rel) are for --explain and the JSON, not the text report
  assert.doesNotMatch(en, /d_gap|\.rel\b|judged_steps|trend_z/);
  assert.match(en, /JS divergence ≥ 0\.\d+ nats/);
  assert.match(en, /not meant to both go to zero/);
  const zh = renderReportText(report, "zh");
  assert.match(zh, /^Nashboard 平衡报告/);
  assert.match(zh, /结论：不健康 —— 判别器占优/);
  assert.match(zh, /把 lr_d 从 2e-4 降到 1e-4/);
  assert.match(zh, /并不应该同时降到零/);
  assert.match(zh, /第 6–120 步：判别器占优（置信度 0\.\d+；判别器的领先/);
  assert.doesNotMatch(zh, /Verdict|What to do/);
});

test("the report is plain data: JSON keeps the schema's fields", () => {
  const { report } = feed(bceSteps(80, bceLevels(0.52, 0.48)), {
    lossFamily: "bce",
  });
  const back = JSON.parse(JSON.stringify(report));
  assert.equal(back.version, 1);
  assert.deepEqual(Object.keys(back.equilibrium), ["loss_disc", "loss_gen"]);
  for (const key of ["fromStep", "toStep", "state", "confidence", "evidence"])
    assert.ok(key in back.timeline[0], key);
  for (const key of ["health", "primary", "summary", "advice"]) assert.ok(key in back.verdict, key);
  assert.deepEqual(back.verdict, report.verdict);
  assert.deepEqual(back.timeline, report.timeline);
  assert.equal(back.lossFamily, "bce");
  assert.equal(back.discriminators, 1);
});

test("--explain names the rule of every timeline entry and every compared number with its threshold, in both languages", async () => {
  const { runCli } = await import("./helpers/cli.ts");
  const { fileURLToPath } = await import("node:url");
  const log = fileURLToPath(new URL("./fixtures/real-logs/fumiama-RVC-WebUI-issue135.log", import.meta.url));
  const en = await runCli(["analyze", log, "--explain"]);
  assert.equal(en.code, 0, en.stderr);
  assert.match(en.stdout, /How each judgement was made/);
  // the NaN line: the non_finite rule decided "diverged"
  assert.match(en.stdout, /diverged, rule non_finite: a loss, D output or gradient norm is NaN or infinite/);
  assert.match(en.stdout, /judged_steps = \d+ < 5 \(threshold\)/);
  const zh = await runCli(["--lang", "zh", "analyze", log, "--explain"]);
  assert.match(zh.stdout, /每个判断是如何做出的/);
  assert.match(zh.stdout, /规则 non_finite/);
  // the JSON carries the same rule ids
  const json = JSON.parse((await runCli(["analyze", log, "--json"])).stdout);
  assert.ok(json.runs[0].report.timeline.some((e: { rule: string }) => e.rule === "non_finite"));
});
