import { rawCid } from "../content/raw-cid";
import { IntegrityError, ValidationError } from "../errors";
import type { ProductRecord } from "./product-record";

/**
 * A product's picture, proven like its record: the record names it by content (`gs1:image` as
 * `ipfs://` and the raw-block CID of its bytes), so the chain's record CID covers the picture too,
 * and a browser shows it only when the bytes it was served give that CID. A picture at an https
 * address stays a link of the record, never shown: no one can prove what such an address serves.
 */

/** A picture's bytes at most: one raw block of the content store (256 KiB), hashed by a browser alone. */
export const MAX_PRODUCT_IMAGE_BYTES = 256 * 1024;
/** The scheme of a picture named by content. */
export const CONTENT_IMAGE_SCHEME = "ipfs://";
/** A raw-block CID (CIDv1, raw, sha2-256, base32): what rawCid gives, and nothing else. */
export const RAW_CID = /^bafkrei[a-z2-7]{52}$/;

/** The picture formats a page shows, each told by its first bytes (never by what a server says). */
export type ProductImageType = "image/png" | "image/jpeg" | "image/webp";

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

/** The format of a picture by its signature: PNG, JPEG or WebP; null for anything else. */
export function imageTypeOf(bytes: Uint8Array): ProductImageType | null {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  // RIFF, a length, WEBP
  if (startsWith(bytes, 0, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, 8, [0x57, 0x45, 0x42, 0x50]))
    return "image/webp";
  return null;
}

/** The `gs1:image` address of a picture named by content. */
export function contentImageUri(cid: string): string {
  return `${CONTENT_IMAGE_SCHEME}${cid}`;
}

/** The CID of the record's first picture named by content, if it has one. */
export function contentImageCid(record: ProductRecord): string | undefined {
  for (const { "@id": id } of record["gs1:image"] ?? []) {
    if (id.startsWith(CONTENT_IMAGE_SCHEME)) return id.slice(CONTENT_IMAGE_SCHEME.length);
  }
  return undefined;
}

/** Checks a picture a brand publishes: a PNG, JPEG or WebP of at most one raw block. Returns its CID. */
export function checkProductImage(bytes: Uint8Array): { cid: string; type: ProductImageType } {
  if (bytes.length > MAX_PRODUCT_IMAGE_BYTES)
    throw new ValidationError(
      "image",
      `${bytes.length} bytes`,
      `a product picture is at most ${MAX_PRODUCT_IMAGE_BYTES} bytes`,
    );
  const type = imageTypeOf(bytes);
  if (!type) throw new ValidationError("image", `${bytes.length} bytes`, "a PNG, JPEG or WebP picture");
  return { cid: rawCid(bytes), type };
}

/**
 * A picture served for `cid`, checked as a reader must before showing it: at most one raw block,
 * the very bytes the CID names, in a format shown by its signature. IntegrityError otherwise.
 */
export function verifyProductImage(bytes: Uint8Array, cid: string): ProductImageType {
  if (bytes.length > MAX_PRODUCT_IMAGE_BYTES)
    throw new IntegrityError(`the picture served is ${bytes.length} bytes, over ${MAX_PRODUCT_IMAGE_BYTES}`);
  const actual = rawCid(bytes);
  if (actual !== cid) throw new IntegrityError(`the picture served is ${actual}, the record names ${cid}`);
  const type = imageTypeOf(bytes);
  if (!type) throw new IntegrityError(`the picture ${cid} is no PNG, JPEG or WebP`);
  return type;
}
