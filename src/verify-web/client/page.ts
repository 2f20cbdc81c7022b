import type { Outcome, VerdictKind } from "./check-code";
import type { CodeRef } from "./code-input";

type Child = Node | string | null | undefined | false;

/** An element with attributes and children; text is always text (nothing from a server is parsed as HTML). */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const HEADLINES: Record<VerdictKind, { title: string; icon: string; say: (o: Outcome) => string }> = {
  genuine: {
    title: "Genuine",
    icon: "✓",
    say: (o) =>
      `This code was released by ${o.product?.brand?.name ?? "its brand"}, and every step below checks out against the ledger.`,
  },
  recalled: {
    title: "Genuine but recalled",
    icon: "!",
    say: () => "Do not use this product. The brand has recalled its batch; return it where you bought it.",
  },
  sold: {
    title: "Already sold or dispensed",
    icon: "!",
    say: (o) =>
      `This pack was recorded as having left the supply chain. ${o.reason ?? ""} If you are being sold it now, it may be a copy.`.trim(),
  },
  unknown: {
    title: "Unknown code",
    icon: "?",
    say: () => "No batch released on the ledger holds this code. The product may be counterfeit.",
  },
  suspicious: {
    title: "Suspicious",
    icon: "!",
    say: (o) => `This code has been checked by ${counted(o)}. Copies of one genuine code show up like this.`,
  },
  unverifiable: {
    title: "Could not be verified",
    icon: "×",
    say: (o) => o.reason ?? "The check could not be completed.",
  },
};

function when(iso: string): string {
  return iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

function expiryText(yyyymmdd: string): string {
  const [y, m, d] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)];
  return d === "00" ? `${y}-${m}` : `${y}-${m}-${d}`;
}

function row(term: string, value: string): Node[] {
  return [h("dt", {}, term), h("dd", {}, value)];
}

/** The "checking" state, shown until the verdict is in. */
export function renderChecking(target: HTMLElement, code: CodeRef): void {
  target.replaceChildren(
    h(
      "div",
      { class: "verdict verdict-checking", role: "status" },
      h("p", { class: "verdict-title" }, "Checking…"),
      h("p", {}, `GTIN ${code.gtin}, serial ${code.serial}`),
    ),
  );
}

/** The verdict, the product, the custody timeline and how it was checked. */
export function renderOutcome(target: HTMLElement, o: Outcome, ms: number, download: () => void): void {
  const head = HEADLINES[o.verdict];
  const verdict = h(
    "div",
    { class: `verdict verdict-${o.verdict}`, role: "status", "data-verdict": o.verdict, "data-ms": ms.toFixed(1) },
    h("span", { class: "verdict-icon", "aria-hidden": "true" }, head.icon),
    h("h1", { class: "verdict-title" }, head.title),
    h("p", {}, head.say(o)),
  );

  const p = o.product;
  const product = h(
    "section",
    { "aria-labelledby": "product-h" },
    h("h2", { id: "product-h" }, "Product"),
    h(
      "dl",
      {},
      ...row("GTIN", o.code.gtin),
      ...row("Serial", o.code.serial),
      ...(p ? row("Lot", p.lot) : o.code.lot ? row("Lot (on the pack)", o.code.lot) : []),
      ...(p ? row("Expiry", p.expiry ? expiryText(p.expiry) : "none") : []),
      ...(p?.brand ? row("Brand", p.brand.name) : []),
      ...(p?.producer && p.producer.id !== p.brand?.id ? row("Made by", p.producer.name) : []),
    ),
  );

  const journey =
    o.timeline.length > 0
      ? h(
          "section",
          { "aria-labelledby": "journey-h" },
          h("h2", { id: "journey-h" }, "Where it has been"),
          h(
            "ol",
            { class: "timeline" },
            ...o.timeline.map((t) =>
              h(
                "li",
                {},
                h("time", { datetime: t.time }, when(t.time)),
                h("strong", {}, t.refused ? `Not counted: ${t.title.toLowerCase()}` : t.title),
                h("span", {}, t.who),
                t.where ? h("span", { class: "muted" }, t.where) : null,
                t.unproven
                  ? h("span", { class: "muted" }, "Recorded on the ledger; its details cannot be shown publicly.")
                  : null,
                t.refused
                  ? h(
                      "span",
                      { class: "refused" },
                      `Whoever recorded this had no right to: ${t.refused}. It is kept as evidence and changes nothing about this pack.`,
                    )
                  : null,
              ),
            ),
          ),
        )
      : null;

  const checks = h(
    "details",
    { class: "checks" },
    h("summary", {}, "How this was checked"),
    h(
      "p",
      {},
      "Your browser fetched the proof from the ledger's server and checked every part of it against the blockchain itself:",
    ),
    h(
      "ul",
      {},
      ...o.checks.map((c) =>
        h(
          "li",
          { class: c.ok ? "ok" : "failed" },
          h("span", { "aria-hidden": "true" }, c.ok ? "✓ " : "✗ "),
          h("span", { class: "visually-hidden" }, c.ok ? "passed: " : "failed: "),
          h("strong", {}, c.name),
          `: ${c.detail}`,
          c.block !== undefined ? h("span", { class: "muted" }, ` · block ${c.block}`) : null,
          c.transaction ? h("code", { class: "tx" }, c.transaction) : null,
        ),
      ),
    ),
    o.verifications
      ? h(
          "p",
          { class: "muted" },
          `The server counts ${counted(o)} for this code; that count is its word, not a proof.`,
        )
      : null,
  );

  const actions = h("p", { class: "actions" });
  if (o.bundle !== null) {
    const button = h("button", { type: "button", id: "download" }, "Download the proof file");
    button.addEventListener("click", download);
    actions.append(button);
  }
  actions.append(h("a", { href: "/", class: "again" }, "Check another code"));

  target.replaceChildren(verdict, product, ...(journey ? [journey] : []), checks, actions);
}

/** The indexer's count in words: distinct visitors, and the regions a trusted proxy told it of, if any. */
function counted(o: Outcome): string {
  const n = o.verifications?.count;
  const r = o.verifications?.regions ?? 0;
  const people = n === undefined ? "many different people" : n === 1 ? "1 person" : `${n} different people`;
  return r > 0 ? `${people} in ${r === 1 ? "1 region" : `${r} regions`}` : people;
}
