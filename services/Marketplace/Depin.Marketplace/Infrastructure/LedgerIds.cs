using System.Security.Cryptography;
using System.Text;

namespace Depin.Marketplace.Infrastructure;

/// <summary>Deterministic ledger ids and addresses, so that a retried operation never pays or locks twice.</summary>
public static class LedgerIds
{
    /// <summary>Escrow-lock transaction of a job.</summary>
    public static string Escrow(Guid jobId) => Derive("escrow:" + jobId.ToString("D"));

    /// <summary>Escrow-release (settlement) transaction of a job.</summary>
    public static string Settle(Guid jobId) => Derive("settle:" + jobId.ToString("D"));

    /// <summary>Escrow-refund transaction of a job.</summary>
    public static string Refund(Guid jobId) => Derive("refund:" + jobId.ToString("D"));

    /// <summary>Slash of the provider behind a job attempt (its fencing token) whose result failed verification: one per attempt.</summary>
    public static string Slash(Guid jobId, long fencingToken) => Derive("slash:" + jobId.ToString("D") + ":" + fencingToken.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The treasury's transfer that funds a canary job's escrow: one per canary.</summary>
    public static string CanaryFunding(Guid jobId) => Derive("canary-fund:" + jobId.ToString("D"));

    /// <summary>A customer's ledger address: 0x + the first 20 bytes of SHA-256("customer:" + id).</summary>
    public static string CustomerAddress(string customerId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("customer:" + customerId));
        return "0x" + Convert.ToHexStringLower(hash.AsSpan(0, 20));
    }

    /// <summary>The job id of a customer's idempotency key: a UUID from SHA-256("job:" + customer + ":" + key).</summary>
    public static Guid JobId(string customerId, string idempotencyKey) =>
        Guid.Parse(Derive("job:" + customerId + ":" + idempotencyKey));

    /// <summary>The withdraw transaction of a caller's idempotency key: a UUID from SHA-256("withdraw:" + principal + ":" + key).</summary>
    public static string Withdrawal(string principalId, string idempotencyKey) => Derive("withdraw:" + principalId + ":" + idempotencyKey);

    /// <summary>True for "0x" followed by 40 hex digits.</summary>
    public static bool IsAddress(string? value) =>
        value is { Length: 42 } && value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
        value.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") == false;

    /// <summary>A UUID (version 8 bits set) from the first 16 bytes of SHA-256(<paramref name="seed"/>).</summary>
    public static string Derive(string seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
