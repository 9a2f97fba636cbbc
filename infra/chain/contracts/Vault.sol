// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./SortedPairMerkle.sol";

interface IVaultToken {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function mint(address to, uint256 amount) external;
}

/// @title Vault
/// @notice Holds every token that backs a micro-credit on the platform's ledger. 1 micro-credit = 10^12 token base
/// units (the token has 18 decimals, a credit is 10^6 micro-credits). Tokens come in by deposit (credited to a ledger
/// account by the platform's chain watcher) or as epoch emissions minted into the vault; they leave only by a
/// withdrawal claimed against a batch root the owner publishes.
/// Withdrawal leaf: keccak256(bytes.concat(keccak256(abi.encode(batch, account, amount)))); nodes hash sorted pairs.
contract Vault {
    uint256 public constant UNIT = 1e12;

    /// @notice The first four bytes of a job escrow account on the ledger (never a depositor's account).
    uint32 public constant ESCROW_PREFIX = 0xE5C0FFEE;

    IVaultToken public immutable token;
    address public owner;

    mapping(uint256 => uint256) public emitted;
    mapping(uint256 => bytes32) public withdrawalRoots;
    mapping(uint256 => uint256) public withdrawalTotals;
    mapping(uint256 => mapping(address => bool)) public isWithdrawn;
    uint256 public deposited;
    uint256 public withdrawn;
    uint256 public published;

    event Deposited(address indexed from, address indexed ledgerAccount, uint256 amount);
    event EmissionMinted(uint256 indexed epoch, uint256 amount);
    event WithdrawalRootSet(uint256 indexed batch, bytes32 root, uint256 total);
    event Withdrawn(uint256 indexed batch, address indexed account, uint256 amount);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        require(msg.sender == owner, "Vault: not owner");
        _;
    }

    constructor(address token_) {
        require(token_ != address(0), "Vault: zero token");
        token = IVaultToken(token_);
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        require(newOwner != address(0), "Vault: zero owner");
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Pulls `amount` (approved beforehand) into the vault for `ledgerAccount`. Refuses amounts that are not a
    /// whole number of micro-credits, so nothing is ever credited short or held without a credit.
    function deposit(uint256 amount, address ledgerAccount) external {
        require(amount > 0, "Vault: zero amount");
        require(amount % UNIT == 0, "Vault: not a whole number of micro-credits");
        require(ledgerAccount != address(0), "Vault: zero ledger account");
        // Only accounts the ledger credits: not its reserved ones (first 16 bytes zero) nor job escrows (prefix e5c0ffee),
        // and no more than it can hold, so that no deposited token is left without its credit.
        require(uint160(ledgerAccount) >> 32 != 0, "Vault: reserved ledger account");
        require(uint32(uint160(ledgerAccount) >> 128) != ESCROW_PREFIX, "Vault: escrow ledger account");
        require(amount / UNIT <= uint256(uint64(type(int64).max)), "Vault: beyond the ledger's range");
        require(token.transferFrom(msg.sender, address(this), amount), "Vault: transfer failed");
        deposited += amount;
        emit Deposited(msg.sender, ledgerAccount, amount);
    }

    /// @notice Mints an epoch's emission into the vault, once per epoch, before the ledger credits it to the reward pool.
    function mintEmission(uint256 epoch, uint256 amount) external onlyOwner {
        require(amount > 0 && amount % UNIT == 0, "Vault: emission not whole micro-credits");
        require(emitted[epoch] == 0, "Vault: epoch already emitted");
        emitted[epoch] = amount;
        token.mint(address(this), amount);
        emit EmissionMinted(epoch, amount);
    }

    /// @notice Publishes a withdrawal batch's root and total once.
    function setWithdrawalRoot(uint256 batch, bytes32 root, uint256 total) external onlyOwner {
        require(root != bytes32(0), "Vault: zero root");
        require(withdrawalRoots[batch] == bytes32(0), "Vault: root already set");
        withdrawalRoots[batch] = root;
        withdrawalTotals[batch] = total;
        published += total;
        emit WithdrawalRootSet(batch, root, total);
    }

    /// @notice Releases `amount` to `account` once per batch when the proof leads to the batch's root.
    function withdraw(uint256 batch, address account, uint256 amount, bytes32[] calldata proof) external {
        bytes32 root = withdrawalRoots[batch];
        require(root != bytes32(0), "Vault: unknown batch");
        require(!isWithdrawn[batch][account], "Vault: already withdrawn");
        require(SortedPairMerkle.verify(proof, root, SortedPairMerkle.leaf(batch, account, amount)), "Vault: invalid proof");
        isWithdrawn[batch][account] = true;
        withdrawn += amount;
        require(token.transfer(account, amount), "Vault: transfer failed");
        emit Withdrawn(batch, account, amount);
    }
}
