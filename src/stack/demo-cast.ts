import { toHex, type Hex } from "viem";
import { mnemonicToAccount, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { gs1CheckDigit } from "../core/gs1/check-digit";
import type { ParticipantKindName } from "../core/custody/participant-kinds";

/**
 * The public development mnemonic anvil and hardhat fund their accounts from. Its keys are known to
 * everyone: they are for the local demo only, never for a network with anything of value.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** A GLN: 12 digits and their GS1 check digit. */
const gln = (first12: string) => `${first12}${gs1CheckDigit(first12)}`;

export interface CastMember {
  name: string;
  kind: ParticipantKindName;
  gln: string;
  /** the development account the member signs with */
  accountIndex: number;
}

/** The brand's GS1 company prefix and the product the demo serializes. */
export const DEMO_PREFIX = "0614141";
export const DEMO_GTIN = "10614141073464";
/** What the brand says of the demo's product, per language: the page names the product by it. */
export const DEMO_PRODUCT_RECORD = {
  "@context": { gs1: "https://ref.gs1.org/voc/" },
  "@type": "gs1:Product",
  "gs1:gtin": DEMO_GTIN,
  "gs1:productName": [
    { "@value": "Ibuprofen Acme 400 mg", "@language": "en" },
    { "@value": "Ibuprofen Acme 400 mg", "@language": "de" },
    { "@value": "Ibuprofène Acme 400 mg", "@language": "fr" },
  ],
  "gs1:productDescription": [
    { "@value": "400 mg film-coated tablets; 20 tablets in two blister strips", "@language": "en" },
    { "@value": "400 mg Filmtabletten; 20 Tabletten in zwei Blisterstreifen", "@language": "de" },
    { "@value": "Comprimés pelliculés à 400 mg ; 20 comprimés en deux plaquettes", "@language": "fr" },
  ],
  "gs1:netContent": [{ "@type": "gs1:QuantitativeValue", "gs1:value": "20", "gs1:unitCode": "H87" }],
  "gs1:epil": [{ "@id": "https://acme-pharma.example/leaflets/10614141073464" }],
  "gs1:recallStatus": [{ "@id": "https://acme-pharma.example/recalls" }],
  "gs1:support": [{ "@id": "https://acme-pharma.example/contact" }],
} as const;

/** The contract producer's company prefix: it numbers the cases and the pallet it packs (SSCC). */
export const PRODUCER_PREFIX = "4012345";

/**
 * Who takes part in the demo, in registration order (participant ids 1..7). The consortium's
 * governance key (account 0) deploys and registers them; it is not a participant itself.
 */
export const CAST = {
  brand: { name: "Acme Pharma", kind: "brand", gln: gln("061414100000"), accountIndex: 1 },
  producer: { name: "Rhein Contract Manufacturing", kind: "producer", gln: gln("401234500000"), accountIndex: 2 },
  north: { name: "NorthLog Distribution", kind: "custodian", gln: gln("541234500000"), accountIndex: 3 },
  south: { name: "MedWay Wholesale", kind: "custodian", gln: gln("761234500000"), accountIndex: 4 },
  pharmacy: { name: "Corner Street Pharmacy", kind: "retailer", gln: gln("501234500000"), accountIndex: 5 },
  relayer: { name: "Consortium Relay", kind: "relayer", gln: gln("061414100009"), accountIndex: 6 },
  auditor: { name: "Medicines Inspectorate", kind: "auditor", gln: gln("500000000001"), accountIndex: 7 },
} as const satisfies Record<string, CastMember>;
export type CastRole = keyof typeof CAST;

/** Participant ids in registration order. */
export const participantId = (role: CastRole): number => Object.keys(CAST).indexOf(role) + 1;

/** The private key of development account `index`. */
export function devKey(index: number): Hex {
  const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no private key for development account ${index}`);
  return toHex(key);
}

export const GOVERNOR_ACCOUNT = 0;

/** The signing account of a cast member. */
export const castAccount = (role: CastRole): PrivateKeyAccount => privateKeyToAccount(devKey(CAST[role].accountIndex));
