/**
 * The event stream: every page holds one Server-Sent Events connection, in its language. A provider
 * update is serialised once and written to every connection; report updates are coalesced per run
 * (at most one every `reportMs`) and rendered once per language in use. Each message has an id, each
 * run's points a seq, so a page can tell it missed nothing (and reloads a run if it ever did).
 *
 * Nothing is dropped for a client that keeps up: writes are queued by the socket. A client so far
 * behind that `maxBufferedBytes` are waiting (it stopped reading) is dropped alone, so what a stalled
 * page costs is bounded and the others never wait for it: it is sent a last `dropped` event with the
 * reason in its language and closed; its EventSource reconnects and the page reloads what it shows.
 */
import type { ServerResponse } from "node:http";
import { type Lang, messages } from "../i18n/index.ts";
import { SERVER_LIMITS } from "./limits.ts";
import type { DashboardProvider, ProviderUpdate } from "./provider.ts";
import { reportView } from "./report-view.ts";

interface Client {
  res: ServerResponse;
  lang: Lang;
}

export interface HubOptions {
  reportMs?: number;
  heartbeatMs?: number;
  maxBufferedBytes?: number;
  /** How long a dropped client has to read its reason before its connection is cut (default 1 s). */
  dropGraceMs?: number;
}

export class SseHub {
  private readonly clients = new Set<Client>();
  private readonly dirtyReports = new Set<string>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private reportTimer: NodeJS.Timeout | undefined;
  private nextId = 0;
  /** Messages written to clients (counted once per client), for the load benchmark. */
  sent = 0;
  /** Clients dropped for falling `maxBufferedBytes` behind, for the tests and the load benchmark. */
  dropped = 0;

  constructor(
    private readonly provider: DashboardProvider,
    private readonly options: HubOptions = {},
  ) {
    this.unsubscribe = provider.subscribe((u) => this.onUpdate(u));
    this.heartbeat = setInterval(() => this.comment("keep-alive"), options.heartbeatMs ?? 15000);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over a request as an event stream: headers, then the state of every run in `lang`. */
  open(res: ServerResponse, lang: Lang, headers: Record<string, string>): void {
    res.writeHead(200, {
      ...headers,
      "Content-Type": "text/event-stream; charset=utf-8",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.socket?.setNoDelay(true);
    const client: Client = { res, lang };
    this.clients.add(client);
    res.on("close", () => this.clients.delete(client));
    const runs = this.provider.runs();
    const hello = {
      runs,
      reports: Object.fromEntries(runs.map((r) => [r.key, this.view(r.key, lang)])),
      control: Object.fromEntries(runs.map((r) => [r.key, this.provider.control(r.key) ?? []])),
    };
    res.write("retry: 1000\n\n");
    this.write(client, this.frame("hello", hello));
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    clearTimeout(this.reportTimer);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private onUpdate(u: ProviderUpdate): void {
    if (u.type === "report") {
      this.dirtyReports.add(u.key);
      this.reportTimer ??= setTimeout(() => this.flushReports(), this.options.reportMs ?? 250);
      return;
    }
    if (u.type === "run") {
      this.broadcast(this.frame("run", u.run));
      this.dirtyReports.add(u.run.key);
      this.reportTimer ??= setTimeout(() => this.flushReports(), this.options.reportMs ?? 250);
      return;
    }
    const { type, ...data } = u;
    this.broadcast(this.frame(type, data));
  }

  private flushReports(): void {
    this.reportTimer = undefined;
    const keys = [...this.dirtyReports];
    this.dirtyReports.clear();
    const byLang = new Map<Lang, string>();
    for (const key of keys) {
      byLang.clear();
      for (const c of this.clients) {
        let frame = byLang.get(c.lang);
        if (frame === undefined) {
          frame = this.frame("report", { key, report: this.view(key, c.lang) });
          byLang.set(c.lang, frame);
        }
        this.write(c, frame);
      }
    }
  }

  private view(key: string, lang: Lang) {
    const report = this.provider.report(key);
    return report ? reportView(report, lang) : null;
  }

  private frame(event: string, data: unknown): string {
    return `id: ${++this.nextId}\nevent: ${event}\ndata: ${JSON.stringify(data, finiteOrText)}\n\n`;
  }

  private broadcast(frame: string): void {
    for (const c of this.clients) this.write(c, frame);
  }

  private comment(text: string): void {
    for (const c of this.clients) if (!this.behind(c)) c.res.write(`: ${text}\n\n`);
  }

  private write(c: Client, frame: string): void {
    if (this.behind(c)) return;
    c.res.write(frame);
    this.sent++;
  }

  /** Drops `c` if it is too far behind; says whether it was. */
  private behind(c: Client): boolean {
    const max = this.options.maxBufferedBytes ?? SERVER_LIMITS.maxBufferedBytes;
    if (c.res.writableLength <= max) return false;
    this.clients.delete(c);
    this.dropped++;
    // The reason goes last in the queue: a client that only paused reads it before the end, and then
    // the connection closes (not kept alive for another request: its page reconnects anew). One that
    // never reads again is cut off a second later, so its queue is freed either way.
    const reason = messages(c.lang).dashboardDropped(Math.ceil(max / 1024));
    // The socket itself: a finished response lets go of it, and its destroy() no longer reaches it.
    const socket = c.res.socket;
    c.res.end(this.frame("dropped", { reason }), () => socket?.destroy());
    setTimeout(() => socket?.destroy(), this.options.dropGraceMs ?? 1000).unref();
    return true;
  }
}

/** JSON has no NaN or Infinity; a diverged loss is data, so they travel as "NaN" / "Infinity" text. */
export function finiteOrText(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
}
