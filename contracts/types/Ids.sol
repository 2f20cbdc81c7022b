// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @dev Distinct types for distinct ids, so that an order id can never be passed where a batch id or
/// a participant id is expected. All are 1-based: zero means "none".

/// @notice A registered consortium member (brand, producer, custodian, ...).
type ParticipantId is uint32;
/// @notice A production order opened by a brand.
type OrderId is uint64;
/// @notice A released batch of serial codes.
type BatchId is uint64;

using {participantEq as ==, participantNeq as !=} for ParticipantId global;
using {orderEq as ==} for OrderId global;
using {batchEq as ==} for BatchId global;

function participantEq(ParticipantId a, ParticipantId b) pure returns (bool) {
    return ParticipantId.unwrap(a) == ParticipantId.unwrap(b);
}

function participantNeq(ParticipantId a, ParticipantId b) pure returns (bool) {
    return ParticipantId.unwrap(a) != ParticipantId.unwrap(b);
}

function orderEq(OrderId a, OrderId b) pure returns (bool) {
    return OrderId.unwrap(a) == OrderId.unwrap(b);
}

function batchEq(BatchId a, BatchId b) pure returns (bool) {
    return BatchId.unwrap(a) == BatchId.unwrap(b);
}

/// @notice What a participant does in the supply chain; contracts gate functions on it.
enum ParticipantKind {
    Brand,
    Producer,
    Custodian,
    Retailer,
    Relayer,
    Auditor
}
