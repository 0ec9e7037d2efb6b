/**
 * What clients can hold of a dashboard: a `nashboard watch` (a child process, so its memory and its
 * sockets are its own) is given
 *   1. `--idle` connections that never send a byte, and we count how many it still holds after
 *      `--idle-wait` seconds (and how many it refused at once);
 *   2. `--stalled` event streams that stop reading while the run grows by `--lines` metrics lines, plus
 *      one page that keeps reading; we report the server's RSS before, at its peak and after, how many
 *      stalled streams it still holds, and whether the reading page got every line.
 * Connections held are counted on the server's side (its own socket descriptors, from /proc), because a
 * client that stopped reading cannot see its connection close.
 *
 *   node --import tsx bench/server-load.ts [--idle 1000] [--idle-wait 35] [--stalled 100] [--lines 100000] [--json]
 *   node --import tsx bench/server-load.ts --main <other checkout>/src/cli/main.ts   (the code before)
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { metricsLine, rssMb, startWatchProcess, MAIN as THIS_MAIN, writeRun } from "./watched-run.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const IDLE = flag("idle", 1000);
const IDLE_WAIT_S = flag("idle-wait", 35);
const STALLED = flag("stalled", 100);
const LINES = flag("lines", 100000);
const BATCH = 500;
const JSON_OUT = args.includes("--json");
const mainAt = args.indexOf("--main");
const MAIN = mainAt >= 0 ? resolve(args[mainAt + 1]) : THIS_MAIN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server process's TCP connections on `port` (its own descriptors; the listening socket excluded). */
function heldConnections(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed while we looked
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !f[1].endsWith(`:${hexPort}`) || f[3] === "0A") continue;
      if (inodes.has(f[9])) n++;
    }
  }
  return n;
}

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
}

/** A page that keeps reading its event stream: the steps of loss_disc it received. */
function reader(port: number) {
  const steps = new Set<number>();
  let buffer = "";
  const req = request({ host: "127.0.0.1", port, path: "/api/events?lang=en", agent: false }, (res) => {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: points$/m.test(frame)) {
          const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as {
            series: { tag: string; steps: number[] }[];
          };
          for (const s of data.series) if (s.tag === "loss_disc") for (const st of s.steps) steps.add(st);
        }
      }
    });
  });
  req.on("error", () => {});
  req.end();
  return { steps, stop: () => req.destroy() };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-server-load-"));
  const metrics = writeRun(dir, 100, (step) => 1.7e9 + step);
  const { child, port } = await startWatchProcess(dir, MAIN);
  const pid = child.pid!;
  try {
    await sleep(1000);
    // 1. Connections that never send a byte.
    const idle: Socket[] = [];
    let refusedAtOnce = 0;
    for (let i = 0; i < IDLE; i += 100) {
      const batch = await Promise.all(Array.from({ length: Math.min(100, IDLE - i) }, () => rawSocket(port)));
      for (const s of batch) {
        s.on("error", () => {});
        s.once("data", (d) => {
          if (d.toString("latin1").startsWith("HTTP/1.1 503")) refusedAtOnce++;
        });
      }
      idle.push(...batch);
    }
    await sleep(500);
    const idleHeldAtFirst = heldConnections(pid, port);
    await sleep(IDLE_WAIT_S * 1000);
    const idleSurvived = heldConnections(pid, port);
    for (const s of idle) s.destroy();
    await sleep(1000);

    // 2. Stalled event streams while the run grows, and one page that reads.
    const rssBefore = rssMb(pid);
    const stalled: Socket[] = [];
    for (let i = 0; i < STALLED; i++) {
      const s = await rawSocket(port);
      s.on("error", () => {});
      s.write(`GET /api/events?lang=en HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      s.pause();
      stalled.push(s);
    }
    const page = reader(port);
    await sleep(1000);
    const streamsOpened = heldConnections(pid, port);
    let rssPeak = rssMb(pid);
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(pid));
    }, 100);
    for (let k = 0; k < LINES; k += BATCH) {
      let text = "";
      for (let j = 0; j < BATCH; j++) text += metricsLine(101 + k + j, 1.7e9 + 101 + k + j);
      appendFileSync(metrics, text);
      await sleep(50);
    }
    // Let the follower catch up and the page read the last lines.
    for (let waited = 0; waited < 30000 && page.steps.size < LINES; waited += 250) await sleep(250);
    await sleep(3000);
    clearInterval(sampler);
    const rssAfter = rssMb(pid);
    const stalledHeld = heldConnections(pid, port) - 1; // the reading page
    const result = {
      idle: {
        opened: IDLE,
        refusedAtOnce,
        heldAtFirst: idleHeldAtFirst,
        waitSeconds: IDLE_WAIT_S,
        survived: idleSurvived,
      },
      stalled: { clients: STALLED, opened: streamsOpened - 1, heldAtEnd: stalledHeld, lines: LINES },
      readingPage: { received: page.steps.size, expected: LINES },
      serverRssMb: { before: Math.round(rssBefore), peak: Math.round(rssPeak), after: Math.round(rssAfter) },
    };
    page.stop();
    for (const s of stalled) s.destroy();
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `idle connections: ${IDLE} opened, ${refusedAtOnce} refused at once (503), ${idleHeldAtFirst} held, ` +
          `${idleSurvived} still held after ${IDLE_WAIT_S} s\n` +
          `stalled event streams: ${result.stalled.opened} of ${STALLED} held while ${LINES} lines were appended, ` +
          `${stalledHeld} still held at the end\n` +
          `reading page: ${result.readingPage.received} of ${result.readingPage.expected} steps received\n` +
          `server RSS: ${result.serverRssMb.before} MB before, ${result.serverRssMb.peak} MB peak, ${result.serverRssMb.after} MB after\n`,
      );
    }
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
