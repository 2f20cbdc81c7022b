// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantId} from "../types/Ids.sol";

/// @title ICommitmentLog
/// @notice Relayers append Merkle commitments of signed supply-chain captures and co-signed custody
/// handovers. Each relayer's log is a hash chain with gapless sequence numbers, so a relayer can
/// reconcile after a crash, and anyone can tell a dropped or reordered commitment.
interface ICommitmentLog {
    /// @notice A committed batch.
    /// @param root Merkle root over the batch's entries (Leaves.commitment of each capture and handover)
    /// @param previousHash hash of the relayer's previous commitment (zero for the first)
    /// @param hash this commitment's hash, which the next one must name
    /// @param eventCount how many EPCIS events and handovers the batch holds
    /// @param blockNumber the block it was committed in
    /// @param contentCid content address of the batch content (captures, handovers, signatures)
    struct Commitment {
        bytes32 root;
        bytes32 previousHash;
        bytes32 hash;
        uint32 eventCount;
        uint64 blockNumber;
        string contentCid;
    }

    /// @notice The signed summary of one EPCIS capture (EIP-712 type Capture).
    struct Capture {
        address submitter;
        bytes32 eventsRoot;
        uint32 eventCount;
        bytes32 nonce;
        uint64 issuedAt;
    }

    /// @notice A custody handover, signed by both the sender's and the receiver's key (EIP-712 type Handover).
    struct Handover {
        bytes32 handoverId;
        address from;
        address to;
        bytes32 itemsRoot;
        uint32 itemCount;
        bytes32 shipmentRefHash;
        uint64 eventTime;
        uint64 deadline;
    }

    /// @notice A custody handover addressed to participants (EIP-712 type ParticipantHandover): the sender
    /// signs with any active key of its participant, the receiver countersigns, later and on its own
    /// device, with any active key of its own.
    struct ParticipantHandover {
        bytes32 handoverId;
        ParticipantId fromParticipant;
        ParticipantId toParticipant;
        bytes32 itemsRoot;
        uint32 itemCount;
        bytes32 shipmentRefHash;
        uint64 eventTime;
        uint64 deadline;
    }

    /// @notice The outcome of verifyHandover and verifyParticipantHandover; anything but Valid names the first check that failed.
    enum HandoverCheck {
        Valid,
        UnknownCommitment,
        NotIncluded,
        SenderSignatureInvalid,
        ReceiverSignatureInvalid,
        SenderKeyInactive,
        ReceiverKeyInactive,
        /// a participant handover's sender signature was made by a key of another participant
        SenderKeyNotOfParticipant,
        /// a participant handover's receiver signature was made by a key of another participant
        ReceiverKeyNotOfParticipant
    }

    /// @notice Thrown when the caller is not an active key of a relayer.
    error CommitmentLogNotARelayerKey(address caller);
    /// @notice Thrown when a sequence number was already used: the commitment is already on chain.
    error CommitmentLogSequenceRepeated(ParticipantId relayer, uint64 expected, uint64 given);
    /// @notice Thrown when a sequence number skips ahead: an earlier commitment is missing.
    error CommitmentLogSequenceSkipped(ParticipantId relayer, uint64 expected, uint64 given);
    /// @notice Thrown when the named previous hash is not the relayer's current head.
    error CommitmentLogPreviousHashMismatch(ParticipantId relayer, bytes32 expected, bytes32 given);
    /// @notice Thrown when a root is zero.
    error CommitmentLogZeroRoot();
    /// @notice Thrown when a commitment holds no events.
    error CommitmentLogZeroCount();
    /// @notice Thrown when a commitment names no content CID.
    error CommitmentLogEmptyCid();
    /// @notice Thrown when a root was already committed (by any relayer).
    error CommitmentLogRootAlreadyCommitted(bytes32 root, ParticipantId relayer, uint64 sequence);
    /// @notice Thrown when no commitment exists at (relayer, sequence).
    error CommitmentLogUnknownCommitment(ParticipantId relayer, uint64 sequence);

    /// @notice Emitted after a relayer appends a commitment to its log.
    event CommitmentAppended(
        ParticipantId indexed relayer,
        uint64 indexed sequence,
        bytes32 root,
        uint32 eventCount,
        string contentCid,
        bytes32 previousHash,
        bytes32 hash
    );

    /// @notice Appends a commitment. `sequence` must be the relayer's last plus one and `previousHash` its
    /// current head hash. Only an active key of a relayer.
    function commit(
        uint64 sequence,
        bytes32 root,
        uint32 eventCount,
        string calldata contentCid,
        bytes32 previousHash
    ) external returns (bytes32 hash);

    /// @notice The commitment at (relayer, sequence); reverts when there is none.
    function commitment(ParticipantId relayer, uint64 sequence) external view returns (Commitment memory);

    /// @notice A relayer's last sequence number (0 before its first commitment) and head hash.
    function head(ParticipantId relayer) external view returns (uint64 sequence, bytes32 hash);

    /// @notice Where a root was committed; sequence 0 when it never was.
    function locateRoot(bytes32 root) external view returns (ParticipantId relayer, uint64 sequence);

    /// @notice The EIP-712 digest of a capture under this contract's domain.
    function hashCapture(Capture calldata capture) external view returns (bytes32);

    /// @notice The EIP-712 digest of a handover under this contract's domain.
    function hashHandover(Handover calldata handover) external view returns (bytes32);

    /// @notice Checks one custody step with only a chain node: both EIP-712 signatures recover to the
    /// named keys, both keys are active in the registry now, and the handover is included in the
    /// commitment at (relayer, sequence).
    function verifyHandover(
        Handover calldata handover,
        bytes calldata senderSignature,
        bytes calldata receiverSignature,
        ParticipantId relayer,
        uint64 sequence,
        bytes32[] calldata proof
    ) external view returns (HandoverCheck);

    /// @notice The EIP-712 digest of a participant handover under this contract's domain.
    function hashParticipantHandover(ParticipantHandover calldata handover) external view returns (bytes32);

    /// @notice Checks one participant-addressed custody step with only a chain node: each signature
    /// recovers to a key of its named participant, both keys are active now, and the handover is
    /// included in the commitment at (relayer, sequence).
    function verifyParticipantHandover(
        ParticipantHandover calldata handover,
        bytes calldata senderSignature,
        bytes calldata receiverSignature,
        ParticipantId relayer,
        uint64 sequence,
        bytes32[] calldata proof
    ) external view returns (HandoverCheck);
}
