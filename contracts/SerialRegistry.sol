// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ISerialRegistry} from "./interfaces/ISerialRegistry.sol";
import {IParticipantRegistry} from "./interfaces/IParticipantRegistry.sol";
import {ParticipantId, ParticipantKind, OrderId, BatchId} from "./types/Ids.sol";
import {Gs1} from "./libraries/Gs1.sol";
import {Leaves} from "./libraries/Leaves.sol";

/// @title SerialRegistry
/// @notice Production orders and released code batches. Only a batch's root, count and leaf-file CID
/// are stored, so a release costs the same for 10 codes as for 1,000,000.
contract SerialRegistry is ISerialRegistry {
    uint256 private constant MAX_LOT_LENGTH = 20;
    /// @dev a CIDv1 in base32 is 59 characters for sha-256; room for longer hashes and encodings
    uint256 private constant MAX_CID_LENGTH = 128;

    /// @notice The participant registry whose keys and prefixes this contract trusts.
    IParticipantRegistry public immutable registry;

    Order[] private _orders;
    Batch[] private _batches;
    mapping(bytes32 root => BatchId) private _batchOfRoot;
    mapping(ParticipantId brand => mapping(bytes32 erpReference => OrderId)) private _orderOfErpReference;
    mapping(uint64 gtin => string[] versions) private _productRecords;

    constructor(IParticipantRegistry registry_) {
        registry = registry_;
    }

    /// @inheritdoc ISerialRegistry
    function openOrder(
        uint64 gtin,
        uint64 plannedQuantity,
        string calldata lot,
        uint32 expiry,
        ParticipantId producer,
        bytes32 erpReference
    ) external returns (OrderId id) {
        ParticipantId brand = _callerBrand();
        if (!Gs1.isValidGtin14(gtin)) revert SerialRegistryInvalidGtin(gtin);
        if (registry.brandOfGtin(gtin) != brand) revert SerialRegistryNotPrefixOwner(brand, gtin);
        if (plannedQuantity == 0) revert SerialRegistryZeroQuantity();
        if (bytes(lot).length == 0 || bytes(lot).length > MAX_LOT_LENGTH) revert SerialRegistryInvalidLot(lot);
        if (!_isValidExpiry(expiry)) revert SerialRegistryInvalidExpiry(expiry);
        _requireProducer(producer);
        if (erpReference != bytes32(0)) {
            OrderId existing = _orderOfErpReference[brand][erpReference];
            if (OrderId.unwrap(existing) != 0) revert SerialRegistryErpReferenceUsed(erpReference, existing);
        }

        _orders.push(
            Order({
                brand: brand,
                producer: producer,
                gtin: gtin,
                plannedQuantity: plannedQuantity,
                released: 0,
                voided: 0,
                expiry: expiry,
                closed: false,
                recalled: false,
                erpReference: erpReference,
                lot: lot
            })
        );
        id = OrderId.wrap(uint64(_orders.length));
        if (erpReference != bytes32(0)) _orderOfErpReference[brand][erpReference] = id;
        emit OrderOpened(id, brand, producer, gtin, plannedQuantity, lot, expiry, erpReference);
    }

    /// @inheritdoc ISerialRegistry
    function releaseBatch(
        OrderId orderId,
        bytes32 root,
        uint64 count,
        string calldata contentCid
    ) external returns (BatchId id) {
        Order storage o = _ownedOrder(orderId);
        if (o.closed) revert SerialRegistryOrderClosed(orderId);
        if (root == bytes32(0)) revert SerialRegistryZeroRoot();
        if (count == 0) revert SerialRegistryZeroCount();
        if (bytes(contentCid).length == 0) revert SerialRegistryEmptyCid();
        BatchId existing = _batchOfRoot[root];
        if (BatchId.unwrap(existing) != 0) revert SerialRegistryRootAlreadyReleased(root, existing);
        // the overrun guard
        if (uint256(o.released) + count > o.plannedQuantity) {
            revert SerialRegistryQuantityExceeded(orderId, o.plannedQuantity, o.released, count);
        }

        o.released += count;
        _batches.push(
            Batch({
                order: orderId,
                count: count,
                voided: 0,
                releasedAtBlock: uint64(block.number),
                recalled: false,
                root: root,
                contentCid: contentCid
            })
        );
        id = BatchId.wrap(uint64(_batches.length));
        _batchOfRoot[root] = id;
        emit BatchReleased(id, orderId, root, count, contentCid);
    }

    /// @inheritdoc ISerialRegistry
    function amendOrder(OrderId orderId, uint64 plannedQuantity) external {
        Order storage o = _ownedOrder(orderId);
        if (o.closed) revert SerialRegistryOrderClosed(orderId);
        if (plannedQuantity < o.released || plannedQuantity == 0) {
            revert SerialRegistryPlannedBelowReleased(orderId, o.released, plannedQuantity);
        }
        uint64 previous = o.plannedQuantity;
        o.plannedQuantity = plannedQuantity;
        emit OrderAmended(orderId, previous, plannedQuantity);
    }

    /// @inheritdoc ISerialRegistry
    function closeOrder(OrderId orderId) external {
        Order storage o = _ownedOrder(orderId);
        if (o.closed) revert SerialRegistryOrderClosed(orderId);
        o.closed = true;
        emit OrderClosed(orderId);
    }

    /// @inheritdoc ISerialRegistry
    function voidCodes(BatchId batchId, bytes32 root, uint64 count, string calldata reason) external {
        Batch storage b = _batchStorage(batchId);
        Order storage o = _ownedOrder(b.order);
        if (root == bytes32(0)) revert SerialRegistryZeroRoot();
        if (count == 0) revert SerialRegistryZeroCount();
        uint64 available = b.count - b.voided;
        if (count > available) revert SerialRegistryVoidExceedsBatch(batchId, available, count);
        b.voided += count;
        o.voided += count;
        emit CodesVoided(batchId, root, count, reason);
    }

    /// @inheritdoc ISerialRegistry
    function recallOrder(OrderId orderId, string calldata reasonCid) external {
        Order storage o = _ownedOrder(orderId);
        if (o.recalled) revert SerialRegistryRecallUnchanged(true);
        o.recalled = true;
        emit OrderRecalled(orderId, reasonCid);
    }

    /// @inheritdoc ISerialRegistry
    function liftOrderRecall(OrderId orderId) external {
        Order storage o = _ownedOrder(orderId);
        if (!o.recalled) revert SerialRegistryRecallUnchanged(false);
        o.recalled = false;
        emit OrderRecallLifted(orderId);
    }

    /// @inheritdoc ISerialRegistry
    function recallBatch(BatchId batchId, string calldata reasonCid) external {
        Batch storage b = _batchStorage(batchId);
        _ownedOrder(b.order);
        if (b.recalled) revert SerialRegistryRecallUnchanged(true);
        b.recalled = true;
        emit BatchRecalled(batchId, reasonCid);
    }

    /// @inheritdoc ISerialRegistry
    function liftBatchRecall(BatchId batchId) external {
        Batch storage b = _batchStorage(batchId);
        _ownedOrder(b.order);
        if (!b.recalled) revert SerialRegistryRecallUnchanged(false);
        b.recalled = false;
        emit BatchRecallLifted(batchId);
    }

    /// @inheritdoc ISerialRegistry
    function setProductRecord(uint64 gtin, string calldata recordCid) external returns (uint32 version) {
        ParticipantId brand = _callerBrand();
        if (!Gs1.isValidGtin14(gtin)) revert SerialRegistryInvalidGtin(gtin);
        if (registry.brandOfGtin(gtin) != brand) revert SerialRegistryNotPrefixOwner(brand, gtin);
        if (bytes(recordCid).length == 0 || bytes(recordCid).length > MAX_CID_LENGTH) {
            revert SerialRegistryInvalidRecordCid(recordCid);
        }
        string[] storage versions = _productRecords[gtin];
        versions.push(recordCid);
        version = uint32(versions.length);
        emit ProductRecordSet(gtin, brand, version, recordCid);
    }

    /// @inheritdoc ISerialRegistry
    function productRecord(uint64 gtin) external view returns (string memory recordCid, uint32 version) {
        string[] storage versions = _productRecords[gtin];
        version = uint32(versions.length);
        if (version > 0) recordCid = versions[version - 1];
    }

    /// @inheritdoc ISerialRegistry
    function productRecordAt(uint64 gtin, uint32 version) external view returns (string memory) {
        string[] storage versions = _productRecords[gtin];
        if (version == 0 || version > versions.length) revert SerialRegistryUnknownRecordVersion(gtin, version);
        return versions[version - 1];
    }

    /// @inheritdoc ISerialRegistry
    function order(OrderId orderId) external view returns (Order memory) {
        return _orderStorage(orderId);
    }

    /// @inheritdoc ISerialRegistry
    function batch(BatchId batchId) external view returns (Batch memory) {
        return _batchStorage(batchId);
    }

    /// @inheritdoc ISerialRegistry
    function batchStatus(BatchId batchId) public view returns (BatchStatus) {
        uint64 raw = BatchId.unwrap(batchId);
        if (raw == 0 || raw > _batches.length) return BatchStatus.Unknown;
        Batch storage b = _batches[raw - 1];
        if (b.recalled || _orders[OrderId.unwrap(b.order) - 1].recalled) return BatchStatus.Recalled;
        return BatchStatus.Active;
    }

    /// @inheritdoc ISerialRegistry
    function batchOfRoot(bytes32 root) external view returns (BatchId) {
        return _batchOfRoot[root];
    }

    /// @inheritdoc ISerialRegistry
    function orderOfErpReference(ParticipantId brand, bytes32 erpReference) external view returns (OrderId) {
        return _orderOfErpReference[brand][erpReference];
    }

    /// @inheritdoc ISerialRegistry
    function counts() external view returns (uint64 orders, uint64 batches) {
        return (uint64(_orders.length), uint64(_batches.length));
    }

    /// @inheritdoc ISerialRegistry
    function verifyCode(
        BatchId batchId,
        uint64 gtin,
        string calldata serial,
        bytes32[] calldata proof
    ) external view returns (bool) {
        if (batchStatus(batchId) == BatchStatus.Unknown) return false;
        Batch storage b = _batches[BatchId.unwrap(batchId) - 1];
        if (_orders[OrderId.unwrap(b.order) - 1].gtin != gtin) return false;
        return MerkleProof.verifyCalldata(proof, b.root, Leaves.code(gtin, serial));
    }

    /// @dev The brand behind msg.sender, which must be an active key of a brand.
    function _callerBrand() private view returns (ParticipantId brand) {
        (ParticipantId id, ParticipantKind kind, bool active) = registry.keyStanding(msg.sender);
        if (!active || kind != ParticipantKind.Brand) revert SerialRegistryNotABrandKey(msg.sender);
        return id;
    }

    function _ownedOrder(OrderId orderId) private view returns (Order storage o) {
        o = _orderStorage(orderId);
        ParticipantId caller = _callerBrand();
        if (o.brand != caller) revert SerialRegistryNotOrderOwner(orderId, caller);
    }

    function _orderStorage(OrderId orderId) private view returns (Order storage) {
        uint64 raw = OrderId.unwrap(orderId);
        if (raw == 0 || raw > _orders.length) revert SerialRegistryUnknownOrder(orderId);
        return _orders[raw - 1];
    }

    function _batchStorage(BatchId batchId) private view returns (Batch storage) {
        uint64 raw = BatchId.unwrap(batchId);
        if (raw == 0 || raw > _batches.length) revert SerialRegistryUnknownBatch(batchId);
        return _batches[raw - 1];
    }

    function _requireProducer(ParticipantId producer) private view {
        if (ParticipantId.unwrap(producer) == 0 || ParticipantId.unwrap(producer) > registry.participantCount()) {
            revert SerialRegistryInvalidProducer(producer);
        }
        IParticipantRegistry.Participant memory p = registry.participant(producer);
        if (!p.active || (p.kind != ParticipantKind.Producer && p.kind != ParticipantKind.Brand)) {
            revert SerialRegistryInvalidProducer(producer);
        }
    }

    /// @dev 0 (no expiry) or YYYYMMDD with year 2000-2099, month 01-12 and day 00-31.
    function _isValidExpiry(uint32 expiry) private pure returns (bool) {
        if (expiry == 0) return true;
        uint32 year = expiry / 10000;
        uint32 month = (expiry / 100) % 100;
        uint32 day = expiry % 100;
        return year >= 2000 && year <= 2099 && month >= 1 && month <= 12 && day <= 31;
    }
}
