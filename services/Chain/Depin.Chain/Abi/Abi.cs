using System.Text;

namespace Depin.Chain;

/// <summary>Solidity ABI helpers: function selectors, event topics and call data.</summary>
public static class Abi
{
    /// <summary>The first four bytes of keccak256 of a canonical signature such as "transfer(address,uint256)".</summary>
    public static byte[] Selector(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).Span[..4].ToArray();

    /// <summary>topic0 of an event: keccak256 of its canonical signature such as "Transfer(address,address,uint256)".</summary>
    public static Hash32 EventTopic(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature));

    /// <summary>selector ‖ encoded arguments.</summary>
    public static byte[] EncodeCall(string signature, AbiEncoder arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return [.. Selector(signature), .. arguments.Encode()];
    }

    public static byte[] EncodeCall(string signature) => Selector(signature);

    /// <summary>Selector of Error(string), the payload of require/revert with a reason.</summary>
    public static ReadOnlySpan<byte> ErrorSelector => [0x08, 0xc3, 0x79, 0xa0];

    /// <summary>Selector of Panic(uint256), raised by assert, overflow and similar checks.</summary>
    public static ReadOnlySpan<byte> PanicSelector => [0x4e, 0x48, 0x7b, 0x71];

    /// <summary>Decodes revert data: the reason of Error(string), "panic 0x.." for Panic(uint256), else null.</summary>
    public static string? DecodeRevertReason(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4)
        {
            return null;
        }

        try
        {
            var decoder = new AbiDecoder(revertData[4..].ToArray());
            if (revertData[..4].SequenceEqual(ErrorSelector))
            {
                return decoder.String(0);
            }

            if (revertData[..4].SequenceEqual(PanicSelector))
            {
                return $"panic 0x{decoder.Uint256(0):x2}";
            }
        }
        catch (FormatException)
        {
        }

        return null;
    }
}
