import { rawCid } from "../../core/content/raw-cid";
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
