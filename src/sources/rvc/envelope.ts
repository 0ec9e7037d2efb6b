/**
 * The logging wrapper around an RVC / VITS message. Three shapes reach us (notes/rvc-logs.md §1):
 *
 * - `train.log` from `logging.FileHandler` with `"%(asctime)s\t%(name)s\t%(levelname)s\t%(message)s"`:
 *   `2023-03-26 21:08:35,153<TAB>32k<TAB>INFO<TAB>msg` (pasted into an issue, the tabs may become spaces);
 * - console output from `logging.basicConfig`: `INFO:exp:msg` (what users paste);
 * - a bare message (a hand-copied line, Applio's `print`).
 */

export interface LogMessage {
  message: string;
  /** Seconds since the Unix epoch, from a train.log timestamp. */
  wallTime?: number;
}

const TIMESTAMP = String.raw`(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:[,.](\d{1,6}))?`;
const LEVEL = "DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL";
const FILE_HANDLER_TABS = new RegExp(`^${TIMESTAMP}\\t[^\\t]*\\t(?:${LEVEL})\\t(.*)$`);
const FILE_HANDLER_SPACES = new RegExp(`^${TIMESTAMP}\\s+\\S+\\s+(?:${LEVEL})\\s+(.*)$`);
const CONSOLE = new RegExp(`^(?:${LEVEL}):[^:]*:(.*)$`);

export function unwrapLogLine(text: string): LogMessage {
  const file = FILE_HANDLER_TABS.exec(text) ?? FILE_HANDLER_SPACES.exec(text);
  if (file) return { message: file[8].trim(), wallTime: timestampSeconds(file) };
  const consoleLine = CONSOLE.exec(text);
  if (consoleLine) return { message: consoleLine[1].trim() };
  return { message: text.trim() };
}

/** The last whole-second timestamp read and its value: a log writes many lines in the same second. */
let lastSecondText = "";
let lastSecond = 0;

/**
 * Python's asctime is local time without a zone. It is read as UTC: differences between lines (what
 * rates and durations need) are exact, the absolute instant may be off by the trainer's UTC offset.
 */
function timestampSeconds(m: RegExpExecArray): number {
  // digits / 10^n is the double nearest the decimal fraction, as parsing `0.digits` gives, without
  // building that string.
  const fraction = m[7] ? Number(m[7]) / 10 ** m[7].length : 0;
  // The date and time up to the seconds: the first 19 characters of the match.
  const secondText = m[0].slice(0, 19);
  if (secondText !== lastSecondText) {
    const utc = Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    );
    lastSecond = utc / 1000;
    lastSecondText = secondText;
  }
  return lastSecond + fraction;
}
