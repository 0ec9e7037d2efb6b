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

const LEVELS = new Set(LEVEL.split("|"));
/** What `(.*)$` cannot match: JavaScript's line terminators. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

export function unwrapLogLine(text: string): LogMessage {
  const fast = fileHandlerLine(text);
  if (fast) return fast;
  const file = FILE_HANDLER_TABS.exec(text) ?? FILE_HANDLER_SPACES.exec(text);
  if (file) {
    const [y, mo, d, h, mi, s] = [file[1], file[2], file[3], file[4], file[5], file[6]].map(Number);
    return { message: file[8].trim(), wallTime: seconds(y, mo, d, h, mi, s) + fraction(file[7]) };
  }
  const consoleLine = CONSOLE.exec(text);
  if (consoleLine) return { message: consoleLine[1].trim() };
  return { message: text.trim() };
}

/**
 * FILE_HANDLER_TABS read without the pattern, for the lines a train.log is made of: its eight captures
 * were most of what reading a line cost. Undefined for any line not exactly of that shape, which the
 * patterns then decide, so the result is always the one they would give.
 */
function fileHandlerLine(text: string): LogMessage | undefined {
  // `yyyy-mm-dd hh:mm:ss`
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  if ((y | mo | d | h | mi | s) < 0) return undefined;
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== " " || text[13] !== ":" || text[16] !== ":") {
    return undefined;
  }
  // `,mmm` or `.mmm`: one to six digits, then the tab.
  let at = 19;
  let part = 0;
  let scale = 1;
  if (text[at] === "," || text[at] === ".") {
    at++;
    for (; at < text.length && at <= 25; at++) {
      const c = text.charCodeAt(at) - 48;
      if (c < 0 || c > 9) break;
      part = part * 10 + c;
      scale *= 10;
    }
    if (scale === 1) return undefined;
  }
  if (text[at] !== "\t") return undefined;
  const nameEnd = text.indexOf("\t", at + 1);
  const levelEnd = nameEnd < 0 ? -1 : text.indexOf("\t", nameEnd + 1);
  if (levelEnd < 0 || !LEVELS.has(text.slice(nameEnd + 1, levelEnd))) return undefined;
  const rest = text.slice(levelEnd + 1);
  if (LINE_TERMINATOR.test(rest)) return undefined;
  // part / scale: the double nearest the decimal fraction, as Number(`0.${digits}`) gives.
  return { message: rest.trim(), wallTime: seconds(y, mo, d, h, mi, s) + part / scale };
}

/** Where a line's message is in its text, and its wall time: unwrapLogLine as offsets. */
export interface MessageSpan {
  start: number;
  end: number;
  wallTime: number | undefined;
}

/**
 * unwrapLogLine for the line `text.slice(start, end)` without a substring or a pattern, for the common
 * envelopes: the train.log shape fileHandlerLine reads, `LEVEL:name:` and a bare message. Fills `span`
 * and returns true, or returns false when only unwrapLogLine can tell (then `span` means nothing).
 *
 * The message's ends are trimmed of spaces and tabs only; unwrapLogLine trims every white space and
 * refuses a line terminator (U+2028) inside a train.log message. The two agree when the message found
 * here begins and ends with a printable ASCII character and holds no line terminator: a caller must
 * read it as such a message (or not at all) to rely on this.
 */
export function unwrapSpan(text: string, start: number, end: number, span: MessageSpan): boolean {
  if (end - start < 1) return false;
  const first = text.charCodeAt(start);
  let from: number;
  span.wallTime = undefined;
  if (first >= 48 && first <= 57) {
    // Digits first: the train.log shape or nothing (the patterns also want `yyyy-` at the start).
    from = fileHandlerMessage(text, start, end, span);
    if (from < 0) return false;
  } else {
    from = consoleMessage(text, start, end);
    if (from < 0) from = start;
  }
  let to = end;
  while (from < to && isBlank(text.charCodeAt(from))) from++;
  while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
  span.start = from;
  span.end = to;
  return true;
}

/** fileHandlerLine on `text.slice(start, end)`: where its message starts (its wall time in `span`), or -1. */
function fileHandlerMessage(text: string, start: number, end: number, span: MessageSpan): number {
  if (end - start < 24) return -1;
  const y = digitsAt(text, start, 4);
  const mo = digitsAt(text, start + 5, 2);
  const d = digitsAt(text, start + 8, 2);
  const h = digitsAt(text, start + 11, 2);
  const mi = digitsAt(text, start + 14, 2);
  const s = digitsAt(text, start + 17, 2);
  if ((y | mo | d | h | mi | s) < 0) return -1;
  if (
    text.charCodeAt(start + 4) !== 45 || // -
    text.charCodeAt(start + 7) !== 45 ||
    text.charCodeAt(start + 10) !== 32 ||
    text.charCodeAt(start + 13) !== 58 || // :
    text.charCodeAt(start + 16) !== 58
  ) {
    return -1;
  }
  let at = start + 19;
  let part = 0;
  let scale = 1;
  const sep = text.charCodeAt(at);
  if (sep === 44 || sep === 46) {
    // `,mmm` or `.mmm`
    at++;
    for (; at < end && at <= start + 25; at++) {
      const c = text.charCodeAt(at) - 48;
      if (c < 0 || c > 9) break;
      part = part * 10 + c;
      scale *= 10;
    }
    if (scale === 1) return -1;
  }
  if (at >= end || text.charCodeAt(at) !== 9) return -1;
  // The logger's name and level, each up to a tab (a loop: they are short, a search call costs more).
  let nameEnd = at + 1;
  while (nameEnd < end && text.charCodeAt(nameEnd) !== 9) nameEnd++;
  let levelEnd = nameEnd + 1;
  while (levelEnd < end && text.charCodeAt(levelEnd) !== 9) levelEnd++;
  if (levelEnd >= end || !isLevel(text, nameEnd + 1, levelEnd)) return -1;
  span.wallTime = seconds(y, mo, d, h, mi, s) + part / scale;
  return levelEnd + 1;
}

/** CONSOLE's `LEVEL:name:` prefix: where the message after it starts, or -1 when there is none. */
function consoleMessage(text: string, start: number, end: number): number {
  const first = text.charCodeAt(start);
  if (first < 65 || first > 87) return -1; // D, E, I, W, C: A..W
  const colon = text.indexOf(":", start);
  if (colon < 0 || colon >= end || !isLevel(text, start, colon)) return -1;
  const second = text.indexOf(":", colon + 1);
  return second < 0 || second >= end ? -1 : second + 1;
}

/** Whether `text.slice(from, to)` is one of LEVELS, without the substring. */
function isLevel(text: string, from: number, to: number): boolean {
  const length = to - from;
  for (const level of LEVEL_LIST) {
    if (level.length === length && sameChars(text, from, level)) return true;
  }
  return false;
}

/** Whether `word` is at `text[at]` (a loop: for a few characters, startsWith's call costs more). */
function sameChars(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

const LEVEL_LIST = LEVEL.split("|");

/** Space or tab. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** The number written with `n` digits at `text[at]`, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The last whole second read and its value: a log writes many lines in the same second. */
let lastSecondKey = -1;
let lastSecond = 0;

/**
 * Python's asctime is local time without a zone. It is read as UTC: differences between lines (what
 * rates and durations need) are exact, the absolute instant may be off by the trainer's UTC offset.
 */
function seconds(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  // Every field has at most 4 (year) or 2 digits: this key is one number per distinct timestamp.
  const key = ((((y * 100 + mo) * 100 + d) * 100 + h) * 100 + mi) * 100 + s;
  if (key !== lastSecondKey) {
    lastSecond = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
    lastSecondKey = key;
  }
  return lastSecond;
}

/** The fraction of a second `,153` stands for (`digits` / 10^n is the double nearest `0.digits`). */
function fraction(digits: string | undefined): number {
  return digits ? Number(digits) / 10 ** digits.length : 0;
}
