/**
 * One CSV line into fields: the separator is `,`, `;` (spreadsheets in locales with a decimal comma) or
 * a tab, chosen once from the header; fields may be quoted with `"` and a quote inside doubled (`""`).
 * A field cannot span lines here: metric exports never need it, and a line-based reader keeps a broken
 * quote from swallowing the rest of the file. Lines of numbers separated by spaces (NumPy's savetxt, a
 * script's own `f.write(f"{loss} {acc}\n")`) have the separator " ": any run of spaces or tabs.
 */

export type Separator = "," | ";" | "\t" | " ";

/** The separator used most often outside quotes in a header line (a comma when there is none). */
export function detectSeparator(header: string): Separator {
  const counts: Record<Exclude<Separator, " ">, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "," || c === ";" || c === "\t")) counts[c]++;
  }
  // Ties go to the tab, then the comma: a tab is never part of a name, a comma rarely.
  const order: Exclude<Separator, " ">[] = ["\t", ",", ";"];
  const best = order.reduce((top, s) => (counts[s] > counts[top] ? s : top), order[0]);
  if (counts[best] > 0) return best;
  return /^\s*[-+.\d]\S*(?:\s+[-+.\d]\S*)+\s*$/.test(header) ? " " : ",";
}

/** The fields of one line, or undefined when a quote is left open (a damaged or cut line). */
export function splitFields(line: string, separator: Separator): string[] | undefined {
  if (separator === " ") return line.trim().split(/\s+/);
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}
