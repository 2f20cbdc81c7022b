import { writeFileSync } from "node:fs";
import type { PNG } from "pngjs";

/**
 * A video file for chromium's fake camera (`--use-file-for-fake-video-capture`): one frame of
 * `width` x `height`, white, with `image` in its middle, as YUV4MPEG2 4:2:0 (BT.601, full range).
 * Chromium plays it in a loop, as a phone's camera held still over a label.
 */
export function writeFakeCameraVideo(file: string, image: PNG, width = 640, height = 480): void {
  const left = Math.floor((width - image.width) / 2);
  const top = Math.floor((height - image.height) / 2);
  const rgb = (x: number, y: number): [number, number, number] => {
    const ix = x - left;
    const iy = y - top;
    if (ix < 0 || iy < 0 || ix >= image.width || iy >= image.height) return [255, 255, 255];
    const at = (iy * image.width + ix) * 4;
    const alpha = image.data[at + 3] / 255;
    const mix = (c: number) => Math.round(c * alpha + 255 * (1 - alpha));
    return [mix(image.data[at]), mix(image.data[at + 1]), mix(image.data[at + 2])];
  };
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  const luma = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      luma[y * width + x] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
    }
  for (let y = 0; y < height / 2; y++)
    for (let x = 0; x < width / 2; x++) {
      let [r, g, b] = [0, 0, 0];
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ]) {
        const [pr, pg, pb] = rgb(2 * x + dx, 2 * y + dy);
        r += pr / 4;
        g += pg / 4;
        b += pb / 4;
      }
      u[y * (width / 2) + x] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
      v[y * (width / 2) + x] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
    }
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`, "ascii"), luma, u, v]),
  );
}
