/**
 * What one client may hold of the dashboard server, on real sockets over the loopback: idle and slow
 * connections are closed, connections and event streams are capped with a 503 and a reason, a stalled
 * event stream is dropped while the others go on, HEAD is answered, and two dashboards on one host keep
 * their token cookies apart. Limits are shrunk through the options so each case takes a moment; the
 * waits below are generous fail-safes, never the assertion.
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { after, describe, test } from "node:test";
import {
  type DashboardOptions,
  type DashboardServer,
  startDashboardServer,
} from "../src/server/dashboard-server.ts";
import type { DashboardProvider, ProviderUpdate, RunInfo } from "../src/server/provider.ts";

/** A provider with one empty run whose updates the test emits by hand. */
function handProvider(): DashboardProvider & { emit(u: ProviderUpdate): void } {
  const listeners = new Set<(u: ProviderUpdate) => void>();
  const run: RunInfo = { key: "r0", id: "hand", name: "hand", format: "jsonl", panel: false, seq: 0 };
  return {
    runs: () => [run],
    columns: () => ({ seq: 0, series: [] }),
    report: () => undefined,
    control: () => [],
    panel: async () => undefined,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {},
    emit: (u) => {
      for (const l of listeners) l(u);
    },
  };
}

const servers: DashboardServer[] = [];
async function serve(options: DashboardOptions = {}) {
  const provider = handProvider();
  const server = await startDashboardServer(provider, options);
  servers.push(server);
  return { provider, server };
}
after(async () => {
  for (const s of servers) await s.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Polls `ok` until it holds; fails after `failSafeMs` (a hang guard, far beyond the expected time). */
async function until(ok: () => boolean, what: string, failSafeMs = 20000): Promise<void> {
  const end = Date.now() + failSafeMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
}

function closed(socket: Socket): Promise<string> {
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (c: string) => {
    text += c;
  });
  return new Promise((resolve) => socket.on("close", () => resolve(text)));
}

describe("dashboard server limits", () => {
  test("closes a connection that never sends a byte", async () => {
    const { server } = await serve({ idleSocketMs: 200 });
    const socket = await rawSocket(server.port);
    await until(() => server.connections() === 1, "the server counts the connection");
    const text = await closed(socket);
    assert.equal(text, "", "closed without a response: there was no request");
    await until(() => server.connections() === 0, "the server forgets the connection");
  });

  test("closes a connection whose headers trickle in (slowloris) with 408", async () => {
    const { server } = await serve({ headersTimeoutMs: 200, requestTimeoutMs: 400, idleSocketMs: 60000 });
    const socket = await rawSocket(server.port);
    const done = closed(socket);
    socket.write(`GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`);
    // One byte every 20 ms keeps the socket busy, so only the headers' deadline can end it.
    const drip = setInterval(() => socket.writable && socket.write("X"), 20);
    const text = await done;
    clearInterval(drip);
    assert.match(text, /^HTTP\/1\.1 408/);
  });

  test("answers 503 with a reason beyond the connection cap, and serves again once one closes", async () => {
    const { server } = await serve({ maxConnections: 3 });
    const held = await Promise.all([1, 2, 3].map(() => rawSocket(server.port)));
    await until(() => server.connections() === 3, "three connections held");
    const refused = await get(server.port, "/api/runs");
    assert.equal(refused.status, 503);
    assert.match(refused.body, /already holds its 3 connections/);
    assert.match(refused.body, /连接数已达上限/);
    held[0].destroy();
    await until(() => server.connections() === 2, "one connection released");
    assert.equal((await get(server.port, "/api/runs")).status, 200);
    for (const s of held) s.destroy();
  });

  test("answers 503 with a reason, in the page's language, beyond the event-stream cap", async () => {
    const { server } = await serve({ maxSseClients: 2 });
    const streams = await Promise.all([1, 2].map(() => sseSocket(server.port)));
    await until(() => server.hub.size === 2, "two streams open");
    const en = await get(server.port, "/api/events?lang=en");
    assert.equal(en.status, 503);
    assert.equal(en.headers["retry-after"], "10");
    assert.match(en.body, /already serves 2 live pages/);
    const zh = await get(server.port, "/api/events?lang=zh");
    assert.equal(zh.status, 503);
    assert.match(zh.body, /2 个实时页面/);
    assert.equal(server.hub.size, 2, "the refused requests were never clients");
    for (const s of streams) s.destroy();
  });

  test("answers HEAD /api/events at once, without registering a client", async () => {
    const { server } = await serve();
    const r = await get(server.port, "/api/events", {}, "HEAD");
    assert.equal(r.status, 200);
    assert.match(String(r.headers["content-type"]), /^text\/event-stream/);
    assert.equal(r.body, "");
    assert.equal(server.hub.size, 0);
    assert.equal((await get(server.port, "/api/runs", {}, "HEAD")).status, 200);
  });

  /** Two clients, one of which stops reading; updates flow until the hub drops it. */
  async function stallOne(options: DashboardOptions) {
    const { server, provider } = await serve({ maxBufferedBytes: 64 * 1024, ...options });
    // The stalled client sends its request, then never reads: the kernel's buffers fill, then the
    // server's queue for it.
    const stalled = await sseSocket(server.port);
    stalled.pause();
    const reader = readStream(server.port);
    await until(() => server.hub.size === 2 && reader.events.length > 0, "both clients connected");
    const big = Array.from({ length: 5000 }, (_, i) => i + 0.5);
    let sent = 0;
    const send = async () => {
      provider.emit({
        type: "points",
        key: "r0",
        seq: ++sent,
        series: [{ tag: "loss_disc", sourceTag: "loss_disc", steps: big, values: big }],
      });
      await until(() => reader.points() === sent, `the reader received update ${sent}`);
    };
    // ~90 KB an update; loopback buffers hold a few MB, so the stall shows after some dozens.
    while (server.hub.dropped === 0) {
      assert.ok(sent < 3000, "the stalled client was never dropped");
      await send();
    }
    return { server, stalled, reader, send };
  }

  test("drops a stalled event stream and closes it, while another keeps receiving every update", async () => {
    const { server, reader, send } = await stallOne({});
    await send();
    assert.equal(server.hub.dropped, 1);
    assert.equal(server.hub.size, 1, "only the reader is still a client");
    await until(() => server.connections() === 1, "the stalled connection is closed");
    await send();
    reader.stop();
  });

  test("a dropped stream that reads again is told why, in its language, before the end", async () => {
    const { server, stalled, reader } = await stallOne({ dropGraceMs: 60000 });
    assert.equal(server.hub.size, 1);
    const text = await closed(stalled.resume());
    assert.match(
      text,
      /event: dropped\ndata: \{"reason":"this page fell more than 64 KiB behind the live updates/,
    );
    assert.match(text, /0\r\n\r\n$/, "the stream ended cleanly");
    reader.stop();
  });

  test("two dashboards on one host keep their token cookies apart; the printed URL wins over a cookie", async () => {
    const a = (await serve({ requireToken: true })).server;
    const b = (await serve({ requireToken: true })).server;
    // A browser's cookie jar is per host, not per port: every cookie goes to both dashboards.
    const jar = new Map<string, string>();
    const open = async (s: DashboardServer) => {
      const path = s.url.slice(s.url.indexOf("/", "http://".length));
      const r = await get(s.port, path, { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") });
      const [name, value] = String(r.headers["set-cookie"]).split(";")[0].split("=");
      jar.set(name, value);
      return r.status;
    };
    const cookies = () => ({ Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") });
    assert.equal(await open(a), 303);
    assert.equal(await open(b), 303, "B's printed URL works after A's was opened");
    assert.equal(jar.size, 2, "two cookies, one per port");
    assert.equal((await get(a.port, "/api/runs", cookies())).status, 200, "A still accepts its cookie");
    assert.equal((await get(b.port, "/api/runs", cookies())).status, 200);
    assert.equal(await open(a), 303, "and A's URL again after B's");
    // A stale cookie under A's name (a restarted dashboard on the same port) loses to the URL.
    const stale = { Cookie: `nashboard_token_${a.port}=stale` };
    assert.equal((await get(a.port, "/api/runs", stale)).status, 401);
    assert.equal((await get(a.port, `/api/runs?token=${a.token}`, stale)).status, 200);
  });
});

/** An event stream's request on a raw socket (the caller decides whether to read). */
async function sseSocket(port: number): Promise<Socket> {
  const s = await rawSocket(port);
  s.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  return s;
}

/** A client that reads its event stream and counts the events by name. */
function readStream(port: number) {
  const events: string[] = [];
  const req = request({ host: "127.0.0.1", port, path: "/api/events", agent: false }, (res) => {
    let buffer = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const name = /^event: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        if (name) events.push(name);
        buffer = buffer.slice(end + 2);
      }
    });
  });
  req.on("error", () => {});
  req.end();
  return {
    events,
    points: () => events.filter((e) => e === "points").length,
    stop: () => req.destroy(),
  };
}
