import { encodeAbiParameters, keccak256, toBytes, type Hex } from "viem";
import type { CommitmentRecord } from "./commitment-content";

/** What a commitment's hash binds: what the chain says of it, its content's CID and the hash before it. */
export interface CommitmentHashInput extends CommitmentRecord {
  contentCid: string;
  /** the relayer's previous commitment's hash (zero for its first) */
  previousHash: Hex;
}

/**
 * The hash that chains a relayer's commitments, as contracts/libraries/CommitmentHash.sol computes
 * it: keccak256 of the ABI encoding of the chain id, the log's address, the relayer, the sequence,
 * the root, the event count, keccak256 of the CID's bytes and the previous hash. Lower-case hex.
 * test/vectors/commitment-hash.json pins it for both.
 */
export function commitmentHash(c: CommitmentHashInput): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "address" },
        { type: "uint32" },
        { type: "uint64" },
        { type: "bytes32" },
        { type: "uint32" },
        { type: "bytes32" },
        { type: "bytes32" },
      ],
      [
        BigInt(c.chainId),
        c.commitmentLog,
        c.relayer,
        BigInt(c.sequence),
        c.root,
        c.eventCount,
        keccak256(toBytes(c.contentCid)),
        c.previousHash,
      ],
    ),
  ).toLowerCase() as Hex;
}
