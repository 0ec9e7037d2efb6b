/**
 * What `analyze` says of the images and audio a run logs: `--series` lists each image / audio tag with
 * its count and steps (in English and Chinese), both JSON shapes carry a `samples` section of tags,
 * kinds, counts and steps, never bytes or file places, and `--html` embeds the samples nearest each
 * candidate epoch within the limits it states.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { diagnose } from "../src/cli/analyze-report.ts";
import { newBudget, reportSamples } from "../src/cli/report-samples.ts";
import { encodeEvent } from "../src/events/event-encoder.ts";
import { renderHtmlReport } from "../src/report/html.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { readSamplePayload } from "../src/sources/sample-payload.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import { runCli } from "./helpers/cli.ts";
import { png } from "./helpers/media.ts";
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

/** The data URIs of a page's <img> / <audio>, decoded, in page order. */
function embedded(page: string, kind: "img" | "audio"): Buffer[] {
  return [...page.matchAll(new RegExp(`<${kind} [^>]*src="data:[a-z/]+;base64,([A-Za-z0-9+/=]+)"`, "g"))].map(
    (m) => Buffer.from(m[1], "base64"),
  );
}

test("--html embeds, for each candidate epoch, the images and clips logged nearest it, and states its limits", async () => {
  const html = join(root, "voice.html");
  const r = await runCli(["analyze", voice, "--html", html]);
  assert.equal(r.code, 0, r.stderr);
  const page = readFileSync(html, "utf8");
  assert.match(page, /<h3>What the candidates look and sound like<\/h3>/);
  assert.match(page, /Clips up to 512 KiB are embedded and play here; larger ones, and anything past 16 MiB/);
  // The candidates (see voice-run.ts): 7100 (lowest loss_gen_total), 7300 (lowest loss_mel), 10000 (latest).
  const headings = [...page.matchAll(/<h4>([^<]*)<\/h4>/g)].map((m) => m[1]);
  assert.deepEqual(headings, [
    "step 7100: lowest smoothed loss_gen_total (23.2)",
    "step 7300: lowest smoothed loss_mel (18.2)",
    "step 10000: the latest model",
  ]);
  // Samples every 1000 steps: 7000 is nearest both 7100 and 7300, shown once; then 10000's.
  assert.match(page, /slice\/mel_gen, step 7000 \(the nearest to 7100\)/);
  assert.match(page, /slice\/mel_gen, step 7000: the same sample as shown above for step 7100\./);
  const { runs } = await readRuns(voice);
  const at = async (tag: string, step: number) => {
    const entry = runs[0].samples.find((t) => t.tag === tag)!.entries.find((e) => e.step === step)!;
    const read = await readSamplePayload(entry);
    assert.ok(read.ok);
    return Buffer.from(read.bytes);
  };
  assert.deepEqual(embedded(page, "img"), [
    await at("slice/mel_gen", 7000),
    await at("slice/mel_org", 7000),
    await at("slice/mel_gen", 10000),
    await at("slice/mel_org", 10000),
  ]);
  assert.deepEqual(embedded(page, "audio"), [
    await at("gen/audio", 7000),
    await at("gt/audio", 7000),
    await at("gen/audio", 10000),
    await at("gt/audio", 10000),
  ]);
  assert.ok(
    /<img src="data:image\/png;base64,[^"]+" alt="slice\/mel_gen @ 7000" width="160" height="80">/.test(page),
  );

  const zhFile = join(root, "voice.zh.html");
  const zh = await runCli(["--lang", "zh", "analyze", voice, "--html", zhFile]);
  assert.equal(zh.code, 0, zh.stderr);
  const zhPage = readFileSync(zhFile, "utf8");
  assert.match(zhPage, /<h3>候选轮次的图像与声音<\/h3>/);
  assert.match(zhPage, /不超过 512 KiB 的音频直接嵌入/);
  assert.match(zhPage, /slice\/mel_gen，第 7000 步（离第 7100 步最近）/);
});

test("the report's limits: a clip over the per-clip limit and samples past the page's cap are named, not embedded", async () => {
  const read = await readRuns(voice);
  const [{ run, report }] = diagnose(read, { lang: "en" });
  // Clips here are 15.7 KiB and images about 2 KiB: a 10 KiB clip limit keeps every clip out, and a
  // 5 KiB page cap lets the first two images in and nothing after.
  const small = await reportSamples(run, report, newBudget(10 * 1024, 5 * 1024));
  const figures = small!.steps.flatMap((s) => s.figures);
  const embeddedTags = figures.filter((f) => f.bytes !== undefined).map((f) => `${f.tag}@${f.step}`);
  assert.deepEqual(embeddedTags, ["slice/mel_gen@7000", "slice/mel_org@7000"]);
  assert.ok(
    figures.filter((f) => f.kind === "audio" && f.omitted !== "same").every((f) => f.omitted === "too-big"),
  );
  assert.deepEqual(
    figures.filter((f) => f.kind === "image" && f.step === 10000).map((f) => f.omitted),
    ["over-total", "over-total"],
  );
  const page = renderHtmlReport([{ id: run.id, format: run.format, report, samples: small! }], "en");
  assert.match(
    page,
    /gen\/audio, step 7000: 16 KiB, over the 10 KiB embedded per clip; open it in the dashboard/,
  );
  assert.match(page, /slice\/mel_gen, step 10000: not embedded, the page(&#39;|')s size cap is reached/);
});

test("a run whose monitor names no candidates: the report shows its latest logged step's samples", async () => {
  const dir = join(root, "plain");
  mkdirSync(dir);
  const events = [{ wallTime: 1, fileVersion: "brain.Event:2" }];
  const file = [frameRecord(encodeEvent(events[0]))];
  for (let step = 0; step <= 300; step += 10) {
    file.push(
      frameRecord(
        encodeEvent({
          wallTime: 2 + step,
          step,
          scalars: [
            { tag: "loss_disc", value: 1.38 },
            { tag: "loss_gen", value: 0.7 },
          ],
          ...(step % 100 === 0
            ? {
                samples: [
                  { form: "image" as const, tag: "fake", png: png(8, 8, () => step), width: 8, height: 8 },
                ],
              }
            : {}),
        }),
      ),
    );
  }
  writeFileSync(join(dir, "events.out.tfevents.1.plain.0"), Buffer.concat(file));
  const html = join(root, "plain.html");
  const r = await runCli(["analyze", dir, "--html", html]);
  assert.equal(r.code, 0, r.stderr);
  const page = readFileSync(html, "utf8");
  assert.match(
    page,
    /<h4>The latest logged step \(the monitor names no candidate epochs for this run\): 300<\/h4>/,
  );
  assert.deepEqual(embedded(page, "img"), [Buffer.from(png(8, 8, () => 300))]);
});
