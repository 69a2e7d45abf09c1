using SagaEngine.Contracts.Schemas;
using SagaEngine.Host.Messaging.Schemas;
using SagaEngine.Tests.Schemas.Fixtures.Breaking;
using SagaEngine.Tests.Schemas.Gate;

namespace SagaEngine.Tests.Schemas;

/// <summary>
/// The gate's failing fixtures: a message changed in each way the issue calls breaking, with a new version
/// and no upcaster, must fail the gate with the message, the field and the rule named.
/// </summary>
public class BreakingChanges_Specs
{
    static IReadOnlyList<SchemaViolation> Gate(Type v1, CatalogMessage message)
    {
        using var catalog = new FixtureCatalog().With(message, 1, v1).With(message, 2, message.Type);
        return SchemaGate.Check([message], catalog.Directory);
    }

    static void AssertNamed(IReadOnlyList<SchemaViolation> violations, string field, string rule)
    {
        var violation = Assert.Single(violations, v => v.Rule == rule && v.Field == $"field '{field}'");
        Assert.Equal("Parcel", violation.Message);
        Assert.Contains("v1 → v2", violation.Detail);
        Assert.StartsWith($"Parcel: field '{field}': {rule}: ", violation.ToString());
    }

    [Fact]
    public void Should_refuse_a_removed_field() =>
        AssertNamed(Gate(typeof(FieldRemoved.V1), FixtureCatalog.Message(typeof(FieldRemoved.Parcel))), "weight", SchemaRules.FieldRemoved);

    [Fact]
    public void Should_refuse_a_renamed_field_as_removed()
    {
        var violations = Gate(typeof(FieldRenamed.V1), FixtureCatalog.Message(typeof(FieldRenamed.Parcel)));
        AssertNamed(violations, "sku", SchemaRules.FieldRemoved);
        AssertNamed(violations, "articleNumber", SchemaRules.RequiredFieldAdded);
    }

    [Fact]
    public void Should_refuse_a_retyped_field()
    {
        var violations = Gate(typeof(FieldRetyped.V1), FixtureCatalog.Message(typeof(FieldRetyped.Parcel)));
        AssertNamed(violations, "weight", SchemaRules.FieldRetyped);
        Assert.Contains("from integer to string", violations.Single(v => v.Rule == SchemaRules.FieldRetyped).Detail);
    }

    [Fact]
    public void Should_refuse_a_retyped_field_inside_a_list() =>
        AssertNamed(Gate(typeof(NestedFieldRetyped.V1), FixtureCatalog.Message(typeof(NestedFieldRetyped.Parcel))),
            "lines[].quantity", SchemaRules.FieldRetyped);

    [Fact]
    public void Should_refuse_an_optional_field_made_required() =>
        AssertNamed(Gate(typeof(OptionalBecameRequired.V1), FixtureCatalog.Message(typeof(OptionalBecameRequired.Parcel))),
            "weight", SchemaRules.OptionalBecameRequired);

    [Fact]
    public void Should_refuse_a_required_field_added_without_a_default() =>
        AssertNamed(Gate(typeof(RequiredFieldAdded.V1), FixtureCatalog.Message(typeof(RequiredFieldAdded.Parcel))),
            "carrier", SchemaRules.RequiredFieldAdded);

    [Fact]
    public void Should_refuse_a_value_removed_from_an_enumeration()
    {
        var violations = Gate(typeof(EnumValueRemoved.V1), FixtureCatalog.Message(typeof(EnumValueRemoved.Parcel)));
        AssertNamed(violations, "speed", SchemaRules.EnumValueRemoved);
        Assert.Contains("\"Express\"", violations.Single(v => v.Rule == SchemaRules.EnumValueRemoved).Detail);
    }

    [Fact]
    public void Should_accept_an_optional_field_added_with_a_default() =>
        Assert.DoesNotContain(Gate(typeof(OptionalFieldAdded.V1), FixtureCatalog.Message(typeof(OptionalFieldAdded.Parcel))),
            v => v.Rule is SchemaRules.FieldRemoved or SchemaRules.FieldRetyped or SchemaRules.OptionalBecameRequired
                or SchemaRules.RequiredFieldAdded or SchemaRules.EnumValueRemoved or SchemaRules.CatalogNotRegenerated);

    [Fact]
    public void Should_check_every_earlier_version_not_only_the_previous_one()
    {
        var message = FixtureCatalog.Message(typeof(RemovedAfterTwoVersions.Parcel));
        using var catalog = new FixtureCatalog()
            .With(message, 1, typeof(RemovedAfterTwoVersions.V1))
            .With(message, 2, typeof(RemovedAfterTwoVersions.V2))
            .With(message, 3, message.Type);

        var removed = SchemaGate.Check([message], catalog.Directory).Where(v => v.Rule == SchemaRules.FieldRemoved).ToList();

        Assert.Equal(["v1 → v3", "v2 → v3"], removed.Select(v => v.Detail[..7]).Order());
        Assert.All(removed, v => Assert.Equal("field 'weight'", v.Field));
    }

    [Fact]
    public void Should_allow_a_breaking_change_with_a_new_version_and_an_upcaster_from_the_old_one()
    {
        var message = FixtureCatalog.Message(typeof(RemovedAfterTwoVersions.Parcel), new RemovedAfterTwoVersions.DropWeight());
        using var catalog = new FixtureCatalog()
            .With(message, 1, typeof(RemovedAfterTwoVersions.V1))
            .With(message, 2, typeof(RemovedAfterTwoVersions.V2))
            .With(message, 3, message.Type);

        Assert.DoesNotContain(SchemaGate.Check([message], catalog.Directory), v => v.Rule == SchemaRules.FieldRemoved);
    }

    [Fact]
    public void Should_refuse_a_contract_changed_without_its_catalog_entry_regenerated()
    {
        var message = FixtureCatalog.Message(typeof(OptionalFieldAdded.Parcel));
        using var catalog = new FixtureCatalog().With(message, 1, typeof(OptionalFieldAdded.V1)).With(message, 2, typeof(OptionalFieldAdded.V1));

        var violation = Assert.Single(SchemaGate.Check([message], catalog.Directory), v => v.Rule == SchemaRules.CatalogNotRegenerated);

        Assert.Equal(("Parcel", "field 'carrier'"), (violation.Message, violation.Field));
        Assert.Contains("scripts/schemas.sh update", violation.Detail);
    }

    [Fact]
    public void Should_refuse_a_released_file_that_changed()
    {
        var message = FixtureCatalog.Message(typeof(OptionalFieldAdded.Parcel));
        using var catalog = new FixtureCatalog().With(message, 1, typeof(OptionalFieldAdded.V1)).With(message, 2, message.Type);
        var file = CatalogFiles.SchemaFile("Parcel", 1);
        CatalogFiles.WriteReleased(catalog.Directory, new Dictionary<string, string> { [file] = CatalogFiles.Hash(Path.Combine(catalog.Directory, file)) });
        Assert.DoesNotContain(SchemaGate.Check([message], catalog.Directory), v => v.Rule == SchemaRules.ReleasedFileChanged);

        File.AppendAllText(Path.Combine(catalog.Directory, file), " ");

        var violation = Assert.Single(SchemaGate.Check([message], catalog.Directory), v => v.Rule == SchemaRules.ReleasedFileChanged);
        Assert.Equal(("Parcel", "file Parcel/v1.schema.json"), (violation.Message, violation.Field));
    }
}
