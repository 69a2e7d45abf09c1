using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence;

public static class PersistenceExtensions
{
    public static WebApplicationBuilder AddPersistence(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var connectionString = builder.Configuration.GetConnectionString("SagaEngine");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var path = Path.GetFullPath(options.SqlitePath, builder.Environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        }

        builder.Services.AddDbContext<SagaEngineDbContext>(o => o.UseSqlite(connectionString));
        // Services and sagas ask for the plain DbContext; they need its sets, not the host's type.
        builder.Services.AddScoped<DbContext>(sp => sp.GetRequiredService<SagaEngineDbContext>());
        return builder;
    }

    /// <summary>Creates the schema before anything that reads or writes it starts.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SagaEngineDbContext>();
        await db.Database.EnsureCreatedAsync();
        // Readers do not wait for the writer: the API stays responsive while consumers commit.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}
