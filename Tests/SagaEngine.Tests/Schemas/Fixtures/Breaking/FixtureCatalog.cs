using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Messaging.Schemas;

namespace SagaEngine.Tests.Schemas.Fixtures.Breaking;

/// <summary>A throwaway catalog directory holding the schemas of earlier shapes of a fixture message.</summary>
public sealed class FixtureCatalog : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "sagaengine-catalog-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes version <paramref name="version"/> of <paramref name="message"/>'s catalog as <paramref name="shape"/> generates it.</summary>
    public FixtureCatalog With(CatalogMessage message, int version, Type shape)
    {
        var path = Path.Combine(Directory, CatalogFiles.SchemaFile(message.ShortName, version));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ContractSchemaGenerator.ToText(ContractSchemaGenerator.Generate(shape, message.ShortName, message.Urn, version)));
        return this;
    }

    public static CatalogMessage Message(Type type, params IUpcaster[] upcasters) => MessageCatalog.Build([type], upcasters).Single();

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
