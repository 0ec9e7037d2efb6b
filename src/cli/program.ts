/**
 * The command line's one edge: it builds the commands, and it alone prints errors and exits. A user's
 * mistake (NashboardError, a bad flag) and a failure of the machine the user can fix (a full or
 * read-only disk, a heap too small: failure.ts) become one line and an exit code; anything else is a
 * bug and keeps its stack trace (main.ts prints it).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { EXIT_CODES, type NashboardError } from "../errors.ts";
import { detectLang, LANGS, type Lang, messages } from "../i18n/index.ts";
import { registerAnalyze } from "./analyze-command.ts";
import { commanderErrorToZh } from "./commander-zh.ts";
import { registerDemo } from "./demo-command.ts";
import { failureOf } from "./failure.ts";
import { registerTrain } from "./train-command.ts";
import { registerWatch } from "./watch-command.ts";

/** The version in package.json, which sits two directories above this file in the repo and the package. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** --lang must be known before the commands are built, since their help texts are translated too. */
export function langFromArgv(argv: string[]): Lang {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const value = i < 0 ? undefined : argv[i].includes("=") ? argv[i].split("=")[1] : argv[i + 1];
  return value === "en" || value === "zh" ? value : detectLang();
}

export async function main(argv: string[]): Promise<number> {
  const lang = langFromArgv(argv);
  const m = messages(lang);
  const program = new Command("nashboard")
    .description(m.cliDescription)
    .addOption(new Option("--lang <lang>", m.optLang).choices(LANGS))
    .version(packageVersion(), "--version", m.optVersion)
    .exitOverride()
    .configureOutput({
      outputError: (s, write) => {
        const text = s.replace(/^error: /, `${m.errorPrefix}: `);
        write(lang === "zh" ? commanderErrorToZh(text) : text);
      },
    })
    .showSuggestionAfterError(true);
  registerTrain(program, lang);
  registerDemo(program, lang);
  registerAnalyze(program, lang);
  registerWatch(program, lang);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every parsing mistake is a usage error (2)
      return e.exitCode === 0 ? 0 : EXIT_CODES.usage;
    }
    const failure = failureOf(e);
    if (failure) return report(failure, lang);
    throw e;
  }
}

/** Prints `failure` as one line and returns its exit code. */
function report(failure: NashboardError, lang: Lang): number {
  process.stderr.write(`${messages(lang).errorPrefix}: ${failure.text(lang)}\n`);
  return EXIT_CODES[failure.code];
}

/**
 * The exit code for an error that escaped `main` (thrown from a timer or a stream, or a bug), after
 * printing it: one line when the user can act on it, else its stack trace. Never lets it reach Node's
 * default handler, which prints the source line it was thrown from.
 */
export function reportEscaped(e: unknown, argv: string[]): number {
  const lang = langFromArgv(argv);
  const failure = failureOf(e);
  if (failure) return report(failure, lang);
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}
