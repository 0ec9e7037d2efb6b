/**
 * The samples view in a real browser (Debian's chromium through playwright-core), on `nashboard watch`
 * of the real HiFi-GAN event file and a voice run written with the project's encoder: a spectrogram
 * decodes at its real size and zooms, a clip reaches `canplay` with the length its file says, the
 * sliders stop at logged steps, the right pane shows the ground truth, the candidate epochs and the
 * latest step are marked, and the view speaks Chinese. Screenshots go to test-artifacts/.
 */
import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { encodeEvent } from "../src/events/event-encoder.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import { keepScreenshot, launchBrowser, startWatch, type Watch } from "./helpers/browser.ts";
import { png } from "./helpers/media.ts";
import { writeVoiceRun } from "./helpers/voice-run.ts";

const HIFIGAN = fileURLToPath(
  new URL(
    "./fixtures/tfevents/joshbrew_hifart-gan__cp_hifigan_logs__events.out.tfevents.1738815705.joshtop.4435.0",
    import.meta.url,
  ),
);
const card = (tag: string) => `#samples article[data-tag="${tag}"]`;

describe("samples view in chromium", () => {
  let dir: string;
  let voiceFile: string;
  let watch: Watch;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  /** Shows the run `name` and waits for the card of one of its tags. */
  async function showRun(name: string, tag: string): Promise<void> {
    await page.click(`#run-list li:has(button:text-is("${name}")) button`);
    await page.waitForFunction(
      (n) => document.querySelector("#run-list li.primary button")?.textContent === n,
      name,
    );
    await page.waitForSelector(card(tag));
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nashboard-samples-view-"));
    mkdirSync(join(dir, "hifigan"));
    copyFileSync(HIFIGAN, join(dir, "hifigan", "events.out.tfevents.1738815705.joshtop.4435.0"));
    voiceFile = writeVoiceRun(join(dir, "voice"), { steps: 10000, sampleEvery: 1000 });
    [watch, browser] = await Promise.all([startWatch(dir), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: "en-US" });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(watch.url);
    await page.waitForFunction(() => performance.getEntriesByName("nashboard:first-paint").length > 0);
    await showRun("hifigan", "generated/y_hat_spec_0");
  });
  after(async () => {
    await browser?.close();
    await watch?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a HiFi-GAN spectrogram decodes, shown at its real size, and zooms", async () => {
    const img = `${card("generated/y_hat_spec_0")} .sample-pane[data-side="a"] img`;
    await page.locator(card("generated/y_hat_spec_0")).scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => {
      const i = document.querySelector(sel) as HTMLImageElement | null;
      return i?.complete === true && i.naturalWidth > 0;
    }, img);
    const size = await page.$eval(img, (i) => {
      const e = i as HTMLImageElement;
      return [e.naturalWidth, e.naturalHeight, Math.round(e.getBoundingClientRect().width)];
    });
    assert.deepEqual(size, [1000, 200, 1000], "1000 × 200, drawn 1000 px wide at 1×");
    await page.click(`${card("generated/y_hat_spec_0")} .sample-zoom-stop:text-is("2×")`);
    await page.waitForFunction(
      (sel) =>
        (document.querySelector(sel) as HTMLImageElement | null)?.getBoundingClientRect().width === 2000,
      img,
    );
    await page.click(`${card("generated/y_hat_spec_0")} .sample-zoom-stop:text-is("1×")`);
    await keepScreenshot(page, "samples-hifigan");
  });

  test("a HiFi-GAN clip plays in the page: its audio element reaches canplay, as long as its file says", async () => {
    const sel = `${card("generated/y_hat_0")} .sample-pane[data-side="a"] audio`;
    await page.locator(card("generated/y_hat_0")).scrollIntoViewIfNeeded();
    await page.waitForSelector(sel);
    const played = await page.$eval(
      sel,
      (a) =>
        new Promise<{ duration: number; readyState: number } | string>((resolve) => {
          const audio = a as HTMLAudioElement;
          // canplay fires once readyState reaches HAVE_FUTURE_DATA (3): already past it counts as seen.
          // (No named functions in here: the page has no __name helper for them.)
          if (audio.readyState >= 3) {
            resolve({ duration: audio.duration, readyState: audio.readyState });
            return;
          }
          audio.addEventListener(
            "canplay",
            () => resolve({ duration: audio.duration, readyState: audio.readyState }),
            { once: true },
          );
          audio.addEventListener("error", () => resolve(`error ${audio.error?.code}`), { once: true });
        }),
    );
    assert.ok(typeof played === "object", String(played));
    assert.ok(played.readyState >= 3);
    // generated/y_hat_0 at step 0: 11,008 frames at 22,050 Hz.
    assert.ok(Math.abs(played.duration - 11008 / 22050) < 0.01, `${played.duration} s`);
  });

  test("the sliders stop at logged steps; the right pane starts at the latest, or at the ground truth", async () => {
    const a = `${card("generated/y_hat_spec_0")} .sample-pane[data-side="a"]`;
    const b = `${card("generated/y_hat_spec_0")} .sample-pane[data-side="b"]`;
    assert.deepEqual(await page.$eval(`${a} input[type=range]`, (s) => [(s as HTMLInputElement).max]), ["2"]);
    assert.equal(await page.$eval(`${b} .sample-step`, (p) => p.textContent), "step 2000 (its latest)");
    await page.$eval(`${a} input[type=range]`, (s) => {
      const slider = s as HTMLInputElement;
      slider.value = "1";
      slider.dispatchEvent(new Event("input"));
    });
    assert.equal(await page.$eval(`${a} .sample-step`, (p) => (p as HTMLElement).dataset.step), "1000");
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.getAttribute("src")?.includes("step=1000"),
      `${a} img`,
    );
    // The latest step is marked under each slider.
    assert.equal(await page.locator(`${a} .sample-mark.latest`).count(), 1);
    // Against its ground truth, logged once at step 0.
    await page.selectOption(`${b} select`, "gt/y_spec_0");
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === "gt/y_spec_0, step 0 (its latest)",
      `${b} .sample-step`,
    );
    await page.waitForFunction((sel) => {
      const i = document.querySelector(sel) as HTMLImageElement | null;
      return i?.getAttribute("src")?.includes("tag=gt%2Fy_spec_0") && i.complete && i.naturalWidth === 1000;
    }, `${b} img`);
    // A tag without a ground truth of its own can still be set against any tag of its kind: the other
    // nine clips of the file.
    assert.equal(await page.locator(`${card("gt/y_0")} .sample-pane[data-side="b"] option`).count(), 10);
  });

  test("a voice run: the candidate epochs marked under each slider, the left pane at the first of them", async () => {
    await showRun("voice", "slice/mel_gen");
    const a = `${card("slice/mel_gen")} .sample-pane[data-side="a"]`;
    // Candidates 7100, 7300 and 10000 (voice-run.ts): the first two nearest the step logged at 7000.
    assert.equal(await page.locator(`${a} .sample-mark.candidate`).count(), 3);
    const caption = await page.$eval(`${a} .sample-step`, (p) => p.textContent ?? "");
    assert.match(caption, /^step 7000 — nearest to the candidate step 7100: lowest smoothed loss_gen_total/);
    assert.match(
      await page.$eval(
        `${card("slice/mel_gen")} .sample-pane[data-side="b"] .sample-step`,
        (p) => p.textContent ?? "",
      ),
      /^step 10000 \(its latest\) — nearest to the candidate step 10000: the latest model/,
    );
    const mark = await page.$eval(`${a} .sample-mark.candidate`, (m) => (m as HTMLElement).dataset.text);
    assert.match(mark ?? "", /^candidate: step 7100: .* \(nearest logged step: 7000\)$/);
    await page.locator(card("slice/mel_gen")).scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => {
      const i = document.querySelector(sel) as HTMLImageElement | null;
      return i?.complete === true && i.naturalWidth === 160;
    }, `${a} img`);
    await keepScreenshot(page, "samples-voice");
  });

  test("a sample logged while the page is open: the pane that showed the latest step shows the new one", async () => {
    const b = `${card("slice/mel_gen")} .sample-pane[data-side="b"]`;
    const a = `${card("slice/mel_gen")} .sample-pane[data-side="a"]`;
    assert.equal(await page.$eval(`${b} .sample-step`, (p) => (p as HTMLElement).dataset.step), "10000");
    const mel = png(160, 80, (x) => (x * 3) % 256);
    appendFileSync(
      voiceFile,
      frameRecord(
        encodeEvent({
          wallTime: 1700011000,
          step: 11000,
          samples: [{ form: "image", tag: "slice/mel_gen", png: mel, width: 160, height: 80 }],
        }),
      ),
    );
    await page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLElement | null)?.dataset.step === "11000",
      `${b} .sample-step`,
    );
    await page.waitForFunction((sel) => {
      const i = document.querySelector(sel) as HTMLImageElement | null;
      return i?.getAttribute("src")?.includes("step=11000") && i.complete && i.naturalWidth === 160;
    }, `${b} img`);
    // The left pane stays where it was chosen, at the candidate.
    assert.equal(await page.$eval(`${a} .sample-step`, (p) => (p as HTMLElement).dataset.step), "7000");
  });

  test("the samples view in Chinese", async () => {
    await page.click("#lang-zh");
    await page.waitForFunction(() =>
      /图像／音频标签/.test(document.querySelector(".samples-intro")?.textContent ?? ""),
    );
    assert.equal(await page.$eval("#samples-box h2", (h) => h.textContent), "本次运行记录的图像与音频");
    const caption = await page.$eval(
      `${card("slice/mel_gen")} .sample-pane[data-side="a"] .sample-step`,
      (p) => p.textContent ?? "",
    );
    assert.match(caption, /^第 7000 步——离候选轮次最近：第 7100 步/);
    await page.click("#lang-en");
    await page.waitForFunction(() =>
      /image \/ audio tag/.test(document.querySelector(".samples-intro")?.textContent ?? ""),
    );
    assert.deepEqual(errors, []);
  });
});
