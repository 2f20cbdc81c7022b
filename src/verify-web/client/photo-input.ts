import type { Locale } from "./i18n/locale";

/** Loads the photo decoder's script once, on first use: the first page load stays small. */
function loadDecoder(input: HTMLInputElement): Promise<(photo: Blob) => Promise<string | null>> {
  if (window.trackrootDecodePhoto) return Promise.resolve(window.trackrootDecodePhoto);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = input.dataset.decoder ?? "";
    script.dataset.wasm = input.dataset.wasm ?? "";
    script.onload = () =>
      window.trackrootDecodePhoto ? resolve(window.trackrootDecodePhoto) : reject(new Error("decoder missing"));
    script.onerror = () => reject(new Error("the decoder could not be loaded"));
    document.head.append(script);
  });
}

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
      const decode = await loadDecoder(input);
      const text = await decode(photo);
      if (text === null) return say(locale().t.page.noCodeInPhoto);
      say(null);
      found(text);
    } catch {
      say(locale().t.page.noCodeInPhoto);
    }
  });
}
