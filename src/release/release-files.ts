import { open, rename } from "node:fs/promises";
import type { SerialBlock } from "../core/codes/serials";
import { CODE_LEAF_ENCODING } from "../core/merkle/leaves";
import { standardDumpChunks, type MerkleTree } from "../core/merkle/tree";

/** Writes text chunks to `path` through a temporary file renamed at the end: never a torn file. */
export async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>): Promise<number> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, "w");
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      const { bytesWritten } = await file.write(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk);
      bytes += bytesWritten;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  return bytes;
}

/**
 * codes.csv: gtin, serial and Digital Link URL per code, for the printer or licensee. Serials are
 * alphanumeric, so `linkPrefix + serial` is the exact Digital Link (nothing to percent-encode).
 */
export function* codesCsvChunks(
  gtin: string,
  serials: SerialBlock,
  linkPrefix: string,
  onProgress?: (written: number) => void,
): Generator<string> {
  let text = "gtin,serial,url\n";
  const n = serials.count;
  const head = `${gtin},`;
  for (let i = 0; i < n; i++) {
    const s = serials.at(i);
    text += `${head}${s},${linkPrefix}${s}\n`;
    if (text.length > 1 << 20) {
      onProgress?.(i + 1);
      yield text;
      text = "";
    }
  }
  onProgress?.(n);
  yield text;
}

/** Reads a codes.csv back (what the demo and tests do with a release): each code's serial and Digital Link. */
export function parseCodesCsv(text: string): { gtin: string; serial: string; url: string }[] {
  return text
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [gtin, serial, url] = line.split(",");
      return { gtin, serial, url };
    });
}

/** tree.json: the StandardMerkleTree dump (loads in @openzeppelin/merkle-tree), kept by the brand. */
export function treeDumpChunks(gtin: string, serials: SerialBlock, tree: MerkleTree): Generator<string> {
  const g = JSON.stringify(gtin);
  return standardDumpChunks(tree, (i) => `[${g},"${serials.at(i)}"]`, CODE_LEAF_ENCODING);
}
