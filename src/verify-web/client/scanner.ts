import type { Locale } from "./i18n/locale";

/** The part of the Shape Detection API the scanner uses (Chromium on Android, ChromeOS, macOS). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorCtor = (new (options: { formats: string[] }) => BarcodeDetectorLike) & {
  getSupportedFormats(): Promise<string[]>;
};
const FORMATS = ["qr_code", "data_matrix"];

/**
 * Scanning with the camera where the browser can decode codes itself (BarcodeDetector): no
 * decoder is shipped, so the page stays small, and elsewhere the button stays hidden and the
 * visitor types or pastes the code. `found` gets the first QR or DataMatrix read.
 */
export async function startScanner(
  button: HTMLButtonElement,
  video: HTMLVideoElement,
  locale: () => Locale,
  found: (text: string) => void,
): Promise<void> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return;
  // the API can exist with no decoder behind it (Chromium on Linux): offer it only where it reads QR codes
  const formats = (await Detector.getSupportedFormats().catch(() => [] as string[])).filter((f) => FORMATS.includes(f));
  if (formats.length === 0) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch {
      button.textContent = locale().t.page.cameraUnavailable;
      button.disabled = true;
      return;
    }
    const detector = new Detector({ formats });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const stop = () => {
      for (const track of stream.getTracks()) track.stop();
      video.hidden = true;
    };
    const tick = async () => {
      try {
        const [code] = await detector.detect(video);
        if (code) {
          stop();
          found(code.rawValue);
          return;
        }
      } catch {
        stop();
        return;
      }
      requestAnimationFrame(() => void tick());
    };
    void tick();
  });
}
