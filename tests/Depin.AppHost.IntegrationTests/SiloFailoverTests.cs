using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Depin.Contracts.Ledger;
using Depin.Contracts.Marketplace;
using Xunit.Abstractions;

namespace Depin.AppHost.IntegrationTests;

/// <summary>
/// A marketplace replica dies with SIGKILL while it hosts a running job's grain: the job finishes on the other silo and
/// the ledger settles it once. The killed replica is started again afterwards, so the shared platform has two silos.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SiloFailoverTests(PlatformFixture platform, ITestOutputHelper output)
{
    [Fact]
    public async Task The_silo_hosting_a_running_jobs_grain_is_killed_and_the_job_settles_once_on_the_other()
    {
        using var admin = platform.Gateway(PlatformFixture.AdminKey);
        await PlatformFixture.WaitForAsync(() => PlatformFixture.GetAsync<PlatformTests.SiloView[]>(admin, "/api/admin/cluster"), s => s.Length == 2, TimeSpan.FromSeconds(60));

        var customer = await platform.Api().RegisterCustomerAsync(new RegisterCustomerRequest("failover"));
        // Every attempt below costs up to its escrow (805 mega-units at 200,000 micro-credits).
        await platform.Api(PlatformFixture.AdminKey).AdminDepositAsync(new AdminDepositRequest(customer.CustomerId, 1_000_000_000));
        // Large enough that the worker is usually still computing when the silo dies (seconds on the CPU accelerator);
        // a job the worker finished before the kill is not the case under test, so another one is submitted.
        var parameters = JsonDocument.Parse("""{"width":1024,"height":768,"maxIterations":1024}""").RootElement;
        JobView job;
        JobPlacement placement;
        int pid;
        string replica;
        string statusAtKill;
        var attempts = 0;
        while (true)
        {
            attempts++;
            job = await platform.Api(customer.ApiKey).SubmitJobAsync(new SubmitJobRequest("mandelbrot", parameters, 200_000));
            await PlatformFixture.WaitForAsync(() => platform.Api(customer.ApiKey).GetJobAsync(job.JobId), j => j.Status is JobStatuses.Leased or JobStatuses.Settled, TimeSpan.FromSeconds(60));
            placement = await PlatformFixture.GetAsync<JobPlacement>(admin, $"/api/admin/cluster/jobs/{job.JobId}");
            Assert.NotNull(placement.Silo);
            var silos = await PlatformFixture.GetAsync<PlatformTests.SiloView[]>(admin, "/api/admin/cluster");
            var host = Assert.Single(silos, s => s.Address == placement.Silo);
            pid = int.Parse(host.Name[(host.Name.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            replica = await ReplicaOfAsync(pid);
            statusAtKill = (await platform.Api(customer.ApiKey).GetJobAsync(job.JobId)).Status;
            if (statusAtKill == JobStatuses.Leased || attempts == 5)
            {
                break;
            }

            output.WriteLine($"job {job.JobId} was {statusAtKill} before the kill; another one");
        }

        var clock = Stopwatch.StartNew();
        ResourceProcesses.Kill(pid);
        try
        {
            output.WriteLine($"SIGKILL of {replica} (pid {pid}, silo {placement.Silo}) with the job {statusAtKill}");
            Assert.Equal(JobStatuses.Leased, statusAtKill);

            var settled = await PlatformFixture.WaitForAsync(
                async () =>
                {
                    try
                    {
                        return await platform.Api(customer.ApiKey).GetJobAsync(job.JobId);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or Refit.ApiException or TaskCanceledException)
                    {
                        return null;
                    }
                },
                j => j?.Status is JobStatuses.Settled or JobStatuses.Refunded,
                TimeSpan.FromSeconds(180));
            output.WriteLine($"{settled!.Status} {clock.Elapsed.TotalSeconds:F1} s after the kill");
            Assert.Equal(JobStatuses.Settled, settled.Status);

            using var ledger = platform.Ledger();
            var history = (await ledger.GetFromJsonAsync<JobHistoryDto>($"/api/ledger/jobs/{job.JobId}/history"))!;
            Assert.Single(history.Events, e => e.Program == "job-settle" && e.Succeeded);
            Assert.Equal("settled", history.Record!.Status);
            Assert.Equal(0, history.Record.Escrow);
            var now = await PlatformFixture.GetAsync<JobPlacement>(admin, $"/api/admin/cluster/jobs/{job.JobId}");
            Assert.NotEqual(placement.Silo, now.Silo);
        }
        finally
        {
            // The cluster gets its second silo back whatever happened, for the tests that follow.
            await platform.App.ResourceCommands.ExecuteCommandAsync(replica, KnownResourceCommands.StartCommand);
            await PlatformFixture.WaitForAsync(() => PlatformFixture.GetAsync<PlatformTests.SiloView[]>(admin, "/api/admin/cluster"), s => s.Length == 2, TimeSpan.FromSeconds(120));
        }
    }

    /// <summary>The marketplace replica (its resource id) whose process is <paramref name="pid"/> or that process's parent (dotnet run).</summary>
    private async Task<string> ReplicaOfAsync(int pid)
    {
        var parent = ResourceProcesses.ParentOf(pid);
        return (await platform.App.PidsAsync("marketplace")).Single(r => r.Value == pid || r.Value == parent).Key;
    }

    private sealed record JobPlacement(string JobId, string? Silo);
}
