/**
 * Load on the dashboard: N Server-Sent-Events clients (default 200) on one `nashboard watch` while its
 * run grows by one metrics.jsonl line every `--interval` ms for `--seconds`. Reports the update latency
 * (from the line's append to its `points` event at each client: median, p99, worst), the server
 * process's CPU over the growth (from /proc), and whether anything was dropped (every client must see
 * every step, with consecutive seq numbers).
 *
 *   node --import tsx bench/dashboard-load.ts [--clients 200] [--seconds 10] [--interval 50] [--json]
 *
 * Everything runs on the loopback; the server is a child process, so its CPU is its own.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { metricsLine, rssMb, startWatchProcess, writeRun } from "./watched-run.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CLIENTS = flag("clients", 200);
const SECONDS = flag("seconds", 10);
const INTERVAL = flag("interval", 50);
const JSON_OUT = args.includes("--json");

/** USER_HZ: /proc counts CPU time in ticks of 1/100 s on Linux. */
const TICKS = 100;

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

interface ClientLog {
  seqs: number[];
  /** step -> arrival time (ms, performance.now of this process) */
  arrivals: Map<number, number>;
}

function connect(port: number, log: ClientLog): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/api/events?lang=en", agent: false }, (res) => {
      res.setEncoding("utf8");
      let buffer = "";
      let helloSeen = false;
      res.on("data", (chunk: string) => {
        const now = performance.now();
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf("\n\n");
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          if (event === "hello" && !helloSeen) {
            helloSeen = true;
            resolve(() => req.destroy());
          }
          if (event !== "points") continue;
          const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as {
            seq: number;
            series: { tag: string; steps: number[] }[];
          };
          log.seqs.push(data.seq);
          for (const s of data.series)
            if (s.tag === "loss_disc") for (const st of s.steps) log.arrivals.set(st, now);
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-load-"));
  const metrics = writeRun(dir, 100);
  const { child, port } = await startWatchProcess(dir);
  const pid = child.pid!;
  try {
    const logs: ClientLog[] = Array.from({ length: CLIENTS }, () => ({ seqs: [], arrivals: new Map() }));
    const closers: (() => void)[] = [];
    for (let i = 0; i < CLIENTS; i += 20) {
      closers.push(...(await Promise.all(logs.slice(i, i + 20).map((l) => connect(port, l)))));
    }
    await new Promise((r) => setTimeout(r, 500));
    const appended = new Map<number, number>();
    const cpu0 = cpuSeconds(pid);
    const wall0 = performance.now();
    const lines = Math.floor((SECONDS * 1000) / INTERVAL);
    for (let k = 0; k < lines; k++) {
      const step = 101 + k;
      appended.set(step, performance.now());
      appendFileSync(metrics, metricsLine(step));
      await new Promise((r) => setTimeout(r, INTERVAL));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const cpu = cpuSeconds(pid) - cpu0;
    const wall = (performance.now() - wall0) / 1000;
    const rss = rssMb(pid);
    for (const close of closers) close();

    const latencies: number[] = [];
    let missing = 0;
    let seqGaps = 0;
    for (const log of logs) {
      for (const [step, at] of appended) {
        const arrived = log.arrivals.get(step);
        if (arrived === undefined) missing++;
        else latencies.push(arrived - at);
      }
      for (let i = 1; i < log.seqs.length; i++) if (log.seqs[i] !== log.seqs[i - 1] + 1) seqGaps++;
    }
    latencies.sort((a, b) => a - b);
    const result = {
      clients: CLIENTS,
      lines,
      intervalMs: INTERVAL,
      updatesExpected: CLIENTS * lines,
      updatesReceived: latencies.length,
      missing,
      seqGaps,
      latencyMs: {
        median: Number(quantile(latencies, 0.5).toFixed(1)),
        p99: Number(quantile(latencies, 0.99).toFixed(1)),
        worst: Number(latencies[latencies.length - 1].toFixed(1)),
      },
      serverCpu: {
        seconds: Number(cpu.toFixed(2)),
        wallSeconds: Number(wall.toFixed(2)),
        percentOfOneCore: Number(((100 * cpu) / wall).toFixed(1)),
      },
      serverRssMb: Number(rss.toFixed(0)),
    };
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `${CLIENTS} SSE clients, ${lines} lines appended every ${INTERVAL} ms\n` +
          `updates: ${result.updatesReceived} of ${result.updatesExpected} received, ${missing} missing, ${seqGaps} seq gaps\n` +
          `latency (append -> event at the client): median ${result.latencyMs.median} ms, p99 ${result.latencyMs.p99} ms, worst ${result.latencyMs.worst} ms\n` +
          `server CPU: ${result.serverCpu.seconds} s over ${result.serverCpu.wallSeconds} s = ${result.serverCpu.percentOfOneCore}% of one core; RSS ${result.serverRssMb} MB\n`,
      );
    }
    if (missing > 0 || seqGaps > 0) process.exitCode = 1;
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
