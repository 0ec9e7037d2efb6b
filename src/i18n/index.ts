/**
 * Every sentence a user reads exists in English and Chinese. Messages are functions of their
 * parameters, so word order can differ between languages; the English catalogue defines the keys and
 * the compiler checks that the Chinese one has every key with the same parameters.
 */
import { en } from "./en.ts";
import { zh } from "./zh.ts";

export type Lang = "en" | "zh";
export const LANGS: readonly Lang[] = ["en", "zh"];
export type Messages = typeof en;

const catalogues: Record<Lang, Messages> = { en, zh };

export function messages(lang: Lang): Messages {
  return catalogues[lang];
}

/** The language from the locale environment (LC_ALL, LC_MESSAGES, LANG): Chinese for zh_*, else English. */
export function detectLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^zh/i.test(locale) ? "zh" : "en";
}
