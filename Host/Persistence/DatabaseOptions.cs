namespace SagaEngine.Host.Persistence;

/// <summary>Settings under <c>Database</c>.</summary>
public class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Where the embedded SQLite database lives when no connection string is set.</summary>
    public string SqlitePath { get; set; } = "data/sagaengine.db";
}
