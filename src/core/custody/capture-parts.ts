import { abiEncode } from "../abi/abi-encode";
import { compareWords, fromHex, isHex, toHex, type Hex } from "../bytes";
import { ValidationError } from "../errors";
import type { EpcisEvent } from "../epcis/event-hash";
import { kernel } from "../merkle/kernel";
import { MerkleTree } from "../merkle/tree";
import {
  IDENTIFIER_LEAF_ENCODING,
  NO_IDENTIFIERS,
  identifierValues,
  shownEncoding,
  shownFields,
  type EventParts,
} from "./event-disclosure";

const ZERO_WORD: Hex = `0x${"00".repeat(32)}`;
/** An identifier salt's message: abi.encode(bytes32 captureSalt, uint256 eventIndex, uint256 identifierIndex). */
const SALT_MESSAGE = 96;
/** Where an identifier leaf's encoding holds its salt: the third word of its head (a static bytes32). */
const LEAF_SALT_AT = 64;

/** Writes a uint256 word of a small non-negative integer at `at`. */
function writeSmallUint(mem: Uint8Array, at: number, value: number): void {
  mem.fill(0, at, at + 32);
  for (let i = 31, v = value; v > 0; i--, v = Math.floor(v / 256)) mem[at + i] = v % 256;
}

/**
 * The parts of every event of a capture (capture format 2), the same words `eventParts` gives one
 * event at a time: here each kind of hash (identifier salts, identifier leaves, shown digests) runs
 * over the whole capture in one pass of the WebAssembly kernel, where `eventParts` pays a call, a
 * copy and a hex string per hash. The relayer's intake and a gateway's signing run this on every
 * capture; test/core/custody/capture-parts.test.ts holds it to `eventParts` on random events.
 */
export function captureEventParts(
  events: readonly EpcisEvent[],
  eventHashes: readonly Hex[],
  captureSalt: Hex,
): EventParts[] {
  if (eventHashes.length !== events.length)
    throw new RangeError(`${eventHashes.length} event hashes for ${events.length} events`);
  // written into the kernel's memory word by word: a salt of another length would leave bytes of the last capture
  if (!isHex(captureSalt, 32))
    throw new ValidationError("salt", captureSalt, "must be a 0x-prefixed 32-byte hex string");
  const shown = events.map((e) => shownEncoding(shownFields(e)));
  const ids = events.map(identifierValues);
  // each identifier's leaf encoded with a zero salt; its salt is written in once hashed
  const leaves = ids.flatMap((list) =>
    list.map((v) => abiEncode(IDENTIFIER_LEAF_ENCODING, [v.field, v.value, ZERO_WORD])),
  );
  const n = events.length;
  const m = leaves.length;
  const shownBytes = shown.reduce((s, e) => s + e.length, 0);
  const leafBytes = leaves.reduce((s, e) => s + e.length, 0);

  const k = kernel();
  // [salt messages][salts][shown messages][shown digests][leaf messages][leaf offsets][leaf hashes]
  const saltsIn = k.reserve(m * SALT_MESSAGE + 32 * m + shownBytes + 32 * n + leafBytes + 4 * (m + 1) + 32 * m + 8);
  const saltsOut = saltsIn + m * SALT_MESSAGE;
  const shownIn = saltsOut + 32 * m;
  const shownOut = shownIn + shownBytes;
  const leavesIn = shownOut + 32 * n;
  const offsetsAt = (leavesIn + leafBytes + 3) & ~3;
  const leavesOut = offsetsAt + 4 * (m + 1);
  const mem = k.bytes();

  let j = 0;
  ids.forEach((list, e) => {
    for (let i = 0; i < list.length; i++, j++) {
      const at = saltsIn + j * SALT_MESSAGE;
      fromHex(captureSalt, mem, at);
      writeSmallUint(mem, at + 32, e);
      writeSmallUint(mem, at + 64, i);
      k.keccak256(at, SALT_MESSAGE, saltsOut + 32 * j);
    }
  });

  let at = shownIn;
  shown.forEach((bytes, e) => {
    mem.set(bytes, at);
    k.keccak256(at, bytes.length, shownOut + 32 * e);
    at += bytes.length;
  });

  const offsets = new Uint32Array(mem.buffer, offsetsAt, m + 1);
  at = 0;
  leaves.forEach((bytes, i) => {
    offsets[i] = at;
    mem.set(bytes, leavesIn + at);
    mem.copyWithin(leavesIn + at + LEAF_SALT_AT, saltsOut + 32 * i, saltsOut + 32 * i + 32);
    at += bytes.length;
  });
  offsets[m] = at;
  k.leafHashes(leavesIn, offsetsAt, m, leavesOut);

  // copied out before any tree is built: building one reserves the kernel's memory anew
  const leafHashes = mem.slice(leavesOut, leavesOut + 32 * m);
  const digests = mem.slice(shownOut, shownOut + 32 * n);
  const pair = k.reserve(96);
  const scratch = k.bytes();
  // two leaves (an event of two identifiers, the commonest after one) need one sorted pair hash
  const pairRoot = (leaves: Uint8Array): Hex => {
    scratch.set(leaves, pair);
    k.hashPair(pair, pair + 32, pair + 64);
    return toHex(scratch, pair + 64, 32);
  };
  let first = 0;
  return events.map((_, e) => {
    const count = ids[e].length;
    const own = leafHashes.subarray(32 * first, 32 * (first + count));
    first += count;
    return {
      eventHash: eventHashes[e].toLowerCase() as Hex,
      shownDigest: toHex(digests, 32 * e, 32),
      identifiersRoot:
        count === 0
          ? NO_IDENTIFIERS
          : count === 1
            ? toHex(own)
            : count === 2 && compareWords(own, 0, own, 32) !== 0
              ? pairRoot(own)
              : // a tree of more (or a duplicate pair, which it refuses, as eventParts does)
                MerkleTree.fromLeafHashes(own).root,
    };
  });
}
