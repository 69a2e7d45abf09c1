using System.Collections.Concurrent;

namespace SagaEngine.Host.Projections;

/// <summary>The projections this host knows, and the runners it runs for them.</summary>
public sealed class ProjectionRegistry(IEnumerable<IProjection> projections)
{
    readonly ConcurrentDictionary<string, ProjectionRunner> _runners = new(StringComparer.Ordinal);

    public IReadOnlyList<IProjection> Projections { get; } = projections.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

    public IProjection? Find(string name) => Projections.FirstOrDefault(p => p.Name == name);

    public ProjectionRunner? Runner(string name) => _runners.GetValueOrDefault(name);

    internal void Started(ProjectionRunner runner) => _runners[runner.Name] = runner;

    internal void Stopped(ProjectionRunner runner) => _runners.TryRemove(new KeyValuePair<string, ProjectionRunner>(runner.Name, runner));
}
