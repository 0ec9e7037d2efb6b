/**
 * Takes the screenshots of the dashboard's samples view that docs/guide.md and docs/guide.zh.md show, in
 * English and Chinese, from `nashboard watch` in Debian's chromium:
 *   - samples-hifigan.<lang>.png: the real HiFi-GAN event file of test/fixtures/tfevents (the run that
 *     logged them: joshbrew/hifart-gan), a generated clip and a generated spectrogram at step 2000 beside
 *     the ground truth logged at step 0;
 *   - samples-candidates.<lang>.png: a voice run written with the project's encoder
 *     (test/helpers/voice-run.ts: synthetic losses and pictures), the verdict and the candidate epochs
 *     marked under the sliders.
 * Only the cards shown are kept in the picture (the others are hidden before it is taken).
 *
 *   node --import tsx scripts/samples-screenshots.ts [outDir=docs/figures]
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchBrowser, startWatch } from "../test/helpers/browser.ts";
import { writeVoiceRun } from "../test/helpers/voice-run.ts";

const out = process.argv[2] ?? fileURLToPath(new URL("../docs/figures/", import.meta.url));
const HIFIGAN = fileURLToPath(
  new URL(
    "../test/fixtures/tfevents/joshbrew_hifart-gan__cp_hifigan_logs__events.out.tfevents.1738815705.joshtop.4435.0",
    import.meta.url,
  ),
);
const card = (tag: string) => `#samples article[data-tag="${tag}"]`;

async function showRun(page: Page, name: string, tag: string): Promise<void> {
  await page.click(`#run-list li:has(button:text-is("${name}")) button`);
  await page.waitForSelector(card(tag));
}

/** Keeps the cards of `tags` only, fills them (as scrolling to them would) and waits for their media. */
async function keepCards(page: Page, tags: string[]): Promise<void> {
  await page.evaluate((keep) => {
    for (const c of document.querySelectorAll<HTMLElement>("#samples article")) {
      c.hidden = !keep.includes(c.dataset.tag ?? "");
    }
  }, tags);
  for (const t of tags) await page.locator(card(t)).scrollIntoViewIfNeeded();
  await page.waitForFunction(
    (keep) =>
      keep.every((t) => {
        const c = document.querySelector(`#samples article[data-tag="${t}"]`);
        const images = [...(c?.querySelectorAll("img") ?? [])];
        const clips = [...(c?.querySelectorAll("audio") ?? [])];
        return (
          images.length + clips.length >= 2 &&
          images.every((i) => i.complete && i.naturalWidth > 0) &&
          clips.every((a) => a.readyState >= 3)
        );
      }),
    tags,
    { timeout: 30000 },
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-samples-shots-"));
  mkdirSync(join(dir, "hifigan"));
  copyFileSync(HIFIGAN, join(dir, "hifigan", "events.out.tfevents.1738815705.joshtop.4435.0"));
  writeVoiceRun(join(dir, "voice"), { steps: 10000, sampleEvery: 1000, width: 320, height: 80 });
  mkdirSync(out, { recursive: true });
  const [watch, browser] = await Promise.all([startWatch(dir), launchBrowser()]);
  try {
    for (const lang of ["en", "zh"] as const) {
      const page = await browser.newPage({
        viewport: { width: 1360, height: 900 },
        locale: lang === "zh" ? "zh-CN" : "en-US",
      });
      await page.goto(`${watch.url}?lang=${lang}`);
      await page.waitForFunction(() => performance.getEntriesByName("nashboard:first-paint").length > 0);

      // The real HiFi-GAN samples: step 2000 of the generated clip and spectrogram, against the ground truth.
      await showRun(page, "hifigan", "generated/y_hat_spec_0");
      const spec = card("generated/y_hat_spec_0");
      for (const [tag, truth] of [
        ["generated/y_hat_0", "gt/y_0"],
        ["generated/y_hat_spec_0", "gt/y_spec_0"],
      ]) {
        await page.$eval(`${card(tag)} .sample-pane[data-side="a"] input[type=range]`, (s) => {
          const slider = s as HTMLInputElement;
          slider.value = slider.max;
          slider.dispatchEvent(new Event("input"));
        });
        await page.selectOption(`${card(tag)} .sample-pane[data-side="b"] select`, truth);
      }
      await page.click(`${spec} .sample-zoom-stop:nth-of-type(1)`); // fit: both spectrograms in view
      await keepCards(page, ["generated/y_hat_0", "generated/y_hat_spec_0"]);
      // Past the 150 ms a slider's media waits for it to rest.
      await page.waitForTimeout(400);
      await keepCards(page, ["generated/y_hat_0", "generated/y_hat_spec_0"]);
      await page.locator("#samples-box").screenshot({ path: join(out, `samples-hifigan.${lang}.png`) });

      // Candidate epochs marked: the voice run, verdict and two cards.
      await showRun(page, "voice", "slice/mel_gen");
      await keepCards(page, ["gen/audio", "slice/mel_gen"]);
      const box = await page.evaluate(() => {
        const top = document.getElementById("verdict")!.getBoundingClientRect().top + window.scrollY;
        const end = document.getElementById("samples-box")!.getBoundingClientRect().bottom + window.scrollY;
        return { top, end };
      });
      // The curves between the verdict and the samples are left out: two pictures, one page.
      await page.evaluate(() => {
        for (const id of ["reference", "latest"]) document.getElementById(id)!.hidden = true;
        (document.querySelector(".columns") as HTMLElement).style.display = "none";
      });
      const after = await page.evaluate(
        () => document.getElementById("samples-box")!.getBoundingClientRect().bottom + window.scrollY,
      );
      await page.screenshot({
        path: join(out, `samples-candidates.${lang}.png`),
        fullPage: true,
        clip: { x: 230, y: box.top - 8, width: 1120, height: Math.min(after, box.end) - box.top + 16 },
      });
      await page.close();
      console.log(`${lang}: samples-hifigan.${lang}.png, samples-candidates.${lang}.png`);
    }
  } finally {
    await browser.close();
    await watch.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
