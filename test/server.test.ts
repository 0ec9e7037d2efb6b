/**
 * The dashboard server without a browser: its API over a followed fixture run, the event stream, and
 * its guards: path traversal in every form, the token, the Host check, cross-origin requests and CORS.
 */
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type DashboardServer, startDashboardServer } from "../src/server/dashboard-server.ts";
import { createFollowProvider, type FollowProvider } from "../src/server/follow-provider.ts";
import { get, stream } from "./helpers/http.ts";

const RUN = fileURLToPath(new URL("./fixtures/nashboard-runs/ring8-bce/", import.meta.url));
const CONTROL = fileURLToPath(new URL("./fixtures/dashboard/control.jsonl", import.meta.url));

describe("dashboard server on a followed trainer run", () => {
  let dir: string;
  let provider: FollowProvider;
  let server: DashboardServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nashboard-server-"));
    cpSync(RUN, join(dir, "ring8-bce"), { recursive: true });
    cpSync(CONTROL, join(dir, "ring8-bce", "control.jsonl"));
    provider = await createFollowProvider(dir, { pollMs: 50 });
    server = await startDashboardServer(provider);
  });
  after(async () => {
    await server.close();
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("lists the runs by opaque keys, never by path, and leaves control.jsonl out of them", async () => {
    const r = await get(server.port, "/api/runs");
    assert.equal(r.status, 200);
    const runs = JSON.parse(r.body.toString()) as {
      key: string;
      id: string;
      panel: boolean;
      lossFamily: string;
    }[];
    assert.deepEqual(
      runs.map((x) => [x.key, x.id, x.lossFamily, x.panel]),
      [["r0", "ring8-bce", "bce", true]],
    );
    assert.ok(!r.body.toString().includes(dir), "no filesystem path is sent");
  });

  test("sends every series as float64 columns with the run's seq", async () => {
    const r = await get(server.port, "/api/runs/r0/columns");
    assert.equal(r.status, 200);
    assert.equal(r.body.subarray(0, 4).toString("latin1"), "NBC1");
    const headerLength = r.body.readUInt32LE(4);
    const header = JSON.parse(r.body.subarray(8, 8 + headerLength).toString()) as {
      seq: number;
      series: { tag: string; n: number; columns: string[] }[];
    };
    const disc = header.series.find((s) => s.tag === "loss_disc")!;
    assert.equal(disc.n, 20);
    assert.deepEqual(disc.columns.slice(0, 2), ["steps", "values"]);
    let at = 8 + headerLength;
    at += (8 - (at % 8)) % 8;
    const expected = header.series.reduce((n, s) => n + 8 * s.n * s.columns.length, 0);
    assert.equal(r.body.length - at, expected);
    const firstSteps = new Float64Array(
      r.body.buffer.slice(r.body.byteOffset + at, r.body.byteOffset + at + 16),
    );
    assert.deepEqual([...firstSteps], [10, 20]);
  });

  test("renders the monitor's report in English and Chinese", async () => {
    const en = JSON.parse((await get(server.port, "/api/runs/r0/report?lang=en")).body.toString());
    const zh = JSON.parse((await get(server.port, "/api/runs/r0/report?lang=zh")).body.toString());
    assert.equal(en.equilibrium.loss_disc, 2 * Math.LN2);
    assert.ok(en.timeline.length > 0 && en.timeline.every((e: { text: string }) => e.text.includes("steps")));
    assert.match(en.verdict.headline, /^Verdict/);
    assert.match(zh.verdict.headline, /[\u4e00-\u9fff]/);
    assert.ok(en.jsd && en.jsd.values.length > 0, "a BCE run has the JSD bound");
  });

  test("reads control.jsonl with the monitor's reading behind each change, skipping what is not one", async () => {
    // The provider reads control.jsonl on its first poll, which a loaded machine may not have run yet.
    let events = [];
    for (let tries = 0; tries < 200 && events.length === 0; tries++) {
      if (tries > 0) await new Promise((r) => setTimeout(r, 50));
      events = JSON.parse((await get(server.port, "/api/runs/r0/control")).body.toString());
    }
    assert.deepEqual(
      events.map((e: { step: number; kind: string; player: string; to: number }) => [
        e.step,
        e.kind,
        e.player,
        e.to,
      ]),
      [
        [60, "lr_change", "d", 0.00016],
        [60, "lr_change", "g", 0.000224],
        [100, "d_steps_change", undefined, 1],
        [100, "lr_change", "d", 0.0025],
        [150, "lr_change", "d", 0.0002],
      ],
    );
    const { state, confidence, rule, urgent, evidence } = events[3];
    assert.deepEqual([state, confidence, rule, urgent], ["warmup", 1, 3, true]);
    assert.deepEqual(evidence[0], { signal: "d_gap", value: 0.8157785795629025, threshold: 0.6, op: ">=" });
  });

  test("streams a hello, then an appended metrics line as a points update, then a report", async () => {
    const metrics = join(dir, "ring8-bce", "metrics.jsonl");
    const line = {
      step: 210,
      wall_time: 1795699999,
      loss_disc: 1.3,
      loss_gen: "NaN",
      d_real: 0.5,
      d_fake: 0.5,
      lr_d: 2e-4,
      lr_g: 2e-4,
      grad_norm_d: 1,
      grad_norm_g: 1,
    };
    const done = stream(server.port, "/api/events?lang=en", (ev) => ev.some((e) => e.event === "report"));
    setTimeout(() => appendFileSync(metrics, `${JSON.stringify(line)}\n`), 100);
    const { events } = await done;
    assert.equal(events[0].event, "hello");
    const hello = events[0].data as {
      runs: { key: string; seq: number }[];
      reports: Record<string, unknown>;
    };
    assert.ok(hello.reports.r0);
    const points = events.find((e) => e.event === "points")?.data as {
      key: string;
      seq: number;
      series: { tag: string; steps: number[]; values: unknown[] }[];
    };
    assert.equal(points.key, "r0");
    assert.equal(points.seq, hello.runs[0].seq + 1);
    const gen = points.series.find((s) => s.tag === "loss_gen")!;
    assert.deepEqual(gen.steps, [210]);
    assert.deepEqual(gen.values, ["NaN"], "a NaN travels as text, not as null");
  });

  test("streams new controller adjustments", async () => {
    const done = stream(server.port, "/api/events", (ev) => ev.some((e) => e.event === "control"));
    setTimeout(
      () =>
        appendFileSync(
          join(dir, "ring8-bce", "control.jsonl"),
          `${JSON.stringify({ step: 200, kind: "lr_change", param: "lr_g", from: 1e-4, to: 8e-5, reason: "g_ahead" })}\n`,
        ),
      100,
    );
    const { events } = await done;
    const control = events.find((e) => e.event === "control")!.data as { events: { step: number }[] };
    assert.deepEqual(
      control.events.map((e) => e.step),
      [60, 60, 100, 100, 150, 200],
    );
  });

  test("refuses path traversal in every usual form, and unknown run keys", async () => {
    const tricks = [
      "/web/../package.json",
      "/web/%2e%2e/package.json",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/web/..%2f..%2fpackage.json",
      "/web/..%2F..%2Fpackage.json",
      "/assets/../../package.json",
      "/assets/..%5c..%5cpackage.json",
      "/web/..\\..\\package.json",
      "/api/runs/..%2F..%2Fetc%2Fpasswd/columns",
      "/api/runs/../../../../etc/passwd",
      "/api/runs/%2Fetc%2Fpasswd/columns",
      "/api/runs//etc/passwd/columns",
      "//etc/passwd",
      "/api/runs/r0%00/columns",
      "/web/main.js%00.html",
      "/api/runs/r0/columns/../../../package.json",
      "/api/runs/C:%5CWindows%5Cwin.ini/columns",
      "/api/runs/ring8-bce/columns",
      "/api/runs/r9/columns",
      "/api/runs/r0/checkpoint",
      "/web/",
      "/node_modules/uplot/package.json",
      "/src/server/dashboard-server.ts",
    ];
    for (const path of tricks) {
      const r = await get(server.port, path);
      assert.ok(r.status === 400 || r.status === 404, `${path} -> ${r.status}`);
      const body = r.body.toString();
      assert.ok(!body.includes("nashboard") && !body.includes("root:") && !body.includes("loss_disc"), path);
    }
    // The real names still work.
    assert.equal((await get(server.port, "/web/main.js")).status, 200);
    assert.equal((await get(server.port, "/assets/uPlot.esm.js")).status, 200);
  });

  test("keeps CORS closed: cross-origin requests refused (the event stream too), no Allow-Origin header", async () => {
    for (const path of ["/api/runs", "/api/events", "/api/runs/r0/columns", "/"]) {
      const r = await get(server.port, path, { Origin: "http://evil.example" });
      assert.equal(r.status, 403, path);
      const s = await get(server.port, path, { "Sec-Fetch-Site": "cross-site" });
      assert.equal(s.status, 403, path);
    }
    const same = await get(server.port, "/api/runs", { Origin: `http://127.0.0.1:${server.port}` });
    assert.equal(same.status, 200);
    assert.equal(same.headers["access-control-allow-origin"], undefined);
    assert.match(String(same.headers["content-security-policy"]), /default-src 'none'/);
    assert.equal((await get(server.port, "/api/runs", {}, "OPTIONS")).status, 405);
    assert.equal((await get(server.port, "/api/runs", {}, "POST")).status, 405);
  });

  test("answers only to loopback names on a loopback address (no DNS rebinding)", async () => {
    const r = await get(server.port, "/api/runs", { Host: `evil.example:${server.port}` });
    assert.equal(r.status, 421);
    assert.equal((await get(server.port, "/api/runs", { Host: `localhost:${server.port}` })).status, 200);
  });
});

describe("dashboard server with a token", () => {
  let dir: string;
  let provider: FollowProvider;
  let server: DashboardServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nashboard-token-"));
    cpSync(RUN, dir, { recursive: true });
    provider = await createFollowProvider(dir);
    server = await startDashboardServer(provider, { requireToken: true });
  });
  after(async () => {
    await server.close();
    await provider.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("requires the token on every route, takes it once from the URL and keeps it as a strict cookie", async () => {
    const token = server.token!;
    assert.ok(token.length >= 32);
    assert.ok(server.url.endsWith(`?token=${token}`));
    // One character off (a token that happened to end in "x" was once "wrong" by ending in "x").
    const wrong = `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`;
    for (const path of ["/", "/api/runs", "/api/events", "/web/main.js", "/api/runs/r0/columns"]) {
      assert.equal((await get(server.port, path)).status, 401, path);
      assert.equal((await get(server.port, `${path}?token=${wrong}`)).status, 401, path);
    }
    const entry = await get(server.port, `/?token=${token}`);
    assert.equal(entry.status, 303);
    assert.equal(entry.headers.location, "/");
    const cookie = String(entry.headers["set-cookie"]);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.equal((await get(server.port, "/api/runs", { Cookie: cookie.split(";")[0] })).status, 200);
    assert.equal((await get(server.port, "/api/runs", { Authorization: `Bearer ${token}` })).status, 200);
    const sse = await stream(server.port, `/api/events?token=${token}`, (ev) => ev.length > 0);
    assert.equal(sse.events[0].event, "hello");
  });
});
