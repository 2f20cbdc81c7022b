import { loadDecoder } from "./decoder-loader";
import type { Locale } from "./i18n/locale";

/**
 * Reading a code from a photo, on every phone and browser: the file input opens the camera (or the
 * gallery), and the page decodes QR codes and GS1 DataMatrix itself. `found` gets what a scanner
 * would hand over; `say` shows progress or why nothing was read.
 */
export function startPhotoInput(
  input: HTMLInputElement,
  locale: () => Locale,
  say: (text: string | null) => void,
  found: (text: string) => void,
): void {
  input.addEventListener("change", async () => {
    const photo = input.files?.[0];
    input.value = "";
    if (!photo) return;
    say(locale().t.page.readingPhoto);
    try {
      const decode = await loadDecoder(decoderUrls(input));
      const text = await decode(photo);
      if (text === null) return say(locale().t.page.noCodeInPhoto);
      say(null);
      found(text);
    } catch {
      say(locale().t.page.noCodeInPhoto);
    }
  });
}

/** Where the page's own decoder and its WebAssembly are served (the photo input carries them). */
export function decoderUrls(input: HTMLInputElement): { script: string; wasm: string } {
  return { script: input.dataset.decoder ?? "", wasm: input.dataset.wasm ?? "" };
}
