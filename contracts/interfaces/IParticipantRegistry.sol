// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantId, ParticipantKind} from "../types/Ids.sol";

/// @title IParticipantRegistry
/// @notice The consortium's members, their signing keys (devices) and the GS1 company prefixes of
/// the brands. Governance (a multisig or timelock holding GOVERNOR_ROLE) registers participants and
/// assigns prefixes; keys are managed by governance or by the participant's own active keys.
interface IParticipantRegistry {
    /// @notice A registered participant.
    /// @param kind what the participant does; gates which contract functions its keys may call
    /// @param active false once governance suspends it; its keys are then refused everywhere
    /// @param gln the participant's GS1 Global Location Number (13 digits, check digit valid)
    /// @param name display name, shown to consumers in custody timelines
    struct Participant {
        ParticipantKind kind;
        bool active;
        uint64 gln;
        string name;
    }

    /// @notice A signing key's owner and standing.
    struct KeyRecord {
        ParticipantId participant;
        bool revoked;
    }

    /// @notice Thrown when an id names no registered participant.
    error ParticipantRegistryUnknownParticipant(ParticipantId participant);
    /// @notice Thrown when a GLN is not 13 digits with a valid check digit.
    error ParticipantRegistryInvalidGln(uint64 gln);
    /// @notice Thrown when a participant is registered without a display name.
    error ParticipantRegistryEmptyName();
    /// @notice Thrown when the zero address is offered as a key.
    error ParticipantRegistryZeroKey();
    /// @notice Thrown when a key is already bound to a participant (keys are never re-bound, even after revocation).
    error ParticipantRegistryKeyAlreadyRegistered(address key, ParticipantId owner);
    /// @notice Thrown when a key was never registered.
    error ParticipantRegistryUnknownKey(address key);
    /// @notice Thrown when revoking a key that is already revoked.
    error ParticipantRegistryKeyAlreadyRevoked(address key);
    /// @notice Thrown when a caller that is neither governance nor an active key of the participant manages its keys.
    error ParticipantRegistryUnauthorizedKeyManager(address caller, ParticipantId participant);
    /// @notice Thrown when a participant's active flag is set to the value it already has.
    error ParticipantRegistryStatusUnchanged(ParticipantId participant, bool active);
    /// @notice Thrown when a company prefix is not 6 to 12 decimal digits.
    error ParticipantRegistryInvalidCompanyPrefix(string prefix);
    /// @notice Thrown when a prefix is assigned to a participant that is not a brand.
    error ParticipantRegistryNotABrand(ParticipantId participant);
    /// @notice Thrown when a prefix is, or contains, or is contained in an already assigned prefix.
    error ParticipantRegistryPrefixOverlaps(string prefix);
    /// @notice Thrown when unassigning a prefix that is not assigned.
    error ParticipantRegistryPrefixNotAssigned(string prefix);

    /// @notice Emitted after a participant is registered.
    event ParticipantRegistered(ParticipantId indexed participant, ParticipantKind kind, uint64 gln, string name);
    /// @notice Emitted after governance suspends a participant.
    event ParticipantDeactivated(ParticipantId indexed participant);
    /// @notice Emitted after governance reinstates a suspended participant.
    event ParticipantReactivated(ParticipantId indexed participant);
    /// @notice Emitted after a signing key is bound to a participant.
    event KeyAdded(ParticipantId indexed participant, address indexed key);
    /// @notice Emitted after a signing key is revoked; it is refused from this block on.
    event KeyRevoked(ParticipantId indexed participant, address indexed key);
    /// @notice Emitted after a GS1 company prefix is assigned to a brand.
    event PrefixAssigned(ParticipantId indexed brand, string prefix);
    /// @notice Emitted after a GS1 company prefix is taken back from a brand.
    event PrefixUnassigned(ParticipantId indexed brand, string prefix);

    /// @notice Registers a participant. Governance only.
    function registerParticipant(
        ParticipantKind kind,
        uint64 gln,
        string calldata name
    ) external returns (ParticipantId participant);

    /// @notice Suspends or reinstates a participant. Governance only.
    function setParticipantActive(ParticipantId participant, bool active) external;

    /// @notice Binds a signing key to a participant. Governance or an active key of that participant.
    function addKey(ParticipantId participant, address key) external;

    /// @notice Revokes a signing key for good. Governance or an active key of the key's participant.
    function revokeKey(address key) external;

    /// @notice Assigns a GS1 company prefix to a brand. Governance only.
    function assignPrefix(string calldata prefix, ParticipantId brand) external;

    /// @notice Takes a GS1 company prefix back. Governance only.
    function unassignPrefix(string calldata prefix) external;

    /// @notice Which participant a key belongs to, and whether the key may act now (key not revoked,
    /// participant active). Returns participant 0 for an unknown key.
    function participantOfKey(address key) external view returns (ParticipantId participant, bool active);

    /// @notice Like participantOfKey, plus the participant's kind, in one call for the other contracts.
    function keyStanding(
        address key
    ) external view returns (ParticipantId participant, ParticipantKind kind, bool active);

    /// @notice A registered participant's record.
    function participant(ParticipantId participant) external view returns (Participant memory);

    /// @notice How many participants are registered; ids run from 1 to this.
    function participantCount() external view returns (uint32);

    /// @notice The brand that owns the company prefix of `gtin` (a GTIN-14), or 0 when none does.
    function brandOfGtin(uint64 gtin) external view returns (ParticipantId brand);

    /// @notice The brand a prefix is assigned to, or 0.
    function brandOfPrefix(string calldata prefix) external view returns (ParticipantId brand);
}
