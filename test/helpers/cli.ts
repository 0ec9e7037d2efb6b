/** Run the nashboard CLI as a user would, in a child process, and collect what it printed. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    cwd: REPO,
    env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/**
 * The CLI started by a test that may leave it running (a trainer of a million steps): `killAll()`, in
 * the test file's `after`, kills whichever of them a failed assertion left behind.
 */
export function trackedCli() {
  const started: ChildProcess[] = [];
  return {
    start(args: string[]): ChildProcess {
      const child = startCli(args);
      started.push(child);
      return child;
    },
    killAll(): void {
      for (const child of started)
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return collect(startCli(args, env));
}
