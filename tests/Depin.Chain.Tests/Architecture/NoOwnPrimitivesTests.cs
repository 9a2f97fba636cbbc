using System.Reflection;

namespace Depin.Chain.Tests.Architecture;

/// <summary>
/// Depin.Chain keeps no hand-written primitive that Nethereum provides (issue 9): signing, recovery, RLP, ABI,
/// transactions and JSON-RPC are Nethereum's. The only Keccak of our own is the payout tree's measured hot path,
/// internal and used by the tree alone.
/// </summary>
public class NoOwnPrimitivesTests
{
    private static readonly string[] GoneTypes =
    [
        "Keccak256", "KeccakF1600", "EthKey", "EthSigner", "Secp256k1", "PersonalSign", "Signature",
        "Rlp", "RlpItem", "Abi", "AbiEncoder", "AbiDecoder", "Eip1559Transaction", "LegacyTransaction",
        "EthJsonRpcClient", "JsonRpcChainClient", "JsonRpcException", "CallRequest",
    ];

    private static readonly string[] GoneFolders = ["Abi", "Rlp", "Transactions", "Rpc", "Crypto"];

    private static readonly Assembly Chain = typeof(ChainClient).Assembly;

    private static string SourceDirectory
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "services", "Chain", "Depin.Chain");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("services/Chain/Depin.Chain not found above the test binaries.");
        }
    }

    private static IEnumerable<string> Sources(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void The_assembly_defines_none_of_the_primitives_nethereum_provides()
    {
        string[] present = [.. Chain.GetTypes().Select(t => t.Name).Intersect(GoneTypes)];

        Assert.Empty(present);
    }

    [Fact]
    public void The_source_tree_has_no_folder_of_the_old_primitives()
    {
        string[] present = [.. GoneFolders.Where(f => Directory.Exists(Path.Combine(SourceDirectory, f)))];

        Assert.Empty(present);
    }

    [Fact]
    public void Nothing_in_the_library_talks_to_bouncy_castle_or_builds_json_rpc_by_hand()
    {
        string[] offenders = [.. Sources(SourceDirectory).Where(f =>
        {
            string text = File.ReadAllText(f);
            return text.Contains("using Org.BouncyCastle", StringComparison.Ordinal)
                || text.Contains("\"jsonrpc\"", StringComparison.Ordinal)
                || text.Contains("eth_sendRawTransaction", StringComparison.Ordinal);
        }).Select(Path.GetFileName)!];

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_trees_own_keccak_is_internal_and_used_by_the_merkle_folder_alone()
    {
        Type keccak = Chain.GetType("Depin.Chain.MerkleKeccak", throwOnError: true)!;
        Type permutation = Chain.GetType("Depin.Chain.KeccakPermutation", throwOnError: true)!;
        string merkle = Path.Combine(SourceDirectory, "Merkle");

        string[] users = [.. Sources(SourceDirectory)
            .Where(f => !f.StartsWith(merkle, StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("MerkleKeccak", StringComparison.Ordinal) || File.ReadAllText(f).Contains("KeccakPermutation", StringComparison.Ordinal))
            .Select(Path.GetFileName)!];

        Assert.False(keccak.IsPublic);
        Assert.False(permutation.IsPublic);
        Assert.Empty(users);
    }

    [Fact]
    public void No_other_project_carries_a_keccak_permutation_or_a_curve_of_its_own()
    {
        string repository = Path.GetFullPath(Path.Combine(SourceDirectory, "..", "..", ".."));
        string[] roots = [.. new[] { "services", "workers", "web", "AppHost" }.Select(r => Path.Combine(repository, r)).Where(Directory.Exists)];

        string[] offenders = [.. roots.SelectMany(Sources)
            .Where(f => !f.StartsWith(Path.Combine(SourceDirectory, "Merkle"), StringComparison.Ordinal))
            .Where(f =>
            {
                string text = File.ReadAllText(f);
                return text.Contains("0x8000000080008081", StringComparison.OrdinalIgnoreCase)
                    || text.Contains("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", StringComparison.OrdinalIgnoreCase);
            })
            .Select(f => Path.GetRelativePath(repository, f))];

        Assert.Empty(offenders);
    }
}
