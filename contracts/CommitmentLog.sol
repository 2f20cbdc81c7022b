// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ICommitmentLog} from "./interfaces/ICommitmentLog.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {ParticipantId, ParticipantKind} from "./types/Ids.sol";
import {CommitmentHash} from "./libraries/CommitmentHash.sol";
import {Leaves} from "./libraries/Leaves.sol";
import {CustodyTypes} from "./libraries/CustodyTypes.sol";

/// @title CommitmentLog
/// @notice Per-relayer hash-chained logs of Merkle commitments. Also the EIP-712 verifying contract
/// for captures and handovers (domain "trackroot", version "1").
contract CommitmentLog is ICommitmentLog, EIP712 {
    /// @notice The participant registry whose keys this contract trusts.
    IParticipantRegistry public immutable registry;

    mapping(ParticipantId relayer => mapping(uint64 sequence => Commitment)) private _commitments;
    mapping(ParticipantId relayer => uint64) private _lastSequence;
    mapping(bytes32 root => uint256 location) private _rootLocation;

    constructor(IParticipantRegistry registry_) EIP712(CustodyTypes.DOMAIN_NAME, CustodyTypes.DOMAIN_VERSION) {
        registry = registry_;
    }

    /// @inheritdoc ICommitmentLog
    function commit(
        uint64 sequence,
        bytes32 root,
        uint32 eventCount,
        string calldata contentCid,
        bytes32 previousHash
    ) external returns (bytes32 hash) {
        ParticipantId relayer = _checkAppend(sequence, previousHash);
        if (root == bytes32(0)) revert CommitmentLogZeroRoot();
        if (eventCount == 0) revert CommitmentLogZeroCount();
        if (bytes(contentCid).length == 0) revert CommitmentLogEmptyCid();
        uint256 location = _rootLocation[root];
        if (location != 0) {
            revert CommitmentLogRootAlreadyCommitted(root, ParticipantId.wrap(uint32(location >> 64)), uint64(location));
        }

        hash = CommitmentHash.compute(block.chainid, address(this), relayer, sequence, root, eventCount, contentCid, previousHash);
        _commitments[relayer][sequence] = Commitment({
            root: root,
            previousHash: previousHash,
            hash: hash,
            eventCount: eventCount,
            blockNumber: uint64(block.number),
            contentCid: contentCid
        });
        _lastSequence[relayer] = sequence;
        _rootLocation[root] = (uint256(ParticipantId.unwrap(relayer)) << 64) | sequence;
        emit CommitmentAppended(relayer, sequence, root, eventCount, contentCid, previousHash, hash);
    }

    /// @inheritdoc ICommitmentLog
    function commitment(ParticipantId relayer, uint64 sequence) public view returns (Commitment memory c) {
        c = _commitments[relayer][sequence];
        if (c.root == bytes32(0)) revert CommitmentLogUnknownCommitment(relayer, sequence);
    }

    /// @inheritdoc ICommitmentLog
    function head(ParticipantId relayer) external view returns (uint64 sequence, bytes32 hash) {
        sequence = _lastSequence[relayer];
        hash = _commitments[relayer][sequence].hash;
    }

    /// @inheritdoc ICommitmentLog
    function locateRoot(bytes32 root) external view returns (ParticipantId relayer, uint64 sequence) {
        uint256 location = _rootLocation[root];
        return (ParticipantId.wrap(uint32(location >> 64)), uint64(location));
    }

    /// @inheritdoc ICommitmentLog
    function hashCapture(Capture calldata capture) external view returns (bytes32) {
        return _hashTypedDataV4(CustodyTypes.hash(capture));
    }

    /// @inheritdoc ICommitmentLog
    function hashHandover(Handover calldata handover) public view returns (bytes32) {
        return _hashTypedDataV4(CustodyTypes.hash(handover));
    }

    /// @inheritdoc ICommitmentLog
    function verifyHandover(
        Handover calldata handover,
        bytes calldata senderSignature,
        bytes calldata receiverSignature,
        ParticipantId relayer,
        uint64 sequence,
        bytes32[] calldata proof
    ) external view returns (HandoverCheck) {
        bytes32 digest = hashHandover(handover);
        HandoverCheck included = _checkIncluded(digest, relayer, sequence, proof);
        if (included != HandoverCheck.Valid) return included;
        if (!_signedBy(digest, senderSignature, handover.from)) return HandoverCheck.SenderSignatureInvalid;
        if (!_signedBy(digest, receiverSignature, handover.to)) return HandoverCheck.ReceiverSignatureInvalid;
        (, bool senderActive) = registry.participantOfKey(handover.from);
        if (!senderActive) return HandoverCheck.SenderKeyInactive;
        (, bool receiverActive) = registry.participantOfKey(handover.to);
        if (!receiverActive) return HandoverCheck.ReceiverKeyInactive;
        return HandoverCheck.Valid;
    }

    /// @inheritdoc ICommitmentLog
    function hashParticipantHandover(ParticipantHandover calldata handover) public view returns (bytes32) {
        return _hashTypedDataV4(CustodyTypes.hash(handover));
    }

    /// @inheritdoc ICommitmentLog
    function verifyParticipantHandover(
        ParticipantHandover calldata handover,
        bytes calldata senderSignature,
        bytes calldata receiverSignature,
        ParticipantId relayer,
        uint64 sequence,
        bytes32[] calldata proof
    ) external view returns (HandoverCheck) {
        bytes32 digest = hashParticipantHandover(handover);
        HandoverCheck included = _checkIncluded(digest, relayer, sequence, proof);
        if (included != HandoverCheck.Valid) return included;
        return _checkParticipantSignatures(digest, handover, senderSignature, receiverSignature);
    }

    /// @dev The relayer behind msg.sender, after checking that (sequence, previousHash) extends its log.
    function _checkAppend(uint64 sequence, bytes32 previousHash) private view returns (ParticipantId relayer) {
        ParticipantKind kind;
        bool active;
        (relayer, kind, active) = registry.keyStanding(msg.sender);
        if (!active || kind != ParticipantKind.Relayer) revert CommitmentLogNotARelayerKey(msg.sender);
        uint64 last = _lastSequence[relayer];
        if (sequence <= last) revert CommitmentLogSequenceRepeated(relayer, last + 1, sequence);
        if (sequence > last + 1) revert CommitmentLogSequenceSkipped(relayer, last + 1, sequence);
        bytes32 headHash = _commitments[relayer][last].hash;
        if (previousHash != headHash) revert CommitmentLogPreviousHashMismatch(relayer, headHash, previousHash);
    }

    /// @dev Whether a handover's digest is a leaf of the commitment at (relayer, sequence).
    function _checkIncluded(
        bytes32 digest,
        ParticipantId relayer,
        uint64 sequence,
        bytes32[] calldata proof
    ) private view returns (HandoverCheck) {
        bytes32 root = _commitments[relayer][sequence].root;
        if (root == bytes32(0)) return HandoverCheck.UnknownCommitment;
        if (!MerkleProof.verifyCalldata(proof, root, Leaves.commitment(Leaves.KIND_HANDOVER, digest))) {
            return HandoverCheck.NotIncluded;
        }
        return HandoverCheck.Valid;
    }

    /// @dev The first of a participant handover's signature checks that fails, or Valid.
    function _checkParticipantSignatures(
        bytes32 digest,
        ParticipantHandover calldata handover,
        bytes calldata senderSignature,
        bytes calldata receiverSignature
    ) private view returns (HandoverCheck) {
        (bool senderSigned, ParticipantId sender, bool senderActive) = _signerStanding(digest, senderSignature);
        if (!senderSigned) return HandoverCheck.SenderSignatureInvalid;
        (bool receiverSigned, ParticipantId receiver, bool receiverActive) = _signerStanding(
            digest,
            receiverSignature
        );
        if (!receiverSigned) return HandoverCheck.ReceiverSignatureInvalid;
        if (sender != handover.fromParticipant || ParticipantId.unwrap(sender) == 0) {
            return HandoverCheck.SenderKeyNotOfParticipant;
        }
        if (receiver != handover.toParticipant || ParticipantId.unwrap(receiver) == 0) {
            return HandoverCheck.ReceiverKeyNotOfParticipant;
        }
        if (!senderActive) return HandoverCheck.SenderKeyInactive;
        if (!receiverActive) return HandoverCheck.ReceiverKeyInactive;
        return HandoverCheck.Valid;
    }

    /// @dev Whether `signature` recovers a key, and that key's participant and standing now.
    function _signerStanding(
        bytes32 digest,
        bytes calldata signature
    ) private view returns (bool signed, ParticipantId participant, bool active) {
        (address key, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError) return (false, participant, false);
        (participant, active) = registry.participantOfKey(key);
        return (true, participant, active);
    }

    function _signedBy(bytes32 digest, bytes calldata signature, address key) private pure returns (bool) {
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecover(digest, signature);
        return err == ECDSA.RecoverError.NoError && recovered == key;
    }
}
