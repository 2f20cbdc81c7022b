import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

/**
 * The page's own barcode reader, for browsers with no BarcodeDetector (iPhones, Firefox, desktop
 * Linux): ZXing's WebAssembly build, loaded only when a visitor hands the page a photo of a code or
 * taps Scan. It registers `trackrootDecodeImage` (a photo or a camera frame), which answers what a
 * scanner would: a GS1 DataMatrix as its symbology identifier and raw element string (FNC1 as GS),
 * anything else as its text.
 */
import type { DecodeImage } from "./decoder-loader";

const script = document.currentScript as HTMLScriptElement | null;
const wasmUrl = script?.dataset.wasm ?? "";
prepareZXingModule({ overrides: { locateFile: (path: string) => (path.endsWith(".wasm") ? wasmUrl : path) } });

const decode: DecodeImage = async (image) => {
  const [found] = await readBarcodes(image, {
    formats: ["QRCode", "DataMatrix"],
    tryHarder: true,
    maxNumberOfSymbols: 1,
  });
  if (!found) return null;
  if (found.symbologyIdentifier === "]d2") {
    let raw = "";
    for (const b of found.bytes) raw += String.fromCharCode(b);
    return `]d2${raw}`;
  }
  return found.text;
};
window.trackrootDecodeImage = decode;
