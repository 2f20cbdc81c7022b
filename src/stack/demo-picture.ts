import { crc32, deflateSync } from "node:zlib";

/**
 * The demo product's picture: a carton of tablets drawn as a small PNG (a few hundred bytes), so
 * that the demo's product record names a picture by content and the page shows it, checked.
 */
export function demoProductPicture(): Buffer {
  const width = 240;
  const height = 180;
  const white = [255, 255, 255];
  const carton = [232, 240, 250];
  const edge = [40, 70, 120];
  const band = [200, 40, 60];
  const pill = [250, 250, 250];
  const pixel = (x: number, y: number): number[] => {
    const inBox = x >= 30 && x < 210 && y >= 30 && y < 150;
    if (!inBox) return white;
    if (x < 33 || x >= 207 || y < 33 || y >= 147) return edge;
    if (y >= 50 && y < 66) return band;
    // two rows of tablets, as on a blister strip
    for (const cy of [95, 125])
      for (let cx = 60; cx <= 180; cx += 30)
        if ((x - cx) ** 2 + (y - cy) ** 2 <= 100) return (x - cx) ** 2 + (y - cy) ** 2 >= 70 ? edge : pill;
    return carton;
  };
  // each row: filter type 0, then RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (1 + width * 3) + 1 + x * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}
