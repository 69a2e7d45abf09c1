namespace SagaEngine.Host.Persistence;

/// <summary>Settings under <c>Database</c>, plus the <c>SagaEngine</c> connection string PostgreSQL uses.</summary>
public class DatabaseOptions
{
    public const string Section = "Database";
    public const string ConnectionStringName = "SagaEngine";

    /// <summary><c>Sqlite</c> (embedded, the default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Where the embedded SQLite database lives, relative to the content root; created on first start.</summary>
    public string SqlitePath { get; set; } = "data/sagaengine.db";

    /// <summary>Bound from <c>ConnectionStrings:SagaEngine</c>; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The provider, once validation has accepted <see cref="Provider"/>.</summary>
    public DatabaseProvider ProviderKind => Enum.Parse<DatabaseProvider>(Provider, ignoreCase: true);
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres
}
