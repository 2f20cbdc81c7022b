// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantId} from "../types/Ids.sol";

/// @title CommitmentHash
/// @notice The hash that chains a relayer's commitments, shared with the TypeScript core
/// (src/core/custody/commitment-hash.ts) and pinned by test/vectors/commitment-hash.json. It binds
/// the chain, the log's address, the relayer, the sequence, the root, the event count, the content's
/// CID (by its keccak256) and the previous commitment's hash.
library CommitmentHash {
    /// @notice The hash of one commitment, as CommitmentLog records it and the audit recomputes it.
    function compute(
        uint256 chainId,
        address log,
        ParticipantId relayer,
        uint64 sequence,
        bytes32 root,
        uint32 eventCount,
        string calldata contentCid,
        bytes32 previousHash
    ) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(chainId, log, relayer, sequence, root, eventCount, keccak256(bytes(contentCid)), previousHash)
            );
    }
}
