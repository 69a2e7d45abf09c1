using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence.Providers;

/// <summary>The context on PostgreSQL; its migrations live in <c>Migrations/Postgres</c>.</summary>
public class PostgresSagaEngineDbContext(DbContextOptions<PostgresSagaEngineDbContext> options) : SagaEngineDbContext(options);
