/**
 * The dashboard of `train --serve`, in a process of its own. The training loop keeps its thread busy
 * between steps (a timer set beside it fires about once in six seconds), so a server beside it would
 * answer late and its follower would poll late. Here the server follows the run directory like `watch`
 * does and receives the live trainer's sample panels over the IPC channel. It exits when its parent
 * does (the channel closes).
 *
 * Messages from the parent: { type: "panel", panel }; to the parent: { type: "ready", url, token } or
 * { type: "failed", message }.
 */
import { mkdirSync } from "node:fs";
import { startDashboardServer } from "./dashboard-server.ts";
import { createFollowProvider } from "./follow-provider.ts";
import type { SamplePanel } from "./provider.ts";

export interface ServeChildArgs {
  dir: string;
  port?: number;
  host?: string;
}

async function serve(args: ServeChildArgs): Promise<void> {
  mkdirSync(args.dir, { recursive: true });
  const provider = await createFollowProvider(args.dir);
  const server = await startDashboardServer(provider, {
    ...(args.host !== undefined ? { host: args.host, requireToken: true } : {}),
    ...(args.port !== undefined ? { port: args.port } : {}),
  });
  let latest: SamplePanel | undefined;
  const deliver = () => {
    // The run is "." (the directory itself) once its metrics.jsonl has appeared.
    const key = provider.keyOf(".");
    if (key && latest) provider.setPanel(key, latest);
  };
  process.on("message", (m: { type?: string; panel?: SamplePanel }) => {
    if (m?.type === "panel" && m.panel) {
      latest = m.panel;
      deliver();
    }
  });
  provider.subscribe((u) => {
    if (u.type === "run") deliver();
  });
  process.on("disconnect", () => {
    void server
      .close()
      .then(() => provider.close())
      .finally(() => process.exit(0));
  });
  process.send?.({ type: "ready", url: server.url, token: server.token });
}

const args = JSON.parse(process.argv[2] ?? "{}") as ServeChildArgs;
serve(args).catch((e: Error & { code?: string }) => {
  process.send?.({ type: "failed", message: e.code ?? e.message });
  process.exit(1);
});
