/**
 * The dashboard's HTTP server over a DashboardProvider: the page and its assets, a small JSON and
 * binary API keyed by opaque run keys, and the event stream. GET and HEAD only.
 *
 *   GET /                          the page              GET /web/<name>.js|css, /assets/uPlot.*
 *   GET /api/runs                  the runs (RunInfo[])
 *   GET /api/runs/<key>/columns    every series of the run, binary (binary-columns.ts)
 *   GET /api/runs/<key>/report     the monitor's report rendered in ?lang= (report-view.ts)
 *   GET /api/runs/<key>/control    the controller's adjustments
 *   GET /api/runs/<key>/panel      the latest sample panel (204 when the run has none)
 *   GET /api/runs/<key>/samples    the images and audio the run logs, as an index (samples-view.ts)
 *   GET /api/runs/<key>/sample?tag=<tag>&kind=image|audio&i=<n>   one of them: its bytes, read now
 *                                  from its event file (a Range for <audio>), as image/png, audio/wav, ...
 *   GET /api/events?lang=en|zh     Server-Sent Events (sse-hub.ts)
 *
 * Listens on 127.0.0.1 unless told otherwise; any other host requires the token (security.ts). What a
 * client may hold (connections, event streams, queued bytes, idle time) is bounded (limits.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Lang, messages } from "../i18n/index.ts";
import { readSamplePayload } from "../sources/sample-payload.ts";
import { encodeColumns } from "./binary-columns.ts";
import { byteRange } from "./byte-range.ts";
import { SERVER_LIMITS, type ServerLimits } from "./limits.ts";
import type { DashboardProvider } from "./provider.ts";
import { reportView } from "./report-view.ts";
import { samplesView } from "./samples-view.ts";
import {
  createToken,
  crossOrigin,
  isLoopback,
  loopbackHosts,
  presentedToken,
  safePath,
  securityHeaders,
  tokenCookie,
  tokenMatches,
} from "./security.ts";
import { finiteOrText, type HubOptions, SseHub } from "./sse-hub.ts";
import { loadAssets } from "./static-assets.ts";

export interface DashboardOptions extends HubOptions, Partial<ServerLimits> {
  /** Default 127.0.0.1. Any other host makes the token compulsory. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Require the token even on the loopback (tests). */
  requireToken?: boolean;
}

export interface DashboardServer {
  /** The address to open; with a token, it carries it (print it once). */
  url: string;
  port: number;
  host: string;
  token: string | undefined;
  hub: SseHub;
  /** Connections open now (refused ones excluded), for the tests and the load benchmark. */
  connections(): number;
  close(): Promise<void>;
}

const RUN_ROUTE = /^\/api\/runs\/(r\d{1,6})\/(columns|report|control|panel|samples|sample)$/;

export async function startDashboardServer(
  provider: DashboardProvider,
  options: DashboardOptions = {},
): Promise<DashboardServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.requireToken || !isLoopback(host) ? createToken() : undefined;
  const assets = loadAssets();
  const headers = securityHeaders(assets.scriptHashes);
  const limits: ServerLimits = { ...SERVER_LIMITS, ...definedOnly(options) };
  const hub = new SseHub(provider, { ...options, maxBufferedBytes: limits.maxBufferedBytes });
  let hosts: Set<string> | undefined;
  let cookieName = "";

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { ...headers, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  };
  const refuse = (res: ServerResponse, status: number, why: string) =>
    send(res, status, "text/plain; charset=utf-8", `${why}\n`);
  const json = (res: ServerResponse, data: unknown) =>
    send(res, 200, "application/json; charset=utf-8", JSON.stringify(data, finiteOrText));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    provider.requestStarted?.();
    if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405, "method not allowed");
    if (hosts && !hosts.has(req.headers.host ?? "")) return refuse(res, 421, "unknown host");
    const cross = crossOrigin(req);
    if (cross) return refuse(res, 403, `cross-origin request refused (${cross})`);
    const raw = req.url ?? "";
    const path = safePath(raw);
    if (path === undefined) return refuse(res, 400, "bad path");
    const query = new URLSearchParams(raw.includes("?") ? raw.slice(raw.indexOf("?") + 1) : "");
    if (token !== undefined) {
      if (!tokenMatches(presentedToken(req, query, cookieName), token)) {
        return refuse(res, 401, "token required");
      }
      if (path === "/" && query.has("token")) {
        // Keep the token as a cookie and take it out of the address bar (and of the history).
        res.writeHead(303, {
          ...headers,
          Location: "/",
          "Set-Cookie": `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        });
        return void res.end();
      }
    }
    const lang: Lang = query.get("lang") === "zh" ? "zh" : "en";
    const asset = assets.byPath.get(path);
    if (asset) return send(res, 200, asset.type, asset.body);
    if (path === "/api/runs") return json(res, provider.runs());
    if (path === "/api/events") {
      // HEAD gets the stream's headers and an end: it is not a client and must not wait for events.
      if (req.method === "HEAD") {
        res.writeHead(200, { ...headers, "Content-Type": "text/event-stream; charset=utf-8" });
        return void res.end();
      }
      if (hub.size >= limits.maxSseClients) {
        res.setHeader("Retry-After", "10");
        return refuse(res, 503, messages(lang).dashboardPagesFull(limits.maxSseClients));
      }
      // A stream is quiet between updates by design; its bound is the queue (sse-hub.ts), not idleness.
      req.socket.setTimeout(0);
      return hub.open(res, lang, headers);
    }
    const m = RUN_ROUTE.exec(path);
    if (!m || !provider.runs().some((r) => r.key === m[1])) return refuse(res, 404, "not found");
    const key = m[1];
    switch (m[2]) {
      case "columns": {
        const parts = encodeColumns(provider.columns(key)!);
        const length = parts.reduce((n, p) => n + p.length, 0);
        res.writeHead(200, {
          ...headers,
          "Content-Type": "application/octet-stream",
          "Content-Length": length,
        });
        if (req.method === "HEAD") return void res.end();
        for (const p of parts) res.write(p);
        return void res.end();
      }
      case "report": {
        const report = provider.report(key);
        return json(res, report ? reportView(report, lang) : null);
      }
      case "control":
        return json(res, provider.control(key) ?? []);
      case "samples":
        return json(res, samplesView(provider.samples?.(key) ?? []));
      case "sample":
        return sendSample(req, res, provider, key, query);
      default: {
        const panel = await provider.panel(key);
        if (!panel) return void res.writeHead(204, headers).end();
        return json(res, panel);
      }
    }
  };

  /**
   * One logged image or clip, found by tag, kind and index in the run's index (the step, when given,
   * must be the sample's: an index that moved since the page loaded it is not answered with another).
   */
  const sendSample = async (
    req: IncomingMessage,
    res: ServerResponse,
    p: DashboardProvider,
    key: string,
    query: URLSearchParams,
  ): Promise<void> => {
    const tag = query.get("tag");
    const kind = query.get("kind");
    const index = query.get("i") ?? "";
    const track = p.samples?.(key)?.find((t) => t.tag === tag && (kind === null || t.kind === kind));
    const entry = track !== undefined && /^\d{1,9}$/.test(index) ? track.entries[Number(index)] : undefined;
    const step = query.get("step");
    if (entry === undefined || (step !== null && Number(step) !== entry.step)) {
      return refuse(res, 404, "no such sample");
    }
    const read = await readSamplePayload(entry);
    // The reason names a file of the server's: the page is only told the sample is gone.
    if (!read.ok) return refuse(res, 410, "the sample's event file changed since it was read");
    const body = read.bytes;
    const range = byteRange(req.headers.range, body.length);
    const head = { ...headers, "Content-Type": entry.contentType, "Accept-Ranges": "bytes" };
    if (range === undefined) {
      res.writeHead(200, { ...head, "Content-Length": body.length });
      return void res.end(req.method === "HEAD" ? undefined : body);
    }
    const [from, to] = range;
    res.writeHead(206, {
      ...head,
      "Content-Length": to - from + 1,
      "Content-Range": `bytes ${from}-${to}/${body.length}`,
    });
    res.end(req.method === "HEAD" ? undefined : body.subarray(from, to + 1));
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts above on this period (30 s by default, which would let a
      // slowloris hold a connection three times longer than headersTimeout says).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 2)),
    },
    (req, res) => {
      if (refused.has(req.socket)) return;
      handle(req, res).catch(() => {
        if (!res.headersSent) refuse(res, 500, "internal error");
        else res.destroy();
      });
    },
  );
  // Node's own socket timeout: a connection with no traffic for this long (one that never sent a byte
  // included, which no other timeout covers) is destroyed. Event streams switch it off for themselves.
  server.timeout = limits.idleSocketMs;
  // Beyond the cap a connection is answered at once, before it can hold a descriptor for long: the
  // reason in both languages (no request has said which yet), then closed.
  let open = 0;
  const refused = new WeakSet<Socket>();
  server.on("connection", (socket: Socket) => {
    if (open >= limits.maxConnections) {
      refused.add(socket);
      const body = `${messages("en").dashboardBusy(limits.maxConnections)}\n${messages("zh").dashboardBusy(limits.maxConnections)}\n`;
      socket.end(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n" +
          `Content-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n${body}`,
      );
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    open++;
    socket.once("close", () => open--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (token === undefined) hosts = loopbackHosts(port);
  cookieName = tokenCookie(port);
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}/${token ? `?token=${token}` : ""}`;
  return {
    url,
    port,
    host,
    token,
    hub,
    connections: () => open,
    close: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The options that were given: `{ port: undefined }` must not erase a default. */
function definedOnly(options: DashboardOptions): Partial<ServerLimits> {
  const out: Partial<ServerLimits> = {};
  for (const k of Object.keys(SERVER_LIMITS) as (keyof ServerLimits)[]) {
    if (options[k] !== undefined) out[k] = options[k];
  }
  return out;
}
