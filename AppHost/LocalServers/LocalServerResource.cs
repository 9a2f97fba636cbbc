namespace Depin.AppHost.LocalServers;

/// <summary>A server the AppHost runs from this machine's binaries (no container engine needed), reached by a connection string.</summary>
public sealed class LocalServerResource(string name, string command, string workingDirectory, Func<LocalServerResource, ReferenceExpression> connectionString)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    /// <summary>The port it listens on, on loopback.</summary>
    public EndpointReference Endpoint => new(this, "tcp");

    public ReferenceExpression ConnectionStringExpression => connectionString(this);
}
