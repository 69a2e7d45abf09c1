using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using SagaEngine.Contracts;
using SagaEngine.Host.Kafka.Consuming;
using SagaEngine.Host.Messaging.Schemas;

namespace SagaEngine.Tests.Schemas;

/// <summary>The step before dispatch: what a Kafka endpoint makes of a record's type, version and body.</summary>
public class RecordUpcasting_Specs
{
    static readonly RecordUpcasting Upcasting = new(new ContractSchemas());

    static Dictionary<string, object> Headers(string messageType, string? version = null)
    {
        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["MT-MessageType"] = messageType };
        if (version is not null)
            headers["schema-version"] = version;
        return headers;
    }

    [Fact]
    public void Should_read_a_release_1_record_as_the_current_version_under_masstransits_name()
    {
        var headers = Headers("urn:message:SagaEngine.Contracts:OrderConfirmed");
        var body = Upcasting.Apply("""{"orderId":"bc4d0000-8a4d-98d2-322f-08df4ec75557","total":25,"currency":"EUR"}"""u8.ToArray(), headers, out var why);

        Assert.Null(why);
        var json = JsonNode.Parse(body!)!.AsObject();
        Assert.Equal((25m, "EUR"), (json["total"]!.GetValue<decimal>(), json["currency"]!.GetValue<string>()));
        Assert.True(json.ContainsKey("customerId") && json["customerId"] is null && json["sequence"] is null);
        Assert.Equal(MessageUrn.ForTypeString(typeof(OrderConfirmed)), headers["MT-MessageType"]);
        Assert.Equal("2", headers["schema-version"]);
    }

    [Fact]
    public void Should_pass_a_current_record_under_its_stable_name_with_its_body_untouched()
    {
        var original = Encoding.UTF8.GetBytes("""{"orderId":"bc4d0000-8a4d-98d2-322f-08df4ec75557","sequence":2}""");
        var headers = Headers("urn:message:sagaengine:inventory-reserved", "2");

        Assert.Same(original, Upcasting.Apply(original, headers, out _));
        Assert.Equal(MessageUrn.ForTypeString(typeof(InventoryReserved)), headers["MT-MessageType"]);
    }

    [Theory]
    [InlineData("3", "newer than this release reads")]
    [InlineData("two", "is not a schema version")]
    [InlineData("0", "is not a schema version")]
    public void Should_refuse_a_version_it_cannot_read_saying_why(string version, string reason)
    {
        Assert.Null(Upcasting.Apply("{}"u8.ToArray(), Headers("urn:message:sagaengine:order-confirmed", version), out var why));
        Assert.Contains(reason, why);
    }

    [Fact]
    public void Should_refuse_an_old_body_that_is_not_a_json_object()
    {
        Assert.Null(Upcasting.Apply("[1]"u8.ToArray(), Headers("urn:message:sagaengine:order-cancelled", "1"), out var why));
        Assert.Contains("OrderCancelled v1", why);
    }

    [Fact]
    public void Should_leave_a_message_the_catalog_does_not_know_as_it_is()
    {
        var headers = Headers("urn:message:SagaEngine.Tests.Kafka.Messages:Ping", "7");
        var body = "{}"u8.ToArray();

        Assert.Same(body, Upcasting.Apply(body, headers, out var why));
        Assert.Null(why);
        Assert.Equal("7", headers["schema-version"]);
    }
}
