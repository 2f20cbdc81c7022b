import type { Deployment } from "../chain/deployment";
import type { SiteAssets } from "./site-assets";

/** JSON safe inside a <script> element: no "</script>", no "<!--", no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/**
 * The page, the same for every path: the script reads the code from the address bar. The
 * configuration rides along as inert JSON (not script), so the CSP needs no inline script.
 */
export function pageHtml(assets: SiteAssets, deployment: Deployment): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Check a product · trackroot</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${assets.style.name}">
<script type="application/json" id="trackroot-config">${scriptJson({ deployment })}</script>
<script async src="/assets/${assets.boot.name}"></script>
<script defer src="/assets/${assets.script.name}"></script>
</head>
<body>
<header class="bar"><a href="/">trackroot</a> · check a product</header>
<main>
<form id="lookup" novalidate>
<label for="code">Code or link on the pack</label>
<div class="row">
<input id="code" name="code" type="text" inputmode="url" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="https://…/01/…/21/…" aria-describedby="lookup-error">
<button type="submit">Check</button>
</div>
<button type="button" id="scan" hidden>Scan with the camera</button>
<video id="camera" hidden muted playsinline aria-label="Camera preview"></video>
<p id="lookup-error" role="alert"></p>
</form>
<div id="result" tabindex="-1"></div>
</main>
<footer>Every answer is checked in your browser against the blockchain. No cookies, no tracking.</footer>
<noscript><p>This check runs in your browser and needs JavaScript.</p></noscript>
</body>
</html>
`;
}
