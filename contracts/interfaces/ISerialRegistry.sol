// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ParticipantId, OrderId, BatchId} from "../types/Ids.sol";

/// @title ISerialRegistry
/// @notice Production orders and the serial-code batches released against them. The overrun guard:
/// a brand can release exactly as many codes as an order plans, never one more.
interface ISerialRegistry {
    /// @notice A production order.
    /// @param brand the brand that owns the GTIN's company prefix and opened the order
    /// @param producer who makes the goods (a producer or licensee, or the brand itself)
    /// @param gtin the product, as a GTIN-14
    /// @param plannedQuantity how many units the order plans; the cap on released codes
    /// @param released how many codes have been released in batches so far
    /// @param voided how many released codes were destroyed or misprinted
    /// @param expiry best-before or expiry date as YYYYMMDD (GS1 AI 17 semantics; day 00 = end of month)
    /// @param closed no more releases once true
    /// @param recalled whether the whole order is under recall
    /// @param erpReference the brand's ERP reference (a hash), unique per brand; zero when none
    /// @param lot the batch/lot number (GS1 AI 10, at most 20 characters)
    struct Order {
        ParticipantId brand;
        ParticipantId producer;
        uint64 gtin;
        uint64 plannedQuantity;
        uint64 released;
        uint64 voided;
        uint32 expiry;
        bool closed;
        bool recalled;
        bytes32 erpReference;
        string lot;
    }

    /// @notice A released batch of codes: the Merkle root of their leaves and where the leaf file is.
    struct Batch {
        OrderId order;
        uint64 count;
        uint64 voided;
        uint64 releasedAtBlock;
        bool recalled;
        bytes32 root;
        string contentCid;
    }

    /// @notice A batch's standing as a verifier sees it.
    enum BatchStatus {
        Unknown,
        Active,
        Recalled
    }

    /// @notice Thrown when the caller is not an active key of a brand.
    error SerialRegistryNotABrandKey(address caller);
    /// @notice Thrown when a GTIN is not a GTIN-14 with a valid check digit.
    error SerialRegistryInvalidGtin(uint64 gtin);
    /// @notice Thrown when a brand opens an order for a GTIN whose company prefix it does not own.
    error SerialRegistryNotPrefixOwner(ParticipantId brand, uint64 gtin);
    /// @notice Thrown when an order's planned quantity is zero.
    error SerialRegistryZeroQuantity();
    /// @notice Thrown when an expiry is not a YYYYMMDD date.
    error SerialRegistryInvalidExpiry(uint32 expiry);
    /// @notice Thrown when a lot is empty or longer than 20 characters.
    error SerialRegistryInvalidLot(string lot);
    /// @notice Thrown when the producer is not an active producer or brand.
    error SerialRegistryInvalidProducer(ParticipantId producer);
    /// @notice Thrown when a brand's ERP reference was already used for an order.
    error SerialRegistryErpReferenceUsed(bytes32 erpReference, OrderId existing);
    /// @notice Thrown when an order id names no order.
    error SerialRegistryUnknownOrder(OrderId order);
    /// @notice Thrown when a batch id names no batch.
    error SerialRegistryUnknownBatch(BatchId batch);
    /// @notice Thrown when a brand acts on another brand's order.
    error SerialRegistryNotOrderOwner(OrderId order, ParticipantId caller);
    /// @notice Thrown when releasing against, amending or closing a closed order.
    error SerialRegistryOrderClosed(OrderId order);
    /// @notice The overrun guard: thrown when a release would take the order past its planned quantity.
    error SerialRegistryQuantityExceeded(OrderId order, uint64 planned, uint64 released, uint64 requested);
    /// @notice Thrown when an amendment would plan fewer units than were already released.
    error SerialRegistryPlannedBelowReleased(OrderId order, uint64 released, uint64 planned);
    /// @notice Thrown when a root is zero.
    error SerialRegistryZeroRoot();
    /// @notice Thrown when a batch or a void has no codes.
    error SerialRegistryZeroCount();
    /// @notice Thrown when a release names no content CID.
    error SerialRegistryEmptyCid();
    /// @notice Thrown when a root was already released (a second release of the same codes).
    error SerialRegistryRootAlreadyReleased(bytes32 root, BatchId batch);
    /// @notice Thrown when voiding more codes than remain unvoided in the batch.
    error SerialRegistryVoidExceedsBatch(BatchId batch, uint64 available, uint64 requested);
    /// @notice Thrown when recalling what is already recalled, or lifting a recall that is not in force.
    error SerialRegistryRecallUnchanged(bool recalled);
    /// @notice Thrown when a product record's CID is empty or longer than the registry keeps.
    error SerialRegistryInvalidRecordCid(string recordCid);
    /// @notice Thrown when asking for a product record version that was never published.
    error SerialRegistryUnknownRecordVersion(uint64 gtin, uint32 version);

    /// @notice Emitted after a brand opens a production order.
    event OrderOpened(
        OrderId indexed order,
        ParticipantId indexed brand,
        ParticipantId indexed producer,
        uint64 gtin,
        uint64 plannedQuantity,
        string lot,
        uint32 expiry,
        bytes32 erpReference
    );
    /// @notice Emitted after an order's planned quantity changes.
    event OrderAmended(OrderId indexed order, uint64 previousPlanned, uint64 plannedQuantity);
    /// @notice Emitted after an order is closed to further releases.
    event OrderClosed(OrderId indexed order);
    /// @notice Emitted after a batch of codes is released: its root, count and leaf-file CID.
    event BatchReleased(
        BatchId indexed batch,
        OrderId indexed order,
        bytes32 root,
        uint64 count,
        string contentCid
    );
    /// @notice Emitted after released codes are voided; `root` is the Merkle root of the voided codes' leaves.
    event CodesVoided(BatchId indexed batch, bytes32 root, uint64 count, string reason);
    /// @notice Emitted after a whole order is recalled; `reasonCid` points at the recall notice.
    event OrderRecalled(OrderId indexed order, string reasonCid);
    /// @notice Emitted after an order's recall is lifted.
    event OrderRecallLifted(OrderId indexed order);
    /// @notice Emitted after a batch is recalled.
    event BatchRecalled(BatchId indexed batch, string reasonCid);
    /// @notice Emitted after a batch's recall is lifted.
    event BatchRecallLifted(BatchId indexed batch);
    /// @notice Emitted after a brand publishes a GTIN's product record (name, description, image, links);
    /// `version` counts from 1, and every earlier version stays readable.
    event ProductRecordSet(uint64 indexed gtin, ParticipantId indexed brand, uint32 version, string recordCid);

    /// @notice Opens a production order. Only an active key of the brand owning the GTIN's prefix.
    function openOrder(
        uint64 gtin,
        uint64 plannedQuantity,
        string calldata lot,
        uint32 expiry,
        ParticipantId producer,
        bytes32 erpReference
    ) external returns (OrderId order);

    /// @notice Releases a batch of `count` codes whose leaves have Merkle root `root`; the leaf file is at `contentCid`.
    function releaseBatch(
        OrderId order,
        bytes32 root,
        uint64 count,
        string calldata contentCid
    ) external returns (BatchId batch);

    /// @notice Changes an order's planned quantity; never below what was released.
    function amendOrder(OrderId order, uint64 plannedQuantity) external;

    /// @notice Closes an order: no more releases.
    function closeOrder(OrderId order) external;

    /// @notice Voids `count` released codes of a batch (destroyed, misprinted); `root` covers their leaves.
    function voidCodes(BatchId batch, bytes32 root, uint64 count, string calldata reason) external;

    /// @notice Recalls every batch of an order.
    function recallOrder(OrderId order, string calldata reasonCid) external;

    /// @notice Lifts an order's recall.
    function liftOrderRecall(OrderId order) external;

    /// @notice Recalls one batch.
    function recallBatch(BatchId batch, string calldata reasonCid) external;

    /// @notice Lifts a batch's recall.
    function liftBatchRecall(BatchId batch) external;

    /// @notice Publishes the product record of a GTIN: its content store CID. Only an active key of the
    /// brand owning the GTIN's prefix. A new record replaces the current one; the old stay as versions.
    function setProductRecord(uint64 gtin, string calldata recordCid) external returns (uint32 version);

    /// @notice A GTIN's current product record and its version; ("", 0) when none was published.
    function productRecord(uint64 gtin) external view returns (string memory recordCid, uint32 version);

    /// @notice A GTIN's product record as it was at `version` (from 1).
    function productRecordAt(uint64 gtin, uint32 version) external view returns (string memory recordCid);

    /// @notice An order's record.
    function order(OrderId order) external view returns (Order memory);

    /// @notice A batch's record.
    function batch(BatchId batch) external view returns (Batch memory);

    /// @notice A batch's standing: unknown, active, or recalled (itself or through its order).
    function batchStatus(BatchId batch) external view returns (BatchStatus);

    /// @notice The batch a root was released as, or 0.
    function batchOfRoot(bytes32 root) external view returns (BatchId);

    /// @notice The order a brand opened under an ERP reference, or 0.
    function orderOfErpReference(ParticipantId brand, bytes32 erpReference) external view returns (OrderId);

    /// @notice How many orders and batches exist; ids run from 1.
    function counts() external view returns (uint64 orders, uint64 batches);

    /// @notice Whether (gtin, serial) is a code of `batch`: the GTIN is the order's and the proof leads
    /// from the code's leaf to the batch root.
    function verifyCode(
        BatchId batch,
        uint64 gtin,
        string calldata serial,
        bytes32[] calldata proof
    ) external view returns (bool);
}
