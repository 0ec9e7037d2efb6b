#!/usr/bin/env node
// The installed `nashboard` command: runs the TypeScript sources through tsx, so there is no build step.
// Importing "tsx" itself registers both its ESM and its CommonJS hooks, as `node --import tsx` does; the
// CommonJS hook is needed too (tfjs-core's gradient registry is loaded through require).
import "tsx";

await import("../src/cli/main.ts");
