import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** One built file, served under a name that changes with its content (so it can be cached forever). */
export interface Asset {
  name: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
}

export interface SiteAssets {
  /** the first script: asks for the proof bundle while the page script compiles */
  boot: Asset;
  script: Asset;
  style: Asset;
  /** the photo decoder (ZXing's WebAssembly), fetched only when a visitor hands the page a photo */
  decoder: Asset;
  decoderWasm: Asset;
  byName: ReadonlyMap<string, Asset>;
}

const CLIENT = join(__dirname, "client");

function asset(base: string, ext: string, type: string, text: string | Buffer): Asset {
  const body = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
  return { name: `${base}.${hash}.${ext}`, type, body, gzip: gzipSync(body, { level: 9 }) };
}

/**
 * Builds the page's script and style from src/verify-web/client with esbuild, in memory: the same
 * core library the services use (verifyBundle, the Merkle and EIP-712 code) runs in the visitor's
 * browser, minified, tree-shaken and without source maps. Takes a few hundred milliseconds.
 */
export async function buildSiteAssets(): Promise<SiteAssets> {
  const result = await build({
    entryPoints: [
      join(CLIENT, "boot.ts"),
      join(CLIENT, "main.ts"),
      join(CLIENT, "photo-decoder.ts"),
      join(CLIENT, "styles.css"),
    ],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    write: false,
    outdir: "out",
    legalComments: "none",
    logLevel: "silent",
  });
  const text = (name: string) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(`/${name}`));
    if (!file) throw new Error(`the site build produced no ${name}`);
    return file.text;
  };
  const js = "text/javascript; charset=utf-8";
  const boot = asset("boot", "js", js, text("boot.js"));
  const script = asset("app", "js", js, text("main.js"));
  const style = asset("app", "css", "text/css; charset=utf-8", text("styles.css"));
  const decoder = asset("decoder", "js", js, text("photo-decoder.js"));
  const decoderWasm = asset(
    "zxing-reader",
    "wasm",
    "application/wasm",
    readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm")),
  );
  const all = [boot, script, style, decoder, decoderWasm];
  return { boot, script, style, decoder, decoderWasm, byName: new Map(all.map((a) => [a.name, a])) };
}
