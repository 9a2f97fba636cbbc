using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Depin.Chain.Messages;

#pragma warning disable CS8618 // Nethereum fills these by reflection.

public sealed class StateAnchorDeployment() : ContractDeploymentMessage(ContractArtifacts.Load(ContractArtifacts.StateAnchor).BytecodeHex);

[Function("anchor")]
public sealed class AnchorFunction : FunctionMessage
{
    [Parameter("uint64", "height", 1)]
    public ulong Height { get; set; }

    [Parameter("bytes32", "stateRoot", 2)]
    public byte[] StateRoot { get; set; }
}

[Function("roots", "bytes32")]
public sealed class HeightRootFunction : FunctionMessage
{
    [Parameter("uint64", "height", 1)]
    public ulong Height { get; set; }
}

[Function("latestHeight", "uint64")]
public sealed class LatestHeightFunction : FunctionMessage;

[Function("anchorCount", "uint256")]
public sealed class AnchorCountFunction : FunctionMessage;

[Event("Anchored")]
public sealed class AnchoredEventDto : IEventDTO
{
    [Parameter("uint64", "height", 1, true)]
    public ulong Height { get; set; }

    [Parameter("bytes32", "stateRoot", 2, false)]
    public byte[] StateRoot { get; set; }
}
