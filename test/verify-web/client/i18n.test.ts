import { expect } from "chai";
import {
  acceptedLanguages,
  CATALOGS,
  LANGUAGES,
  localeOf,
  pickLanguage,
  type Language,
} from "../../../src/verify-web/client/i18n/locale";
import type { Plural } from "../../../src/verify-web/client/i18n/messages";
import type { Outcome, VerdictKind } from "../../../src/verify-web/client/check-code";
import { reasonText, stepText, verdictText } from "../../../src/verify-web/client/page";

type Tree = { [k: string]: unknown };

/** Every leaf of a catalog, by its dotted path. */
function leaves(tree: Tree, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object") for (const [p, leaf] of leaves(v as Tree, path)) out.set(p, leaf);
    else out.set(path, v);
  }
  return out;
}

const PLURALS = ["people", "regions"] as const;
const english = leaves(CATALOGS.en as unknown as Tree);

describe("verify-web/client i18n", () => {
  for (const lang of LANGUAGES) {
    const catalog = CATALOGS[lang] as unknown as Tree;
    const own = leaves(catalog);

    it(`has every text in ${lang}, none empty, none left in English by mistake`, () => {
      // plural forms differ by language: compared apart, below
      const comparable = (keys: Iterable<string>) =>
        [...keys].filter((k) => !PLURALS.some((p) => k.startsWith(`${p}.`))).sort();
      expect(comparable(own.keys())).to.deep.equal(comparable(english.keys()));
      for (const [path, value] of own) {
        if (typeof value === "string") expect(value.trim(), `${lang} ${path}`).to.not.equal("");
        else if (typeof value === "function") {
          const args = ["A1", "B2", "C3"];
          const said = (value as (...a: string[]) => string)(...args);
          expect(said.trim(), `${lang} ${path}`).to.not.equal("");
          // every argument it is given shows up (a translation that drops the lot or the reason is wrong)
          for (const a of args.slice(0, (value as () => string).length)) expect(said, `${lang} ${path}`).to.include(a);
        } else expect.fail(`${lang} ${path} is a ${typeof value}`);
      }
      const untranslated = [...own].filter(
        ([path, v]) =>
          lang !== "en" &&
          typeof v === "string" &&
          v === english.get(path) &&
          v.length > 4 &&
          !/^(GTIN|\{reason\})$/.test(v),
      );
      expect(untranslated.map(([p]) => p)).to.deep.equal([]);
    });

    it(`has a form for every plural category CLDR gives ${lang}, and fills the count in`, () => {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      const locale = localeOf(lang);
      for (const name of PLURALS) {
        const forms = (CATALOGS[lang] as unknown as Record<string, Plural>)[name];
        for (const c of categories) expect(forms[c], `${lang} ${name}.${c}`).to.be.a("string");
        for (const n of [0, 1, 2, 3, 5, 11, 22, 25, 100, 1001]) {
          const said = locale.count(forms, n);
          expect(said).to.not.include("{n}");
          const form = forms[new Intl.PluralRules(lang).select(n)];
          if (form?.includes("{n}")) expect(said).to.include(new Intl.NumberFormat(lang).format(n));
        }
      }
    });

    it(`says every verdict and reason in ${lang} with nothing left unfilled`, () => {
      const locale = localeOf(lang);
      const verdicts: VerdictKind[] = ["genuine", "recalled", "sold", "unknown", "suspicious", "unverifiable"];
      const reasons: Outcome["reason"][] = [
        null,
        { kind: "server_down", detail: "timeout" },
        { kind: "chain_down" },
        { kind: "disagree", check: "custody step 1", detail: "event hash" },
        { kind: "lot_mismatch", lot: "L2" },
        { kind: "ended", step: "dispensing", time: "2026-11-01T10:00:00.000Z" },
      ];
      for (const verdict of verdicts)
        for (const reason of reasons)
          for (const verifications of [
            null,
            { count: 1, regions: 0, warning: true },
            { count: 26, regions: 3, warning: true },
          ]) {
            const outcome = { verdict, reason, verifications, product: null } as unknown as Outcome;
            const said = verdictText(locale, outcome);
            expect(said, `${lang} ${verdict}`).to.not.match(/\{\w+\}/);
            expect(said.trim()).to.not.equal("");
          }
      expect(reasonText(locale, { kind: "ended", step: "dispensing", time: "2026-11-01T10:00:00.000Z" })).to.include(
        stepText(locale, "dispensing"),
      );
    });
  }

  it("writes Arabic right to left and every other language left to right", () => {
    for (const lang of LANGUAGES) expect(localeOf(lang).dir).to.equal(lang === "ar" ? "rtl" : "ltr");
  });

  const picks: [string, readonly string[], Language][] = [
    ["a regional variant by its language", ["de-AT", "en"], "de"],
    ["the first language the page speaks", ["ja", "pt-BR", "fr-CA", "de"], "fr"],
    ["Chinese in any script", ["zh-Hant-TW"], "zh"],
    ["English when the page speaks none of them", ["ja", "ko"], "en"],
    ["English when the browser says nothing", [], "en"],
  ];
  for (const [what, tags, want] of picks)
    it(`picks ${what}`, () => {
      expect(pickLanguage(tags)).to.equal(want);
    });

  it("reads an Accept-Language header by quality, dropping q=0 and malformed parts", () => {
    expect(acceptedLanguages("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5")).to.deep.equal([
      "fr-CH",
      "fr",
      "en",
      "de",
    ]);
    expect(acceptedLanguages("en;q=0.1, pl;q=0.9, ar;q=0")).to.deep.equal(["pl", "en"]);
    expect(acceptedLanguages("<script>, it")).to.deep.equal(["it"]);
    expect(acceptedLanguages(undefined)).to.deep.equal([]);
    expect(pickLanguage(acceptedLanguages("ar-EG,ar;q=0.9"))).to.equal("ar");
  });

  it("writes dates in the language's own style, in UTC", () => {
    expect(localeOf("en").dateTime("2026-11-01T10:05:00.000Z")).to.equal("Nov 1, 2026, 10:05 AM UTC");
    expect(localeOf("de").dateTime("2026-11-01T10:05:00.000Z")).to.equal("01.11.2026, 10:05 UTC");
    expect(localeOf("de").date("2027-06-00")).to.equal("Juni 2027");
    expect(localeOf("en").date("not a date")).to.equal("not a date");
  });
});
