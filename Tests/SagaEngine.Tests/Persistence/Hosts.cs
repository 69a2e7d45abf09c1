using SagaEngine.Host.Persistence;
using SagaEngine.Tests.Support;

namespace SagaEngine.Tests.Persistence;

/// <summary>A host on SQLite, shared by the tests of one class.</summary>
public class SqliteHost() : SagaEngineFactory(DatabaseProvider.Sqlite);

/// <summary>A host on PostgreSQL, shared by the tests of one class.</summary>
public class PostgresHost() : SagaEngineFactory(DatabaseProvider.Postgres);

public static class Providers
{
    public static TheoryData<DatabaseProvider> Both => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };
}
