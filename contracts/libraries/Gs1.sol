// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Gs1
/// @notice GS1 key arithmetic the contracts need: check digits of GTIN-14 and GLN, and the company
/// prefix of a GTIN. Keys are held as integers (a GTIN-14 fits in a uint64), so leading zeros are
/// implicit and the length is fixed by the key type.
library Gs1 {
    uint64 internal constant GTIN14_LIMIT = 1e14;
    uint64 internal constant GLN_LIMIT = 1e13;
    uint256 internal constant MIN_PREFIX_LENGTH = 6;
    uint256 internal constant MAX_PREFIX_LENGTH = 12;

    /// @notice Whether `key` (with `digits` digits, check digit last) has a valid GS1 mod-10 check digit.
    function hasValidCheckDigit(uint64 key, uint256 digits) internal pure returns (bool) {
        uint256 check = key % 10;
        uint256 rest = key / 10;
        uint256 sum;
        // weights 3, 1, 3, ... from the right, starting with the digit next to the check digit
        for (uint256 i = 0; i < digits - 1; ++i) {
            uint256 d = rest % 10;
            sum += (i % 2 == 0) ? d * 3 : d;
            rest /= 10;
        }
        return (10 - (sum % 10)) % 10 == check;
    }

    /// @notice Whether `gtin` is a GTIN-14 (shorter GTINs zero-padded) with a valid check digit.
    function isValidGtin14(uint64 gtin) internal pure returns (bool) {
        return gtin != 0 && gtin < GTIN14_LIMIT && hasValidCheckDigit(gtin, 14);
    }

    /// @notice Whether `gln` is a 13-digit GLN with a valid check digit.
    function isValidGln(uint64 gln) internal pure returns (bool) {
        return gln != 0 && gln < GLN_LIMIT && hasValidCheckDigit(gln, 13);
    }

    /// @notice Parses a GS1 company prefix of 6 to 12 decimal digits. `ok` is false for anything else.
    function parseCompanyPrefix(string calldata prefix) internal pure returns (bool ok, uint256 key) {
        bytes calldata b = bytes(prefix);
        if (b.length < MIN_PREFIX_LENGTH || b.length > MAX_PREFIX_LENGTH) return (false, 0);
        uint256 value;
        for (uint256 i = 0; i < b.length; ++i) {
            uint8 c = uint8(b[i]);
            if (c < 0x30 || c > 0x39) return (false, 0);
            value = value * 10 + (c - 0x30);
        }
        return (true, prefixKey(b.length, value));
    }

    /// @notice The key under which a prefix of `length` digits and numeric `value` is stored: the length
    /// is part of the key because "0614141" and "614141" are different prefixes.
    function prefixKey(uint256 length, uint256 value) internal pure returns (uint256) {
        return (length << 64) | value;
    }

    /// @notice The key of the first `length` digits of a longer prefix `key`.
    function truncatePrefix(uint256 key, uint256 length) internal pure returns (uint256) {
        uint256 fullLength = key >> 64;
        uint256 value = key & type(uint64).max;
        return prefixKey(length, value / (10 ** (fullLength - length)));
    }

    /// @notice The key of the candidate company prefix of `length` digits inside `gtin`: the digits after
    /// the indicator digit.
    function gtinPrefixKey(uint64 gtin, uint256 length) internal pure returns (uint256) {
        // drop the indicator (most significant of 14 digits) and the check digit: 12 digits remain
        uint256 body = (uint256(gtin) % 1e13) / 10;
        return prefixKey(length, body / (10 ** (MAX_PREFIX_LENGTH - length)));
    }
}
