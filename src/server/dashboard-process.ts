/**
 * The parent's side of `train --serve`: starts serve-child.ts in a child process (from the sources or
 * the compiled package, as this process runs: own-module.ts) and hands it the trainer's sample panels. See serve-child.ts for why the
 * dashboard does not share the training process.
 */
import { type ChildProcess, fork } from "node:child_process";
import { childModule } from "../own-module.ts";
import type { SamplePanel } from "./provider.ts";
import type { ServeChildArgs } from "./serve-child.ts";

export interface DashboardProcess {
  url: string;
  token: string | undefined;
  /** Sends a panel (the callers send one a second at most). */
  panel(p: SamplePanel): void;
  close(): Promise<void>;
}

const CHILD = childModule("./serve-child.ts", import.meta.url);

export function startDashboardProcess(args: ServeChildArgs): Promise<DashboardProcess> {
  const child: ChildProcess = fork(CHILD.file, [JSON.stringify(args)], {
    execArgv: CHILD.execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the dashboard process exited (${code})`)));
    child.once("message", (m: { type: string; url?: string; token?: string; message?: string }) => {
      if (m.type !== "ready") return reject(new Error(m.message ?? "the dashboard did not start"));
      child.removeAllListeners("exit");
      resolve({
        url: m.url!,
        token: m.token,
        // No wait for the send's callback: it needs the event loop, which training keeps busy.
        panel: (p) => {
          if (child.connected) child.send({ type: "panel", panel: p });
        },
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || !child.connected) return done();
            child.once("exit", () => done());
            child.disconnect();
          }),
      });
    });
  });
}
