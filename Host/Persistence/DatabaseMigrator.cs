using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// Brings the schema up to date before anything else starts: a fresh database is created, an
/// existing one gets the migrations it lacks. A database that cannot be reached stops start-up,
/// naming the setting that points at it.
/// </summary>
public class DatabaseMigrator(IServiceScopeFactory scopes, ConfiguredDatabase database, ILogger<DatabaseMigrator> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.SqliteFile is { } file)
            CreateDirectoryFor(file);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SagaEngineDbContext>();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
            if (database.Provider == DatabaseProvider.Sqlite)
                // Readers do not wait for the writer: the API stays responsive while consumers commit.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException || e.InnerException is DbException)
        {
            throw new InvalidOperationException(
                $"The {database.Provider} database set by {database.Setting} cannot be used: {e.Message}", e);
        }

        logger.LogInformation("Database ready: {Provider}, schema at {Migration}", database.Provider,
            (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    void CreateDirectoryFor(string file)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The folder for {database.Setting} cannot be created: {e.Message}", e);
        }
    }
}
