import type { Hash } from "viem";
import type { Ledger } from "../chain/ledger";
import { LedgerFacts } from "../chain/ledger-facts";
import type { ContentStore } from "../content/content-store";
import { rawCid } from "../core/content/raw-cid";
import { IntegrityError, NotFoundError, ValidationError } from "../core/errors";
import { normalizeGtin } from "../core/gs1/gtin";
import {
  checkProductImage,
  contentImageCid,
  contentImageUri,
  CONTENT_IMAGE_SCHEME,
} from "../core/products/product-image";
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
  /** the CID of the picture published with the record */
  image?: string;
}

/**
 * Publishes a brand's product record for a GTIN: the record checked, its canonical bytes put in the
 * content store once the chain has agreed to take their CID (so a refused record leaves nothing
 * behind), then the CID set on-chain. The new version replaces the current; the old stay readable.
 * With `image`, the picture goes to the content store too and the record names it by its CID (the
 * first `gs1:image`), so the chain's record CID covers it; a record naming a picture by content
 * without its bytes is taken only when the content store already holds them.
 */
export async function publishProductRecord(options: {
  ledger: Ledger;
  content: ContentStore;
  gtin: string;
  record: unknown;
  /** a PNG, JPEG or WebP of at most 256 KiB */
  image?: Uint8Array;
}): Promise<PublishedProductRecord> {
  const { ledger, content } = options;
  const gtin = normalizeGtin(options.gtin);
  let record = checkProductRecord(options.record);
  if (record["gs1:gtin"] !== gtin)
    throw new ValidationError("/gs1:gtin", record["gs1:gtin"], `the record is for another GTIN than ${gtin}`);
  const image = options.image ? { bytes: options.image, ...checkProductImage(options.image) } : undefined;
  if (image) {
    const links = (record["gs1:image"] ?? []).filter((i) => !i["@id"].startsWith(CONTENT_IMAGE_SCHEME));
    record = checkProductRecord({ ...record, "gs1:image": [{ "@id": contentImageUri(image.cid) }, ...links] });
  } else {
    const named = contentImageCid(record);
    if (named && !(await content.has(named))) {
      const at = (record["gs1:image"] ?? []).findIndex((i) => i["@id"] === contentImageUri(named));
      throw new ValidationError(
        `/gs1:image/${at}/@id`,
        contentImageUri(named),
        "names a picture the content store does not hold: give its file (trackroot product set --image)",
      );
    }
  }
  const bytes = encodeProductRecord(record);
  const cid = rawCid(bytes);
  const { result, hash } = await ledger.write(async () => {
    const simulated = await ledger.serials.simulate.setProductRecord([BigInt(gtin), cid]);
    // the picture first: a record is never published naming a picture the store does not hold
    if (image) await putExactly(content, image.bytes, image.cid, "picture");
    await putExactly(content, bytes, cid, "record");
    return simulated;
  });
  return { gtin, cid, version: Number(result), transaction: hash, ...(image ? { image: image.cid } : {}) };
}

async function putExactly(content: ContentStore, bytes: Uint8Array, cid: string, what: string): Promise<void> {
  const stored = await content.put(bytes);
  if (stored !== cid) throw new IntegrityError(`the content store named the ${what} ${stored}, not ${cid}`);
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
