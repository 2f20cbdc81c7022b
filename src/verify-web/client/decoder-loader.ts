/** What the page's own decoder answers for a photo or a camera frame: what a scanner would hand over. */
export type DecodeImage = (image: Blob | ImageData) => Promise<string | null>;

declare global {
  interface Window {
    trackrootDecodeImage?: DecodeImage;
  }
}

let loading: Promise<DecodeImage> | null = null;

/**
 * Loads the page's own decoder (ZXing's WebAssembly, src/verify-web/client/photo-decoder.ts) once,
 * on first use: a visitor who never scans never fetches it, and the first load stays small.
 */
export function loadDecoder(urls: { script: string; wasm: string }): Promise<DecodeImage> {
  if (window.trackrootDecodeImage) return Promise.resolve(window.trackrootDecodeImage);
  loading ??= new Promise<DecodeImage>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = urls.script;
    script.dataset.wasm = urls.wasm;
    script.onload = () =>
      window.trackrootDecodeImage ? resolve(window.trackrootDecodeImage) : reject(new Error("decoder missing"));
    script.onerror = () => reject(new Error("the decoder could not be loaded"));
    document.head.append(script);
  }).catch((e: unknown) => {
    // a failed load may be tried again
    loading = null;
    throw e;
  });
  return loading;
}
