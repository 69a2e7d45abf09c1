using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SagaEngine.Contracts.Schemas;

namespace SagaEngine.Tests.Schemas.Fixtures.Breaking;

// Each class is one change to a message called Parcel: V1 is how it was, Parcel how it is now.

public static class FieldRemoved
{
    public record V1(Guid Id, string Sku, int Weight);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, string Sku);
}

public static class FieldRenamed
{
    public record V1(Guid Id, string Sku);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, string ArticleNumber);
}

public static class FieldRetyped
{
    public record V1(Guid Id, int Weight);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, string Weight);
}

public static class NestedFieldRetyped
{
    public record LineV1(string Sku, int Quantity);

    public record V1(Guid Id, IReadOnlyList<LineV1> Lines);

    public record Line(string Sku, decimal Quantity);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, IReadOnlyList<Line> Lines);
}

public static class OptionalBecameRequired
{
    public record V1(Guid Id, int Weight = 0);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, int Weight);
}

public static class RequiredFieldAdded
{
    public record V1(Guid Id);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, string Carrier);
}

/// <summary>The additive change: an optional field with a default. Compatible, no upcaster needed.</summary>
public static class OptionalFieldAdded
{
    public record V1(Guid Id);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, string? Carrier = null);
}

public static class EnumValueRemoved
{
    [JsonConverter(typeof(JsonStringEnumConverter<SpeedV1>))]
    public enum SpeedV1 { Slow, Fast, Express }

    [JsonConverter(typeof(JsonStringEnumConverter<Speed>))]
    public enum Speed { Slow, Fast }

    public record V1(Guid Id, SpeedV1 Speed);

    [MessageIdentity("test:parcel", Version = 2)]
    public record Parcel(Guid Id, Speed Speed);
}

/// <summary>v2 only adds an optional field; v3 removes a field v1 and v2 both had.</summary>
public static class RemovedAfterTwoVersions
{
    public record V1(Guid Id, string Sku, int Weight);

    public record V2(Guid Id, string Sku, int Weight, string? Note = null);

    [MessageIdentity("test:parcel", Version = 3)]
    public record Parcel(Guid Id, string Sku, string? Note = null);

    /// <summary>Declares the removal: v2 records lose their weight on the way to v3.</summary>
    public sealed class DropWeight() : Upcaster<Parcel>(2)
    {
        public override JsonObject Upcast(JsonObject message)
        {
            message.Remove("weight");
            return message;
        }
    }
}
