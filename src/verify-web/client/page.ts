import type { Outcome, Reason, VerdictKind } from "./check-code";
import type { CodeRef } from "./code-input";
import { pickText, textIn, type ProductRecord } from "../../core/products/product-record";
import { SHOWN_LINK_TYPES, type ShownLinkType } from "./i18n/messages";
import { fill, type Locale } from "./i18n/locale";
import type { Place, Signer, TimelineEntry } from "./timeline";

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; text is always text (nothing from a server is parsed as HTML). */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const ICONS: Record<VerdictKind, string> = {
  genuine: "✓",
  recalled: "!",
  sold: "!",
  unknown: "?",
  suspicious: "!",
  unverifiable: "×",
};

/** A step's name in the visitor's words; a step the catalog does not name is spelt out. */
export function stepText(l: Locale, step: string): string {
  const named = (l.t.steps as Record<string, string>)[step];
  if (named) return named;
  const words = step.replace(/_/g, " ");
  return words.charAt(0).toLocaleUpperCase(l.lang) + words.slice(1);
}

function signerText(l: Locale, s: Signer): string {
  return "name" in s
    ? s.name
    : "unregisteredKey" in s
      ? l.t.journey.unregisteredKey(s.unregisteredKey)
      : l.t.journey.unregistered(s.unregistered);
}

/** Who recorded a step, or who handed over to whom. */
export function whoText(l: Locale, by: TimelineEntry["by"]): string {
  // the arrow points the way the page reads: from the giver to the taker
  const arrow = l.dir === "rtl" ? "←" : "→";
  return "from" in by ? `${signerText(l, by.from)} ${arrow} ${signerText(l, by.to)}` : signerText(l, by);
}

export function placeText(l: Locale, place: Place | null): string | null {
  if (!place) return null;
  return "site" in place ? l.t.journey.site(place.site, place.extension) : place.text;
}

/** Why the verdict is what it is, in the visitor's words. */
export function reasonText(l: Locale, r: Reason | null): string {
  if (!r) return "";
  const says = l.t.reasons;
  switch (r.kind) {
    case "server_down":
      return says.serverDown(r.detail);
    case "chain_down":
      return says.chainDown;
    case "disagree":
      return says.disagree(r.check, r.detail);
    case "lot_mismatch":
      return says.lotMismatch(r.lot);
    case "ended":
      return says.ended(stepText(l, r.step), l.date(r.time.slice(0, 10)));
  }
}

/** The verdict's sentence. */
export function verdictText(l: Locale, o: Outcome): string {
  const reason = reasonText(l, o.reason);
  return fill(l.t.verdicts[o.verdict].say, {
    brand: o.product?.brand?.name ?? l.t.itsBrand,
    count: counted(l, o),
    reason: o.verdict === "unverifiable" && !reason ? l.t.reasons.failed : reason,
  })
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** The record's links the page offers (leaflet, product page, recalls, contact), each to the brand's https page. */
function productLinks(record: ProductRecord, labels: Record<ShownLinkType, string>): Node[] {
  const items = SHOWN_LINK_TYPES.flatMap((type) => {
    const links = record[type] ?? [];
    return links.map((link) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: link["@id"], rel: "noopener noreferrer external", "data-link-type": type },
          links.length > 1 ? `${labels[type]} (${new URL(link["@id"]).host})` : labels[type],
        ),
      ),
    );
  });
  return items.length ? [h("ul", { class: "product-links" }, ...items)] : [];
}

/** UN/ECE Rec 20 units as their symbols; a count (piece, one) as the bare number. */
const UNIT_SYMBOLS: Record<string, string> = {
  MGM: "mg",
  GRM: "g",
  KGM: "kg",
  MLT: "ml",
  CLT: "cl",
  LTR: "l",
  MCG: "µg",
};

function netContent(q: { "gs1:value": string; "gs1:unitCode": string }, l: Locale): string {
  const n = new Intl.NumberFormat(l.lang).format(Number(q["gs1:value"]));
  const unit = q["gs1:unitCode"];
  if (unit === "H87" || unit === "C62") return n;
  return `${n} ${UNIT_SYMBOLS[unit] ?? unit}`;
}

function row(term: string, ...value: (string | Node)[]): Node[] {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

/** The "checking" state, shown until the verdict is in. */
export function renderChecking(target: HTMLElement, code: CodeRef, l: Locale): void {
  target.replaceChildren(
    h(
      "div",
      { class: "verdict verdict-checking", role: "status" },
      h("p", { class: "verdict-title" }, l.t.checking),
      h("p", {}, l.t.codeLine(code.gtin, code.serial)),
    ),
  );
}

/** The verdict, the product, the custody timeline and how it was checked. */
/** What the visitor typed into the report form. */
export interface ReportFields {
  where: string;
  what: string;
  contact: string;
}
export type ReportResult = "sent" | "too_many" | { failed: string };

/** The verdicts that offer the report form: where the visitor has reason to doubt the pack. */
const DOUBTFUL: ReadonlySet<VerdictKind> = new Set(["unknown", "suspicious", "unverifiable"]);

function reportForm(l: Locale, send: (fields: ReportFields) => Promise<ReportResult>): HTMLElement {
  const t = l.t.report;
  const field = (id: string, label: string, control: HTMLElement) => [h("label", { for: id }, label), control];
  const where = h("input", { id: "report-where", name: "where", maxlength: "200", required: "", autocomplete: "off" });
  const what = h("textarea", { id: "report-what", name: "what", maxlength: "2000", required: "", rows: "3" });
  const contact = h("input", { id: "report-contact", name: "contact", maxlength: "200", autocomplete: "email" });
  const button = h("button", { type: "submit", id: "report-send" }, t.send);
  const status = h("p", { id: "report-status", role: "status" });
  const form = h(
    "form",
    { id: "report", class: "report" },
    ...field("report-where", t.where, where),
    ...field("report-what", t.what, what),
    ...field("report-contact", t.contact, contact),
    button,
    status,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = (el: HTMLElement) => (el as HTMLInputElement).value;
    button.setAttribute("disabled", "");
    void send({ where: value(where), what: value(what), contact: value(contact) }).then((result) => {
      status.textContent = result === "sent" ? t.sent : result === "too_many" ? t.tooMany : t.failed(result.failed);
      if (result !== "sent") button.removeAttribute("disabled");
    });
  });
  return h(
    "section",
    { "aria-labelledby": "report-h" },
    h("h2", { id: "report-h" }, t.heading),
    h("p", {}, t.intro),
    form,
  );
}

/** The product picture's place: coming, shown from the checked bytes (a blob: URL), or said to differ. */
export type PictureView = { state: "pending" } | { state: "shown"; url: string } | { state: "mismatch" };

/** The picture's node, marked so that the page can fill it in when the checked bytes arrive. */
export function pictureNode(view: PictureView, name: string, l: Locale): HTMLElement {
  if (view.state === "mismatch")
    return h("p", { class: "record-mismatch", "data-picture": "mismatch" }, l.t.product.pictureMismatch);
  const figure = h("figure", { class: "product-picture", "data-picture": view.state });
  if (view.state === "shown") figure.append(h("img", { src: view.url, alt: name }));
  return figure;
}

export function renderOutcome(
  target: HTMLElement,
  o: Outcome,
  ms: number,
  l: Locale,
  download: () => void,
  report?: (fields: ReportFields) => Promise<ReportResult>,
  picture?: PictureView,
): void {
  const { t } = l;
  const verdict = h(
    "div",
    { class: `verdict verdict-${o.verdict}`, role: "status", "data-verdict": o.verdict, "data-ms": ms.toFixed(1) },
    h("span", { class: "verdict-icon", "aria-hidden": "true" }, ICONS[o.verdict]),
    h("h1", { class: "verdict-title" }, t.verdicts[o.verdict].title),
    h("p", {}, verdictText(l, o)),
  );

  const p = o.product;
  // the brand's words for the product, only as the chain names them
  const record = o.record?.ok ? o.record.record : null;
  // the brand's words in their own language: isolated, so a text in another script keeps its order
  const said = (list: Parameters<typeof pickText>[0]): Node[] => {
    const text = pickText(list, [l.lang]);
    return text ? [h("bdi", { lang: text["@language"] }, text["@value"])] : [];
  };
  const product = h(
    "section",
    { "aria-labelledby": "product-h" },
    h("h2", { id: "product-h" }, t.product.heading),
    ...(o.record && !o.record.ok ? [h("p", { class: "record-mismatch" }, t.product.recordMismatch)] : []),
    ...(record && picture ? [pictureNode(picture, textIn(record["gs1:productName"], [l.lang]) ?? "", l)] : []),
    h(
      "dl",
      {},
      ...(record ? row(t.product.name, ...said(record["gs1:productName"])) : []),
      ...(record?.["gs1:productDescription"]
        ? row(t.product.description, ...said(record["gs1:productDescription"]))
        : []),
      ...(record?.["gs1:netContent"]
        ? row(t.product.contents, record["gs1:netContent"].map((q) => netContent(q, l)).join(", "))
        : []),
      ...row(t.product.gtin, o.code.gtin),
      ...row(t.product.serial, o.code.serial),
      ...(p ? row(t.product.lot, p.lot) : o.code.lot ? row(t.product.lotOnPack, o.code.lot) : []),
      ...(p ? row(t.product.expiry, p.expiry ? l.date(p.expiry) : t.product.noExpiry) : []),
      ...(p?.brand ? row(t.product.brand, p.brand.name) : []),
      ...(p?.producer && p.producer.id !== p.brand?.id ? row(t.product.madeBy, p.producer.name) : []),
    ),
    ...(record ? productLinks(record, t.product.links) : []),
  );

  const journey =
    o.timeline.length > 0
      ? h(
          "section",
          { "aria-labelledby": "journey-h" },
          h("h2", { id: "journey-h" }, t.journey.heading),
          h(
            "ol",
            { class: "timeline" },
            ...o.timeline.map((e) => {
              const step = stepText(l, e.step);
              const where = placeText(l, e.where);
              return h(
                "li",
                {},
                h("time", { datetime: e.time }, l.dateTime(e.time)),
                h("strong", {}, e.refused ? t.journey.notCounted(step.toLocaleLowerCase(l.lang)) : step),
                h("bdi", {}, whoText(l, e.by)),
                // isolated: coordinates and identifiers keep their own direction in a right-to-left page
                where ? h("bdi", { class: "muted" }, where) : null,
                e.unproven ? h("span", { class: "muted" }, t.journey.unproven) : null,
                e.refused ? h("span", { class: "refused" }, t.journey.refused(e.refused)) : null,
              );
            }),
          ),
        )
      : null;

  const checks = h(
    "details",
    { class: "checks" },
    h("summary", {}, t.checks.summary),
    h("p", {}, t.checks.intro),
    h(
      "ul",
      {},
      ...o.checks.map((c) =>
        h(
          "li",
          { class: c.ok ? "ok" : "failed" },
          h("span", { "aria-hidden": "true" }, c.ok ? "✓ " : "✗ "),
          h("span", { class: "visually-hidden" }, c.ok ? t.checks.passed : t.checks.failed),
          // the checks' own words are the verifier's (src/core/proof), in English
          h("strong", { lang: "en" }, c.name),
          h("span", { lang: "en" }, `: ${c.detail}`),
          c.block !== undefined ? h("span", { class: "muted" }, t.checks.block(c.block)) : null,
          c.transaction ? h("code", { class: "tx" }, c.transaction) : null,
        ),
      ),
    ),
    o.verifications ? h("p", { class: "muted" }, t.checks.serverCount(counted(l, o))) : null,
  );

  const actions = h("p", { class: "actions" });
  if (o.bundle !== null) {
    const button = h("button", { type: "button", id: "download" }, t.actions.download);
    button.addEventListener("click", download);
    actions.append(button);
  }
  actions.append(h("a", { href: "/", class: "again" }, t.actions.again));

  const form = report && DOUBTFUL.has(o.verdict) ? reportForm(l, report) : null;
  target.replaceChildren(verdict, ...(form ? [form] : []), product, ...(journey ? [journey] : []), checks, actions);
}

/** The indexer's count in words: distinct visitors, and the regions a trusted proxy told it of, if any. */
function counted(l: Locale, o: Outcome): string {
  const n = o.verifications?.count;
  const r = o.verifications?.regions ?? 0;
  const people = n === undefined ? l.t.manyPeople : l.count(l.t.people, n);
  return r > 0 ? l.t.peopleInRegions(people, l.count(l.t.regions, r)) : people;
}
