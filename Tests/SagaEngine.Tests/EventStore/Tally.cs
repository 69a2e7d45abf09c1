using Microsoft.Extensions.DependencyInjection;
using SagaEngine.EventSourcing;

namespace SagaEngine.Tests.EventStore;

/// <summary>A test stream category of the generic store's own specs: each event adds an amount.</summary>
public record Tallied(int Amount);

public sealed record TallyState(long Sum, int Count);

public sealed class TallyFold : StreamFold<TallyState>
{
    public static readonly TallyFold Instance = new();

    public override string Category => "tally";

    public override IReadOnlyList<EventType> EventTypes { get; } = [EventType.Of<Tallied>()];

    public override TallyState Initial => new(0, 0);

    public override TallyState Apply(TallyState state, object @event) =>
        @event is Tallied e ? new TallyState(state.Sum + e.Amount, state.Count + 1) : state;

    public static string NewStream() => StreamIds.For("tally", Guid.NewGuid().ToString("N"));

    public static void Register(IServiceCollection services) => services.AddSingleton<IStreamFold>(Instance);
}
