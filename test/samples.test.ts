/**
 * The images and audio an event file logs, read as an index (tag, kind, step, file, offset, length,
 * size or sample rate, content type) and their bytes read back on demand: on the real HiFi-GAN file
 * (20 clips, 20 spectrograms beside its scalars), on files written with the project's own encoder in
 * every form writers use (Summary.Value.image / .audio, TF2's "images" / "audio" string tensors), and on
 * a truncated and a CRC-damaged copy, which follow the scalars' rules: a cut record is reported and not
 * read, a record with a bad payload CRC is skipped and reported, the others are kept.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { encodeEvent, type SampleToEncode } from "../src/events/event-encoder.ts";
import { WireWriter } from "../src/events/wire-writer.ts";
import { Rng } from "../src/rng.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { readSamplePayload } from "../src/sources/sample-payload.ts";
import type { SampleEntry } from "../src/sources/samples.ts";
import { TfEventsParser } from "../src/sources/tfevents.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import type { ReadProblem } from "../src/types.ts";
import { png, pngSize, tone } from "./helpers/media.ts";
import { chunked, loadEventFile } from "./helpers/tfevents.ts";

const HIFIGAN = "joshbrew_hifart-gan__cp_hifigan_logs__events.out.tfevents.1738815705.joshtop.4435.0";
const fixture = new URL(`./fixtures/tfevents/${HIFIGAN}`, import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "nashboard-samples-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The samples and problems a parser finds in `chunks` (a complete file), scalars ignored. */
function index(chunks: Uint8Array[], path: string): { samples: SampleEntry[]; problems: ReadProblem[] } {
  const parser = new TfEventsParser(path);
  const samples: SampleEntry[] = [];
  const target = { scalar: () => {}, sample: (e: SampleEntry) => samples.push(e) };
  const problems: ReadProblem[] = [];
  for (const c of chunks) problems.push(...parser.pushInto(c, target));
  problems.push(...parser.endTo(true, () => {}));
  return { samples, problems };
}

/** An event file of the given events, as the encoder and TFRecord framing write it. */
function eventFile(events: Parameters<typeof encodeEvent>[0][]): Uint8Array {
  const records = events.map((e) => frameRecord(encodeEvent(e)));
  return new Uint8Array(Buffer.concat(records));
}

async function payload(e: SampleEntry): Promise<Uint8Array> {
  const r = await readSamplePayload(e);
  assert.ok(r.ok, r.ok ? "" : r.reason);
  return r.bytes;
}

test("the HiFi-GAN file: 20 clips and 20 spectrograms indexed, each one's bytes read back whole", async () => {
  const bytes = loadEventFile(HIFIGAN);
  const path = fixture.pathname;
  const { samples, problems } = index([bytes], path);
  assert.deepEqual(problems, []);
  const audio = samples.filter((s) => s.kind === "audio");
  const images = samples.filter((s) => s.kind === "image");
  assert.deepEqual([audio.length, images.length], [20, 20]);
  // gt/* only at step 0 (the ground truth is logged once), generated/* at 0, 1000 and 2000.
  const stepsOf = (tag: string) => samples.filter((s) => s.tag === tag).map((s) => s.step);
  assert.deepEqual(stepsOf("gt/y_0"), [0]);
  assert.deepEqual(stepsOf("gt/y_spec_3"), [0]);
  assert.deepEqual(stepsOf("generated/y_hat_0"), [0, 1000, 2000]);
  assert.deepEqual(stepsOf("generated/y_hat_spec_4"), [0, 1000, 2000]);
  for (const s of images) {
    assert.deepEqual([s.contentType, s.width, s.height], ["image/png", 1000, 200], s.tag);
    const png = await payload(s);
    assert.equal(png.length, s.length);
    assert.deepEqual(pngSize(png), { width: 1000, height: 200 }, `${s.tag} at ${s.step}`);
    // The whole PNG: it ends with its IEND chunk.
    assert.equal(Buffer.from(png.subarray(-8, -4)).toString("ascii"), "IEND");
  }
  for (const s of audio) {
    assert.deepEqual([s.contentType, s.sampleRate, s.channels], ["audio/wav", 22050, 1], s.tag);
    const wav = Buffer.from(await payload(s));
    assert.equal(wav.toString("ascii", 0, 4), "RIFF");
    // A 16-bit mono WAV: 44 header bytes and two per frame, as the value's length_frames says.
    assert.equal(wav.length, 44 + 2 * (s.frames ?? 0), s.tag);
    assert.equal(wav.readUInt32LE(24), 22050);
  }
  // The index holds places, not bytes.
  for (const s of samples) for (const v of Object.values(s)) assert.ok(!(v instanceof Uint8Array));
  const first = samples[0];
  assert.deepEqual(
    [first.tag, first.step, first.wallTime, first.recordOffset],
    ["gt/y_0", 0, 1738815714.4966226, 158],
  );
});

test("the same index whatever the chunk sizes: records split across reads are indexed the same", () => {
  const bytes = loadEventFile(HIFIGAN);
  const whole = index([bytes], "f").samples;
  for (const size of [1, 7, 4096, 65536, 1 << 20]) {
    const parts = index(chunked(bytes, size), "f");
    assert.deepEqual(parts.problems, [], `chunks of ${size}`);
    assert.deepEqual(parts.samples, whole, `chunks of ${size}`);
  }
});

test("readRuns gives the run its samples by tag, in step order, beside the unchanged scalars", async () => {
  const { runs } = await readRuns(fixture.pathname);
  const run = runs[0];
  assert.equal(run.samples.length, 20);
  const hat = run.samples.find((t) => t.tag === "generated/y_hat_spec_2")!;
  assert.equal(hat.kind, "image");
  assert.deepEqual(
    hat.entries.map((e) => e.step),
    [0, 1000, 2000],
  );
  assert.deepEqual(
    run.series.map((s) => [s.sourceTag, s.steps.length]),
    [
      ["training/gen_loss_total", 25],
      ["training/mel_spec_error", 25],
      ["validation/mel_spec_error", 3],
    ],
  );
  // Images and audio are no longer among the values left unread.
  assert.ok(!(run.hints.notes ?? []).some((n) => n.includes("skipped")), String(run.hints.notes));
});

test("a truncated copy: the samples of whole records, the cut one reported and not read", () => {
  const bytes = loadEventFile(HIFIGAN);
  const whole = index([bytes], "f").samples;
  // Cut inside the spectrogram record at byte 945,314 (generated/y_hat_spec_2 at step 1000).
  const cut = whole.find((s) => s.tag === "generated/y_hat_spec_2" && s.step === 1000)!;
  const end = cut.offset + 100;
  const { samples, problems } = index([bytes.subarray(0, end)], "f");
  assert.deepEqual(samples, whole.slice(0, whole.indexOf(cut)));
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /file ends inside a record at byte 945314/);
  assert.equal(problems[0].fatal, false);
});

test("a CRC-damaged copy: the damaged sample's record is skipped and reported, every other sample kept", async () => {
  const bytes = loadEventFile(HIFIGAN).slice();
  const whole = index([bytes], "f").samples;
  const victim = whole.find((s) => s.tag === "gt/y_2")!;
  bytes[victim.offset + 5000] ^= 0x40; // a bit of the WAV's samples
  const { samples, problems } = index([bytes], "f");
  assert.deepEqual(
    samples,
    whole.filter((s) => s !== victim),
  );
  assert.equal(problems.length, 1);
  assert.match(
    problems[0].message,
    new RegExp(`record at byte ${victim.recordOffset} .*payload CRC mismatch`),
  );

  // A file damaged after it was indexed: its bytes are refused, not served.
  const copy = join(dir, "damaged-later.tfevents");
  writeFileSync(copy, loadEventFile(HIFIGAN));
  const entry = index([loadEventFile(HIFIGAN)], copy).samples.find((s) => s.tag === "gt/y_spec_1")!;
  assert.ok((await readSamplePayload(entry)).ok);
  const changed = readFileSync(copy);
  changed[entry.offset + 10] ^= 1;
  writeFileSync(copy, changed);
  const refused = await readSamplePayload(entry);
  assert.ok(!refused.ok);
  assert.match(refused.reason, /changed since it was read/);
  writeFileSync(copy, changed.subarray(0, entry.offset));
  const gone = await readSamplePayload(entry);
  assert.ok(!gone.ok && /no longer there/.test(gone.reason));
});

test("every form writers use: image and audio values, TF2 image and audio tensors, metadata on the first event only", async () => {
  const mel = (k: number) => png(40, 16, (x, y) => (x * 6 + y * k) % 256);
  const clip = (hz: number) => tone(hz, 0.25, 16000);
  const tf2Images = (step: number, metadata: boolean): SampleToEncode => ({
    form: "tensor_images",
    tag: "tf2/mel",
    images: [mel(step + 1), mel(step + 2)],
    width: 40,
    height: 16,
    metadata,
  });
  const tf2Audio = (step: number, metadata: boolean): SampleToEncode => ({
    form: "tensor_audio",
    tag: "tf2/audio",
    clips: [{ audio: clip(200 + step), label: "take 1" }, { audio: clip(300 + step) }],
    metadata,
  });
  const events = [
    { wallTime: 1, fileVersion: "brain.Event:2" },
    {
      wallTime: 2,
      step: 10,
      scalars: [{ tag: "loss/d/total", value: 3.5 }],
      samples: [
        { form: "image", tag: "slice/mel_gen", png: mel(1), width: 40, height: 16 } as const,
        { form: "audio", tag: "gen/audio", audio: clip(440), sampleRate: 16000, frames: 4000 } as const,
        tf2Images(10, true),
        tf2Audio(10, true),
      ],
    },
    // TF2 writes the plugin's metadata on a tag's first event only.
    { wallTime: 3, step: 20, samples: [tf2Images(20, false), tf2Audio(20, false)] },
  ];
  const bytes = eventFile(events);
  const path = join(dir, "events.out.tfevents.1.forms");
  writeFileSync(path, bytes);
  const { samples, problems } = index([bytes], path);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    samples.map((s) => [s.tag, s.kind, s.step, s.contentType]),
    [
      ["slice/mel_gen", "image", 10, "image/png"],
      ["gen/audio", "audio", 10, "audio/wav"],
      ["tf2/mel", "image", 10, "image/png"],
      ["tf2/mel", "image", 10, "image/png"],
      ["tf2/audio", "audio", 10, "audio/wav"],
      ["tf2/audio", "audio", 10, "audio/wav"],
      ["tf2/mel", "image", 20, "image/png"],
      ["tf2/mel", "image", 20, "image/png"],
      ["tf2/audio", "audio", 20, "audio/wav"],
      ["tf2/audio", "audio", 20, "audio/wav"],
    ],
  );
  // The bytes come back exactly as written.
  const written = [
    mel(1),
    clip(440),
    mel(11),
    mel(12),
    clip(210),
    clip(310),
    mel(21),
    mel(22),
    clip(220),
    clip(320),
  ];
  for (let i = 0; i < samples.length; i++) {
    assert.deepEqual(await payload(samples[i]), written[i], `${samples[i].tag} #${i}`);
  }
  // What each form says about its sample: sizes from the value or the tensor, rates from the WAV header.
  assert.deepEqual([samples[0].width, samples[0].height], [40, 16]);
  assert.deepEqual([samples[1].sampleRate, samples[1].frames], [16000, 4000]);
  assert.deepEqual([samples[2].width, samples[2].height], [40, 16]);
  assert.deepEqual([samples[4].sampleRate, samples[4].channels, samples[4].frames], [16000, 1, 4000]);
  assert.deepEqual([samples[4].label, samples[5].label], ["take 1", undefined]);
});

/** A TF2 text summary: a string tensor under the "text" plugin, as `tf.summary.text` writes it. */
function textEvent(tag: string, text: string): Uint8Array {
  const w = new WireWriter().double(1, 1).int64(2, 1);
  w.message(5, (summary) =>
    summary.message(1, (value) => {
      value.string(1, tag);
      value.message(8, (t) => t.int64(1, 7).bytes(2, new Uint8Array(0)).string(8, text));
      value.message(9, (m) => m.message(1, (p) => p.string(1, "text")));
    }),
  );
  return frameRecord(w.finish());
}

test("a string tensor of another plugin (text) is skipped; a declared content type is kept only when it is audio", () => {
  const bytes = eventFile([
    {
      wallTime: 1,
      step: 1,
      samples: [
        // A string tensor without a plugin: nothing says it is audio.
        { form: "tensor_audio", tag: "unnamed", clips: [{ audio: tone(100, 0.01), label: "x" }] },
        { form: "audio", tag: "odd", audio: tone(100, 0.01), sampleRate: 16000, contentType: "text/html" },
        { form: "audio", tag: "ogg", audio: tone(100, 0.01), sampleRate: 16000, contentType: "audio/ogg" },
        { form: "image", tag: "raw", png: new Uint8Array([1, 2, 3, 4]), width: 2, height: 2 },
      ],
    },
  ]);
  const file = new Uint8Array(
    Buffer.concat([textEvent("notes", "hello"), bytes, textEvent("notes", "again")]),
  );
  const parser = new TfEventsParser("f");
  const samples: SampleEntry[] = [];
  const problems = parser.pushInto(file, { scalar: () => {}, sample: (e) => samples.push(e) });
  assert.deepEqual(problems, []);
  assert.deepEqual(parser.meta().notes, [
    "3 summary values skipped: neither scalars, images nor audio (histograms, text, other tensors)",
  ]);
  assert.deepEqual(
    samples.map((s) => [s.tag, s.contentType]),
    [
      ["odd", "audio/wav"],
      ["ogg", "audio/ogg"],
      ["raw", "application/octet-stream"],
    ],
  );
});

/** Points, samples and problems of a parser fed `bytes` in random chunks, its large records' CRCs deferred or not. */
function readAll(bytes: Uint8Array, path: string, deferred: boolean, rng: Rng) {
  const parser = new TfEventsParser(path);
  if (deferred) parser.deferSampleChecks();
  const points: string[] = [];
  const samples: SampleEntry[] = [];
  const target = {
    scalar: (tag: string, _s: string, step: number, value: number) => points.push(`${tag}@${step}=${value}`),
    sample: (e: SampleEntry) => samples.push(e),
  };
  const problems: ReadProblem[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + rng.int(200000);
    problems.push(...parser.pushInto(bytes.subarray(at, at + n), target));
    at += n;
  }
  problems.push(...parser.endTo(true, (tag, _s, step, value) => points.push(`${tag}@${step}=${value}`)));
  return { points, samples, problems };
}

test("deferred CRCs (the dashboard's reading): the same scalars and problems; a damaged sample is indexed, then refused", async () => {
  const original = loadEventFile(HIFIGAN);
  const strict = readAll(original, "f", false, new Rng(1));
  const deferred = readAll(original, "f", true, new Rng(2));
  assert.deepEqual(deferred, strict, "an intact file reads the same either way");
  const rng = new Rng(4435);
  const path = join(dir, "events.out.tfevents.flipped");
  let refused = 0;
  for (let i = 0; i < 60; i++) {
    const bytes = original.slice();
    const at = rng.int(bytes.length);
    bytes[at] ^= 1 << rng.int(8);
    const s = readAll(bytes, path, false, rng);
    const d = readAll(bytes, path, true, rng);
    const what = `a bit of byte ${at}`;
    assert.deepEqual(d.points, s.points, `${what}: the scalars`);
    const damaged = s.problems.find((p) => /payload CRC mismatch/.test(p.message))?.offset;
    const isKept = (e: SampleEntry) =>
      s.samples.some((k) => k.recordOffset === e.recordOffset && k.tag === e.tag);
    const extra = d.samples.filter((e) => !isKept(e));
    if (extra.length === 0) {
      assert.deepEqual(d.problems, s.problems, `${what}: the problems`);
      assert.deepEqual(d.samples, s.samples, `${what}: the samples`);
      continue;
    }
    // A samples-only record damaged after its length: indexed without its CRC checked, so not reported yet...
    assert.deepEqual(
      d.problems,
      s.problems.filter((p) => p.offset !== damaged),
      `${what}: only the damaged sample's report is left for later`,
    );
    assert.ok(
      extra.every((e) => e.recordOffset === damaged),
      `${what}: nothing else is extra`,
    );
    // ...and refused when its bytes are read to be shown.
    writeFileSync(path, bytes);
    for (const e of extra) {
      const read = await readSamplePayload(e);
      assert.ok(!read.ok, `${what}: ${e.tag} refused`);
      refused++;
    }
  }
  assert.ok(
    refused > 20,
    `${refused} damaged samples were indexed and refused (most of the file is samples)`,
  );
});

test("deferred CRCs: a large record that is not only samples is checked before it is read", () => {
  // A step of 2,000 scalars (about 40 KiB, over the deferral size) and a step of scalars beside an image.
  const many = Array.from({ length: 2000 }, (_, i) => ({ tag: `metric/${i}`, value: i }));
  const noise = new Rng(9);
  const big = png(300, 100, () => noise.int(256)); // noise: deflate leaves it about 30 KiB
  const records = [
    frameRecord(encodeEvent({ wallTime: 1, step: 1, scalars: many })),
    frameRecord(
      encodeEvent({
        wallTime: 2,
        step: 2,
        scalars: [{ tag: "loss_disc", value: 1 }],
        samples: [{ form: "image", tag: "mix", png: big, width: 300, height: 100 }],
      }),
    ),
  ];
  assert.ok(records.every((r) => r.length > 16 * 1024));
  for (const k of [0, 1]) {
    const damaged = records.map((r) => r.slice());
    damaged[k][damaged[k].length - 100] ^= 4;
    const file = new Uint8Array(Buffer.concat(damaged));
    const d = readAll(file, "f", true, new Rng(k));
    const s = readAll(file, "f", false, new Rng(k));
    assert.deepEqual(d, s);
    assert.equal(d.problems.length, 1);
    assert.match(d.problems[0].message, /payload CRC mismatch, record skipped/);
  }
});
