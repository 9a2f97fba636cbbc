using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Depin.Chain.Messages;

#pragma warning disable CS8618 // Nethereum fills these by reflection.

public sealed class MerkleDistributorDeployment() : ContractDeploymentMessage(ContractArtifacts.Load(ContractArtifacts.MerkleDistributor).BytecodeHex)
{
    [Parameter("address", "token_", 1)]
    public string Token { get; set; }
}

[Function("setRoot")]
public sealed class SetRootFunction : FunctionMessage
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }

    [Parameter("bytes32", "root", 2)]
    public byte[] Root { get; set; }
}

[Function("claim")]
public sealed class ClaimFunction : FunctionMessage
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }

    [Parameter("address", "account", 2)]
    public string Account { get; set; }

    [Parameter("uint256", "amount", 3)]
    public BigInteger Amount { get; set; }

    [Parameter("bytes32[]", "proof", 4)]
    public List<byte[]> Proof { get; set; }
}

[Function("roots", "bytes32")]
public sealed class EpochRootFunction : FunctionMessage
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }
}

[Function("isClaimed", "bool")]
public sealed class IsClaimedFunction : FunctionMessage
{
    [Parameter("uint256", "epoch", 1)]
    public BigInteger Epoch { get; set; }

    [Parameter("address", "account", 2)]
    public string Account { get; set; }
}

[Function("token", "address")]
public sealed class TokenFunction : FunctionMessage;

[Event("RootSet")]
public sealed class RootSetEvent : IEventDTO
{
    [Parameter("uint256", "epoch", 1, true)]
    public BigInteger Epoch { get; set; }

    [Parameter("bytes32", "root", 2, false)]
    public byte[] Root { get; set; }
}

[Event("Claimed")]
public sealed class ClaimedEventDto : IEventDTO
{
    [Parameter("uint256", "epoch", 1, true)]
    public BigInteger Epoch { get; set; }

    [Parameter("address", "account", 2, true)]
    public string Account { get; set; }

    [Parameter("uint256", "amount", 3, false)]
    public BigInteger Amount { get; set; }
}
