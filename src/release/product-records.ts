import type { Hash } from "viem";
import type { Ledger } from "../chain/ledger";
import { LedgerFacts } from "../chain/ledger-facts";
import type { ContentStore } from "../content/content-store";
import { rawCid } from "../core/content/raw-cid";
import { IntegrityError, NotFoundError, ValidationError } from "../core/errors";
import { normalizeGtin } from "../core/gs1/gtin";
import {
  checkProductRecord,
  decodeProductRecord,
  encodeProductRecord,
  type ProductRecord,
} from "../core/products/product-record";

export interface PublishedProductRecord {
  gtin: string;
  cid: string;
  version: number;
  transaction: Hash;
}

/**
 * Publishes a brand's product record for a GTIN: the record checked, its canonical bytes put in the
 * content store once the chain has agreed to take their CID (so a refused record leaves nothing
 * behind), then the CID set on-chain. The new version replaces the current; the old stay readable.
 */
export async function publishProductRecord(options: {
  ledger: Ledger;
  content: ContentStore;
  gtin: string;
  record: unknown;
}): Promise<PublishedProductRecord> {
  const { ledger, content } = options;
  const gtin = normalizeGtin(options.gtin);
  const record = checkProductRecord(options.record);
  if (record["gs1:gtin"] !== gtin)
    throw new ValidationError("/gs1:gtin", record["gs1:gtin"], `the record is for another GTIN than ${gtin}`);
  const bytes = encodeProductRecord(record);
  const cid = rawCid(bytes);
  const { result, hash } = await ledger.write(async () => {
    const simulated = await ledger.serials.simulate.setProductRecord([BigInt(gtin), cid]);
    const stored = await content.put(bytes);
    if (stored !== cid) throw new IntegrityError(`the content store named the record ${stored}, not ${cid}`);
    return simulated;
  });
  return { gtin, cid, version: Number(result), transaction: hash };
}

export interface ReadProductRecord {
  gtin: string;
  cid: string;
  version: number;
  /** how many versions the GTIN has */
  versions: number;
  record: ProductRecord;
}

/**
 * A GTIN's product record as the chain names it (the current version, or `version`), fetched by its
 * CID (the store checks the bytes) and read as a record of that GTIN; NotFoundError when none was
 * published, IntegrityError when the bytes the chain names are not one.
 */
export async function readProductRecord(options: {
  ledger: Ledger;
  content: ContentStore;
  gtin: string;
  version?: number;
}): Promise<ReadProductRecord> {
  const { ledger, content } = options;
  const gtin = normalizeGtin(options.gtin);
  const { cid: current, version: versions } = await new LedgerFacts(ledger).productRecordOf(gtin);
  if (versions === 0) throw new NotFoundError(`no product record was published for GTIN ${gtin}`);
  const version = options.version ?? versions;
  if (!Number.isInteger(version) || version < 1 || version > versions)
    throw new ValidationError("version", options.version, `GTIN ${gtin} has versions 1 to ${versions}`);
  const cid =
    version === versions
      ? current
      : await ledger.read(() => ledger.serials.read.productRecordAt([BigInt(gtin), version]));
  const bytes = await content.get(cid);
  try {
    return { gtin, cid, version, versions, record: decodeProductRecord(bytes, gtin) };
  } catch (e) {
    throw new IntegrityError(`the record ${cid} the chain names for GTIN ${gtin} is not one: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
