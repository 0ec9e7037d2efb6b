/**
 * The formats Nashboard reads and the parser of each: the one place a new format is added. Detection
 * (detect.ts) tries these parsers on a file's head; reading (read-file.ts) feeds them the whole file.
 */
import { ConsoleLogParser } from "./console/console-log.ts";
import { CsvParser } from "./csv.ts";
import { DcganConsoleParser } from "./dcgan-console.ts";
import { JsonDocumentParser } from "./json-document.ts";
import { JsonlParser } from "./jsonl.ts";
import { MlflowMetricParser } from "./mlflow-metric.ts";
import type { ReadNames, StreamParser } from "./parser.ts";
import { RvcLogParser } from "./rvc-log.ts";
import { TfEventsParser } from "./tfevents.ts";

export type LogFormat =
  | "tfevents"
  | "rvc-log"
  | "dcgan-console"
  | "csv"
  | "jsonl"
  | "console"
  | "mlflow-metric"
  | "json";

/** Every format name `--format` accepts, in the order help texts list them. */
export const LOG_FORMATS: readonly LogFormat[] = [
  "tfevents",
  "rvc-log",
  "dcgan-console",
  "csv",
  "jsonl",
  "console",
];

export function isLogFormat(name: string): name is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(name);
}

export function createParser(format: LogFormat, path: string, names: ReadNames = {}): StreamParser {
  switch (format) {
    case "tfevents":
      return new TfEventsParser(path);
    case "rvc-log":
      return new RvcLogParser(path);
    case "dcgan-console":
      return new DcganConsoleParser(path);
    case "csv":
      return new CsvParser(path, names);
    case "jsonl":
      return new JsonlParser(path, names);
    case "console":
      return new ConsoleLogParser(path, names);
    case "mlflow-metric":
      return new MlflowMetricParser(path);
    case "json":
      return new JsonDocumentParser(path, names);
  }
}
