/**
 * Nashboard runs from its TypeScript sources in a checkout (through tsx: `npm start`, the tests, the
 * bin) and from compiled JavaScript once packed (dist/, built by tsconfig.build.json, same layout as
 * src/). A module that starts another of the project's modules in a child process asks here for that
 * module's file and the Node flags it needs, so neither form names the other's extension or loader.
 */
import { fileURLToPath } from "node:url";

/** Whether this process runs the sources (this file is then `own-module.ts`, not `.js`). */
const FROM_SOURCES = import.meta.url.endsWith(".ts");

export interface ChildModule {
  /** The module's file: `.ts` under the sources, `.js` in the package. */
  file: string;
  /** Node's flags for the child: tsx by its resolved location under the sources (so the child starts
   * from any working directory), none in the package. */
  execArgv: string[];
}

/** `specifier` as the sources write it (`./main.ts`), relative to `base` (the caller's import.meta.url). */
export function childModule(specifier: string, base: string): ChildModule {
  const written = FROM_SOURCES ? specifier : specifier.replace(/\.ts$/, ".js");
  return {
    file: fileURLToPath(new URL(written, base)),
    execArgv: FROM_SOURCES ? ["--import", import.meta.resolve("tsx")] : [],
  };
}
