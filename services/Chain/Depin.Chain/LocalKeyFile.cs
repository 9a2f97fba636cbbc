using System.Text.Json;
using System.Text.Json.Serialization;

namespace Depin.Chain;

/// <summary>
/// A provider's secp256k1 key in a small JSON file ({"address": ..., "privateKey": "0x..."}) for the CLI: create once,
/// load, and sign wallet challenges with personal_sign. The file is created owner-read/write only on Unix.
/// It is an unencrypted hot key: fine for a worker box, not for treasury funds.
/// </summary>
public sealed class LocalKeyFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private LocalKeyFile(string path, EthKey key)
    {
        Path = path;
        Key = key;
    }

    public string Path { get; }

    public EthKey Key { get; }

    public Address Address => Key.Address;

    /// <summary>Generates a key and writes it to <paramref name="path"/>; refuses to overwrite an existing file.</summary>
    public static LocalKeyFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        EthKey key = EthKey.Generate();
        string json = JsonSerializer.Serialize(new KeyFileDocument(key.Address.ToString(), key.ToHex()), Json);
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

        return new LocalKeyFile(path, key);
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

        EthKey key = EthKey.FromHex(document.PrivateKey);
        if (!string.IsNullOrWhiteSpace(document.Address) && Address.Parse(document.Address) != key.Address)
        {
            throw new InvalidDataException($"{path} says address {document.Address} but its key is {key.Address}.");
        }

        return new LocalKeyFile(path, key);
    }

    /// <summary>Loads <paramref name="path"/>, creating it first when it does not exist.</summary>
    public static LocalKeyFile LoadOrCreate(string path) => File.Exists(path) ? Load(path) : Create(path);

    /// <summary>The personal_sign (EIP-191) signature of <paramref name="challengeMessage"/> as 0x-hex r ‖ s ‖ v, what /api/wallets/verify expects.</summary>
    public string SignChallenge(string challengeMessage)
    {
        ArgumentNullException.ThrowIfNull(challengeMessage);
        return PersonalSign.Sign(Key, challengeMessage).ToHex();
    }

    private sealed record KeyFileDocument(
        [property: JsonPropertyName("address")] string? Address,
        [property: JsonPropertyName("privateKey")] string? PrivateKey);
}
