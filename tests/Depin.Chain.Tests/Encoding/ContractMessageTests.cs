using System.Numerics;
using Depin.Chain.Messages;
using Depin.Chain.Tests.Support;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Depin.Chain.Tests.Encoding;

/// <summary>The contract messages the wrappers send, ABI-encoded by Nethereum, against cast.</summary>
public class ContractMessageTests
{
    /// <summary>Some messages carry a contract's bytecode: the artifacts must exist before any of these runs.</summary>
    public ContractMessageTests() => Toolchain.EnsureContractsCompiled();

    private static string Array(IEnumerable<Hash32> values) => "[" + string.Join(",", values) + "]";

    [Fact]
    public void Claim_call_data_equals_cast_calldata()
    {
        var random = Random32.Seeded(30);
        var cases = Enumerable.Range(0, 40)
            .Select(i => (Epoch: (ulong)random.NextInt64(), Account: random.NextAddress(), Amount: new BigInteger(random.Bytes(16), isUnsigned: true),
                Proof: Enumerable.Range(0, i % 7).Select(_ => random.NextHash()).ToArray()))
            .ToList();

        string[] expected = Cast.RunMany(cases, c =>
            ["calldata", "claim(uint256,address,uint256,bytes32[])", c.Epoch.ToString(), c.Account.ToString(), c.Amount.ToString(), Array(c.Proof)]);

        for (int i = 0; i < cases.Count; i++)
        {
            byte[] ours = MerkleDistributorContract.Claim(cases[i].Epoch, cases[i].Account, cases[i].Amount, cases[i].Proof).GetCallData();
            Assert.Equal(expected[i], Hex.Encode(ours));
        }
    }

    [Fact]
    public void Anchor_set_root_and_transfer_call_data_equal_cast_calldata()
    {
        var random = Random32.Seeded(31);
        Hash32 root = random.NextHash();
        Address to = random.NextAddress();
        BigInteger amount = new(random.Bytes(32), isUnsigned: true);

        Assert.Equal(
            Cast.Run("calldata", "anchor(uint64,bytes32)", ulong.MaxValue.ToString(), root.ToString()),
            Hex.Encode(new AnchorFunction { Height = ulong.MaxValue, StateRoot = root.ToArray() }.GetCallData()));
        Assert.Equal(
            Cast.Run("calldata", "setRoot(uint256,bytes32)", "77", root.ToString()),
            Hex.Encode(new SetRootFunction { Epoch = 77, Root = root.ToArray() }.GetCallData()));
        Assert.Equal(
            Cast.Run("calldata", "transfer(address,uint256)", to.ToString(), amount.ToString()),
            Hex.Encode(new TransferFunction { To = to.ToString(), Amount = amount }.GetCallData()));
    }

    [Fact]
    public void Token_constructor_arguments_equal_cast_abi_encode()
    {
        var deployment = new RewardTokenDeployment { Name = "Depin Reward", Symbol = "DPR" };
        string bytecode = deployment.ByteCode;

        string data = Hex.Encode(deployment.GetDeploymentData());

        Assert.StartsWith(bytecode, data, StringComparison.Ordinal);
        Assert.Equal(Cast.Run("abi-encode", "f(string,string)", "Depin Reward", "DPR")[2..], data[bytecode.Length..]);
    }

    [Theory]
    [InlineData(typeof(ClaimFunction), "claim(uint256,address,uint256,bytes32[])")]
    [InlineData(typeof(SetRootFunction), "setRoot(uint256,bytes32)")]
    [InlineData(typeof(AnchorFunction), "anchor(uint64,bytes32)")]
    [InlineData(typeof(BalanceOfFunction), "balanceOf(address)")]
    [InlineData(typeof(IsClaimedFunction), "isClaimed(uint256,address)")]
    public void Selector_matches_cast_sig(Type function, string signature)
    {
        Assert.Equal(Cast.Run("sig", signature), "0x" + ABITypedRegistry.GetFunctionABI(function).Sha3Signature);
    }

    [Theory]
    [InlineData(typeof(TransferEvent), "Transfer(address,address,uint256)")]
    [InlineData(typeof(ClaimedEventDto), "Claimed(uint256,address,uint256)")]
    [InlineData(typeof(RootSetEvent), "RootSet(uint256,bytes32)")]
    [InlineData(typeof(AnchoredEventDto), "Anchored(uint64,bytes32)")]
    public void Event_topic_matches_cast_sig_event(Type eventType, string signature)
    {
        var abi = ABITypedRegistry.GetEvent(eventType);
        Assert.Equal(Cast.Run("sig-event", signature), "0x" + abi.Sha3Signature);
    }
}
