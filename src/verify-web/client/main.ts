import { chainRootReader } from "../../chain/chain-roots";
import type { Deployment } from "../../chain/deployment";
import { LedgerFacts } from "../../chain/ledger-facts";
import { readOnlyLedger } from "../../chain/ledger-reader";
import { ValidationError } from "../../core/errors";
import { checkCode, type CheckCodeDeps } from "./check-code";
import { codeOfPath, parseCodeInput, pathOfCode, type CodeRef } from "./code-input";
import { fetchBundle } from "./fetch-bundle";
import {
  fetchProductPicture,
  fetchProductRecord,
  verifyProductPicture,
  verifyProductRecord,
} from "./product-record-check";
import { isLanguage, localeOf, pickLanguage, type Language, type Locale } from "./i18n/locale";
import { applyPageText } from "./page-text";
import { textIn } from "../../core/products/product-record";
import { contentImageCid } from "../../core/products/product-image";
import {
  pictureNode,
  renderChecking,
  renderOutcome,
  type PictureView,
  type ReportFields,
  type ReportResult,
} from "./page";
import { startScanner } from "./scanner";
import { decoderUrls, startPhotoInput } from "./photo-input";
import { loadDecoder } from "./decoder-loader";

/** What the server writes into the page: the deployment to check against, nothing secret. */
interface PageConfig {
  deployment: Deployment;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function readConfig(): PageConfig {
  return JSON.parse($("trackroot-config").textContent ?? "{}") as PageConfig;
}

function download(bundle: unknown, code: CodeRef): void {
  const blob = new Blob([JSON.stringify(bundle, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `trackroot-proof-${code.gtin}-${code.serial}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The visitor's language: one chosen on the page (?lang=), else the browser's, else English. */
function initialLanguage(): Language {
  const chosen = new URLSearchParams(location.search).get("lang") ?? "";
  return isLanguage(chosen) ? chosen : pickLanguage(navigator.languages ?? [navigator.language]);
}

/** Sends a visitor's report of a suspect pack to this site, which passes it to the indexer. */
async function sendReport(code: CodeRef, verdict: string, fields: ReportFields): Promise<ReportResult> {
  try {
    const res = await fetch(`/v1/codes/${encodeURIComponent(code.gtin)}/${encodeURIComponent(code.serial)}/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verdict, where: fields.where, what: fields.what, contact: fields.contact }),
    });
    if (res.status === 201) return "sent";
    if (res.status === 429) return "too_many";
    const problem = (await res.json().catch(() => ({}))) as { detail?: string };
    return { failed: problem.detail ?? `HTTP ${res.status}` };
  } catch (e) {
    return { failed: (e as Error).message };
  }
}

/** The location's query without the page's own `lang`: what a Digital Link path is read with. */
function codeQuery(): string {
  const params = new URLSearchParams(location.search);
  params.delete("lang");
  const rest = params.toString();
  return rest ? `?${rest}` : "";
}

/** A path of this site, keeping the visitor's chosen language in it. */
function withLanguage(path: string): string {
  const chosen = new URLSearchParams(location.search).get("lang");
  if (!chosen) return path;
  return `${path}${path.includes("?") ? "&" : "?"}lang=${encodeURIComponent(chosen)}`;
}

function start(): void {
  const config = readConfig();
  const ledger = readOnlyLedger({ rpcUrl: `${location.origin}/rpc`, deployment: config.deployment, timeoutMs: 10_000 });
  const facts = new LedgerFacts(ledger);
  const deps: CheckCodeDeps = {
    fetchBundle,
    readRoot: chainRootReader(ledger),
    facts,
    productRecord: (gtin) =>
      verifyProductRecord(gtin, { onChain: (g) => facts.productRecordOf(g), served: fetchProductRecord }),
  };
  const result = $("result");
  const input = $<HTMLInputElement>("code");
  const lookupError = $("lookup-error");

  let locale: Locale = localeOf(initialLanguage());
  // what the result area and the form's error say, so that a change of language can say it again
  let shown: (l: Locale) => void = () => undefined;
  let error: ((l: Locale) => string) | null = null;
  const show = (render: (l: Locale) => void) => {
    shown = render;
    render(locale);
  };
  const showError = (say: ((l: Locale) => string) | null) => {
    error = say;
    lookupError.textContent = say ? say(locale) : "";
    if (say) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  const setLanguage = (lang: Language, chosen = false) => {
    locale = localeOf(lang);
    if (chosen) {
      const url = new URL(location.href);
      url.searchParams.set("lang", lang);
      history.replaceState(null, "", url);
    }
    applyPageText(document, locale, (l) => setLanguage(l, true));
    shown(locale);
    if (error) lookupError.textContent = error(locale);
  };
  setLanguage(locale.lang);

  function showInputError(e: unknown): void {
    const detail = e instanceof ValidationError ? e.reason : (e as Error).message;
    const empty = input.value.trim() === "";
    showError((l) => (empty ? l.t.input.empty : l.t.input.unreadable(detail)));
  }

  let latest = 0;
  // the object URL of the picture shown, released when another takes its place
  let pictureUrl: string | null = null;
  async function run(code: CodeRef): Promise<void> {
    // a check asked for later wins: an earlier one still under way must not overwrite it
    const mine = ++latest;
    const t0 = performance.now();
    showError(null);
    show((l) => renderChecking(result, code, l));
    const outcome = await checkCode(code, deps);
    if (mine !== latest) return;
    const ms = performance.now() - t0;
    const report = (fields: ReportFields) => sendReport(code, outcome.verdict, fields);
    const record = outcome.record?.ok ? outcome.record.record : null;
    let picture: PictureView | undefined = record && contentImageCid(record) ? { state: "pending" } : undefined;
    show((l) => renderOutcome(result, outcome, ms, l, () => download(outcome.bundle, code), report, picture));
    performance.mark("trackroot-verdict");
    result.focus({ preventScroll: true });
    // the picture after the verdict, never before it: filled into its place, the rest left as it is
    if (record && picture) {
      const checked = await verifyProductPicture(code.gtin, record, fetchProductPicture);
      if (mine !== latest || !checked) return;
      if (pictureUrl) URL.revokeObjectURL(pictureUrl);
      pictureUrl = checked.ok
        ? URL.createObjectURL(new Blob([new Uint8Array(checked.bytes)], { type: checked.type }))
        : null;
      picture = pictureUrl ? { state: "shown", url: pictureUrl } : { state: "mismatch" };
      const name = textIn(record["gs1:productName"], [locale.lang]) ?? "";
      result.querySelector("[data-picture]")?.replaceWith(pictureNode(picture, name, locale));
    }
  }

  function route(): void {
    let code: CodeRef | null = null;
    try {
      code = codeOfPath(location.origin, location.pathname + codeQuery());
    } catch (e) {
      showInputError(e);
    }
    if (code) {
      input.value = decodeURI(location.origin + location.pathname + codeQuery());
      void run(code);
    } else show(() => result.replaceChildren());
  }

  $<HTMLFormElement>("lookup").addEventListener("submit", (ev) => {
    ev.preventDefault();
    try {
      const code = parseCodeInput(input.value);
      history.pushState(null, "", withLanguage(pathOfCode(code)));
      void run(code);
    } catch (e) {
      showInputError(e);
    }
  });
  window.addEventListener("popstate", route);
  const photo = $<HTMLInputElement>("photo");
  void startScanner({
    button: $<HTMLButtonElement>("scan"),
    video: $<HTMLVideoElement>("camera"),
    locale: () => locale,
    loadDecoder: () => loadDecoder(decoderUrls(photo)),
    found: (text) => {
      input.value = text;
      $<HTMLFormElement>("lookup").requestSubmit();
    },
  });
  startPhotoInput(
    photo,
    () => locale,
    (text) => {
      if (text === null) return showError(null);
      error = null;
      lookupError.textContent = text;
    },
    (text) => {
      input.value = text;
      $<HTMLFormElement>("lookup").requestSubmit();
    },
  );
  route();
  // the date and number formatters while the check waits for the network, not after it
  setTimeout(() => locale.prepare(), 0);
}

start();
