using System.Security.Cryptography;
using System.Text;
using Depin.Contracts.Ledger;
using Depin.Ledger.Node;
using Depin.Ledger.Transactions;
using Depin.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;

namespace Depin.Ledger.Api;

/// <summary>
/// Who may use the ledger's REST API. The ledger has no signatures: it checks that each transition is legal, and trusts
/// the services holding a credential for the claims behind it. So writes need a service credential
/// (<see cref="LedgerOptions.GatewayApiKey"/> for every program, <see cref="LedgerOptions.Credentials"/> for a listed few);
/// an account is read by a credential, the admin key, or its owner (<see cref="ILedgerAccountOwners"/>); block headers are public.
/// </summary>
public sealed class LedgerAccess
{
    private const string Header = "X-Api-Key";

    private readonly (byte[] Hash, string Name, HashSet<ProgramKind>? Programs)[] _credentials;
    private readonly AdminKey _admin;
    private readonly ILedgerAccountOwners? _owners;

    public LedgerAccess(LedgerOptions options, AdminKey admin, ILedgerAccountOwners? owners = null)
    {
        _admin = admin;
        _owners = owners;
        var credentials = new List<(byte[], string, HashSet<ProgramKind>?)>
        {
            (Hash(string.IsNullOrEmpty(options.GatewayApiKey) ? Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) : options.GatewayApiKey), "gateway", null),
        };
        foreach (var (name, credential) in options.Credentials)
        {
            if (string.IsNullOrEmpty(credential.ApiKey))
            {
                throw new InvalidOperationException($"Ledger:Credentials:{name}:ApiKey is empty.");
            }

            var programs = new HashSet<ProgramKind>();
            foreach (var program in credential.Programs)
            {
                if (!Naming.TryParseProgram(program, out var kind))
                {
                    throw new InvalidOperationException($"Ledger:Credentials:{name}:Programs names an unknown program \"{program}\".");
                }

                programs.Add(kind);
            }

            credentials.Add((Hash(credential.ApiKey), name, programs));
        }

        _credentials = [.. credentials];
    }

    /// <summary>Whether the caller sent a service credential; its name and the programs it may submit (null: every program).</summary>
    public bool TryGetCredential(HttpContext context, out string name, out IReadOnlySet<ProgramKind>? programs)
    {
        var presented = context.Request.Headers[Header].FirstOrDefault();
        if (presented is { Length: > 0 and <= 256 })
        {
            var hash = Hash(presented);
            foreach (var (expected, credentialName, allowed) in _credentials)
            {
                if (CryptographicOperations.FixedTimeEquals(hash, expected))
                {
                    name = credentialName;
                    programs = allowed;
                    return true;
                }
            }
        }

        name = "";
        programs = null;
        return false;
    }

    /// <summary>Whether the caller is one of the platform's services (a credential) or an admin.</summary>
    public bool IsServiceOrAdmin(HttpContext context) => TryGetCredential(context, out _, out _) || _admin.IsAuthorized(context);

    /// <summary>Whether the caller may read <paramref name="address"/>: a credential, the admin key or the account's owner.</summary>
    public async ValueTask<bool> CanReadAsync(HttpContext context, string address, CancellationToken cancellationToken) =>
        IsServiceOrAdmin(context) ||
        (_owners is not null && context.User.Identity?.IsAuthenticated == true && await _owners.OwnsAsync(context.User, address, cancellationToken));

    /// <summary>Whether the caller may read a job record: a credential, the admin key, or the owner of its customer or provider account.</summary>
    public async ValueTask<bool> CanReadJobAsync(HttpContext context, Jobs.JobRecord job, CancellationToken cancellationToken) =>
        await CanReadAsync(context, job.Customer.ToString(), cancellationToken) ||
        (!job.Provider.IsZero && _owners is not null && context.User.Identity?.IsAuthenticated == true &&
            await _owners.OwnsAsync(context.User, job.Provider.ToString(), cancellationToken));

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
