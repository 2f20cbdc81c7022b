import { rawCid } from "../../core/content/raw-cid";
import {
  contentImageCid,
  MAX_PRODUCT_IMAGE_BYTES,
  verifyProductImage,
  type ProductImageType,
} from "../../core/products/product-image";
import { decodeProductRecord, MAX_PRODUCT_RECORD_BYTES, type ProductRecord } from "../../core/products/product-record";

/** What the page makes of a GTIN's product record: shown when it is the chain's, else said to differ. */
export type ProductRecordCheck =
  | { ok: true; cid: string; version: number; record: ProductRecord }
  | { ok: false; cid: string; version: number; detail: string };

export interface ProductRecordReads {
  /** the CID and version the chain holds for the GTIN (version 0: none published) */
  onChain: (gtin: string) => Promise<{ cid: string; version: number }>;
  /** the record's bytes as the server sent them, or null when it has none */
  served: (gtin: string) => Promise<Uint8Array | null>;
}

/**
 * A GTIN's product record checked in the visitor's browser: the bytes the server sent must give the
 * CID the chain holds, and be the canonical record of that GTIN. Null when the brand published none;
 * a record that fails is reported as such (never shown, never silently dropped). Throws only when
 * the chain cannot be read.
 */
export async function verifyProductRecord(gtin: string, reads: ProductRecordReads): Promise<ProductRecordCheck | null> {
  const served = reads.served(gtin).then(
    (bytes) => ({ bytes }),
    (e: unknown) => ({ error: (e as Error).message }),
  );
  const { cid, version } = await reads.onChain(gtin);
  if (version === 0) return null;
  const answer = await served;
  if ("error" in answer) return { ok: false, cid, version, detail: `the server did not send it (${answer.error})` };
  if (answer.bytes === null) return { ok: false, cid, version, detail: "the server has no record for this GTIN" };
  const actual = rawCid(answer.bytes);
  if (actual !== cid)
    return { ok: false, cid, version, detail: `the record the server sent is ${actual}, the chain names ${cid}` };
  try {
    return { ok: true, cid, version, record: decodeProductRecord(answer.bytes, gtin) };
  } catch (e) {
    return {
      ok: false,
      cid,
      version,
      detail: `the chain names no product record of this GTIN (${(e as Error).message})`,
    };
  }
}

/** The record's bytes from the site (which asks the indexer), bounded; null when there is none. */
export async function fetchProductRecord(gtin: string): Promise<Uint8Array | null> {
  const res = await fetch(`/v1/products/${gtin}/record`, {
    credentials: "omit",
    headers: { accept: "application/ld+json" },
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`it answered ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_PRODUCT_RECORD_BYTES) throw new Error(`it sent ${bytes.length} bytes`);
  return bytes;
}

/** What the page makes of the picture a checked record names by content: shown, or said to differ. */
export type ProductPictureCheck =
  | { ok: true; cid: string; type: ProductImageType; bytes: Uint8Array }
  | { ok: false; cid: string; detail: string };

/**
 * The picture a record (already checked against the chain) names by content, checked in the
 * visitor's browser: the bytes served must give the CID the record names, and be a picture by their
 * own first bytes. Null when the record names none by content (an https picture is never shown).
 */
export async function verifyProductPicture(
  gtin: string,
  record: ProductRecord,
  served: (gtin: string) => Promise<Uint8Array>,
): Promise<ProductPictureCheck | null> {
  const cid = contentImageCid(record);
  if (!cid) return null;
  let bytes: Uint8Array;
  try {
    bytes = await served(gtin);
  } catch (e) {
    return { ok: false, cid, detail: `the server did not send it (${(e as Error).message})` };
  }
  try {
    return { ok: true, cid, type: verifyProductImage(bytes, cid), bytes };
  } catch (e) {
    return { ok: false, cid, detail: (e as Error).message };
  }
}

/** The picture's bytes from the site (which asks the indexer), read no further than one raw block. */
export async function fetchProductPicture(gtin: string): Promise<Uint8Array> {
  const res = await fetch(`/v1/products/${gtin}/image`, {
    credentials: "omit",
    headers: { accept: "image/png, image/jpeg, image/webp" },
  });
  if (!res.ok) throw new Error(`it answered ${res.status}`);
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > MAX_PRODUCT_IMAGE_BYTES) throw new Error(`it sent ${declared} bytes`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_PRODUCT_IMAGE_BYTES) throw new Error(`it sent ${bytes.length} bytes`);
  return bytes;
}
