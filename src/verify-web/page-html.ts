import type { Deployment } from "../chain/deployment";
import { CATALOGS, LANGUAGES, type Locale } from "./client/i18n/locale";
import type { SiteAssets } from "./site-assets";

/** Text safe inside an HTML element or a double-quoted attribute. */
function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
}

/** JSON safe inside a <script> element: no "</script>", no "<!--", no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The page, the same for every path, in the visitor's language (the script reads the code from
 * the address bar, and says the rest in the browser's language or the one chosen). The
 * configuration rides along as inert JSON (not script), so the CSP needs no inline script.
 */
export function pageHtml(assets: SiteAssets, deployment: Deployment, locale: Locale): string {
  const t = locale.t.page;
  const options = LANGUAGES.map(
    (lang) =>
      `<option value="${lang}" lang="${lang}"${lang === locale.lang ? " selected" : ""}>${esc(CATALOGS[lang].name)}</option>`,
  ).join("");
  return `<!doctype html>
<html lang="${locale.lang}" dir="${locale.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${esc(t.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${assets.style.name}">
<script type="application/json" id="trackroot-config">${scriptJson({ deployment })}</script>
<script async src="/assets/${assets.boot.name}"></script>
<script defer src="/assets/${assets.script.name}"></script>
</head>
<body>
<header class="bar"><a href="/">trackroot</a> · <span id="header-text">${esc(t.header)}</span></header>
<main>
<form id="lookup" novalidate>
<label for="code" id="code-label">${esc(t.label)}</label>
<div class="row">
<input id="code" name="code" type="text" inputmode="url" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="https://…/01/…/21/…" aria-describedby="lookup-error" dir="ltr">
<button type="submit" id="check">${esc(t.check)}</button>
</div>
<button type="button" id="scan" hidden>${esc(t.scan)}</button>
<video id="camera" hidden muted playsinline aria-label="${esc(t.cameraPreview)}"></video>
<label for="photo" id="photo-label" class="photo">${esc(t.photo)}</label>
<input type="file" id="photo" accept="image/*" capture="environment" class="visually-hidden" data-decoder="/assets/${assets.decoder.name}" data-wasm="/assets/${assets.decoderWasm.name}">
<p id="lookup-error" role="alert"></p>
</form>
<div id="result" tabindex="-1"></div>
</main>
<footer><p id="footer">${esc(t.footer)}</p>
<label class="language"><span id="language-label">${esc(t.language)}</span> <select id="language">${options}</select></label></footer>
<noscript><p>${esc(t.noscript)}</p></noscript>
</body>
</html>
`;
}
