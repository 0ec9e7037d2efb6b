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
 *   GET /api/events?lang=en|zh     Server-Sent Events (sse-hub.ts)
 *
 * Listens on 127.0.0.1 unless told otherwise; any other host requires the token (security.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Lang } from "../i18n/index.ts";
import { encodeColumns } from "./binary-columns.ts";
import type { DashboardProvider } from "./provider.ts";
import { reportView } from "./report-view.ts";
import {
  createToken,
  crossOrigin,
  isLoopback,
  loopbackHosts,
  presentedToken,
  safePath,
  securityHeaders,
  TOKEN_COOKIE,
  tokenMatches,
} from "./security.ts";
import { finiteOrText, type HubOptions, SseHub } from "./sse-hub.ts";
import { loadAssets } from "./static-assets.ts";

export interface DashboardOptions extends HubOptions {
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
  close(): Promise<void>;
}

const RUN_ROUTE = /^\/api\/runs\/(r\d{1,6})\/(columns|report|control|panel)$/;

export async function startDashboardServer(
  provider: DashboardProvider,
  options: DashboardOptions = {},
): Promise<DashboardServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.requireToken || !isLoopback(host) ? createToken() : undefined;
  const assets = loadAssets();
  const headers = securityHeaders(assets.scriptHashes);
  const hub = new SseHub(provider, options);
  let hosts: Set<string> | undefined;

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
      if (!tokenMatches(presentedToken(req, query), token)) return refuse(res, 401, "token required");
      if (path === "/" && query.has("token")) {
        // Keep the token as a cookie and take it out of the address bar (and of the history).
        res.writeHead(303, {
          ...headers,
          Location: "/",
          "Set-Cookie": `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        });
        return void res.end();
      }
    }
    const lang: Lang = query.get("lang") === "zh" ? "zh" : "en";
    const asset = assets.byPath.get(path);
    if (asset) return send(res, 200, asset.type, asset.body);
    if (path === "/api/runs") return json(res, provider.runs());
    if (path === "/api/events") return hub.open(res, lang, headers);
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
      default: {
        const panel = await provider.panel(key);
        if (!panel) return void res.writeHead(204, headers).end();
        return json(res, panel);
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, "internal error");
      else res.destroy();
    });
  });
  // Many pages and a benchmark's 200 streams: no idle limit on the event streams.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (token === undefined) hosts = loopbackHosts(port);
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shown}:${port}/${token ? `?token=${token}` : ""}`;
  return {
    url,
    port,
    host,
    token,
    hub,
    close: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
