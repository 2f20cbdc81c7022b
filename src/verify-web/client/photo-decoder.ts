import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

/**
 * The page's own barcode reader, for browsers with no BarcodeDetector (iPhones, Firefox, desktop
 * Linux): ZXing's WebAssembly build, loaded only when a visitor hands the page a photo of a code.
 * It registers `trackrootDecodePhoto`, which answers what a scanner would: a GS1 DataMatrix as its
 * symbology identifier and raw element string (FNC1 as GS), anything else as its text.
 */
declare global {
  interface Window {
    trackrootDecodePhoto?: (photo: Blob) => Promise<string | null>;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const wasmUrl = script?.dataset.wasm ?? "";
prepareZXingModule({ overrides: { locateFile: (path: string) => (path.endsWith(".wasm") ? wasmUrl : path) } });

window.trackrootDecodePhoto = async (photo) => {
  const [found] = await readBarcodes(photo, {
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
