import { chainRootReader } from "../../chain/chain-roots";
import type { Deployment } from "../../chain/deployment";
import { LedgerFacts } from "../../chain/ledger-facts";
import { readOnlyLedger } from "../../chain/ledger-reader";
import { ValidationError } from "../../core/errors";
import { checkCode, type CheckCodeDeps } from "./check-code";
import { codeOfPath, parseCodeInput, pathOfCode, type CodeRef } from "./code-input";
import { fetchBundle } from "./fetch-bundle";
import { renderChecking, renderOutcome } from "./page";
import { startScanner } from "./scanner";

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

function showInputError(error: unknown): void {
  const message = error instanceof ValidationError ? error.reason : (error as Error).message;
  $("lookup-error").textContent = message;
  $("code").setAttribute("aria-invalid", "true");
}

function start(): void {
  const config = readConfig();
  const ledger = readOnlyLedger({ rpcUrl: `${location.origin}/rpc`, deployment: config.deployment, timeoutMs: 10_000 });
  const deps: CheckCodeDeps = { fetchBundle, readRoot: chainRootReader(ledger), facts: new LedgerFacts(ledger) };
  const result = $("result");
  const input = $<HTMLInputElement>("code");

  let latest = 0;
  async function run(code: CodeRef): Promise<void> {
    // a check asked for later wins: an earlier one still under way must not overwrite it
    const mine = ++latest;
    const t0 = performance.now();
    $("lookup-error").textContent = "";
    input.removeAttribute("aria-invalid");
    renderChecking(result, code);
    const outcome = await checkCode(code, deps);
    if (mine !== latest) return;
    renderOutcome(result, outcome, performance.now() - t0, () => download(outcome.bundle, code));
    performance.mark("trackroot-verdict");
    result.focus({ preventScroll: true });
  }

  function route(): void {
    let code: CodeRef | null = null;
    try {
      code = codeOfPath(location.origin, location.pathname + location.search);
    } catch (e) {
      showInputError(e);
    }
    if (code) {
      input.value = decodeURI(location.href);
      void run(code);
    } else result.replaceChildren();
  }

  $<HTMLFormElement>("lookup").addEventListener("submit", (ev) => {
    ev.preventDefault();
    try {
      const code = parseCodeInput(input.value);
      history.pushState(null, "", pathOfCode(code));
      void run(code);
    } catch (e) {
      showInputError(e);
    }
  });
  window.addEventListener("popstate", route);
  void startScanner($<HTMLButtonElement>("scan"), $<HTMLVideoElement>("camera"), (text) => {
    input.value = text;
    $<HTMLFormElement>("lookup").requestSubmit();
  });
  route();
}

start();
