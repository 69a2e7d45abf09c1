using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence;

/// <summary>
/// A mapping that adds more than one entity type at once, such as one row type kept in several tables
/// (EF Core's shared-type entities), which an <see cref="IEntityTypeConfiguration{TEntity}"/> cannot do.
/// Like those, it lives beside the code that owns the tables and is picked up by the host's context.
/// </summary>
public interface IModelMapping
{
    void Configure(ModelBuilder model);
}
