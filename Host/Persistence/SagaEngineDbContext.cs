using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// The host's one database context. Each table's mapping lives beside the code that owns it and is
/// picked up here, so this class never needs to know what the tables are. Each provider derives its
/// own context (see <c>Providers/</c>) so that each keeps its own set of migrations.
/// </summary>
public class SagaEngineDbContext : DbContext
{
    public SagaEngineDbContext(DbContextOptions<SagaEngineDbContext> options) : base(options)
    {
    }

    protected SagaEngineDbContext(DbContextOptions options) : base(options)
    {
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var assembly = typeof(SagaEngineDbContext).Assembly;
        modelBuilder.ApplyConfigurationsFromAssembly(assembly);
        foreach (var mapping in assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModelMapping).IsAssignableFrom(t))
                     .OrderBy(t => t.FullName, StringComparer.Ordinal))
            ((IModelMapping)Activator.CreateInstance(mapping)!).Configure(modelBuilder);
    }
}
