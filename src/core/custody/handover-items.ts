import { canonicalDigitalLink } from "../epcis/canonical-value";
import { ValidationError } from "../errors";
import { ITEM_LEAF_ENCODING } from "../merkle/leaves";
import { DuplicateLeafError, MerkleTree } from "../merkle/tree";

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
 * The tree a handover's `itemsRoot` commits to: one leaf per item, ["string"] as in
 * OpenZeppelin's StandardMerkleTree, so a single item can be proven without revealing the rest.
 */
export function handoverItemsTree(items: readonly unknown[]): MerkleTree {
  if (!Array.isArray(items) || items.length === 0) throw new ValidationError("items", items, "list one or more items");
  if (items.length > MAX_HANDOVER_ITEMS) {
    throw new ValidationError("items", items.length, `list at most ${MAX_HANDOVER_ITEMS} items`);
  }
  items.forEach((item, i) => {
    if (!isInstanceIdentifier(item)) {
      throw new ValidationError(`items/${i}`, item, "must name one unit (GTIN + serial) or one SSCC");
    }
  });
  try {
    return MerkleTree.of(
      items.map((item) => [item]),
      ITEM_LEAF_ENCODING,
    );
  } catch (e) {
    if (e instanceof DuplicateLeafError) {
      throw new ValidationError(`items/${e.second}`, items[e.second], `repeats item ${e.first}`);
    }
    throw e;
  }
}
