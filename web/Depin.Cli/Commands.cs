using System.CommandLine;
using Depin.Contracts.Marketplace;
using Depin.Contracts.Rewards;
using Depin.Chain;
using Depin.Rewards.Wallets;
using Refit;
using Spectre.Console;

namespace Depin.Cli;

/// <summary>The command tree: customer/provider registration, funding, jobs and balances.</summary>
internal static class Commands
{
    private static readonly string[] Terminal = [JobStatuses.Settled, JobStatuses.Refunded, JobStatuses.Rejected, JobStatuses.Failed];

    public static RootCommand Build()
    {
        var url = new Option<string?>("--url") { Description = $"Marketplace URL (default: the profile's, else {Profile.DefaultUrl})", Recursive = true };
        var key = new Option<string?>("--api-key") { Description = "API key (default: DEPIN_API_KEY, else the profile's)", Recursive = true };
        var root = new RootCommand("depin: the Depin Platform command line") { url, key };

        var name = new Argument<string>("name") { Description = "Display name" };
        var customerRegister = new Command("register", "Register as a customer and remember the API key") { name };
        customerRegister.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var registration = await api.RegisterCustomerAsync(new RegisterCustomerRequest(parse.GetValue(name)!), ct);
            Save(parse, url, registration.ApiKey, "customer", registration.CustomerId);
            AnsiConsole.MarkupLine($"Customer [green]{registration.CustomerId}[/], ledger address {registration.LedgerAddress}; API key saved to {Profile.PathOnDisk}");
        }, needsKey: false));
        root.Add(new Command("customer", "Customer account") { customerRegister });

        var keyFile = WithdrawCommands.KeyFile("Payout wallet key file (created when missing); the CLI signs the server's challenge with it (EIP-191)");
        var providerName = new Argument<string>("name") { Description = "Display name" };
        var providerRegister = new Command("register", "Prove your payout wallet and register as a GPU provider; remembers the API key") { providerName, keyFile };
        providerRegister.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var wallet = LocalKeyFile.LoadOrCreate(parse.GetValue(keyFile)!);
            var challenge = await Client.Wallets(parse.GetValue(url) ?? Profile.Load().Url).IssueChallengeAsync(new WalletChallengeRequest(wallet.Address.ToString()), ct);
            var registration = await api.RegisterProviderAsync(
                new RegisterProviderRequest(parse.GetValue(providerName)!, wallet.Address.ToString(), wallet.SignChallenge(challenge.Message)), ct);
            Save(parse, url, registration.ApiKey, "provider", registration.ProviderId);
            AnsiConsole.MarkupLine($"Provider [green]{registration.ProviderId}[/] paid to {registration.PayoutAddress}; API key saved to {Profile.PathOnDisk}");
        }, needsKey: false));
        root.Add(new Command("provider", "Provider account") { providerRegister });

        var amount = new Argument<long>("amount") { Description = "Micro-credits" };
        var fund = new Command("fund", "Credit your customer account (development faucet)") { amount };
        fund.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var balance = await api.FundAsync(new FundRequest(parse.GetValue(amount)), ct);
            AnsiConsole.MarkupLine($"Balance of {balance.Address}: [green]{balance.Balance:N0}[/] micro-credits");
        }));
        root.Add(fund);
        root.Add(DepositCommand.Build(url, key));
        var stakeAmount = new Argument<long>("amount") { Description = "Micro-credits" };
        var stake = new Command("stake", "Providers: bond part of your balance; your workers receive leases while it covers the stake per worker") { stakeAmount };
        stake.SetAction((parse, ct) => Run(parse, url, key, async api => PrintStake(await api.StakeAsync(new StakeRequest(parse.GetValue(stakeAmount)), ct))));
        root.Add(stake);
        var unstakeAmount = new Argument<long>("amount") { Description = "Micro-credits" };
        var complete = new Command("complete", "Providers: return matured unbonding stake to your balance");
        complete.SetAction((parse, ct) => Run(parse, url, key, async api => PrintStake(await api.CompleteUnstakeAsync(ct))));
        var unstake = new Command("unstake", "Providers: start unbonding stake (slashable until released after the unbonding delay)") { unstakeAmount, complete };
        unstake.SetAction((parse, ct) => Run(parse, url, key, async api => PrintStake(await api.UnstakeAsync(new StakeRequest(parse.GetValue(unstakeAmount)), ct))));
        root.Add(unstake);
        foreach (var command in WithdrawCommands.Build(url, key))
        {
            root.Add(command);
        }

        var interval = new Option<double>("--interval") { Description = "Seconds between sample jobs", DefaultValueFactory = _ => 3 };
        var demo = new Command("demo", "Sample traffic: a demo customer submits a small job of every kind at an interval (development platforms)") { interval };
        demo.SetAction((parse, ct) => Demo.RunAsync(parse.GetValue(url) ?? Profile.Load().Url, TimeSpan.FromSeconds(parse.GetValue(interval)), ct));
        root.Add(demo);

        var balanceCommand = new Command("balance", "Your balance (customer) or earnings and workers (provider)");
        balanceCommand.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            if (Profile.Load().Role == "provider")
            {
                var provider = await api.GetProviderAsync(ct);
                AnsiConsole.MarkupLine($"Provider {provider.ProviderId}: earnings [green]{provider.Earnings:N0}[/] micro-credits, {provider.JobsPaid} jobs paid; staked {provider.Staked:N0} (workers need {provider.RequiredStake:N0})");
                var table = new Table().AddColumns("worker", "status", "ask / 1M units", "completed", "failed verifications");
                foreach (var worker in provider.Workers)
                {
                    table.AddRow(worker.WorkerId, worker.Status, worker.AskPricePerMegaUnit.ToString("N0"), worker.CompletedJobs.ToString(), worker.FailedVerifications.ToString());
                }

                AnsiConsole.Write(table);
            }
            else
            {
                var customer = await api.GetCustomerAsync(ct);
                AnsiConsole.MarkupLine($"Customer {customer.CustomerId} ({customer.LedgerAddress}): [green]{customer.Balance:N0}[/] micro-credits, {customer.Jobs} jobs");
            }
        }));
        root.Add(balanceCommand);

        root.Add(JobCommands(url, key));

        var list = new Command("jobs", "List your jobs");
        list.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var jobs = await api.ListJobsAsync(ct);
            var table = new Table().AddColumns("job", "kind", "status", "work units", "escrow", "price", "created");
            foreach (var job in jobs.Jobs)
            {
                table.AddRow(job.JobId, job.Kind, job.Status, job.WorkUnits.ToString("N0"), job.Escrow.ToString("N0"), job.Price?.ToString("N0") ?? "-", job.CreatedAt.ToString("u"));
            }

            AnsiConsole.Write(table);
        }));
        root.Add(list);
        return root;
    }

    private static Command JobCommands(Option<string?> url, Option<string?> key)
    {
        var kind = new Argument<string>("kind") { Description = "matmul, mandelbrot, montecarlo or pow" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A kernel parameter as name=value (repeat)", AllowMultipleArgumentsPerToken = true };
        var maxPrice = new Option<long>("--max-price") { Description = "Most you pay, micro-credits per 1,000,000 work units", Required = true };
        var deadline = new Option<int?>("--deadline-minutes") { Description = "Give up (and refund) after this many minutes" };
        var idempotency = new Option<string?>("--idempotency-key") { Description = "Re-submitting with the same key returns the same job" };
        var watchAfter = new Option<bool>("--watch") { Description = "Follow the job until it settles" };
        var submit = new Command("submit", "Submit a compute job") { kind, parameters, maxPrice, deadline, idempotency, watchAfter };
        submit.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var minutes = parse.GetValue(deadline);
            var job = await api.SubmitJobAsync(new SubmitJobRequest(
                parse.GetValue(kind)!,
                JobParameters.Parse(parse.GetValue(parameters) ?? []),
                parse.GetValue(maxPrice),
                minutes is null ? null : DateTimeOffset.UtcNow.AddMinutes(minutes.Value),
                parse.GetValue(idempotency) ?? Guid.NewGuid().ToString()), ct);
            AnsiConsole.MarkupLine($"Job [green]{job.JobId}[/]: {job.Status}, {job.WorkUnits:N0} work units, escrow {job.Escrow:N0} micro-credits");
            if (parse.GetValue(watchAfter))
            {
                await Watch(api, job.JobId, ct);
            }
        }));

        var jobId = new Argument<string>("job") { Description = "Job id" };
        var watch = new Command("watch", "Follow a job's progress until it settles or is refunded") { jobId };
        watch.SetAction((parse, ct) => Run(parse, url, key, api => Watch(api, parse.GetValue(jobId)!, ct)));

        var output = new Option<string?>("--out", "-o") { Description = "File to write (default: <job>.bin, or .png for mandelbrot)" };
        var resultId = new Argument<string>("job") { Description = "Job id" };
        var result = new Command("result", "Download a job's result") { resultId, output };
        result.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var id = parse.GetValue(resultId)!;
            using var response = await api.GetResultAsync(id, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            var path = parse.GetValue(output) ?? (response.Content.Headers.ContentType?.MediaType == "image/png" ? $"{id}.png" : $"{id}.bin");
            await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync(ct), ct);
            AnsiConsole.MarkupLine($"Wrote [green]{path}[/] ({new FileInfo(path).Length:N0} bytes)");
        }));

        var cancelId = new Argument<string>("job") { Description = "Job id" };
        var cancel = new Command("cancel", "Cancel a job that has not completed; its escrow is refunded") { cancelId };
        cancel.SetAction((parse, ct) => Run(parse, url, key, async api =>
        {
            var job = await api.CancelJobAsync(parse.GetValue(cancelId)!, ct);
            AnsiConsole.MarkupLine($"Job {job.JobId}: [yellow]{job.Status}[/]");
        }));

        return new Command("job", "Compute jobs") { submit, watch, result, cancel };
    }

    private static async Task Watch(IMarketplaceApi api, string jobId, CancellationToken ct)
    {
        var stages = new[] { JobStatuses.Funded, JobStatuses.Queued, JobStatuses.Leased, JobStatuses.Completed, JobStatuses.Verified, JobStatuses.Settled };
        JobView job = await api.GetJobAsync(jobId, ct);
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn()).StartAsync(async progress =>
        {
            var task = progress.AddTask(job.Status, maxValue: stages.Length);
            while (!ct.IsCancellationRequested)
            {
                job = await api.GetJobAsync(jobId, ct);
                var reached = job.History.Count(h => stages.Contains(h.Status));
                task.Value = Math.Min(reached, stages.Length);
                task.Description = job.Waiting is { } why ? $"{job.JobId[..8]} {job.Status}: {Markup.Escape(why)}" : $"{job.JobId[..8]} {job.Status}";
                if (Terminal.Contains(job.Status))
                {
                    task.Value = stages.Length;
                    break;
                }

                await Task.Delay(250, ct);
            }
        });

        var table = new Table().AddColumns("status", "at", "detail");
        foreach (var step in job.History)
        {
            table.AddRow(step.Status, step.At.ToString("HH:mm:ss.fff"), Markup.Escape(step.Detail ?? ""));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"Price {job.Price?.ToString("N0") ?? "-"}, fee {job.Fee?.ToString("N0") ?? "-"} micro-credits; result digest {job.ResultDigest ?? "-"}");
    }

    private static void PrintStake(ProviderView provider) =>
        AnsiConsole.MarkupLine($"Provider {provider.ProviderId}: balance {provider.Earnings:N0}, staked [green]{provider.Staked:N0}[/], unbonding {provider.Unbonding:N0}; workers need {provider.RequiredStake:N0} bonded");

    private static void Save(System.CommandLine.ParseResult parse, Option<string?> url, string apiKey, string role, string id) =>
        new Profile(parse.GetValue(url) ?? Profile.Load().Url, apiKey, role, id).Save();

    internal static async Task<int> Run(System.CommandLine.ParseResult parse, Option<string?> url, Option<string?> key, Func<IMarketplaceApi, Task> action, bool needsKey = true)
    {
        var profile = Profile.Load();
        var apiKey = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("DEPIN_API_KEY") ?? profile.ApiKey;
        if (needsKey && string.IsNullOrEmpty(apiKey))
        {
            AnsiConsole.MarkupLine("[red]No API key:[/] register first (depin customer register NAME) or pass --api-key.");
            return 2;
        }

        try
        {
            await action(Client.For(parse.GetValue(url) ?? profile.Url, apiKey));
            return 0;
        }
        catch (ApiException error)
        {
            AnsiConsole.MarkupLine($"[red]Refused[/] {Markup.Escape(Client.Describe(error))}");
            return 1;
        }
        catch (TransactionRefusedException error) when (error.InsufficientFunds)
        {
            AnsiConsole.MarkupLine($"[red]Failed:[/] the wallet cannot pay the transaction's gas ({Markup.Escape(error.NodeMessage)}). Send it some ETH; on a local development chain, --test-tokens (deposit) or --test-gas (claim) gets it from the platform's faucet.");
            return 1;
        }
        catch (Exception error) when (error is HttpRequestException or FormatException or InvalidOperationException or ContractRevertedException or TransactionFailedException or TransactionRefusedException)
        {
            AnsiConsole.MarkupLine($"[red]Failed:[/] {Markup.Escape(error.Message)}");
            return 1;
        }
    }
}
