// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICommitmentLog} from "../interfaces/ICommitmentLog.sol";

/// @title CustodyTypes
/// @notice EIP-712 struct hashes of the signed messages, shared with src/core/custody/ (the type strings
/// there must match these; test/vectors/eip712.json pins the digests).
library CustodyTypes {
    string internal constant DOMAIN_NAME = "trackroot";
    string internal constant DOMAIN_VERSION = "1";

    bytes32 internal constant CAPTURE_TYPEHASH =
        keccak256("Capture(address submitter,bytes32 eventsRoot,uint32 eventCount,bytes32 nonce,uint64 issuedAt)");

    bytes32 internal constant HANDOVER_TYPEHASH =
        keccak256(
            "Handover(bytes32 handoverId,address from,address to,bytes32 itemsRoot,uint32 itemCount,"
            "bytes32 shipmentRefHash,uint64 eventTime,uint64 deadline)"
        );

    /// @dev Handover format 3: addressed to participants, so that any active key of each may sign its half.
    bytes32 internal constant PARTICIPANT_HANDOVER_TYPEHASH =
        keccak256(
            "ParticipantHandover(bytes32 handoverId,uint32 fromParticipant,uint32 toParticipant,bytes32 itemsRoot,"
            "uint32 itemCount,bytes32 shipmentRefHash,uint64 eventTime,uint64 deadline)"
        );

    function hash(ICommitmentLog.Capture calldata c) internal pure returns (bytes32) {
        return keccak256(abi.encode(CAPTURE_TYPEHASH, c.submitter, c.eventsRoot, c.eventCount, c.nonce, c.issuedAt));
    }

    function hash(ICommitmentLog.Handover calldata h) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    HANDOVER_TYPEHASH,
                    h.handoverId,
                    h.from,
                    h.to,
                    h.itemsRoot,
                    h.itemCount,
                    h.shipmentRefHash,
                    h.eventTime,
                    h.deadline
                )
            );
    }

    function hash(ICommitmentLog.ParticipantHandover calldata h) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    PARTICIPANT_HANDOVER_TYPEHASH,
                    h.handoverId,
                    h.fromParticipant,
                    h.toParticipant,
                    h.itemsRoot,
                    h.itemCount,
                    h.shipmentRefHash,
                    h.eventTime,
                    h.deadline
                )
            );
    }
}
