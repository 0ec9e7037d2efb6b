/**
 * What `analyze` says of the images and audio a run logs: `--series` lists each image / audio tag with
 * its count and steps (in English and Chinese), and both JSON shapes carry a `samples` section of tags,
 * kinds, counts and steps, never bytes or file places.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "./helpers/cli.ts";
import { writeVoiceRun } from "./helpers/voice-run.ts";

const HIFIGAN = fileURLToPath(
  new URL(
    "./fixtures/tfevents/joshbrew_hifart-gan__cp_hifigan_logs__events.out.tfevents.1738815705.joshtop.4435.0",
    import.meta.url,
  ),
);
const root = mkdtempSync(join(tmpdir(), "nashboard-analyze-samples-"));
after(() => rmSync(root, { recursive: true, force: true }));
const voice = join(root, "voice");
writeVoiceRun(voice, { steps: 10000, sampleEvery: 1000 });

test("--series lists the HiFi-GAN file's image and audio tags with their counts and steps", async () => {
  const r = await runCli(["analyze", "--series", HIFIGAN]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.ok(
    lines.includes("  20 image / audio tag(s), 40 sample(s) logged (bytes left in the event files):"),
  );
  const row = (tag: string) =>
    lines
      .find((l) => l.startsWith(`  ${tag} `))
      ?.trim()
      .split(/\s{2,}/);
  assert.deepEqual(row("generated/y_hat_spec_2"), ["generated/y_hat_spec_2", "image", "3", "0, 1000, 2000"]);
  assert.deepEqual(row("gt/y_0"), ["gt/y_0", "audio", "1", "0"]);

  const zh = await runCli(["--lang", "zh", "analyze", "--series", HIFIGAN]);
  assert.equal(zh.code, 0, zh.stderr);
  assert.match(zh.stdout, /记录了 20 个图像／音频标签，共 40 个样本/);
  assert.match(zh.stdout, /generated\/y_hat_1\s+音频\s+3\s+0, 1000, 2000/);
});

test("--series shortens a long list of steps and says how many it left out", async () => {
  const r = await runCli(["analyze", "--series", voice]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    / {2}slice\/mel_gen +image +11 +0, 1000, 2000, 3000, 4000, 5000, 6000, 10000 \(3 more before the last\)\n/,
  );
});

test("--series --json and the report's --json carry the samples: tags, kinds, counts, steps, no bytes", async () => {
  const series = await runCli(["analyze", "--series", "--json", HIFIGAN]);
  assert.equal(series.code, 0, series.stderr);
  const s = JSON.parse(series.stdout);
  assert.equal(s.schema, "nashboard.analyze.series/1");
  const samples = s.runs[0].samples;
  assert.equal(samples.length, 20);
  assert.deepEqual(samples[0], { tag: "generated/y_hat_0", kind: "audio", count: 3, steps: [0, 1000, 2000] });
  assert.deepEqual(samples.at(-1), { tag: "gt/y_spec_4", kind: "image", count: 1, steps: [0] });

  const report = await runCli(["analyze", "--json", voice]);
  assert.equal(report.code, 0, report.stderr);
  const j = JSON.parse(report.stdout);
  assert.equal(j.schema, "nashboard.analyze.report/1");
  const steps = Array.from({ length: 11 }, (_, i) => i * 1000);
  assert.deepEqual(j.runs[0].samples, [
    { tag: "gen/audio", kind: "audio", count: 11, steps },
    { tag: "gt/audio", kind: "audio", count: 11, steps },
    { tag: "slice/mel_gen", kind: "image", count: 11, steps },
    { tag: "slice/mel_org", kind: "image", count: 11, steps },
  ]);
  // Nothing of where the bytes are, nor the bytes: the JSON is as small with a gigabyte of images.
  assert.ok(!/offset|recordLength|base64/.test(report.stdout.slice(report.stdout.indexOf('"samples"'))));
});
