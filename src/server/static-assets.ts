/**
 * Everything the page needs, read into memory once at start and served by exact name: the page
 * (web/index.html), its modules and style (web/*.js, web/*.css) and uPlot's ES module and CSS from
 * node_modules (pinned in package.json). No request path is ever joined to a directory, and nothing
 * comes from a CDN: the dashboard works offline.
 *
 * The client is plain JavaScript modules with JSDoc types (checked by `tsc -p web`): the browser runs
 * the files as they are, so there is no build step and no bundler.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Asset {
  body: Buffer;
  type: string;
}

export interface Assets {
  byPath: Map<string, Asset>;
  /** sha256 (base64) of the page's inline scripts (its import map), for the CSP. */
  scriptHashes: string[];
}

const WEB_DIR = fileURLToPath(new URL("../../web/", import.meta.url));
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

export function loadAssets(): Assets {
  const byPath = new Map<string, Asset>();
  const add = (path: string, file: string) => {
    const ext = file.slice(file.lastIndexOf("."));
    byPath.set(path, { body: readFileSync(file), type: TYPES[ext] ?? "application/octet-stream" });
  };
  for (const name of readdirSync(WEB_DIR)) {
    if (/^[a-z0-9-]+\.(js|css)$/.test(name)) add(`/web/${name}`, join(WEB_DIR, name));
  }
  add("/", join(WEB_DIR, "index.html"));
  const uplotDist = dirname(createRequire(import.meta.url).resolve("uplot"));
  add("/assets/uPlot.esm.js", join(uplotDist, "uPlot.esm.js"));
  add("/assets/uPlot.min.css", join(uplotDist, "uPlot.min.css"));
  const page = byPath.get("/")!.body.toString("utf8");
  const scriptHashes = [...page.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((m) =>
    createHash("sha256").update(m[1]).digest("base64"),
  );
  return { byPath, scriptHashes };
}
