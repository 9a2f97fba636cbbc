using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Depin.AppHost.IntegrationTests;

/// <summary>
/// infra/k8s describes the same topology as the AppHost: its cross-references hold (Dapr app ids and ports, service
/// selectors, images, secrets, service URLs, subscription routes) against each other and against the projects.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Manifests = Path.Combine(Root, "infra", "k8s");
    private static readonly string[] Workloads = ["Deployment", "StatefulSet", "DaemonSet"];

    [Fact]
    public void Kustomize_lists_every_manifest_and_each_one_exists()
    {
        var listed = Sequence(Load("kustomization.yaml")[0], "resources").Select(n => n.ToString()).ToHashSet();
        var files = Directory.GetFiles(Manifests, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").ToHashSet();
        Assert.Equal(files.Order(), listed.Order()!);
    }

    [Fact]
    public void The_topology_is_the_AppHosts_ledger_stateful_with_a_volume_marketplace_replicated_workers_on_gpus()
    {
        var ledger = Workload("ledger");
        Assert.Equal("StatefulSet", Scalar(ledger, "kind"));
        Assert.Equal("1", Scalar(Map(ledger, "spec"), "replicas"));
        var claim = Scalar(Map((YamlMappingNode)Sequence(Map(ledger, "spec"), "volumeClaimTemplates")[0], "metadata"), "name");
        Assert.Contains(Containers(ledger).SelectMany(c => Sequence(c, "volumeMounts")), m => Scalar((YamlMappingNode)m, "name") == claim);

        Assert.Equal("Deployment", Scalar(Workload("marketplace"), "kind"));
        Assert.True(int.Parse(Scalar(Map(Workload("marketplace"), "spec"), "replicas")) >= 2);
        Assert.Contains(Env(Workload("marketplace")), e => e.Name == "Marketplace__SiloAddress" && e.Node.ToString().Contains("status.podIP"));

        var workers = Workload("workers");
        Assert.Equal("DaemonSet", Scalar(workers, "kind"));
        Assert.All(Containers(workers), c => Assert.Equal("1", Scalar(Map(Map(c, "resources"), "limits"), "nvidia.com/gpu")));
    }

    [Fact]
    public void Every_Dapr_app_id_is_a_workload_whose_app_port_it_declares_and_every_scope_names_one()
    {
        var appIds = new HashSet<string>();
        foreach (var workload in AllWorkloads())
        {
            var annotations = TryMap(Map(Map(Map(workload, "spec"), "template"), "metadata"), "annotations");
            if (annotations is null || Scalar(annotations, "dapr.io/enabled") != "true")
            {
                continue;
            }

            var name = Scalar(Map(workload, "metadata"), "name");
            Assert.Equal(name, Scalar(annotations, "dapr.io/app-id"));
            var ports = Containers(workload).SelectMany(c => Sequence(c, "ports")).Select(p => Scalar((YamlMappingNode)p, "containerPort"));
            Assert.Contains(Scalar(annotations, "dapr.io/app-port"), ports);
            appIds.Add(name);
        }

        Assert.Equal(["ledger", "marketplace", "rewards"], appIds.Order());
        var dapr = Documents().Where(d => Scalar(d, "apiVersion").StartsWith("dapr.io/", StringComparison.Ordinal)).ToList();
        Assert.Contains(dapr, d => Scalar(d, "kind") == "Component" && Scalar(Map(d, "spec"), "type") == "pubsub.redis");
        foreach (var d in dapr)
        {
            Assert.All(Sequence(d, "scopes"), s => Assert.Contains(s.ToString(), appIds));
        }

        // A subscription's route is one the service maps (MapTopic), and its topic one the code names.
        var sources = string.Join('\n', Directory.GetFiles(Path.Combine(Root, "services"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var subscription in dapr.Where(d => Scalar(d, "kind") == "Subscription"))
        {
            var spec = Map(subscription, "spec");
            Assert.Contains($"\"{Scalar(Map(spec, "routes"), "default")}\"", sources);
            Assert.Contains($"\"{Scalar(spec, "topic")}\"", sources);
        }
    }

    [Fact]
    public void Every_service_selects_the_pods_of_one_workload_on_a_port_they_name()
    {
        foreach (var service in Documents().Where(d => Scalar(d, "kind") == "Service"))
        {
            var selector = Map(Map(service, "spec"), "selector").Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
            var selected = AllWorkloads().Where(w =>
            {
                var labels = Map(Map(Map(Map(w, "spec"), "template"), "metadata"), "labels").Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
                return selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
            }).ToList();
            var name = Scalar(Map(service, "metadata"), "name");
            var workload = Assert.Single(selected);
            Assert.Equal(name, Scalar(Map(workload, "metadata"), "name"));
            var portNames = Containers(workload).SelectMany(c => Sequence(c, "ports")).Select(p => Scalar((YamlMappingNode)p, "name")).ToHashSet();
            Assert.All(Sequence(Map(service, "spec"), "ports"), p => Assert.Contains(Scalar((YamlMappingNode)p, "targetPort"), portNames));
        }
    }

    [Fact]
    public void Images_are_the_projects_secrets_exist_and_service_urls_name_services()
    {
        var assemblies = Directory.GetFiles(Root, "*.csproj", SearchOption.AllDirectories)
            .Select(f => AssemblyName().Match(File.ReadAllText(f)))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        var secretKeys = Map(Documents().Single(d => Scalar(d, "kind") == "Secret"), "stringData").Children.Keys.Select(k => k.ToString()).ToHashSet();
        var services = Documents().Where(d => Scalar(d, "kind") == "Service").Select(d => Scalar(Map(d, "metadata"), "name")).ToHashSet();
        foreach (var workload in AllWorkloads())
        {
            foreach (var container in Containers(workload))
            {
                var image = Scalar(container, "image");
                var match = Image().Match(image);
                Assert.True(match.Success, image);
                Assert.Contains(match.Groups[1].Value, assemblies);
            }

            foreach (var (name, node) in Env(workload))
            {
                foreach (var secret in node.AllNodes.OfType<YamlMappingNode>().Where(n => n.Children.ContainsKey("secretKeyRef")))
                {
                    var reference = Map(secret, "secretKeyRef");
                    Assert.Equal("depin-secrets", Scalar(reference, "name"));
                    Assert.Contains(Scalar(reference, "key"), secretKeys);
                }

                if (TryScalar(node, "value") is { } value && ServiceUrl().Match(value) is { Success: true } url)
                {
                    Assert.True(services.Contains(url.Groups[1].Value), $"{name}={value} names no service");
                }
            }
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test's directory.");
    }

    private static List<YamlMappingNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Manifests, file));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static IEnumerable<YamlMappingNode> Documents() =>
        Directory.GetFiles(Manifests, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)).SelectMany(f => Load(Path.GetFileName(f)));

    private static IEnumerable<YamlMappingNode> AllWorkloads() => Documents().Where(d => Workloads.Contains(Scalar(d, "kind")));

    private static YamlMappingNode Workload(string name) => AllWorkloads().Single(w => Scalar(Map(w, "metadata"), "name") == name);

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode workload) =>
        Sequence(Map(Map(Map(workload, "spec"), "template"), "spec"), "containers").Cast<YamlMappingNode>();

    private static IEnumerable<(string Name, YamlMappingNode Node)> Env(YamlMappingNode workload) =>
        Containers(workload).SelectMany(c => Sequence(c, "env")).Cast<YamlMappingNode>().Select(e => (Scalar(e, "name"), e));

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    private static YamlMappingNode? TryMap(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    private static IList<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlSequenceNode)value).Children : [];

    private static string Scalar(YamlMappingNode node, string key) => node.Children[new YamlScalarNode(key)].ToString();

    private static string? TryScalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();

    [GeneratedRegex(@"^ghcr\.io/depin-platform/([a-z0-9-]+):[A-Za-z0-9._-]+$")]
    private static partial Regex Image();

    [GeneratedRegex(@"^http://([a-z0-9-]+)(/.*)?$")]
    private static partial Regex ServiceUrl();
}
