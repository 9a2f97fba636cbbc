using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Depin.Chain.Messages;

#pragma warning disable CS8618 // Nethereum fills these by reflection.

public sealed class RewardTokenDeployment() : ContractDeploymentMessage(ContractArtifacts.Load(ContractArtifacts.RewardToken).BytecodeHex)
{
    [Parameter("string", "name_", 1)]
    public string Name { get; set; }

    [Parameter("string", "symbol_", 2)]
    public string Symbol { get; set; }
}

[Function("mint")]
public sealed class MintFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("setMinter")]
public sealed class SetMinterFunction : FunctionMessage
{
    [Parameter("address", "minter", 1)]
    public string Minter { get; set; }

    [Parameter("bool", "allowed", 2)]
    public bool Allowed { get; set; }
}

[Function("transfer", "bool")]
public sealed class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)]
    public string To { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("approve", "bool")]
public sealed class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)]
    public string Spender { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; }
}

[Function("allowance", "uint256")]
public sealed class AllowanceFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)]
    public string Owner { get; set; }

    [Parameter("address", "spender", 2)]
    public string Spender { get; set; }
}

[Function("totalSupply", "uint256")]
public sealed class TotalSupplyFunction : FunctionMessage;

[Function("isMinter", "bool")]
public sealed class IsMinterFunction : FunctionMessage
{
    [Parameter("address", "account", 1)]
    public string Account { get; set; }
}

[Function("owner", "address")]
public sealed class OwnerFunction : FunctionMessage;

[Function("name", "string")]
public sealed class NameFunction : FunctionMessage;

[Function("symbol", "string")]
public sealed class SymbolFunction : FunctionMessage;

[Event("Transfer")]
public sealed class TransferEvent : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; }

    [Parameter("address", "to", 2, true)]
    public string To { get; set; }

    [Parameter("uint256", "value", 3, false)]
    public BigInteger Value { get; set; }
}
