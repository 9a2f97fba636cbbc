using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Depin.Contracts.Marketplace;
using Depin.Kernels;
using Microsoft.Extensions.Logging;
using Refit;

namespace Depin.Worker;

/// <summary>
/// The worker agent loop: discovers devices (CUDA when present, else the CPU accelerator), measures them, registers one
/// worker, and runs one lane per device: long-poll a lease → run the kernel → upload the result and its SHA-256, with
/// heartbeats that keep the worker online and its leases extended. Calls are retried with backoff. Stopping (the token
/// of <see cref="RunAsync"/>) gives back the leases it cannot finish; <see cref="Kill"/> stops dead, like a crash.
/// </summary>
public sealed partial class WorkerAgent(IMarketplaceApi api, WorkerAgentOptions options, ILogger<WorkerAgent> logger)
{
    private readonly ConcurrentDictionary<string, LeaseView> _active = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly TaskCompletionSource<string> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completed;
    private int _rejected;

    /// <summary>The worker id, once registered.</summary>
    public Task<string> Registered => _registered.Task;

    /// <summary>Results accepted by the marketplace.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Results the marketplace rejected (failed verification) or refused (stale lease).</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Jobs being run now.</summary>
    public IReadOnlyCollection<string> ActiveJobs => [.. _active.Keys];

    /// <summary>Stops every loop at once without releasing leases or sending anything more: a simulated crash.</summary>
    public void Kill() => _kill.Cancel();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _kill.Token);
        using var devices = ComputeDevices.Discover();
        var chosen = options.CpuOnly || devices.Devices.All(d => d.Kind == DeviceKind.Cpu)
            ? devices.Devices.Where(d => d.Kind == DeviceKind.Cpu).Take(1).ToList()
            : devices.Devices.Where(d => d.Kind == DeviceKind.Cuda).ToList();
        var lanes = chosen.Select(devices.Open).ToList();
        try
        {
            var infos = lanes.Select(l => new DeviceInfo(l.Name, l.MemoryBytes, l.ComputeUnits, options.BenchmarkScore ?? l.MeasureGflops())).ToList();
            var request = new RegisterWorkerRequest(options.Name, infos, options.AskPricePerMegaUnit, options.Kinds.Count > 0 ? options.Kinds : null);
            var worker = await RetryAsync(ct => api.RegisterWorkerAsync(request, ct), stop.Token);
            LogRegistered(worker.WorkerId, string.Join(", ", infos.Select(i => $"{i.Name} ({i.BenchmarkScore} GFLOP/s)")));
            _registered.TrySetResult(worker.WorkerId);

            var heartbeat = HeartbeatLoopAsync(worker.WorkerId, stop.Token);
            var running = lanes.Select((lane, index) => Task.Run(() => LaneLoopAsync(worker.WorkerId, index, lane, stop.Token), CancellationToken.None)).ToList();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            if (!_kill.IsCancellationRequested)
            {
                await ReleaseAllAsync(worker.WorkerId);
            }

            await Task.WhenAll(running.Append(heartbeat));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _registered.TrySetCanceled(stop.Token);
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane.Dispose();
            }
        }
    }

    private async Task LaneLoopAsync(string workerId, int index, ComputeDevice lane, CancellationToken stop)
    {
        var kernels = KernelRegistry.CreateDefault();
        while (!stop.IsCancellationRequested)
        {
            IReadOnlyList<LeaseView> leases;
            try
            {
                leases = await LeaseAsync(workerId, index, stop);
                if (leases.Count == 0)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
            {
                // The marketplace will not lease to this worker now (for example, its provider's stake is too low): say why and ask again later.
                LogLeaseRefused((int)ex.StatusCode, ex.Content);
                await Task.Delay(options.MaxRetryDelay, stop).ConfigureAwait(false);
                continue;
            }

            // All held at once (the heartbeat extends each) and run one after another on this lane; a finished result
            // waits up to ResultHoldTime for the next ones, so short jobs go up several to a request.
            foreach (var lease in leases)
            {
                _active[lease.JobId] = lease;
            }

            var finished = new List<(LeaseView Lease, JobResultUpload Upload)>(leases.Count);
            var firstFinishedAt = 0L;
            try
            {
                for (var next = 0; next < leases.Count; next++)
                {
                    // Results held from earlier runs go up while this one runs once they have waited ResultHoldTime.
                    var run = RunLeaseAsync(workerId, lane, kernels, leases[next], stop);
                    if (finished.Count > 0)
                    {
                        var left = options.ResultHoldTime - Stopwatch.GetElapsedTime(firstFinishedAt);
                        if (left <= TimeSpan.Zero || await Task.WhenAny(run, Task.Delay(left, stop)) != run)
                        {
                            await UploadAsync(workerId, finished, stop);
                            finished.Clear();
                        }
                    }

                    if (await run is { } upload)
                    {
                        firstFinishedAt = finished.Count == 0 ? Stopwatch.GetTimestamp() : firstFinishedAt;
                        finished.Add((leases[next], upload));
                    }

                    if (finished.Count > 0 && next == leases.Count - 1)
                    {
                        await UploadAsync(workerId, finished, stop);
                        finished.Clear();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                if (!_kill.IsCancellationRequested)
                {
                    foreach (var held in leases)
                    {
                        await TryReleaseAsync(workerId, held.JobId);
                    }
                }

                return;
            }
        }
    }

    /// <summary>One lease request: up to <see cref="WorkerAgentOptions.JobsPerLease"/> jobs, none when no work arrived in time.</summary>
    private async Task<IReadOnlyList<LeaseView>> LeaseAsync(string workerId, int index, CancellationToken stop)
    {
        if (options.JobsPerLease <= 1)
        {
            var one = await RetryAsync(ct => api.LeaseAsync(workerId, new LeaseRequest(index, options.LeaseWaitSeconds), ct), stop);
            return Leases(one, one.Content is { } lease ? [lease] : []);
        }

        var many = await RetryAsync(ct => api.LeaseManyAsync(workerId, new LeaseRequest(index, options.LeaseWaitSeconds, options.JobsPerLease), ct), stop);
        return Leases(many, many.Content?.Leases ?? []);

        static IReadOnlyList<LeaseView> Leases(IApiResponse response, IReadOnlyList<LeaseView> leases)
        {
            if (response.StatusCode != HttpStatusCode.NoContent && !response.IsSuccessStatusCode && response.Error is not null)
            {
                throw response.Error;
            }

            return response.StatusCode == HttpStatusCode.NoContent ? [] : leases;
        }
    }

    /// <summary>Runs one leased job: its upload, or null when the run failed and the lease was given back.</summary>
    private async Task<JobResultUpload?> RunLeaseAsync(string workerId, ComputeDevice lane, KernelRegistry kernels, LeaseView lease, CancellationToken stop)
    {
        if (options.BeforeRun is { } hook)
        {
            await hook(lease, stop);
        }

        byte[] result;
        try
        {
            var kernel = kernels.Get(lease.Kind);
            var input = lease.InputBase64 is null ? [] : Convert.FromBase64String(lease.InputBase64);
            result = await Task.Run(() => kernel.Run(lane, lease.Parameters, input), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRunFailed(lease.JobId, ex);
            try
            {
                await RetryAsync(ct => api.ReleaseLeaseAsync(workerId, lease.JobId, new ReleaseLeaseRequest(lease.FencingToken, "run failed: " + ex.GetType().Name), ct), stop);
            }
            catch (ApiException refused)
            {
                LogUploadRefused(lease.JobId, (int)refused.StatusCode, refused.Content);
            }
            finally
            {
                _active.TryRemove(lease.JobId, out _);
            }

            return null;
        }

        // Stopped while running: the lease was given back (or, after Kill, is left to expire).
        stop.ThrowIfCancellationRequested();
        if (options.ResultFilter is { } filter)
        {
            result = filter(lease, result);
        }

        return new JobResultUpload(lease.JobId, lease.FencingToken, Convert.ToBase64String(result), ResultDigest.Sha256Hex(result), lease.TraceParent);
    }

    /// <summary>
    /// Uploads finished results: one alone continues its job's trace (the lease's traceparent) through the single-result
    /// endpoint; several go in one request, each carrying its job's traceparent.
    /// </summary>
    private async Task UploadAsync(string workerId, List<(LeaseView Lease, JobResultUpload Upload)> finished, CancellationToken stop)
    {
        try
        {
            if (finished.Count == 1)
            {
                var (lease, upload) = finished[0];
                using var trace = lease.TraceParent is { } parent
                    ? new Activity("worker.run-job").SetParentId(parent).SetTag("job.id", lease.JobId).Start()
                    : null;
                var verdict = await RetryAsync(ct => api.SubmitResultAsync(workerId, lease.JobId, new SubmitResultRequest(upload.FencingToken, upload.ResultBase64, upload.Digest), ct), stop);
                Count(lease, verdict);
                return;
            }

            var batch = await RetryAsync(ct => api.SubmitResultsAsync(workerId, new SubmitResultsRequest([.. finished.Select(f => f.Upload)]), ct), stop);
            for (var i = 0; i < finished.Count; i++)
            {
                var outcome = batch.Results[i];
                if (outcome.Verdict is { } verdict)
                {
                    Count(finished[i].Lease, verdict);
                }
                else
                {
                    LogUploadRefused(outcome.JobId, outcome.Code, outcome.Problem);
                    Interlocked.Increment(ref _rejected);
                }
            }
        }
        catch (ApiException ex)
        {
            foreach (var (lease, _) in finished)
            {
                LogUploadRefused(lease.JobId, (int)ex.StatusCode, ex.Content);
                Interlocked.Increment(ref _rejected);
            }
        }
        finally
        {
            foreach (var (lease, _) in finished)
            {
                _active.TryRemove(lease.JobId, out _);
            }
        }
    }

    private void Count(LeaseView lease, ResultVerdict verdict)
    {
        if (verdict.Accepted)
        {
            Interlocked.Increment(ref _completed);
            LogAccepted(lease.JobId, lease.Price);
        }
        else
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(lease.JobId, verdict.Reason);
        }
    }

    private async Task HeartbeatLoopAsync(string workerId, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, stop);
                var leases = _active.Values.Select(l => new LeaseRef(l.JobId, l.FencingToken)).ToList();
                var response = await api.HeartbeatAsync(workerId, new HeartbeatRequest(leases), stop);
                foreach (var lost in response.Leases.Where(l => !l.Extended))
                {
                    LogLeaseLost(lost.JobId);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or ApiException or ApiRequestException or TaskCanceledException)
            {
                LogHeartbeatFailed(ex.Message);
            }
        }
    }

    private async Task ReleaseAllAsync(string workerId)
    {
        foreach (var jobId in _active.Keys)
        {
            await TryReleaseAsync(workerId, jobId);
        }
    }

    /// <summary>Gives a lease back once: whoever takes it out of the active set (shutdown or its lane) releases it.</summary>
    private async Task TryReleaseAsync(string workerId, string jobId)
    {
        if (!_active.TryRemove(jobId, out var lease))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await api.ReleaseLeaseAsync(workerId, lease.JobId, new ReleaseLeaseRequest(lease.FencingToken, "worker shutting down"), timeout.Token);
            LogReleased(lease.JobId);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or ApiRequestException or OperationCanceledException)
        {
            LogHeartbeatFailed(ex.Message);
        }
    }

    /// <summary>Retries transport failures, 429 and 5xx with doubling delays; other HTTP errors are the caller's.</summary>
    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var delay = options.InitialRetryDelay;
        while (true)
        {
            try
            {
                var result = await call(cancellationToken);
                if (result is IApiResponse { IsSuccessStatusCode: false, StatusCode: { } status } && TransientFailure.Is(status))
                {
                    throw new HttpRequestException("transient status " + (int)status, null, status);
                }

                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && TransientFailure.Is(ex))
            {
                LogRetrying(ex.Message, delay.TotalMilliseconds);
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxRetryDelay.Ticks));
        }
    }

    private async Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await RetryAsync(async ct =>
        {
            await call(ct);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No lease for this worker ({Status}): {Problem}")]
    private partial void LogLeaseRefused(int status, string? problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered worker {WorkerId} with {Devices}")]
    private partial void LogRegistered(string workerId, string devices);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} accepted; price {Price}")]
    private partial void LogAccepted(string jobId, long price);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} result rejected: {Reason}")]
    private partial void LogRejected(string jobId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} result refused with {Status}: {Body}")]
    private partial void LogUploadRefused(string jobId, int status, string? body);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed to run; releasing its lease")]
    private partial void LogRunFailed(string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of job {JobId} was not extended (lost)")]
    private partial void LogLeaseLost(string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released lease of job {JobId}")]
    private partial void LogReleased(string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat or release failed: {Message}")]
    private partial void LogHeartbeatFailed(string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call failed ({Message}); retrying in {DelayMs} ms")]
    private partial void LogRetrying(string message, double delayMs);
}
