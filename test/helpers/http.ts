/** Raw HTTP requests to a dashboard in tests: a request sent exactly as given, and an event stream read. */
import { request } from "node:http";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request: the path is sent exactly as given (no client-side normalisation of dot segments). */
export function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** Reads an event stream until `until` says stop; returns the events seen. */
export function stream(
  port: number,
  path: string,
  until: (events: { event: string; data: unknown }[]) => boolean,
  headers: Record<string, string> = {},
): Promise<{ status: number; events: { event: string; data: unknown }[] }> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: unknown }[] = [];
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return resolve({ status: res.statusCode ?? 0, events });
      }
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf("\n\n");
        }
        if (until(events)) {
          req.destroy();
          resolve({ status: 200, events });
        }
      });
    });
    req.on("error", (e) => (events.length > 0 ? resolve({ status: 200, events }) : reject(e)));
    req.end();
  });
}
