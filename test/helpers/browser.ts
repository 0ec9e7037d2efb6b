/**
 * Real-browser testing of the dashboard: Debian's chromium driven by playwright-core, a `nashboard
 * watch` started as a user would start it, and helpers that read what the page drew.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

/** One chart as the page reports it (window.nashboard.charts(), web/main.js). */
export interface PageChart {
  title: string;
  /** The key of the run its first line is from. */
  run: string;
  /** The lines' labels, raw and smoothed. */
  labels: string[];
  /** x values handed to uPlot. */
  points: number;
  /** The axes' tick labels as drawn. */
  ticks: { x: string[]; y: string[] };
  /** The x axis's title, as handed to uPlot. */
  axisTitle: string;
  yRange: [number, number];
  /** The equilibrium lines' labels as placed: inside the plot, px of curve or mark under them. */
  refLabels: { text: string; inside: boolean; covered: number }[];
}

/** What the dashboard tells about itself, for the tests (web/main.js). */
export interface Nashboard {
  state: { primary?: string; reports: Map<string, { lastStep: number } | null> };
  charts(): PageChart[];
  chartData(title: string): (number | null)[][] | undefined;
  last(tag: string): { step: number; value: number; n: number } | undefined;
}
declare global {
  interface Window {
    nashboard: Nashboard;
  }
}

export interface Watch {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** `nashboard watch PATH ...args` in a child process; resolves with the printed address. */
export function startWatch(path: string, args: string[] = []): Promise<Watch> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "watch", path, ...args], {
    cwd: REPO,
    env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stderr?.on("data", (d) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`watch exited (${code}): ${out}`));
    child.once("exit", early);
    let started = false;
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /Dashboard: (\S+)/.exec(out);
      if (m && !started) {
        started = true;
        child.off("exit", early);
        resolve({
          url: m[1],
          child,
          output: () => out,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGINT");
            }),
        });
      }
    });
  });
}

/** A page of the dashboard's size and locale that records its script errors into `errors`. */
export async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return page;
}

/** Saves a screenshot as an artifact of the test run (test-artifacts/ is git-ignored). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Pixels of a canvas that are neither blank nor white: > 0 means something was drawn. */
export function canvasInk(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel) as HTMLCanvasElement | null;
    if (!canvas) return -1;
    const ctx = canvas.getContext("2d");
    if (!ctx) return -1;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) ink++;
    }
    return ink;
  }, selector);
}

/** Pixels of a canvas within a small distance of `rgb`: the ink of one series' colour. */
export function colorInk(page: Page, selector: string, rgb: [number, number, number]): Promise<number> {
  return page.evaluate(
    ([sel, [r, g, b]]) => {
      const canvas = document.querySelector(sel) as HTMLCanvasElement | null;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx) return -1;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d = Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b);
        if (data[i + 3] > 200 && d < 40) n++;
      }
      return n;
    },
    [selector, rgb] as const,
  );
}
