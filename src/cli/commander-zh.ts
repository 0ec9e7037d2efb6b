/**
 * Commander writes its parsing errors in English. For Chinese output the common ones are recognised
 * by their shape and rewritten; anything unrecognised stays English rather than being lost.
 */
const RULES: [RegExp, (...groups: string[]) => string][] = [
  [/unknown option '([^']+)'/, (o) => `未知选项 '${o}'`],
  [/unknown command '([^']+)'/, (c) => `未知命令 '${c}'`],
  [/option '([^']+)' argument missing/, (o) => `选项 '${o}' 缺少参数`],
  [/missing required argument '([^']+)'/, (a) => `缺少必需参数 '${a}'`],
  [/too many arguments(?: for '([^']+)')?/, (c) => `${c ? `'${c}' 的` : ""}参数过多`],
  [
    /option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are (.+)\./,
    (o, v, c) => `选项 '${o}' 的参数 '${v}' 无效。可选值：${c}。`,
  ],
  [
    /option '([^']+)' argument '([^']*)' is invalid\. (.+)/,
    (o, v, why) => `选项 '${o}' 的参数 '${v}' 无效。${REASONS[why] ?? why}`,
  ],
  [/\(Did you mean (.+)\?\)/, (s) => `（是否想用 ${s}？）`],
];

/** The reasons src/cli/options.ts gives, in Chinese. */
const REASONS: Record<string, string> = {
  "expected a whole number >= 1.": "应为 >= 1 的整数。",
  "expected a whole number >= 0.": "应为 >= 0 的整数。",
  "expected a positive number such as 1e-4 or 0.0002.": "应为正数，例如 1e-4 或 0.0002。",
  "expected a number in [0, 1).": "应为 [0, 1) 内的数。",
  "expected comma-separated layer widths between 1 and 4096, e.g. 128,128.":
    "应为逗号分隔的层宽（1 到 4096），例如 128,128。",
};

export function commanderErrorToZh(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      for (const [pattern, render] of RULES) {
        const m = pattern.exec(line);
        if (m) return line.replace(m[0], render(...m.slice(1)));
      }
      return line;
    })
    .join("\n");
}
