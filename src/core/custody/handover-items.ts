import { encodeAbiParameters, keccak256, parseAbiParameters, stringToHex } from "viem";
import type { Hex } from "../bytes";
import { canonicalDigitalLink } from "../epcis/canonical-value";
import { ValidationError } from "../errors";
import { ITEM_LEAF_ENCODING, standardLeafHash } from "../merkle/leaves";
import { DuplicateLeafError, MerkleTree } from "../merkle/tree";

/**
 * Handover format 2 salts what a public proof of one item would otherwise let anyone try: each
 * item's leaf is (string item, bytes32 itemSalt), itemSalt = keccak256(abi.encode(salt, index)),
 * and the shipment reference's hash is keccak256(abi.encode(salt, shipmentRef)). A sibling's hash
 * then tells nothing of the other pallets on the truck, nor the hash of a guessable despatch
 * number. Format 1 (no salt) leaves are (string item) and its reference hash keccak256(ref).
 * test/vectors/disclosure.json pins both.
 */
export const SALTED_ITEM_LEAF_ENCODING = ["string", "bytes32"] as const;

/** The salt of item `index` of a handover salted with `salt`. */
export function itemSalt(salt: Hex, index: number): Hex {
  return keccak256(encodeAbiParameters(parseAbiParameters("bytes32,uint256"), [salt, BigInt(index)]));
}

/** The leaf of one item: salted (format 2) when `salted` is given. */
export function itemLeafHash(item: string, salted?: Hex): Hex {
  return salted === undefined
    ? standardLeafHash(ITEM_LEAF_ENCODING, [item])
    : standardLeafHash(SALTED_ITEM_LEAF_ENCODING, [item, salted]);
}

/** The hash a Handover signs for its shipment reference: salted (format 2) when `salt` is given. */
export function shipmentRefHashOf(shipmentRef: string, salt?: Hex): Hex {
  return salt === undefined
    ? keccak256(stringToHex(shipmentRef))
    : keccak256(encodeAbiParameters(parseAbiParameters("bytes32,string"), [salt, shipmentRef]));
}

const EPC_INSTANCE = /^urn:epc:id:(sgtin|sscc|grai|giai):[^\s]+$/i;
/** Most items one handover may list: a full truck of cases, with room to spare. */
export const MAX_HANDOVER_ITEMS = 100_000;

/**
 * Whether a value names one physical thing: a serialised unit (GTIN + serial) or a logistic unit
 * (SSCC), as a GS1 Digital Link or an EPC URN. A class (a GTIN alone, a lot) cannot change hands.
 */
export function isInstanceIdentifier(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if (EPC_INSTANCE.test(value)) return true;
  const link = canonicalDigitalLink(value);
  return link !== undefined && (/\/01\/\d{14}\/21\//.test(link) || /\/00\/\d{18}$/.test(link));
}

/**
 * The tree a handover's `itemsRoot` commits to: one leaf per item, ["string"] (format 1) or
 * ["string", "bytes32"] with its salt (format 2) as in OpenZeppelin's StandardMerkleTree, so a
 * single item can be proven without revealing the rest.
 */
export function handoverItemsTree(items: readonly unknown[], salt?: Hex): MerkleTree {
  if (!Array.isArray(items) || items.length === 0) throw new ValidationError("items", items, "list one or more items");
  if (items.length > MAX_HANDOVER_ITEMS) {
    throw new ValidationError("items", items.length, `list at most ${MAX_HANDOVER_ITEMS} items`);
  }
  const seen = new Map<unknown, number>();
  items.forEach((item, i) => {
    if (!isInstanceIdentifier(item)) {
      throw new ValidationError(`items/${i}`, item, "must name one unit (GTIN + serial) or one SSCC");
    }
    // salted leaves of one item differ, so a repeat is refused here rather than by the tree
    const first = seen.get(item);
    if (first !== undefined) throw new ValidationError(`items/${i}`, item, `repeats item ${first}`);
    seen.set(item, i);
  });
  try {
    return salt === undefined
      ? MerkleTree.of(
          items.map((item) => [item]),
          ITEM_LEAF_ENCODING,
        )
      : MerkleTree.of(
          items.map((item, i) => [item, itemSalt(salt, i)]),
          SALTED_ITEM_LEAF_ENCODING,
        );
  } catch (e) {
    if (e instanceof DuplicateLeafError) {
      throw new ValidationError(`items/${e.second}`, items[e.second], `repeats item ${e.first}`);
    }
    throw e;
  }
}
