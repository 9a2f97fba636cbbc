using System.Numerics;
using Depin.Chain.Messages;

namespace Depin.Chain;

/// <summary>A Deposited event: <paramref name="Amount"/> token base units from <paramref name="From"/> for ledger account <paramref name="LedgerAccount"/>.</summary>
public sealed record VaultDeposit(Address From, Address LedgerAccount, BigInteger Amount, LogEntry Log);

/// <summary>Typed calls to Vault.sol: deposits in, epoch emissions minted in, withdrawals out against batch roots.</summary>
public sealed class VaultContract(IChainClient client, Address address)
{
    /// <summary>Token base units per micro-credit: 18 decimals, 10⁶ micro-credits per credit, 1 credit per token.</summary>
    public static readonly BigInteger UnitsPerMicroCredit = BigInteger.Pow(10, 12);

    public Address Address { get; } = address;

    public static async Task<VaultContract> DeployAsync(IChainClient client, Address token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        TransactionReceipt receipt = await client.DeployAsync(new VaultDeployment { Token = token.ToString() }, cancellationToken).ConfigureAwait(false);
        return new VaultContract(client, receipt.ContractAddress!.Value);
    }

    public VaultContract As(IChainClient other) => new(other, Address);

    /// <summary>Deposits <paramref name="amount"/> base units (approved to the vault beforehand) for <paramref name="ledgerAccount"/>.</summary>
    public Task<TransactionReceipt> DepositAsync(BigInteger amount, Address ledgerAccount, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, new DepositFunction { Amount = amount, LedgerAccount = ledgerAccount.ToString() }, cancellationToken);

    public Task<TransactionReceipt> MintEmissionAsync(ulong epoch, BigInteger amount, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, new MintEmissionFunction { Epoch = epoch, Amount = amount }, cancellationToken);

    public Task<TransactionReceipt> SetWithdrawalRootAsync(ulong batch, Hash32 root, BigInteger total, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, new SetWithdrawalRootFunction { Batch = batch, Root = root.ToArray(), Total = total }, cancellationToken);

    public Task<TransactionReceipt> WithdrawAsync(ulong batch, Address account, BigInteger amount, IReadOnlyList<Hash32> proof, CancellationToken cancellationToken = default) =>
        client.SendAsync(Address, new VaultWithdrawFunction { Batch = batch, Account = account.ToString(), Amount = amount, Proof = [.. proof.Select(p => p.ToArray())] }, cancellationToken);

    public Task<BigInteger> EmittedAsync(ulong epoch, CancellationToken cancellationToken = default) =>
        client.QueryAsync<EmittedFunction, BigInteger>(Address, new EmittedFunction { Epoch = epoch }, cancellationToken);

    public async Task<Hash32> WithdrawalRootAsync(ulong batch, CancellationToken cancellationToken = default) =>
        new(await client.QueryAsync<WithdrawalRootFunction, byte[]>(Address, new WithdrawalRootFunction { Batch = batch }, cancellationToken).ConfigureAwait(false));

    /// <summary>The total published with batch <paramref name="batch"/>'s root, in base units.</summary>
    public Task<BigInteger> WithdrawalTotalAsync(ulong batch, CancellationToken cancellationToken = default) =>
        client.QueryAsync<WithdrawalTotalFunction, BigInteger>(Address, new WithdrawalTotalFunction { Batch = batch }, cancellationToken);

    /// <summary>The totals of every withdrawal batch published, in base units.</summary>
    public Task<BigInteger> PublishedTotalAsync(CancellationToken cancellationToken = default) =>
        client.QueryAsync<PublishedTotalFunction, BigInteger>(Address, new PublishedTotalFunction(), cancellationToken);

    public Task<bool> IsWithdrawnAsync(ulong batch, Address account, CancellationToken cancellationToken = default) =>
        client.QueryAsync<IsWithdrawnFunction, bool>(Address, new IsWithdrawnFunction { Batch = batch, Account = account.ToString() }, cancellationToken);

    public Task<BigInteger> DepositedTotalAsync(CancellationToken cancellationToken = default) =>
        client.QueryAsync<DepositedTotalFunction, BigInteger>(Address, new DepositedTotalFunction(), cancellationToken);

    public Task<BigInteger> WithdrawnTotalAsync(CancellationToken cancellationToken = default) =>
        client.QueryAsync<WithdrawnTotalFunction, BigInteger>(Address, new WithdrawnTotalFunction(), cancellationToken);

    /// <summary>Deposited events in blocks <paramref name="fromBlock"/>..<paramref name="toBlock"/>, in log order.</summary>
    public async Task<IReadOnlyList<VaultDeposit>> GetDepositsAsync(ulong fromBlock, ulong toBlock, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChainEvent<DepositedEvent>> events = await client.GetEventsAsync<DepositedEvent>(Address, fromBlock, toBlock, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => new VaultDeposit(Address.Parse(e.Event.From), Address.Parse(e.Event.LedgerAccount), e.Event.Amount, e.Log))];
    }
}
