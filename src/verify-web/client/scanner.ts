import type { DecodeImage } from "./decoder-loader";
import type { Locale } from "./i18n/locale";

/** The part of the Shape Detection API the scanner uses (Chromium on Android, ChromeOS, macOS). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorCtor = (new (options: { formats: string[] }) => BarcodeDetectorLike) & {
  getSupportedFormats(): Promise<string[]>;
};
const FORMATS = ["qr_code", "data_matrix"];
/** How often the page's own decoder looks at a camera frame: each look takes tens of milliseconds */
const FRAME_INTERVAL_MS = 120;
/** Frames are decoded at most this wide: enough for a label held to the camera, and quick */
const FRAME_WIDTH = 960;

/** Reads one frame of the camera: the text of a code in it, or null. */
type ReadFrame = (video: HTMLVideoElement) => Promise<string | null>;

/**
 * Scanning with the camera on every browser that has one: the browser's own BarcodeDetector where
 * it reads both QR codes and DataMatrix (no decoder is fetched), else the page's own decoder
 * (ZXing's WebAssembly), fetched only when the visitor taps Scan. `found` gets the first code read,
 * as a scanner would hand it over.
 */
export async function startScanner(options: {
  button: HTMLButtonElement;
  video: HTMLVideoElement;
  locale: () => Locale;
  /** the page's own decoder, loaded on first use */
  loadDecoder: () => Promise<DecodeImage>;
  found: (text: string) => void;
}): Promise<void> {
  const { button, video, locale, found } = options;
  if (!navigator.mediaDevices?.getUserMedia) return;
  const native = await nativeReader();
  button.hidden = false;
  button.addEventListener("click", async () => {
    let stream: MediaStream;
    let read: ReadFrame;
    try {
      [stream, read] = await Promise.all([
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }),
        native ?? options.loadDecoder().then(ownReader),
      ]);
    } catch {
      button.textContent = locale().t.page.cameraUnavailable;
      button.disabled = true;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const stop = () => {
      for (const track of stream.getTracks()) track.stop();
      video.hidden = true;
    };
    const tick = async () => {
      try {
        const text = await read(video);
        if (text !== null) {
          stop();
          found(text);
          return;
        }
      } catch {
        stop();
        return;
      }
      if (native) requestAnimationFrame(() => void tick());
      else setTimeout(() => void tick(), FRAME_INTERVAL_MS);
    };
    void tick();
  });
}

/** The browser's BarcodeDetector, where it reads both QR codes and DataMatrix (GS1 medicine packs). */
async function nativeReader(): Promise<ReadFrame | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Detector) return null;
  // the API can exist with no decoder behind it (Chromium on Linux), or without DataMatrix
  const formats = await Detector.getSupportedFormats().catch(() => [] as string[]);
  if (!FORMATS.every((f) => formats.includes(f))) return null;
  const detector = new Detector({ formats: FORMATS });
  return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
}

/** The page's own decoder on camera frames, drawn into a canvas at most FRAME_WIDTH wide. */
function ownReader(decode: DecodeImage): ReadFrame {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    if (!context || video.videoWidth === 0) return null;
    const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    return decode(context.getImageData(0, 0, canvas.width, canvas.height));
  };
}
