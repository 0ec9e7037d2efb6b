/**
 * Makes the screenshots under docs/screenshots/: the live dashboard and the HTML report, in English and
 * Chinese, in Debian's chromium (playwright-core), on the demo's GAN and logs from test/fixtures that
 * show what issue 15 fixed: a one-line RVC paste shown as its values, learning rates in scientific
 * notation, counts drawn as steps, the equilibrium lines inside the charts with their labels off the
 * curves, each run's health in the run list, a voice model's candidate checkpoints, the state band's
 * evidence in Chinese.
 *
 *   node --import tsx scripts/screenshots.ts [outDir=docs/screenshots]
 *
 * Chinese text needs a CJK font in the browser's reach (Debian: fonts-wqy-microhei or fonts-noto-cjk);
 * without one the Chinese shots show boxes, and the script says so.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { launchBrowser, startWatch } from "../test/helpers/browser.ts";

const out = process.argv[2] ?? fileURLToPath(new URL("../docs/screenshots/", import.meta.url));
const fixture = (p: string) => fileURLToPath(new URL(`../test/fixtures/${p}`, import.meta.url));
const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

mkdirSync(out, { recursive: true });
try {
  if (!execFileSync("fc-list", [":lang=zh"], { encoding: "utf8" }).trim())
    console.warn("no CJK font found (fc-list :lang=zh): the Chinese screenshots will show boxes");
} catch {
  console.warn("fc-list not found: cannot tell whether a CJK font is installed");
}

// The runs: the demo's GAN trained with an evaluation every 250 steps (modes covered, a learning rate
// that decays), a one-line RVC paste, a so-vits-svc log (K = 6, candidate checkpoints). The training
// is seeded: the same pictures on the same backend.
const runs = mkdtempSync(join(tmpdir(), "nashboard-shots-"));
console.log("training the demo's GAN for the trainer-run shots (about a minute)...");
execFileSync(process.execPath, [
  "--import",
  "tsx",
  MAIN,
  "demo",
  ...["--steps", "3000", "--eval-interval", "250", "--seed", "0", "--out", join(runs, "ring8-demo")],
]);
copyFileSync(fixture("real-logs/fumiama-RVC-WebUI-issue135.log"), join(runs, "rvc-paste.log"));
copyFileSync(fixture("real-logs/vits-family/wsywsy979_SVC__32k_train.log"), join(runs, "so-vits-svc.log"));

const shots: string[] = [];
const save = async (page: Page, name: string, clip?: { height: number }) => {
  const path = join(out, `${name}.png`);
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.screenshot({
    path,
    ...(clip ? { clip: { x: 0, y: 0, width: size.width, height: clip.height } } : {}),
  });
  shots.push(path);
};

const [watch, browser] = await Promise.all([startWatch(runs), launchBrowser()]);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  await page.goto(watch.url);
  await page.waitForFunction(() => document.querySelectorAll("#run-list li[data-health]").length === 3);
  const keyOf = async (name: string) =>
    page.$eval(`#run-list li:has(button:text-is("${name}"))`, (li) => (li as HTMLElement).dataset.key ?? "");
  /** Shows a run and waits for its charts (or its values) and its verdict. */
  const show = async (name: string) => {
    const key = await keyOf(name);
    await page.click(`#run-list li[data-key="${key}"] button`);
    await page.waitForFunction(
      (k) =>
        window.nashboard.state.primary === k &&
        (window.nashboard.charts().some((c) => c.run === k) || document.querySelector("#values .values")),
      key,
    );
    await page.waitForTimeout(300); // the last frame of the charts
  };
  /** One chart's section, as an element screenshot. */
  const chart = async (title: string, name: string) => {
    const section = page.locator("#charts section.chart", { has: page.locator(`h3:text-is("${title}")`) });
    await section.screenshot({ path: join(out, `${name}.png`) });
    shots.push(join(out, `${name}.png`));
  };

  await show("so-vits-svc.log");
  await save(page, "dashboard-en");
  await show("rvc-paste.log");
  await save(page, "dashboard-one-line-en", { height: 560 });
  await show("ring8-demo");
  await chart("lr_d, lr_g", "dashboard-learning-rates-en");
  await chart("eval/modes", "dashboard-modes-en");

  await page.click("#lang-zh");
  await page.waitForFunction(() => /结论/.test(document.getElementById("verdict")?.textContent ?? ""));
  await show("ring8-demo");
  await page.locator(".state-band .seg[data-state=balanced]").first().hover();
  await page.waitForSelector("#tooltip:not([hidden])");
  await save(page, "dashboard-zh");
  await show("so-vits-svc.log");
  await save(page, "dashboard-candidates-zh", { height: 640 });

  // The HTML report of the paste and the so-vits-svc log, in both languages.
  for (const lang of ["en", "zh"] as const) {
    const html = join(runs, `report-${lang}.html`);
    const logs = [join(runs, "rvc-paste.log"), join(runs, "so-vits-svc.log")];
    for (const [i, log] of logs.entries()) {
      const file = html.replace(".html", `-${i}.html`);
      execFileSync(process.execPath, [
        "--import",
        "tsx",
        MAIN,
        "--lang",
        lang,
        "analyze",
        log,
        "--html",
        file,
      ]);
      const report = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await report.goto(`file://${file}`);
      await report.screenshot({
        path: join(out, `report-${i === 0 ? "one-line" : "so-vits-svc"}-${lang}.png`),
        fullPage: i === 0,
        ...(i === 0 ? {} : { clip: { x: 0, y: 0, width: 1000, height: 1250 } }),
      });
      shots.push(join(out, `report-${i === 0 ? "one-line" : "so-vits-svc"}-${lang}.png`));
      await report.close();
    }
  }
} finally {
  await browser.close();
  await watch.stop();
  rmSync(runs, { recursive: true, force: true });
}
for (const s of shots) console.log(`${s}: ${(statSync(s).size / 1024).toFixed(0)} KB`);
