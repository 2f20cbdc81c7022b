import { ar } from "./catalogs/ar";
import { de } from "./catalogs/de";
import { en } from "./catalogs/en";
import { es } from "./catalogs/es";
import { fr } from "./catalogs/fr";
import { it } from "./catalogs/it";
import { pl } from "./catalogs/pl";
import { zh } from "./catalogs/zh";
import type { Messages, Plural } from "./messages";

/** The languages the page speaks, English first (the fallback). */
export const CATALOGS = { en, de, fr, es, it, pl, zh, ar } as const satisfies Record<string, Messages>;
export type Language = keyof typeof CATALOGS;
export const LANGUAGES = Object.keys(CATALOGS) as Language[];

/** Languages written right to left. */
const RTL: ReadonlySet<Language> = new Set(["ar"]);

export function isLanguage(tag: string): tag is Language {
  return Object.hasOwn(CATALOGS, tag);
}

/**
 * The first of the visitor's preferred languages (BCP 47 tags, most preferred first, as
 * navigator.languages lists them) that the page speaks, by primary subtag ("de-AT" is German,
 * "zh-Hant-TW" Chinese); English when none is.
 */
export function pickLanguage(preferences: readonly string[]): Language {
  for (const tag of preferences) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return "en";
}

/** An Accept-Language header's tags, most preferred first (q=0 excluded, malformed parts ignored). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 1000)
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((l) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(l.tag) && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((l) => l.tag);
}

/** The page's words, counts and dates in one language. */
export interface Locale {
  lang: Language;
  dir: "ltr" | "rtl";
  t: Messages;
  /** a count in words: the plural form CLDR gives `n` in this language, `{n}` filled in */
  count: (forms: Plural, n: number) => string;
  /** an instant as a date and time in UTC, in this language's style */
  dateTime: (iso: string) => string;
  /** a calendar date (YYYY-MM-DD, or YYYY-MM when the day is 00) in this language's style */
  date: (ymd: string) => string;
  /** makes the formatters now (they are otherwise made on first use) */
  prepare: () => void;
}

/** A value made on first use, then kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function localeOf(lang: Language): Locale {
  // made on first use: the first Intl formatter of a page loads ICU's data, tens of milliseconds
  // that the page spends while it waits for the network (prepare), not before its first request
  const plurals = lazy(() => new Intl.PluralRules(lang));
  const numbers = lazy(() => new Intl.NumberFormat(lang));
  const dateTimes = lazy(
    () => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
  );
  const days = lazy(() => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" }));
  const months = lazy(() => new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", timeZone: "UTC" }));
  return {
    lang,
    dir: RTL.has(lang) ? "rtl" : "ltr",
    t: CATALOGS[lang],
    count: (forms, n) => (forms[plurals().select(n)] ?? forms.other).replace("{n}", numbers().format(n)),
    dateTime: (iso) => {
      const ms = Date.parse(iso);
      return Number.isFinite(ms) ? `${dateTimes().format(ms)} UTC` : iso;
    },
    date: (ymd) => {
      const m = /^(\d{4})-?(\d{2})-?(\d{2})?$/.exec(ymd);
      if (!m) return ymd;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
      if (mo < 1 || mo > 12) return ymd;
      return d === 0 ? months().format(Date.UTC(y, mo - 1, 1)) : days().format(Date.UTC(y, mo - 1, d));
    },
    prepare: () => {
      for (const make of [plurals, numbers, dateTimes, days, months]) make();
    },
  };
}

/** `{name}` placeholders of a catalog sentence filled in. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
