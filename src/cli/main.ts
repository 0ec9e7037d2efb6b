// The `nashboard` entry point (bin/nashboard.js and `npm start` run this file).
import { main, reportEscaped } from "./program.ts";

const argv = process.argv.slice(2);

// tfjs-backend-wasm's Emscripten glue (in dist/tf-backend-wasm.node.js, the wasm module's loader) adds
// process listeners for uncaughtException and unhandledRejection that rethrow; Node then prints the
// line the rethrow came from, ~40 KB of minified source, and exits 7. Listeners run in the order they
// were added, and these are added first: they print the error as the CLI does and exit.
const escaped = (e: unknown) => process.exit(reportEscaped(e, argv));
process.on("uncaughtException", escaped);
process.on("unhandledRejection", escaped);

try {
  process.exitCode = await main(argv);
} catch (e) {
  process.exitCode = reportEscaped(e, argv);
}
