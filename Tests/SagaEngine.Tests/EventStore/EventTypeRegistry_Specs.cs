using System.Text.Json.Nodes;
using SagaEngine.EventSourcing;
using SagaEngine.Host.EventStore;

namespace SagaEngine.Tests.EventStore;

public record Renamed(int Total, string Note);

/// <summary>Version 1 of <see cref="Renamed"/> called its total "amount" and had no note.</summary>
public sealed class RenamedFromVersion1 : IEventUpcaster
{
    public string EventType => nameof(Renamed);

    public int FromVersion => 1;

    public JsonObject Upcast(JsonObject data) => new() { ["total"] = data["amount"]!.DeepClone(), ["note"] = "from v1" };
}

/// <summary>Stored events are read as their type's current shape: an older one goes through its upcasters first.</summary>
public class EventTypeRegistry_Specs
{
    static EventTypeRegistry Registry(params IEventUpcaster[] upcasters) =>
        new([TallyFold.Instance], [EventType.Of<Renamed>(schemaVersion: 2)], upcasters);

    [Fact]
    public void Should_read_an_event_of_the_current_version_as_it_was_written()
    {
        Assert.Equal(new Renamed(3, "now"), Registry().Deserialize("Renamed", 2, """{"total":3,"note":"now"}"""));
        Assert.Equal(new Tallied(4), Registry().Deserialize("Tallied", 1, """{"amount":4}"""));
    }

    [Fact]
    public void Should_upcast_an_older_version_before_reading_it()
    {
        Assert.Equal(new Renamed(3, "from v1"), Registry(new RenamedFromVersion1()).Deserialize("Renamed", 1, """{"amount":3}"""));
    }

    [Fact]
    public void Should_refuse_with_a_reason_what_it_cannot_read()
    {
        Assert.Contains("No upcaster takes a 'Renamed' event from schema version 1 to 2",
            Assert.Throws<InvalidOperationException>(() => Registry().Deserialize("Renamed", 1, """{"amount":3}""")).Message);
        Assert.Contains("written by a newer release",
            Assert.Throws<InvalidOperationException>(() => Registry().Deserialize("Renamed", 3, "{}")).Message);
        Assert.Contains("'Gone' is not registered",
            Assert.Throws<InvalidOperationException>(() => Registry().Deserialize("Gone", 1, "{}")).Message);
    }

    [Fact]
    public void Should_stop_start_up_when_one_name_means_two_types()
    {
        Assert.Throws<InvalidOperationException>(() =>
            new EventTypeRegistry([], [new EventType("Tallied", typeof(Tallied), 1), new EventType("Tallied", typeof(Renamed), 1)], []));
    }
}
