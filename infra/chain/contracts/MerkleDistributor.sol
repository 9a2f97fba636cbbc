// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./SortedPairMerkle.sol";

interface IMintableToken {
    function mint(address to, uint256 amount) external;
}

/// @title MerkleDistributor
/// @notice Pays each epoch's provider rewards against one Merkle root per epoch.
/// Leaf: keccak256(bytes.concat(keccak256(abi.encode(epoch, account, amount)))); nodes hash sorted pairs.
contract MerkleDistributor {
    IMintableToken public immutable token;
    address public owner;

    mapping(uint256 => bytes32) public roots;
    mapping(uint256 => mapping(address => bool)) public isClaimed;

    event RootSet(uint256 indexed epoch, bytes32 root);
    event Claimed(uint256 indexed epoch, address indexed account, uint256 amount);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        require(msg.sender == owner, "MerkleDistributor: not owner");
        _;
    }

    constructor(address token_) {
        require(token_ != address(0), "MerkleDistributor: zero token");
        token = IMintableToken(token_);
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "MerkleDistributor: zero owner");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Publishes an epoch's root once; it cannot change after claims may have started.
    function setRoot(uint256 epoch, bytes32 root) external onlyOwner {
        require(root != bytes32(0), "MerkleDistributor: zero root");
        require(roots[epoch] == bytes32(0), "MerkleDistributor: root already set");
        roots[epoch] = root;
        emit RootSet(epoch, root);
    }

    /// @notice Mints `amount` to `account` once per epoch when the proof leads to the epoch's root.
    function claim(uint256 epoch, address account, uint256 amount, bytes32[] calldata proof) external {
        bytes32 root = roots[epoch];
        require(root != bytes32(0), "MerkleDistributor: unknown epoch");
        require(!isClaimed[epoch][account], "MerkleDistributor: already claimed");
        require(SortedPairMerkle.verify(proof, root, SortedPairMerkle.leaf(epoch, account, amount)), "MerkleDistributor: invalid proof");
        isClaimed[epoch][account] = true;
        token.mint(account, amount);
        emit Claimed(epoch, account, amount);
    }
}
