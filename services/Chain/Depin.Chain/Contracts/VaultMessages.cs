using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Depin.Chain.Messages;

#pragma warning disable CS8618 // Nethereum fills these by reflection.

public sealed class VaultDeployment() : ContractDeploymentMessage(ContractArtifacts.Load(ContractArtifacts.Vault).BytecodeHex)
{
    [Parameter("address", "token_", 1)]
    public string Token { get; set; }
}

[Function("deposit")]
public sealed class DepositFunction : FunctionMessage
{
    [Parameter("uint256", "amount", 1)]
    public BigInteger Amount { get; set; }

    [Parameter("address", "ledgerAccount", 2)]
    public string LedgerAccount { get; set; }
}

[Function("mintEmission")]
public sealed class MintEmissionFunction : FunctionMessage
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }

    [Parameter("uint256", "amount", 2)]
    public BigInteger Amount { get; set; }
}

[Function("setWithdrawalRoot")]
public sealed class SetWithdrawalRootFunction : FunctionMessage
{
    [Parameter("uint256", "batch", 1)]
    public BigInteger Batch { get; set; }

    [Parameter("bytes32", "root", 2)]
    public byte[] Root { get; set; }

    [Parameter("uint256", "total", 3)]
    public BigInteger Total { get; set; }
}

[Function("withdraw")]
public sealed class VaultWithdrawFunction : FunctionMessage
{
    [Parameter("uint256", "batch", 1)]
    public BigInteger Batch { get; set; }

    [Parameter("address", "account", 2)]
    public string Account { get; set; }

    [Parameter("uint256", "amount", 3)]
    public BigInteger Amount { get; set; }

    [Parameter("bytes32[]", "proof", 4)]
    public List<byte[]> Proof { get; set; }
}

[Function("emitted", "uint256")]
public sealed class EmittedFunction : FunctionMessage
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }
}

[Function("withdrawalRoots", "bytes32")]
public sealed class WithdrawalRootFunction : FunctionMessage
{
    [Parameter("uint256", "batch", 1)]
    public BigInteger Batch { get; set; }
}

[Function("withdrawalTotals", "uint256")]
public sealed class WithdrawalTotalFunction : FunctionMessage
{
    [Parameter("uint256", "batch", 1)]
    public BigInteger Batch { get; set; }
}

[Function("published", "uint256")]
public sealed class PublishedTotalFunction : FunctionMessage;

[Function("isWithdrawn", "bool")]
public sealed class IsWithdrawnFunction : FunctionMessage
{
    [Parameter("uint256", "batch", 1)]
    public BigInteger Batch { get; set; }

    [Parameter("address", "account", 2)]
    public string Account { get; set; }
}

[Function("deposited", "uint256")]
public sealed class DepositedTotalFunction : FunctionMessage;

[Function("withdrawn", "uint256")]
public sealed class WithdrawnTotalFunction : FunctionMessage;

[Event("Deposited")]
public sealed class DepositedEvent : IEventDTO
{
    [Parameter("address", "from", 1, true)]
    public string From { get; set; }

    [Parameter("address", "ledgerAccount", 2, true)]
    public string LedgerAccount { get; set; }

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}

[Event("Withdrawn")]
public sealed class WithdrawnEvent : IEventDTO
{
    [Parameter("uint256", "batch", 1, true)]
    public BigInteger Batch { get; set; }

    [Parameter("address", "account", 2, true)]
    public string Account { get; set; }

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}
