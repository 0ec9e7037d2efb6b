/**
 * The dashboard's samples routes without a browser, on a logdir of the real HiFi-GAN event file and a
 * voice run written with the project's encoder: the index (tags, steps, sizes, ground-truth pairs, no
 * file places), one sample's bytes by (run, tag, kind, index) with its own content type and byte
 * ranges, the guards every route has (token, cross-origin, CSP), a file changed under the index, the
 * candidate epochs in the report's words, and samples logged while the page is open.
 */
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { encodeEvent } from "../src/events/event-encoder.ts";
import { byteRange } from "../src/server/byte-range.ts";
import { type DashboardServer, startDashboardServer } from "../src/server/dashboard-server.ts";
import { createFollowProvider, type FollowProvider } from "../src/server/follow-provider.ts";
import { groundTruthOf } from "../src/server/samples-view.ts";
import { readSamplePayload } from "../src/sources/sample-payload.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import { get, stream } from "./helpers/http.ts";
import { png } from "./helpers/media.ts";
import { writeVoiceRun } from "./helpers/voice-run.ts";

const HIFIGAN = fileURLToPath(
  new URL(
    "./fixtures/tfevents/joshbrew_hifart-gan__cp_hifigan_logs__events.out.tfevents.1738815705.joshtop.4435.0",
    import.meta.url,
  ),
);

test("a Range header: one range, a tail, an open end; anything else is the whole body", () => {
  assert.deepEqual(byteRange("bytes=0-", 100), [0, 99]);
  assert.deepEqual(byteRange("bytes=10-19", 100), [10, 19]);
  assert.deepEqual(byteRange("bytes=90-500", 100), [90, 99]);
  assert.deepEqual(byteRange("bytes=-10", 100), [90, 99]);
  for (const h of [
    undefined,
    "bytes=100-",
    "bytes=5-2",
    "bytes=0-1,4-5",
    "items=0-1",
    "bytes=-",
    "bytes=-0",
  ]) {
    assert.equal(byteRange(h, 100), undefined, String(h));
  }
});

test("the ground truth of a generated sample's tag, as HiFi-GAN, RVC and VITS spell them", () => {
  const tags = new Set(["gt/y_0", "gt/y_spec_0", "slice/mel_org", "gt/audio", "gt/mel", "all/mel"]);
  assert.equal(groundTruthOf("generated/y_hat_0", tags), "gt/y_0");
  assert.equal(groundTruthOf("generated/y_hat_spec_0", tags), "gt/y_spec_0");
  assert.equal(groundTruthOf("slice/mel_gen", tags), "slice/mel_org");
  assert.equal(groundTruthOf("gen/audio", tags), "gt/audio");
  assert.equal(groundTruthOf("gen/mel", tags), "gt/mel");
  assert.equal(groundTruthOf("all/mel", tags), undefined);
  assert.equal(groundTruthOf("gt/y_0", tags), undefined);
  assert.equal(groundTruthOf("generated/y_hat_1", tags), undefined, "no gt/y_1 logged");
});

describe("dashboard samples routes", () => {
  let dir: string;
  let voiceFile: string;
  let provider: FollowProvider;
  let server: DashboardServer;
  let hifi: string;
  let voice: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nashboard-dash-samples-"));
    mkdirSync(join(dir, "hifigan"));
    copyFileSync(HIFIGAN, join(dir, "hifigan", "events.out.tfevents.1738815705.joshtop.4435.0"));
    voiceFile = writeVoiceRun(join(dir, "voice"), { steps: 4000, sampleEvery: 1000 });
    provider = await createFollowProvider(dir, { pollMs: 50, rescanMs: 200 });
    server = await startDashboardServer(provider, { reportMs: 20 });
    const runs = JSON.parse((await get(server.port, "/api/runs")).body.toString());
    hifi = runs.find((r: { id: string }) => r.id === "hifigan").key;
    voice = runs.find((r: { id: string }) => r.id === "voice").key;
  });
  after(async () => {
    await server?.close();
    await provider?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sampleUrl = (key: string, tag: string, kind: string, i: number, step?: number) =>
    `/api/runs/${key}/sample?${new URLSearchParams({ tag, kind, i: String(i), ...(step !== undefined ? { step: String(step) } : {}) })}`;

  test("each run says how many samples it logs; the index has tags, steps, sizes and pairs, no file places", async () => {
    const runs = JSON.parse((await get(server.port, "/api/runs")).body.toString());
    assert.deepEqual(
      runs.map((r: { id: string; samples: number }) => [r.id, r.samples]),
      [
        ["hifigan", 40],
        ["voice", 20],
      ],
    );
    const r = await get(server.port, `/api/runs/${hifi}/samples`);
    assert.equal(r.status, 200);
    const view = JSON.parse(r.body.toString());
    assert.equal(view.tracks.length, 20);
    const spec = view.tracks.find((t: { tag: string }) => t.tag === "generated/y_hat_spec_0");
    assert.deepEqual(spec.steps, [0, 1000, 2000]);
    assert.equal(spec.pair, "gt/y_spec_0");
    assert.deepEqual(spec.entries[1], {
      step: 1000,
      bytes: 19535,
      contentType: "image/png",
      width: 1000,
      height: 200,
    });
    const clip = view.tracks.find((t: { tag: string }) => t.tag === "gt/y_2");
    assert.deepEqual(clip.entries[0], {
      step: 0,
      bytes: 75604,
      contentType: "audio/wav",
      sampleRate: 22050,
      channels: 1,
      frames: 37780,
    });
    assert.ok(!/offset|recordLength|tfevents|"file"/.test(r.body.toString()), "no place in a file is sent");
  });

  test("a sample's bytes, as the event file holds them, with its own content type and byte ranges", async () => {
    const track = provider.samples(hifi)!.find((t) => t.tag === "generated/y_hat_spec_0")!;
    const want = await readSamplePayload(track.entries[1]);
    assert.ok(want.ok);
    const image = await get(server.port, sampleUrl(hifi, "generated/y_hat_spec_0", "image", 1, 1000));
    assert.equal(image.status, 200);
    assert.equal(image.headers["content-type"], "image/png");
    assert.deepEqual(new Uint8Array(image.body), want.bytes);
    assert.match(String(image.headers["content-security-policy"]), /media-src 'self'/);
    assert.equal(image.headers["x-content-type-options"], "nosniff");

    const url = sampleUrl(hifi, "gt/y_2", "audio", 0);
    const whole = await get(server.port, url);
    assert.equal(whole.headers["content-type"], "audio/wav");
    assert.equal(whole.body.length, 75604);
    const part = await get(server.port, url, { Range: "bytes=44-" });
    assert.equal(part.status, 206);
    assert.equal(part.headers["content-range"], "bytes 44-75603/75604");
    assert.deepEqual(part.body, whole.body.subarray(44));
    const head = await get(server.port, url, {}, "HEAD");
    assert.deepEqual([head.status, head.headers["content-length"], head.body.length], [200, "75604", 0]);
  });

  test("only a sample of the run's index is served: an unknown tag, kind, index or step is a 404", async () => {
    for (const path of [
      sampleUrl(hifi, "gt/y_9", "audio", 0),
      sampleUrl(hifi, "gt/y_0", "image", 0),
      sampleUrl(hifi, "gt/y_0", "audio", 1),
      sampleUrl(hifi, "gt/y_0", "audio", -1),
      `/api/runs/${hifi}/sample?tag=gt%2Fy_0&kind=audio&i=0.5`,
      `/api/runs/${hifi}/sample?tag=gt%2Fy_0&kind=audio`,
      sampleUrl(hifi, "generated/y_hat_spec_0", "image", 1, 2000),
      sampleUrl(hifi, "../../../../etc/passwd", "image", 0),
      sampleUrl(hifi, join(dir, "hifigan", "events.out.tfevents.1738815705.joshtop.4435.0"), "image", 0),
      sampleUrl("r999", "gt/y_0", "audio", 0),
    ]) {
      assert.equal((await get(server.port, path)).status, 404, path);
    }
    // Dot segments and escapes in the path itself are refused before any lookup, as for every route.
    assert.equal(
      (await get(server.port, `/api/runs/${hifi}/../${hifi}/sample?tag=gt%2Fy_0&i=0`)).status,
      400,
    );
  });

  test("the guards of every route: cross-origin requests refused, the token required when asked for", async () => {
    const path = sampleUrl(hifi, "gt/y_0", "audio", 0);
    assert.equal((await get(server.port, path, { Origin: "http://evil.example" })).status, 403);
    assert.equal((await get(server.port, path, { "Sec-Fetch-Site": "cross-site" })).status, 403);
    assert.equal((await get(server.port, `/api/runs/${hifi}/samples`, { Host: "evil.example" })).status, 421);
    const guarded = await startDashboardServer(provider, { requireToken: true });
    try {
      assert.equal((await get(guarded.port, path)).status, 401);
      assert.equal((await get(guarded.port, `/api/runs/${hifi}/samples`)).status, 401);
      const ok = await get(guarded.port, path, { Authorization: `Bearer ${guarded.token}` });
      assert.equal(ok.status, 200);
    } finally {
      await guarded.close();
    }
  });

  test("a file changed under the index: the sample is refused as gone, the server's paths unsaid", async () => {
    const other = join(dir, "changed");
    mkdirSync(other);
    const file = join(other, "events.out.tfevents.1.changed.0");
    const pic = png(8, 8, (x, y) => 16 * (x + y));
    writeFileSync(
      file,
      frameRecord(
        encodeEvent({
          wallTime: 1,
          step: 1,
          samples: [{ form: "image", tag: "p", png: pic, width: 8, height: 8 }],
        }),
      ),
    );
    const p = await createFollowProvider(other, { watch: false, pollMs: 60000 });
    const s = await startDashboardServer(p);
    try {
      const key = p.runs()[0].key;
      assert.equal((await get(s.port, sampleUrl(key, "p", "image", 0))).status, 200);
      writeFileSync(file, Buffer.alloc(40));
      const gone = await get(s.port, sampleUrl(key, "p", "image", 0));
      assert.equal(gone.status, 410);
      assert.ok(!gone.body.toString().includes(other), gone.body.toString());
    } finally {
      await s.close();
      await p.close();
    }
  });

  test("the report names the candidate epochs the view marks, in the page's language", async () => {
    await waitFor(async () => {
      const en = JSON.parse((await get(server.port, `/api/runs/${voice}/report?lang=en`)).body.toString());
      return en?.candidates?.length > 0;
    });
    const en = JSON.parse((await get(server.port, `/api/runs/${voice}/report?lang=en`)).body.toString());
    const zh = JSON.parse((await get(server.port, `/api/runs/${voice}/report?lang=zh`)).body.toString());
    assert.equal(en.candidates.at(-1).step, 4000);
    assert.match(en.candidates.at(-1).text, /^step 4000: the latest model/);
    assert.match(zh.candidates.at(-1).text, /^第 4000 步/);
    assert.deepEqual(
      zh.candidates.map((c: { step: number }) => c.step),
      en.candidates.map((c: { step: number }) => c.step),
    );
    const hifiReport = JSON.parse(
      (await get(server.port, `/api/runs/${hifi}/report?lang=en`)).body.toString(),
    );
    assert.deepEqual(
      hifiReport.candidates,
      [],
      "HiFi-GAN logs no D loss: no candidates, the view marks the latest step",
    );
  });

  test("samples logged while a page is open: a samples event with the new count, and the index grows", async () => {
    const seen = stream(server.port, "/api/events?lang=en", (events) =>
      events.some((e) => e.event === "samples" && (e.data as { key: string }).key === voice),
    );
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(
      voiceFile,
      frameRecord(
        encodeEvent({
          wallTime: 1700009000,
          step: 5000,
          samples: [
            { form: "image", tag: "slice/mel_gen", png: png(16, 8, () => 200), width: 16, height: 8 },
          ],
        }),
      ),
    );
    const { events } = await seen;
    const update = events.find((e) => e.event === "samples")!.data as { key: string; count: number };
    assert.deepEqual(update, { key: voice, count: 21 });
    const view = JSON.parse((await get(server.port, `/api/runs/${voice}/samples`)).body.toString());
    const mel = view.tracks.find((t: { tag: string }) => t.tag === "slice/mel_gen");
    assert.deepEqual(mel.steps, [0, 1000, 2000, 3000, 4000, 5000]);
    const fresh = await get(server.port, sampleUrl(voice, "slice/mel_gen", "image", 5, 5000));
    assert.equal(fresh.status, 200);
  });
});

async function waitFor(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail("timed out waiting");
}
