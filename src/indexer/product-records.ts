import type { Ledger } from "../chain/ledger";
import { LedgerFacts } from "../chain/ledger-facts";
import type { ContentStore } from "../content/content-store";
import { IntegrityError, NotFoundError } from "../core/errors";
import type { Gtin14 } from "../core/gs1/gtin";
import { contentImageCid, verifyProductImage, type ProductImageType } from "../core/products/product-image";
import { decodeProductRecord } from "../core/products/product-record";

/** A GTIN's current product record as the chain names it: its CID, version and the stored bytes. */
export interface ProductRecordAnswer {
  cid: string;
  version: number;
  bytes: Uint8Array;
}

/**
 * The product records the indexer serves the public: the chain's current CID for a GTIN, and the
 * bytes the content store holds under it (the store re-hashes them). The indexer adds no judgement:
 * the page checks the bytes against the CID it reads from the chain itself.
 */
export function productRecordSource(ledger: Ledger, content: ContentStore) {
  const facts = new LedgerFacts(ledger);
  return async (gtin: Gtin14): Promise<ProductRecordAnswer> => {
    const { cid, version } = await facts.productRecordOf(gtin);
    if (version === 0) throw new NotFoundError(`no product record was published for GTIN ${gtin}`);
    return { cid, version, bytes: await content.get(cid) };
  };
}

/** The picture a GTIN's current record names by content: its CID, its format and its bytes. */
export interface ProductImageAnswer {
  cid: string;
  type: ProductImageType;
  bytes: Uint8Array;
}

/**
 * The pictures the indexer serves the public: the one the chain's current record for a GTIN names by
 * content, and nothing else the content store holds (batch contents stay off this surface). The
 * page checks the bytes against the record it checked against the chain.
 */
export function productImageSource(ledger: Ledger, content: ContentStore) {
  const records = productRecordSource(ledger, content);
  return async (gtin: Gtin14): Promise<ProductImageAnswer> => {
    const answer = await records(gtin);
    let cid: string | undefined;
    try {
      cid = contentImageCid(decodeProductRecord(answer.bytes, gtin));
    } catch (e) {
      throw new IntegrityError(`the record ${answer.cid} the chain names for GTIN ${gtin} is not one`, { cause: e });
    }
    if (!cid) throw new NotFoundError(`the product record of GTIN ${gtin} names no picture by content`);
    const bytes = await content.get(cid);
    return { cid, type: verifyProductImage(bytes, cid), bytes };
  };
}
