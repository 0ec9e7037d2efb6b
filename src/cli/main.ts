// The `nashboard` entry point (bin/nashboard.js and `npm start` run this file).
import { main } from "./program.ts";

process.exitCode = await main(process.argv.slice(2));
