// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Leaves
/// @notice The Merkle leaf encodings shared with the TypeScript core (src/core/merkle/leaves.ts), in
/// OpenZeppelin StandardMerkleTree form: keccak256(keccak256(abi.encode(values))). Hashing twice
/// keeps a 64-byte pair of inner nodes from ever passing for a leaf. test/vectors/leaves.json pins them.
library Leaves {
    /// @notice Commitment-tree leaf kind of a signed EPCIS capture.
    uint8 internal constant KIND_CAPTURE = 1;
    /// @notice Commitment-tree leaf kind of a co-signed custody handover.
    uint8 internal constant KIND_HANDOVER = 2;

    /// @notice A serial code's leaf, types ["uint256", "string"]: it binds the GTIN and the serial; the
    /// batch root it is proven against binds the batch.
    function code(uint256 gtin, string memory serial) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(gtin, serial))));
    }

    /// @notice A commitment's leaf, types ["uint8", "bytes32"]: the entry's kind and its EIP-712 digest,
    /// which binds the chain, the contract and every signed field.
    function commitment(uint8 kind, bytes32 digest) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(kind, digest))));
    }
}
