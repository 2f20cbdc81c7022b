import type { Ledger } from "../chain/ledger";
import { LedgerFacts } from "../chain/ledger-facts";
import type { ContentStore } from "../content/content-store";
import { NotFoundError } from "../core/errors";
import type { Gtin14 } from "../core/gs1/gtin";

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
