#!/usr/bin/env node
// The `nashboard` command. In a checkout it runs the TypeScript sources through tsx (a devDependency), so
// an edited source needs no build step and a dist/ left from an earlier `npm pack` is never run stale;
// the package ships no sources (package.json's `files`) and runs the compiled JavaScript on plain Node.
// Importing "tsx" itself registers both its ESM and its CommonJS hooks, as `node --import tsx` does.
import { existsSync } from "node:fs";

const sources = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(sources)) {
  await import("tsx");
  await import(sources.href);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
