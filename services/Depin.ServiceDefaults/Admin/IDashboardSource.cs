namespace Depin.ServiceDefaults.Admin;

/// <summary>A section of the admin dashboard: a name and a JSON-serialisable snapshot, polled every few seconds.</summary>
public interface IDashboardSource
{
    string Section { get; }

    Task<object> SnapshotAsync(CancellationToken cancellationToken);
}
