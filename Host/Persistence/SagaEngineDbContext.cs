using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// The host's one database context. Each table's mapping lives beside the code that owns it and is
/// picked up here, so this class never needs to know what the tables are.
/// </summary>
public class SagaEngineDbContext(DbContextOptions<SagaEngineDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SagaEngineDbContext).Assembly);
}
