// Builds the optional native addon (the trainer's fast path) from the package's `install` script.
// It never fails the install: when anything is missing (a compiler, Node's headers, an x86-64 CPU) it
// prints one line and exits 0, and the trainer runs on the wasm backend instead.
//
// Plain JavaScript rather than TypeScript because it runs while npm is still installing.
// NASHBOARD_NATIVE=0 skips the build.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const fallback = "training will use the wasm backend";

// npm shows an install script's output only when it fails, so the outcome is also left in
// build/status.txt, where the trainer reads why it runs without the addon.
function note(message) {
  console.log(`nashboard: ${message}`);
  mkdirSync(join(here, "build"), { recursive: true });
  writeFileSync(join(here, "build", "status.txt"), `${message}\n`);
  process.exit(0);
}

if (process.env.NASHBOARD_NATIVE === "0") note(`native addon skipped (NASHBOARD_NATIVE=0); ${fallback}`);
if (process.arch !== "x64") note(`no native addon for ${process.arch} (its kernels are x86-64); ${fallback}`);

// node-gyp ships inside npm; npm tells its scripts where (npm_config_node_gyp), else look beside npm.
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  if (process.env.npm_execpath) {
    candidates.push(
      join(dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"),
    );
  }
  candidates.push(
    join(
      dirname(process.execPath),
      "..",
      "lib",
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
  );
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    return createRequire(import.meta.url).resolve("node-gyp/bin/node-gyp.js");
  } catch {
    return undefined;
  }
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) note(`native addon not built (node-gyp not found); ${fallback}`);

// Build against the running Node's own headers when it ships them (Debian's and the official
// tarballs do), so no download is needed; otherwise node-gyp fetches them.
const prefix = resolve(dirname(process.execPath), "..");
const nodedir = existsSync(join(prefix, "include", "node", "node_api.h")) ? [`--nodedir=${prefix}`] : [];
const result = spawnSync(process.execPath, [nodeGyp, "rebuild", ...nodedir], {
  cwd: here,
  encoding: "utf8",
  timeout: 300_000,
});
if (result.status !== 0) {
  const output = `${result.stderr ?? ""}${result.stdout ?? ""}`;
  const lines = output.split("\n");
  const firstError =
    lines.find((l) => /not found|No such file/i.test(l)) ??
    lines.find((l) => /error|ERR!/i.test(l)) ??
    String(result.error ?? `exit status ${result.status}`);
  note(`native addon not built (${firstError.trim().slice(0, 160)}); ${fallback}`);
}
note("native addon built (native/build/Release/nashboard_native.node)");
