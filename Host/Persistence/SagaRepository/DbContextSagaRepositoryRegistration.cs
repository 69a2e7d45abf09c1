using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace SagaEngine.Host.Persistence.SagaRepository;

public static class DbContextSagaRepositoryRegistration
{
    /// <summary>Keeps the saga's instances in the host's DbContext (its table comes from the saga's own mapping).</summary>
    public static ISagaRegistrationConfigurator<TSaga> DbContextRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> saga)
        where TSaga : class, ISaga =>
        saga.Repository(r => r.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>,
            DbContextSagaRepositoryContextFactory<TSaga>>());
}
