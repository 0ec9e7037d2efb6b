/**
 * `nashboard watch PATH`: follow the runs under PATH and serve the live dashboard until Ctrl-C. The
 * address is printed once (with the token when --host is given); the page updates as the logs grow.
 * The dashboard flags (--port, --host) are shared with `train --serve`.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { NashboardError } from "../errors.ts";
import { type Lang, messages } from "../i18n/index.ts";
import { LOSS_FAMILIES } from "../losses/equilibrium.ts";
import { type DashboardProcess, startDashboardProcess } from "../server/dashboard-process.ts";
import { type DashboardServer, startDashboardServer } from "../server/dashboard-server.ts";
import { createFollowProvider, type SteerOptions } from "../server/follow-provider.ts";
import type { DashboardProvider } from "../server/provider.ts";
import type { LogFormat } from "../sources/detect.ts";
import { LOG_FORMATS } from "../sources/formats.ts";
import type { StepMetrics, Trainer } from "../train/trainer.ts";
import type { LossFamily } from "../types.ts";
import { positiveInt } from "./options.ts";

export interface ServeFlags {
  port?: number;
  host?: string;
}

interface WatchFlags extends ServeFlags {
  format?: LogFormat;
  loss?: LossFamily;
  discriminators?: number;
  steer?: boolean;
  dSteps?: number;
  steps?: number;
}

export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535)
    throw new InvalidArgumentError("expected a port, 0 to 65535.");
  return n;
}

/** --port and --host, for `watch` and `train --serve`. */
export function addServeOptions(cmd: Command, lang: Lang): Command {
  const m = messages(lang);
  return cmd.option("--port <n>", m.optPort, port).option("--host <address>", m.optHost);
}

export function registerWatch(program: Command, lang: Lang): void {
  const m = messages(lang);
  addServeOptions(program.command("watch").description(m.cmdWatch).argument("<path>", m.argWatchPath), lang)
    .addOption(new Option("--format <format>", m.optFormat).choices(LOG_FORMATS))
    .addOption(new Option("--loss <family>", m.optAnalyzeLoss).choices(LOSS_FAMILIES))
    .option("--discriminators <k>", m.optDiscriminators, positiveInt)
    .option("--steer", m.optSteer)
    .option("--d-steps <n>", m.optSteerDSteps, positiveInt)
    .option("--steps <n>", m.optSteerSteps, positiveInt)
    .action(async (path: string, flags: WatchFlags) => {
      if ((flags.dSteps !== undefined || flags.steps !== undefined) && !flags.steer)
        throw new NashboardError("usage", {
          en: messages("en").steerDStepsAlone,
          zh: messages("zh").steerDStepsAlone,
        });
      const provider = await createFollowProvider(path, {
        ...(flags.format ? { format: flags.format } : {}),
        ...(flags.loss ? { lossFamily: flags.loss } : {}),
        ...(flags.discriminators ? { discriminators: flags.discriminators } : {}),
        ...(flags.steer ? { steer: steerHooks(flags, lang) } : {}),
      });
      const server = await serveDashboard(provider, flags, lang);
      // Listen for Ctrl-C before saying it stops us: a signal in between would kill the process outright.
      const stopped = untilStopped();
      process.stdout.write(`${m.dashboardRuns(provider.runs().length)}\n`);
      await stopped;
      await server.close();
      await provider.close();
      process.stdout.write(`${m.dashboardStopped}\n`);
    });
}

/** `watch --steer`: each decision, each run left alone and each failure to write, as one line. */
function steerHooks(flags: WatchFlags, lang: Lang): SteerOptions {
  const m = messages(lang);
  return {
    ...(flags.dSteps !== undefined ? { dSteps: flags.dSteps } : {}),
    ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
    onDecision: (run, r) => {
      const reason = r.reason as keyof typeof m.controlReason;
      const words = m.controlReason[reason] ?? r.reason;
      process.stdout.write(
        `${m.steerLine(run, r.step, r.lr_d_mult, r.lr_g_mult, r.d_steps, r.r1, r.urgent ? m.controlUrgent(words) : words)}\n`,
      );
    },
    onSkip: (run, folder, why) =>
      process.stderr.write(
        `${why === "trainer_run" ? m.steerSkipTrainer(run) : m.steerSkipShared(run, folder)}\n`,
      ),
    onError: (run, e) => {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(
        `${m.steerFailed(run, err.code ? `${err.code}: ${err.path ?? ""}` : err.message)}\n`,
      );
    },
  };
}

/** Starts the server on `provider` and prints its address once (with the token, when there is one). */
export async function serveDashboard(
  provider: DashboardProvider,
  flags: ServeFlags,
  lang: Lang,
): Promise<DashboardServer> {
  const m = messages(lang);
  let server: DashboardServer;
  try {
    server = await startDashboardServer(provider, {
      ...(flags.host !== undefined ? { host: flags.host, requireToken: true } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
    });
  } catch (e) {
    await provider.close();
    const err = e as NodeJS.ErrnoException;
    throw new NashboardError(
      "usage",
      `${flags.host ?? "127.0.0.1"}:${flags.port ?? 0}: ${err.code ?? err.message}`,
    );
  }
  const lines = [m.dashboardUrl(server.url)];
  if (server.token) lines.push(m.dashboardToken);
  process.stdout.write(`${lines.join("\n")}\n`);
  return server;
}

/** Panels are sent at most this often: a few milliseconds of the trainer's time each. */
const PANEL_MS = 1000;

/**
 * `train --serve`: the dashboard of the run directory in a process of its own (see
 * src/server/serve-child.ts), fed the trainer's sample panels from `onLog`; after the run it keeps
 * serving until Ctrl-C.
 */
export async function serveTraining(dir: string, flags: ServeFlags, lang: Lang) {
  const m = messages(lang);
  // Loaded here, not at the top: sample-panel.ts loads tfjs, which a watch of other trainers' logs
  // never needs. Loaded before training starts, so each panel is drawn at once inside onLog, between
  // two steps (the training loop does not yield to a pending import).
  const { samplePanel } = await import("../server/sample-panel.ts");
  let dashboard: DashboardProcess;
  try {
    dashboard = await startDashboardProcess({ dir, ...flags });
  } catch (e) {
    throw new NashboardError(
      "usage",
      `${flags.host ?? "127.0.0.1"}:${flags.port ?? 0}: ${(e as Error).message}`,
    );
  }
  process.stdout.write(`${m.dashboardUrl(dashboard.url)}\n${dashboard.token ? `${m.dashboardToken}\n` : ""}`);
  let last = Number.NEGATIVE_INFINITY;
  let busy = false;
  return {
    onLog: (_metrics: StepMetrics, trainer: Trainer) => {
      const now = performance.now();
      if (busy || now - last < PANEL_MS) return;
      last = now;
      busy = true;
      samplePanel(trainer)
        .then((p) => dashboard.panel(p))
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    },
    /** Stops serving at once: the run failed or was refused, and a listening server would keep the process alive. */
    close: () => dashboard.close(),
    keepServing: async () => {
      const stopped = untilStopped(); // before the line that invites Ctrl-C (see watch above)
      process.stdout.write(`${m.dashboardUrl(dashboard.url)}\n${m.dashboardRuns(1)}\n`);
      await stopped;
      await dashboard.close();
      process.stdout.write(`${m.dashboardStopped}\n`);
    },
  };
}

/** Resolves on Ctrl-C or SIGTERM. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
