using System.Text.Json;
using System.Text.Json.Serialization;
using Nethereum.Signer;

namespace Depin.Chain;

/// <summary>
/// A provider's secp256k1 key in a small JSON file ({"address": ..., "privateKey": "0x..."}) for the CLI: create once,
/// load, and sign wallet challenges with personal_sign. The file is created owner-read/write only on Unix.
/// It is an unencrypted hot key: fine for a worker box, not for treasury funds.
/// </summary>
public sealed class LocalKeyFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private LocalKeyFile(string path, EthECKey key)
    {
        Path = path;
        Key = key;
        Address = Address.Parse(key.GetPublicAddress());
    }

    public string Path { get; }

    public EthECKey Key { get; }

    public Address Address { get; }

    /// <summary>The private key as 0x-prefixed hex. Handle with care.</summary>
    public string PrivateKeyHex => Key.GetPrivateKey();

    /// <summary>Generates a key and writes it to <paramref name="path"/>; refuses to overwrite an existing file.</summary>
    public static LocalKeyFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        NethereumDefaults.Apply();
        EthECKey key = EthECKey.GenerateKey();
        var file = new LocalKeyFile(path, key);
        string json = JsonSerializer.Serialize(new KeyFileDocument(file.Address.ToString(), file.PrivateKeyHex), Json);
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, streamOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
        }

        return file;
    }

    /// <summary>Loads a key file; the stored address (if any) must match the key.</summary>
    public static LocalKeyFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        KeyFileDocument document = JsonSerializer.Deserialize<KeyFileDocument>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is not a key file.");
        if (string.IsNullOrWhiteSpace(document.PrivateKey))
        {
            throw new InvalidDataException($"{path} has no privateKey.");
        }

        if (!Hex.TryDecode(document.PrivateKey, out byte[]? secret) || secret.Length != 32)
        {
            throw new InvalidDataException($"{path}: privateKey is not 32 bytes of hex.");
        }

        NethereumDefaults.Apply();
        var file = new LocalKeyFile(path, new EthECKey(secret, true));
        if (!string.IsNullOrWhiteSpace(document.Address) && Address.Parse(document.Address) != file.Address)
        {
            throw new InvalidDataException($"{path} says address {document.Address} but its key is {file.Address}.");
        }

        return file;
    }

    /// <summary>Loads <paramref name="path"/>, creating it first when it does not exist.</summary>
    public static LocalKeyFile LoadOrCreate(string path) => File.Exists(path) ? Load(path) : Create(path);

    /// <summary>The personal_sign (EIP-191) signature of <paramref name="challengeMessage"/> as 0x-hex r ‖ s ‖ v, what /api/wallets/verify expects.</summary>
    public string SignChallenge(string challengeMessage)
    {
        ArgumentNullException.ThrowIfNull(challengeMessage);
        return WalletSignature.Sign(Key, challengeMessage);
    }

    private sealed record KeyFileDocument(
        [property: JsonPropertyName("address")] string? Address,
        [property: JsonPropertyName("privateKey")] string? PrivateKey);
}
