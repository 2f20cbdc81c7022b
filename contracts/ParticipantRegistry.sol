// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {ParticipantId, ParticipantKind} from "./types/Ids.sol";
import {Gs1} from "./libraries/Gs1.sol";

/// @title ParticipantRegistry
/// @notice Who is in the consortium, which keys speak for them, and which brand owns which GTINs.
contract ParticipantRegistry is IParticipantRegistry, AccessControl {
    /// @notice Held by the consortium's governance (a multisig or timelock).
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    Participant[] private _participants;
    mapping(address key => KeyRecord) private _keys;
    mapping(uint256 prefixKey => ParticipantId) private _prefixOwner;
    /// @dev How many assigned prefixes extend each shorter prefix, so overlaps are refused in O(6).
    mapping(uint256 prefixKey => uint256) private _extensions;

    constructor(address governor) {
        _grantRole(DEFAULT_ADMIN_ROLE, governor);
        _grantRole(GOVERNOR_ROLE, governor);
    }

    /// @inheritdoc IParticipantRegistry
    function registerParticipant(
        ParticipantKind kind,
        uint64 gln,
        string calldata name
    ) external onlyRole(GOVERNOR_ROLE) returns (ParticipantId id) {
        if (!Gs1.isValidGln(gln)) revert ParticipantRegistryInvalidGln(gln);
        if (bytes(name).length == 0) revert ParticipantRegistryEmptyName();
        _participants.push(Participant({kind: kind, active: true, gln: gln, name: name}));
        id = ParticipantId.wrap(uint32(_participants.length));
        emit ParticipantRegistered(id, kind, gln, name);
    }

    /// @inheritdoc IParticipantRegistry
    function setParticipantActive(ParticipantId id, bool active) external onlyRole(GOVERNOR_ROLE) {
        Participant storage p = _participantStorage(id);
        if (p.active == active) revert ParticipantRegistryStatusUnchanged(id, active);
        p.active = active;
        if (active) emit ParticipantReactivated(id);
        else emit ParticipantDeactivated(id);
    }

    /// @inheritdoc IParticipantRegistry
    function addKey(ParticipantId id, address key) external {
        _participantStorage(id);
        _requireKeyManager(id);
        if (key == address(0)) revert ParticipantRegistryZeroKey();
        ParticipantId owner = _keys[key].participant;
        if (ParticipantId.unwrap(owner) != 0) revert ParticipantRegistryKeyAlreadyRegistered(key, owner);
        _keys[key] = KeyRecord({participant: id, revoked: false});
        emit KeyAdded(id, key);
    }

    /// @inheritdoc IParticipantRegistry
    function revokeKey(address key) external {
        KeyRecord storage record = _keys[key];
        ParticipantId id = record.participant;
        if (ParticipantId.unwrap(id) == 0) revert ParticipantRegistryUnknownKey(key);
        _requireKeyManager(id);
        if (record.revoked) revert ParticipantRegistryKeyAlreadyRevoked(key);
        record.revoked = true;
        emit KeyRevoked(id, key);
    }

    /// @inheritdoc IParticipantRegistry
    function assignPrefix(string calldata prefix, ParticipantId brand) external onlyRole(GOVERNOR_ROLE) {
        if (_participantStorage(brand).kind != ParticipantKind.Brand) revert ParticipantRegistryNotABrand(brand);
        uint256 key = _prefixKey(prefix);
        uint256 length = key >> 64;
        if (ParticipantId.unwrap(_prefixOwner[key]) != 0 || _extensions[key] != 0) {
            revert ParticipantRegistryPrefixOverlaps(prefix);
        }
        for (uint256 len = Gs1.MIN_PREFIX_LENGTH; len < length; ++len) {
            if (ParticipantId.unwrap(_prefixOwner[Gs1.truncatePrefix(key, len)]) != 0) {
                revert ParticipantRegistryPrefixOverlaps(prefix);
            }
        }
        for (uint256 len = Gs1.MIN_PREFIX_LENGTH; len < length; ++len) ++_extensions[Gs1.truncatePrefix(key, len)];
        _prefixOwner[key] = brand;
        emit PrefixAssigned(brand, prefix);
    }

    /// @inheritdoc IParticipantRegistry
    function unassignPrefix(string calldata prefix) external onlyRole(GOVERNOR_ROLE) {
        uint256 key = _prefixKey(prefix);
        ParticipantId brand = _prefixOwner[key];
        if (ParticipantId.unwrap(brand) == 0) revert ParticipantRegistryPrefixNotAssigned(prefix);
        uint256 length = key >> 64;
        for (uint256 len = Gs1.MIN_PREFIX_LENGTH; len < length; ++len) --_extensions[Gs1.truncatePrefix(key, len)];
        _prefixOwner[key] = ParticipantId.wrap(0);
        emit PrefixUnassigned(brand, prefix);
    }

    /// @inheritdoc IParticipantRegistry
    function participantOfKey(address key) external view returns (ParticipantId id, bool active) {
        (id, , active) = keyStanding(key);
    }

    /// @inheritdoc IParticipantRegistry
    function keyStanding(address key) public view returns (ParticipantId id, ParticipantKind kind, bool active) {
        KeyRecord storage record = _keys[key];
        id = record.participant;
        if (ParticipantId.unwrap(id) == 0) return (id, kind, false);
        Participant storage p = _participants[ParticipantId.unwrap(id) - 1];
        return (id, p.kind, p.active && !record.revoked);
    }

    /// @inheritdoc IParticipantRegistry
    function participant(ParticipantId id) external view returns (Participant memory) {
        return _participantStorage(id);
    }

    /// @inheritdoc IParticipantRegistry
    function participantCount() external view returns (uint32) {
        return uint32(_participants.length);
    }

    /// @inheritdoc IParticipantRegistry
    function brandOfGtin(uint64 gtin) external view returns (ParticipantId) {
        for (uint256 len = Gs1.MIN_PREFIX_LENGTH; len <= Gs1.MAX_PREFIX_LENGTH; ++len) {
            ParticipantId owner = _prefixOwner[Gs1.gtinPrefixKey(gtin, len)];
            if (ParticipantId.unwrap(owner) != 0) return owner;
        }
        return ParticipantId.wrap(0);
    }

    /// @inheritdoc IParticipantRegistry
    function brandOfPrefix(string calldata prefix) external view returns (ParticipantId) {
        return _prefixOwner[_prefixKey(prefix)];
    }

    function _participantStorage(ParticipantId id) private view returns (Participant storage) {
        uint32 raw = ParticipantId.unwrap(id);
        if (raw == 0 || raw > _participants.length) revert ParticipantRegistryUnknownParticipant(id);
        return _participants[raw - 1];
    }

    /// @dev Governance, or an active key of the participant itself (self-service device management).
    function _requireKeyManager(ParticipantId id) private view {
        if (hasRole(GOVERNOR_ROLE, msg.sender)) return;
        (ParticipantId callerId, , bool active) = keyStanding(msg.sender);
        if (!active || callerId != id) revert ParticipantRegistryUnauthorizedKeyManager(msg.sender, id);
    }

    function _prefixKey(string calldata prefix) private pure returns (uint256 key) {
        bool ok;
        (ok, key) = Gs1.parseCompanyPrefix(prefix);
        if (!ok) revert ParticipantRegistryInvalidCompanyPrefix(prefix);
    }
}
