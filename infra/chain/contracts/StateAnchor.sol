// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title StateAnchor
/// @notice The owner (the ledger) records its state root at strictly increasing heights.
contract StateAnchor {
    address public owner;
    uint64 public latestHeight;
    uint256 public anchorCount;

    mapping(uint64 => bytes32) public roots;

    event Anchored(uint64 indexed height, bytes32 stateRoot);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        require(msg.sender == owner, "StateAnchor: not owner");
        _;
    }

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "StateAnchor: zero owner");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function anchor(uint64 height, bytes32 stateRoot) external onlyOwner {
        require(stateRoot != bytes32(0), "StateAnchor: zero root");
        require(anchorCount == 0 || height > latestHeight, "StateAnchor: height not increasing");
        roots[height] = stateRoot;
        latestHeight = height;
        anchorCount += 1;
        emit Anchored(height, stateRoot);
    }
}
