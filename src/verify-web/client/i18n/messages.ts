/**
 * Every text the verification page shows, in one shape that each language's catalog fills in
 * whole (the type checker refuses a catalog that leaves one out, and a test checks the rest).
 * Counts go through `Plural` (chosen by Intl.PluralRules for the language), dates through
 * Intl.DateTimeFormat: the browser's own CLDR data, so nothing is shipped for them.
 */

/** A count in words, one form per CLDR plural category the language uses ("other" always). */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The verdicts, as check-code.ts names them. */
export type VerdictKey = "genuine" | "recalled" | "sold" | "unknown" | "suspicious" | "unverifiable";

/** The CBV business steps the page names in words; any other is spelt out as it is. */
export type StepKey =
  | "commissioning"
  | "packing"
  | "unpacking"
  | "shipping"
  | "departing"
  | "arriving"
  | "receiving"
  | "accepting"
  | "storing"
  | "inspecting"
  | "loading"
  | "picking"
  | "retail_selling"
  | "dispensing"
  | "decommissioning"
  | "destroying"
  | "recalling"
  | "returning"
  | "handover"
  | "recorded";

/** The GS1 link types of a product record the page offers, in this order. */
export const SHOWN_LINK_TYPES = ["gs1:epil", "gs1:pip", "gs1:recallStatus", "gs1:support"] as const;
export type ShownLinkType = (typeof SHOWN_LINK_TYPES)[number];

export interface Messages {
  /** the language's own name, for the switch */
  name: string;
  page: {
    title: string;
    header: string;
    label: string;
    check: string;
    scan: string;
    cameraUnavailable: string;
    cameraPreview: string;
    /** the photo fallback: a picture of the code, read by the page itself */
    photo: string;
    readingPhoto: string;
    noCodeInPhoto: string;
    footer: string;
    noscript: string;
    language: string;
  };
  checking: string;
  codeLine: (gtin: string, serial: string) => string;
  verdicts: Record<VerdictKey, { title: string; say: string }>;
  /** {brand} in the genuine verdict's sentence when the chain names none */
  itsBrand: string;
  product: {
    heading: string;
    gtin: string;
    serial: string;
    lot: string;
    lotOnPack: string;
    expiry: string;
    noExpiry: string;
    brand: string;
    madeBy: string;
    /** the product record's name, description and net content, when the chain names one */
    name: string;
    description: string;
    contents: string;
    /** said instead when the record the server sent is not the one the chain names */
    recordMismatch: string;
    /** said instead of the picture when the bytes served are not the ones the record names */
    pictureMismatch: string;
    /** the product record's links the page offers, by GS1 link type */
    links: Record<ShownLinkType, string>;
  };
  journey: {
    heading: string;
    notCounted: (step: string) => string;
    unproven: string;
    refused: (why: string) => string;
    unregisteredKey: (prefix: string) => string;
    unregistered: (ref: string) => string;
    site: (gln: string, extension?: string) => string;
  };
  steps: Record<StepKey, string>;
  checks: {
    summary: string;
    intro: string;
    passed: string;
    failed: string;
    block: (n: number) => string;
    serverCount: (count: string) => string;
  };
  /** "{people}" and "{people} in {regions}" */
  people: Plural;
  manyPeople: string;
  regions: Plural;
  peopleInRegions: (people: string, regions: string) => string;
  reasons: {
    serverDown: (detail: string) => string;
    chainDown: string;
    disagree: (check: string, detail: string) => string;
    lotMismatch: (lot: string) => string;
    ended: (step: string, date: string) => string;
    failed: string;
  };
  actions: { download: string; again: string };
  /** the form on a doubtful verdict: the visitor's report of a suspect pack */
  report: {
    heading: string;
    intro: string;
    where: string;
    what: string;
    contact: string;
    send: string;
    sent: string;
    tooMany: string;
    failed: (detail: string) => string;
  };
  input: {
    empty: string;
    unreadable: (detail: string) => string;
  };
}
