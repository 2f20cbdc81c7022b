import { z } from "zod";
import { ValidationError } from "../errors";
import { hasValidCheckDigit } from "../gs1/check-digit";
import { DOCUMENT_DEPTH_LIMIT, parseStrictJson } from "../json/strict-json";
import { CONTENT_IMAGE_SCHEME, RAW_CID } from "./product-image";

/**
 * A brand's product record for one GTIN (`trackroot product set`): what a pharmacist or a consumer
 * checks on the pack (a name, a strength, a form, a pack size, a picture), per language, with the
 * product's links, in GS1 Web Vocabulary terms as JSON-LD so that any reader of gs1:Product can
 * read it. Its CID goes on-chain (SerialRegistry.setProductRecord) and the page shows it only when
 * the bytes it was served give that CID. test/vectors/product-record.json pins the encoding.
 */

/** A record's bytes at most: one raw block of the content store, whose CID a browser computes alone. */
export const MAX_PRODUCT_RECORD_BYTES = 32 * 1024;
/** The GS1 Web Vocabulary's namespace, as GS1 publishes it and as it was first published. */
export const GS1_VOCABULARY = ["https://ref.gs1.org/voc/", "https://gs1.org/voc/"] as const;
/** The GS1 link types a record may carry (the Web Vocabulary's gs1:linkType sub-properties). */
export const PRODUCT_LINK_TYPES = [
  "gs1:pip",
  "gs1:epil",
  "gs1:smpc",
  "gs1:instructions",
  "gs1:safetyInfo",
  "gs1:recallStatus",
  "gs1:support",
] as const;

const languageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 language tag such as en, de or pt-BR");
const texts = (max: number) =>
  z
    .array(z.object({ "@value": z.string().trim().min(1).max(max), "@language": languageTag }).strict())
    .min(1)
    .max(40)
    .refine((list) => new Set(list.map((t) => t["@language"])).size === list.length, "one text per language");
function isHttpsUrl(u: string): boolean {
  try {
    return new URL(u).protocol === "https:";
  } catch {
    return false;
  }
}
const isContentImage = (u: string) =>
  u.startsWith(CONTENT_IMAGE_SCHEME) && RAW_CID.test(u.slice(CONTENT_IMAGE_SCHEME.length));
const httpsUrl = z.string().max(2000).refine(isHttpsUrl, "an https URL");
const links = z
  .array(z.object({ "@id": httpsUrl }).strict())
  .min(1)
  .max(8);
// a picture at an https address (a link only), or named by content and shown (product-image.ts)
const imageId = z
  .string()
  .max(2000)
  .refine((u) => isContentImage(u) || isHttpsUrl(u), "an https URL, or ipfs:// and a raw-block CID (bafkrei...)");
const images = z
  .array(z.object({ "@id": imageId }).strict())
  .min(1)
  .max(8);

const linkShape = Object.fromEntries(PRODUCT_LINK_TYPES.map((t) => [t, links.optional()])) as Record<
  (typeof PRODUCT_LINK_TYPES)[number],
  z.ZodOptional<typeof links>
>;

export const ProductRecordSchema = z
  .object({
    "@context": z.object({ gs1: z.enum(GS1_VOCABULARY) }).strict(),
    "@type": z.literal("gs1:Product"),
    "gs1:gtin": z
      .string()
      .regex(/^\d{14}$/, "a GTIN-14: 14 digits")
      .refine(hasValidCheckDigit, "a GTIN-14 with its check digit"),
    "gs1:productName": texts(200),
    "gs1:productDescription": texts(2000).optional(),
    "gs1:netContent": z
      .array(
        z
          .object({
            "@type": z.literal("gs1:QuantitativeValue"),
            "gs1:value": z.string().regex(/^\d{1,9}(\.\d{1,6})?$/, "a decimal number such as 30 or 0.5"),
            "gs1:unitCode": z.string().regex(/^[A-Z0-9]{1,3}$/, "a UN/ECE Rec 20 unit code such as H87, MGM or MLT"),
          })
          .strict(),
      )
      .min(1)
      .max(4)
      .optional(),
    "gs1:image": images.optional(),
    ...linkShape,
  })
  .strict();
export type ProductRecord = z.infer<typeof ProductRecordSchema>;

/** A record's JSON with every object's keys sorted: one record, one byte string, one CID. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Checks a record (from a file, a form, an upload) and names the first field that is wrong. */
export function checkProductRecord(value: unknown): ProductRecord {
  const parsed = ProductRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? `/${issue.path.join("/")}` : "/";
    const at = issue.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
    throw new ValidationError(field, at, issue.message);
  }
  return parsed.data;
}

/** The bytes published for a record: its canonical JSON (sorted keys, no white space), UTF-8. */
export function encodeProductRecord(record: ProductRecord): Uint8Array {
  const bytes = new TextEncoder().encode(JSON.stringify(canonical(checkProductRecord(record))));
  if (bytes.length > MAX_PRODUCT_RECORD_BYTES)
    throw new ValidationError(
      "record",
      `${bytes.length} bytes`,
      `a product record is at most ${MAX_PRODUCT_RECORD_BYTES} bytes`,
    );
  return bytes;
}

/**
 * A record from its published bytes: strict JSON, the schema, and the canonical form exactly (so a
 * record has one CID), for `gtin` when given. What a reader fetched by the chain's CID.
 */
export function decodeProductRecord(bytes: Uint8Array, gtin?: string): ProductRecord {
  if (bytes.length > MAX_PRODUCT_RECORD_BYTES)
    throw new ValidationError(
      "record",
      `${bytes.length} bytes`,
      `a product record is at most ${MAX_PRODUCT_RECORD_BYTES} bytes`,
    );
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  const record = checkProductRecord(parseStrictJson(text, { maxDepth: DOCUMENT_DEPTH_LIMIT }));
  if (JSON.stringify(canonical(record)) !== text)
    throw new ValidationError("record", text.slice(0, 40), "is not in canonical form (sorted keys, no white space)");
  if (gtin !== undefined && record["gs1:gtin"] !== gtin)
    throw new ValidationError("/gs1:gtin", record["gs1:gtin"], `the record is for another GTIN than ${gtin}`);
  return record;
}

/** The text of a record in the first of `languages` it has (else its base language), else its first. */
export function pickText<T extends { "@value": string; "@language": string }>(
  list: readonly T[] | undefined,
  languages: readonly string[],
): T | undefined {
  if (!list?.length) return undefined;
  for (const wanted of languages) {
    const base = wanted.toLowerCase().split("-")[0];
    const hit =
      list.find((t) => t["@language"].toLowerCase() === wanted.toLowerCase()) ??
      list.find((t) => t["@language"].toLowerCase().split("-")[0] === base);
    if (hit) return hit;
  }
  return list[0];
}

/** pickText's words alone. */
export function textIn(
  list: readonly { "@value": string; "@language": string }[] | undefined,
  languages: readonly string[],
): string | undefined {
  return pickText(list, languages)?.["@value"];
}
