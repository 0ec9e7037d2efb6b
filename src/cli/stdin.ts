/**
 * `nashboard analyze -`: a log pasted into standard input, read like a file. It is copied to a file of
 * its own (named `stdin`, so the run is called that) in a private temporary directory, because every
 * reader, detection included, works on files; the directory is removed when the command is done.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { NashboardError } from "../errors.ts";
import { type Lang, messages } from "../i18n/index.ts";

export async function withStdin<T>(path: string, use: (file: string) => Promise<T>, lang: Lang): Promise<T> {
  if (path !== "-") return use(path);
  if (process.stdin.isTTY) throw new NashboardError("usage", messages(lang).errStdinTerminal);
  const dir = await mkdtemp(join(tmpdir(), "nashboard-"));
  try {
    const file = join(dir, "stdin");
    await pipeline(process.stdin, createWriteStream(file));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
