using System.Reflection;
using SagaEngine.Contracts;
using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Messaging.Schemas;
using SagaEngine.Tests.Schemas.Gate;

namespace SagaEngine.Tests.Schemas;

/// <summary>The gate itself, on the repository's contracts and catalog (Contracts/Schemas): it runs in CI with the suite.</summary>
public class SchemaCatalog_Specs
{
    public static string CatalogDirectory
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SagaEngine.csproj")))
                directory = directory.Parent;
            return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("No SagaEngine.csproj above the test run."),
                "Contracts", "Schemas");
        }
    }

    [Fact]
    public void The_catalog_should_pass_the_compatibility_gate()
    {
        var violations = SchemaGate.Check(MessageCatalog.Messages, CatalogDirectory);

        Assert.True(violations.Count == 0, "The schema gate refuses:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_message_of_the_contracts_should_have_an_identity_and_a_catalog_entry()
    {
        var messages = typeof(OrderSubmitted).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(OrderSubmitted).Namespace && t.GetProperty(nameof(OrderSubmitted.OrderId))?.PropertyType == typeof(Guid));

        Assert.All(messages, t => Assert.True(t.GetCustomAttribute<MessageIdentityAttribute>() is not null, $"{t.Name} has no [MessageIdentity]"));
        Assert.Equal(messages.Select(t => t.Name).Order(), MessageCatalog.Messages.Select(m => m.ShortName).Order());
    }

    [Fact]
    public void Every_version_of_every_message_should_be_released_or_be_the_current_one()
    {
        var released = CatalogFiles.ReadReleased(CatalogDirectory);

        Assert.All(MessageCatalog.Messages.SelectMany(m => m.Versions.SkipLast(1).Select(v => CatalogFiles.SchemaFile(m.ShortName, v))),
            file => Assert.True(released.ContainsKey(file), $"{file} is an earlier version but not recorded as released"));
    }
}
