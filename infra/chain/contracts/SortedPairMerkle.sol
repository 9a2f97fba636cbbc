// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title SortedPairMerkle
/// @notice Proof check of the payout trees Depin.Chain builds (OpenZeppelin-compatible): leaf =
/// keccak256(bytes.concat(keccak256(abi.encode(id, account, amount)))), each node hashes its two children sorted.
library SortedPairMerkle {
    function leaf(uint256 id, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(id, account, amount))));
    }

    function verify(bytes32[] calldata proof, bytes32 root, bytes32 leafHash) internal pure returns (bool) {
        bytes32 computed = leafHash;
        for (uint256 i = 0; i < proof.length; ++i) {
            computed = _hashPair(computed, proof[i]);
        }
        return computed == root;
    }

    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32 value) {
        (bytes32 lo, bytes32 hi) = a < b ? (a, b) : (b, a);
        assembly ("memory-safe") {
            mstore(0x00, lo)
            mstore(0x20, hi)
            value := keccak256(0x00, 0x40)
        }
    }
}
