using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SagaEngine.Host.Persistence.Providers;

/// <summary>The context on SQLite; its migrations live in <c>Migrations/Sqlite</c>.</summary>
public class SqliteSagaEngineDbContext(DbContextOptions<SqliteSagaEngineDbContext> options) : SagaEngineDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        // SQLite keeps no time zone: every time this engine stores is UTC, so read it back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
