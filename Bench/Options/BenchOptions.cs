using SagaEngine.Bench.Orders;

namespace SagaEngine.Bench.Options;

public enum LoadMode
{
    /// <summary>Orders are offered on a fixed schedule whatever the host does (open loop).</summary>
    FixedRate,

    /// <summary>As fast as possible, with a fixed number of orders in flight (closed loop).</summary>
    MaxThroughput
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres
}

/// <summary>Everything one invocation of the benchmark was asked to do, already validated.</summary>
public sealed record BenchOptions
{
    public LoadMode Mode { get; init; } = LoadMode.FixedRate;

    /// <summary>Orders per second offered in <see cref="LoadMode.FixedRate"/>.</summary>
    public double Rate { get; init; } = 200;

    /// <summary>Orders in flight (accepted and not yet seen in a terminal state) in <see cref="LoadMode.MaxThroughput"/>.</summary>
    public int Concurrency { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The warm-up's length, or its minimum when <see cref="WarmupJitPerSecond"/> is set.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// After <see cref="Warmup"/>, keep warming up until the host JIT-compiles at most this many methods
    /// per second (read from its /metrics every <see cref="WarmupStep"/>), or until <see cref="WarmupMax"/>.
    /// Null: the warm-up is <see cref="Warmup"/> long, whatever the host's JIT does.
    /// </summary>
    public double? WarmupJitPerSecond { get; init; } = 10;

    public TimeSpan WarmupMax { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How often a settling warm-up reads the host's JIT rate.</summary>
    public TimeSpan WarmupStep { get; init; } = TimeSpan.FromSeconds(5);

    public int Runs { get; init; } = 3;

    /// <summary>How long, after the offering ends, every order gets to reach a terminal state.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The shortest time between two polls of one outstanding order.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public OrderMix Mix { get; init; } = OrderMix.Default;

    /// <summary>How many stocked SKUs (<c>SKU-1</c> to <c>SKU-N</c>) confirmed and declined orders take in turn; the peer gets the same.</summary>
    public int Skus { get; init; } = BenchSkus.DefaultStockedCount;

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    public string? ConnectionString { get; init; }

    /// <summary>Start a throwaway local PostgreSQL server for the session (<c>--postgres</c>); implies <see cref="DatabaseProvider.Postgres"/>.</summary>
    public bool StartsLocalPostgres { get; init; }

    /// <summary>An already running host to target instead of starting one per run.</summary>
    public Uri? HostUrl { get; init; }

    /// <summary>Extra environment for the started host, e.g. a log level or a Kafka setting.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HostEnvironment { get; init; } = [];

    /// <summary>Skip publishing the host (<see cref="Hosting.HostBuild"/>) before the first run.</summary>
    public bool NoBuild { get; init; }

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public string? JsonPath { get; init; }

    /// <summary>After our runs, run the Wolverine peer as many times, at the same load, and compare (<c>--compare-peer</c>).</summary>
    public bool ComparePeer { get; init; }

    /// <summary>The peer's folder; null: <c>shared/peers/wolverine-orders</c> beside the repository or above it.</summary>
    public string? PeerDirectory { get; init; }

    /// <summary>Measured orders per peer run (its <c>--orders</c>); its warm-up is as many orders as our runs' warm-up had.</summary>
    public int PeerOrders { get; init; } = 3000;

    public bool ShowHelp { get; init; }

    public bool StartsHost => HostUrl is null;
}
